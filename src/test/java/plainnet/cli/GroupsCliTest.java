package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Rng;
import plainnet.io.ModelFile;

/**
 * Output groups on the command line (SPEC.md §27.7): one --group is today's --labels/--loss
 * network bit for bit and byte for byte; several groups train, evaluate (checked against the
 * predictions and the labels, computed here), predict, gradcheck and info; adding a task keeps
 * the old outputs' bits, removing one keeps the rest; the errors name what to fix.
 */
class GroupsCliTest {

    @TempDir
    Path dir;

    private Cli cli;

    /**
     * 120 rows: features a, b, c; t1 = [a + b > 0] (every third row unlabeled), t2 = [a − c > 0];
     * cls = 0/1/2 by a (every fifth row unlabeled); y = 2a + b (every fourth row unlabeled).
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

    private int run(String... args) {
        return cli.run(args);
    }

    private int train(String model, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", "@d.csv", "--features", "a..c", "--quiet", "--out", "@" + model));
        a.addAll(List.of(extra));
        if (!a.contains("--epochs")) a.addAll(List.of("--epochs", "4"));
        return run(a.toArray(new String[0]));
    }

    private byte[] bytes(String name) throws Exception {
        return Files.readAllBytes(dir.resolve(name));
    }

    /** The three-group model of most tests: a softmax class, two bce tasks with a tower, a weighted mse value. */
    private void mixed(String model, String... extra) {
        List<String> a = new ArrayList<>(List.of("--hidden", "6:tanh", "--group", "digit:softmax:cls", "--group", "tasks:bce:t1,t2:tower=4:relu",
            "--group", "value:mse:y:weight=0.5"));
        a.addAll(List.of(extra));
        if (!a.contains("--lr")) a.addAll(List.of("--lr", "0.02"));
        assertThat(train(model, a.toArray(new String[0]))).as(cli.err).isZero();
    }

    // ----------------------------------------------------------------------------------------
    // one group = today's network

    @Test
    void train_oneSoftmaxGroupWithTower_sameBytesAsLabelsLoss() throws Exception {
        assertThat(train("a.json", "--labels", "cls", "--loss", "softmax", "--hidden", "6:tanh,4:relu")).as(cli.err).isZero();
        String out = cli.out;
        assertThat(train("b.json", "--group", "digit:softmax:cls:tower=4:relu", "--hidden", "6:tanh")).as(cli.err).isZero();
        assertThat(bytes("b.json")).isEqualTo(bytes("a.json"));
        assertThat(cli.out.replace("b.json", "a.json")).isEqualTo(out);
    }

    @Test
    void train_oneBceGroupWithWeightsAndReduction_sameBytesAsOptions() throws Exception {
        assertThat(train("a.json", "--labels", "t1,t2", "--pos-weight", "2,1", "--task-weight", "1,0.5", "--reduction", "mean_labeled", "--hidden", "5:tanh")).as(cli.err).isZero();
        assertThat(train("b.json", "--group", "t:bce:t1,t2:pos-weight=2,1:task-weight=1,0.5:reduction=mean_labeled", "--hidden", "5:tanh")).as(cli.err).isZero();
        assertThat(bytes("b.json")).isEqualTo(bytes("a.json"));
    }

    @Test
    void train_oneMseGroupWithSplitPatienceStandardizeHistory_sameBytesAsOptions() throws Exception {
        String[] common = {"--hidden", "5:tanh", "--split", "0.25", "--patience", "2", "--standardize", "--threads", "2"};
        List<String> a = new ArrayList<>(List.of("--labels", "y", "--loss", "mse", "--history", "@ha.csv"));
        a.addAll(Arrays.asList(common));
        assertThat(train("a.json", a.toArray(new String[0]))).as(cli.err).isZero();
        List<String> b = new ArrayList<>(List.of("--group", "value:mse:y", "--history", "@hb.csv"));
        b.addAll(Arrays.asList(common));
        assertThat(train("b.json", b.toArray(new String[0]))).as(cli.err).isZero();
        assertThat(bytes("b.json")).isEqualTo(bytes("a.json"));
        assertThat(withoutSeconds("hb.csv")).isEqualTo(withoutSeconds("ha.csv"));
    }

    /** The history's lines without the seconds column (the only one that differs between runs). */
    private List<String> withoutSeconds(String file) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve(file))) lines.add(l.substring(0, l.lastIndexOf(',')));
        return lines;
    }

    // ----------------------------------------------------------------------------------------
    // several groups

    @Test
    void train_groups_savesVersion2WithTowersAndHistoryPerGroup() throws Exception {
        mixed("m.json", "--split", "0.2", "--history", "@h.csv");
        ModelFile m = ModelFile.load(dir.resolve("m.json"));
        assertThat(m.groupCount()).isEqualTo(3);
        assertThat(m.tasks).containsExactly("cls=0", "cls=1", "cls=2", "t1", "t2", "y");
        assertThat(m.taskNet.tower(1).size()).isEqualTo(2);
        assertThat(m.group(2).weight).isEqualTo(0.5);
        assertThat(Files.readString(dir.resolve("m.json"))).contains("\"version\": 2");
        assertThat(Files.readAllLines(dir.resolve("h.csv")).get(0))
            .isEqualTo("epoch,stage,trainable_from,lr,train_loss,val_loss,val_digit_accuracy,val_tasks_accuracy,val_value_mse,kept,seconds");
        assertThat(cli.out).contains("validation metrics (24 rows)", "group digit (softmax", "group tasks (bce", "group value (mse", "rmse", "mae");
    }

    @Test
    void train_groupsWithValidationFileAndPatience_keepsTheBestEpochAndSaysSo() throws Exception {
        Files.copy(dir.resolve("d.csv"), dir.resolve("v.csv"));
        mixed("m.json", "--validation", "@v.csv", "--patience", "2", "--epochs", "40", "--lr", "0.2", "--history", "@h.csv");
        assertThat(cli.out).contains("validation metrics (120 rows)");
        List<String> h = Files.readAllLines(dir.resolve("h.csv"));
        // the kept epoch (kept = 1) has the lowest validation loss of all epochs, and the report names it
        int kept = 0;
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        for (String line : h.subList(1, h.size())) {
            String[] f = line.split(",");
            double v = Double.parseDouble(f[5]);
            if (v < best) {
                best = v;
                bestEpoch = Integer.parseInt(f[0]);
            }
            if (f[f.length - 2].equals("1")) kept = Integer.parseInt(f[0]);
        }
        assertThat(kept).isEqualTo(bestEpoch);
        if (kept < h.size() - 1) assertThat(cli.out).contains("kept the weights of epoch " + kept + " of " + (h.size() - 1));
    }

    @Test
    void validationFile_changesNoWeight_inTrainAndInAddTaskOnACachedFrozenTrunk() throws Exception {
        // The progress line's metrics run the network on the validation rows between epochs; that
        // must not disturb training: the same weights with and without validation data.
        Files.copy(dir.resolve("d.csv"), dir.resolve("v.csv"));
        mixed("a.json");
        mixed("b.json", "--validation", "@v.csv");
        assertThat(bytes("b.json")).isEqualTo(bytes("a.json"));
        // the new task's column: t2 again as t3 (a column belongs to one group only, and the model's group tasks reads t2)
        List<String> lines = Files.readAllLines(dir.resolve("d.csv"));
        StringBuilder e = new StringBuilder(lines.get(0)).append(",t3\n");
        for (String line : lines.subList(1, lines.size())) e.append(line).append(',').append(line.split(",", -1)[4]).append('\n');
        Files.writeString(dir.resolve("e.csv"), e);
        Files.writeString(dir.resolve("w.csv"), e);
        assertThat(run("transfer", "--model", "@a.json", "--data", "@e.csv", "--add-task", "s:bce:t3:tower=3", "--epochs", "3", "--quiet", "--out", "@c.json")).as(cli.err).isZero();
        assertThat(run("transfer", "--model", "@a.json", "--data", "@e.csv", "--add-task", "s:bce:t3:tower=3", "--epochs", "3", "--validation", "@w.csv",
            "--out", "@d.json")).as(cli.err).isZero();
        assertThat(cli.err).contains("val acc digit", " s ");
        assertThat(bytes("d.json")).isEqualTo(bytes("c.json"));
    }

    @Test
    void addTask_oneLayerModel_isRefused() {
        assertThat(train("a.json", "--labels", "t1", "--hidden", "")).isZero();
        assertThat(run("transfer", "--model", "@a.json", "--data", "@d.csv", "--add-task", "v:mse:y", "--out", "@b.json")).isEqualTo(2);
        assertThat(cli.err).contains("option --add-task needs a model of at least 2 layers");
    }

    @Test
    void train_groups_threadCountChangesNoBit() throws Exception {
        mixed("a.json", "--threads", "1");
        mixed("b.json", "--threads", "3");
        assertThat(bytes("b.json")).isEqualTo(bytes("a.json"));
    }

    @Test
    void evaluate_groups_agreesWithPredictionsAndLabelsComputedHere() throws Exception {
        mixed("m.json");
        assertThat(run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", "@p.csv")).as(cli.err).isZero();
        List<String> p = Files.readAllLines(dir.resolve("p.csv"));
        assertThat(p.get(0)).isEqualTo("line,cls=0,cls=1,cls=2,digit,t1,t2,y");
        List<String> d = Files.readAllLines(dir.resolve("d.csv"));
        // labeled entries only: softmax accuracy, bce accuracy of t1 (σ ≥ 0.5 is positive), RMSE and MAE of y
        int correct = 0, classRows = 0, t1Right = 0, t1Rows = 0, yRows = 0;
        double se = 0, ae = 0;
        for (int n = 1; n < p.size(); n++) {
            String[] q = p.get(n).split(","), r = d.get(n).split(",", -1);
            double[] probs = {Double.parseDouble(q[1]), Double.parseDouble(q[2]), Double.parseDouble(q[3])};
            int best = probs[1] > probs[0] ? 1 : 0;
            if (probs[2] > probs[best]) best = 2;
            assertThat(Integer.parseInt(q[4])).as("the class column is the most probable class").isEqualTo(best);
            if (!r[5].equals("?")) {
                classRows++;
                if (best == Integer.parseInt(r[5])) correct++;
            }
            if (!r[3].isEmpty()) {
                t1Rows++;
                if ((Double.parseDouble(q[5]) >= 0.5) == r[3].equals("1")) t1Right++;
            }
            if (!r[6].isEmpty()) {
                yRows++;
                double e = Double.parseDouble(q[7]) - Double.parseDouble(r[6]);
                se += e * e;
                ae += Math.abs(e);
            }
        }
        assertThat(run("evaluate", "--model", "@m.json", "--data", "@d.csv")).as(cli.err).isZero();
        String ev = cli.out;
        assertThat(ev).contains(String.format(Locale.ROOT, "accuracy %.4f (%d of %d labeled rows)", (double) correct / classRows, correct, classRows));
        assertThat(classRows).isEqualTo(96);
        Matcher t1 = Pattern.compile("\\nt1 +(\\d+) +\\d+ +\\S+ +(\\S+)").matcher(ev);
        assertThat(t1.find()).as(ev).isTrue();
        assertThat(Integer.parseInt(t1.group(1))).isEqualTo(t1Rows).isEqualTo(80);
        assertThat(t1.group(2)).isEqualTo(String.format(Locale.ROOT, "%.4f", (double) t1Right / t1Rows));
        Matcher y = Pattern.compile("\\ny +(\\d+) +(\\S+) +(\\S+) +(\\S+)").matcher(ev);
        assertThat(y.find()).as(ev).isTrue();
        assertThat(Integer.parseInt(y.group(1))).isEqualTo(yRows).isEqualTo(90);
        assertThat(Double.parseDouble(y.group(3))).isCloseTo(Math.sqrt(se / yRows), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(Double.parseDouble(y.group(4))).isCloseTo(ae / yRows, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void gradcheckAndInfo_groups_passAndShowTheTowers() {
        mixed("m.json");
        assertThat(run("gradcheck", "--model", "@m.json", "--data", "@d.csv", "--rows", "6")).as(cli.out + cli.err).isZero();
        assertThat(cli.out).contains("trunk layer 0 W", "tower tasks layer 1 W", "gradient check passed");
        assertThat(run("info", "--model", "@m.json")).isZero();
        assertThat(cli.out).contains("5 layers (a trunk of 1, 3 towers)", "group tasks: bce", "weight 0.5", "outputs 5..5 (y)");
    }

    // ----------------------------------------------------------------------------------------
    // adding and removing a task

    @Test
    void addTask_oldPartsFrozen_oldOutputsBitIdenticalAndNewTaskLearns() throws Exception {
        mixed("m.json");
        assertThat(run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", "@before.csv")).isZero();
        // data that labels only the new task: the old tasks' columns are absent
        List<String> d = Files.readAllLines(dir.resolve("d.csv"));
        StringBuilder only = new StringBuilder("a,b,c,z\n");
        for (int n = 1; n < d.size(); n++) {
            String[] r = d.get(n).split(",", -1);
            only.append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append(',').append(Double.parseDouble(r[2]) > 0 ? 1 : 0).append('\n');
        }
        Files.writeString(dir.resolve("new.csv"), only);
        assertThat(run("transfer", "--model", "@m.json", "--data", "@new.csv", "--add-task", "sign:bce:z:tower=3:tanh", "--epochs", "30", "--lr", "0.05",
            "--quiet", "--out", "@n.json")).as(cli.err).isZero();
        assertThat(run("predict", "--model", "@n.json", "--data", "@d.csv", "--out", "@after.csv")).as(cli.err).isZero();
        List<String> before = Files.readAllLines(dir.resolve("before.csv")), after = Files.readAllLines(dir.resolve("after.csv"));
        assertThat(after.get(0)).isEqualTo(before.get(0) + ",z");
        for (int n = 0; n < before.size(); n++) assertThat(after.get(n)).startsWith(before.get(n) + ",");
        assertThat(run("evaluate", "--model", "@n.json", "--data", "@new.csv")).as(cli.err).isZero();
        assertThat(cli.out).contains("group digit (softmax, weight 1.0, outputs 0..2): no label column of it in the data", "group sign (bce");

        // --train-trunk: the trunk trains too, so the old outputs change
        assertThat(run("transfer", "--model", "@m.json", "--data", "@new.csv", "--add-task", "sign:bce:z", "--train-trunk", "--epochs", "5", "--lr", "0.05",
            "--quiet", "--out", "@t.json")).as(cli.err).isZero();
        assertThat(run("predict", "--model", "@t.json", "--data", "@d.csv", "--out", "@trunk.csv")).isZero();
        assertThat(Files.readAllLines(dir.resolve("trunk.csv")).get(1)).doesNotStartWith(before.get(1) + ",");
    }

    @Test
    void addTask_onOneGroupModel_keepsItsOutputsAndWritesVersion2() throws Exception {
        assertThat(train("a.json", "--labels", "t1,t2", "--hidden", "5:tanh")).isZero();
        assertThat(run("predict", "--model", "@a.json", "--data", "@d.csv", "--out", "@before.csv")).isZero();
        assertThat(run("transfer", "--model", "@a.json", "--data", "@d.csv", "--add-task", "value:mse:y", "--epochs", "3", "--quiet", "--out", "@b.json")).as(cli.err).isZero();
        ModelFile b = ModelFile.load(dir.resolve("b.json"));
        assertThat(b.groupCount()).isEqualTo(2);
        assertThat(b.group(0).name).isEqualTo("tasks");
        assertThat(run("predict", "--model", "@b.json", "--data", "@d.csv", "--out", "@after.csv")).isZero();
        List<String> before = Files.readAllLines(dir.resolve("before.csv")), after = Files.readAllLines(dir.resolve("after.csv"));
        for (int n = 0; n < before.size(); n++) assertThat(after.get(n)).startsWith(before.get(n) + ",");

        // removing the added task gives back the one-group model: version 1, the same weights (its layers now frozen)
        assertThat(run("transfer", "--model", "@b.json", "--remove-task", "value", "--out", "@c.json")).as(cli.err).isZero();
        assertThat(Files.readString(dir.resolve("c.json"))).contains("\"version\": 1");
        assertThat(Files.readString(dir.resolve("c.json")).replace("\"trainable\": false", "\"trainable\": true")).isEqualTo(Files.readString(dir.resolve("a.json")));
    }

    @Test
    void removeTask_keepsTheOtherOutputsBitIdentical() throws Exception {
        mixed("m.json");
        assertThat(run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", "@before.csv")).isZero();
        assertThat(run("transfer", "--model", "@m.json", "--remove-task", "tasks", "--out", "@r.json")).as(cli.err).isZero();
        assertThat(cli.out).contains("task tasks removed; 2 tasks left: digit, value");
        assertThat(run("predict", "--model", "@r.json", "--data", "@d.csv", "--out", "@after.csv")).isZero();
        List<String> before = Files.readAllLines(dir.resolve("before.csv")), after = Files.readAllLines(dir.resolve("after.csv"));
        assertThat(after.get(0)).isEqualTo("line,cls=0,cls=1,cls=2,digit,y");
        for (int n = 0; n < before.size(); n++) {
            String[] b = before.get(n).split(",");
            assertThat(after.get(n)).isEqualTo(String.join(",", b[0], b[1], b[2], b[3], b[4], b[7]));
        }
    }

    // ----------------------------------------------------------------------------------------
    // errors

    @Test
    void errors_nameThePartWithDidYouMean() {
        assertThat(train("m.json", "--group", "d:sofmax:cls")).isEqualTo(2);
        assertThat(cli.err).contains("option --group d: expected a kind bce, softmax, mse", "found 'sofmax'; did you mean softmax?");
        assertThat(train("m.json", "--group", "d:softmax:cls:wieght=2", "--group", "t:bce:t1")).isEqualTo(2);
        assertThat(cli.err).contains("unknown key 'wieght'; did you mean weight?");
        assertThat(train("m.json", "--group", "d:softmax:clss", "--group", "t:bce:t1")).isEqualTo(2);
        assertThat(cli.err).contains("did you mean \"cls\"?");
        assertThat(train("m.json", "--group", "d:softmax:t1,t2")).isEqualTo(2);
        assertThat(cli.err).contains("expected one label column of class indices", "found 2");
        assertThat(train("m.json", "--group", "d:softmax:cls", "--labels", "t1")).isEqualTo(2);
        assertThat(cli.err).contains("option --labels does not go with --group", "as COLUMNS");
        assertThat(train("m.json", "--group", "d:softmax:cls", "--loss", "mse")).isEqualTo(2);
        assertThat(cli.err).contains("option --loss does not go with --group");
        assertThat(train("m.json", "--group", "d:softmax:cls:pos-weight=2")).isEqualTo(2);
        assertThat(cli.err).contains("pos-weight= applies to the kind bce only");
        assertThat(train("m.json", "--group", "d:softmax:cls", "--group", "t:bce:t1", "--hidden", "")).isEqualTo(2);
        assertThat(cli.err).contains("option --hidden expected at least one layer with several --group");
        assertThat(train("m.json", "--group", "d:softmax:cls", "--group", "d:bce:t1")).isEqualTo(2);
        assertThat(cli.err).contains("option --group d given twice");
        assertThat(train("m.json", "--group", "d:bce:cls", "--group", "t:bce:t1")).isEqualTo(2);
        assertThat(cli.err).contains("column cls: expected a label in [0, 1]", "for --group d (bce)", "did you mean --group d:softmax:cls?");
        assertThat(Files.exists(dir.resolve("m.json"))).isFalse();
    }

    @Test
    void errors_transferTaskOptions() {
        mixed("m.json");
        assertThat(run("transfer", "--model", "@m.json", "--remove-task", "taks", "--out", "@r.json")).isEqualTo(2);
        assertThat(cli.err).contains("expected one of the tasks", "(digit, tasks, value), found 'taks'; did you mean tasks?");
        assertThat(run("transfer", "--model", "@m.json", "--data", "@d.csv", "--add-task", "digit:bce:t1", "--out", "@r.json")).isEqualTo(2);
        assertThat(cli.err).contains("expected a new task name, found digit");
        assertThat(run("transfer", "--model", "@m.json", "--data", "@d.csv", "--add-task", "x:bce:t1", "--drop", "1", "--out", "@r.json")).isEqualTo(2);
        assertThat(cli.err).contains("option --drop does not go with --add-task");
        assertThat(run("evaluate", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1")).isEqualTo(2);
        assertThat(cli.err).contains("option --labels applies to a model of one group");
        assertThat(Files.exists(dir.resolve("r.json"))).isFalse();
    }
}
