package plainnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

    @TempDir
    Path dir;

    private Demo.Settings tiny(int threads, int steps) {
        Demo.Settings s = new Demo.Settings();
        s.out = dir.resolve("out" + threads + "-" + steps);
        s.repeats = 2;
        s.steps = steps;
        s.threads = threads;
        s.transferSizes = new int[] {10, Demo.ALL};
        s.controlSizes = new int[] {5};
        s.hiddenSizes = new int[] {4};
        return s;
    }

    private static String tables(String report) {
        return report.substring(0, report.indexOf("\nDemo finished")); // drop the timing line
    }

    private String run(Demo.Settings s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String report = Demo.run(s, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(report);
        return report;
    }

    @Test
    void run_shortened_tablesChartsAndReportWritten_sameForAnyThreadCount() throws Exception {
        String one = run(tiny(1, 40));
        String two = run(tiny(2, 40));
        assertThat(tables(two)).isEqualTo(tables(one));
        assertThat(one).contains("1. Transfer A -> B", "| 10    |", "| all   |", "2. Multi-task", "3. Negative control", "What the numbers say");
        for (String f : List.of("transfer.svg", "multitask.svg", "scarce.svg", "report.txt")) {
            assertThat(dir.resolve("out2-40").resolve(f)).exists();
        }
        assertThat(Files.readString(dir.resolve("out2-40/transfer.svg"))).startsWith("<svg").endsWith("</svg>\n");
    }

    @Test
    void run_moreSteps_otherNumbers_soTablesComeFromTheRuns() throws Exception {
        assertThat(tables(run(tiny(2, 80)))).isNotEqualTo(tables(run(tiny(2, 40))));
    }

    @Test
    void transferTable_showsMeanAndSdOfTheRunsAndTheBestStrategy() {
        // acc[strategy][size][repeat], made up so that the means and the winner are known.
        double[][][] acc = {
            {{0.70, 0.72}, {0.97, 0.99}},   // scratch: 0.710, 0.980
            {{0.80, 0.84}, {0.95, 0.95}},   // last layer: 0.820 (best at 10), 0.950
            {{0.75, 0.75}, {0.96, 0.96}},
            {{0.72, 0.72}, {0.985, 0.985}}, // fine-tune: best at all
        };
        Transfer t = new Transfer("closed_loop", new int[] {10, Demo.ALL}, acc, new double[] {0.97, 0.98});
        String table = t.table();
        assertThat(table).contains("| 10    | 0.710 ± 0.010   | 0.820 ± 0.020   | 0.750 ± 0.000   | 0.720 ± 0.000   | last layer      |");
        assertThat(table).contains("| all   | 0.980 ± 0.010   | 0.950 ± 0.000   | 0.960 ± 0.000   | 0.985 ± 0.000   | fine-tune all   |");
        String v = Demo.verdicts(t, List.of(), multi(0.90, 0.70), control(0.90, 0.60));
        assertThat(v).contains("best is \"last layer\" (0.820 vs scratch 0.710)", "retrain only the last layer(s): CONFIRMED");
        assertThat(v).contains("best is \"fine-tune all\" (0.985", "retrain more, up to all parameters: CONFIRMED");
        assertThat(v).contains("Shared features help a task with few labels: CONFIRMED", "transfer gave no gain");

        double[][][] flipped = {acc[1], acc[0], acc[2], acc[3]}; // scratch now wins at 10
        String w = Demo.verdicts(new Transfer("closed_loop", new int[] {10, Demo.ALL}, flipped, new double[] {0.97, 0.98}),
            List.of(), multi(0.70, 0.90), control(0.60, 0.95));
        assertThat(w).contains("retrain only the last layer(s): NOT confirmed", "Shared features help a task with few labels: NOT confirmed",
            "DID give a gain (unexpected for this control)");
    }

    /** A scarce-task result whose closed_loop accuracies are the given ones (other tasks 0.9). */
    private static MultiTask multi(double multiClosedLoop, double separateClosedLoop) {
        double[][] m = new double[6][2], s = new double[6][2];
        for (int k = 0; k < 6; k++) {
            m[k] = new double[] {0.9, 0.9};
            s[k] = new double[] {0.9, 0.9};
        }
        int cl = Demo.index("closed_loop");
        m[cl] = new double[] {multiClosedLoop, multiClosedLoop};
        s[cl] = new double[] {separateClosedLoop, separateClosedLoop};
        return new MultiTask("test", 32, m, s, new int[] {1, 1, 20, 1, 1, 1});
    }

    private static NegativeControl control(double scratch, double lastLayer) {
        return new NegativeControl(new int[] {5}, new double[][][] {{{scratch, scratch}}, {{lastLayer, lastLayer}}}, new double[] {0.99, 0.99});
    }
}
