package plainnet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs examples/numpy/run_vectors.py, the independent numpy implementation, against every committed
 * vector. Skipped, with a message, where python3 or numpy is missing. It needs the jar, which the
 * test builds into a temporary folder with the JDK's javac and jar (as make jar does).
 */
class NumpyExampleTest {

    private static boolean numpyAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void numpyExample_everyVector_passesVerify() throws Exception {
        boolean available = numpyAvailable();
        if (!available) System.out.println("NumpyExampleTest: skipped: python3 with numpy is not installed here");
        assumeTrue(available, "python3 with numpy is not installed: skipping the numpy example");
        Path jar = Path.of("target/plainnet.jar");
        Process make = new ProcessBuilder("make", "-s", "jar").redirectErrorStream(true).start();
        String makeOut = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(make.waitFor(300, TimeUnit.SECONDS) && make.exitValue() == 0).as("make jar: " + makeOut).isTrue();
        assertThat(jar).exists();
        Path results = Files.createTempDirectory("numpy-results");
        Process p = new ProcessBuilder("python3", "examples/numpy/run_vectors.py", "--out", results.toString())
            .directory(new File(".")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("44 passed, 0 failed");
    }
}
