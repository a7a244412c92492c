package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Rng;

/**
 * compare-tasks --group end to end through Main.run (SPEC.md §21): tasks of mixed kinds as output
 * groups with towers, the multi-task network against one network per group under the protocol.
 * The expectations come from invariants (one group: both arms are the same network; a fully
 * labeled first group's separate network is the one-group run's network; the thread count changes
 * nothing) and from counts computed here from the split that SPEC.md §20.1 specifies.
 */
class CompareGroupsCliTest {

    @TempDir
    Path dir;

    private Cli cli;

    /**
     * 120 rows: features a, b, c; t1 = [a + b > 0] (every third row unlabeled), t2 = [a − c > 0]
     * (every row labeled); cls = 0/1/2 by a (every fifth row unlabeled); y = 2a + b (every fourth
     * row unlabeled).
     */
    @BeforeEach
    void data() throws Exception {
        cli = new Cli(dir);
        Rng rng = new Rng(7);
        StringBuilder s = new StringBuilder("a,b,c,t1,t2,cls,y\n");
        for (int n = 0; n < 120; n++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian(), c = rng.nextGaussian();
            int cls = a > 0.5 ? 2 : a > -0.5 ? 1 : 0;
            s.append(a).append(',').append(b).append(',').append(c).append(',').append(n % 3 == 0 ? "" : a + b > 0 ? "1" : "0").append(',')
                .append(a - c > 0 ? 1 : 0).append(',').append(n % 5 == 0 ? "?" : String.valueOf(cls)).append(',').append(n % 4 == 0 ? "" : String.valueOf(2 * a + b)).append('\n');
        }
        Files.writeString(dir.resolve("d.csv"), s);
    }

    private static final String[] MIXED = {"--group", "tasks:bce:t1,t2:tower=4:relu", "--group", "digit:softmax:cls", "--group", "value:mse:y:weight=0.5"};

    private int compare(String threads, String... extra) {
        List<String> a = new ArrayList<>(List.of("compare-tasks", "--data", "@d.csv", "--features", "a..c", "--hidden", "6:tanh", "--repeats", "2", "--steps", "40",
            "--threads", threads));
        a.addAll(List.of(extra));
        return cli.run(a.toArray(new String[0]));
    }

    private static String[] with(String[] a, String... b) {
        String[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The mean over the repeats r = 0, 1 of the training rows (outside repeat r's 24 validation rows, SPEC.md §20.1) for which labeled(n) holds. */
    private static String meanTrainingRows(java.util.function.IntPredicate labeled) {
        double sum = 0;
        for (int r = 0; r < 2; r++) {
            int[] order = new int[120];
            for (int n = 0; n < 120; n++) order[n] = n;
            new Rng(1 + r).shuffle(order); // --split-seed 1: repeat r shuffles with Rng(1 + r); V = round(0.2 · 120) = 24
            for (int j = 24; j < 120; j++) if (labeled.test(order[j])) sum++;
        }
        return String.format(java.util.Locale.ROOT, "%.0f", sum / 2);
    }

    @Test
    void mixedGroups_tablePerGroupWithItsMetric_sameForOneAndTwoThreads() throws Exception {
        assertThat(compare("1", MIXED)).as(cli.err).isZero();
        String one = cli.out;
        assertThat(cli.err).contains("repeat 1/2: multi-task", "repeat 2/2: separate value", "group digit: softmax on cls (3 outputs)");
        assertThat(compare("2", with(MIXED, "--quiet"))).as(cli.err).isZero();
        assertThat(cli.err).isEmpty();
        assertThat(cli.out).isEqualTo(one);
        assertThat(one).contains("one network for all 3 groups (a trunk --hidden 6:tanh and each group's tower) vs one per group");
        assertThat(one).contains("| task            | metric   | labeled | multi-task      | separate        | multi - separate     |");
        // labeled: the training rows that label the group, counted here from the split
        assertThat(one).contains("| tasks           | accuracy |      96 |");
        assertThat(one).contains("| digit           | accuracy | " + String.format("%7s", meanTrainingRows(n -> n % 5 != 0)) + " |");
        assertThat(one).contains("| value           | mse      | " + String.format("%7s", meanTrainingRows(n -> n % 4 != 0)) + " |");
        assertThat(one).doesNotContain("mean over tasks"); // accuracies and an mse do not average
        assertThat(one).containsAnyOf("the shared network hurts no task beyond noise.", "try a wider one, e.g. --hidden 12:tanh");
    }

    @Test
    void oneGroup_bothArmsAreTheSameNetwork_sameNumbersDifferenceExactlyZero() throws Exception {
        // With one group the multi-task network and the group's separate network are the same
        // layers from the same draws, trained on the same rows (every row labels the digit).
        assertThat(cli.run("compare-tasks", "--data", Path.of("test-data/digits/digits.csv").toAbsolutePath().toString(),
            "--features", "pixel_0_0..pixel_7_7", "--hidden", "8:tanh", "--group", "digit:softmax:digit", "--repeats", "2", "--steps", "30", "--threads", "2"))
            .as(cli.err).isZero();
        Matcher m = Pattern.compile("\\| digit +\\| +1438 \\| (\\S+ ± \\S+) +\\| (\\S+ ± \\S+) +\\| \\+0\\.000 ± 0\\.000 ≈ +\\|").matcher(cli.out);
        assertThat(m.find()).as(cli.out).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(2));
        assertThat(cli.out).contains("the shared network hurts no task beyond noise.");
        // the progress lines: per repeat the two runs report the same metric, loss, rate and kept epoch
        List<String> runs = new ArrayList<>();
        for (String l : cli.err.split("\n")) if (l.contains(": multi-task ") || l.contains(": separate digit")) runs.add(l.replaceAll("multi-task|separate digit", "").replaceAll(" +", " "));
        assertThat(runs).hasSize(4);
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        assertThat(runs.get(3)).isEqualTo(runs.get(2));
    }

    @Test
    void fullyLabeledFirstGroup_itsSeparateNetworkIsTheOneGroupRun() throws Exception {
        // Group 1's tower is drawn right after the trunk, so its separate network starts from the
        // weights of a run with --group tasks alone; t2 labels every row, so it trains on the same rows.
        assertThat(compare("2", with(MIXED, "--quiet"))).as(cli.err).isZero();
        String sep = cell(cli.out, "tasks", 2);
        assertThat(compare("2", "--quiet", "--group", "tasks:bce:t1,t2:tower=4:relu")).as(cli.err).isZero();
        assertThat(cell(cli.out, "tasks", 1)).isEqualTo(sep);
        assertThat(cell(cli.out, "tasks", 2)).isEqualTo(sep);
    }

    /** The table cell of a row: column 1 = multi-task, 2 = separate (after the task and labeled columns, and metric when present). */
    private static String cell(String out, String task, int column) {
        for (String l : out.split("\n")) {
            if (!l.startsWith("| " + task + " ")) continue;
            String[] c = l.split("\\|");
            int first = c.length == 8 ? 4 : 3; // "", task, [metric,] labeled, multi, separate, difference, flag
            return c[first + column - 1].trim();
        }
        throw new AssertionError("no row " + task + " in\n" + out);
    }

    @Test
    void groupsHistory_linesPerRunAndChart() throws Exception {
        assertThat(compare("2", with(MIXED, "--quiet", "--history", "@h.csv"))).as(cli.err).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("h.csv"));
        assertThat(lines.get(0)).isEqualTo("run,repeat,lr,epoch,trainable_from,train_loss,val_loss,val_metric,kept,chosen_rate");
        assertThat(lines).anyMatch(l -> l.startsWith("multi-task,1,0.005,1,0,")).anyMatch(l -> l.startsWith("separate value,2,0.02,1,0,"));
        // the groups' metrics differ (accuracy, accuracy, mse): the multi-task network's column is empty;
        // a separate network has one group, so its column holds that group's metric: an accuracy in [0, 1]
        // for digit, an mse ≥ 0 for value
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            assertThat(f).as(l).hasSize(l.startsWith("multi-task") ? 9 + 1 : 10);
            if (l.startsWith("multi-task")) assertThat(f[7]).as(l).isEmpty();
            else if (l.startsWith("separate digit")) assertThat(Double.parseDouble(f[7])).as(l).isBetween(0.0, 1.0);
            else assertThat(Double.parseDouble(f[7])).as(l).isGreaterThanOrEqualTo(0.0);
        }
        // one kept epoch per run (1 multi-task + 3 separate) and repeat
        assertThat(lines.stream().filter(l -> l.endsWith(",1,1")).count()).isEqualTo(8);
        assertThat(Files.readString(dir.resolve("h.svg"))).contains("multi-task (1 net)", "separate (3 nets)");
    }

    @Test
    void groupsRefusals_sayWhatToFix() throws Exception {
        assertThat(compare("1", with(MIXED, "--labels", "t1,t2"))).isEqualTo(2);
        assertThat(cli.err).contains("option --labels does not go with --group");
        assertThat(compare("1", with(MIXED, "--loss", "mse"))).isEqualTo(2);
        assertThat(cli.err).contains("option --loss does not go with --group");
        assertThat(cli.run(with(new String[] {"compare-tasks", "--data", "@d.csv", "--features", "a..c", "--hidden", ""}, MIXED))).isEqualTo(2);
        assertThat(cli.err).contains("option --hidden expected at least one layer with --group");
        assertThat(compare("1", "--group", "value:mse:y:weight=2")).isEqualTo(2);
        assertThat(cli.err).contains("weight= needs several groups");
        assertThat(compare("1", "--group", "a:bce:t1", "--group", "a:bce:t2")).isEqualTo(2);
        assertThat(cli.err).contains("option --group a given twice");
        assertThat(compare("1", "--group", "a:sigmoid:t1")).isEqualTo(2);
        assertThat(cli.err).contains("expected a kind");
    }

    @Test
    void report_mixedMetrics_hurtOnTheWorseSideOfEach_widerSuggestion() {
        // R = 2: d = (d1, d2) has mean (d1 + d2)/2 and se |d1 − d2|/2.
        double[][] multi = {{0.80, 0.82}, {0.30, 0.32}, {0.20, 0.10}};
        double[][] separate = {{0.90, 0.91}, {0.20, 0.21}, {0.25, 0.05}};
        String t = CompareTasks.report(new String[] {"accuracy", "mse", "mse"}, new boolean[] {false, true, true}, new String[] {"A", "B", "C"},
            new double[] {50, 40, 30}, multi, separate, "6:tanh,4:relu");
        // A: d = (−0.10, −0.09): −0.095 ± 0.005, lower accuracy beyond noise: hurt
        assertThat(t).contains("| A               | accuracy |      50 | 0.810 ± 0.010   | 0.905 ± 0.005   | -0.095 ± 0.005       | <- hurt\n");
        // B: d = (0.10, 0.11): +0.105 ± 0.005, higher mse beyond noise: hurt
        assertThat(t).contains("| B               | mse      |      40 | 0.310 ± 0.010   | 0.205 ± 0.005   | +0.105 ± 0.005       | <- hurt\n");
        // C: d = (−0.05, 0.05): 0.000 ± 0.050: within noise
        assertThat(t).contains("| C               | mse      |      30 | 0.150 ± 0.050   | 0.150 ± 0.100   | +0.000 ± 0.050 ≈     |\n");
        assertThat(t).doesNotContain("mean over tasks");
        assertThat(t).contains("the shared network hurts A, B beyond noise (validation metric worse than its separate network by more than 2 standard errors).\n")
            .contains("try a wider one, e.g. --hidden 12:tanh,8:relu\n");
    }
}
