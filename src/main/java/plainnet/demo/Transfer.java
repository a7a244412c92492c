package plainnet.demo;

import static plainnet.demo.Lab.mean;
import static plainnet.demo.Lab.pm;
import static plainnet.demo.Lab.rows;
import static plainnet.demo.Lab.series;
import static plainnet.demo.Lab.sizeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import plainnet.BinaryCrossEntropy;
import plainnet.Metrics;
import plainnet.Network;
import plainnet.Targets;

/**
 * Experiment 1, transfer A → B (SPEC.md, section "The demo", item 1): A = the 10 digit classes on
 * all training rows; B = one binary task with N labeled rows, trained from scratch or from A's
 * weights with a new head and some layers frozen. Holds the test accuracies and their table and
 * chart.
 */
final class Transfer {

    /** Repeat r draws A from Rng(A_INIT_SEED + r). */
    static final long A_INIT_SEED = 100;
    /** Repeat r draws the scratch network for B from Rng(SCRATCH_INIT_SEED + r). */
    static final long SCRATCH_INIT_SEED = 1000;
    /** Repeat r draws the new head that replaces A's last layer from Rng(HEAD_INIT_SEED + r). */
    static final long HEAD_INIT_SEED = 2000;

    /** The four ways of training B. */
    enum Strategy {
        SCRATCH("scratch"), LAST_LAYER("last layer"), LAST_TWO("last two layers"), FINE_TUNE("fine-tune all");

        final String label;

        Strategy(String label) {
            this.label = label;
        }
    }

    /** Test accuracies acc[strategy][size][repeat], and A's own test accuracy per repeat. */
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

    /** Runs the experiment with B = the given task, for every size of the settings and every strategy. */
    static Transfer run(Lab lab, String task) {
        DigitsData d = lab.d;
        int k = Demo.index(task);
        int R = lab.s.repeats;
        lab.log.printf("[demo] transfer: pre-training A on the 10 digit classes (%d runs)%n", R);
        double[][] xTrain = rows(d.x, lab.trainRows);
        Targets tA = Targets.ofClasses(lab.digits(lab.trainRows, 0), 10);
        double[][] xTest = rows(d.x, lab.testRows);
        Targets tTestA = Targets.ofClasses(lab.digits(lab.testRows, 0), 10);
        Targets tTestB = lab.column(lab.testRows, k);
        double[] accA = new double[R];
        Network[] A = lab.pretrainA(accA, A_INIT_SEED, 10, xTrain, tA, xTest, tTestA);

        lab.log.printf("[demo] transfer: training B = %s, %d sizes x %d strategies x %d repeats%n", task, lab.s.transferSizes.length, Strategy.values().length, R);
        int[] sizes = lab.s.transferSizes;
        List<Future<Double>> runs = new ArrayList<Future<Double>>();
        for (int j = 0; j < sizes.length; j++) {
            for (int r = 0; r < R; r++) {
                int[] window = window(lab, sizes[j], r);
                double[][] xB = rows(d.x, window);
                Targets tB = lab.column(window, k);
                for (Strategy st : Strategy.values()) {
                    final Network base = A[r];
                    final int rep = r;
                    runs.add(lab.submit(() -> {
                        Network net = strategy(st, base, rep);
                        lab.fit(net, new BinaryCrossEntropy(), xB, tB, rep);
                        return Metrics.binary(net.forward(xTest), tTestB)[0].accuracy;
                    }));
                }
            }
        }
        double[][][] acc = new double[Strategy.values().length][sizes.length][R];
        int q = 0;
        for (int j = 0; j < sizes.length; j++) {
            for (int r = 0; r < R; r++) {
                for (Strategy st : Strategy.values()) acc[st.ordinal()][j][r] = Lab.get(runs.get(q++));
            }
        }
        return new Transfer(task, sizes, acc, accA);
    }

    /** The network for a strategy: fresh (scratch), or A's layers with a new head and the named layers frozen. */
    static Network strategy(Strategy st, Network A, int rep) {
        if (st == Strategy.SCRATCH) return Lab.mlp(SCRATCH_INIT_SEED + rep, 64, 32, 16, 1);
        Network net = Lab.newHead(A, 1, HEAD_INIT_SEED + rep);
        if (st == Strategy.LAST_LAYER) net.freeze(0, 2);
        if (st == Strategy.LAST_TWO) net.freeze(0, 1);
        return net;
    }

    /** Training rows of B: the window order ∈ [r·N, (r+1)·N) of repeat r, or every training row. */
    private static int[] window(Lab lab, int N, int r) {
        if (N == Demo.ALL) return lab.trainRows;
        DigitsData d = lab.d;
        long lo = (long) r * N, hi = lo + N;
        int[] w = d.rows(row -> d.train[row] && d.order[row] >= lo && d.order[row] < hi);
        if (w.length != N) throw new IllegalStateException("window " + r + " of " + N + " rows has only " + w.length + " training rows");
        return w;
    }
}
