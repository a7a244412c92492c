package plainnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.cli.Main;

/**
 * README's "Two questions on your own data" section, run as written on the CSV files `make demo`
 * writes: every command succeeds, and the outputs it quotes are the ones the commands print.
 */
class ReadmeQuestionsTest {

    private static final String HEADING = "## Two questions on your own data";

    @TempDir
    Path target;

    /** The code blocks of the section: the commands first, then the quoted outputs. */
    private static List<List<String>> blocks() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith(HEADING)).findFirst().orElseThrow());
        List<List<String>> blocks = new ArrayList<>();
        List<String> block = null;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) break;
            if (line.startsWith("```")) {
                if (block == null) {
                    block = new ArrayList<>();
                } else {
                    blocks.add(block);
                    block = null;
                }
                continue;
            }
            if (block != null) block.add(line);
        }
        return blocks;
    }

    /** The $J commands of a block, continuation lines joined, "target/" pointing at the test's folder. */
    private List<List<String>> commands(List<String> block) {
        List<List<String>> commands = new ArrayList<>();
        String pending = "";
        for (String line : block) {
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
    void twoQuestionsSection_runsAsWritten_andPrintsWhatItQuotes() throws Exception {
        Demo.Settings s = new Demo.Settings();
        s.data = Path.of("test-data/digits");
        s.out = target.resolve("demo");
        Files.createDirectories(s.out);
        Demo.writeCsvFiles(new Lab(s, new DigitsData(s.data), null, null));

        List<List<String>> blocks = blocks();
        assertThat(blocks).hasSize(4);
        List<String> outputs = new ArrayList<>();
        for (List<String> c : commands(blocks.get(0))) {
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            int code = Main.run(c.toArray(new String[0]), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
            assertThat(code).as("%s%n%s", String.join(" ", c), e.toString(StandardCharsets.UTF_8)).isZero();
            outputs.add(o.toString(StandardCharsets.UTF_8));
        }
        assertThat(outputs).hasSize(5);
        // the strategy table and its choice, as quoted
        for (String line : blocks.get(1)) assertThat(outputs.get(1)).contains(line.replace("target/", target + "/"));
        assertThat(Files.exists(target.resolve("B.json"))).isTrue();
        assertThat(Files.exists(target.resolve("B.strategies.csv"))).isTrue();
        // the small shared network hurts the quoted tasks; the wider one none
        for (String line : blocks.get(2)) if (!line.equals("...")) assertThat(outputs.get(2)).contains(line);
        assertThat(outputs.get(3)).contains("the shared network hurts no task beyond noise.").doesNotContain("<- hurt");
        // the groups: the digit and the attributes, as quoted
        for (String line : blocks.get(3)) assertThat(outputs.get(4)).contains(line);
        assertThat(outputs.get(4)).contains("the shared network hurts no task beyond noise.");

        // the saved model on the test rows, as the prose quotes it
        List<String> prose = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        String quoted = prose.stream().filter(l -> l.startsWith("`$J evaluate --model target/B.json")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`\\$J (evaluate [^`]*)` prints `([^`]*)`").matcher(quoted);
        assertThat(m.find()).as(quoted).isTrue();
        List<String> args = commands(List.of("$J " + m.group(1))).get(0);
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        assertThat(Main.run(args.toArray(new String[0]), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8)))
            .as(e.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(o.toString(StandardCharsets.UTF_8)).contains(m.group(2) + " (");
    }
}
