package plainnet.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Loss;
import plainnet.Metrics;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Targets;
import plainnet.Trainer;

/**
 * {@code make demo}: the lecture's claims about transfer and multi-task learning, measured on the
 * bundled handwritten digits. Three experiments, each repeated over seeds and disjoint data
 * windows, reported as mean ± standard deviation of test accuracy (599 test rows):
 *
 * <ol>
 *   <li>Transfer A → B: A = the 10 digit classes (all 1198 training rows); B = one binary
 *       attribute of the digit with only N labeled rows. Scratch vs. retraining the new last
 *       layer, the last two layers, or everything (fine-tuning) from A's weights.</li>
 *   <li>Multi-task: one network with six sigmoid outputs and the masked loss vs. six separate
 *       networks, with about half the labels missing, at two hidden sizes; and the scarce case
 *       where one task has 20 labels.</li>
 *   <li>Negative control: A = digits 0–4, B = digits 5–9 with N rows per class.</li>
 * </ol>
 *
 * Every run is deterministic (its own seeds), so the tables are the same on every machine and
 * for any number of threads. Networks: tanh hidden layers, identity output; Adam (lr 0.005) with
 * coupled L2 1e-4 on W; batch 32; about {@link Settings#steps} steps per run; inputs = pixels / 16.
 */
public final class Demo {

    /** What to run; the defaults are {@code make demo}'s. */
    public static final class Settings {
        public Path data = Paths.get("test-data/digits");
        public Path out = Paths.get("target/demo");
        public int repeats = 5;
        public int steps = 1500;
        public int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        public int[] transferSizes = {10, 20, 50, 100, ALL};
        public int[] controlSizes = {5, 20};
        public int[] hiddenSizes = {8, 32};
    }

    /** N meaning "every training row". */
    public static final int ALL = Integer.MAX_VALUE;

    static final double LR = 0.005, L2 = 1e-4;
    static final int BATCH = 32;

    /** The four ways of training B. */
    enum Strategy {
        SCRATCH("scratch"), LAST_LAYER("last layer"), LAST_TWO("last two layers"), FINE_TUNE("fine-tune all");

        final String label;

        Strategy(String label) {
            this.label = label;
        }
    }

    private final Settings s;
    private final DigitsData d;
    private final PrintStream out, log;
    private final ExecutorService pool;
    private final int[] trainRows, testRows;

    Demo(Settings s, DigitsData d, PrintStream out, PrintStream log, ExecutorService pool) {
        this.s = s;
        this.d = d;
        this.out = out;
        this.log = log;
        this.pool = pool;
        this.trainRows = d.rows(r -> d.train[r]);
        this.testRows = d.rows(r -> !d.train[r]);
    }

    /** Runs the whole demo; returns the report text that was printed. */
    public static String run(Settings s, PrintStream out, PrintStream log) throws IOException {
        long start = System.nanoTime();
        DigitsData d = new DigitsData(s.data);
        checkRepeats(s, d);
        ExecutorService pool = Executors.newFixedThreadPool(s.threads);
        try {
            Demo demo = new Demo(s, d, out, log, pool);
            StringBuilder report = new StringBuilder();
            Files.createDirectories(s.out);

            demo.writeCsvFiles();
            Transfer t = demo.transfer("closed_loop");
            demo.print(report, t.table());
            write(s.out.resolve("transfer.svg"), t.chart());

            List<Multi> ms = new ArrayList<Multi>();
            for (int H : s.hiddenSizes) ms.add(demo.multitask(d.multi, "about 50 % of the labels missing", H));
            Multi scarce = demo.multitask(d.scarce, "closed_loop has only 20 labels", s.hiddenSizes[s.hiddenSizes.length - 1]);
            for (Multi m : ms) demo.print(report, m.table());
            demo.print(report, scarce.table());
            write(s.out.resolve("multitask.svg"), ms.get(ms.size() - 1).chart());
            write(s.out.resolve("scarce.svg"), scarce.chart());

            Control c = demo.control();
            demo.print(report, c.table());

            demo.print(report, verdicts(t, ms, scarce, c));
            demo.print(report, String.format(Locale.ROOT, "%nDemo finished in %.1f s on %d thread(s); charts and report.txt in %s%n",
                (System.nanoTime() - start) / 1e9, s.threads, s.out));
            write(s.out.resolve("report.txt"), report.toString());
            return report.toString();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Writes the joined digits files for trying the command line (README, "Command line"):
     * pixels ÷ 16 with the digit and the six tasks, for the train and the test rows; and the
     * multi-task training files with empty fields for unlabeled entries.
     */
    void writeCsvFiles() throws IOException {
        write(s.out.resolve("digits_train.csv"), joined(trainRows, null));
        write(s.out.resolve("digits_test.csv"), joined(testRows, null));
        write(s.out.resolve("digits_multitask_train.csv"), joined(d.multiRows, d.multi));
        write(s.out.resolve("digits_scarce_train.csv"), joined(d.multiRows, d.scarce));
    }

    /** CSV of the given rows: 64 pixel columns, then digit and the tasks (complete), or the tasks of {@code labels} (NaN = empty). */
    private String joined(int[] rowIds, double[][] labels) {
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < 64; i++) c.append("pixel_").append(i / 8).append('_').append(i % 8).append(',');
        c.append(labels == null ? "digit," : "");
        c.append(String.join(",", DigitsData.TASKS)).append('\n');
        for (int j = 0; j < rowIds.length; j++) {
            int r = rowIds[j];
            for (int i = 0; i < 64; i++) c.append(d.x[r][i]).append(',');
            if (labels == null) c.append(d.digit[r]).append(',');
            for (int k = 0; k < DigitsData.TASKS.length; k++) {
                double v = labels == null ? d.tasks[r][k] : labels[j][k];
                if (!Double.isNaN(v)) c.append((int) v);
                c.append(k + 1 < DigitsData.TASKS.length ? "," : "\n");
            }
        }
        return c.toString();
    }

    /**
     * Every repeat needs its own disjoint window of training rows: N·repeats rows for each
     * transfer size N, and N·repeats rows of every digit 5–9 for each control size.
     *
     * @throws IllegalArgumentException naming the limit when there are too many repeats
     */
    static void checkRepeats(Settings s, DigitsData d) {
        int train = 0;
        int[] perClass = new int[10];
        for (int r = 0; r < d.x.length; r++) {
            if (!d.train[r]) continue;
            train++;
            perClass[d.digit[r]]++;
        }
        for (int N : s.transferSizes) {
            if (N != ALL && (long) N * s.repeats > train) {
                throw new IllegalArgumentException("--repeats: expected at most " + train / N + " (disjoint windows of " + N + " of the " + train
                    + " training rows), found " + s.repeats);
            }
        }
        int fewest = Integer.MAX_VALUE;
        for (int c = 5; c < 10; c++) fewest = Math.min(fewest, perClass[c]);
        for (int N : s.controlSizes) {
            if ((long) N * s.repeats > fewest) {
                throw new IllegalArgumentException("--repeats: expected at most " + fewest / N + " (disjoint windows of " + N
                    + " rows of each digit 5-9, the rarest has " + fewest + " training rows), found " + s.repeats);
            }
        }
    }

    /** Prints a piece of the report as soon as it is ready and keeps it. */
    private void print(StringBuilder report, String text) {
        out.print(text);
        out.flush();
        report.append(text);
    }

    // ----------------------------------------------------------------------------------------
    // experiment 1: transfer A → B

    /** Test accuracies acc[strategy][size][repeat], and A's own test accuracy per repeat. */
    static final class Transfer {
        final String task;
        final int[] sizes;
        final double[][][] acc;
        final double[] accA;

        Transfer(String task, int[] sizes, double[][][] acc, double[] accA) {
            this.task = task;
            this.sizes = sizes;
            this.acc = acc;
            this.accA = accA;
        }

        /** The strategy with the highest mean at size index j. */
        Strategy best(int j) {
            Strategy best = Strategy.SCRATCH;
            for (Strategy st : Strategy.values()) if (mean(acc[st.ordinal()][j]) > mean(acc[best.ordinal()][j])) best = st;
            return best;
        }

        String table() {
            StringBuilder t = new StringBuilder();
            t.append(String.format(Locale.ROOT, "%n1. Transfer A -> B. A = 10 digit classes (1198 rows, test accuracy %s); B = %s with N labeled rows.%n", pm(accA), task));
            t.append(String.format(Locale.ROOT, "   Test accuracy on B (599 rows), mean ± sd over %d repeats (disjoint windows of rows, new seeds).%n%n", accA.length));
            t.append(String.format(Locale.ROOT, "| %-5s |", "N"));
            for (Strategy st : Strategy.values()) t.append(String.format(Locale.ROOT, " %-15s |", st.label));
            t.append(" best            |\n|-------|");
            for (int j = 0; j <= Strategy.values().length; j++) t.append("-----------------|");
            t.append('\n');
            for (int j = 0; j < sizes.length; j++) {
                t.append(String.format(Locale.ROOT, "| %-5s |", sizeName(sizes[j])));
                for (Strategy st : Strategy.values()) t.append(String.format(Locale.ROOT, " %-15s |", pm(acc[st.ordinal()][j])));
                t.append(String.format(Locale.ROOT, " %-15s |%n", best(j).label));
            }
            return t.toString();
        }

        String chart() {
            List<Svg.Series> series = new ArrayList<Svg.Series>();
            for (Strategy st : Strategy.values()) series.add(series(st.label, acc[st.ordinal()]));
            String[] cats = new String[sizes.length];
            for (int j = 0; j < sizes.length; j++) cats[j] = sizeName(sizes[j]);
            return Svg.lines("Transfer A (10 digits) -> B (" + task + ")", "N labeled rows of B", "test accuracy on B", cats, series, 0.5, 1.0);
        }
    }

    Transfer transfer(String task) {
        int k = index(task);
        int R = s.repeats;
        log.printf("[demo] transfer: pre-training A on the 10 digit classes (%d runs)%n", R);
        double[][] xTrain = rows(d.x, trainRows);
        int[] classes = new int[trainRows.length];
        for (int n = 0; n < trainRows.length; n++) classes[n] = d.digit[trainRows[n]];
        Targets tA = Targets.ofClasses(classes, 10);
        double[][] xTest = rows(d.x, testRows);
        int[] testClasses = new int[testRows.length];
        for (int n = 0; n < testRows.length; n++) testClasses[n] = d.digit[testRows[n]];
        Targets tTestA = Targets.ofClasses(testClasses, 10);
        Targets tTestB = column(testRows, k);

        List<Future<Network>> pre = new ArrayList<Future<Network>>();
        for (int r = 0; r < R; r++) {
            final int rep = r;
            pre.add(pool.submit(() -> fit(mlp(100 + rep, 64, 32, 16, 10), new SoftmaxCrossEntropy(), xTrain, tA, rep)));
        }
        Network[] A = new Network[R];
        double[] accA = new double[R];
        for (int r = 0; r < R; r++) {
            A[r] = get(pre.get(r));
            accA[r] = Metrics.classes(A[r].forward(xTest), tTestA).accuracy;
        }

        log.printf("[demo] transfer: training B = %s, %d sizes x %d strategies x %d repeats%n", task, s.transferSizes.length, Strategy.values().length, R);
        int[] sizes = s.transferSizes;
        List<Future<Double>> runs = new ArrayList<Future<Double>>();
        for (int j = 0; j < sizes.length; j++) {
            for (int r = 0; r < R; r++) {
                int[] window = window(sizes[j], r);
                double[][] xB = rows(d.x, window);
                Targets tB = column(window, k);
                for (Strategy st : Strategy.values()) {
                    final Network base = A[r];
                    final int rep = r;
                    runs.add(pool.submit(() -> {
                        Network net = strategy(st, base, rep);
                        fit(net, new BinaryCrossEntropy(), xB, tB, rep);
                        return Metrics.binary(net.forward(xTest), tTestB)[0].accuracy;
                    }));
                }
            }
        }
        double[][][] acc = new double[Strategy.values().length][sizes.length][R];
        int q = 0;
        for (int j = 0; j < sizes.length; j++) {
            for (int r = 0; r < R; r++) {
                for (Strategy st : Strategy.values()) acc[st.ordinal()][j][r] = get(runs.get(q++));
            }
        }
        return new Transfer(task, sizes, acc, accA);
    }

    /** The network for a strategy: fresh (scratch), or A's layers with a new head and the named layers frozen. */
    static Network strategy(Strategy st, Network A, int rep) {
        if (st == Strategy.SCRATCH) return mlp(1000 + rep, 64, 32, 16, 1);
        Network net = A.copy();
        net.removeLast(1);
        net.append(new Dense(16, 1, Activation.IDENTITY, new Rng(2000 + rep)));
        if (st == Strategy.LAST_LAYER) net.freeze(0, 2);
        if (st == Strategy.LAST_TWO) net.freeze(0, 1);
        return net;
    }

    /** Training rows of B: the window order ∈ [r·N, (r+1)·N) of repeat r, or every training row. */
    int[] window(int N, int r) {
        if (N == ALL) return trainRows;
        long lo = (long) r * N, hi = lo + N;
        int[] w = d.rows(row -> d.train[row] && d.order[row] >= lo && d.order[row] < hi);
        if (w.length != N) throw new IllegalStateException("window " + r + " of " + N + " rows has only " + w.length + " training rows");
        return w;
    }

    // ----------------------------------------------------------------------------------------
    // experiment 2: multi-task vs separate networks

    /** Per-task test accuracies multi[task][repeat] and separate[task][repeat], and the labeled counts. */
    static final class Multi {
        final String what;
        final int H;
        final double[][] multi, separate;
        final int[] labeled;

        Multi(String what, int H, double[][] multi, double[][] separate, int[] labeled) {
            this.what = what;
            this.H = H;
            this.multi = multi;
            this.separate = separate;
            this.labeled = labeled;
        }

        double[] taskMean(double[][] a) {
            double[] m = new double[a[0].length];
            for (int r = 0; r < m.length; r++) {
                double sum = 0.0;
                for (double[] task : a) sum += task[r];
                m[r] = sum / a.length;
            }
            return m;
        }

        String table() {
            StringBuilder t = new StringBuilder();
            t.append(String.format(Locale.ROOT, "%n2. Multi-task (one 64-%d-6 network, masked loss) vs six separate 64-%d-1 networks; %s.%n", H, H, what));
            t.append(String.format(Locale.ROOT, "   Test accuracy per task (599 rows), mean ± sd over %d repeats.%n%n", multi[0].length));
            t.append("| task                  | labels | multi-task      | separate        | difference |\n");
            t.append("|-----------------------|--------|-----------------|-----------------|------------|\n");
            for (int k = 0; k < multi.length; k++) {
                t.append(String.format(Locale.ROOT, "| %-21s | %6d | %-15s | %-15s | %+10.3f |%n", DigitsData.TASKS[k], labeled[k], pm(multi[k]), pm(separate[k]),
                    mean(multi[k]) - mean(separate[k])));
            }
            double[] mm = taskMean(multi), sm = taskMean(separate);
            t.append(String.format(Locale.ROOT, "| %-21s | %6s | %-15s | %-15s | %+10.3f |%n", "mean over tasks", "", pm(mm), pm(sm), mean(mm) - mean(sm)));
            return t.toString();
        }

        String chart() {
            List<Svg.Series> series = new ArrayList<Svg.Series>();
            series.add(series("multi-task (1 net)", multi));
            series.add(series("separate (6 nets)", separate));
            String[] cats = new String[DigitsData.TASKS.length];
            for (int k = 0; k < cats.length; k++) cats[k] = DigitsData.TASKS[k].replace("straight_strokes_only", "straight").replace("greater_than_4", "> 4").replace("multiple_of_3", "mult. of 3");
            return Svg.bars("Multi-task vs separate, H = " + H + ": " + what, "task", "test accuracy", cats, series, 0.5, 1.0);
        }
    }

    Multi multitask(double[][] labels, String what, int H) {
        int R = s.repeats, K = DigitsData.TASKS.length;
        log.printf("[demo] multi-task, H = %d, %s: %d repeats of 1 + %d networks%n", H, what, R, K);
        double[][] x = rows(d.x, d.multiRows);
        Targets t = masked(labels);
        double[][] xTest = rows(d.x, testRows);
        Targets tTest = Targets.of(rows(d.tasks, testRows));
        int[] labeled = new int[K];
        for (boolean[] row : t.labeled) for (int k = 0; k < K; k++) if (row[k]) labeled[k]++;

        List<Future<double[]>> multiRuns = new ArrayList<Future<double[]>>();
        List<Future<Double>> sepRuns = new ArrayList<Future<Double>>();
        for (int r = 0; r < R; r++) {
            final int rep = r;
            multiRuns.add(pool.submit(() -> {
                Network net = fit(mlp(3000 + rep, 64, H, K), new BinaryCrossEntropy(), x, t, rep);
                Metrics.Binary[] m = Metrics.binary(net.forward(xTest), tTest);
                double[] a = new double[K];
                for (int k = 0; k < K; k++) a[k] = m[k].accuracy;
                return a;
            }));
            for (int k = 0; k < K; k++) {
                final int task = k;
                int[] own = new int[labeled[k]];
                int c = 0;
                for (int n = 0; n < x.length; n++) if (t.labeled[n][k]) own[c++] = n;
                double[][] xk = rows(x, own);
                double[][] yk = new double[own.length][1];
                for (int n = 0; n < own.length; n++) yk[n][0] = t.y[own[n]][k];
                Targets tk = Targets.of(yk);
                Targets testK = column(testRows, k);
                sepRuns.add(pool.submit(() -> {
                    Network net = fit(mlp(4000 + 10 * rep + task, 64, H, 1), new BinaryCrossEntropy(), xk, tk, rep);
                    return Metrics.binary(net.forward(xTest), testK)[0].accuracy;
                }));
            }
        }
        double[][] multi = new double[K][R], separate = new double[K][R];
        for (int r = 0; r < R; r++) {
            double[] a = get(multiRuns.get(r));
            for (int k = 0; k < K; k++) {
                multi[k][r] = a[k];
                separate[k][r] = get(sepRuns.get(r * K + k));
            }
        }
        return new Multi(what, H, multi, separate, labeled);
    }

    // ----------------------------------------------------------------------------------------
    // experiment 3: negative control

    /** acc[0 scratch / 1 last layer][size][repeat], and A's test accuracy. */
    static final class Control {
        final int[] sizes;
        final double[][][] acc;
        final double[] accA;

        Control(int[] sizes, double[][][] acc, double[] accA) {
            this.sizes = sizes;
            this.acc = acc;
            this.accA = accA;
        }

        String table() {
            StringBuilder t = new StringBuilder();
            t.append(String.format(Locale.ROOT, "%n3. Negative control: A = digits 0-4 (test accuracy %s), B = digits 5-9 with N rows per class.%n", pm(accA)));
            t.append(String.format(Locale.ROOT, "   Test accuracy on B (digits 5-9 of the 599 test rows), mean ± sd over %d repeats.%n%n", accA.length));
            t.append("| N per class | scratch         | last layer      | difference |\n");
            t.append("|-------------|-----------------|-----------------|------------|\n");
            for (int j = 0; j < sizes.length; j++) {
                t.append(String.format(Locale.ROOT, "| %-11d | %-15s | %-15s | %+10.3f |%n", sizes[j], pm(acc[0][j]), pm(acc[1][j]), mean(acc[1][j]) - mean(acc[0][j])));
            }
            return t.toString();
        }
    }

    Control control() {
        int R = s.repeats;
        log.printf("[demo] negative control: A = digits 0-4, B = digits 5-9 (%d repeats)%n", R);
        int[] trainA = d.rows(r -> d.train[r] && d.digit[r] < 5);
        int[] testA = d.rows(r -> !d.train[r] && d.digit[r] < 5);
        int[] testB = d.rows(r -> !d.train[r] && d.digit[r] >= 5);
        Targets tA = Targets.ofClasses(shifted(trainA, 0), 5);
        Targets tTestA = Targets.ofClasses(shifted(testA, 0), 5);
        Targets tTestB = Targets.ofClasses(shifted(testB, 5), 5);
        double[][] xA = rows(d.x, trainA), xTestA = rows(d.x, testA), xTestB = rows(d.x, testB);

        List<Future<Network>> pre = new ArrayList<Future<Network>>();
        for (int r = 0; r < R; r++) {
            final int rep = r;
            pre.add(pool.submit(() -> fit(mlp(5000 + rep, 64, 32, 16, 5), new SoftmaxCrossEntropy(), xA, tA, rep)));
        }
        Network[] A = new Network[R];
        double[] accA = new double[R];
        for (int r = 0; r < R; r++) {
            A[r] = get(pre.get(r));
            accA[r] = Metrics.classes(A[r].forward(xTestA), tTestA).accuracy;
        }
        int[] sizes = s.controlSizes;
        List<Future<Double>> runs = new ArrayList<Future<Double>>();
        for (int j = 0; j < sizes.length; j++) {
            final int N = sizes[j];
            for (int r = 0; r < R; r++) {
                final int rep = r;
                // N rows per class: rank_in_class in [r·N, (r+1)·N), disjoint across repeats
                int[] rowsB = d.rows(row -> d.train[row] && d.digit[row] >= 5 && d.rankInClass[row] >= rep * N && d.rankInClass[row] < (rep + 1) * N);
                double[][] xB = rows(d.x, rowsB);
                Targets tB = Targets.ofClasses(shifted(rowsB, 5), 5);
                final Network base = A[r];
                runs.add(pool.submit(() -> {
                    Network net = fit(mlp(6000 + rep, 64, 32, 16, 5), new SoftmaxCrossEntropy(), xB, tB, rep);
                    return Metrics.classes(net.forward(xTestB), tTestB).accuracy;
                }));
                runs.add(pool.submit(() -> {
                    Network net = base.copy();
                    net.removeLast(1);
                    net.append(new Dense(16, 5, Activation.IDENTITY, new Rng(7000 + rep)));
                    net.freeze(0, 2);
                    fit(net, new SoftmaxCrossEntropy(), xB, tB, rep);
                    return Metrics.classes(net.forward(xTestB), tTestB).accuracy;
                }));
            }
        }
        double[][][] acc = new double[2][sizes.length][R];
        int q = 0;
        for (int j = 0; j < sizes.length; j++) {
            for (int r = 0; r < R; r++) {
                acc[0][j][r] = get(runs.get(q++));
                acc[1][j][r] = get(runs.get(q++));
            }
        }
        return new Control(sizes, acc, accA);
    }

    private int[] shifted(int[] rows, int offset) {
        int[] c = new int[rows.length];
        for (int n = 0; n < rows.length; n++) c[n] = d.digit[rows[n]] - offset;
        return c;
    }

    // ----------------------------------------------------------------------------------------
    // verdicts: what was and was not confirmed, computed from the tables above

    static String verdicts(Transfer t, List<Multi> ms, Multi scarce, Control c) {
        StringBuilder v = new StringBuilder("\nWhat the numbers say\n\n");
        int small = 0, large = t.sizes.length - 1;
        Strategy bestSmall = t.best(small), bestLarge = t.best(large);
        boolean smallOk = bestSmall == Strategy.LAST_LAYER || bestSmall == Strategy.LAST_TWO;
        v.append(String.format(Locale.ROOT, "- Little data for B (N = %s): best is \"%s\" (%.3f vs scratch %.3f). Lecture: retrain only the last layer(s): %s.%n",
            sizeName(t.sizes[small]), bestSmall.label, mean(t.acc[bestSmall.ordinal()][small]), mean(t.acc[0][small]), smallOk ? "CONFIRMED" : "NOT confirmed"));
        // With much data the lecture retrains more than the head: "maybe you can retrain all the
        // parameters". Confirmed when the best strategy retrains more than the last layer and
        // beats retraining the last layer only.
        double lastOnly = mean(t.acc[Strategy.LAST_LAYER.ordinal()][large]);
        boolean largeOk = bestLarge != Strategy.LAST_LAYER && mean(t.acc[bestLarge.ordinal()][large]) > lastOnly;
        v.append(String.format(Locale.ROOT, "- Much data for B (N = %s): best is \"%s\" (%.3f; fine-tune all %.3f; last layer only %.3f). Lecture: retrain more, up to all parameters: %s.%n",
            sizeName(t.sizes[large]), bestLarge.label, mean(t.acc[bestLarge.ordinal()][large]), mean(t.acc[Strategy.FINE_TUNE.ordinal()][large]), lastOnly,
            largeOk ? "CONFIRMED" : "NOT confirmed"));
        for (Multi m : ms) {
            double diff = mean(m.taskMean(m.multi)) - mean(m.taskMean(m.separate));
            v.append(String.format(Locale.ROOT, "- Multi-task vs separate, H = %d, %s: mean difference %+.3f. Lecture: sharing should rarely hurt if the network is big enough: %s.%n",
                m.H, m.what, diff, diff >= -0.01 ? "CONFIRMED (no loss beyond 0.01)" : "sharing HURT here (difference below -0.01)"));
        }
        int cl = index("closed_loop");
        double sd = mean(scarce.multi[cl]) - mean(scarce.separate[cl]);
        v.append(String.format(Locale.ROOT, "- Scarce task (closed_loop, %d labels): multi-task %.3f vs separate %.3f (%+.3f). Shared features help a task with few labels: %s.%n",
            scarce.labeled[cl], mean(scarce.multi[cl]), mean(scarce.separate[cl]), sd, sd > 0.01 ? "CONFIRMED" : "NOT confirmed"));
        boolean controlNoGain = true;
        for (int j = 0; j < c.sizes.length; j++) if (mean(c.acc[1][j]) > mean(c.acc[0][j]) + 0.01) controlNoGain = false;
        v.append(controlNoGain
            ? "- Negative control (digits 0-4 -> 5-9): transfer gave no gain, as expected when A's features are no better than the raw pixels.\n"
            : "- Negative control (digits 0-4 -> 5-9): transfer DID give a gain (unexpected for this control).\n");
        return v.toString();
    }

    // ----------------------------------------------------------------------------------------
    // shared pieces

    /** Trains for about {@code steps} Adam steps: epochs = ⌈steps / ⌈N / 32⌉⌉. */
    Network fit(Network net, Loss loss, double[][] x, Targets t, long seed) {
        Trainer tr = new Trainer(net, loss, Optimizer.adam(LR).withWeightDecay(L2, false));
        int batches = (x.length + BATCH - 1) / BATCH;
        tr.epochs = Math.max(1, (s.steps + batches - 1) / batches);
        tr.batch = BATCH;
        tr.seed = seed;
        Trainer.Result r = tr.fit(x, t, null, null, null);
        if (r.diverged) throw new IllegalStateException("a demo run diverged at epoch " + r.divergedEpoch + ", step " + r.divergedStep);
        return net;
    }

    /** A tanh network with an identity output layer, drawn from Rng(seed). */
    static Network mlp(long seed, int... sizes) {
        Rng rng = new Rng(seed);
        List<Dense> layers = new ArrayList<Dense>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            layers.add(new Dense(sizes[l], sizes[l + 1], l + 2 < sizes.length ? Activation.TANH : Activation.IDENTITY, rng));
        }
        return new Network(layers);
    }

    static double[][] rows(double[][] a, int[] index) {
        double[][] out = new double[index.length][];
        for (int j = 0; j < index.length; j++) out[j] = a[index[j]];
        return out;
    }

    /** The complete label of task k for the given rows, as (rows, 1) targets. */
    private Targets column(int[] rowIds, int k) {
        double[][] y = new double[rowIds.length][1];
        for (int n = 0; n < rowIds.length; n++) y[n][0] = d.tasks[rowIds[n]][k];
        return Targets.of(y);
    }

    private static Targets masked(double[][] labels) {
        boolean[][] m = new boolean[labels.length][labels[0].length];
        for (int n = 0; n < labels.length; n++) for (int k = 0; k < labels[n].length; k++) m[n][k] = !Double.isNaN(labels[n][k]);
        return new Targets(labels, m);
    }

    static int index(String task) {
        for (int k = 0; k < DigitsData.TASKS.length; k++) if (DigitsData.TASKS[k].equals(task)) return k;
        throw new IllegalArgumentException("task: expected one of " + String.join(", ", DigitsData.TASKS) + ", found " + task);
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("demo interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            throw new IllegalStateException(cause);
        }
    }

    static double mean(double[] a) {
        double s = 0.0;
        for (double v : a) s += v;
        return s / a.length;
    }

    /** Population standard deviation (÷ n), as numpy's default. */
    static double sd(double[] a) {
        double m = mean(a), s = 0.0;
        for (double v : a) s += (v - m) * (v - m);
        return Math.sqrt(s / a.length);
    }

    static String pm(double[] a) {
        return String.format(Locale.ROOT, "%.3f ± %.3f", mean(a), sd(a));
    }

    static String sizeName(int N) {
        return N == ALL ? "all" : String.valueOf(N);
    }

    static Svg.Series series(String name, double[][] a) {
        double[] m = new double[a.length], sd = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            m[j] = mean(a[j]);
            sd[j] = sd(a[j]);
        }
        return new Svg.Series(name, m, sd);
    }

    private static void write(Path p, String text) throws IOException {
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
    }
}
