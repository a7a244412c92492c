package plainnet.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Loss;
import plainnet.MeanSquaredError;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Targets;

/**
 * {@code plainnet bench}: timed training steps (forward, loss, backward, Adam step) for a list of
 * network shapes, printed as a table and as one JSON line per case. See SPEC.md, section
 * "Benchmark".
 */
final class BenchCommand {

    private BenchCommand() {}

    static final String DEFAULT_CASES = "64-32-10/32,64-128-128-10/64,784-256-256-10/64,784-1024-1024-10/256,784-256-256-10/64/frozen2";

    static Options options() {
        Options o = new Options("bench", "Time training steps (forward, loss, backward, Adam step) in double precision.");
        o.value("cases", "LIST", DEFAULT_CASES, "comma-separated cases SIZES/BATCH[/frozenF]: layer sizes joined by '-', the batch, and optionally F frozen bottom layers");
        o.value("threads", "T", "1", "threads per step (results are bit-identical for any count)");
        o.value("seconds", "S", "3", "timed seconds per case, after a warm-up of the same length");
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
        double seconds = o.number("seconds", 0.0, true);
        String lossName = o.choice("loss", "softmax", "bce", "mse");
        List<int[]> sizes = new ArrayList<int[]>();
        List<int[]> settings = new ArrayList<int[]>(); // {batch, frozen}
        for (String c : o.required("cases").split(",")) parseCase(c.trim(), sizes, settings);

        out.printf(Locale.ROOT, "%-22s %6s %7s %7s %14s %9s %12s %14s%n", "sizes", "batch", "threads", "frozen", "examples/s", "GFLOP/s", "bytes/step", "best slice");
        List<String> json = new ArrayList<String>();
        for (int c = 0; c < sizes.size(); c++) {
            Result r = measure(sizes.get(c), settings.get(c)[0], settings.get(c)[1], threads, seconds, lossName);
            String name = join(sizes.get(c));
            out.printf(Locale.ROOT, "%-22s %6d %7d %7d %14.0f %9.2f %12s %14.0f%n", name, r.batch, threads, r.frozen, r.examplesPerSecond, r.gflops,
                r.allocBytesPerStep < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", r.allocBytesPerStep), r.bestExamplesPerSecond);
            json.add(String.format(Locale.ROOT,
                "{\"sizes\": \"%s\", \"batch\": %d, \"threads\": %d, \"frozen\": %d, \"loss\": \"%s\", \"steps\": %d, \"examples_per_s\": %.1f, \"examples_per_s_best\": %.1f, \"gflops\": %.3f, \"alloc_bytes_per_step\": %s}",
                name, r.batch, threads, r.frozen, lossName, r.steps, r.examplesPerSecond, r.bestExamplesPerSecond, r.gflops, r.allocBytesPerStep < 0 ? "null" : String.format(Locale.ROOT, "%.1f", r.allocBytesPerStep)));
        }
        for (String j : json) out.println(j);
        out.printf(Locale.ROOT, "JVM start to the end of the first training step: %d ms%n", firstStep - ManagementFactory.getRuntimeMXBean().getStartTime());
        out.printf(Locale.ROOT, "JVM: %s %s, %d processors, largest vector %s bytes (HotSpot's MaxVectorSize)%n",
            System.getProperty("java.vm.name"), System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), vmOption("MaxVectorSize"));
        return 0;
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

    private static void parseCase(String c, List<int[]> sizes, List<int[]> settings) throws UsageException {
        String[] parts = c.split("/");
        if (parts.length < 2 || parts.length > 3) throw new UsageException("option --cases expected SIZES/BATCH[/frozenF] items such as 64-32-10/32, found '" + c + "'");
        String[] s = parts[0].split("-");
        int[] n = new int[s.length];
        try {
            for (int j = 0; j < s.length; j++) n[j] = Integer.parseInt(s[j]);
            int batch = Integer.parseInt(parts[1]);
            int frozen = parts.length == 3 && parts[2].startsWith("frozen") ? Integer.parseInt(parts[2].substring(6)) : 0;
            if (parts.length == 3 && !parts[2].startsWith("frozen")) throw new NumberFormatException();
            for (int v : n) if (v < 1) throw new NumberFormatException();
            if (n.length < 2 || batch < 1 || frozen < 0 || frozen >= n.length - 1) throw new NumberFormatException();
            sizes.add(n);
            settings.add(new int[] {batch, frozen});
        } catch (NumberFormatException e) {
            throw new UsageException("option --cases expected SIZES/BATCH[/frozenF] with at least 2 sizes >= 1, a batch >= 1 and fewer frozen layers than layers, found '" + c + "'");
        }
    }

    /** Wall-clock time of the end of the first training step in this JVM (0 before it). */
    private static long firstStep;

    static final class Result {
        int batch, frozen;
        long steps;
        double examplesPerSecond, bestExamplesPerSecond, gflops, allocBytesPerStep;
    }

    /** Timed slices per case. */
    static final int SLICES = 10;

    /** Times training steps of one case: a warm-up of {@code seconds}, then {@code seconds} timed in SLICES slices. */
    static Result measure(int[] sizes, int batch, int frozen, int threads, double seconds, String lossName) {
        Rng rng = new Rng(1);
        List<Dense> layers = new ArrayList<Dense>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            layers.add(new Dense(sizes[l], sizes[l + 1], l + 2 < sizes.length ? Activation.RELU : Activation.IDENTITY, rng));
        }
        Network net = new Network(layers);
        net.freeze(0, frozen);
        net.setThreads(threads);
        int K = sizes[sizes.length - 1];
        double[][] x = new double[batch][sizes[0]];
        for (double[] row : x) for (int i = 0; i < row.length; i++) row[i] = rng.nextDouble();
        Targets t;
        Loss loss;
        if (lossName.equals("softmax")) {
            int[] c = new int[batch];
            for (int n = 0; n < batch; n++) c[n] = rng.nextInt(K);
            t = Targets.ofClasses(c, K);
            loss = new SoftmaxCrossEntropy();
        } else {
            double[][] y = new double[batch][K];
            for (double[] row : y) for (int k = 0; k < K; k++) row[k] = rng.nextDouble() < 0.5 ? 0 : 1;
            t = Targets.of(y);
            loss = lossName.equals("bce") ? new BinaryCrossEntropy() : new MeanSquaredError();
        }
        Optimizer opt = Optimizer.adam(1e-4);
        double[][] dz = new double[batch][K];

        step(net, loss, opt, x, t, dz);
        if (firstStep == 0) firstStep = System.currentTimeMillis();
        long warm = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warm) step(net, loss, opt, x, t, dz);

        // The timed seconds in SLICES equal slices (at least one step each): a shared machine slows
        // some of them down, so the median slice is reported, and the fastest one beside it.
        double[] perStep = new double[SLICES]; // (SLICES) seconds per step in each slice
        long steps = 0;
        for (int k = 0; k < SLICES; k++) {
            long start = System.nanoTime(), end = start + (long) (seconds * 1e9 / SLICES), n = 0, now;
            do {
                step(net, loss, opt, x, t, dz);
                n++;
                now = System.nanoTime();
            } while (now < end);
            perStep[k] = (now - start) / 1e9 / n;
            steps += n;
        }
        java.util.Arrays.sort(perStep);
        double median = (perStep[(SLICES - 1) / 2] + perStep[SLICES / 2]) / 2;

        // Allocation, over a separate run of steps after the timed ones (the code is compiled by
        // then; during compilation the JVM may briefly allocate objects it later optimises away).
        double allocPerStep = -1;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean && ((com.sun.management.ThreadMXBean) mx).isThreadAllocatedMemorySupported()) {
            com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
            long tid = Thread.currentThread().getId();
            long m0 = bean.getThreadAllocatedBytes(tid), m1 = bean.getThreadAllocatedBytes(tid); // the measurement's own cost
            long count = Math.max(10, steps / 20);
            for (int round = 0; round < 5; round++) { // the fewest of 5 rounds: the JIT may still be finishing its work
                long a0 = bean.getThreadAllocatedBytes(tid);
                for (long s = 0; s < count; s++) step(net, loss, opt, x, t, dz);
                long a1 = bean.getThreadAllocatedBytes(tid);
                double bytes = Math.max(0, (a1 - a0) - (m1 - m0)) / (double) count;
                allocPerStep = round == 0 ? bytes : Math.min(allocPerStep, bytes);
            }
        }

        Result r = new Result();
        r.batch = batch;
        r.frozen = frozen;
        r.steps = steps;
        r.examplesPerSecond = batch / median;
        r.bestExamplesPerSecond = batch / perStep[0];
        r.gflops = flops(sizes, batch, frozen) / median / 1e9;
        r.allocBytesPerStep = allocPerStep;
        net.setThreads(1);
        return r;
    }

    static void step(Network net, Loss loss, Optimizer opt, double[][] x, Targets t, double[][] dz) {
        double[][] z = net.forward(x);
        loss.forward(z, t);
        loss.backward(dz, z, t);
        net.zeroGrad();
        net.backward(dz);
        opt.step(net);
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
