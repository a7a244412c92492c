package plainnet.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fastest path by default (SPEC.md, section 23): where this JVM could run the Vector API
 * kernels but was started without {@code --add-modules jdk.incubator.vector}, {@link Main#main}
 * starts the same command once more in a JVM with the module, passes standard input and output
 * straight through, copies standard error without the JVM's one "Using incubator modules"
 * warning line, and exits with its exit code. The kernels give the same bits on either path, so
 * only the speed changes. {@code -Dplainnet.vector=false} keeps the command in this JVM (and on
 * the plain kernels).
 */
final class VectorLauncher {

    private VectorLauncher() {}

    static final String MODULE = "jdk.incubator.vector";

    /** The line the JVM prints on standard error when it loads an incubator module. */
    static final String WARNING = "WARNING: Using incubator modules: " + MODULE;

    /** Set in the JVM started here: the launcher's JVM start (ms since 1970), for bench's start-up line; also stops a second relaunch. */
    static final String STARTED = "plainnet.launcherStarted";

    /**
     * The commands whose time goes into training steps, where the Vector API kernels were
     * measured faster once warmed up (README, "Performance"); the others (evaluate, predict,
     * gradcheck, info, export, vectors, compute, verify, help, version) run in this JVM, where their
     * time is mostly start-up and reading files.
     */
    private static final List<String> COMMANDS = Arrays.asList("train", "transfer", "bench", "demo");

    /**
     * Runs the command in a JVM with the Vector API where that is possible and not switched off.
     *
     * @param args the command line's arguments
     * @return the exit code of the command run in the new JVM (any int: on some systems a crash's
     *         code is negative), or null where it is to run in this one
     */
    static Integer relaunch(String[] args) {
        if (args.length == 0 || !COMMANDS.contains(args[0]) || Arrays.asList(args).contains("--help") || !wanted()) return null;
        List<String> command = commandLine(args);
        if (command == null) return null;
        ProcessBuilder pb = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        if (command.contains(REBUILT)) pb.environment().remove("JDK_JAVA_OPTIONS"); // the rebuilt options hold them already
        final Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return null; // no second JVM: run here, on the plain kernels
        }
        final Thread copier = new Thread(() -> {
            try {
                copyErrors(p.getErrorStream(), System.err);
            } catch (IOException e) {
                // the command has ended or its stream is gone: nothing more to copy
            }
        }, "plainnet-stderr");
        copier.start();
        // Ctrl-C or a kill of this JVM stops the command too, and waits for its last messages
        // (e.g. train's "interrupted; ... left as it was").
        Thread stop = new Thread(() -> {
            terminate(p);
            try {
                p.waitFor();
                copier.join(5000);
            } catch (InterruptedException e) {
                // halting anyway
            }
        });
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            int code = p.waitFor();
            copier.join();
            return code;
        } catch (InterruptedException e) {
            p.destroy();
            return 130;
        }
    }

    /**
     * Sends the command the same request to stop (SIGTERM on Unix) without closing its streams,
     * as {@code Process.destroy} would, so that its last messages still arrive: through
     * {@code ProcessHandle}, which exists wherever this launcher runs (Java 17+), called by
     * reflection because this file compiles with --release 8.
     */
    private static void terminate(Process p) {
        try {
            Object handle = Process.class.getMethod("toHandle").invoke(p);
            Class.forName("java.lang.ProcessHandle").getMethod("destroy").invoke(handle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            p.destroy();
        }
    }

    /**
     * Whether to start a JVM with the module: not switched off, not started here already, the
     * Vector API kernels compiled into this jar, and the module in this JDK but not loaded.
     */
    static boolean wanted() {
        if ("false".equals(System.getProperty("plainnet.vector")) || System.getProperty(STARTED) != null) return false;
        if (VectorLauncher.class.getClassLoader().getResource("plainnet/VectorKernels.class") == null) return false;
        try {
            // Java 9+ API through reflection, because this file compiles with --release 8:
            // ModuleLayer.boot().findModule(MODULE) and ModuleFinder.ofSystem().find(MODULE).
            Class<?> layer = Class.forName("java.lang.ModuleLayer");
            Object boot = layer.getMethod("boot").invoke(null);
            if (((java.util.Optional<?>) layer.getMethod("findModule", String.class).invoke(boot, MODULE)).isPresent()) return false;
            Class<?> finder = Class.forName("java.lang.module.ModuleFinder");
            Object system = finder.getMethod("ofSystem").invoke(null);
            return ((java.util.Optional<?>) finder.getMethod("find", String.class).invoke(system, MODULE)).isPresent();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false; // Java 8: no modules
        }
    }

    /** Marks a command line rebuilt from the JVM's options (not read from /proc). */
    private static final String REBUILT = "-D" + STARTED + "Rebuilt=true";

    /**
     * This JVM's command line with {@code --add-modules jdk.incubator.vector} added: on Linux
     * read from /proc/self/cmdline (so -jar or -cp, options and @argfiles stay as the user typed
     * them), elsewhere rebuilt from the JVM's options and class path; null where neither works.
     */
    static List<String> commandLine(String[] args) {
        long started = "bench".equals(args[0]) ? ManagementFactory.getRuntimeMXBean().getStartTime() : System.currentTimeMillis();
        List<String> c = new ArrayList<String>();
        c.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        c.add("--add-modules=" + MODULE);
        c.add("-D" + STARTED + "=" + started);
        if (System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                String[] argv = new String(Files.readAllBytes(Paths.get("/proc/self/cmdline")), StandardCharsets.UTF_8).split("\0", -1);
                int n = argv.length - 1; // the file ends with \0
                // The tail must be exactly the command's arguments (it differs e.g. where the locale is not UTF-8).
                if (n < 1 + args.length || !Arrays.asList(argv).subList(n - args.length, n).equals(Arrays.asList(args))) return null;
                c.addAll(Arrays.asList(argv).subList(1, n));
                return c;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        c.add(REBUILT);
        c.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(Main.class.getName());
        c.addAll(Arrays.asList(args));
        return c;
    }

    /**
     * The notes the JVM prints on standard error before the warning where options come from the
     * environment; the second JVM inherits that environment and would print them a second time.
     */
    private static final List<String> NOTES = Arrays.asList(
        "NOTE: Picked up JDK_JAVA_OPTIONS: ", "Picked up JAVA_TOOL_OPTIONS: ", "Picked up _JAVA_OPTIONS: ");

    /**
     * Copies the command's standard error to {@code err} as it comes, without the JVM's incubator
     * warning line and without the JVM's option notes before it (this JVM printed those already).
     */
    static void copyErrors(InputStream in, PrintStream err) throws IOException {
        int b;
        while (true) {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            while ((b = in.read()) >= 0 && b != '\n' && (first.size() <= WARNING.length() || isNote(first))) first.write(b);
            String line = new String(first.toByteArray(), StandardCharsets.UTF_8);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (b == '\n' && line.equals(WARNING)) break;
            if (b == '\n' && isNote(first)) continue;
            first.writeTo(err);
            if (b >= 0) err.write(b);
            err.flush();
            break;
        }
        if (b < 0) return;
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            err.write(buf, 0, n);
            err.flush();
        }
    }

    /** Whether the bytes read so far start with one of the JVM's option notes. */
    private static boolean isNote(ByteArrayOutputStream line) {
        String s = new String(line.toByteArray(), StandardCharsets.UTF_8);
        for (String note : NOTES) if (s.startsWith(note)) return true;
        return false;
    }
}
