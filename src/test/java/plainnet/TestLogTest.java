package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The log of a passing `make test` reads as a pass: no test prints a line worded like a failure,
 * and Maven's output under -B is plain text (no ANSI escapes).
 */
class TestLogTest {

    /** Words that make a printed line read like a failure. */
    private static final String[] FAILURE_WORDS = {"miss", "fail"};

    @Test
    void testSources_printNothingThatReadsLikeAFailure() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int j = 0; j < lines.size(); j++) {
                    // A print statement and the line after it (its format string may continue there).
                    if (!lines.get(j).contains("System.out.print") && !lines.get(j).contains("System.err.print")) continue;
                    String text = (lines.get(j) + (j + 1 < lines.size() ? lines.get(j + 1) : "")).toLowerCase(Locale.ROOT);
                    for (String w : FAILURE_WORDS) if (text.contains(w)) found.add(f + ":" + (j + 1) + ": " + lines.get(j).trim());
                    if (text.contains("\\u001b") || text.contains("\\033")) found.add(f + ":" + (j + 1) + ": an ANSI escape");
                }
            }
        }
        assertThat(found).as("prints that read like failures in a passing run").isEmpty();
    }

    @Test
    void roundoffNote_readsAsAPass() {
        String note = GradCheckMatrixTest.roundoffNote("case", "layer 0 b (3)", 2.06e-7, 4.2e-11, 5.0e-11, 3.6);
        assertThat(note).contains("passes").contains("2.060e-07").contains("4.20e-11");
        for (String w : FAILURE_WORDS) assertThat(note.toLowerCase(Locale.ROOT)).doesNotContain(w);
    }

    /**
     * Maven with the environment the Makefile gives it (its exported MAVEN_OPTS) prints no escape
     * character under -B. Debian's Maven 3.8 with jansi 2 writes ESC[0m resets without
     * -Djansi.noreset=true; another Maven prints none either way, so the test holds there too.
     */
    @Test
    void maven_underTheMakefilesEnvironment_printsNoAnsiEscapes() throws Exception {
        String opts = run(List.of("make", "-s", "--no-print-directory", "--eval=print-maven-opts: ; @echo \"$$MAVEN_OPTS\"", "print-maven-opts"), null).trim();
        assertThat(opts).as("MAVEN_OPTS exported by the Makefile").contains("-Djansi.noreset=true");
        String log = run(List.of("mvn", "-B", "-ntp", "-o", "validate"), opts);
        assertThat(log).as("Maven's output").contains("BUILD SUCCESS").doesNotContain("\u001b");
    }

    /** Runs a command in the repository's folder, with MAVEN_OPTS set when mavenOpts is not null; its output (both streams). */
    private static String run(List<String> command, String mavenOpts) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        if (mavenOpts != null) b.environment().put("MAVEN_OPTS", mavenOpts);
        else b.environment().remove("MAVEN_OPTS");
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
