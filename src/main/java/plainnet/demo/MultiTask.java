package plainnet.demo;

import static plainnet.demo.Lab.mean;
import static plainnet.demo.Lab.pm;
import static plainnet.demo.Lab.rows;
import static plainnet.demo.Lab.series;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import plainnet.BinaryCrossEntropy;
import plainnet.Metrics;
import plainnet.Network;
import plainnet.Rng;
import plainnet.Targets;

/**
 * Experiment 2, multi-task vs separate networks (SPEC.md, section "The demo", item 2): one
 * network with six sigmoid outputs and the masked loss vs. six separate networks, each on the
 * rows where its task is labeled; every repeat draws its own label mask over its training rows
 * (about half the labels missing), or in the scarce case also keeps closed_loop on only 20 rows.
 * Holds the test accuracies and their table and chart.
 */
final class MultiTask {

    /** Repeat r draws the multi-task network from Rng(MULTI_INIT_SEED + r). */
    static final long MULTI_INIT_SEED = 3000;
    /** Repeat r draws the separate network of task k from Rng(SEPARATE_INIT_SEED + 10·r + k). */
    static final long SEPARATE_INIT_SEED = 4000;
    /** Repeat r draws its label mask from Rng(MASK_SEED + r). */
    static final long MASK_SEED = 9000;
    /** The scarce case: closed_loop is labeled on this many training rows. */
    static final int SCARCE = 20;

    /** Per-task test accuracies multi[task][repeat] and separate[task][repeat], and the mean labeled count per task. */
    final String what;
    final int H;
    final double[][] multi, separate;
    final double[] labeled;

    MultiTask(String what, int H, double[][] multi, double[][] separate, double[] labeled) {
        this.what = what;
        this.H = H;
        this.multi = multi;
        this.separate = separate;
        this.labeled = labeled;
    }

    /** The mean over tasks within each repeat ({@link Protocol#taskMean}). */
    double[] taskMean(double[][] a) {
        return Protocol.taskMean(a);
    }

    String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%n2. Multi-task (one 64-%d-6 network, masked loss) vs six separate 64-%d-1 networks; %s.%n", H, H, what));
        t.append(String.format(Locale.ROOT, "   Test accuracy per task (599 rows), mean ± standard error over %d repeats; labels = mean labeled rows of%n", multi[0].length));
        t.append(String.format(Locale.ROOT, "   the %d training rows; each repeat draws its own rows, mask and seeds. Difference: paired, ≈ = within noise.%n%n",
            1198 - Lab.VALIDATION));
        t.append("| task                  | labels | multi-task      | separate        | difference         |\n");
        t.append("|-----------------------|--------|-----------------|-----------------|--------------------|\n");
        for (int k = 0; k < multi.length; k++) {
            t.append(String.format(Locale.ROOT, "| %-21s | %6.0f | %-15s | %-15s | %-18s |%n", DigitsData.TASKS[k], labeled[k], pm(multi[k]), pm(separate[k]),
                Lab.pmDiff(multi[k], separate[k]) + (Lab.noise(multi[k], separate[k]) ? " ≈" : "")));
        }
        double[] mm = taskMean(multi), sm = taskMean(separate);
        t.append(String.format(Locale.ROOT, "| %-21s | %6s | %-15s | %-15s | %-18s |%n", "mean over tasks", "", pm(mm), pm(sm),
            Lab.pmDiff(mm, sm) + (Lab.noise(mm, sm) ? " ≈" : "")));
        return t.toString();
    }

    String chart() {
        List<Svg.Series> series = new ArrayList<Svg.Series>();
        series.add(series("multi-task (1 net)", multi));
        series.add(series("separate (6 nets)", separate));
        String[] cats = new String[DigitsData.TASKS.length];
        for (int k = 0; k < cats.length; k++) cats[k] = DigitsData.TASKS[k].replace("straight_strokes_only", "straight").replace("greater_than_4", "> 4").replace("multiple_of_3", "mult. of 3");
        return Svg.bars("Multi-task vs separate, H = " + H + ": " + what, "task", "test accuracy (± standard error)", cats, series, 0.5, 1.0);
    }

    /**
     * Runs the experiment with H hidden units on every repeat's training rows outside its
     * validation split, with about half the labels masked; scarce: closed_loop labeled on only
     * the first SCARCE of those rows.
     */
    static MultiTask run(Lab lab, boolean scarce, String what, int H) {
        DigitsData d = lab.d;
        int R = lab.s.repeats, K = DigitsData.TASKS.length;
        lab.log.printf("[demo] multi-task, H = %d, %s: %d repeats of 1 + %d networks x %d rates%n", H, what, R, K, Lab.RATES.length);
        double[][] xTest = rows(d.x, lab.testRows);
        Targets tTest = Targets.of(rows(d.tasks, lab.testRows));
        double[] labeled = new double[K];

        List<Future<double[]>> multiRuns = new ArrayList<Future<double[]>>();
        List<Future<Double>> sepRuns = new ArrayList<Future<Double>>();
        for (int r = 0; r < R; r++) {
            final int rep = r;
            double[][] x = rows(d.x, lab.rest[r]), xV = rows(d.x, lab.val[r]);
            Targets t = masked(rows(d.tasks, lab.rest[r]), new Rng(MASK_SEED + r), scarce ? Demo.index("closed_loop") : -1);
            Targets tV = Targets.of(rows(d.tasks, lab.val[r]));
            for (boolean[] row : t.labeled) for (int k = 0; k < K; k++) if (row[k]) labeled[k] += 1.0 / R;
            BinaryCrossEntropy bce = new BinaryCrossEntropy();
            multiRuns.add(lab.submit(() -> {
                Network net = Lab.best(lab.search(() -> Lab.mlp(MULTI_INIT_SEED + rep, 64, H, K), bce, x, t, xV, tV, rep)).net;
                Metrics.Binary[] m = Metrics.binary(net.forward(xTest), tTest);
                double[] a = new double[K];
                for (int k = 0; k < K; k++) a[k] = m[k].accuracy;
                return a;
            }));
            for (int k = 0; k < K; k++) {
                final int task = k;
                int count = 0;
                for (boolean[] row : t.labeled) if (row[k]) count++;
                int[] own = new int[count];
                int c = 0;
                for (int n = 0; n < x.length; n++) if (t.labeled[n][k]) own[c++] = n;
                double[][] xk = rows(x, own);
                double[][] yk = new double[own.length][1];
                for (int n = 0; n < own.length; n++) yk[n][0] = t.y[own[n]][k];
                Targets tk = Targets.of(yk);
                Targets vk = lab.column(lab.val[r], k);
                Targets testK = lab.column(lab.testRows, k);
                sepRuns.add(lab.submit(() -> {
                    Network net = Lab.best(lab.search(() -> Lab.mlp(SEPARATE_INIT_SEED + 10 * rep + task, 64, H, 1), bce, xk, tk, xV, vk, rep)).net;
                    return Metrics.binary(net.forward(xTest), testK)[0].accuracy;
                }));
            }
        }
        double[][] multi = new double[K][R], separate = new double[K][R];
        for (int r = 0; r < R; r++) {
            double[] a = Lab.get(multiRuns.get(r));
            for (int k = 0; k < K; k++) {
                multi[k][r] = a[k];
                separate[k][r] = Lab.get(sepRuns.get(r * K + k));
            }
        }
        return new MultiTask(what, H, multi, separate, labeled);
    }

    /**
     * The labels y (N, K) with a mask drawn from rng, row by row and task by task: an entry is
     * labeled when nextDouble() &lt; 0.5. Task {@code scarce} (−1: none) is instead labeled on rows
     * 0 … SCARCE − 1 only (the rows come shuffled, so those are a random draw); its draws are still made.
     */
    private static Targets masked(double[][] y, Rng rng, int scarce) {
        boolean[][] m = new boolean[y.length][y[0].length];
        for (int n = 0; n < y.length; n++) {
            for (int k = 0; k < y[n].length; k++) {
                boolean drawn = rng.nextDouble() < 0.5;
                m[n][k] = k == scarce ? n < SCARCE : drawn;
            }
        }
        return new Targets(y, m);
    }
}
