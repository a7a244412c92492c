package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import plainnet.io.FormatException;
import plainnet.io.TextFiles;

/**
 * The command line: {@code java -jar target/plainnet.jar COMMAND [OPTIONS]}. Exit codes: 0
 * success, 1 a failed check or diverged training, 2 bad usage or bad input. See SPEC.md, section
 * "Command line".
 */
public final class Main {

    static final String VERSION = "1.0.0";

    private static final String USAGE =
        "usage: java -jar plainnet.jar COMMAND [OPTIONS]      (COMMAND --help for its options)\n"
        + "\n"
        + "plainnet " + VERSION + ": dense neural networks for transfer and multi-task learning in plain Java.\n"
        + "\n"
        + "commands:\n"
        + "  train      train a new network on a CSV file and save the model (--group: tasks of mixed kinds on one trunk)\n"
        + "  transfer   reuse a saved model for new labels: new head, frozen base, optional fine-tuning; --strategy auto: does transfer help here?; --add-task, --remove-task\n"
        + "  evaluate   metrics of a model on a labeled CSV file\n"
        + "  predict    write a model's predictions for a CSV file\n"
        + "  compare-tasks  does multi-task help here? one network for all label columns vs one per column, on validation\n"
        + "  gradcheck  check a model's gradients by finite differences on a sample of rows\n"
        + "  info       print a model's layers, parameter counts and frozen layers\n"
        + "  export     write a model as an ONNX file (--format onnx), to run in onnxruntime and other runtimes\n"
        + "  vectors    regenerate the golden test vectors (test-data/vectors)\n"
        + "  compute    plainnet's results for a vector, in the result format other implementations write\n"
        + "  verify     compare result files with the vectors: per array errors, PASS/FAIL, earliest failing stage\n"
        + "  bench      time training steps for a list of network shapes\n"
        + "  demo       reproduce the lecture's transfer and multi-task claims on the bundled digits\n"
        + "  help       print this text\n"
        + "  version    print the version\n"
        + "\n"
        + "exit codes: 0 success, 1 failed check or diverged training, 2 bad usage or bad input\n";

    private Main() {}

    /**
     * The command line: runs {@link #run} on the process's streams and exits with its code
     * (SPEC.md, section 21). Where the JDK has the Vector API but this JVM was started without
     * it, the command runs in a second JVM with it instead (the same bits, faster; SPEC.md,
     * section 23), unless {@code -Dplainnet.vector=false}.
     *
     * @param args the command and its options, e.g. {@code train --data d.csv --features a..c --labels y --out m.json}
     */
    public static void main(String[] args) {
        Integer relaunched = VectorLauncher.relaunch(args);
        if (relaunched != null) System.exit(relaunched);
        Reading.watch(args.length == 0 ? "" : args[0], System.err);
        int code;
        try {
            code = run(args, System.out, System.err);
        } finally {
            Reading.returned();
        }
        System.exit(code);
    }

    /** The options that name input files, for the out-of-memory message. */
    private static final String[] INPUTS = {"model", "data", "validation", "vector", "result"};

    /** The one-line out-of-memory message: the command's input files with their sizes, and what to try. */
    static String outOfMemory(String command, String[] args) {
        StringBuilder files = new StringBuilder();
        for (int j = 0; j < args.length; j++) {
            for (String name : INPUTS) {
                String value = null;
                if (args[j].equals("--" + name) && j + 1 < args.length) value = args[j + 1];
                else if (args[j].startsWith("--" + name + "=")) value = args[j].substring(name.length() + 3);
                if (value == null) continue;
                Path p = Paths.get(value);
                files.append(files.length() == 0 ? "" : ", ").append("--").append(name).append(' ').append(value);
                if (Files.isRegularFile(p)) {
                    try {
                        files.append(String.format(Locale.ROOT, " (%.1f MB)", Files.size(p) / 1e6));
                    } catch (IOException e) {
                        // the size is only a hint
                    }
                }
            }
        }
        return "plainnet " + command + ": not enough memory for the model and data" + (files.length() == 0 ? "" : " of " + files)
            + " (the Java heap holds at most " + Runtime.getRuntime().maxMemory() / 1000000 + " MB); try smaller layers, fewer rows or a larger heap, e.g. java -Xmx8g -jar plainnet.jar";
    }

    /**
     * Runs one command (SPEC.md, section 21). Never throws for bad usage or bad input: the
     * message goes to {@code err} as one line.
     *
     * @param args the command and its options
     * @param out  where the command's results go
     * @param err  where messages, progress and errors go
     * @return the exit code: 0 success, 1 failed check or diverged training, 2 bad usage or bad input
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (command) {
                case "help": case "--help": case "-h":
                    out.print(USAGE);
                    return 0;
                case "version": case "--version":
                    out.println("plainnet " + VERSION);
                    return 0;
                case "train":     return Train.train(rest, out, err);
                case "transfer":  return Strategies.transfer(rest, out, err);
                case "compare-tasks": return CompareTasks.run(rest, out, err);
                case "evaluate":  return Inspect.evaluate(rest, out, err);
                case "predict":   return Inspect.predict(rest, out, err);
                case "gradcheck": return Inspect.gradcheck(rest, out, err);
                case "info":      return Inspect.info(rest, out);
                case "export":    return ExportCommand.run(rest, out);
                case "demo":      return DemoCommand.run(rest, out, err);
                case "vectors":   return VectorCommands.vectors(rest, out);
                case "compute":   return VectorCommands.compute(rest, out);
                case "verify":    return VectorCommands.verify(rest, out);
                case "bench":     return BenchCommand.run(rest, out);
                default:
                    err.println("plainnet: unknown command '" + command + "'; expected one of: train, transfer, compare-tasks, evaluate, predict, gradcheck, info, export, vectors, compute, verify, bench, demo, help, version");
                    return 2;
            }
        } catch (UsageException e) {
            err.println("plainnet " + command + ": " + e.getMessage());
            return 2;
        } catch (FormatException e) {
            err.println("plainnet " + command + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("plainnet " + command + ": cannot read or write a file: " + TextFiles.describe(e));
            return 2;
        } catch (IllegalArgumentException e) {
            // A check of the core library at its public entry (for example a label outside [0, 1]).
            err.println("plainnet " + command + ": " + e.getMessage());
            return 2;
        } catch (StackOverflowError e) {
            err.println("plainnet " + command + ": the input is nested too deeply or too large to process (stack overflow)");
            return 2;
        } catch (OutOfMemoryError e) {
            err.println(outOfMemory(command, rest));
            return 2;
        } catch (RuntimeException e) {
            // Not expected: a defect of plainnet. Still one line, never a stack trace.
            err.println("plainnet " + command + ": internal error: " + e + " (please report it with the command that caused it)");
            return 2;
        }
    }
}
