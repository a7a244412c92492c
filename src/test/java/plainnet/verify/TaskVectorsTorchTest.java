package plainnet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs examples/numpy/autograd_check.py on every committed vector with output groups or task
 * towers: forward, losses and optimizer steps in PyTorch (float64), every gradient by autograd,
 * compared with the vectors' expected values within their tolerances. A copy of one vector with
 * one expected dh entry moved must fail, naming it. Skipped where torch is missing (a failure
 * under CI=true, as {@link PyTorchExampleTest}).
 */
class TaskVectorsTorchTest {

    @TempDir
    Path dir;

    private static boolean torch() {
        try {
            Process p = new ProcessBuilder(PyTorchExampleTest.PYTHON, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void autograd_groupAndTowerVectors_agree_andAMovedValueFails() throws Exception {
        PyTorchExampleTest.requireTool(torch(), System.getenv("CI"), "torch");
        List<String> args = new ArrayList<String>(List.of(PyTorchExampleTest.PYTHON, "examples/numpy/autograd_check.py"));
        int groups = 0;
        try (Stream<Path> s = Files.list(Path.of("test-data/vectors"))) {
            for (Path p : s.sorted().toList()) {
                args.add(p.toString());
                if (Files.readString(p).contains("\"groups\"")) groups++;
            }
        }
        assertThat(groups).isEqualTo(4);
        // the negative control: towers_forward_backward with dh[0][0] moved, under another file name
        String text = Files.readString(Path.of("test-data/vectors/towers_forward_backward.json"));
        int dh = text.indexOf("\"dh\": [");
        int start = text.indexOf("[", text.indexOf("[", dh) + 1) + 1, end = text.indexOf(",", start);
        Path moved = dir.resolve("moved.json");
        Files.writeString(moved, text.substring(0, start) + (Double.parseDouble(text.substring(start, end)) + 1e-6) + text.substring(end));
        args.add(moved.toString());
        Process p = new ProcessBuilder(args).directory(new File(".")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).as(out).contains("autograd: " + (groups + 1) + " vectors").contains(" 1 failures")
            .contains("FAIL towers_forward_backward dh[0]: expected ");
    }
}
