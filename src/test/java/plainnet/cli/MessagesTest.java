package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, item 5: every message names its file; bad UTF-8 names line and column; losses print short. */
class MessagesTest {

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(dir);
        cli.data();
    }

    @Test
    void compute_labelOutOfRange_namesTheVectorFile() throws Exception {
        String v = Files.readString(Paths.get("test-data/vectors/bce_per_example.json"));
        Matcher m = Pattern.compile("\"y\": \\[\\s*\\[0\\.0,").matcher(v);
        assertThat(m.find()).as("the vector's first label is 0.0").isTrue();
        Files.writeString(dir.resolve("bad.json"), v.substring(0, m.start()) + m.group().replace("0.0", "2.0") + v.substring(m.end()));
        assertThat(cli.run("compute", "@bad.json")).isEqualTo(2);
        assertThat(cli.err).startsWith("plainnet compute: " + dir.resolve("bad.json") + ": field y: labels y[0][0]: expected a number in [0.0, 1.0]");
    }

    /** m.json with a first layer of identity units whose weights are w. */
    private void modelWithWeights(String name, double w) throws Exception {
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--hidden", "4:identity", "--epochs", "1", "--quiet", "--out", "@m.json"))
            .as(cli.err).isZero();
        String json = Files.readString(dir.resolve("m.json"));
        int from = json.indexOf("\"W\": ["), to = json.indexOf("\"b\":", from);
        StringBuilder W = new StringBuilder("\"W\": [");
        for (int o = 0; o < 4; o++) W.append(o == 0 ? "" : ", ").append("[").append(w).append(", ").append(w).append(", ").append(w).append("]");
        Files.writeString(dir.resolve(name), json.substring(0, from) + W + "],\n      " + json.substring(to));
    }

    @Test
    void transfer_baseOutputsOverflow_namesTheModelLayerAndDataLine() throws Exception {
        // 1.7e308 · (a + b + c) overflows for every row whose features do not cancel.
        modelWithWeights("huge.json", 1.7e308);
        assertThat(cli.run("transfer", "--model", "@huge.json", "--data", "@d.csv", "--labels", "t1", "--epochs", "1", "--quiet", "--out", "@t.json")).isEqualTo(2);
        // The first data line whose w·a + w·b + w·c (in this order) leaves the double range.
        List<String> lines = Files.readAllLines(dir.resolve("d.csv"));
        int first = 0;
        for (int n = 1; n < lines.size() && first == 0; n++) {
            String[] f = lines.get(n).split(",");
            double z = 1.7e308 * Double.parseDouble(f[0]) + 1.7e308 * Double.parseDouble(f[1]) + 1.7e308 * Double.parseDouble(f[2]);
            if (Double.isInfinite(z)) first = n + 1;
        }
        assertThat(cli.err).startsWith("plainnet transfer: " + dir.resolve("huge.json") + ": layer 0: expected finite outputs, found ")
            .contains("for line " + first + " of " + dir.resolve("d.csv"), "the weights are too large");
        assertThat(dir.resolve("t.json")).doesNotExist();
    }

    @Test
    void progressAndMetrics_hugeLoss_printedInShortForm() throws Exception {
        // Weights of 1e300 keep finite outputs near 1e300 and a loss near 1e300 from the start:
        // not a blow-up (the loss does not grow), but it must not print as 300 digits.
        modelWithWeights("big.json", 1e300);
        assertThat(cli.run("transfer", "--model", "@big.json", "--data", "@d.csv", "--labels", "t1", "--epochs", "2", "--out", "@t.json")).as(cli.err).isZero();
        assertThat(cli.err).containsPattern("train loss \\d\\.\\d{4}e\\+30\\d");
        assertThat(cli.out).containsPattern("loss \\(binary_cross_entropy, per_example\\): \\d\\.\\d{4}e\\+30\\d");
        String printed = (cli.err + cli.out).replace(dir.toString(), "DIR");
        assertThat(Pattern.compile("\\d{20}").matcher(printed).find()).as("no run of 20 digits in:%n%s", printed).isFalse();
    }

    @Test
    void invalidUtf8_namesLineAndColumn() throws Exception {
        // Line 3, after "1,2," and "é" (two bytes, one character): column 6.
        byte[] text = {'a', ',', 'b', ',', 'c', '\n', '1', ',', '2', ',', '3', '\n', '1', ',', '2', ',', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, '\n'};
        Files.write(dir.resolve("bad.csv"), text);
        assertThat(cli.run("train", "--data", "@bad.csv", "--features", "a,b", "--labels", "c", "--out", "@m.json")).isEqualTo(2);
        assertThat(cli.err).contains("bad.csv:3:6: expected UTF-8 text, found the byte 0xff");
        // A sequence cut off by the end of the file.
        Files.write(dir.resolve("cut.csv"), new byte[] {'a', ',', 'b', '\n', (byte) 0xe2, (byte) 0x82});
        assertThat(cli.run("train", "--data", "@cut.csv", "--features", "a", "--labels", "b", "--out", "@m.json")).isEqualTo(2);
        assertThat(cli.err).contains("cut.csv:2:1: expected UTF-8 text, found the byte 0xe2");
    }

    @Test
    void outOfMemory_namesTheInputFilesAndTheFix() throws Exception {
        String s = Main.outOfMemory("train", new String[] {"--data", dir.resolve("d.csv").toString(), "--validation=" + dir.resolve("v.csv"), "--hidden", "4096"});
        assertThat(s).startsWith("plainnet train: not enough memory for the model and data of --data " + dir.resolve("d.csv") + " (0.0 MB), --validation " + dir.resolve("v.csv"))
            .contains("MB); try smaller layers, fewer rows or a larger heap, e.g. java -Xmx8g").doesNotContain("\n");
    }

    @Test
    void readFailure_namesTheFileWithoutAnExceptionClass() throws Exception {
        // Reading /proc/self/mem from its start fails with an input/output error, even for root.
        assumeTrue(Files.isRegularFile(Paths.get("/proc/self/mem")), "Linux /proc");
        assertThat(cli.run("info", "--model", "/proc/self/mem")).isEqualTo(2);
        assertThat(cli.err).startsWith("plainnet info: /proc/self/mem: expected a model file, found a file that cannot be read (").doesNotContain("Exception");
    }
}
