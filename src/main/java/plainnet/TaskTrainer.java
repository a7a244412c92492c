package plainnet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Mini-batch training of a {@link TaskNetwork} on its {@link GroupedLoss}: the loop of
 * {@link Trainer} (SPEC.md §19: the seeded shuffle, the batches, the step decay, the divergence
 * stop) with the trunk and the towers stepped together, each epoch's loss reported per group, and
 * feature caching below the trunk's lowest trainable layer, and an optional validation loss per
 * group after each epoch with early stopping on it. See SPEC.md §27.
 *
 * <p>Index letters: N training rows (n), V validation rows, B rows of a mini-batch, G groups (g),
 * K = Σ_g K_g columns.
 *
 * <p>The settings are plain fields with defaults, checked when {@link #fit} starts.
 */
public final class TaskTrainer {

    /** Number of epochs E ≥ 1. */
    public int epochs = 10;
    /** Mini-batch size B ≥ 1 (the last batch of an epoch may be smaller). */
    public int batch = 32;
    /** Seed of the shuffle generator. */
    public long seed = 1;
    /** Step decay: every {@code decayEvery} epochs the learning rate is multiplied by {@code decayFactor}; 0 = constant. */
    public int decayEvery = 0;
    /** The step-decay factor γ, 0 &lt; γ ≤ 1. */
    public double decayFactor = 0.1;
    /** Early stopping on the validation loss J (as {@link Trainer#patience}): stop after this many epochs without a lower one; 0 = off. Needs validation data. */
    public int patience = 0;
    /** Compute the outputs of the frozen trunk layers below the trunk's lowest trainable layer (the whole trunk when it is frozen) once per fit. */
    public boolean cacheFeatures = true;

    private final TaskNetwork net;
    private final Optimizer opt;

    /** One epoch's record. */
    public static final class Epoch {
        /** Epoch number, from 1. */
        public final int epoch;
        /** The learning rate used in this epoch. */
        public final double lr;
        /** Σ_b B_b·J_b / N over the epoch's mini-batches, J_b = Σ_g w_g·J_g of batch b. */
        public final double trainLoss;
        /** J of the whole validation set as one batch after the epoch, or NaN without validation data. */
        public final double validationLoss;
        /** The outputs z on the validation set after the epoch (V, K), or null; valid during the listener call only. */
        public final double[][] validationOutput;
        private final double[] groupLoss;           // (G) Σ_b B_b·J_{g,b} / N, before the weights w_g
        private final double[] groupValidationLoss; // (G) J_g of the validation set, or null

        Epoch(int epoch, double lr, double trainLoss, double[] groupLoss, double validationLoss, double[] groupValidationLoss, double[][] validationOutput) {
            this.epoch = epoch;
            this.validationOutput = validationOutput;
            this.lr = lr;
            this.trainLoss = trainLoss;
            this.groupLoss = groupLoss;
            this.validationLoss = validationLoss;
            this.groupValidationLoss = groupValidationLoss;
        }

        /**
         * Group g's loss on the validation set after the epoch, before its task weight.
         *
         * @param g the group index
         * @return J_g of the validation set as one batch, or NaN without validation data
         * @throws IllegalArgumentException unless 0 ≤ g &lt; G
         */
        public double groupValidationLoss(int g) {
            groupLoss(g); // checks g
            return groupValidationLoss == null ? Double.NaN : groupValidationLoss[g];
        }

        /**
         * Group g's loss over the epoch, before its task weight.
         *
         * @param g the group index
         * @return Σ_b B_b·J_{g,b} / N
         * @throws IllegalArgumentException unless 0 ≤ g &lt; G
         */
        public double groupLoss(int g) {
            if (g < 0 || g >= groupLoss.length) {
                throw new IllegalArgumentException("group index: expected 0 <= g < " + groupLoss.length + ", found " + g);
            }
            return groupLoss[g];
        }
    }

    /** What {@link #fit} did. */
    public static final class Result {
        /** One record per completed epoch. */
        public final List<Epoch> history;
        /** The epoch whose weights the network holds at the end (the best one under early stopping, the last good one after divergence). */
        public final int keptEpoch;
        /** True when early stopping ended training before the last epoch. */
        public final boolean stoppedEarly;
        /** True when training diverged (as {@link Trainer.Result#diverged}); the weights of the last good epoch are restored. */
        public final boolean diverged;
        /** The epoch (from 1) and step (from 1) where training diverged, or 0. */
        public final int divergedEpoch, divergedStep;
        /** What diverged in words, or null. */
        public final String divergence;

        Result(List<Epoch> history, int keptEpoch, boolean stoppedEarly, boolean diverged, int divergedEpoch, int divergedStep, String divergence) {
            this.history = Collections.unmodifiableList(history);
            this.keptEpoch = keptEpoch;
            this.stoppedEarly = stoppedEarly;
            this.diverged = diverged;
            this.divergedEpoch = divergedEpoch;
            this.divergedStep = divergedStep;
            this.divergence = divergence;
        }
    }

    /**
     * A trainer of {@code net} with {@code opt}; the settings are the fields.
     *
     * @param net the network to train (its trainable weights change)
     * @param opt the optimizer (its learning rate is restored after each fit)
     * @throws IllegalArgumentException if an argument is null
     */
    public TaskTrainer(TaskNetwork net, Optimizer opt) {
        if (net == null || opt == null) throw new IllegalArgumentException("TaskTrainer: expected a network and an optimizer, found null");
        this.net = net;
        this.opt = opt;
    }

    /**
     * Trains on (x, t) without validation data: {@link #fit(double[][], Targets, double[][], Targets, Consumer)}
     * with xVal and tVal null.
     *
     * @param x        training inputs (N, I), finite
     * @param t        training targets (N, K) of all groups
     * @param listener called with each epoch's record, or null
     * @return the epochs' records and how training ended
     * @throws IllegalArgumentException as the full form
     */
    public Result fit(double[][] x, Targets t, Consumer<Epoch> listener) {
        return fit(x, t, null, null, listener);
    }

    /**
     * Trains on (x, t), computing the loss of (xVal, tVal) after each epoch when they are given
     * (SPEC.md §27). x, t, xVal and tVal must not change during the call.
     *
     * @param x        training inputs (N, I), finite
     * @param t        training targets (N, K) of all groups; a task without labels in these rows has its columns unlabeled
     * @param xVal     validation inputs (V, I), or null
     * @param tVal     validation targets (V, K), or null
     * @param listener called with each epoch's record, or null
     * @return the epochs' records and how training ended
     * @throws IllegalArgumentException on bad settings or shapes, a non-finite x, when no layer is
     *         trainable, or when the cached features are not finite
     */
    public Result fit(double[][] x, Targets t, double[][] xVal, Targets tVal, Consumer<Epoch> listener) {
        checkSettings(x, t, xVal, tVal);
        double lr0 = opt.lr();
        Network trunk = net.trunk();
        int lo = trunk.lowestTrainable();
        // Feature caching (as Trainer's): the frozen trunk layers below lo map each row to the same
        // features in every epoch; each row's forward depends on that row only, so no bit changes.
        TaskNetwork trained = net;
        double[][] inputs = x;          // (N, I), or the cached features
        double[][] valInputs = xVal;    // (V, I), or the cached features, or null
        boolean features = false;       // inputs are the whole (frozen) trunk's outputs
        if (cacheFeatures && lo != 0) {
            List<Dense> below = new ArrayList<Dense>();
            List<Dense> above = new ArrayList<Dense>();
            for (int l = 0; l < trunk.size(); l++) (lo < 0 || l < lo ? below : above).add(trunk.layer(l));
            Network base = new Network(below);
            inputs = Trainer.features(base, x, batch);
            Check.matrix("frozen-trunk features", inputs, -1, base.outputs());
            valInputs = xVal == null ? null : Trainer.features(base, xVal, batch);
            if (above.isEmpty()) {
                features = true;
            } else {
                List<Group> groups = new ArrayList<Group>();
                List<Network> towers = new ArrayList<Network>();
                for (int g = 0; g < net.groupCount(); g++) {
                    groups.add(net.group(g));
                    towers.add(net.tower(g));
                }
                trained = new TaskNetwork(new Network(above), groups, towers);
            }
        }
        try {
            return loop(x.length, t, tVal, trained, inputs, valInputs, features, lr0, listener);
        } finally {
            opt.setLr(lr0);
        }
    }

    /** The epochs of {@link #fit}. */
    private Result loop(int N, Targets t, Targets tVal, TaskNetwork trained, double[][] inputs, double[][] valInputs, boolean features,
                        double lr0, Consumer<Epoch> listener) {
        int G = net.groupCount();
        int[] order = new int[N]; // (N) the row order, shuffled each epoch
        for (int n = 0; n < N; n++) order[n] = n;
        Rng rng = new Rng(seed);
        List<Epoch> history = new ArrayList<Epoch>();
        double[][][] good = snapshot(net); // W, b at the end of the last good epoch
        double[][][] best = null;          // W, b of the lowest validation loss (early stopping)
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0, sinceBest = 0;
        double limit = Double.NaN;         // Trainer.BLOWUP · max(1, J₁)
        Batches batches = new Batches(N, batch, t.columns());
        double[] Jg = new double[G];       // (G) the batch's J_g
        GroupedLoss loss = trained.loss();
        for (int e = 0; e < epochs; e++) {
            double lr = decayEvery == 0 ? lr0 : lr0 * StrictMath.pow(decayFactor, e / decayEvery);
            opt.setLr(lr);
            rng.shuffle(order);
            double sum = 0.0;                 // Σ_b B_b·J_b
            double[] groupSum = new double[G]; // (G) Σ_b B_b·J_{g,b}
            int step = 0;
            for (int from = 0; from < N; from += batch) {
                int to = Math.min(N, from + batch);
                int B = to - from;
                step++;
                Batches.Batch b = batches.fill(order, from, to, inputs, t);
                double[][] z = features ? trained.forwardFeatures(b.x) : trained.forward(b.x); // (B, K)
                double J = loss.forwardBackward(b.dz, z, b.t, Jg);
                if (Double.isNaN(limit) && b.t.labeledCount() > 0) limit = Trainer.BLOWUP * Math.max(1.0, J);
                if (Double.isNaN(J) || Double.isInfinite(J) || J > limit) {
                    restore(net, good);
                    String what = J > limit && !Double.isInfinite(J)
                        ? String.format(Locale.ROOT, "the batch loss %.3g exceeded the blow-up limit %.3g", J, limit)
                        : "the batch loss was " + J;
                    return new Result(history, history.size(), false, true, e + 1, step, what);
                }
                sum += B * J;
                for (int g = 0; g < G; g++) groupSum[g] += B * Jg[g];
                trained.zeroGrad();
                trained.backward(b.dz);
                trained.step(opt);
            }
            for (int g = 0; g < G; g++) groupSum[g] /= N;
            double valLoss = Double.NaN;
            double[] groupVal = null; // (G) J_g of the validation set
            double[][] zVal = null;   // (V, K)
            if (valInputs != null) {
                groupVal = new double[G];
                zVal = features ? trained.forwardFeatures(valInputs) : trained.forward(valInputs);
                valLoss = loss.forward(zVal, tVal, groupVal);
            }
            Epoch record = new Epoch(e + 1, lr, sum / N, groupSum, valLoss, groupVal, zVal);
            history.add(record);
            if (listener != null) listener.accept(record);
            String what = Double.isNaN(record.trainLoss) || Double.isInfinite(record.trainLoss) ? "the epoch's train loss was " + record.trainLoss
                : valInputs != null && (Double.isNaN(valLoss) || Double.isInfinite(valLoss)) ? "the validation loss was " + valLoss
                : Trainer.nonFiniteWeight(net.layers());
            if (what != null) {
                restore(net, good);
                return new Result(history, history.size() - 1, false, true, e + 1, step, what);
            }
            good = snapshot(net);
            if (patience > 0) {
                if (valLoss < bestLoss) { // strictly lower: this epoch becomes the best
                    bestLoss = valLoss;
                    bestEpoch = e + 1;
                    best = good;
                    sinceBest = 0;
                } else if (++sinceBest >= patience) {
                    restore(net, best);
                    return new Result(history, bestEpoch, e + 1 < epochs, false, 0, 0, null);
                }
            }
        }
        if (patience > 0 && best != null) {
            restore(net, best);
            return new Result(history, bestEpoch, false, false, 0, 0, null);
        }
        return new Result(history, epochs, false, false, 0, 0, null);
    }

    /** [layer of net.layers()][row o, or O for b] copies of W and b. */
    private static double[][][] snapshot(TaskNetwork net) {
        List<Dense> layers = net.layers();
        double[][][] s = new double[layers.size()][][];
        for (int j = 0; j < layers.size(); j++) {
            Dense d = layers.get(j);
            s[j] = new double[d.O + 1][];
            for (int o = 0; o < d.O; o++) s[j][o] = d.W[o].clone();
            s[j][d.O] = d.b.clone();
        }
        return s;
    }

    private static void restore(TaskNetwork net, double[][][] s) {
        List<Dense> layers = net.layers();
        for (int j = 0; j < layers.size(); j++) {
            Dense d = layers.get(j);
            for (int o = 0; o < d.O; o++) System.arraycopy(s[j][o], 0, d.W[o], 0, d.I);
            System.arraycopy(s[j][d.O], 0, d.b, 0, d.O);
        }
    }

    private void checkSettings(double[][] x, Targets t, double[][] xVal, Targets tVal) {
        Check.size("epochs", epochs);
        Check.size("batch size", batch);
        if (decayEvery < 0) throw new IllegalArgumentException("decayEvery: expected 0 (constant) or a number of epochs >= 1, found " + decayEvery);
        if (!(decayFactor > 0.0 && decayFactor <= 1.0)) throw new IllegalArgumentException("decayFactor: expected a number in (0, 1], found " + decayFactor);
        Check.matrix("training inputs x", x, -1, net.inputs());
        if (t == null || t.rows() != x.length || t.columns() != net.outputs()) {
            throw new IllegalArgumentException("training targets: expected " + x.length + " rows and " + net.outputs() + " columns (all groups), found "
                + (t == null ? "null" : t.rows() + " rows and " + t.columns() + " columns"));
        }
        if (patience < 0) throw new IllegalArgumentException("patience: expected 0 (off) or a number of epochs >= 1, found " + patience);
        if (patience > 0 && xVal == null) throw new IllegalArgumentException("patience: early stopping needs validation data, found none");
        if ((xVal == null) != (tVal == null)) {
            throw new IllegalArgumentException("validation: expected both inputs and targets or neither, found only " + (xVal == null ? "targets" : "inputs"));
        }
        if (xVal != null) {
            Check.matrix("validation inputs", xVal, -1, net.inputs());
            if (tVal.rows() != xVal.length || tVal.columns() != net.outputs()) {
                throw new IllegalArgumentException("validation targets: expected " + xVal.length + " rows and " + net.outputs() + " columns (all groups), found "
                    + tVal.rows() + " rows and " + tVal.columns() + " columns");
            }
        }
        if (net.trainableParameterCount() == 0) throw new IllegalArgumentException("training: expected at least one trainable layer, found every layer of the trunk and the towers frozen");
    }
}
