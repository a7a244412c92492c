package plainnet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The logic of {@code make bench-compare} (examples/pytorch/compare.py and bench.py, SPEC.md
 * section 24) without torch and without timing: parsing plainnet's output, finding the BLAS torch
 * multiplies with, refusing a reference BLAS, choosing the fastest set-up as the peer, and the
 * environment of the PyTorch runs. The checks are plain Python (examples/pytorch/test_compare.py).
 */
class PyTorchCompareTest {

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void compareChecks_allPass() throws Exception {
        assumeTrue(python3(), "python3 is installed");
        Process p = new ProcessBuilder("python3", "examples/pytorch/test_compare.py").directory(new File(".")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("compare.py checks passed: 10\n");
    }
}
