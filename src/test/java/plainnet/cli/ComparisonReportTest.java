package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The table logic of transfer --strategy auto and compare-tasks on made-up numbers (SPEC.md §20,
 * §21). With R = 2 repeats the paired difference d = (d₁, d₂) has mean (d₁ + d₂)/2 and standard
 * error sd/√2 = |d₁ − d₂|/2, so "within noise" (|mean| ≤ 2·se) reads |d₁ + d₂| ≤ 2·|d₁ − d₂|.
 */
class ComparisonReportTest {

    private static final String[] ARMS = {"scratch", "last layer", "last two layers", "fine-tune all", "gradual"};

    private static double[][] loss(int arms) {
        double[][] l = new double[arms][];
        for (int a = 0; a < arms; a++) l[a] = new double[] {0.3, 0.3};
        return l;
    }

    @Test
    void strategyReport_clearWinner_chosenWithoutApprox_andDifferencesToScratch() {
        double[][] m = {
            {0.80, 0.82},   // scratch 0.810 ± 0.010
            {0.90, 0.91},   // last layer: d = (0.10, 0.09): +0.095 ± 0.005, beyond noise; the best mean
            {0.85, 0.83},   // d = (0.05, 0.01): +0.030 ± 0.020, |0.03| ≤ 0.04: ≈
            {0.80, 0.80},   // d = (0, −0.02): −0.010 ± 0.010: ≈
            {0.70, 0.80},   // d = (−0.10, −0.02): −0.060 ± 0.040: ≈
        };
        String t = Strategies.report("accuracy", false, ARMS, m, loss(5));
        assertThat(t).contains("| scratch         | 0.810 ± 0.010   |                    |");
        assertThat(t).contains("| last layer      | 0.905 ± 0.005   | +0.095 ± 0.005     | 0.300 ± 0.000   | <- chosen");
        assertThat(t).contains("| last two layers | 0.840 ± 0.010   | +0.030 ± 0.020 ≈   |");
        assertThat(t).contains("| fine-tune all   | 0.800 ± 0.000   | -0.010 ± 0.010 ≈   |");
        assertThat(t).contains("| gradual         | 0.750 ± 0.050   | -0.060 ± 0.040 ≈   |");
        // runner-up "last two layers": d = (0.05, 0.08), mean 0.065, se 0.015: beyond noise, so no ≈ on the choice
        assertThat(t).contains("chosen on validation: last layer\n").doesNotContain("negative transfer");
    }

    @Test
    void strategyReport_runnerUpWithinNoise_marksTheChoiceApprox() {
        double[][] m = {
            {0.80, 0.80},
            {0.90, 0.88},   // mean 0.890, the choice
            {0.87, 0.90},   // mean 0.885, runner-up: d = (0.03, −0.02), mean 0.005 ≤ 2·0.025
            {0.70, 0.70},
            {0.70, 0.70},
        };
        assertThat(Strategies.report("accuracy", false, ARMS, m, loss(5)))
            .contains("chosen on validation: last layer (≈ \"last two layers\": validation cannot tell them apart)");
    }

    @Test
    void strategyReport_scratchBeatsEveryTransferBeyondNoise_saysNegativeTransfer() {
        double[][] m = {
            {0.90, 0.92},   // scratch
            {0.80, 0.81},   // d = (0.10, 0.11) from scratch's side: beyond noise
            {0.70, 0.70},
            {0.85, 0.86},   // d = (0.05, 0.06): beyond noise
            {0.60, 0.61},
        };
        String t = Strategies.report("accuracy", false, ARMS, m, loss(5));
        assertThat(t).contains("chosen on validation: scratch").contains("| scratch         | 0.910 ± 0.010   |                    | 0.300 ± 0.000   | <- chosen")
            .contains("negative transfer: the pre-trained features do not help this task");
    }

    @Test
    void negativeTransfer_oneTransferArmWithinNoiseOrAbove_isNotClaimed() {
        // fine-tune all: d = (0.05, −0.01) from scratch: mean 0.02 ≤ 2·0.03, within noise
        assertThat(Strategies.negativeTransfer(new double[][] {{0.90, 0.92}, {0.80, 0.81}, {0.85, 0.93}})).isFalse();
        // a transfer arm with the higher mean
        assertThat(Strategies.negativeTransfer(new double[][] {{0.90, 0.92}, {0.95, 0.96}})).isFalse();
        assertThat(Strategies.negativeTransfer(new double[][] {{0.90, 0.92}, {0.80, 0.81}})).isTrue();
    }

    @Test
    void strategyReport_mse_lowerIsBetter() {
        double[][] m = {{0.50, 0.52}, {0.20, 0.21}, {0.90, 0.90}, {0.90, 0.90}, {0.90, 0.90}};
        String t = Strategies.report("mse", true, ARMS, m, loss(5));
        assertThat(t).contains("| val mse  ").doesNotContain("val accuracy");
        assertThat(t).contains("chosen on validation: last layer").doesNotContain("negative transfer");
        // scratch with the lowest mse beyond noise against every other arm
        assertThat(Strategies.report("mse", true, ARMS, new double[][] {{0.10, 0.11}, {0.50, 0.52}, {0.40, 0.40}, {0.30, 0.31}, {0.60, 0.60}}, loss(5)))
            .contains("negative transfer");
    }

    @Test
    void bestRepeat_highestOrLowest_firstOnATie() {
        assertThat(Strategies.bestRepeat(new double[] {0.8, 0.9, 0.9}, false)).isEqualTo(1);
        assertThat(Strategies.bestRepeat(new double[] {0.8, 0.9, 0.7}, true)).isEqualTo(2);
    }

    @Test
    void compareTasksReport_flagsTheTaskSharingHurtsBeyondNoise_andSuggestsAWiderNetwork() {
        String[] tasks = {"t1", "t2", "t3"};
        double[][] multi = {{0.90, 0.92}, {0.70, 0.72}, {0.80, 0.90}};
        double[][] separate = {{0.89, 0.90}, {0.80, 0.81}, {0.85, 0.84}};
        // t1: d = (0.01, 0.02): +0.015 ± 0.005, better beyond noise (no flag);
        // t2: d = (−0.10, −0.09): −0.095 ± 0.005, worse beyond noise: hurt;
        // t3: d = (−0.05, 0.06): +0.005 ± 0.055: ≈.
        String t = CompareTasks.report("accuracy", false, tasks, new double[] {50, 40, 30}, multi, separate, "8:tanh,4:relu");
        assertThat(t).contains("| t1              |      50 | 0.910 ± 0.010   | 0.895 ± 0.005   | +0.015 ± 0.005       |\n");
        assertThat(t).contains("| t2              |      40 | 0.710 ± 0.010   | 0.805 ± 0.005   | -0.095 ± 0.005       | <- hurt\n");
        assertThat(t).contains("| t3              |      30 | 0.850 ± 0.050   | 0.845 ± 0.005   | +0.005 ± 0.055 ≈     |\n");
        // mean over tasks: multi (0.8, 0.8467), separate (0.8467, 0.85): d = (−0.0467, −0.0033), mean −0.025 ± 0.0217: ≈
        assertThat(t).contains("| mean over tasks |         | 0.823 ± 0.023   | 0.848 ± 0.002   | -0.025 ± 0.022 ≈     |");
        assertThat(t).contains("the shared network hurts t2 beyond noise").contains("try a wider one, e.g. --hidden 16:tanh,8:relu");
    }

    @Test
    void compareTasksReport_noTaskHurt_saysSo_noSuggestion() {
        String t = CompareTasks.report("accuracy", false, new String[] {"a", "b"}, new double[] {10, 10}, new double[][] {{0.9, 0.9}, {0.8, 0.82}},
            new double[][] {{0.9, 0.9}, {0.8, 0.8}}, "32:tanh");
        assertThat(t).contains("the shared network hurts no task beyond noise.").doesNotContain("<- hurt").doesNotContain("--hidden");
    }

    @Test
    void hurts_mse_higherErrorBeyondNoise() {
        assertThat(CompareTasks.hurts(new double[] {0.30, 0.31}, new double[] {0.20, 0.20}, true)).isTrue();
        assertThat(CompareTasks.hurts(new double[] {0.30, 0.31}, new double[] {0.20, 0.20}, false)).isFalse();
        assertThat(CompareTasks.hurts(new double[] {0.20, 0.20}, new double[] {0.30, 0.31}, true)).isFalse();
    }

    @Test
    void wider_doublesEveryLayer_orSuggestsOneLayer() {
        assertThat(CompareTasks.wider("32:tanh,16:leaky_relu(0.1)")).isEqualTo("64:tanh,32:leaky_relu(0.1)");
        assertThat(CompareTasks.wider("8")).isEqualTo("16");
        assertThat(CompareTasks.wider("")).isEqualTo("32:tanh");
    }
}
