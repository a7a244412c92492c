package plainnet.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
 * test rows, the thread pool, the training recipe of every run, the pre-training of A and the
 * head swap of experiments 1 and 3, and the mean ± sd arithmetic of the tables.
 *
 * <p>Every run is deterministic: its network is drawn from {@code Rng(seed)} with a seed named in
 * the experiment's file, and its shuffle seed is the repeat number r.
 */
final class Lab {

    static final double LR = 0.005, L2 = 1e-4;
    static final int BATCH = 32;

    final Demo.Settings s;
    final DigitsData d;
    final PrintStream log;
    private final ExecutorService pool;
    final int[] trainRows, testRows;

    Lab(Demo.Settings s, DigitsData d, PrintStream log, ExecutorService pool) {
        this.s = s;
        this.d = d;
        this.log = log;
        this.pool = pool;
        this.trainRows = d.rows(r -> d.train[r]);
        this.testRows = d.rows(r -> !d.train[r]);
    }

    /** Starts one run on the pool; its result is read with {@link #get}. */
    <T> Future<T> submit(Callable<T> run) {
        return pool.submit(run);
    }

    /**
     * Pre-trains A for every repeat r: a 64-32-16-C network from {@code Rng(initSeed + r)}, trained
     * with the softmax cross-entropy on the C classes of (x, t).
     *
     * @param accA (repeats) filled with A's test accuracy on (xTest, tTest) per repeat
     * @return A of each repeat (repeats)
     */
    Network[] pretrainA(double[] accA, long initSeed, int C, double[][] x, Targets t, double[][] xTest, Targets tTest) {
        int R = s.repeats;
        List<Future<Network>> pre = new ArrayList<Future<Network>>();
        for (int r = 0; r < R; r++) {
            final int rep = r;
            pre.add(pool.submit(() -> fit(mlp(initSeed + rep, 64, 32, 16, C), new SoftmaxCrossEntropy(), x, t, rep)));
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

    /** Trains for about {@code steps} Adam steps: epochs = ⌈steps / ⌈N / 32⌉⌉; the mini-batches are shuffled from shuffleSeed. */
    Network fit(Network net, Loss loss, double[][] x, Targets t, long shuffleSeed) {
        Trainer tr = new Trainer(net, loss, Optimizer.adam(LR).withWeightDecay(L2, false));
        int batches = (x.length + BATCH - 1) / BATCH;
        tr.epochs = Math.max(1, (s.steps + batches - 1) / batches);
        tr.batch = BATCH;
        tr.seed = shuffleSeed;
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
        return N == Demo.ALL ? "all" : String.valueOf(N);
    }

    static Svg.Series series(String name, double[][] a) {
        double[] m = new double[a.length], sd = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            m[j] = mean(a[j]);
            sd[j] = sd(a[j]);
        }
        return new Svg.Series(name, m, sd);
    }
}
