package plainnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.cli.Main;

/**
 * README's first command-line example ("Command line") on the digits files that {@code make demo}
 * writes: it keeps the best epoch with --patience, and the numbers the README quotes about it (the
 * kept epoch and its validation loss, and epoch 40's loss without --patience) are what plainnet prints.
 */
class ReadmeHistoryTest {

    @TempDir
    Path dir;

    private String out, err;

    private int run(List<String> args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(new String[0]), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    /** The README command starting with {@code prefix}, its continuation lines joined, split into arguments, files moved into dir. */
    private List<String> command(List<String> readme, String prefix) {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < readme.size(); j++) {
            if (!readme.get(j).startsWith(prefix)) continue;
            for (int k = j; ; k++) {
                String line = readme.get(k).trim();
                boolean more = line.endsWith("\\");
                s.append(more ? line.substring(0, line.length() - 1) : line).append(' ');
                if (!more) break;
            }
            break;
        }
        List<String> args = new ArrayList<>();
        for (String a : s.toString().trim().split("\\s+")) args.add(a.replace("target/demo/", dir + "/").replace("target/", dir + "/"));
        assertThat(args).as("README has the command " + prefix).hasSizeGreaterThan(5);
        return args.subList(1, args.size()); // without "$J"
    }

    @Test
    void readmeFirstExample_keepsTheBestEpoch_andTheReadmeQuotesItsNumbers() throws Exception {
        Demo.Settings s = new Demo.Settings();
        s.out = dir;
        Demo.writeCsvFiles(new Lab(s, new DigitsData(s.data), null, null));
        List<String> readme = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        String text = String.join(" ", readme).replaceAll("\\s+", " ");
        List<String> train = command(readme, "$J train --data target/demo/digits_train.csv --features pixel_0_0..pixel_7_7 --labels digit");
        assertThat(train).contains("--patience", "--history");

        assertThat(run(train)).as(err).isZero();
        String kept = out.lines().filter(l -> l.startsWith("kept the weights")).findFirst().orElse("(none)");
        assertThat(text).as("README quotes the kept line").contains("`" + kept + "`");
        Path csv = dir.resolve("A.csv");
        assertThat(csv).exists();
        assertThat(dir.resolve("A.svg")).exists();

        // The same without --patience: every epoch runs and the last one is saved.
        List<String> all = new ArrayList<>(train);
        int p = all.indexOf("--patience");
        all.remove(p + 1);
        all.remove(p);
        assertThat(run(all)).as(err).isZero();
        List<String> lines = Files.readAllLines(csv);
        double last = Double.parseDouble(lines.get(lines.size() - 1).split(",")[5]);
        int bestEpoch = 0;
        double best = Double.POSITIVE_INFINITY;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (Double.parseDouble(f[5]) < best) {
                best = Double.parseDouble(f[5]);
                bestEpoch = Integer.parseInt(f[0]);
            }
        }
        assertThat(text).contains(String.format(Locale.ROOT, "save epoch %d, whose validation loss (%.3f) is worse than epoch %d's (%.3f)",
            lines.size() - 1, last, bestEpoch, best));
        assertThat(kept).startsWith("kept the weights of epoch " + bestEpoch + " ");
    }
}
