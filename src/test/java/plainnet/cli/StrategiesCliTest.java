package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transfer's strategies (--lr-decay, --unfreeze gradual, --l2-sp) and --history on the command
 * line (SPEC.md §10.1, §19, §21). The formulas themselves are tested in TransferStrategiesTest.
 */
class StrategiesCliTest {

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(dir);
        cli.data();
        // a 3-layer model: 3 -> 4 -> 3 -> 2
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--hidden", "4:tanh,3:tanh", "--epochs", "2", "--quiet",
            "--out", "@m.json")).as(cli.err).isZero();
    }

    private String transfer(String out, String... extra) throws Exception {
        List<String> a = new ArrayList<>(List.of("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "cls", "--loss", "softmax",
            "--epochs", "4", "--quiet", "--out", "@" + out));
        a.addAll(List.of(extra));
        assertThat(cli.run(a.toArray(new String[0]))).as(cli.err).isZero();
        return Files.readString(dir.resolve(out));
    }

    private List<String[]> csv(String name) throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(name))) rows.add(line.split(",", -1));
        return rows;
    }

    @Test
    void l2sp_keptLayersFrozen_isPlainL2OnTheNewLayers_sameModelAsWeightDecay() throws Exception {
        // With the kept layers frozen (the default), L2-SP acts on the new head only, where W⁰ = 0:
        // (α/2)·|W|², the coupled weight decay α, bit for bit (SPEC.md §10.1).
        assertThat(transfer("sp.json", "--l2-sp", "0.3")).isEqualTo(transfer("wd.json", "--weight-decay", "0.3"));
        // α = 0 and F = 1 are the same as not giving them.
        assertThat(transfer("zero.json", "--l2-sp", "0", "--lr-decay", "1")).isEqualTo(transfer("plain.json"));
        // With every layer trainable, L2-SP pulls toward the pre-trained weights, not toward 0: another model.
        assertThat(transfer("all_sp.json", "--freeze", "0", "--l2-sp", "0.3")).isNotEqualTo(transfer("all_wd.json", "--freeze", "0", "--weight-decay", "0.3"));
        assertThat(transfer("all_decay.json", "--freeze", "0", "--lr-decay", "2.6")).isNotEqualTo(transfer("all.json", "--freeze", "0"));
    }

    @Test
    void gradual_unfreezesOneMoreLayerFromTheTopEachEpoch_asTheHistoryShows() throws Exception {
        // kept layers 0, 1 (the model's head is dropped), a new head at layer 2: trainable from 2, 1, 0, 0.
        transfer("g.json", "--unfreeze", "gradual", "--history", "@g.csv");
        List<String[]> rows = csv("g.csv");
        assertThat(rows.get(0)).containsExactly("epoch", "stage", "trainable_from", "lr", "train_loss", "val_loss", "val_accuracy", "kept", "seconds");
        assertThat(rows).hasSize(5);
        for (int e = 1; e <= 4; e++) {
            assertThat(rows.get(e)[0]).isEqualTo(String.valueOf(e));
            assertThat(rows.get(e)[2]).isEqualTo(String.valueOf(Math.max(0, 2 - (e - 1))));
            assertThat(rows.get(e)[5]).as("no validation data: empty").isEmpty();
        }
        assertThat(Files.readString(dir.resolve("g.svg"))).startsWith("<svg").contains("train loss").doesNotContain("validation loss");
        // The saved model has every layer trainable, as the schedule left it.
        assertThat(Files.readString(dir.resolve("g.json"))).doesNotContain("\"trainable\": false");
    }

    @Test
    void stage2_trainsExactlyTheLayersFromUnfreezeFrom_evenAfterGradualOrFreeze0_asTheHistoryShows() throws Exception {
        // Stage 1 ends with every layer trainable (gradual: 2, 1, 0, 0; --freeze 0: 0); stage 2 with
        // --unfreeze-from 1 trains layers 1 and up only, so layer 0 is frozen again (SPEC.md §21, transfer).
        String[][] stage1 = {{"--unfreeze", "gradual"}, {"--freeze", "0"}};
        for (String[] s : stage1) {
            List<String> a = new ArrayList<>(List.of(s));
            a.addAll(List.of("--finetune-epochs", "2", "--unfreeze-from", "1", "--history", "@f.csv"));
            transfer("f.json", a.toArray(new String[0]));
            List<String[]> rows = csv("f.csv");
            assertThat(rows).as(String.join(" ", s)).hasSize(7);
            assertThat(rows.get(4)[1]).as(String.join(" ", s) + ": stage 1 ends").isEqualTo("1");
            assertThat(rows.get(4)[2]).as(String.join(" ", s) + ": stage 1 ends with every layer trainable").isEqualTo("0");
            for (int e = 5; e <= 6; e++) {
                assertThat(rows.get(e)[1]).as(String.join(" ", s) + ": epoch " + e).isEqualTo("2");
                assertThat(rows.get(e)[2]).as(String.join(" ", s) + ": epoch " + e + " of stage 2 trains layers >= 1").isEqualTo("1");
            }
        }
    }

    @Test
    void history_withPatience_marksTheKeptEpoch_theLowestValidationLoss_andTheReportSaysSo() throws Exception {
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--hidden", "8:tanh", "--epochs", "60", "--lr", "0.05",
            "--split", "0.3", "--patience", "3", "--quiet", "--history", "@h.csv", "--out", "@p.json")).as(cli.err).isZero();
        Matcher m = Pattern.compile("kept the weights of epoch (\\d+) of (\\d+), the lowest validation loss \\(([0-9.]+)\\)").matcher(cli.out);
        assertThat(m.find()).as(cli.out).isTrue();
        int kept = Integer.parseInt(m.group(1)), last = Integer.parseInt(m.group(2));
        List<String[]> rows = csv("h.csv").subList(1, last + 1);
        assertThat(csv("h.csv")).hasSize(last + 1);
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0, marked = 0;
        for (String[] r : rows) {
            double v = Double.parseDouble(r[5]);
            if (v < best) {
                best = v;
                bestEpoch = Integer.parseInt(r[0]);
            }
            if (r[7].equals("1")) marked = Integer.parseInt(r[0]);
            assertThat(Double.parseDouble(r[6])).isBetween(0.0, 1.0);
        }
        assertThat(kept).isEqualTo(bestEpoch).isEqualTo(marked);
        assertThat(Double.parseDouble(m.group(3))).isCloseTo(best, org.assertj.core.data.Offset.offset(5e-6));
        assertThat(Files.readString(dir.resolve("h.svg"))).contains("validation loss", "weights of epoch " + kept + " kept", "stroke-dasharray");
    }

    @Test
    void gradualWithPatience_keptNoteNamesTheLastStagesEpochs_andItsValueIsTheirLowest() throws Exception {
        // kept layers 0, 1, new head 2, E = 5: stages of epochs 1, 2 and 3-5 (K = min(2, 4) = 2). Early
        // stopping chooses within the last stage, so the note must not call its choice the lowest of all
        // epochs (a high rate makes the first epochs' validation loss the lowest here).
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "cls", "--loss", "softmax", "--epochs", "5", "--lr", "0.5",
            "--unfreeze", "gradual", "--split", "0.3", "--patience", "3", "--quiet", "--history", "@gp.csv", "--out", "@gp.json")).as(cli.err).isZero();
        Matcher m = Pattern.compile("kept the weights of epoch (\\d+) of 5, the lowest validation loss of epochs 3-5, the last stage \\(([0-9.]+)\\)").matcher(cli.out);
        assertThat(m.find()).as(cli.out).isTrue();
        List<String[]> rows = csv("gp.csv").subList(1, 6);
        double bestLast = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        for (String[] r : rows.subList(2, 5)) {
            double v = Double.parseDouble(r[5]);
            if (v < bestLast) {
                bestLast = v;
                bestEpoch = Integer.parseInt(r[0]);
            }
        }
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(bestEpoch);
        assertThat(Double.parseDouble(m.group(2))).isCloseTo(bestLast, org.assertj.core.data.Offset.offset(5e-6));
        assertThat(rows.get(2)[2]).as("the last stage trains every layer").isEqualTo("0");
        assertThat(rows.get(1)[2]).as("epoch 2 is its own stage").isEqualTo("1");
    }

    @Test
    void history_anInputOrTheModel_refusedBeforeAnyWork_filesUnchanged() throws Exception {
        byte[] data = Files.readAllBytes(dir.resolve("d.csv")), model = Files.readAllBytes(dir.resolve("m.json"));
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--history", "@d.csv", "--out", "@n.json")).isEqualTo(2);
        assertThat(cli.err).contains("expected --history to differ from the input --data").doesNotContain("epoch");
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--history", "@m.json", "--out", "@n.json")).isEqualTo(2);
        assertThat(cli.err).contains("expected --history to differ from the input --model");
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--history", "@n.json", "--out", "@n.json")).isEqualTo(2);
        assertThat(cli.err).contains("option --history expected files other than the --out model");
        // the chart: h.csv's chart is h.svg; a history named like the model's chart, and a chart that is the model
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--history", "@n.csv", "--out", "@n.svg")).isEqualTo(2);
        assertThat(cli.err).contains("option --history expected files other than the --out model").contains("n.svg");
        Files.createDirectory(dir.resolve("h.svg"));
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--history", "@h.csv", "--out", "@n.json")).isEqualTo(2);
        assertThat(cli.err).contains("h.svg");
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--history", dir.resolve("no/such/h.csv").toString(), "--out", "@n.json")).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("n.json"))).isFalse();
        assertThat(Files.readAllBytes(dir.resolve("d.csv"))).isEqualTo(data);
        assertThat(Files.readAllBytes(dir.resolve("m.json"))).isEqualTo(model);
    }

    @Test
    void history_aFolder_refusedWithAHintAtACsvNameInIt_notAModelName() throws Exception {
        Path hd = Files.createDirectory(dir.resolve("hd"));
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--history", hd.toString(), "--out", "@n.json")).isEqualTo(2);
        assertThat(cli.err).isEqualTo("plainnet train: " + hd + ": expected a file to write to, found a folder; give a file name in it, e.g. " + hd.resolve("history.csv") + "\n");
        assertThat(Files.exists(dir.resolve("n.json"))).isFalse();
    }

    @Test
    void history_divergedRun_writtenWithTheEpochsThatFinished_nothingKept() throws Exception {
        // lr 1e300 blows the loss up in the first epoch's second step: no epoch finishes, no model is written
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--hidden", "4:tanh", "--lr", "1e300", "--quiet",
            "--history", "@h.csv", "--out", "@n.json")).isEqualTo(1);
        assertThat(cli.err).contains("training diverged in epoch 1");
        assertThat(Files.exists(dir.resolve("n.json"))).isFalse();
        assertThat(Files.readAllLines(dir.resolve("h.csv"))).containsExactly("epoch,stage,trainable_from,lr,train_loss,val_loss,val_accuracy,kept,seconds");
        assertThat(Files.readString(dir.resolve("h.svg"))).startsWith("<svg").endsWith("</svg>\n").doesNotContain("NaN").doesNotContain("stroke-dasharray");
    }

    @Test
    void strategyOptions_badValues_usageErrors_andHelpListsThem() throws Exception {
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--lr-decay", "0.5", "--out", "@n.json")).isEqualTo(2);
        assertThat(cli.err).contains("option --lr-decay expected a number >= 1.0, found '0.5'");
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--l2-sp", "-1", "--out", "@n.json")).isEqualTo(2);
        assertThat(cli.err).contains("option --l2-sp expected a number >= 0.0, found '-1'");
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--unfreeze", "gradaul", "--out", "@n.json")).isEqualTo(2);
        assertThat(cli.err).contains("option --unfreeze expected one of none, gradual, found 'gradaul'; did you mean gradual?");
        assertThat(cli.run("transfer", "--help")).isZero();
        assertThat(cli.out).contains("--lr-decay F", "--unfreeze MODE", "--l2-sp ALPHA", "--history FILE");
        assertThat(cli.run("train", "--help")).isZero();
        assertThat(cli.out).contains("--history FILE").doesNotContain("--l2-sp");
    }
}
