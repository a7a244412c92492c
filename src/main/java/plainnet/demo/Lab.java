package plainnet.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import plainnet.Activation;
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
 * What the three experiments share (SPEC.md, section "The demo"): the data and its train and
 * test rows, the validation split of every repeat, the thread pool, the training recipe of every
 * run (early stopping and the learning-rate search), the pre-training of A and the head swap of
 * experiments 1 and 3, and the mean ± standard error arithmetic of the tables.
 *
 * <p>Every run is deterministic: its network is drawn from {@code Rng(seed)} with a seed named in
 * the experiment's file, and its shuffle seed is the repeat number r.
 */
final class Lab {

    static final double LR = 0.005, L2 = 1e-4;
    static final int BATCH = 32;
    /** Every arm trains once at each rate and keeps the run with the lowest validation loss. */
    static final double[] RATES = {0.005, 0.02};
    /** Early stopping: stop after about this many steps without a new lowest validation loss. */
    static final int PATIENCE_STEPS = 100;
    /** Repeat r carves VALIDATION rows out of the training rows with Rng(SPLIT_SEED + r). */
    static final int VALIDATION = 240;
    static final long SPLIT_SEED = 8000;

    final Demo.Settings s;
    final DigitsData d;
    final PrintStream log;
    private final ExecutorService pool;
    final int[] trainRows, testRows;
    /** Repeat r: its validation rows val[r] (VALIDATION) and the other training rows rest[r], both in shuffled order. */
    final int[][] val, rest;

    Lab(Demo.Settings s, DigitsData d, PrintStream log, ExecutorService pool) {
        this.s = s;
        this.d = d;
        this.log = log;
        this.pool = pool;
        this.trainRows = d.rows(r -> d.train[r]);
        this.testRows = d.rows(r -> !d.train[r]);
        this.val = new int[s.repeats][];
        this.rest = new int[s.repeats][];
        for (int r = 0; r < s.repeats; r++) {
            int[] order = trainRows.clone();
            new Rng(SPLIT_SEED + r).shuffle(order);
            val[r] = Arrays.copyOfRange(order, 0, VALIDATION);
            rest[r] = Arrays.copyOfRange(order, VALIDATION, order.length);
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

    /** A trained network, the rate it was trained at and its loss on the validation rows (NaN without validation). */
    static final class Fit {
        final Network net;
        final double lr, valLoss;

        Fit(Network net, double lr, double valLoss) {
            this.net = net;
            this.lr = lr;
            this.valLoss = valLoss;
        }
    }

    /**
     * Trains for at most about {@code steps} Adam steps at rate lr: epochs = ⌈steps / ⌈N / 32⌉⌉;
     * the mini-batches are shuffled from shuffleSeed. With validation rows: early stopping after
     * ⌈PATIENCE_STEPS / ⌈N / 32⌉⌉ epochs without a lower validation loss, keeping the best epoch's weights.
     */
    Fit fit(Network net, Loss loss, double[][] x, Targets t, double[][] xVal, Targets tVal, double lr, long shuffleSeed) {
        Trainer tr = new Trainer(net, loss, Optimizer.adam(lr).withWeightDecay(L2, false));
        int batches = (x.length + BATCH - 1) / BATCH;
        tr.epochs = Math.max(1, (s.steps + batches - 1) / batches);
        tr.batch = BATCH;
        tr.seed = shuffleSeed;
        if (xVal != null) tr.patience = Math.max(1, (PATIENCE_STEPS + batches - 1) / batches);
        Trainer.Result r = tr.fit(x, t, xVal, tVal, null);
        if (r.diverged) throw new IllegalStateException("a demo run diverged at epoch " + r.divergedEpoch + ", step " + r.divergedStep);
        return new Fit(net, lr, xVal == null ? Double.NaN : loss.forward(net.forward(xVal), tVal));
    }

    /** One run per rate of RATES, each from its own network of {@code make} (called once per rate), with early stopping on (xVal, tVal). */
    Fit[] search(Supplier<Network> make, Loss loss, double[][] x, Targets t, double[][] xVal, Targets tVal, long shuffleSeed) {
        Fit[] f = new Fit[RATES.length];
        for (int i = 0; i < RATES.length; i++) f[i] = fit(make.get(), loss, x, t, xVal, tVal, RATES[i], shuffleSeed);
        return f;
    }

    /** The run with the lowest validation loss (the first rate on a tie). */
    static Fit best(Fit[] f) {
        Fit best = f[0];
        for (Fit c : f) if (c.valLoss < best.valLoss) best = c;
        return best;
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

    /** Standard error of the mean over repeats: sd / √R, sd the sample standard deviation (÷ (R − 1)). */
    static double se(double[] a) {
        double m = mean(a), s = 0.0;
        for (double v : a) s += (v - m) * (v - m);
        return Math.sqrt(s / (a.length - 1)) / Math.sqrt(a.length);
    }

    /** a − b, repeat by repeat (both arms of a repeat share its rows, so the difference is paired). */
    static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int r = 0; r < a.length; r++) d[r] = a[r] - b[r];
        return d;
    }

    /** Within noise: the mean paired difference is at most two of its standard errors from 0. */
    static boolean noise(double[] a, double[] b) {
        double[] diff = minus(a, b);
        return Math.abs(mean(diff)) <= 2 * se(diff);
    }

    static String pm(double[] a) {
        return String.format(Locale.ROOT, "%.3f ± %.3f", mean(a), se(a));
    }

    /** The paired difference a − b as mean ± standard error. */
    static String pmDiff(double[] a, double[] b) {
        double[] diff = minus(a, b);
        return String.format(Locale.ROOT, "%+.3f ± %.3f", mean(diff), se(diff));
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
