package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transfer --strategy auto and compare-tasks at their edges (SPEC.md §21): a choice that diverged
 * is not saved, --history may not replace the record of the choice, and a task without labeled
 * training rows is refused in one line.
 */
class ComparisonEdgesTest {

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(dir);
        cli.data();
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--hidden", "4:tanh,3:tanh", "--epochs", "3", "--quiet",
            "--out", "@m.json")).as(cli.err).isZero();
    }

    @Test
    void strategyAuto_choiceDivergedAtEveryRate_exit1_existingOutAndRecordUnchanged() throws Exception {
        // Adam at lr 1e6 moves every trained weight by about 1e6 in the first step: the loss of the next batch exceeds the
        // blow-up limit (SPEC.md §19) in every run of every strategy, so whatever validation chooses diverged at every rate
        Files.writeString(dir.resolve("b.json"), "a model of the user's");
        Files.writeString(dir.resolve("b.strategies.csv"), "a record of the user's");
        int code = cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1,t2", "--loss", "mse", "--strategy", "auto", "--repeats", "2",
            "--rates", "1e6", "--steps", "40", "--quiet", "--out", "@b.json");
        assertThat(code).as(cli.err).isEqualTo(1);
        assertThat(cli.out).contains("| strategy ").contains("chosen on validation: ").doesNotContain("saved ");
        assertThat(cli.err.strip()).doesNotContain("\n").contains("diverged at every rate on repeat").contains("nothing is saved")
            .contains("Try smaller --rates.").doesNotContain("Exception");
        assertThat(Files.readString(dir.resolve("b.json"))).isEqualTo("a model of the user's");
        assertThat(Files.readString(dir.resolve("b.strategies.csv"))).isEqualTo("a record of the user's");
    }

    @Test
    void compareTasks_classColumnAmongBceLabels_hintsAGroupNotTheRefusedLossSoftmax() throws Exception {
        // cls holds 0, 1, 2: not a bce label. compare-tasks refuses --loss softmax, so the hint names a --group of its own
        int code = cli.run("compare-tasks", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,cls", "--quiet");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err.strip()).doesNotContain("\n").contains("column cls: expected a label in [0, 1]")
            .contains("for class indices use --group NAME:softmax:COLUMN").doesNotContain("--loss softmax");
        // the hint's command is accepted: the class column as a softmax group beside the 0/1 column
        assertThat(cli.run("compare-tasks", "--data", "@d.csv", "--features", "a..c", "--group", "t:bce:t1", "--group", "c:softmax:cls", "--repeats", "2",
            "--steps", "20", "--quiet")).as(cli.err).isZero();
    }

    @Test
    void strategyAuto_historyNamedLikeTheRecord_refusedBeforeAnyWork() throws Exception {
        int code = cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--strategy", "auto", "--repeats", "2", "--steps", "40",
            "--quiet", "--out", "@h.json", "--history", "@h.strategies.csv");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err.strip()).doesNotContain("\n")
            .contains("option --history expected files other than the --out model " + dir.resolve("h.json") + " and its record " + dir.resolve("h.strategies.csv"));
        assertThat(cli.out).isEmpty();
        assertThat(Files.exists(dir.resolve("h.json"))).isFalse();
        assertThat(Files.exists(dir.resolve("h.strategies.csv"))).isFalse();
    }

    @Test
    void compareTasks_taskWithoutLabeledTrainingRows_oneLineNamingTaskAndRepeat() throws Exception {
        // t2 labeled on the first row only: repeat 1 has it among its validation or its training rows, not both
        List<String> lines = Files.readAllLines(dir.resolve("d.csv"));
        StringBuilder s = new StringBuilder(lines.get(0)).append('\n');
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).split(",");
            if (n > 1) f[4] = "";
            s.append(String.join(",", f)).append('\n');
        }
        Files.writeString(dir.resolve("e.csv"), s);
        int code = cli.run("compare-tasks", "--data", "@e.csv", "--features", "a..c", "--labels", "t1,t2", "--repeats", "2", "--steps", "40", "--quiet");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err.strip()).doesNotContain("\n").contains("task t2 has no labeled rows among the").contains("rows of repeat 1")
            .doesNotContain("empty batch");
    }

    @Test
    void help_protocolOptions_readAsSentences_andNameTheSplitDefault() {
        assertThat(cli.run("compare-tasks", "--help")).isZero();
        assertThat(cli.out).doesNotContain(" : ").containsPattern("--repeats R +the validation splits \\(repeats\\), each holding out --split of the rows \\(0\\.2 unless given\\)");
        assertThat(cli.run("transfer", "--help")).isZero();
        assertThat(cli.out).containsPattern("--repeats R +with --strategy auto: the validation splits");
        // the command list names both questions
        assertThat(cli.run("help")).isZero();
        assertThat(cli.out).containsPattern("transfer .*--strategy auto: does transfer help here\\?").contains("compare-tasks  does multi-task help here?");
    }

    @Test
    void strategyAuto_someRowsUnlabeled_savedLineCountsTheLabeledRows() throws Exception {
        // cls left empty on every second row: 60 of the 120 rows are labeled, split between each repeat's 24 validation and 96 training rows
        List<String> lines = Files.readAllLines(dir.resolve("d.csv"));
        StringBuilder s = new StringBuilder(lines.get(0)).append('\n');
        for (int n = 1; n < lines.size(); n++) s.append(n % 2 == 0 ? lines.get(n).substring(0, lines.get(n).lastIndexOf(',') + 1) : lines.get(n)).append('\n');
        Files.writeString(dir.resolve("p.csv"), s);
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@p.csv", "--labels", "cls", "--loss", "softmax", "--strategy", "auto", "--repeats", "2",
            "--steps", "40", "--quiet", "--out", "@p.json")).as(cli.err).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("validation accuracy [0-9.]+ on the (\\d+) labeled of 24 rows, trained on the (\\d+) labeled of 96 rows")
            .matcher(cli.out);
        assertThat(m.find()).as(cli.out).isTrue();
        assertThat(Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2))).isEqualTo(60);
    }

    @Test
    void history_hasTheValidationMetricPerEpoch_theKeptEpochsIsTheRecordsAndTheTables() throws Exception {
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "cls", "--loss", "softmax", "--strategy", "auto", "--repeats", "2",
            "--steps", "40", "--quiet", "--out", "@v.json", "--history", "@v.csv")).as(cli.err).isZero();
        List<String> history = Files.readAllLines(dir.resolve("v.csv")), record = Files.readAllLines(dir.resolve("v.strategies.csv"));
        assertThat(history.get(0)).isEqualTo("run,repeat,lr,epoch,trainable_from,train_loss,val_loss,val_accuracy,kept,chosen_rate");
        // the kept epoch of the chosen rate holds the weights the table measured: the same validation loss and accuracy as the record's line
        int kept = 0;
        for (String line : history.subList(1, history.size())) {
            String[] h = line.split(",");
            assertThat(Double.parseDouble(h[7]) * 24).as(line).isCloseTo(Math.rint(Double.parseDouble(h[7]) * 24), org.assertj.core.data.Offset.offset(1e-9));
            if (!h[8].equals("1")) continue;
            kept++;
            String[] r = record.stream().filter(l -> l.startsWith(h[0] + "," + h[1] + ",")).findFirst().orElseThrow().split(",");
            assertThat(h[2]).as(line).isEqualTo(r[2]);      // lr
            assertThat(h[3]).as(line).isEqualTo(r[4]);      // kept epoch
            assertThat(h[6]).as(line).isEqualTo(r[5]);      // validation loss
            assertThat(h[7]).as(line).isEqualTo(r[6]);      // validation accuracy
        }
        assertThat(kept).isEqualTo(5 * 2);
        assertThat(cli.run("compare-tasks", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--loss", "mse", "--repeats", "2", "--steps", "40",
            "--quiet", "--history", "@c.csv")).as(cli.err).isZero();
        List<String> c = Files.readAllLines(dir.resolve("c.csv"));
        assertThat(c.get(0)).isEqualTo("run,repeat,lr,epoch,trainable_from,train_loss,val_loss,val_mse,kept,chosen_rate");
        // per_example mse of one column over its labeled rows is the mean squared error, the metric: the two columns agree on a task's own network
        for (String line : c.subList(1, c.size())) {
            String[] h = line.split(",");
            if (h[0].startsWith("separate")) assertThat(Double.parseDouble(h[7])).as(line).isCloseTo(Double.parseDouble(h[6]), org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void strategyAuto_aSideOfASplitWithoutLabels_refusedInOneLine_nothingWritten() throws Exception {
        // cls labeled on the first row only: in every repeat one side of the split has no label, and its metric would be NaN
        List<String> lines = Files.readAllLines(dir.resolve("d.csv"));
        StringBuilder s = new StringBuilder(lines.get(0)).append('\n');
        for (int n = 1; n < lines.size(); n++) s.append(n > 1 ? lines.get(n).substring(0, lines.get(n).lastIndexOf(',') + 1) : lines.get(n)).append('\n');
        Files.writeString(dir.resolve("one.csv"), s);
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@one.csv", "--labels", "cls", "--loss", "softmax", "--strategy", "auto", "--repeats", "2",
            "--steps", "40", "--quiet", "--out", "@o.json")).isEqualTo(2);
        assertThat(cli.err.strip()).doesNotContain("\n").containsPattern("the (24 validation|96 training) rows of repeat 1 have no label in cls \\(1 of the 120 rows are labeled\\)");
        assertThat(cli.out).isEmpty();
        assertThat(Files.exists(dir.resolve("o.json"))).isFalse();
        assertThat(Files.exists(dir.resolve("o.strategies.csv"))).isFalse();
    }
}
