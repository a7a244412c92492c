package plainnet.demo;

import static plainnet.demo.Lab.pm;
import static plainnet.demo.Lab.rows;
import static plainnet.demo.Lab.series;
import static plainnet.demo.Lab.sizeName;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import plainnet.BinaryCrossEntropy;
import plainnet.Metrics;
import plainnet.Network;
import plainnet.Targets;

/**
 * Experiment 1, transfer A → B (SPEC.md, section "The demo", item 1): A = the 10 digit classes on
 * the repeat's training rows outside its validation split; B = one binary task with N labeled
 * rows of those, trained from scratch or from A's weights with a new head and some layers frozen,
 * as {@code plainnet train} and {@code plainnet transfer} do. Holds the validation and test
 * accuracies and their table and chart.
 */
final class Transfer {

    /** Repeat r draws A from Rng(A_INIT_SEED + r). */
    static final long A_INIT_SEED = 100;
    /** Repeat r draws the scratch network for B from Rng(SCRATCH_INIT_SEED + r). */
    static final long SCRATCH_INIT_SEED = 1000;
    /** Repeat r draws the new head that replaces A's last layer from Rng(HEAD_INIT_SEED + r). */
    static final long HEAD_INIT_SEED = 2000;

    /**
     * The four ways of training B, each one the command line offers: {@code train}; {@code transfer}
     * (the kept layers frozen); {@code transfer --freeze 1}; {@code transfer --finetune-epochs E}
     * (the last-layer run, then every layer at the rate ÷ 10 with a new optimizer).
     */
    enum Strategy {
        SCRATCH("scratch"), LAST_LAYER("last layer"), LAST_TWO("last two layers"), FINE_TUNE("fine-tune all");

        final String label;

        Strategy(String label) {
            this.label = label;
        }
    }

    /** Accuracies acc[strategy][size][repeat] on the test rows and valAcc[…] on the repeat's validation rows; A's test accuracy per repeat. */
    final String task;
    final int[] sizes;
    final double[][][] acc, valAcc;
    final double[] accA;

    Transfer(String task, int[] sizes, double[][][] acc, double[][][] valAcc, double[] accA) {
        this.task = task;
        this.sizes = sizes;
        this.acc = acc;
        this.valAcc = valAcc;
        this.accA = accA;
    }

    /** The strategy with the highest mean validation accuracy at size index j (the first in table order on a tie; {@link Protocol#chosen}). */
    Strategy chosen(int j) {
        return Strategy.values()[Protocol.chosen(validation(j))];
    }

    /** The second highest mean validation accuracy at size index j ({@link Protocol#runnerUp}). */
    Strategy runnerUp(int j) {
        return Strategy.values()[Protocol.runnerUp(validation(j))];
    }

    /** Validation cannot tell the choice at size index j from the runner-up ({@link Protocol#choiceInNoise}). */
    boolean choiceInNoise(int j) {
        return Protocol.choiceInNoise(validation(j));
    }

    /** The validation accuracies (strategies, repeats) at size index j. */
    private double[][] validation(int j) {
        double[][] v = new double[valAcc.length][];
        for (int st = 0; st < v.length; st++) v[st] = valAcc[st][j];
        return v;
    }

    String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%n1. Transfer A -> B. A = 10 digit classes (test accuracy %s); B = %s with N labeled rows.%n", pm(accA), task));
        t.append(String.format(Locale.ROOT, "   Test accuracy on B (599 rows), mean ± standard error over %d repeats. Each repeat draws its own%n", accA.length));
        t.append(String.format(Locale.ROOT, "   %d validation rows from the 1198 training rows, trains A on the other %d and takes B's N rows from%n", Lab.VALIDATION,
            1198 - Lab.VALIDATION));
        t.append("   those (all = all of them). Every arm keeps its rate (" + Protocol.ratesText(Lab.RATES) + ") and epoch with the lowest\n");
        t.append("   validation loss; the strategy is chosen on validation accuracy.\n\n");
        t.append(String.format(Locale.ROOT, "| %-5s |", "N"));
        for (Strategy st : Strategy.values()) t.append(String.format(Locale.ROOT, " %-15s |", st.label));
        t.append(" chosen on validation |\n|-------|");
        for (int j = 0; j < Strategy.values().length; j++) t.append("-----------------|");
        t.append("----------------------|\n");
        for (int j = 0; j < sizes.length; j++) {
            t.append(String.format(Locale.ROOT, "| %-5s |", sizeName(sizes[j])));
            for (Strategy st : Strategy.values()) t.append(String.format(Locale.ROOT, " %-15s |", pm(acc[st.ordinal()][j])));
            t.append(String.format(Locale.ROOT, " %-20s |%n", chosen(j).label + (choiceInNoise(j) ? " ≈" : "")));
        }
        t.append(String.format(Locale.ROOT, "%n   ≈: within noise: the validation accuracies of the choice and the runner-up differ by at most%n"
            + "   2 standard errors of their paired difference, so validation cannot tell them apart.%n"));
        return t.toString();
    }

    String chart() {
        List<Svg.Series> series = new ArrayList<Svg.Series>();
        for (Strategy st : Strategy.values()) series.add(series(st.label, acc[st.ordinal()]));
        String[] cats = new String[sizes.length];
        for (int j = 0; j < sizes.length; j++) cats[j] = sizeName(sizes[j]);
        return Svg.lines("Transfer A (10 digits) -> B (" + task + ")", "N labeled rows of B", "test accuracy on B (± standard error)", cats, series, 0.5, 1.0);
    }

    /** Runs the experiment with B = the given task, for every size of the settings and every strategy. */
    static Transfer run(Lab lab, String task) {
        DigitsData d = lab.d;
        int k = Demo.index(task);
        int R = lab.s.repeats;
        lab.log.printf("[demo] transfer: pre-training A on the 10 digit classes (%d runs)%n", R);
        double[][] xTest = rows(d.x, lab.testRows);
        Targets tTestA = Targets.ofClasses(lab.digits(lab.testRows, 0), 10);
        Targets tTestB = lab.column(lab.testRows, k);
        double[] accA = new double[R];
        Network[] A = lab.pretrainA(accA, A_INIT_SEED, 10, lab.rest, 0, xTest, tTestA);

        lab.log.printf("[demo] transfer: training B = %s, %d sizes x %d strategies x %d rates x %d repeats%n", task, lab.s.transferSizes.length,
            Strategy.values().length, Lab.RATES.length, R);
        int[] sizes = lab.s.transferSizes;
        List<Future<double[]>> runs = new ArrayList<Future<double[]>>();
        for (int j = 0; j < sizes.length; j++) {
            for (int r = 0; r < R; r++) {
                int[] own = sizes[j] == Demo.ALL ? lab.rest[r] : Arrays.copyOfRange(lab.rest[r], 0, sizes[j]);
                double[][] xB = rows(d.x, own), xV = rows(d.x, lab.val[r]);
                Targets tB = lab.column(own, k), tV = lab.column(lab.val[r], k);
                final Network base = A[r];
                final int rep = r;
                BinaryCrossEntropy bce = new BinaryCrossEntropy();
                runs.add(lab.submit(() -> scores(Lab.best(lab.search(() -> Lab.mlp(SCRATCH_INIT_SEED + rep, 64, 32, 16, 1), bce, xB, tB, xV, tV, rep)),
                    xV, tV, xTest, tTestB)));
                runs.add(lab.submit(() -> {
                    // stage 1: the new head alone; stage 2 (fine-tune all): every layer, from each stage-1 run, at its rate ÷ 10
                    Protocol.Fit[] head = lab.search(() -> frozen(base, 2, rep), bce, xB, tB, xV, tV, rep);
                    Protocol.Fit[] all = lab.fineTuneAll(head, bce, xB, tB, xV, tV, rep);
                    return concat(scores(Lab.best(head), xV, tV, xTest, tTestB), scores(Lab.best(all), xV, tV, xTest, tTestB));
                }));
                runs.add(lab.submit(() -> scores(Lab.best(lab.search(() -> frozen(base, 1, rep), bce, xB, tB, xV, tV, rep)), xV, tV, xTest, tTestB)));
            }
        }
        double[][][] acc = new double[Strategy.values().length][sizes.length][R];
        double[][][] valAcc = new double[Strategy.values().length][sizes.length][R];
        int q = 0;
        for (int j = 0; j < sizes.length; j++) {
            for (int r = 0; r < R; r++) {
                double[] scratch = Lab.get(runs.get(q++)), headThenAll = Lab.get(runs.get(q++)), lastTwo = Lab.get(runs.get(q++));
                double[][] byStrategy = {scratch, Arrays.copyOfRange(headThenAll, 0, 2), lastTwo, Arrays.copyOfRange(headThenAll, 2, 4)};
                for (Strategy st : Strategy.values()) {
                    valAcc[st.ordinal()][j][r] = byStrategy[st.ordinal()][0];
                    acc[st.ordinal()][j][r] = byStrategy[st.ordinal()][1];
                }
            }
        }
        return new Transfer(task, sizes, acc, valAcc, accA);
    }

    /** A with a new 16 → 1 head from Rng(HEAD_INIT_SEED + rep) and its first {@code frozen} layers frozen. */
    static Network frozen(Network A, int frozen, int rep) {
        Network net = Lab.newHead(A, 1, HEAD_INIT_SEED + rep);
        net.freeze(0, frozen);
        return net;
    }

    /** {validation accuracy, test accuracy} of a binary run. */
    private static double[] scores(Protocol.Fit f, double[][] xV, Targets tV, double[][] xTest, Targets tTest) {
        return new double[] {Metrics.binary(f.net.forward(xV), tV)[0].accuracy, Metrics.binary(f.net.forward(xTest), tTest)[0].accuracy};
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
