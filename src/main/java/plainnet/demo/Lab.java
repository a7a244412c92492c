package plainnet.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import plainnet.Activation;
import plainnet.Dense;
import plainnet.Loss;
import plainnet.Metrics;
import plainnet.Network;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Targets;
import plainnet.TaskNetwork;

/**
 * What the four experiments share (SPEC.md, section "The demo"): the data and its train and
 * test rows, the validation split of every repeat, the thread pool, the pre-training of A and the
 * head swap of experiments 1 and 3. The protocol itself (the split, the training recipe with
 * early stopping and the learning-rate search, the mean ± standard error arithmetic and the ≈
 * rule) is {@link Protocol}, which the commands {@code transfer --strategy auto} and
 * {@code compare-tasks} use too; Lab calls it under the names the experiments use.
 *
 * <p>Every run is deterministic: its network is drawn from {@code Rng(seed)} with a seed named in
 * the experiment's file, and its shuffle seed is the repeat number r.
 */
final class Lab {

    /** A's learning rate (A is not one of the arms compared, so it has no rate search). */
    static final double LR = 0.005;
    /** The protocol's constants (SPEC.md §20), under the names the experiments use. */
    static final int BATCH = Protocol.BATCH;
    static final double[] RATES = Protocol.RATES;
    /** Repeat r carves VALIDATION rows out of the training rows with Rng(SPLIT_SEED + r). */
    static final int VALIDATION = 240;
    static final long SPLIT_SEED = 8000;

    final Demo.Settings s;
    final DigitsData d;
    final PrintStream log;
    private final ExecutorService pool;
    /** The recipe of every run: the rates, the step budget of the settings, batch 32. */
    final Protocol protocol;
    final int[] trainRows, testRows;
    /** Repeat r: its validation rows val[r] (VALIDATION) and the other training rows rest[r], both in shuffled order. */
    final int[][] val, rest;

    Lab(Demo.Settings s, DigitsData d, PrintStream log, ExecutorService pool) {
        this.s = s;
        this.d = d;
        this.log = log;
        this.pool = pool;
        this.protocol = new Protocol(RATES, s.steps, BATCH);
        this.trainRows = d.rows(r -> d.train[r]);
        this.testRows = d.rows(r -> !d.train[r]);
        this.val = new int[s.repeats][];
        this.rest = new int[s.repeats][];
        for (int r = 0; r < s.repeats; r++) {
            int[][] split = Protocol.split(trainRows, VALIDATION, SPLIT_SEED + r);
            val[r] = split[0];
            rest[r] = split[1];
        }
    }

    /** Starts one run on the pool; its result is read with {@link #get}. */
    <T> Future<T> submit(Callable<T> run) {
        return pool.submit(run);
    }

    /**
     * Pre-trains A for every repeat r: a 64-32-16-C network from {@code Rng(initSeed + r)}, trained
     * with the softmax cross-entropy on the C classes of rows[r] (at LR for the full steps, no
     * validation: A is not one of the arms compared).
     *
     * @param rows (repeats) A's training rows per repeat; their classes are the digits minus {@code offset}
     * @param accA (repeats) filled with A's test accuracy on (xTest, tTest) per repeat
     * @return A of each repeat (repeats)
     */
    Network[] pretrainA(double[] accA, long initSeed, int C, int[][] rows, int offset, double[][] xTest, Targets tTest) {
        int R = s.repeats;
        List<Future<Network>> pre = new ArrayList<Future<Network>>();
        for (int r = 0; r < R; r++) {
            final int rep = r;
            double[][] x = rows(d.x, rows[r]);
            Targets t = Targets.ofClasses(digits(rows[r], offset), C);
            pre.add(pool.submit(() -> fit(mlp(initSeed + rep, 64, 32, 16, C), new SoftmaxCrossEntropy(), x, t, null, null, LR, rep).net));
        }
        Network[] A = new Network[R];
        for (int r = 0; r < R; r++) {
            A[r] = get(pre.get(r));
            accA[r] = Metrics.classes(A[r].forward(xTest), tTest).accuracy;
        }
        return A;
    }

    /**
     * The head swap: a copy of A whose last layer is replaced by a new identity layer (its inputs
     * → O) drawn from Rng(seed). Nothing is frozen; the caller freezes what its strategy keeps.
     */
    static Network newHead(Network A, int O, long seed) {
        Network net = A.copy();
        net.removeLast(1);
        net.append(new Dense(net.outputs(), O, Activation.IDENTITY, new Rng(seed)));
        return net;
    }

    /**
     * Trains by the protocol ({@link Protocol#fit}, SPEC.md §20): at most about {@code s.steps} Adam
     * steps at rate lr, mini-batches shuffled from shuffleSeed, early stopping with validation rows.
     *
     * @throws IllegalStateException when the run diverges (no demo run does)
     */
    Protocol.Fit fit(Network net, Loss loss, double[][] x, Targets t, double[][] xVal, Targets tVal, double lr, long shuffleSeed) {
        Protocol.Fit f = protocol.fit(net, loss, x, t, xVal, tVal, lr, shuffleSeed, false, null);
        checked(f.result.diverged, f.result.divergedEpoch, f.result.divergedStep);
        return f;
    }

    /** The protocol's fine-tune all ({@link Protocol#fineTuneAll}) after a search of the new head alone. */
    Protocol.Fit[] fineTuneAll(Protocol.Fit[] head, Loss loss, double[][] x, Targets t, double[][] xVal, Targets tVal, long shuffleSeed) {
        Protocol.Fit[] f = protocol.fineTuneAll(head, loss, x, t, xVal, tVal, shuffleSeed, null);
        for (Protocol.Fit run : f) checked(run.result.diverged, run.result.divergedEpoch, run.result.divergedStep);
        return f;
    }

    /** The protocol's rate search ({@link Protocol#search}): one run per rate of RATES, each from its own network of {@code make}. */
    Protocol.Fit[] search(Supplier<Network> make, Loss loss, double[][] x, Targets t, double[][] xVal, Targets tVal, long shuffleSeed) {
        Protocol.Fit[] f = protocol.search(make, loss, x, t, xVal, tVal, shuffleSeed, false, null);
        for (Protocol.Fit run : f) checked(run.result.diverged, run.result.divergedEpoch, run.result.divergedStep);
        return f;
    }

    /** The same rate search for a task network, trained with its own grouped loss. */
    Protocol.TaskFit[] search(Supplier<TaskNetwork> make, double[][] x, Targets t, double[][] xVal, Targets tVal, long shuffleSeed) {
        Protocol.TaskFit[] f = protocol.search(make, x, t, xVal, tVal, shuffleSeed, null);
        for (Protocol.TaskFit run : f) checked(run.result.diverged, run.result.divergedEpoch, run.result.divergedStep);
        return f;
    }

    private static void checked(boolean diverged, int epoch, int step) {
        if (diverged) throw new IllegalStateException("a demo run diverged at epoch " + epoch + ", step " + step);
    }

    /** The run with the lowest validation loss (the first rate on a tie): {@link Protocol#best}. */
    static Protocol.Fit best(Protocol.Fit[] f) {
        return Protocol.best(f);
    }

    /** The task-network run with the lowest validation loss (the first rate on a tie). */
    static Protocol.TaskFit best(Protocol.TaskFit[] f) {
        return Protocol.best(f);
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
        return Protocol.rows(a, index);
    }

    /** The complete label of task k for the given rows, as (rows, 1) targets. */
    Targets column(int[] rowIds, int k) {
        double[][] y = new double[rowIds.length][1];
        for (int n = 0; n < rowIds.length; n++) y[n][0] = d.tasks[rowIds[n]][k];
        return Targets.of(y);
    }

    /** The digit of each row minus offset, as class indices: 0–9 for offset 0, 0–4 for digits 5–9 with offset 5. */
    int[] digits(int[] rowIds, int offset) {
        int[] c = new int[rowIds.length];
        for (int n = 0; n < rowIds.length; n++) c[n] = d.digit[rowIds[n]] - offset;
        return c;
    }

    static <T> T get(Future<T> f) {
        return Protocol.get(f);
    }

    // The statistics of the tables, written once in Protocol (SPEC.md §20); the experiments call them by these names.

    static double mean(double[] a) {
        return Protocol.mean(a);
    }

    static double se(double[] a) {
        return Protocol.se(a);
    }

    static boolean noise(double[] a, double[] b) {
        return Protocol.noise(a, b);
    }

    static String pm(double[] a) {
        return Protocol.pm(a);
    }

    static String pmDiff(double[] a, double[] b) {
        return Protocol.pmDiff(a, b);
    }

    static String sizeName(int N) {
        return N == Demo.ALL ? "all" : String.valueOf(N);
    }

    static Svg.Series series(String name, double[][] a) {
        double[] m = new double[a.length], err = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            m[j] = mean(a[j]);
            err[j] = se(a[j]);
        }
        return new Svg.Series(name, m, err);
    }
}
