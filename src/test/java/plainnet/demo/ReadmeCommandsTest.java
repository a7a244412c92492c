package plainnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.cli.Main;
import plainnet.io.ModelFile;

/**
 * README's "Command line" block, run as written on the CSV files `make demo` writes (the
 * digits with the digit and six task columns), and the rule that keeps a model from reading
 * those label columns (issue 20, item 1).
 */
class ReadmeCommandsTest {

    /** The label columns of the bundled CSV files: the digit and the six tasks computed from it. */
    static final List<String> LABELS = Arrays.asList("digit", "even", "greater_than_4", "closed_loop", "prime", "multiple_of_3", "straight_strokes_only");

    @TempDir
    static Path target;

    private String out, err;

    /** Writes the demo's CSV files into target/demo, as `make demo` does (without running the experiments). */
    @BeforeAll
    static void csvFiles() throws Exception {
        Demo.Settings s = new Demo.Settings();
        s.data = Path.of("test-data/digits");
        s.out = target.resolve("demo");
        Files.createDirectories(s.out);
        Demo.writeCsvFiles(new Lab(s, new DigitsData(s.data), null, null));
    }

    private int run(List<String> args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(new String[0]), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    /** The $J commands of README's command-line block, continuation lines joined, "target/" pointing at the test's folder. */
    static List<List<String>> readmeCommands(Path target) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = lines.indexOf("J=\"java -jar target/plainnet.jar\"");
        assertThat(start).as("README has the command-line block").isPositive();
        List<List<String>> commands = new ArrayList<>();
        String pending = "";
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("```")) break;
            if (line.startsWith("#")) continue;
            pending += line.trim();
            if (pending.endsWith("\\")) {
                pending = pending.substring(0, pending.length() - 1) + " ";
                continue;
            }
            assertThat(pending).as("a README command").startsWith("$J ");
            List<String> args = new ArrayList<>();
            for (String word : pending.substring(3).trim().split("\\s+")) args.add(word.startsWith("target/") ? target.resolve(word.substring(7)).toString() : word);
            commands.add(args);
            pending = "";
        }
        return commands;
    }

    @Test
    void bundledCsv_trainWithoutFeatures_isRefused_namingThePixelRangeAndTheLabelColumns() {
        String data = target.resolve("demo/digits_train.csv").toString();
        assertThat(run(List.of("train", "--data", data, "--labels", "digit", "--loss", "softmax", "--epochs", "1", "--out", target.resolve("leak.json").toString())))
            .as(err).isEqualTo(2);
        assertThat(err).contains("are 70 (pixel_0_0..pixel_7_7, even..straight_strokes_only)").contains("e.g. --features pixel_0_0..pixel_7_7").contains("--features all");
        assertThat(Files.exists(target.resolve("leak.json"))).isFalse();
    }

    @Test
    void readmeCommandLineBlock_runsAsWritten_andNoModelReadsALabelColumn() throws Exception {
        List<List<String>> commands = readmeCommands(target);
        assertThat(commands).extracting(c -> c.get(0)).contains("train", "transfer", "evaluate", "predict", "info", "gradcheck");
        for (List<String> c : commands) {
            assertThat(run(c)).as("%s%n%s", String.join(" ", c), err).isZero();
            int at = c.indexOf("--out");
            if (at < 0 || !c.get(at + 1).endsWith(".json")) continue;
            ModelFile m = ModelFile.load(Path.of(c.get(at + 1)));
            assertThat(m.features).as("the inputs of %s", c.get(at + 1)).hasSize(64).doesNotContainAnyElementsOf(LABELS);
            if (c.get(0).equals("train")) assertThat(err).as(String.join(" ", c)).contains("features 64 columns (pixel_0_0..pixel_7_7)");
        }
    }
}
