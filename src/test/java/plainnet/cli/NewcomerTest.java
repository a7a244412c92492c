package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, part 5: the five most common first mistakes each get one line naming the file, the
 * field and the fix, exit 2, and the existing model is left as it was.
 */
class NewcomerTest {

    @TempDir
    Path dir;

    private Cli cli;
    private byte[] model;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(dir);
        cli.data();
        assertThat(cli.model("m.json")).as(cli.err).isZero();
        model = Files.readAllBytes(dir.resolve("m.json"));
    }

    /** Exit 2, one line, no training started, and m.json untouched. */
    private void assertRefused(int code) throws Exception {
        assertThat(code).as(cli.err).isEqualTo(2);
        assertThat(cli.err.trim()).doesNotContain("\n").doesNotContain("Exception");
        assertThat(cli.err).doesNotContain("epoch 1/");
        assertThat(Files.readAllBytes(dir.resolve("m.json"))).isEqualTo(model);
    }

    @Test
    void wrongColumnName_namesTheFileTheOptionAndTheClosestColumn() throws Exception {
        assertRefused(cli.run("train", "--data", "@d.csv", "--labels", "t3", "--out", "@m.json"));
        assertThat(cli.err).contains("d.csv:1: --labels: expected a column of the header, found \"t3\"; did you mean \"t1\"? (columns: a, b, c, t1, t2, cls)");
        assertRefused(cli.run("train", "--data", "@d.csv", "--features", "A..c", "--labels", "t1", "--out", "@m.json"));
        assertThat(cli.err).contains("--features: expected a column of the header, found \"A\"; did you mean \"a\"?");
    }

    @Test
    void modelAndDataWithDifferentColumns_namesTheModelItsColumnsAndTheFix() throws Exception {
        Files.writeString(dir.resolve("few.csv"), "a,b,t1\n1,2,1\n");
        assertRefused(cli.run("evaluate", "--model", "@m.json", "--data", "@few.csv"));
        assertThat(cli.err).contains("few.csv:1: expected a column \"c\" in the header, as the model " + dir.resolve("m.json")
            + " reads 3 feature columns (a, b, c), found none (columns: a, b, t1); give data with the model's columns");
        assertRefused(cli.run("transfer", "--model", "@m.json", "--data", "@few.csv", "--labels", "t1", "--out", "@m2.json"));
        assertThat(cli.err).contains("as the model " + dir.resolve("m.json") + " reads 3 feature columns");
        assertRefused(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--features", "a,b", "--labels", "t1", "--out", "@m.json2"));
        assertThat(cli.err).contains("the model " + dir.resolve("m.json") + " reads 3 inputs, but --features selects 2 columns of " + dir.resolve("d.csv")
            + " (a, b); give --features with 3 columns, or leave it out to read the model's columns (a, b, c)");
    }

    @Test
    void forgottenLabels_refusedNamingTheFileAndItsLastColumns() throws Exception {
        // Without --labels the last column (cls) would be the label and t1, t2 features: a model
        // that trains "fine" on the wrong task. So train and transfer require --labels.
        assertRefused(cli.run("train", "--data", "@d.csv", "--out", "@m.json"));
        assertThat(cli.err).isEqualTo("plainnet train: option --labels is required: name the label columns of " + dir.resolve("d.csv")
            + ", e.g. --labels cls or --labels last:2 (its last columns are t1, t2, cls)\n");
        assertRefused(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--out", "@m.json"));
        assertThat(cli.err).contains("option --labels is required");
        assertRefused(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--out", "@t.json"));
        assertThat(cli.err).contains("option --labels is required: name the label columns of " + dir.resolve("d.csv"));
        assertThat(dir.resolve("t.json")).doesNotExist();
    }

    @Test
    void typoInAnOptionOrAValue_didYouMean() throws Exception {
        assertRefused(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--epocs", "3", "--out", "@m.json"));
        assertThat(cli.err).isEqualTo("plainnet train: unknown option --epocs; did you mean --epochs? (see 'plainnet train --help')\n");
        assertRefused(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--loss", "BSE", "--out", "@m.json"));
        assertThat(cli.err).isEqualTo("plainnet train: option --loss expected one of bce, softmax, mse, found 'BSE'; did you mean bce?\n");
        assertRefused(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--optimizer", "sdg", "--out", "@m.json"));
        assertThat(cli.err).contains("option --optimizer expected one of adam, sgd, momentum, found 'sdg'; did you mean sgd?");
        assertRefused(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--optimizer", "lbfgs", "--out", "@m.json"));
        assertThat(cli.err).contains("found 'lbfgs'").doesNotContain("did you mean");
    }

    @Test
    void outIsAFolder_namesTheFolderAndAFileNameToGive() throws Exception {
        Files.createDirectory(dir.resolve("models"));
        assertRefused(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--out", "@models"));
        assertThat(cli.err).isEqualTo("plainnet train: " + dir.resolve("models") + ": expected a file to write to, found a folder; give a file name in it, e.g. "
            + dir.resolve("models").resolve("model.json") + "\n");
        assertRefused(cli.run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", "@models"));
        assertThat(cli.err).contains("expected a file to write to, found a folder; give a file name in it");
    }
}
