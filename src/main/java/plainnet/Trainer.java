package plainnet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Mini-batch training of a network: a seeded shuffle each epoch, a learning-rate schedule,
 * validation after each epoch, optional early stopping that restores the best weights, a clean
 * stop when training diverges (a loss NaN, infinite or blown up past {@link #BLOWUP}, or a weight
 * NaN or infinite), and feature caching for a frozen base. See SPEC.md,
 * section "Training loop".
 *
 * <p>Index letters: N training rows (n), V validation rows, B rows of a mini-batch, K outputs.
 *
 * <p>The settings are plain fields with defaults, checked when {@link #fit} starts.
 */
public final class Trainer {

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
    /** Early stopping: stop after this many epochs without a lower validation loss; 0 = off. Needs validation data. */
    public int patience = 0;
    /** Compute the outputs of the frozen layers below the lowest trainable layer once per data set. */
    public boolean cacheFeatures = true;
    /** Threads of the kernels during fit (SPEC.md, "Fast kernels and threads"); 0 keeps the network's own setting. */
    public int threads = 0;

    /**
     * The blow-up factor G: a batch loss above G · max(1, J₁), J₁ the loss of the fit's first
     * batch that has a labeled entry (before that batch's step), counts as divergence. A training run that works never grows its
     * loss a million-fold over where it started (or over 1 when it started below 1).
     */
    public static final double BLOWUP = 1e6;

    private final Network net;
    private final Loss loss;
    private final Optimizer opt;

    /** One epoch's record, given to the listener and kept in the result. */
    public static final class Epoch {
        /** Epoch number, from 1. */
        public final int epoch;
        /** The learning rate used in this epoch. */
        public final double lr;
        /** Σ_b B_b·J_b / N over the epoch's mini-batches (the row-weighted mean of the batch losses). */
        public final double trainLoss;
        /** The loss of the whole validation set as one batch after the epoch, or NaN without validation data. */
        public final double validationLoss;
        /** Seconds since fit started, and training rows per second in this epoch. */
        public final double elapsed, examplesPerSecond;
        /** The network output on the validation set after the epoch (V, K), or null; valid during the listener call only. */
        public final double[][] validationOutput;

        Epoch(int epoch, double lr, double trainLoss, double validationLoss, double elapsed, double examplesPerSecond, double[][] validationOutput) {
            this.epoch = epoch;
            this.lr = lr;
            this.trainLoss = trainLoss;
            this.validationLoss = validationLoss;
            this.elapsed = elapsed;
            this.examplesPerSecond = examplesPerSecond;
            this.validationOutput = validationOutput;
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
        /**
         * True when training diverged (SPEC.md, section "Training loop": a loss NaN, infinite or
         * above the blow-up limit, or a weight NaN or infinite); then divergedEpoch and
         * divergedStep (1-based) say where and {@code divergence} says what, in words.
         */
        public final boolean diverged;
        /** The epoch (from 1) in which training diverged, or 0. */
        public final int divergedEpoch;
        /** The step of that epoch (from 1) at which training diverged, or 0. */
        public final int divergedStep;
        /** What diverged in words, e.g. "the batch loss was NaN" or "the batch loss 4.1e+302 exceeded the blow-up limit …", or null. */
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
     * A trainer of {@code net} on {@code loss} with {@code opt}; the settings are the fields.
     *
     * @param net  the network to train (its weights change)
     * @param loss the loss J
     * @param opt  the optimizer (its learning rate is restored after each fit)
     * @throws IllegalArgumentException if an argument is null
     */
    public Trainer(Network net, Loss loss, Optimizer opt) {
        if (net == null || loss == null || opt == null) {
            throw new IllegalArgumentException("Trainer: expected a network, a loss and an optimizer, found null");
        }
        this.net = net;
        this.loss = loss;
        this.opt = opt;
    }

    /**
     * Trains on (x, t), validating on (xVal, tVal) after each epoch when they are given
     * (SPEC.md §19). x and t must not change during the call: they are checked once at its start,
     * and the steps take their rows unchecked (a listener that writes NaN into x gets no
     * exception: training diverges, or never sees the change when the features are cached).
     *
     * @param x        training inputs (N, I), finite
     * @param t        training targets (N, K)
     * @param xVal     validation inputs (V, I), or null
     * @param tVal     validation targets (V, K), or null
     * @param listener called with each epoch's record as soon as it is complete, or null
     * @return what happened: the epochs' records and how training ended
     * @throws IllegalArgumentException on bad settings, shapes, a non-finite x, when no layer is
     *         trainable, or when the cached features of a frozen base are not finite
     */
    public Result fit(double[][] x, Targets t, double[][] xVal, Targets tVal, Consumer<Epoch> listener) {
        checkSettings(x, t, xVal, tVal);
        long start = System.nanoTime();
        double lr0 = opt.lr();
        int previousThreads = net.threads();
        int T = threads > 0 ? threads : previousThreads;

        // Feature caching: the frozen layers below the lowest trainable one map each row to the
        // same features in every epoch, so compute them once and train the layers above on them.
        // Every row's forward is independent of the other rows, so the bits are unchanged.
        int lo = net.lowestTrainable();
        Network trained = net;
        double[][] inputs = x;       // (N, I) or the cached features (N, O_{lo−1})
        double[][] valInputs = xVal; // (V, I) or the cached features
        try {
            if (cacheFeatures && lo > 0) {
                List<Dense> below = new ArrayList<Dense>();
                List<Dense> above = new ArrayList<Dense>();
                for (int l = 0; l < net.size(); l++) (l < lo ? below : above).add(net.layer(l));
                Network base = new Network(below);
                base.setThreads(T);
                try {
                    inputs = features(base, x, batch);
                    valInputs = xVal == null ? null : features(base, xVal, batch);
                    // Checked here once, as x was: the steps below take their rows unchecked.
                    Check.matrix("frozen-base features", inputs, -1, base.outputs());
                } finally {
                    base.setThreads(1);
                }
                trained = new Network(above);
            }
            trained.setThreads(T);
            return loop(x, t, xVal, tVal, listener, trained, inputs, valInputs, lr0, start);
        } finally {
            if (trained != net) trained.setThreads(1); // stop the sub-network's worker threads
            net.setThreads(previousThreads);
            opt.setLr(lr0);
        }
    }

    /**
     * Gradual unfreezing (SPEC.md §19, "Gradual unfreezing"): the head alone in the first epoch,
     * one more layer from the top in each epoch after. With h the lowest trainable layer when the
     * call starts (the head is layers h … L−1; the layers below are frozen), E = {@link #epochs}
     * and K = min(h, E − 1), it runs the stages k = 0 … K in order:
     * <pre>
     *   net.unfreeze(h − k, L)                       layers h − k … L−1 trainable
     *   fit for 1 epoch (stage K: the E − K epochs left) with the shuffle seed {@link #seed} + k
     * </pre>
     * all with this trainer's optimizer, whose state of a layer starts when the layer first trains
     * (a frozen layer's state does not advance, SPEC.md §6). This is exactly the sequence of
     * {@code unfreeze} and {@link #fit} calls written out by hand (tested bit for bit). Each stage
     * is its own fit: its shuffle starts from Rng(seed + k), its step decay counts from the stage's
     * first epoch, and early stopping acts within the stage (a one-epoch stage keeps its epoch).
     * The records are numbered 1 … E across the stages; the fields are as they were after the call.
     * A divergence ends the schedule (the weights of the last good epoch are kept).
     *
     * @param x        training inputs (N, I), finite
     * @param t        training targets (N, K)
     * @param xVal     validation inputs (V, I), or null
     * @param tVal     validation targets (V, K), or null
     * @param listener called with each epoch's record (numbered across the stages), or null
     * @return the records of every stage and how training ended, with epochs numbered across the stages
     * @throws IllegalArgumentException as {@link #fit}; the layers unfrozen so far stay unfrozen
     */
    public Result fitGradual(double[][] x, Targets t, double[][] xVal, Targets tVal, Consumer<Epoch> listener) {
        int h = net.lowestTrainable();
        if (h < 0) throw new IllegalArgumentException("training: expected at least one trainable layer, found every layer frozen");
        Check.size("epochs", epochs);
        int E = epochs;
        long seed0 = seed;
        int K = Math.min(h, E - 1);
        long start = System.nanoTime();
        List<Epoch> all = new ArrayList<Epoch>();
        try {
            for (int k = 0; ; k++) {
                net.unfreeze(h - k, net.size());
                epochs = k < K ? 1 : E - K;
                seed = seed0 + k;
                final int offset = all.size();
                Result r = fit(x, t, xVal, tVal, e -> {
                    // the record renumbered across the stages, its time counted from the first stage
                    Epoch g = new Epoch(offset + e.epoch, e.lr, e.trainLoss, e.validationLoss, (System.nanoTime() - start) / 1e9,
                        e.examplesPerSecond, e.validationOutput);
                    all.add(g);
                    if (listener != null) listener.accept(g);
                });
                if (r.diverged) return new Result(all, offset + r.keptEpoch, false, true, offset + r.divergedEpoch, r.divergedStep, r.divergence);
                if (k == K) return new Result(all, offset + r.keptEpoch, r.stoppedEarly, false, 0, 0, null);
            }
        } finally {
            epochs = E;
            seed = seed0;
        }
    }

    /** The epochs of {@link #fit}, on the (possibly cached-feature) network {@code trained}. */
    private Result loop(double[][] x, Targets t, double[][] xVal, Targets tVal, Consumer<Epoch> listener,
                        Network trained, double[][] inputs, double[][] valInputs, double lr0, long start) {
        int N = x.length;
        int[] order = new int[N];
        for (int n = 0; n < N; n++) order[n] = n;
        Rng rng = new Rng(seed);

        List<Epoch> history = new ArrayList<Epoch>();
        Snapshot good = new Snapshot(net);  // weights at the end of the last epoch with a finite loss
        Snapshot best = null;               // weights of the lowest validation loss (early stopping)
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0, sinceBest = 0;
        double limit = Double.NaN;          // BLOWUP · max(1, J₁), set by the first batch with a labeled entry
        // Mini-batch views (rows shared with the data), so that a step allocates nothing.
        Batches batches = new Batches(N, batch, t.columns());

        for (int e = 0; e < epochs; e++) {
            long epochStart = System.nanoTime();
            double lr = decayEvery == 0 ? lr0 : lr0 * StrictMath.pow(decayFactor, e / decayEvery);
            opt.setLr(lr);
            rng.shuffle(order);
            double sum = 0.0; // Σ_b B_b·J_b
            int step = 0;
            for (int from = 0; from < N; from += batch) {
                int to = Math.min(N, from + batch);
                int B = to - from;
                step++;
                // fill the batch: rows order[from … to − 1] of the data
                Batches.Batch b = batches.fill(order, from, to, inputs, t);
                // forward; the loss J and its gradient dz (one pass: SPEC.md §8)
                double[][] z = trained.forwardChecked(b.x); // rows of inputs, checked once above
                double J = loss.forwardBackward(b.dz, z, b.t);
                // J₁ is the loss of the first batch that has a labeled entry: a batch with none has J = 0
                // by definition, which says nothing about the scale of the loss.
                if (Double.isNaN(limit) && b.t.labeledCount() > 0) limit = BLOWUP * Math.max(1.0, J);
                if (Double.isNaN(J) || Double.isInfinite(J) || J > limit) {
                    good.restore(net);
                    opt.setLr(lr0);
                    String what = J > limit && !Double.isInfinite(J)
                        ? String.format(Locale.ROOT, "the batch loss %.3g exceeded the blow-up limit %.3g (%.0e times max(1, the loss of the first batch with labels))", J, limit, BLOWUP)
                        : "the batch loss was " + J;
                    return new Result(history, history.size(), false, true, e + 1, step, what);
                }
                sum += B * J;
                // zero the gradients, backward through the network, step
                trained.zeroGrad();
                trained.backward(b.dz);
                opt.step(trained);
            }
            double trainLoss = sum / N;
            double valLoss = Double.NaN;
            double[][] zVal = null;
            if (valInputs != null) {
                zVal = trained.forward(valInputs);
                valLoss = loss.forward(zVal, tVal);
            }
            long now = System.nanoTime();
            Epoch record = new Epoch(e + 1, lr, trainLoss, valLoss, (now - start) / 1e9, N / Math.max(1e-9, (now - epochStart) / 1e9), zVal);
            history.add(record);
            if (listener != null) listener.accept(record);

            String what = Double.isNaN(trainLoss) || Double.isInfinite(trainLoss) ? "the epoch's train loss was " + trainLoss
                : valInputs != null && (Double.isNaN(valLoss) || Double.isInfinite(valLoss)) ? "the validation loss was " + valLoss
                : nonFiniteWeight(net.layers());
            if (what != null) {
                good.restore(net);
                opt.setLr(lr0);
                return new Result(history, history.size() - 1, false, true, e + 1, step, what);
            }
            good = new Snapshot(net);
            if (patience > 0) {
                if (valLoss < bestLoss) {
                    bestLoss = valLoss;
                    bestEpoch = e + 1;
                    best = good;
                    sinceBest = 0;
                } else if (++sinceBest >= patience) {
                    best.restore(net);
                    opt.setLr(lr0);
                    return new Result(history, bestEpoch, e + 1 < epochs, false, 0, 0, null);
                }
            }
        }
        opt.setLr(lr0);
        if (patience > 0 && best != null) {
            best.restore(net);
            return new Result(history, bestEpoch, false, false, 0, 0, null);
        }
        return new Result(history, epochs, false, false, 0, 0, null);
    }

    /**
     * "weight W[o][i] of layer l became x" for the first trainable W or b entry that is NaN or
     * infinite, l counting the given layers, or null. Also used by {@link TaskTrainer}.
     */
    static String nonFiniteWeight(List<Dense> layers) {
        for (int l = 0; l < layers.size(); l++) {
            Dense d = layers.get(l);
            if (!d.isTrainable()) continue;
            for (int o = 0; o < d.O; o++) {
                for (int i = 0; i < d.I; i++) {
                    if (Double.isNaN(d.W[o][i]) || Double.isInfinite(d.W[o][i])) return "weight W[" + o + "][" + i + "] of layer " + l + " became " + d.W[o][i];
                }
                if (Double.isNaN(d.b[o]) || Double.isInfinite(d.b[o])) return "bias b[" + o + "] of layer " + l + " became " + d.b[o];
            }
        }
        return null;
    }

    /** The outputs of {@code base} for every row of x, computed in chunks of {@code batch} rows. Also used by {@link TaskTrainer}. */
    static double[][] features(Network base, double[][] x, int batch) {
        double[][] out = new double[x.length][];
        for (int from = 0; from < x.length; from += batch) {
            int to = Math.min(x.length, from + batch);
            double[][] a = base.forward(java.util.Arrays.copyOfRange(x, from, to));
            for (int n = from; n < to; n++) out[n] = a[n - from].clone();
        }
        return out;
    }

    private void checkSettings(double[][] x, Targets t, double[][] xVal, Targets tVal) {
        Check.size("epochs", epochs);
        Check.size("batch size", batch);
        if (decayEvery < 0) throw new IllegalArgumentException("decayEvery: expected 0 (constant) or a number of epochs >= 1, found " + decayEvery);
        if (!(decayFactor > 0.0 && decayFactor <= 1.0)) throw new IllegalArgumentException("decayFactor: expected a number in (0, 1], found " + decayFactor);
        if (threads < 0) throw new IllegalArgumentException("threads: expected 0 (keep the network's setting) or a count >= 1, found " + threads);
        if (patience < 0) throw new IllegalArgumentException("patience: expected 0 (off) or a number of epochs >= 1, found " + patience);
        if (patience > 0 && xVal == null) throw new IllegalArgumentException("patience: early stopping needs validation data, found none");
        Check.matrix("training inputs x", x, -1, net.inputs());
        if (t == null || t.rows() != x.length || t.columns() != net.outputs()) {
            throw new IllegalArgumentException("training targets: expected " + x.length + " rows and " + net.outputs() + " columns, found "
                + (t == null ? "null" : t.rows() + " rows and " + t.columns() + " columns"));
        }
        if ((xVal == null) != (tVal == null)) {
            throw new IllegalArgumentException("validation: expected both inputs and targets or neither, found only " + (xVal == null ? "targets" : "inputs"));
        }
        if (xVal != null) {
            Check.matrix("validation inputs", xVal, -1, net.inputs());
            if (tVal.rows() != xVal.length || tVal.columns() != net.outputs()) {
                throw new IllegalArgumentException("validation targets: expected " + xVal.length + " rows and " + net.outputs() + " columns, found "
                    + tVal.rows() + " rows and " + tVal.columns() + " columns");
            }
        }
        if (net.lowestTrainable() < 0) throw new IllegalArgumentException("training: expected at least one trainable layer, found every layer frozen");
    }

    /** A copy of every layer's W and b. */
    private static final class Snapshot {
        private final double[][][] W; // [l] (O_l, I_l)
        private final double[][] b;   // [l] (O_l)

        Snapshot(Network net) {
            W = new double[net.size()][][];
            b = new double[net.size()][];
            for (int l = 0; l < net.size(); l++) {
                Dense d = net.layer(l);
                W[l] = new double[d.O][];
                for (int o = 0; o < d.O; o++) W[l][o] = d.W[o].clone();
                b[l] = d.b.clone();
            }
        }

        void restore(Network net) {
            for (int l = 0; l < net.size(); l++) {
                Dense d = net.layer(l);
                for (int o = 0; o < d.O; o++) System.arraycopy(W[l][o], 0, d.W[o], 0, d.I);
                System.arraycopy(b[l], 0, d.b, 0, d.O);
            }
        }
    }
}
