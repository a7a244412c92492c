package plainnet.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import plainnet.Activation;
import plainnet.Dense;
import plainnet.Loss;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Reduction;
import plainnet.Rng;
import plainnet.Targets;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

/**
 * {@code plainnet bench}: timed training steps (forward, loss, backward, Adam step) for a list of
 * network shapes, printed as a table and as one JSON line per case. The cases take turns in short
 * slices, so a slow spell of a shared machine slows them all alike and their ratios stay fair.
 * See SPEC.md, section "Benchmark".
 */
final class BenchCommand {

    private BenchCommand() {}

    static final String DEFAULT_CASES = "64-32-10/32,64-128-128-10/64,784-256-256-10/64,784-1024-1024-10/256,784-256-256-10/64/frozen2,"
        + "784-1024-1024-10/256/threads2,784-256-256-10/64/threads2";

    static Options options() {
        Options o = new Options("bench", "Time training steps (forward, loss, backward, Adam step) in double precision.");
        o.value("cases", "LIST", DEFAULT_CASES, "comma-separated cases SIZES/BATCH[/frozenF][/threadsT]: layer sizes joined by '-', the batch, optionally F frozen bottom layers and T threads (in either order)");
        o.value("threads", "T", "1", "threads of the cases that do not name their own (results are bit-identical for any count)");
        o.value("seconds", "S", "3", "timed seconds per case (at most 3600), after a warm-up of the same length");
        o.value("warmup", "W", "", "warm-up seconds per case (at most 3600), if not --seconds");
        o.value("loss", "NAME", "softmax", "softmax, bce or mse");
        return o;
    }

    static int run(String[] args, PrintStream out) throws UsageException {
        Options o = options();
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        int threads = o.integer("threads", 1);
        if (threads > Network.MAX_THREADS) throw new UsageException("option --threads expected at most " + Network.MAX_THREADS + ", found " + threads);
        double seconds = o.number("seconds", 0.0, true);
        if (seconds > MAX_SECONDS) throw new UsageException("option --seconds expected at most " + MAX_SECONDS + ", found " + o.required("seconds"));
        double warmup = o.get("warmup").isEmpty() ? seconds : o.number("warmup", 0.0, false);
        if (warmup > MAX_SECONDS) throw new UsageException("option --warmup expected at most " + MAX_SECONDS + ", found " + o.required("warmup"));
        String lossName = o.choice("loss", "softmax", "bce", "mse");
        List<Case> cases = new ArrayList<Case>();
        for (String c : o.required("cases").split(",", -1)) cases.add(parseCase(c.trim(), threads));

        long firstStep;
        try {
            cases.get(0).setUp(lossName);
            firstStep = System.currentTimeMillis();
            for (int c = 1; c < cases.size(); c++) cases.get(c).setUp(lossName);
            for (Case c : cases) c.warmUp(warmup);
            // The timed slices: case after case, SLICES rounds.
            for (int k = 0; k < SLICES; k++) {
                for (Case c : cases) c.slice(k, seconds / SLICES);
            }
            for (Case c : cases) c.measureAllocation();
        } finally {
            for (Case c : cases) if (c.net != null) c.net.setThreads(1); // stops the worker threads
        }

        out.printf(Locale.ROOT, "%-22s %6s %7s %7s %14s %9s %12s %14s%n", "sizes", "batch", "threads", "frozen", "examples/s", "GFLOP/s", "bytes/step", "best slice");
        for (Case c : cases) {
            out.printf(Locale.ROOT, "%-22s %6d %7d %7d %14.0f %9.2f %12s %14.0f%n", c.name, c.batch, c.threads, c.frozen, c.examplesPerSecond(), c.gflops(),
                c.allocBytesPerStep < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", c.allocBytesPerStep), c.bestExamplesPerSecond());
        }
        for (Case c : cases) {
            out.println(String.format(Locale.ROOT,
                "{\"sizes\": \"%s\", \"batch\": %d, \"threads\": %d, \"frozen\": %d, \"loss\": \"%s\", \"steps\": %d, \"examples_per_s\": %.1f, \"examples_per_s_best\": %.1f, \"gflops\": %.3f, \"alloc_bytes_per_step\": %s}",
                c.name, c.batch, c.threads, c.frozen, lossName, c.steps, c.examplesPerSecond(), c.bestExamplesPerSecond(), c.gflops(),
                c.allocBytesPerStep < 0 ? "null" : String.format(Locale.ROOT, "%.1f", c.allocBytesPerStep)));
        }
        // Each frozen or multi-threaded case against the same shape, fully trainable, on one thread.
        for (Case c : cases) {
            if (c.frozen == 0 && c.threads == 1) continue;
            for (Case base : cases) {
                if (base.frozen == 0 && base.threads == 1 && base.name.equals(c.name) && base.batch == c.batch) {
                    out.printf(Locale.ROOT, "%s/%d with %d frozen and %d thread%s: %.2fx the steps per second of all trainable on 1 thread (median slices; %.2fx best slices)%n",
                        c.name, c.batch, c.frozen, c.threads, c.threads == 1 ? "" : "s", c.examplesPerSecond() / base.examplesPerSecond(),
                        c.bestExamplesPerSecond() / base.bestExamplesPerSecond());
                    break;
                }
            }
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime(), launcher = launcherStart();
        if (launcher < 0) {
            out.printf(Locale.ROOT, "JVM start to the end of the first training step: %d ms%n", firstStep - jvmStart);
        } else {
            out.printf(Locale.ROOT, "JVM start to the end of the first training step: %d ms (from the first JVM, which started this one with the Vector API; %d ms of it before this one)%n",
                firstStep - launcher, jvmStart - launcher);
        }
        out.printf(Locale.ROOT, "JVM: %s %s, %d processors, largest vector %s bytes (HotSpot's MaxVectorSize)%n",
            System.getProperty("java.vm.name"), System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), vmOption("MaxVectorSize"));
        out.printf(Locale.ROOT, "kernels: %s%n", Network.kernels());
        return 0;
    }

    /** When the JVM that started this one started (ms since 1970; SPEC.md, section 23), or -1 where this JVM was not started by plainnet. */
    private static long launcherStart() {
        try {
            return Long.parseLong(System.getProperty(VectorLauncher.STARTED, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A HotSpot option's value, or "n/a" on a JVM that has no such option. */
    private static String vmOption(String name) {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hs == null ? "n/a" : hs.getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return "n/a"; // not HotSpot, or no such option
        }
    }

    /** Longest --seconds: a day's worth of cases is surely a typo. */
    static final double MAX_SECONDS = 3600;

    /** One item of --cases: SIZES/BATCH, then frozenF and threadsT in either order, each at most once. */
    private static Case parseCase(String c, int threads) throws UsageException {
        String[] parts = c.split("/", -1);
        String expected = "option --cases expected SIZES/BATCH[/frozenF][/threadsT] (sizes joined by '-', whole numbers) with at least 2 sizes >= 1, a batch >= 1, "
            + "fewer frozen layers than layers, 1 to " + Network.MAX_THREADS + " threads, and frozen and threads at most once each, found '" + c + "'";
        if (parts.length < 2 || parts.length > 4) throw new UsageException(expected);
        String[] s = parts[0].split("-", -1);
        int[] n = new int[s.length];
        int frozen = 0;
        boolean sawFrozen = false, sawThreads = false;
        try {
            for (int j = 0; j < s.length; j++) n[j] = whole(s[j]);
            int batch = whole(parts[1]);
            for (int p = 2; p < parts.length; p++) {
                if (parts[p].startsWith("frozen") && !sawFrozen) {
                    frozen = whole(parts[p].substring(6));
                    sawFrozen = true;
                } else if (parts[p].startsWith("threads") && !sawThreads) {
                    threads = whole(parts[p].substring(7));
                    sawThreads = true;
                } else {
                    throw new NumberFormatException();
                }
            }
            for (int v : n) if (v < 1) throw new NumberFormatException();
            if (n.length < 2 || batch < 1 || frozen >= n.length - 1 || threads < 1 || threads > Network.MAX_THREADS) throw new NumberFormatException();
            return new Case(n, batch, frozen, threads);
        } catch (NumberFormatException e) {
            throw new UsageException(expected);
        }
    }

    /** A whole number written with digits only (no sign, no spaces). */
    private static int whole(String s) {
        if (s.isEmpty()) throw new NumberFormatException();
        for (int j = 0; j < s.length(); j++) if (s.charAt(j) < '0' || s.charAt(j) > '9') throw new NumberFormatException();
        return Integer.parseInt(s);
    }

    /** Timed slices per case. */
    static final int SLICES = 10;

    /** One case: its network and batch, and what was measured. */
    static final class Case {
        final int[] sizes;
        final String name;
        final int batch, frozen, threads;
        Network net;
        Loss loss;
        Optimizer opt;
        Targets t;
        double[][] x;   // (N, I)
        double[][] dz;  // (N, K)
        final double[] perStep = new double[SLICES]; // (SLICES) seconds per step in each slice
        long steps;
        double allocBytesPerStep = -1;

        Case(int[] sizes, int batch, int frozen, int threads) {
            this.sizes = sizes;
            this.name = join(sizes);
            this.batch = batch;
            this.frozen = frozen;
            this.threads = threads;
        }

        /** Relu hidden layers, an identity output layer, random inputs and labels, Adam; then one step. */
        void setUp(String lossName) {
            Rng rng = new Rng(1);
            List<Dense> layers = new ArrayList<Dense>();
            for (int l = 0; l + 1 < sizes.length; l++) {
                layers.add(new Dense(sizes[l], sizes[l + 1], l + 2 < sizes.length ? Activation.RELU : Activation.IDENTITY, rng));
            }
            net = new Network(layers);
            net.freeze(0, frozen);
            net.setThreads(threads);
            int K = sizes[sizes.length - 1];
            x = new double[batch][sizes[0]];
            for (double[] row : x) for (int i = 0; i < row.length; i++) row[i] = rng.nextDouble();
            Kind kind = Kinds.named(lossName);
            if (kind.oneLabelColumn()) { // one class per row
                int[] c = new int[batch];
                for (int n = 0; n < batch; n++) c[n] = rng.nextInt(K);
                t = Targets.ofClasses(c, K);
            } else {
                double[][] y = new double[batch][K];
                for (double[] row : y) for (int k = 0; k < K; k++) row[k] = rng.nextDouble() < 0.5 ? 0 : 1;
                t = Targets.of(y);
            }
            loss = kind.loss(Reduction.PER_EXAMPLE, null, null);
            opt = Optimizer.adam(1e-4);
            dz = new double[batch][K];
            step();
        }

        void warmUp(double seconds) {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) step();
        }

        /** Timed slice k: steps for about {@code seconds}, at least one. */
        void slice(int k, double seconds) {
            long start = System.nanoTime(), end = start + (long) (seconds * 1e9), n = 0, now;
            do {
                step();
                n++;
                now = System.nanoTime();
            } while (now < end);
            perStep[k] = (now - start) / 1e9 / n;
            steps += n;
        }

        /**
         * Bytes allocated per step: the fewest over 5 rounds of further steps (the JIT may still
         * allocate briefly while it finishes compiling); -1 where the JVM cannot measure it.
         */
        void measureAllocation() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            if (!(mx instanceof com.sun.management.ThreadMXBean) || !((com.sun.management.ThreadMXBean) mx).isThreadAllocatedMemorySupported()) return;
            com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
            long tid = Thread.currentThread().getId();
            long m0 = bean.getThreadAllocatedBytes(tid), m1 = bean.getThreadAllocatedBytes(tid); // the measurement's own cost
            long count = Math.max(10, steps / 20);
            for (int round = 0; round < 5; round++) {
                long a0 = bean.getThreadAllocatedBytes(tid);
                for (long s = 0; s < count; s++) step();
                long a1 = bean.getThreadAllocatedBytes(tid);
                double bytes = Math.max(0, (a1 - a0) - (m1 - m0)) / (double) count;
                allocBytesPerStep = round == 0 ? bytes : Math.min(allocBytesPerStep, bytes);
            }
        }

        /** Seconds per step of the median slice (a shared machine slows some slices down). */
        double medianPerStep() {
            double[] s = perStep.clone();
            Arrays.sort(s);
            return (s[(SLICES - 1) / 2] + s[SLICES / 2]) / 2;
        }

        double examplesPerSecond() {
            return batch / medianPerStep();
        }

        double bestExamplesPerSecond() {
            double best = perStep[0];
            for (double p : perStep) best = Math.min(best, p);
            return batch / best;
        }

        double gflops() {
            return flops(sizes, batch, frozen) / medianPerStep() / 1e9;
        }

        void step() {
            double[][] z = net.forward(x);
            loss.forwardBackward(dz, z, t); // J and dz in one pass, as the training loop does
            net.zeroGrad();
            net.backward(dz);
            opt.step(net);
        }
    }

    /** Floating-point operations of one step: 2·N·I·O per product; forward always, dW for trainable layers, dx above the lowest trainable one. */
    static double flops(int[] sizes, int batch, int frozen) {
        double f = 0.0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            double p = 2.0 * batch * sizes[l] * sizes[l + 1];
            f += p;                      // forward
            if (l >= frozen) f += p;     // dW
            if (l > frozen) f += p;      // dx into the layer below
        }
        return f;
    }

    private static String join(int[] sizes) {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < sizes.length; j++) s.append(j == 0 ? "" : "-").append(sizes[j]);
        return s.toString();
    }
}
