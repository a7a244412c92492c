package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, item 10: a loss that is infinite before any update blames the data, not the rate;
 * predict and evaluate refuse a row whose forward pass overflows instead of printing NaN; an
 * output folder given as a file is named as such.
 */
class OverflowCliTest {

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(dir);
        // Line 4 holds a = 1e300; the other rows are small.
        Files.writeString(dir.resolve("big.csv"), "a,b,t\n1,2,1\n2,1,0\n1e300,3,1\n0.5,0.1,0\n");
    }

    /**
     * Squared error on a relu layer: row a = 1e300 gives outputs of about 1e299 (finite), whose
     * square overflows, so the first batch loss is Infinity before any step. No rate is to blame,
     * not even 1e-300.
     */
    @Test
    void train_lossInfiniteBeforeAnyUpdate_namesTheRowNotTheRate() {
        assertThat(cli.run("train", "--data", "@big.csv", "--features", "a,b", "--labels", "t", "--loss", "mse", "--hidden", "8:relu", "--lr", "1e-300", "--quiet", "--out", "@m.json")).isEqualTo(1);
        assertThat(cli.err).startsWith("plainnet: training diverged in epoch 1, step 1: the batch loss was Infinity; no epoch finished, so no model is written. "
            + "The loss was Infinity before any update, so the learning rate is not the cause: the loss of line 4 of " + dir.resolve("big.csv") + " is Infinity (its outputs reach ")
            .contains(" in magnitude; its largest input: a = 1.0E300). Rescale or check the inputs and labels.\n")
            .doesNotContain("smaller --lr").hasLineCount(1);
        assertThat(Files.exists(dir.resolve("m.json"))).isFalse();
    }

    /**
     * Two inputs of 1e308 on 64 relu units drawn with std 1 (He): a unit whose two weights sum to
     * more than 1.8 overflows in layer 0 already (with 64 units one does, for this seed).
     */
    @Test
    void train_forwardOverflowsBeforeAnyUpdate_namesLayerOutputAndRow() throws Exception {
        Files.writeString(dir.resolve("huge.csv"), "a,b,t\n1,2,1\n1e308,1e308,0\n");
        assertThat(cli.run("train", "--data", "@huge.csv", "--features", "a,b", "--labels", "t", "--hidden", "64:relu", "--quiet", "--out", "@m.json")).isEqualTo(1);
        assertThat(cli.err).containsPattern("The loss was (NaN|-?Infinity) before any update, so the learning rate is not the cause: layer 0 output \\d+ overflows to "
            + "(-?Infinity|NaN) for line 3 of " + java.util.regex.Pattern.quote(dir.resolve("huge.csv").toString()) + " \\(its largest input: a = 1.0E308\\)\\. ")
            .doesNotContain("smaller --lr");
    }

    /** A divergence after updates still blames the rate (the blow-up of DivergenceTest is another case). */
    @Test
    void train_lossFiniteAtFirstStep_stillAdvisesASmallerRate() throws Exception {
        cli.data();
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--loss", "mse", "--optimizer", "sgd", "--lr", "1e200", "--quiet", "--out", "@m.json"))
            .isEqualTo(1);
        assertThat(cli.err).contains("Try a smaller --lr.").doesNotContain("before any update");
    }

    /**
     * Finite weights that overflow on the data: layer 0 computes relu(1e200 · a) and relu(b), the
     * output layer a0 − 1e200 · a1. Line 4 (a = 1e300) gives relu(1e500) = Infinity in layer 0,
     * where predict used to print a NaN or a saturated probability without a word.
     */
    @Test
    void predictAndEvaluate_weightsOverflowOnARow_refusedNamingTheRow() throws Exception {
        Files.writeString(dir.resolve("w.json"), "{\"format\": \"plainnet-model\", \"version\": 1, \"layers\": ["
            + "{\"inputs\": 2, \"outputs\": 2, \"activation\": \"relu\", \"trainable\": true, \"lr_scale\": 1.0, \"W\": [[1e200, 0], [0, 1]], \"b\": [0, 0]},"
            + "{\"inputs\": 2, \"outputs\": 1, \"activation\": \"identity\", \"trainable\": true, \"lr_scale\": 1.0, \"W\": [[1, -1e200]], \"b\": [0]}],"
            + "\"loss\": {\"kind\": \"binary_cross_entropy\", \"reduction\": \"per_example\", \"task_weight\": null, \"pos_weight\": null},"
            + "\"features\": [\"a\", \"b\"], \"tasks\": [\"t\"]}\n");
        String message = dir.resolve("w.json") + ": layer 0: expected finite outputs, found Infinity at output 0 for line 4 of " + dir.resolve("big.csv")
            + " (its largest input: a = 1.0E300): the weights are too large for these inputs\n";
        Path out = Files.writeString(dir.resolve("p.csv"), "the previous predictions\n");
        assertThat(cli.run("predict", "--model", "@w.json", "--data", "@big.csv", "--out", "@p.csv")).isEqualTo(2);
        assertThat(cli.err).isEqualTo("plainnet predict: " + message);
        assertThat(Files.readString(out)).isEqualTo("the previous predictions\n");
        assertThat(cli.run("predict", "--model", "@w.json", "--data", "@big.csv")).isEqualTo(2);
        assertThat(cli.out).isEmpty();
        assertThat(cli.run("evaluate", "--model", "@w.json", "--data", "@big.csv")).isEqualTo(2);
        assertThat(cli.err).isEqualTo("plainnet evaluate: " + message);
        assertThat(cli.out).isEmpty();
        // Without line 4 the same model is fine: z = 1e200·a − 1e200·b stays finite.
        Files.writeString(dir.resolve("small.csv"), "a,b,t\n1,2,1\n2,1,0\n");
        assertThat(cli.run("predict", "--model", "@w.json", "--data", "@small.csv")).as(cli.err).isZero();
        assertThat(cli.out).isEqualTo("line,t\n2,0.0\n3,1.0\n");
    }

    @Test
    void vectorsAndDemo_outIsAFile_namedAsNotAFolder() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "mine\n");
        assertThat(cli.run("vectors", "--out", "@afile")).isEqualTo(2);
        assertThat(cli.err).isEqualTo("plainnet vectors: " + file + ": expected a folder for --out (created if missing), found a file; give a folder name for --out\n");
        assertThat(cli.run("demo", "--out", "@afile")).isEqualTo(2);
        assertThat(cli.err).isEqualTo("plainnet demo: " + file + ": expected a folder for --out (created if missing), found a file; give a folder name for --out\n");
        assertThat(cli.run("vectors", "--out", "@afile/sub")).isEqualTo(2);
        assertThat(cli.err).isEqualTo("plainnet vectors: " + file.resolve("sub") + ": expected a folder for --out (created if missing), found that " + file
            + " is a file, not a folder; give a folder name for --out\n");
        assertThat(Files.readString(file)).isEqualTo("mine\n");
    }
}
