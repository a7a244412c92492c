package plainnet.cli;

import java.io.PrintStream;

/**
 * The command line: {@code java -jar target/plainnet.jar COMMAND ...}. Exit codes: 0 success,
 * 1 a failed check, 2 bad usage or bad input.
 */
public final class Main {

    static final String VERSION = "0.1.0";

    private static final String USAGE =
        "usage: java -jar plainnet.jar COMMAND [OPTIONS]\n"
        + "\n"
        + "plainnet " + VERSION + ": dense neural networks for transfer and multi-task learning in plain Java.\n"
        + "\n"
        + "commands:\n"
        + "  demo       reproduce the lecture's transfer and multi-task claims on the bundled digits\n"
        + "  help       print this text\n"
        + "  version    print the version\n"
        + "\n"
        + "The core library (package plainnet) is documented in README.md and SPEC.md.\n";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String command = args[0];
        if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
            out.print(USAGE);
            return 0;
        }
        if (command.equals("version") || command.equals("--version")) {
            out.println("plainnet " + VERSION);
            return 0;
        }
        if (command.equals("demo")) {
            return DemoCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        err.println("plainnet: unknown command '" + command + "'; expected one of: demo, help, version (see 'plainnet help')");
        return 2;
    }
}
