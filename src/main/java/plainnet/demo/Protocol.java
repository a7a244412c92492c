package plainnet.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import plainnet.Loss;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Rng;
import plainnet.Targets;
import plainnet.TaskNetwork;
import plainnet.TaskTrainer;
import plainnet.Trainer;

/**
 * The comparison protocol (SPEC.md §20), written once for {@code make demo} and for the commands
 * {@code transfer --strategy auto} and {@code compare-tasks} (SPEC.md §21): the validation split
 * of every repeat, the training recipe of every run (the step budget, early stopping on the
 * validation loss and the learning-rate search), and the statistics of the tables (mean ±
 * standard error over repeats, paired differences, the ≈ rule and the choice on validation).
 *
 * <p>The recipe runs a plain {@link Network} with {@link Trainer} and a {@link TaskNetwork} (a
 * trunk and a tower per output group, SPEC.md §27) with {@link TaskTrainer} alike: the same
 * epochs, patience, optimizer, best-weights rule, divergence rule and rate search, each written
 * once below.
 *
 * <p>Every run is deterministic: the caller draws its network from a named seed and gives its
 * shuffle seed, so results do not depend on the thread that runs them.
 */
public final class Protocol {

    /** Adam's coupled L2 weight decay λ on W in every run. */
    public static final double L2 = 1e-4;
    /** The mini-batch size of the demo (the commands take --batch, default the same). */
    public static final int BATCH = 32;
    /** Every arm trains once at each of these rates (the demo's; the commands' --rates default). */
    public static final double[] RATES = {0.005, 0.02};
    /** Early stopping: stop after about this many steps without a new lowest validation loss. */
    public static final int PATIENCE_STEPS = 100;
    /** The step budget of one run: the demo's default and the commands' --steps default. */
    public static final int STEPS = 1500;

    /** The rates of the search (M). */
    private final double[] rates;
    private final int steps, batch;

    /**
     * A protocol with the given rate search, step budget and batch size.
     *
     * @param rates the learning rates every arm is trained at (M ≥ 1, each finite and &gt; 0)
     * @param steps about how many Adam steps one run takes (≥ 1)
     * @param batch the mini-batch size (≥ 1)
     * @throws IllegalArgumentException on a value out of range
     */
    public Protocol(double[] rates, int steps, int batch) {
        if (rates == null || rates.length == 0) throw new IllegalArgumentException("Protocol: expected at least one learning rate, found none");
        for (double lr : rates) {
            if (!(lr > 0.0) || Double.isInfinite(lr)) throw new IllegalArgumentException("Protocol: expected learning rates > 0, found " + lr);
        }
        if (steps < 1) throw new IllegalArgumentException("Protocol: expected steps >= 1, found " + steps);
        if (batch < 1) throw new IllegalArgumentException("Protocol: expected batch >= 1, found " + batch);
        this.rates = rates.clone();
        this.steps = steps;
        this.batch = batch;
    }

    /**
     * The rates of the search.
     *
     * @return a copy of the rates (M)
     */
    public double[] rates() {
        return rates.clone();
    }

    // ----------------------------------------------------------------------------------------
    // splits

    /**
     * The validation split of one repeat: the rows shuffled by {@code new Rng(seed).shuffle}
     * (SPEC.md §11); the first V are the validation rows, the others the training rows, both in
     * that shuffled order. Repeat r of a protocol uses seed = (its base seed) + r.
     *
     * @param rows the row indices to split (not modified)
     * @param V    the validation rows, 1 ≤ V &lt; rows.length
     * @param seed the seed of the shuffle
     * @return {validation (V), training (rows.length − V)}
     * @throws IllegalArgumentException when V is out of range
     */
    public static int[][] split(int[] rows, int V, long seed) {
        if (V < 1 || V >= rows.length) throw new IllegalArgumentException("split: expected 1 to " + (rows.length - 1) + " validation rows, found " + V);
        int[] order = rows.clone();
        new Rng(seed).shuffle(order);
        return new int[][] {Arrays.copyOfRange(order, 0, V), Arrays.copyOfRange(order, V, order.length)};
    }

    /**
     * The rows of a at the given indices.
     *
     * @param a     (N, ·) the rows
     * @param index (M) indices into a
     * @return (M, ·) the rows a[index[j]], shared, not copied
     */
    public static double[][] rows(double[][] a, int[] index) {
        double[][] out = new double[index.length][];
        for (int j = 0; j < index.length; j++) out[j] = a[index[j]];
        return out;
    }

    // ----------------------------------------------------------------------------------------
    // the training recipe

    /**
     * The epochs of a run on N rows.
     *
     * @param N the training rows
     * @return ⌈steps / ⌈N / batch⌉⌉, at least 1
     */
    public int epochs(int N) {
        int batches = (N + batch - 1) / batch;
        return Math.max(1, (steps + batches - 1) / batches);
    }

    /**
     * The early-stopping patience of a run on N rows.
     *
     * @param N the training rows
     * @return ⌈PATIENCE_STEPS / ⌈N / batch⌉⌉ epochs, at least 1
     */
    public int patience(int N) {
        int batches = (N + batch - 1) / batch;
        return Math.max(1, (PATIENCE_STEPS + batches - 1) / batches);
    }

    /** The optimizer of every run: Adam at rate lr with coupled L2 weight decay {@link #L2} on W. */
    private static Optimizer optimizer(double lr) {
        return Optimizer.adam(lr).withWeightDecay(L2, false);
    }

    /**
     * The score the rate search compares (the divergence rule): NaN without validation rows; +∞
     * for a run that diverged, so that the search never prefers it; else the loss of the kept
     * weights on the validation rows.
     */
    private static double valLoss(boolean validated, boolean diverged, DoubleSupplier loss) {
        return !validated ? Double.NaN : diverged ? Double.POSITIVE_INFINITY : loss.getAsDouble();
    }

    /** A trained network, the rate it was trained at, its loss on the validation rows (NaN without; +∞ when it diverged) and the trainer's result. */
    public static final class Fit {
        /** The trained network (the best epoch's weights with validation rows). */
        public final Network net;
        /** The learning rate of the run. */
        public final double lr;
        /** The loss on the validation rows; NaN without them; +∞ for a run that diverged, so that the search never prefers it. */
        public final double valLoss;
        /** What the trainer reports: the epochs run, the kept epoch, a divergence. */
        public final Trainer.Result result;

        Fit(Network net, double lr, double valLoss, Trainer.Result result) {
            this.net = net;
            this.lr = lr;
            this.valLoss = valLoss;
            this.result = result;
        }
    }

    /** A trained task network, as {@link Fit}: its rate, its loss J = Σ_g w_g·J_g on the validation rows (NaN without; +∞ when it diverged) and the trainer's result. */
    public static final class TaskFit {
        /** The trained task network (the best epoch's weights with validation rows). */
        public final TaskNetwork net;
        /** The learning rate of the run. */
        public final double lr;
        /** The grouped loss on the validation rows; NaN without them; +∞ for a run that diverged. */
        public final double valLoss;
        /** What the trainer reports: the epochs run, the kept epoch, a divergence. */
        public final TaskTrainer.Result result;

        TaskFit(TaskNetwork net, double lr, double valLoss, TaskTrainer.Result result) {
            this.net = net;
            this.lr = lr;
            this.valLoss = valLoss;
            this.result = result;
        }
    }

    /**
     * Fine-tune all, the second stage after a rate search of a new head alone (SPEC.md §20.1):
     * each first-stage run's network continued (as a copy) with every layer trainable, a new
     * optimizer at that run's rate ÷ 10 and the same early stopping. {@link #best} of the result
     * keeps the second-stage run with the lowest validation loss. The demo and {@code transfer
     * --strategy auto} both call it.
     *
     * @param head        the first-stage runs, one per rate
     * @param loss        the loss
     * @param x           (N, I) training inputs
     * @param t           the training targets (N, K)
     * @param xVal        (V, I) validation inputs
     * @param tVal        the validation targets (V, K)
     * @param shuffleSeed the seed of the mini-batch shuffle
     * @param listener    the recorder of the runs (started with each run's rate), or null
     * @return one second-stage run per first-stage run, in order
     */
    public Fit[] fineTuneAll(Fit[] head, Loss loss, double[][] x, Targets t, double[][] xVal, Targets tVal, long shuffleSeed, Listener listener) {
        Fit[] all = new Fit[head.length];
        for (int i = 0; i < head.length; i++) {
            Network net = head[i].net.copy(); // the first-stage run stays as it was
            net.unfreeze(0, net.size());
            double lr = head[i].lr / 10;
            all[i] = fit(net, loss, x, t, xVal, tVal, lr, shuffleSeed, false, listener == null ? null : listener.start(lr, net));
        }
        return all;
    }

    /**
     * Trains at rate lr with Adam and coupled L2 {@link #L2} for {@link #epochs}(N) epochs of
     * mini-batches shuffled from shuffleSeed; with validation rows, early stopping after
     * {@link #patience}(N) epochs without a lower validation loss, keeping the best epoch's
     * weights (SPEC.md §19). With {@code gradual}: {@code Trainer.fitGradual} from the network's
     * lowest trainable layer. Training uses the network's thread setting.
     *
     * @param net         the network to train (its frozen flags say which layers train)
     * @param loss        the loss
     * @param x           (N, I) training inputs
     * @param t           the training targets (N, K)
     * @param xVal        (V, I) validation inputs, or null
     * @param tVal        the validation targets (V, K), or null
     * @param lr          the learning rate
     * @param shuffleSeed the seed of the mini-batch shuffle
     * @param gradual     true for gradual unfreezing (SPEC.md §19)
     * @param listener    called after every epoch, or null
     * @return the trained network with its rate, validation loss and the trainer's result
     */
    public Fit fit(Network net, Loss loss, double[][] x, Targets t, double[][] xVal, Targets tVal, double lr, long shuffleSeed, boolean gradual,
                   Consumer<Trainer.Epoch> listener) {
        Trainer tr = new Trainer(net, loss, optimizer(lr));
        tr.epochs = epochs(x.length);
        tr.batch = batch;
        tr.seed = shuffleSeed;
        if (xVal != null) tr.patience = patience(x.length);
        Trainer.Result r = gradual ? tr.fitGradual(x, t, xVal, tVal, listener) : tr.fit(x, t, xVal, tVal, listener);
        return new Fit(net, lr, valLoss(xVal != null, r.diverged, () -> loss.forward(net.forward(xVal), tVal)), r);
    }

    /**
     * The same run for a task network (SPEC.md §20.1): {@link TaskTrainer} with the optimizer,
     * epochs, batch, shuffle seed and patience of {@link #fit(Network, Loss, double[][], Targets,
     * double[][], Targets, double, long, boolean, Consumer) fit}; the loss is the network's own,
     * J = Σ_g w_g·J_g (SPEC.md §27). Training uses the network's thread setting.
     *
     * @param net         the task network to train (its frozen flags say which layers train)
     * @param x           (N, I) training inputs
     * @param t           the training targets (N, K) of all groups
     * @param xVal        (V, I) validation inputs, or null
     * @param tVal        the validation targets (V, K), or null
     * @param lr          the learning rate
     * @param shuffleSeed the seed of the mini-batch shuffle
     * @param listener    called after every epoch, or null
     * @return the trained network with its rate, validation loss and the trainer's result
     */
    public TaskFit fit(TaskNetwork net, double[][] x, Targets t, double[][] xVal, Targets tVal, double lr, long shuffleSeed, Consumer<TaskTrainer.Epoch> listener) {
        TaskTrainer tr = new TaskTrainer(net, optimizer(lr));
        tr.epochs = epochs(x.length);
        tr.batch = batch;
        tr.seed = shuffleSeed;
        if (xVal != null) tr.patience = patience(x.length);
        TaskTrainer.Result r = tr.fit(x, t, xVal, tVal, listener);
        return new TaskFit(net, lr, valLoss(xVal != null, r.diverged, () -> net.loss().forward(net.forward(xVal), tVal)), r);
    }

    /** The rate search's loop, for either kind of network: one run per rate, in the order of the rates. */
    private <F> F[] eachRate(F[] runs, DoubleFunction<F> run) {
        for (int i = 0; i < rates.length; i++) runs[i] = run.apply(rates[i]);
        return runs;
    }

    /**
     * The learning-rate search: one run per rate, in order, each from its own network of
     * {@code make} (called once per rate), with early stopping on (xVal, tVal).
     *
     * @param make        a new network per call, the same initial weights every call
     * @param loss        the loss
     * @param x           (N, I) training inputs
     * @param t           the training targets (N, K)
     * @param xVal        (V, I) validation inputs
     * @param tVal        the validation targets (V, K)
     * @param shuffleSeed the seed of the mini-batch shuffle of every run
     * @param gradual     true for gradual unfreezing (SPEC.md §19)
     * @param listener    gives the epoch listener of each run, or null for none
     * @return the run at each rate (M), in the order of the rates
     */
    public Fit[] search(Supplier<Network> make, Loss loss, double[][] x, Targets t, double[][] xVal, Targets tVal, long shuffleSeed, boolean gradual,
                        Listener listener) {
        return eachRate(new Fit[rates.length], lr -> {
            Network net = make.get();
            return fit(net, loss, x, t, xVal, tVal, lr, shuffleSeed, gradual, listener == null ? null : listener.start(lr, net));
        });
    }

    /**
     * The learning-rate search for a task network: one {@link #fit(TaskNetwork, double[][],
     * Targets, double[][], Targets, double, long, Consumer) run} per rate, in order, each from its
     * own network of {@code make}, with early stopping on (xVal, tVal).
     *
     * @param make        a new task network per call, the same initial weights every call
     * @param x           (N, I) training inputs
     * @param t           the training targets (N, K) of all groups
     * @param xVal        (V, I) validation inputs
     * @param tVal        the validation targets (V, K)
     * @param shuffleSeed the seed of the mini-batch shuffle of every run
     * @param listener    gives the epoch listener of each run, or null for none
     * @return the run at each rate (M), in the order of the rates
     */
    public TaskFit[] search(Supplier<TaskNetwork> make, double[][] x, Targets t, double[][] xVal, Targets tVal, long shuffleSeed, TaskListener listener) {
        return eachRate(new TaskFit[rates.length], lr -> {
            TaskNetwork net = make.get();
            return fit(net, x, t, xVal, tVal, lr, shuffleSeed, listener == null ? null : listener.start(lr, net));
        });
    }

    /** Gives the epoch listener of one run of a search (the commands' --history records every run). */
    public interface Listener {
        /**
         * The listener of the run at rate lr.
         *
         * @param lr  the run's learning rate
         * @param net the network the run trains
         * @return called after every epoch of the run
         */
        Consumer<Trainer.Epoch> start(double lr, Network net);
    }

    /** {@link Listener} for the runs of a task network's search. */
    public interface TaskListener {
        /**
         * The listener of the run at rate lr.
         *
         * @param lr  the run's learning rate
         * @param net the task network the run trains
         * @return called after every epoch of the run
         */
        Consumer<TaskTrainer.Epoch> start(double lr, TaskNetwork net);
    }

    /** The search's choice, for either kind of run: the lowest validation loss, the first on a tie. */
    private static <F> F lowest(F[] runs, ToDoubleFunction<F> valLoss) {
        F best = runs[0];
        for (F c : runs) if (valLoss.applyAsDouble(c) < valLoss.applyAsDouble(best)) best = c;
        return best;
    }

    /**
     * The run the rate search keeps.
     *
     * @param f the runs (M ≥ 1)
     * @return the run with the lowest validation loss (the first rate on a tie)
     */
    public static Fit best(Fit[] f) {
        return lowest(f, c -> c.valLoss);
    }

    /**
     * The run the rate search of a task network keeps.
     *
     * @param f the runs (M ≥ 1)
     * @return the run with the lowest validation loss (the first rate on a tie)
     */
    public static TaskFit best(TaskFit[] f) {
        return lowest(f, c -> c.valLoss);
    }

    /**
     * The result of a run submitted to a pool, waiting for it.
     *
     * @param <T> the result's type
     * @param f   the run
     * @return its result; the run's own unchecked exception or error is rethrown as it was
     */
    public static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            if (cause instanceof Error) throw (Error) cause;
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Learning rates as the tables name them.
     *
     * @param rates the rates
     * @return the rates joined by ", " as {@code Double.toString} writes them, e.g. "0.005, 0.02"
     */
    public static String ratesText(double[] rates) {
        StringBuilder s = new StringBuilder();
        for (double lr : rates) s.append(s.length() == 0 ? "" : ", ").append(lr);
        return s.toString();
    }

    // ----------------------------------------------------------------------------------------
    // statistics over repeats

    /**
     * The mean over repeats.
     *
     * @param a (R) values
     * @return their sum in index order ÷ R
     */
    public static double mean(double[] a) {
        double s = 0.0;
        for (double v : a) s += v;
        return s / a.length;
    }

    /**
     * The standard error of the mean over repeats.
     *
     * @param a (R) values, R ≥ 2
     * @return sd / √R, sd the sample standard deviation (÷ (R − 1))
     */
    public static double se(double[] a) {
        double m = mean(a), s = 0.0;
        for (double v : a) s += (v - m) * (v - m);
        return Math.sqrt(s / (a.length - 1)) / Math.sqrt(a.length);
    }

    /**
     * The mean over tasks within each repeat.
     *
     * @param a (K, R) a value per task and repeat
     * @return (R) for each repeat, the sum over the K tasks in order ÷ K
     */
    public static double[] taskMean(double[][] a) {
        double[] m = new double[a[0].length];
        for (int r = 0; r < m.length; r++) {
            double sum = 0.0;
            for (double[] task : a) sum += task[r];
            m[r] = sum / a.length;
        }
        return m;
    }

    /**
     * The paired difference (both arms of a repeat share its rows).
     *
     * @param a (R) one arm's values
     * @param b (R) the other arm's values
     * @return (R) a − b, repeat by repeat
     */
    public static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int r = 0; r < a.length; r++) d[r] = a[r] - b[r];
        return d;
    }

    /**
     * Within noise (≈).
     *
     * @param a (R) one arm's values
     * @param b (R) the other arm's values
     * @return true when |mean(a − b)| ≤ 2·se(a − b)
     */
    public static boolean noise(double[] a, double[] b) {
        double[] diff = minus(a, b);
        return Math.abs(mean(diff)) <= 2 * se(diff);
    }

    /**
     * The table's cell of one arm.
     *
     * @param a (R) values
     * @return "mean ± se" with 3 decimals
     */
    public static String pm(double[] a) {
        return String.format(Locale.ROOT, "%.3f ± %.3f", mean(a), se(a));
    }

    /**
     * The table's cell of a paired difference.
     *
     * @param a (R) one arm's values
     * @param b (R) the other arm's values
     * @return a − b as "+mean ± se" with 3 decimals
     */
    public static String pmDiff(double[] a, double[] b) {
        double[] diff = minus(a, b);
        return String.format(Locale.ROOT, "%+.3f ± %.3f", mean(diff), se(diff));
    }

    // ----------------------------------------------------------------------------------------
    // the choice on validation

    /**
     * The arm with the highest mean validation score (the first in table order on a tie).
     *
     * @param score (arms, R) a validation score per arm and repeat, higher is better
     * @return the arm's index
     */
    public static int chosen(double[][] score) {
        int best = 0;
        for (int a = 1; a < score.length; a++) if (mean(score[a]) > mean(score[best])) best = a;
        return best;
    }

    /**
     * The runner-up of the choice.
     *
     * @param score (arms, R) a validation score per arm and repeat, higher is better
     * @return the arm other than {@link #chosen} with the highest mean score (the first in table order on a tie); −1 with one arm
     */
    public static int runnerUp(double[][] score) {
        int c = chosen(score), second = -1;
        for (int a = 0; a < score.length; a++) {
            if (a != c && (second == -1 || mean(score[a]) > mean(score[second]))) second = a;
        }
        return second;
    }

    /**
     * Whether validation can tell the choice from the runner-up.
     *
     * @param score (arms, R) a validation score per arm and repeat, higher is better
     * @return true when the choice is within noise of the runner-up ({@link #noise}); false with one arm
     */
    public static boolean choiceInNoise(double[][] score) {
        int second = runnerUp(score);
        return second >= 0 && noise(score[chosen(score)], score[second]);
    }
}
