# plainnet: build with a JDK alone (make jar), test with Maven (make test).
# Every target works from a fresh clone; `make jar` needs no network and no Maven.

JAVAC ?= javac
JAR   ?= jar
JAVA  ?= java
MVN   ?= mvn

SOURCES := $(sort $(shell find src/main/java -name '*.java'))
CLASSES := target/jar-classes

.PHONY: jar test demo vectors clean

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

clean:
	rm -rf target
