# plainnet: build with a JDK alone (make jar), test with Maven (make test).
# Every target works from a fresh clone; `make jar` needs no network and no Maven.

JAVAC ?= javac
JAR   ?= jar
JAVA  ?= java
JAVADOC ?= javadoc
MVN   ?= mvn

# The release version, read from pom.xml's one top-level <version> line (DistributionTest checks that this
# pattern finds exactly the project's version, and that `plainnet version` prints the same).
VERSION := $(shell sed -n 's:^  <version>\(.*\)</version>$$:\1:p' pom.xml)
DIST    := target/plainnet-$(VERSION)

SOURCES := $(sort $(shell find src/main/java -name '*.java'))
VECTOR_SOURCES := $(sort $(shell find src/vector/java -name '*.java'))
CLASSES := target/jar-classes
VECTOR_FLAGS := --release 17 --add-modules jdk.incubator.vector

.PHONY: jar test javadoc dist install demo vectors bench bench-compare bench-large single-file clean

jar: target/plainnet.jar

# The core compiles for Java 8; the optional Vector API kernels (src/vector/java, SPEC §23) are
# compiled into the same classes where this javac has the module (JDK 17 and later), else skipped.
target/plainnet.jar: $(SOURCES) $(VECTOR_SOURCES)
	rm -rf $(CLASSES) target/vector-probe
	mkdir -p $(CLASSES) target/vector-probe
	$(JAVAC) --release 8 -Xlint:all -Xlint:-options -encoding UTF-8 -d $(CLASSES) $(SOURCES)
	@echo 'class Probe { jdk.incubator.vector.DoubleVector v; }' > target/vector-probe/Probe.java
	@if $(JAVAC) $(VECTOR_FLAGS) -d target/vector-probe target/vector-probe/Probe.java > /dev/null 2>&1; then \
	  echo "$(JAVAC) $(VECTOR_FLAGS) -Xlint:all -encoding UTF-8 -cp $(CLASSES) -d $(CLASSES) $(VECTOR_SOURCES)"; \
	  $(JAVAC) $(VECTOR_FLAGS) -Xlint:all -encoding UTF-8 -cp $(CLASSES) -d $(CLASSES) $(VECTOR_SOURCES) || exit 1; \
	else \
	  echo "skipped src/vector/java: this javac has no jdk.incubator.vector (JDK 17+ needed); the plain kernels will run"; \
	fi
	rm -rf target/vector-probe
	$(JAR) --create --file $@ --main-class plainnet.cli.Main -C $(CLASSES) .
	@echo "built $@ (run: $(JAVA) -jar $@ help)"

# Debian's Maven 3.8 (with jansi 2) writes the reset escape ESC[0m into its output even under -B
# (batch mode, no colours); jansi.noreset leaves the log plain text. Exported to every Maven run here.
export MAVEN_OPTS += -Djansi.noreset=true

# The suite; then the install plugin is fetched into ~/.m2 (a few seconds when it is already there),
# so that `make install` works offline afterwards.
test:
	$(MVN) -B -ntp test
	$(MVN) -B -ntp -q install:help

# The API documentation, HTML, by the JDK's javadoc (JavadocTest in `make test` fails on any doclint warning).
javadoc: target/apidocs/index.html

target/apidocs/index.html: $(SOURCES)
	rm -rf target/apidocs
	$(JAVADOC) --release 8 -Xdoclint:all -Xmaxwarns 100000 -quiet -encoding UTF-8 -docencoding UTF-8 -charset UTF-8 \
	  -d target/apidocs $(SOURCES)

# The files a Maven repository holds, built by the JDK's tools: the runnable jar (a copy of
# target/plainnet.jar), the sources and the Javadoc, each with the licence, and the published POM.
dist: $(DIST).jar $(DIST)-sources.jar $(DIST)-javadoc.jar $(DIST).pom
	@ls -l $^

$(DIST).jar: target/plainnet.jar
	cp target/plainnet.jar $@

$(DIST)-sources.jar: $(SOURCES) $(VECTOR_SOURCES) LICENSE
	mkdir -p target
	$(JAR) --create --file $@ -C src/main/java . -C src/vector/java . LICENSE

$(DIST)-javadoc.jar: target/apidocs/index.html LICENSE
	$(JAR) --create --file $@ -C target/apidocs . LICENSE

# The POM published with the jars: pom.xml without what only building and testing plainnet needs
# (<build>, <profiles>, <reporting>, <properties>, <dependencies>, which are all test scope, and
# the top-level comments), so that a project depending on plainnet sees its coordinates, licence
# and sources and nothing else (DistributionTest checks the result).
$(DIST).pom: pom.xml
	mkdir -p target
	awk 'end != "" { if ($$0 ~ end) end = ""; next } \
	  /^  <!--/ { if ($$0 !~ /-->/) end = "-->"; next } \
	  /^  <(build|profiles|reporting|properties|dependencies)>/ { name = $$0; sub(/^  </, "", name); sub(/>.*/, "", name); end = "^  </" name ">"; next } \
	  /^$$/ { if (blank) next; blank = 1; print; next } \
	  { blank = 0; print }' pom.xml > $@.part
	mv $@.part $@

# The jars and the published POM into the local Maven repository (~/.m2) as io.github.plainnet:plainnet:$(VERSION);
# works offline after `make test` (README, "Depend on plainnet").
install: dist
	$(MVN) -B -ntp install:install-file -Dfile=$(DIST).jar -Dsources=$(DIST)-sources.jar -Djavadoc=$(DIST)-javadoc.jar -DpomFile=$(DIST).pom

# The main job: the lecture's transfer and multi-task claims on the bundled digits data.
demo: target/plainnet.jar
	$(JAVA) -jar target/plainnet.jar demo

# The core package as one file of nested classes, target/PlainNet.java, and the file formats
# (package plainnet.io: model files, CSV data) as a second, target/PlainNetIO.java (README, "Copying
# plainnet into your project"), generated from the sources; then PlainNet.java is compiled alone
# with --release 8, and PlainNetIO.java against it alone.
single-file: target/plainnet.jar
	$(JAVA) -cp target/plainnet.jar plainnet.cli.SingleFile src/main/java/plainnet target
	rm -rf target/single-classes
	mkdir -p target/single-classes
	$(JAVAC) --release 8 -Xlint:all -Xlint:-options -encoding UTF-8 -d target/single-classes target/PlainNet.java
	$(JAVAC) --release 8 -Xlint:all -Xlint:-options -encoding UTF-8 -cp target/single-classes -d target/single-classes target/PlainNetIO.java

# Regenerate the golden test vectors (a test checks the committed files are exactly these bytes).
vectors: target/plainnet.jar
	$(JAVA) -jar target/plainnet.jar vectors --out test-data/vectors

# Speed: timed training steps for the default shapes (1 and 2 threads) as a user runs them (the
# Vector API kernels where the JDK has the module: plainnet starts its JVM again with it, SPEC §23;
# the "kernels:" line names the path in effect), again with the plain kernels
# (-Dplainnet.vector=false), again with HotSpot's vectors limited to 256 bits (the JVM line shows
# the size in effect), then the demo's wall time.
bench: target/plainnet.jar
	$(JAVA) -jar target/plainnet.jar bench
	@echo "The default cases again with the plain kernels:"
	$(JAVA) -Dplainnet.vector=false -jar target/plainnet.jar bench
	@echo "The default cases again with vectors of at most 256 bits (HotSpot flag; see README, Performance):"
	$(JAVA) -XX:+IgnoreUnrecognizedVMOptions -XX:MaxVectorSize=32 -jar target/plainnet.jar bench
	@start=$$(date +%s%N); $(JAVA) -jar target/plainnet.jar demo > /dev/null 2>&1; end=$$(date +%s%N); \
	  echo "make demo (jar already built): $$(( (end - start) / 1000000 )) ms"

# plainnet against PyTorch float64 at its best (examples/pytorch/compare.py, SPEC §24): every PyTorch
# set-up found (each python3 that imports torch, with glibc's allocator tuned and with jemalloc where
# installed; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed for PyTorch only), per shape in turns with
# plainnet bench, on 1 and 2 threads each; medians of the rounds, the fastest set-up as the peer, the
# configuration above the table. About 30-45 minutes (10 s of warm-up per run). Skipped (exit 0) where no
# python3 imports torch.
bench-compare: target/plainnet.jar
	@if command -v python3 > /dev/null 2>&1; then python3 examples/pytorch/compare.py; \
	  else echo "bench-compare: skipped: python3 is not installed"; fi

# A data set of real size (SPEC §24): 60,000 rows × 784 pixel columns (about 81 % zeros, the rest
# 1-255, like the classic image benchmarks) and a class column, generated into target/ (never
# committed); then one epoch of training on it under /usr/bin/time, which reports the peak
# resident memory. The "read" line gives the parse speed.
target/large.csv:
	mkdir -p target
	awk 'BEGIN { srand(12); printf "p0"; for (i = 1; i < 784; i++) printf ",p%d", i; print ",label"; \
	  for (n = 0; n < 60000; n++) { for (i = 0; i < 784; i++) { v = rand() < 0.81 ? 0 : 1 + int(255 * rand()); printf "%s%d", (i ? "," : ""), v } \
	  printf ",%d\n", int(10 * rand()) } }' > $@.part && mv $@.part $@

bench-large: target/plainnet.jar target/large.csv
	@ls -l target/large.csv
	/usr/bin/time -v $(JAVA) -jar target/plainnet.jar train --data target/large.csv --features p0..p783 --labels label --loss softmax --hidden 64:relu \
	  --epochs 1 --split 0.1 --standardize --out target/large.json > target/bench-large.log 2>&1; status=$$?; \
	  grep -E 'plainnet|epoch|Maximum resident|Elapsed' target/bench-large.log; exit $$status
	@echo "Reading the same file again on one core (taskset -c 0: parsing, JIT and GC share it), as evaluate does:"
	taskset -c 0 $(JAVA) -jar target/plainnet.jar evaluate --model target/large.json --data target/large.csv > target/bench-large-1core.log 2>&1; \
	  status=$$?; grep -E 'MB/s' target/bench-large-1core.log; exit $$status

clean:
	rm -rf target
