package plainnet.demo;

import static plainnet.demo.Lab.mean;
import static plainnet.demo.Lab.pm;
import static plainnet.demo.Lab.rows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import plainnet.Metrics;
import plainnet.Network;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Targets;

/**
 * Experiment 3, the negative control (SPEC.md, section "The demo", item 3): A = digits 0–4,
 * B = digits 5–9 (as classes 0–4) with N training rows per class, trained from scratch or as A
 * with a new last layer and the rest frozen; every repeat draws its own rows (Lab's split). Holds
 * the test accuracies and their table.
 */
final class NegativeControl {

    /** Repeat r draws A (digits 0–4) from Rng(A_INIT_SEED + r). */
    static final long A_INIT_SEED = 5000;
    /** Repeat r draws the scratch network for B from Rng(SCRATCH_INIT_SEED + r). */
    static final long SCRATCH_INIT_SEED = 6000;
    /** Repeat r draws the new head that replaces A's last layer from Rng(HEAD_INIT_SEED + r). */
    static final long HEAD_INIT_SEED = 7000;

    /** Test accuracies acc[0 scratch / 1 last layer][size][repeat], and A's test accuracy. */
    final int[] sizes;
    final double[][][] acc;
    final double[] accA;

    NegativeControl(int[] sizes, double[][][] acc, double[] accA) {
        this.sizes = sizes;
        this.acc = acc;
        this.accA = accA;
    }

    String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%n3. Negative control: A = digits 0-4 (test accuracy %s), B = digits 5-9 with N rows per class.%n", pm(accA)));
        t.append(String.format(Locale.ROOT, "   Test accuracy on B (digits 5-9 of the 599 test rows), mean ± standard error over %d repeats;%n", accA.length));
        t.append("   rows, rate and epoch as in table 1 (validation: the split's rows of digits 5-9).\n\n");
        t.append("| N per class | scratch         | last layer      | difference         |\n");
        t.append("|-------------|-----------------|-----------------|--------------------|\n");
        for (int j = 0; j < sizes.length; j++) {
            t.append(String.format(Locale.ROOT, "| %-11d | %-15s | %-15s | %-18s |%n", sizes[j], pm(acc[0][j]), pm(acc[1][j]),
                Lab.pmDiff(acc[1][j], acc[0][j]) + (Lab.noise(acc[1][j], acc[0][j]) ? " ≈" : "")));
        }
        return t.toString();
    }

    /** Runs the control for every size of the settings. */
    static NegativeControl run(Lab lab) {
        DigitsData d = lab.d;
        int R = lab.s.repeats;
        lab.log.printf("[demo] negative control: A = digits 0-4, B = digits 5-9 (%d repeats)%n", R);
        int[] testA = d.rows(r -> !d.train[r] && d.digit[r] < 5);
        int[] testB = d.rows(r -> !d.train[r] && d.digit[r] >= 5);
        Targets tTestA = Targets.ofClasses(lab.digits(testA, 0), 5);
        Targets tTestB = Targets.ofClasses(lab.digits(testB, 5), 5);
        double[][] xTestA = rows(d.x, testA), xTestB = rows(d.x, testB);
        int[][] trainA = new int[R][];
        for (int r = 0; r < R; r++) trainA[r] = select(d, lab.rest[r], 0, 5, Integer.MAX_VALUE);
        double[] accA = new double[R];
        Network[] A = lab.pretrainA(accA, A_INIT_SEED, 5, trainA, 0, xTestA, tTestA);

        int[] sizes = lab.s.controlSizes;
        List<Future<Double>> runs = new ArrayList<Future<Double>>();
        for (int j = 0; j < sizes.length; j++) {
            for (int r = 0; r < R; r++) {
                final int rep = r;
                int[] rowsB = select(d, lab.rest[r], 5, 10, sizes[j]);
                int[] rowsV = select(d, lab.val[r], 5, 10, Integer.MAX_VALUE);
                double[][] xB = rows(d.x, rowsB), xV = rows(d.x, rowsV);
                Targets tB = Targets.ofClasses(lab.digits(rowsB, 5), 5), tV = Targets.ofClasses(lab.digits(rowsV, 5), 5);
                final Network base = A[r];
                SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
                runs.add(lab.submit(() -> {
                    Network net = Lab.best(lab.search(() -> Lab.mlp(SCRATCH_INIT_SEED + rep, 64, 32, 16, 5), ce, xB, tB, xV, tV, rep)).net;
                    return Metrics.classes(net.forward(xTestB), tTestB).accuracy;
                }));
                runs.add(lab.submit(() -> {
                    Network net = Lab.best(lab.search(() -> {
                        Network n = Lab.newHead(base, 5, HEAD_INIT_SEED + rep);
                        n.freeze(0, 2);
                        return n;
                    }, ce, xB, tB, xV, tV, rep)).net;
                    return Metrics.classes(net.forward(xTestB), tTestB).accuracy;
                }));
            }
        }
        double[][][] acc = new double[2][sizes.length][R];
        int q = 0;
        for (int j = 0; j < sizes.length; j++) {
            for (int r = 0; r < R; r++) {
                acc[0][j][r] = Lab.get(runs.get(q++));
                acc[1][j][r] = Lab.get(runs.get(q++));
            }
        }
        return new NegativeControl(sizes, acc, accA);
    }

    /**
     * The first {@code perClass} rows (in the given order) of each digit lo … hi − 1, kept in the
     * given order.
     *
     * @throws IllegalArgumentException when a digit has fewer than perClass rows there
     */
    static int[] select(DigitsData d, int[] from, int lo, int hi, int perClass) {
        int[] taken = new int[10];
        int[] out = new int[from.length];
        int c = 0;
        for (int row : from) {
            int g = d.digit[row];
            if (g >= lo && g < hi && taken[g] < perClass) {
                taken[g]++;
                out[c++] = row;
            }
        }
        for (int g = lo; g < hi && perClass != Integer.MAX_VALUE; g++) {
            if (taken[g] < perClass) throw new IllegalArgumentException("control size: expected at most " + taken[g] + " rows of digit " + g + ", found " + perClass);
        }
        return Arrays.copyOf(out, c);
    }
}
