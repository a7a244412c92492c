package plainnet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(one).contains("1. Transfer A -> B", "| 10    |", "| all   |", "2. Multi-task", "3. Negative control", "4. Mixed tasks", "| square ", "What the numbers say",
            "- Seventh task (square, 20 labels)");
        for (String f : List.of("transfer.svg", "multitask.svg", "scarce.svg", "mixed.svg", "report.txt")) {
            assertThat(dir.resolve("out2-40").resolve(f)).exists();
        }
        assertThat(Files.readString(dir.resolve("out2-40/transfer.svg"))).startsWith("<svg").endsWith("</svg>\n");
    }

    @Test
    void run_moreSteps_otherNumbers_soTablesComeFromTheRuns() throws Exception {
        assertThat(tables(run(tiny(2, 80)))).isNotEqualTo(tables(run(tiny(2, 40))));
    }

    @Test
    void transferTable_showsMeanAndStandardErrorAndTheStrategyValidationChose() {
        // acc[strategy][size][repeat] (test), made up so that the means and standard errors are known:
        // with 2 repeats, se = sample sd / √2 = |a − b| / 2.
        double[][][] acc = {
            {{0.70, 0.72}, {0.97, 0.99}},   // scratch: 0.710 ± 0.010, 0.980 ± 0.010
            {{0.80, 0.84}, {0.95, 0.95}},   // last layer: 0.820 ± 0.020, 0.950
            {{0.75, 0.75}, {0.96, 0.96}},
            {{0.72, 0.72}, {0.985, 0.985}}, // fine-tune: the best test mean at all
        };
        // Validation prefers last layer at 10 (clearly: lead 0.10 ± 0.005 over the runner-up) and
        // last two layers at all, with fine-tune all a close runner-up (0.005 ± 0.005: within noise).
        double[][][] val = {
            {{0.70, 0.70}, {0.90, 0.90}},
            {{0.90, 0.91}, {0.80, 0.80}},
            {{0.80, 0.80}, {0.99, 1.00}},
            {{0.70, 0.70}, {0.99, 0.99}},
        };
        Transfer t = new Transfer("closed_loop", new int[] {10, Demo.ALL}, acc, val, new double[] {0.97, 0.98});
        String table = t.table();
        assertThat(table).contains("| 10    | 0.710 ± 0.010   | 0.820 ± 0.020   | 0.750 ± 0.000   | 0.720 ± 0.000   | last layer           |");
        assertThat(table).contains("| all   | 0.980 ± 0.010   | 0.950 ± 0.000   | 0.960 ± 0.000   | 0.985 ± 0.000   | last two layers ≈    |");
        String v = Demo.verdicts(t, List.of(), multi(0.90, 0.70), control(0.90, 0.60));
        // the test numbers are those of validation's choice, not of the best test mean (fine-tune all at N = all)
        assertThat(v).contains("validation chose \"last layer\": 0.820 ± 0.020 vs scratch 0.710 ± 0.010 (+0.110 ± 0.010)", "retrain only the last layer(s): CONFIRMED");
        assertThat(v).contains("validation chose \"last two layers\" (≈ \"fine-tune all\"): 0.960 ± 0.000 vs last layer only 0.950 ± 0.000");
        assertThat(v).contains("Shared features help a task with few labels: CONFIRMED", "closed_loop is a function of the other five labels", "transfer gave no gain");

        double[][][] flipped = {val[1], val[0], val[2], val[3]}; // validation now prefers scratch at 10
        String w = Demo.verdicts(new Transfer("closed_loop", new int[] {10, Demo.ALL}, acc, flipped, new double[] {0.97, 0.98}),
            List.of(), multi(0.70, 0.90), control(0.60, 0.95));
        assertThat(w).contains("validation chose \"scratch\"", "retrain only the last layer(s): NOT confirmed", "Shared features help a task with few labels: NOT confirmed",
            "DID give a gain (unexpected for this control)");
    }

    @Test
    void standardErrorAndNoise_handComputed() {
        // {1, 2, 3, 4}: mean 2.5, sample variance (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3, se = √(5/3) / 2
        assertThat(Lab.se(new double[] {1, 2, 3, 4})).isCloseTo(Math.sqrt(5.0 / 3.0) / 2, org.assertj.core.api.Assertions.within(1e-15));
        // paired differences {0.10, 0.02}: mean 0.06, se 0.04, so 0.06 ≤ 2·0.04 is within noise
        assertThat(Lab.noise(new double[] {0.90, 0.92}, new double[] {0.80, 0.90})).isTrue();
        // {0.10, 0.11}: mean 0.105, se 0.005: outside
        assertThat(Lab.noise(new double[] {0.90, 0.91}, new double[] {0.80, 0.80})).isFalse();
    }

    @Test
    void lab_everyRepeatDrawsItsOwnValidationSplitFromTheTrainingRows() throws Exception {
        Demo.Settings s = tiny(1, 40);
        s.repeats = 3;
        DigitsData d = new DigitsData(s.data);
        Lab lab = new Lab(s, d, null, null);
        for (int r = 0; r < s.repeats; r++) {
            assertThat(lab.val[r]).hasSize(Lab.VALIDATION);
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int row : lab.val[r]) seen.add(row);
            for (int row : lab.rest[r]) assertThat(seen.add(row)).as("row %d in both parts of repeat %d", row, r).isTrue();
            for (int row : seen) assertThat(d.train[row]).as("row %d is a training row", row).isTrue();
            assertThat(seen).hasSize(lab.trainRows.length);
        }
        assertThat(lab.val[1]).isNotEqualTo(lab.val[0]);
        assertThat(java.util.Arrays.copyOf(lab.rest[1], 20)).isNotEqualTo(java.util.Arrays.copyOf(lab.rest[0], 20)); // B's first rows differ too
    }

    @Test
    void checkRepeats_needsAStandardErrorAndSeparateSeedBlocks() throws Exception {
        Demo.Settings s = tiny(1, 40);
        DigitsData d = new DigitsData(s.data);
        s.repeats = 1;
        assertThatThrownBy(() -> Demo.checkRepeats(s, d)).hasMessageContaining("--repeats: expected at most 100").hasMessageContaining("found 1");
        s.repeats = 101;
        assertThatThrownBy(() -> Demo.checkRepeats(s, d)).hasMessageContaining("found 101");
        s.repeats = 100;
        Demo.checkRepeats(s, d);
        s.transferSizes = new int[] {1198 - Lab.VALIDATION + 1};
        assertThatThrownBy(() -> Demo.checkRepeats(s, d)).hasMessageContaining("transfer size: expected at most 958");
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
        return new MultiTask("test", 32, m, s, new double[] {1, 1, 20, 1, 1, 1});
    }

    private static NegativeControl control(double scratch, double lastLayer) {
        return new NegativeControl(new int[] {5}, new double[][][] {{{scratch, scratch}}, {{lastLayer, lastLayer}}}, new double[] {0.99, 0.99});
    }
}
