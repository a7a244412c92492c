# plainnet: build with a JDK alone (make jar), test with Maven (make test).
# Every target works from a fresh clone; `make jar` needs no network and no Maven.

JAVAC ?= javac
JAR   ?= jar
JAVA  ?= java
MVN   ?= mvn

SOURCES := $(sort $(shell find src/main/java -name '*.java'))
CLASSES := target/jar-classes

.PHONY: jar test demo vectors bench clean

jar: target/plainnet.jar

target/plainnet.jar: $(SOURCES)
	rm -rf $(CLASSES)
	mkdir -p $(CLASSES)
	$(JAVAC) --release 8 -Xlint:all -Xlint:-options -encoding UTF-8 -d $(CLASSES) $(SOURCES)
	$(JAR) --create --file $@ --main-class plainnet.cli.Main -C $(CLASSES) .
	@echo "built $@ (run: $(JAVA) -jar $@ help)"

test:
	$(MVN) -B -ntp test

# The main job: the lecture's transfer and multi-task claims on the bundled digits data.
demo: target/plainnet.jar
	$(JAVA) -jar target/plainnet.jar demo

# Regenerate the golden test vectors (a test checks the committed files are exactly these bytes).
vectors: target/plainnet.jar
	$(JAVA) -jar target/plainnet.jar vectors --out test-data/vectors

# Speed: timed training steps for the default shapes (1 and 2 threads), again with HotSpot's
# vectors limited to 256 bits (the JVM line of the output shows the size in effect), then the
# demo's wall time.
bench: target/plainnet.jar
	$(JAVA) -jar target/plainnet.jar bench
	@echo "The default cases again with vectors of at most 256 bits (HotSpot flag; see README, Performance):"
	$(JAVA) -XX:+IgnoreUnrecognizedVMOptions -XX:MaxVectorSize=32 -jar target/plainnet.jar bench
	@start=$$(date +%s%N); $(JAVA) -jar target/plainnet.jar demo > /dev/null 2>&1; end=$$(date +%s%N); \
	  echo "make demo (jar already built): $$(( (end - start) / 1000000 )) ms"

clean:
	rm -rf target
