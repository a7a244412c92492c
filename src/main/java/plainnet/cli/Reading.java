package plainnet.cli;

import java.io.PrintStream;
import plainnet.io.Csv;

/**
 * The shutdown hook of data loading: a Ctrl-C (SIGINT) or SIGTERM while a data file loads prints
 * one line naming the file and the line reached, e.g. {@code plainnet train: interrupted while
 * reading d.csv (line 81233); nothing was written}. Nothing is written before the data is read, so
 * that is all there is to say; once training starts, its own hook ({@code Train.Interrupt})
 * reports. The process's exit code stays the JVM's (130 for SIGINT, 143 for SIGTERM). See SPEC.md,
 * section "Command line".
 */
final class Reading extends Thread {

    private static volatile String file;       // the data file being read, or null
    private static volatile Csv csv;           // its header and records, once opened
    private static volatile boolean returned;  // the command has returned: an exit now is no interruption

    private final String command;
    private final PrintStream err;

    private Reading(String command, PrintStream err) {
        this.command = command;
        this.err = err;
    }

    /** Registers the hook for the process's command (from {@link Main#main} only: a shutdown hook is per process). */
    static void watch(String command, PrintStream err) {
        Runtime.getRuntime().addShutdownHook(new Reading(command, err));
    }

    /** The command has returned; the JVM exits with its code. */
    static void returned() {
        returned = true;
    }

    /** A data file starts loading (its header first). */
    static void begin(String name) {
        csv = null;
        file = name;
    }

    /** The header of the file being loaded is read; its records follow. */
    static void opened(Csv c) {
        csv = c;
    }

    /** The data file has loaded (or failed to: the error says so). */
    static void end() {
        file = null;
        csv = null;
    }

    @Override
    public void run() {
        String f = file;
        Csv c = csv;
        if (returned || f == null) return;
        err.println("plainnet " + command + ": interrupted while reading " + f + " (line " + (c == null ? 1 : c.line()) + "); nothing was written");
        err.flush();
    }
}
