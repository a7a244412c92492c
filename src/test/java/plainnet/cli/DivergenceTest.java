package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Dense;
import plainnet.io.ModelFile;

/** Issue 13, item 4: a blown-up run is caught, and never replaces an existing --out unless --save-diverged is given. */
class DivergenceTest {

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(dir);
        cli.data();
        assertThat(cli.model("m.json")).as(cli.err).isZero();
    }

    private static double largestWeight(ModelFile m) {
        double max = 0.0;
        for (int l = 0; l < m.net.size(); l++) {
            Dense d = m.net.layer(l);
            for (double[] row : d.W) for (double w : row) max = Math.max(max, Math.abs(w));
            for (double b : d.b) max = Math.max(max, Math.abs(b));
        }
        return max;
    }

    @Test
    void train_hugeLearningRate_finiteButBlownUpLoss_diverges_existingOutUnchanged() throws Exception {
        byte[] before = Files.readAllBytes(dir.resolve("m.json"));
        // bce keeps a finite loss at any logit (it grows like |z|), so only the blow-up rule stops this run.
        int code = cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--lr", "1e300", "--epochs", "3", "--out", "@m.json");
        assertThat(code).isEqualTo(1);
        assertThat(cli.err).contains("training diverged in epoch 1, step 2: the batch loss", "exceeded the blow-up limit", "no epoch finished, so no model is written");
        assertThat(cli.out).doesNotContain("saved");
        assertThat(Files.readAllBytes(dir.resolve("m.json"))).isEqualTo(before);
        // Nor to a new file: no epoch finished.
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--lr", "1e300", "--epochs", "3", "--quiet", "--out", "@new.json")).isEqualTo(1);
        assertThat(dir.resolve("new.json")).doesNotExist();
    }

    @Test
    void transfer_fineTuningDiverges_savesStageOneWeightsToANewOut_withAMessageThatSaysSo() throws Exception {
        int code = cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--epochs", "2", "--finetune-epochs", "2",
            "--finetune-lr", "1e300", "--quiet", "--out", "@t.json");
        assertThat(code).isEqualTo(1);
        assertThat(cli.err).contains("training diverged in epoch 1, step", "saving the weights stage 1 finished with to " + dir.resolve("t.json"))
            .doesNotContain("no model is written");
        // Saved: the stage-1 weights, of ordinary size (the base as loaded, a head trained 2 epochs at lr 0.005).
        ModelFile t = ModelFile.load(dir.resolve("t.json"));
        assertThat(largestWeight(t)).isLessThan(100.0);
        // The same run without fine-tuning ends with exactly these weights.
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--epochs", "2", "--quiet", "--out", "@s1.json")).isZero();
        assertThat(Files.readString(dir.resolve("t.json"))).isEqualTo(Files.readString(dir.resolve("s1.json")).replace("\"trainable\": false", "\"trainable\": true"));
    }

    @Test
    void transfer_fineTuningDiverges_existingOutKeptUnlessSaveDiverged() throws Exception {
        Files.copy(dir.resolve("m.json"), dir.resolve("t.json"));
        byte[] before = Files.readAllBytes(dir.resolve("t.json"));
        String[] args = {"transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--epochs", "2", "--finetune-epochs", "2",
            "--finetune-lr", "1e300", "--quiet", "--out", "@t.json"};
        assertThat(cli.run(args)).isEqualTo(1);
        assertThat(cli.err).contains(dir.resolve("t.json") + " already exists and is left unchanged (give --save-diverged to replace it");
        assertThat(Files.readAllBytes(dir.resolve("t.json"))).isEqualTo(before);
        String[] asked = java.util.Arrays.copyOf(args, args.length + 1);
        asked[args.length] = "--save-diverged";
        assertThat(cli.run(asked)).isEqualTo(1);
        assertThat(cli.err).contains("saving the weights stage 1 finished with");
        assertThat(ModelFile.load(dir.resolve("t.json")).tasks).containsExactly("t1");
    }
}
