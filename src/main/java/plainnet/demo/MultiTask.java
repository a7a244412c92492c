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
import plainnet.Targets;

/**
 * Experiment 2, multi-task vs separate networks (SPEC.md, section "The demo", item 2): one
 * network with six sigmoid outputs and the masked loss vs. six separate networks, each on the
 * rows where its task is labeled; run on the multi-task file (about half the labels missing) and
 * on the scarce file (closed_loop has 20 labels). Holds the test accuracies and their table and
 * chart.
 */
final class MultiTask {

    /** Repeat r draws the multi-task network from Rng(MULTI_INIT_SEED + r). */
    static final long MULTI_INIT_SEED = 3000;
    /** Repeat r draws the separate network of task k from Rng(SEPARATE_INIT_SEED + 10·r + k). */
    static final long SEPARATE_INIT_SEED = 4000;

    /** Per-task test accuracies multi[task][repeat] and separate[task][repeat], and the labeled counts. */
    final String what;
    final int H;
    final double[][] multi, separate;
    final int[] labeled;

    MultiTask(String what, int H, double[][] multi, double[][] separate, int[] labeled) {
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

    /** Runs the experiment on the multi-task training rows with the given labels (NaN = unlabeled) and H hidden units. */
    static MultiTask run(Lab lab, double[][] labels, String what, int H) {
        DigitsData d = lab.d;
        int R = lab.s.repeats, K = DigitsData.TASKS.length;
        lab.log.printf("[demo] multi-task, H = %d, %s: %d repeats of 1 + %d networks%n", H, what, R, K);
        double[][] x = rows(d.x, d.multiRows);
        Targets t = masked(labels);
        double[][] xTest = rows(d.x, lab.testRows);
        Targets tTest = Targets.of(rows(d.tasks, lab.testRows));
        int[] labeled = new int[K];
        for (boolean[] row : t.labeled) for (int k = 0; k < K; k++) if (row[k]) labeled[k]++;

        List<Future<double[]>> multiRuns = new ArrayList<Future<double[]>>();
        List<Future<Double>> sepRuns = new ArrayList<Future<Double>>();
        for (int r = 0; r < R; r++) {
            final int rep = r;
            multiRuns.add(lab.submit(() -> {
                Network net = lab.fit(Lab.mlp(MULTI_INIT_SEED + rep, 64, H, K), new BinaryCrossEntropy(), x, t, rep);
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
                Targets testK = lab.column(lab.testRows, k);
                sepRuns.add(lab.submit(() -> {
                    Network net = lab.fit(Lab.mlp(SEPARATE_INIT_SEED + 10 * rep + task, 64, H, 1), new BinaryCrossEntropy(), xk, tk, rep);
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

    private static Targets masked(double[][] labels) {
        boolean[][] m = new boolean[labels.length][labels[0].length];
        for (int n = 0; n < labels.length; n++) for (int k = 0; k < labels[n].length; k++) m[n][k] = !Double.isNaN(labels[n][k]);
        return new Targets(labels, m);
    }
}
