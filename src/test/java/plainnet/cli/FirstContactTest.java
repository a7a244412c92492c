package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Trainer;
import plainnet.io.ModelFile;

/**
 * Issue 20, items 1, 2 and 5: no silent label leakage (train requires --features), the loss from
 * the data and the model (a label that does not fit is caught at its row while the file streams,
 * transfer takes the model's loss kind), and the smaller points: --threads, help defaults, the
 * info table, the stage line and the loss line's divisor.
 */
class FirstContactTest {

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(dir);
        cli.data(); // a, b, c, t1, t2, cls
    }

    // ----------------------------------------------------------------------------------------
    // 1. no silent label leakage

    @Test
    void train_withoutFeatures_isRefused_listingTheColumnsAsRangesAndHowToNameThem() {
        assertThat(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--epochs", "1", "--out", "@m.json")).as(cli.err).isEqualTo(2);
        assertThat(cli.err.trim()).doesNotContain("\n")
            .contains("option --features is required")
            .contains("that are not --labels are 5 (a..c, t2..cls)")
            .contains("e.g. --features a..c")
            .contains("--features all");
        assertThat(Files.exists(dir.resolve("m.json"))).isFalse();
    }

    @Test
    void train_featuresAll_takesEveryColumnButTheLabels_printsThemAsRanges_andRecordsThemInTheModel() throws Exception {
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "all", "--labels", "t1,t2", "--hidden", "", "--epochs", "1", "--out", "@m.json"))
            .as(cli.err).isZero();
        assertThat(cli.err).contains("d.csv: features 4 columns (a..c, cls), labels t1..t2 (2 outputs), loss bce");
        assertThat(ModelFile.load(dir.resolve("m.json")).features).containsExactly("a", "b", "c", "cls");
        // Named ranges are recorded as read.
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..b", "--labels", "t1", "--hidden", "", "--epochs", "1", "--quiet", "--out", "@n.json"))
            .as(cli.err).isZero();
        assertThat(ModelFile.load(dir.resolve("n.json")).features).containsExactly("a", "b");
    }

    // ----------------------------------------------------------------------------------------
    // 2. the loss from the data and the model

    /** d2.csv: a class column at line 3, then 2,000 rows, then a feature that is not a number at the last line. */
    private void classFileWithBadLastLine() throws Exception {
        StringBuilder s = new StringBuilder("a,b,digit\n0.1,0.2,0\n0.3,0.1,7\n");
        for (int n = 0; n < 2000; n++) s.append(n % 7).append(",0.5,").append(n % 10).append('\n');
        s.append("x,0.5,1\n");
        Files.writeString(dir.resolve("d2.csv"), s);
    }

    @Test
    void bceDefault_onAClassColumn_isRefusedAtItsFirstRowWhileStreaming_withDidYouMeanSoftmax() throws Exception {
        classFileWithBadLastLine();
        assertThat(cli.run("train", "--data", "@d2.csv", "--features", "a,b", "--labels", "digit", "--out", "@m.json")).isEqualTo(2);
        // Line 3, not the bad feature at the end: the check ran before the rest of the file was read.
        assertThat(cli.err.trim()).doesNotContain("\n")
            .contains("d2.csv:3: column digit: expected a label in [0, 1] (or empty or ? for unlabeled) for --loss bce, found 7.0")
            .contains("did you mean --loss softmax?");
    }

    @Test
    void labelsThatFitNoLoss_getTheHintOfTheLossThatFits() throws Exception {
        Files.writeString(dir.resolve("r.csv"), "a,y\n1,0.5\n2,2.5\n");
        assertThat(cli.run("train", "--data", "@r.csv", "--features", "a", "--labels", "y", "--out", "@m.json")).isEqualTo(2);
        assertThat(cli.err).contains("r.csv:3: column y: expected a label in [0, 1]").contains("found 2.5; for numbers outside [0, 1] use --loss mse");
        assertThat(cli.run("train", "--data", "@r.csv", "--features", "a", "--labels", "y", "--loss", "softmax", "--out", "@m.json")).isEqualTo(2);
        assertThat(cli.err).contains("r.csv:2: column y: expected a class index").contains("found 0.5; did you mean --loss bce?");
        // Several class columns under bce: softmax needs one column, so no did-you-mean for it alone.
        Files.writeString(dir.resolve("two.csv"), "a,u,v\n1,0,3\n");
        assertThat(cli.run("train", "--data", "@two.csv", "--features", "a", "--labels", "u,v", "--out", "@m.json")).isEqualTo(2);
        assertThat(cli.err).contains("two.csv:2: column v:").contains("for class indices use --loss softmax with one label column");
        // evaluate has no --loss: the message names the model's loss and suggests no option.
        assertThat(cli.model("m.json")).as(cli.err).isZero();
        Files.writeString(dir.resolve("e.csv"), "a,b,c,t1,t2\n1,2,3,1,0\n1,2,3,4,0\n");
        assertThat(cli.run("evaluate", "--model", "@m.json", "--data", "@e.csv")).isEqualTo(2);
        assertThat(cli.err).contains("e.csv:3: column t1: expected a label in [0, 1] (or empty or ? for unlabeled) for the model's loss bce, found 4.0\n")
            .doesNotContain("--loss");
    }

    @Test
    void transfer_takesTheModelsLossKind_whenTheNewLabelsFitIt() throws Exception {
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "cls", "--loss", "softmax", "--hidden", "4:tanh", "--epochs", "1",
            "--quiet", "--out", "@soft.json")).as(cli.err).isZero();
        // One label column: the softmax model's kind, two classes from t1.
        assertThat(cli.run("transfer", "--model", "@soft.json", "--data", "@d.csv", "--labels", "t1", "--epochs", "1", "--out", "@t.json")).as(cli.err).isZero();
        ModelFile t = ModelFile.load(dir.resolve("t.json"));
        assertThat(t.loss.name()).isEqualTo("softmax_cross_entropy");
        assertThat(t.tasks).containsExactly("t1=0", "t1=1");
        assertThat(cli.err).contains("loss softmax (the model's)");
        // Two label columns do not fit softmax: bce, said so.
        assertThat(cli.run("transfer", "--model", "@soft.json", "--data", "@d.csv", "--labels", "t1,t2", "--epochs", "1", "--out", "@t2.json")).as(cli.err).isZero();
        assertThat(ModelFile.load(dir.resolve("t2.json")).loss.name()).isEqualTo("binary_cross_entropy");
        assertThat(cli.err).contains("loss bce (the model's is softmax, which takes one label column)");
        // An mse model stays mse; --loss still wins.
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--loss", "mse", "--hidden", "4:tanh", "--epochs", "1",
            "--quiet", "--out", "@mse.json")).as(cli.err).isZero();
        assertThat(cli.run("transfer", "--model", "@mse.json", "--data", "@d.csv", "--labels", "cls", "--epochs", "1", "--quiet", "--out", "@t3.json")).as(cli.err).isZero();
        assertThat(ModelFile.load(dir.resolve("t3.json")).loss.name()).isEqualTo("squared_error");
        assertThat(cli.run("transfer", "--model", "@soft.json", "--data", "@d.csv", "--labels", "t1", "--loss", "bce", "--epochs", "1", "--quiet", "--out", "@t4.json"))
            .as(cli.err).isZero();
        assertThat(ModelFile.load(dir.resolve("t4.json")).loss.name()).isEqualTo("binary_cross_entropy");
    }

    @Test
    void transfer_withoutLoss_aLabelThatDoesNotFit_namesTheModelsLoss_notAnOptionNotGiven_andKeepsTheHint() throws Exception {
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "cls", "--loss", "softmax", "--hidden", "4:tanh", "--epochs", "1",
            "--quiet", "--out", "@soft.json")).as(cli.err).isZero();
        Files.writeString(dir.resolve("h.csv"), "a,b,c,y,u,v\n0.1,0.2,0.3,0.5,0,0\n0.1,0.2,0.3,1,0,3\n");
        assertThat(cli.run("transfer", "--model", "@soft.json", "--data", "@h.csv", "--labels", "y", "--epochs", "1", "--quiet", "--out", "@t.json")).isEqualTo(2);
        assertThat(cli.err).contains("h.csv:2: column y: expected a class index 0..").contains(" for the model's loss softmax, found 0.5; did you mean --loss bce?")
            .doesNotContain("for --loss");
        // the validation file is read for the same loss, so says the same
        Files.writeString(dir.resolve("v.csv"), "a,b,c,t1\n0.1,0.2,0.3,0.5\n");
        assertThat(cli.run("transfer", "--model", "@soft.json", "--data", "@d.csv", "--labels", "t1", "--validation", "@v.csv", "--epochs", "1", "--quiet",
            "--out", "@t.json")).isEqualTo(2);
        assertThat(cli.err).contains("v.csv:2: column t1: expected a class index 0..1 for the model's loss softmax, found 0.5; did you mean --loss bce?");
        // two label columns: bce in the softmax model's place, neither given nor the model's
        assertThat(cli.run("transfer", "--model", "@soft.json", "--data", "@h.csv", "--labels", "u,v", "--epochs", "1", "--quiet", "--out", "@t.json")).isEqualTo(2);
        assertThat(cli.err).contains("h.csv:3: column v: expected a label in [0, 1] (or empty or ? for unlabeled) for the loss bce, found 3.0; for class indices use --loss softmax");
        // --loss given: named as the option
        assertThat(cli.run("transfer", "--model", "@soft.json", "--data", "@h.csv", "--labels", "y", "--loss", "softmax", "--epochs", "1", "--quiet", "--out", "@t.json")).isEqualTo(2);
        assertThat(cli.err).contains(" for --loss softmax, found 0.5; did you mean --loss bce?");
        assertThat(Files.exists(dir.resolve("t.json"))).isFalse();
    }

    // ----------------------------------------------------------------------------------------
    // 5. the smaller points

    @Test
    void threads_defaultsToTheNumberOfProcessors_andTheHelpSaysSo() throws Exception {
        Options o = Train.trainOptions();
        o.parse(new String[0]);
        Trainer tr = new Trainer(new plainnet.Network(new plainnet.Dense(1, 1, plainnet.Activation.IDENTITY, new plainnet.Rng(1))),
            new plainnet.BinaryCrossEntropy(), plainnet.Optimizer.sgd(0.1));
        Training.settings(o, tr);
        int processors = Math.min(256, Runtime.getRuntime().availableProcessors());
        assertThat(tr.threads).isEqualTo(processors);
        assertThat(cli.run("train", "--help")).isZero();
        assertThat(cli.out).contains("default: the number of processors, " + processors + " here");
    }

    @Test
    void transferHelp_saysEachDefaultOnce() {
        assertThat(cli.run("transfer", "--help")).isZero();
        assertThat(cli.out).contains("e.g. 16:tanh (default none)\n").doesNotContain("(default )");
        for (String line : cli.out.split("\n")) assertThat(line.split("\\(default", -1)).as(line).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void transfer_namesOneTrainableLayerAsLayer_andInfoAlignsItsTableForFrozenLayers() throws Exception {
        assertThat(cli.model("m.json")).as(cli.err).isZero(); // 3-4-2
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--epochs", "1", "--finetune-epochs", "1",
            "--out", "@t.json")).as(cli.err).isZero();
        assertThat(cli.err).contains("stage 1 (layer 1 trainable)").contains("stage 2 (fine-tuning layers 0-1)").doesNotContain("layers 1-1");
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--hidden", "3:relu", "--epochs", "1",
            "--quiet", "--out", "@f.json")).as(cli.err).isZero();
        assertThat(cli.run("info", "--model", "@f.json")).isZero();
        List<String> table = cli.out.lines().filter(l -> l.startsWith("layer ") || l.matches("\\d .*")).toList();
        assertThat(table).hasSize(4); // header, frozen layer 0, new layers 1 and 2
        assertThat(table.get(1)).contains("no (frozen)");
        // Every column starts at the same offset in every line: where the header's words start.
        String header = table.get(0);
        for (String word : new String[] {"inputs->outputs", "activation", "trainable", "lr_scale", "parameters"}) {
            int at = header.indexOf(word);
            for (String row : table.subList(1, table.size())) {
                assertThat(row.charAt(at - 1)).as("%s: a space before column %s%n%s", row, word, cli.out).isEqualTo(' ');
                assertThat(row.charAt(at)).as("%s: column %s starts at %d%n%s", row, word, at, cli.out).isNotEqualTo(' ');
            }
        }
    }

    @Test
    void lossLine_ofAPartlyLabeledTask_saysItsDivisor_whichIsWhyItDiffersFromTheTasksMean() throws Exception {
        // t1 unlabeled on every other row: 60 labeled entries of 120 rows.
        List<String> lines = Files.readAllLines(dir.resolve("d.csv"));
        StringBuilder s = new StringBuilder(lines.get(0) + "\n");
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).split(",");
            if (n % 2 == 0) f[3] = "";
            s.append(String.join(",", f)).append('\n');
        }
        Files.writeString(dir.resolve("half.csv"), s);
        assertThat(cli.run("train", "--data", "@half.csv", "--features", "a..c", "--labels", "t1", "--epochs", "2", "--quiet", "--out", "@h.json")).as(cli.err).isZero();
        assertThat(cli.run("evaluate", "--model", "@h.json", "--data", "@half.csv")).as(cli.err).isZero();
        Matcher line = Pattern.compile("loss \\(binary_cross_entropy, per_example\\): (\\S+) \\(the sum over 60 labeled entries / 120 rows, labeled or not\\)").matcher(cli.out);
        assertThat(line.find()).as(cli.out).isTrue();
        Matcher task = Pattern.compile("\nt1 +60 +\\d+ +(\\S+)").matcher(cli.out);
        assertThat(task.find()).as(cli.out).isTrue();
        // The divisor said: the loss line is the task's mean over its 60 labeled entries × 60 / 120.
        assertThat(Double.parseDouble(line.group(1))).isCloseTo(Double.parseDouble(task.group(1)) * 60 / 120, within(1e-4));
        assertThat(cli.out).contains("(a task's loss is the mean over its labeled entries");
    }
}
