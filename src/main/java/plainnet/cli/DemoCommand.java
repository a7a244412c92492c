package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import plainnet.demo.Demo;
import plainnet.io.FormatException;

/** {@code plainnet demo}: runs {@link Demo} with the bundled data. */
final class DemoCommand {

    private DemoCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Demo.Settings s = new Demo.Settings();
        for (int j = 0; j < args.length; j++) {
            String a = args[j];
            if (a.equals("--help") || a.equals("-h")) {
                out.print("usage: plainnet demo [--data DIR] [--out DIR] [--repeats R] [--steps S] [--threads T]\n"
                    + "  --data DIR     the digits files (default test-data/digits)\n"
                    + "  --out DIR      where the charts and report.txt go (default target/demo)\n"
                    + "  --repeats R    repeats of every setting (default 5)\n"
                    + "  --steps S      about S training steps per run (default 1500)\n"
                    + "  --threads T    runs in parallel (default: min(2, cores)); results do not depend on it\n");
                return 0;
            }
            if (j + 1 >= args.length) {
                err.println("plainnet demo: " + a + " expected a value, found none (see 'plainnet demo --help')");
                return 2;
            }
            String v = args[++j];
            try {
                if (a.equals("--data")) s.data = Paths.get(v);
                else if (a.equals("--out")) s.out = Paths.get(v);
                else if (a.equals("--repeats")) s.repeats = positive(a, v);
                else if (a.equals("--steps")) s.steps = positive(a, v);
                else if (a.equals("--threads")) s.threads = positive(a, v);
                else {
                    err.println("plainnet demo: unknown option " + a + " (see 'plainnet demo --help')");
                    return 2;
                }
            } catch (IllegalArgumentException e) {
                err.println("plainnet demo: " + e.getMessage());
                return 2;
            }
        }
        try {
            Demo.run(s, out, err);
            return 0;
        } catch (FormatException e) {
            err.println("plainnet demo: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("plainnet demo: cannot read or write a file: " + e);
            return 2;
        }
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " expected a whole number >= 1, found \"" + v + "\"");
    }
}
