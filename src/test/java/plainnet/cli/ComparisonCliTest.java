package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Rng;
import plainnet.io.ModelFile;

/** transfer --strategy auto and compare-tasks end to end through Main.run (SPEC.md §21), on Cli's small d.csv. */
class ComparisonCliTest {

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(dir);
        cli.data();
        // a 3-layer model 3 -> 4 -> 3 -> 2 on t1, t2
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--hidden", "4:tanh,3:tanh", "--epochs", "3", "--quiet",
            "--out", "@m.json")).as(cli.err).isZero();
    }

    private int auto(String out, String threads, String... extra) {
        List<String> a = new ArrayList<>(List.of("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "cls", "--loss", "softmax", "--strategy", "auto",
            "--repeats", "2", "--steps", "40", "--threads", threads, "--out", "@" + out));
        a.addAll(List.of(extra));
        return cli.run(a.toArray(new String[0]));
    }

    @Test
    void strategyAuto_printsTheTable_savesTheChosenModelAndItsRecord_sameForOneAndTwoThreads() throws Exception {
        assertThat(auto("one.json", "1")).as(cli.err).isZero();
        String one = cli.out;
        assertThat(cli.err).contains("repeat 1/2: scratch", "repeat 2/2: gradual");
        assertThat(auto("two.json", "2", "--quiet")).as(cli.err).isZero();
        assertThat(cli.err).isEmpty();
        // the same table, choice and saved model at any thread count (only the file names differ)
        assertThat(cli.out.replace("two.", "one.")).isEqualTo(one);
        assertThat(Files.readString(dir.resolve("two.json"))).isEqualTo(Files.readString(dir.resolve("one.json")));
        assertThat(Files.readString(dir.resolve("two.strategies.csv"))).isEqualTo(Files.readString(dir.resolve("one.strategies.csv")));

        assertThat(one).contains("| strategy        | val accuracy    | vs scratch         | val loss        |");
        for (String arm : new String[] {"scratch", "last layer", "last two layers", "fine-tune all", "gradual"}) assertThat(one).contains("| " + arm + " ");
        assertThat(one).contains("chosen on validation: ").contains("<- chosen").contains("saved " + dir.resolve("one.json"));
        // 120 rows, --split 0.2: 24 validation rows per repeat
        assertThat(one).contains("on 2 validation splits of 24 of the 120 rows");

        // the record: one line per strategy and repeat; the saved line is one of the chosen strategy's
        List<String> record = Files.readAllLines(dir.resolve("one.strategies.csv"));
        assertThat(record.get(0)).isEqualTo("strategy,repeat,lr,epochs,kept_epoch,val_loss,val_accuracy,chosen,saved");
        assertThat(record).hasSize(1 + 5 * 2);
        String chosen = one.substring(one.indexOf("chosen on validation: ") + 22).split("[\\n(]")[0].trim();
        long saved = record.stream().filter(l -> l.endsWith(",1,1")).count();
        assertThat(saved).isEqualTo(1);
        assertThat(record.stream().filter(l -> l.endsWith(",1,1")).findFirst().get()).startsWith(chosen + ",");
        // the model is a transfer model: the features of m.json, the classes of cls
        ModelFile m = ModelFile.load(dir.resolve("one.json"));
        assertThat(m.features).containsExactly("a", "b", "c");
        assertThat(m.tasks).containsExactly("cls=0", "cls=1", "cls=2");
        assertThat(m.net.size()).isEqualTo(3);
    }

    @Test
    void strategyAuto_historyRecordsEveryRun() throws Exception {
        assertThat(auto("h.json", "2", "--quiet", "--history", "@runs.csv")).as(cli.err).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("runs.csv"));
        assertThat(lines.get(0)).isEqualTo("run,repeat,lr,epoch,trainable_from,train_loss,val_loss,val_accuracy,kept,chosen_rate");
        // every strategy, repeat and rate (fine-tune all at the rates ÷ 10)
        for (String run : new String[] {"scratch,1,0.005,", "scratch,2,0.02,", "last layer,1,0.02,", "fine-tune all,2,5.0E-4,", "gradual,1,0.005,"}) {
            assertThat(lines).anyMatch(l -> l.startsWith(run));
        }
        // gradual unfreezing: the new head (layer 2) alone in epoch 1, then layer 1, then layer 0
        assertThat(lines).contains(lines.stream().filter(l -> l.startsWith("gradual,1,0.005,1,2,")).findFirst().get());
        assertThat(lines).anyMatch(l -> l.startsWith("gradual,1,0.005,2,1,"));
        // one kept epoch per strategy and repeat
        assertThat(lines.stream().filter(l -> l.split(",")[8].equals("1")).count()).isEqualTo(5 * 2);
        assertThat(Files.readString(dir.resolve("runs.svg"))).startsWith("<svg").contains("gradual");
    }

    @Test
    void strategyAuto_refusesOptionsOfOneStrategy_andProtocolOptionsNeedIt() throws Exception {
        assertThat(auto("x.json", "1", "--freeze", "1")).isEqualTo(2);
        assertThat(cli.err).contains("option --freeze does not apply to --strategy auto");
        assertThat(auto("x.json", "1", "--epochs", "5")).isEqualTo(2);
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "cls", "--repeats", "3", "--out", "@x.json")).isEqualTo(2);
        assertThat(cli.err).contains("option --repeats applies to --strategy auto only");
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "cls", "--strategy", "best", "--out", "@x.json")).isEqualTo(2);
        assertThat(cli.err).contains("expected one of auto");
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "cls", "--strategy", "auto", "--repeats", "1", "--out", "@x.json")).isEqualTo(2);
        assertThat(cli.err).contains("--repeats expected a whole number >= 2");
        assertThat(Files.exists(dir.resolve("x.json"))).isFalse();
    }

    private int compare(String threads, String... extra) {
        List<String> a = new ArrayList<>(List.of("compare-tasks", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--hidden", "3:tanh",
            "--repeats", "2", "--steps", "40", "--threads", threads));
        a.addAll(List.of(extra));
        return cli.run(a.toArray(new String[0]));
    }

    @Test
    void compareTasks_printsPerTaskDifferences_sameForOneAndTwoThreads() throws Exception {
        assertThat(compare("1")).as(cli.err).isZero();
        String one = cli.out;
        assertThat(cli.err).contains("repeat 1/2: multi-task", "repeat 2/2: separate t2");
        assertThat(compare("2", "--quiet")).as(cli.err).isZero();
        assertThat(cli.out).isEqualTo(one);
        assertThat(one).contains("| task            | labeled | multi-task      | separate        | multi - separate     |");
        // 120 rows, 24 for validation: 96 training rows, every label present
        assertThat(one).contains("| t1              |      96 |").contains("| t2              |      96 |").contains("| mean over tasks |");
        assertThat(one).containsAnyOf("the shared network hurts no task beyond noise.", "try a wider one, e.g. --hidden 6:tanh");
    }

    @Test
    void compareTasks_historyAndItsRefusals() throws Exception {
        assertThat(compare("2", "--quiet", "--history", "@c.csv")).as(cli.err).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("c.csv"));
        assertThat(lines).anyMatch(l -> l.startsWith("multi-task,1,0.005,1,0,")).anyMatch(l -> l.startsWith("separate t2,2,0.02,1,0,"));
        assertThat(Files.readString(dir.resolve("c.svg"))).contains("multi-task (1 net)", "separate (2 nets)");
        assertThat(compare("1", "--labels", "t1")).isEqualTo(2); // --labels twice
        assertThat(cli.run("compare-tasks", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--quiet")).isEqualTo(2);
        assertThat(cli.err).contains("expected two or more label columns");
        assertThat(cli.run("compare-tasks", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--loss", "softmax")).isEqualTo(2);
        assertThat(cli.err).contains("expected one of bce, mse");
        assertThat(cli.run("compare-tasks", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--validation", "@d.csv")).isEqualTo(2);
        assertThat(cli.err).contains("--validation does not apply to compare-tasks");
        assertThat(compare("1", "--rates", "0.01,0.01")).isEqualTo(2);
        assertThat(cli.err).contains("option --rates expected different rates, found 0.01 twice");
        assertThat(compare("1", "--split", "0.001")).isEqualTo(2);
        assertThat(cli.err).contains("option --split expected a fraction leaving rows on both sides of 120 rows, found 0.001 (0 validation rows)");
    }

    @Test
    void mse_bothCommands_reportMeanSquaredError_lowerIsBetter() throws Exception {
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1,t2", "--loss", "mse", "--strategy", "auto", "--repeats", "2",
            "--steps", "40", "--quiet", "--out", "@mse.json")).as(cli.err).isZero();
        assertThat(cli.out).contains("| strategy        | val mse         | vs scratch         | val loss        |").contains("Validation mse,");
        assertThat(Files.readAllLines(dir.resolve("mse.strategies.csv")).get(0)).isEqualTo("strategy,repeat,lr,epochs,kept_epoch,val_loss,val_mse,chosen,saved");
        // the saved repeat is the chosen strategy's lowest mse
        List<String[]> chosen = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("mse.strategies.csv"))) if (l.endsWith(",1,0") || l.endsWith(",1,1")) chosen.add(l.split(","));
        assertThat(chosen).hasSize(2);
        String[] saved = chosen.get(0)[8].equals("1") ? chosen.get(0) : chosen.get(1), other = saved == chosen.get(0) ? chosen.get(1) : chosen.get(0);
        assertThat(Double.parseDouble(saved[6])).isLessThanOrEqualTo(Double.parseDouble(other[6]));

        assertThat(compare("2", "--quiet", "--loss", "mse")).as(cli.err).isZero();
        assertThat(cli.out).contains("Validation mse per task").contains("| t1              |      96 |");
    }

    @Test
    void strategyAuto_featuresThatCannotCarryTheTask_negativeTransfer() throws Exception {
        // A squeezes a, b, c (independent standard normals) through one tanh unit trained on a − c > 0,
        // so its kept features carry about a − c only. B is a + b > 0: corr(a + b, a − c) = 1/2, so a
        // head on A's feature agrees with B on a fraction 1 − arccos(1/2)/π = 2/3 of the rows, while
        // scratch (the same 3-1-4-1 shape, fresh) can represent a + b itself. With a short budget
        // (40 steps) retraining the bottleneck does not catch up either.
        Rng rng = new Rng(11);
        StringBuilder d = new StringBuilder("a,b,c,t1,t2\n");
        for (int n = 0; n < 400; n++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian(), c = rng.nextGaussian();
            d.append(a).append(',').append(b).append(',').append(c).append(',').append(a + b > 0 ? 1 : 0).append(',').append(a - c > 0 ? 1 : 0).append('\n');
        }
        Files.writeString(dir.resolve("n.csv"), d);
        assertThat(cli.run("train", "--data", "@n.csv", "--features", "a..c", "--labels", "t2", "--hidden", "1:tanh,4:tanh", "--epochs", "30", "--quiet",
            "--out", "@a.json")).as(cli.err).isZero();
        assertThat(cli.run("transfer", "--model", "@a.json", "--data", "@n.csv", "--labels", "t1", "--strategy", "auto", "--steps", "40", "--quiet",
            "--out", "@b.json")).as(cli.err).isZero();
        String lastLayer = cli.out.substring(cli.out.indexOf("| last layer      | ") + 19);
        assertThat(Double.parseDouble(lastLayer.substring(0, 5))).isCloseTo(2.0 / 3.0, org.assertj.core.data.Offset.offset(0.08));
        assertThat(cli.out).contains("chosen on validation: scratch\n")
            .contains("negative transfer: the pre-trained features do not help this task (scratch beats every transfer strategy beyond noise)");
        assertThat(Files.readAllLines(dir.resolve("b.strategies.csv"))).filteredOn(l -> l.endsWith(",1,1")).singleElement().asString().startsWith("scratch,");
    }
}
