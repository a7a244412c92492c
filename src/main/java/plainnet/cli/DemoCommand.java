package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import plainnet.demo.Demo;
import plainnet.io.TextFiles;

/** {@code plainnet demo}: runs {@link Demo} with the bundled data. */
final class DemoCommand {

    private DemoCommand() {}

    static Options options() {
        Options o = new Options("demo", "Reproduce the lecture's transfer and multi-task claims on the bundled digits: tables on standard output,\n"
            + "progress on standard error, SVG charts, report.txt and ready-to-use CSV files in --out.");
        o.value("data", "DIR", "test-data/digits", "the digits files");
        o.value("out", "DIR", "target/demo", "where the charts, report.txt and CSV files go");
        o.value("repeats", "R", "5", "repeats of every setting (2-100; each draws its own validation split, rows, label mask and seeds)");
        o.value("steps", "S", "1500", "about S training steps per run");
        o.value("threads", "T", String.valueOf(new Demo.Settings().threads), "runs in parallel; the results do not depend on it");
        return o;
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options o = options();
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        Demo.Settings s = new Demo.Settings();
        s.data = Paths.get(o.get("data"));
        s.out = Paths.get(o.get("out"));
        s.repeats = o.integer("repeats", 1);
        s.steps = o.integer("steps", 1);
        s.threads = o.integer("threads", 1);
        TextFiles.checkFolder(s.out, "--out"); // before any work: the demo runs for seconds before it writes
        try {
            Demo.run(s, out, err);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return 0;
    }
}
