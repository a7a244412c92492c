package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, items 1, 2 and 6: an --out never replaces an input, a special file or a link, and leftovers of killed saves go. */
class OutputPathTest {

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(dir);
        cli.data();
        assertThat(cli.model("m.json")).as(cli.err).isZero();
    }

    private byte[] bytes(String name) throws Exception {
        return Files.readAllBytes(dir.resolve(name));
    }

    @Test
    void outSameAsAnInput_refusedBeforeAnyWork_inputUnchanged() throws Exception {
        byte[] model = bytes("m.json"), data = bytes("d.csv");
        assertThat(cli.run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", "@m.json")).isEqualTo(2);
        assertThat(cli.err).contains("m.json: expected --out to differ from the input --model", "found the same file");
        assertThat(cli.run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", "@d.csv")).isEqualTo(2);
        assertThat(cli.err).contains("expected --out to differ from the input --data");
        assertThat(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--out", "@d.csv")).isEqualTo(2);
        assertThat(cli.err).contains("expected --out to differ from the input --data").doesNotContain("epoch");
        assertThat(cli.run("train", "--data", "@m.csv", "--labels", "t1", "--out", "@d.csv")).isEqualTo(2); // a missing input is not "the same file"
        assertThat(cli.err).contains("m.csv: expected a data file, found no such file");
        Files.copy(dir.resolve("d.csv"), dir.resolve("v.csv"));
        byte[] validation = bytes("v.csv");
        assertThat(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--validation", "@v.csv", "--out", "@v.csv")).isEqualTo(2);
        assertThat(cli.err).contains("expected --out to differ from the input --validation");
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--out", "@m.json")).isEqualTo(2);
        assertThat(cli.err).contains("expected --out to differ from the input --model");
        // The same file under another name: a symbolic link, and a path with "..".
        Files.createSymbolicLink(dir.resolve("link.json"), dir.resolve("m.json"));
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t1", "--out", "@link.json")).isEqualTo(2);
        assertThat(cli.err).contains("expected --out to differ from the input --model");
        Files.createDirectory(dir.resolve("sub"));
        assertThat(cli.run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", dir.resolve("sub/../d.csv").toString())).isEqualTo(2);
        assertThat(cli.err).contains("expected --out to differ from the input --data");
        assertThat(bytes("m.json")).isEqualTo(model);
        assertThat(bytes("d.csv")).isEqualTo(data);
        assertThat(bytes("v.csv")).isEqualTo(validation);
    }

    @Test
    void computeOutSameAsVector_refused() throws Exception {
        Path vector = dir.resolve("v.json");
        Files.copy(Paths.get("test-data/vectors/bce_per_example.json"), vector);
        byte[] before = Files.readAllBytes(vector);
        assertThat(cli.run("compute", "@v.json", "--out", "@v.json")).isEqualTo(2);
        assertThat(cli.err).contains("expected --out to differ from the input --vector");
        assertThat(Files.readAllBytes(vector)).isEqualTo(before);
        // A folder of vectors: the results would be written over the vectors of the same names.
        Files.createDirectory(dir.resolve("sub"));
        assertThat(cli.run("compute", dir.toString(), "--out", dir.resolve("sub/..").toString())).isEqualTo(2);
        assertThat(cli.err).contains("option --out expected a folder other than the --vector folder", "found the same folder");
        assertThat(Files.readAllBytes(vector)).isEqualTo(before);
    }

    @Test
    void computeFolderOutIsAFile_refusedNamingBoth_fileKept() throws Exception {
        Path vectors = Files.createDirectory(dir.resolve("vecs"));
        Files.copy(Paths.get("test-data/vectors/bce_per_example.json"), vectors.resolve("bce_per_example.json"));
        Path file = Files.writeString(dir.resolve("results.txt"), "keep me\n");
        assertThat(cli.run("compute", vectors.toString(), "--out", file.toString())).isEqualTo(2);
        assertThat(cli.err).isEqualTo("plainnet compute: " + file + ": expected a folder for --out (created if missing), found a file; give a folder name for --out\n");
        assertThat(Files.readString(file)).isEqualTo("keep me\n");
        // A folder under the file: the same check as vectors and demo (TextFiles.checkFolder), naming the file.
        assertThat(cli.run("compute", vectors.toString(), "--out", file.resolve("x").toString())).isEqualTo(2);
        assertThat(cli.err).isEqualTo("plainnet compute: " + file.resolve("x") + ": expected a folder for --out (created if missing), found that " + file
            + " is a file, not a folder; give a folder name for --out\n");
        assertThat(Files.readString(file)).isEqualTo("keep me\n");
        // A folder --out gets one complete result per vector and no temporary file.
        assertThat(cli.run("compute", vectors.toString(), "--out", dir.resolve("res").toString())).isZero();
        try (java.util.stream.Stream<Path> left = Files.list(dir.resolve("res"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("bce_per_example.json");
        }
    }

    @Test
    void outIsAPipe_refusedBeforeTraining() throws Exception {
        assumeTrue(new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).start().waitFor() == 0, "mkfifo is available");
        assertThat(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--out", "@pipe")).isEqualTo(2);
        assertThat(cli.err).contains("pipe: expected a regular file to write to, found a device, pipe or other special file").doesNotContain("epoch");
        assertThat(Files.isRegularFile(dir.resolve("pipe"))).isFalse();
        assertThat(cli.run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", "@pipe")).isEqualTo(2);
        assertThat(cli.err).contains("expected a regular file to write to");
    }

    @Test
    void outIsASymlink_theLinkedFileIsReplacedAndTheLinkStays() throws Exception {
        Files.createDirectory(dir.resolve("models"));
        Files.copy(dir.resolve("m.json"), dir.resolve("models/v1.json"));
        Path link = Files.createSymbolicLink(dir.resolve("current.json"), Paths.get("models/v1.json"));
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--hidden", "", "--epochs", "1", "--quiet", "--out", "@current.json"))
            .as(cli.err).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(dir.resolve("models/v1.json"))).contains("\"tasks\": [\"t1\"]");
        // No temporary file is left in either folder.
        try (Stream<Path> s = Files.list(dir.resolve("models"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("v1.json");
        }
        // A link to nothing is refused before any work.
        Files.createSymbolicLink(dir.resolve("dangling.json"), dir.resolve("nothing/here.json"));
        assertThat(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--out", "@dangling.json")).isEqualTo(2);
        assertThat(cli.err).contains("dangling.json: expected a file to write to, found a symbolic link to a missing file").doesNotContain("epoch");
    }

    @Test
    void outInAFolderThatTakesNoFiles_refusedBeforeTrainingNamingOut() throws Exception {
        // /proc takes no new files, even for root (for whom a read-only mode bit does not count).
        assumeTrue(Files.isDirectory(Paths.get("/proc/self")), "Linux /proc");
        assertThat(cli.run("train", "--data", "@d.csv", "--labels", "t1", "--out", "/proc/plainnet-model.json")).isEqualTo(2);
        assertThat(cli.err).startsWith("plainnet train: /proc/plainnet-model.json: expected a folder that accepts new files")
            .doesNotContain("epoch").doesNotContain(".tmp").doesNotContain("Exception");
        assertThat(cli.err.trim()).doesNotContain("\n");
    }

    @Test
    void killedSaveLeftovers_removedOnTheNextSaveOfTheSameOut_othersKept() throws Exception {
        String[] ours = {".m.json.123.tmp", ".m.json.9876543210.tmp"};
        String[] others = {".m.json.12x.tmp", ".m.json.5.tmp.bak", ".other.json.5.tmp", ".m.json.1.json.5.tmp", "m.json.5.tmp", ".m.json..tmp"};
        for (String name : ours) Files.writeString(dir.resolve(name), "{\"format\": \"plainnet-mo");
        for (String name : others) Files.writeString(dir.resolve(name), "keep");
        Files.createDirectory(dir.resolve(".m.json.77.tmp")); // our pattern, but a folder: not ours to remove
        Files.writeString(dir.resolve("elsewhere.txt"), "keep");
        Files.createSymbolicLink(dir.resolve(".m.json.78.tmp"), dir.resolve("elsewhere.txt")); // a link: kept, and its target too
        assertThat(cli.model("m.json")).as(cli.err).isZero();
        for (String name : ours) assertThat(dir.resolve(name)).as(name).doesNotExist();
        for (String name : others) assertThat(dir.resolve(name)).as(name).exists();
        assertThat(dir.resolve(".m.json.77.tmp")).isDirectory();
        assertThat(Files.isSymbolicLink(dir.resolve(".m.json.78.tmp"))).isTrue();
        assertThat(Files.readString(dir.resolve("elsewhere.txt"))).isEqualTo("keep");
        // predict --out cleans its own target's leftovers the same way.
        Files.writeString(dir.resolve(".p.csv.42.tmp"), "line,t1");
        assertThat(cli.run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", "@p.csv")).as(cli.err).isZero();
        assertThat(dir.resolve(".p.csv.42.tmp")).doesNotExist();
        assertThat(dir.resolve("p.csv")).exists();
    }
}
