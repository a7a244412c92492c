package plainnet;

import java.util.IdentityHashMap;

/**
 * Gradient-descent updates: SGD, SGD with momentum, and Adam, with optional L2 weight decay
 * (coupled, added to the gradient; or decoupled, AdamW-style) and the per-layer learning-rate
 * multiplier. See SPEC.md, section "Optimizers".
 *
 * <p>For each trainable layer, with η = lr · lrScale of the layer, and for each parameter θ with
 * gradient g (from dW or db; weight decay applies to W only, never to b):
 * <pre>
 *   coupled decay      g ← g + λ·θ
 *   decoupled decay    θ ← θ · (1 − η·λ)                         (before the update below)
 *   sgd                θ ← θ − η·g
 *   momentum           v ← μ·v + g;   θ ← θ − η·v
 *   adam               t ← t + 1 (once per layer and step)
 *                      m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·(g·g)
 *                      m̂ = m / (1 − β₁^t);      v̂ = v / (1 − β₂^t)
 *                      θ ← θ − η·m̂ / (sqrt(v̂) + ε)
 * </pre>
 *
 * Two transfer-learning strategies (SPEC.md §10.1): discriminative learning rates
 * ({@link #withLrDecay}: the layer d steps below the top trains at η = lr · (lrScale · F^(−d)))
 * and L2-SP ({@link #withL2SP}: the penalty (α/2)·‖W − W⁰‖² toward the pre-trained weights W⁰,
 * added to the gradient before the update: g ← dW + α·(W − W⁰), then the coupled decay).
 *
 * <p>Freezing: a frozen layer is skipped whole: its parameters, its moments v, m and its step count
 * t do not change, and no state is created for it. When it is unfrozen later, its state resumes
 * where it stopped.
 *
 * <p>The state (v, m, t) of each layer is kept here, keyed by the layer object, so that a new
 * optimizer starts from zero state and a layer appended to a network starts with none. The
 * update of a layer uses the network's threads, split by rows (a job for package-private
 * {@code Parallel}); an optimizer serves one step at a time.
 *
 * <p>Index letters: O outputs (o), I inputs (i) of a layer.
 */
public final class Optimizer {

    /** The update rule (the class comment; SPEC.md, "Optimizers"). */
    public enum Kind {
        /** Plain SGD: θ ← θ − η·g. */
        SGD,
        /** SGD with momentum: v ← μ·v + g;  θ ← θ − η·v. */
        MOMENTUM,
        /** Adam, with bias-corrected moments. */
        ADAM
    }

    /** The update rule. */
    public final Kind kind;
    /** Learning rate lr &gt; 0; a schedule may change it between steps ({@link #setLr}). */
    private double lr;
    /** Momentum μ (MOMENTUM only), in [0, 1). */
    public final double mu;
    /** Adam's β₁, β₂ in [0, 1) and ε &gt; 0. */
    public final double beta1, beta2, eps;
    /** Weight-decay strength λ ≥ 0. */
    public final double lambda;
    /** True for decoupled (AdamW-style) decay, false for coupled L2 decay. */
    public final boolean decoupled;
    /** Discriminative rates: the factor F ≥ 1; the layer d steps below the top trains at lr · lrScale · F^(−d) (1: off). */
    public final double lrDecay;
    /** L2-SP strength α ≥ 0 of the penalty (α/2)·‖W − W⁰‖² (0: off). */
    public final double l2sp;
    /** L2-SP's W⁰ (O, I) of each anchored layer, copied when given and never modified; a layer not here has W⁰ = 0. */
    private final IdentityHashMap<Dense, double[][]> anchors;

    /** F^(−d) of layer l at [l], d = L − 1 − l, for a network of L = its length layers; rebuilt when L changes (null until the first step with lrDecay ≠ 1). */
    private double[] decay; // (L)

    /** Per-layer state, created on the layer's first trainable step. */
    private final IdentityHashMap<Dense, State> state = new IdentityHashMap<Dense, State>();

    /** The moments of one layer: shapes follow W (O, I) and b (O). */
    static final class State {
        final double[][] mW, vW; // (O, I)
        final double[] mb, vb;   // (O)
        long t;                  // trainable steps of this layer (Adam's t)
        double[][] g;            // (O, I) dW + α·(W − W⁰) with L2-SP, else null

        State(int O, int I, boolean second) {
            mW = new double[O][I];
            mb = new double[O];
            vW = second ? new double[O][I] : null;
            vb = second ? new double[O] : null;
        }
    }

    private Optimizer(Kind kind, double lr, double mu, double beta1, double beta2, double eps, double lambda, boolean decoupled,
                      double lrDecay, double l2sp, IdentityHashMap<Dense, double[][]> anchors) {
        Check.positive("learning rate lr", lr, true);
        Check.unitInterval("momentum mu", mu);
        Check.unitInterval("Adam beta1", beta1);
        Check.unitInterval("Adam beta2", beta2);
        Check.positive("Adam eps", eps, true);
        Check.positive("weight decay lambda", lambda, false);
        this.kind = kind;
        this.lr = lr;
        this.mu = mu;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.lambda = lambda;
        this.decoupled = decoupled;
        this.lrDecay = lrDecay;
        this.l2sp = l2sp;
        this.anchors = anchors;
    }

    /**
     * Plain SGD: θ ← θ − η·g.
     *
     * @param lr the learning rate, finite and &gt; 0
     * @return a new optimizer with no state
     * @throws IllegalArgumentException on a bad lr
     */
    public static Optimizer sgd(double lr) {
        return new Optimizer(Kind.SGD, lr, 0.0, 0.9, 0.999, 1e-8, 0.0, false, 1.0, 0.0, new IdentityHashMap<Dense, double[][]>());
    }

    /**
     * SGD with momentum μ (PyTorch's form, no dampening): v ← μ·v + g, θ ← θ − η·v.
     *
     * @param lr the learning rate, finite and &gt; 0
     * @param mu the momentum μ, in [0, 1)
     * @return a new optimizer with no state
     * @throws IllegalArgumentException on a bad lr or mu
     */
    public static Optimizer momentum(double lr, double mu) {
        return new Optimizer(Kind.MOMENTUM, lr, mu, 0.9, 0.999, 1e-8, 0.0, false, 1.0, 0.0, new IdentityHashMap<Dense, double[][]>());
    }

    /**
     * Adam with β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
     *
     * @param lr the learning rate, finite and &gt; 0
     * @return a new optimizer with no state
     * @throws IllegalArgumentException on a bad lr
     */
    public static Optimizer adam(double lr) {
        return adam(lr, 0.9, 0.999, 1e-8);
    }

    /**
     * Adam with the given constants.
     *
     * @param lr    the learning rate, finite and &gt; 0
     * @param beta1 β₁, the decay of the first moment, in [0, 1)
     * @param beta2 β₂, the decay of the second moment, in [0, 1)
     * @param eps   ε, added to sqrt(v̂), finite and &gt; 0
     * @return a new optimizer with no state
     * @throws IllegalArgumentException on a constant out of its range
     */
    public static Optimizer adam(double lr, double beta1, double beta2, double eps) {
        return new Optimizer(Kind.ADAM, lr, 0.0, beta1, beta2, eps, 0.0, false, 1.0, 0.0, new IdentityHashMap<Dense, double[][]>());
    }

    /**
     * The same optimizer with weight decay λ on W, coupled (g ← g + λ·W, L2 regularisation of the
     * objective by (λ/2)·Σ W²) or decoupled (W ← W·(1 − η·λ), AdamW). The new optimizer has fresh
     * state (and keeps the learning-rate decay and L2-SP settings).
     *
     * @param lambda    λ, finite and ≥ 0 (0: no decay)
     * @param decoupled true for decoupled (AdamW-style) decay, false for coupled L2 decay
     * @return a new optimizer of the same kind and constants
     * @throws IllegalArgumentException on a bad lambda
     */
    public Optimizer withWeightDecay(double lambda, boolean decoupled) {
        return new Optimizer(kind, lr, mu, beta1, beta2, eps, lambda, decoupled, lrDecay, l2sp, anchors);
    }

    /**
     * The same optimizer with discriminative learning rates (SPEC.md §10.1): in a step of a network
     * of L layers, layer l, which is d = L − 1 − l steps below the top, trains at
     * η = lr · (lrScale · F^(−d)), F^(−d) = {@code StrictMath.pow(F, -(double) d)}. The top layer
     * (d = 0) keeps lr · lrScale exactly, and so does every layer when F = 1. The layers' own
     * lrScale is not changed. The new optimizer has fresh state and keeps the other settings.
     *
     * @param F the factor, finite and ≥ 1 (ULMFiT uses 2.6; 1: off)
     * @return a new optimizer
     * @throws IllegalArgumentException unless F is finite and ≥ 1
     */
    public Optimizer withLrDecay(double F) {
        if (!(F >= 1.0) || Double.isInfinite(F)) {
            throw new IllegalArgumentException("learning-rate decay F: expected a finite number >= 1 (each layer further down trains F times slower), found " + F);
        }
        return new Optimizer(kind, lr, mu, beta1, beta2, eps, lambda, decoupled, F, l2sp, anchors);
    }

    /**
     * The same optimizer with the L2-SP penalty (α/2)·Σ_l ‖W_l − W⁰_l‖² on the W of every trainable
     * layer (SPEC.md §10.1): each step uses g = dW + α·(W − W⁰) in place of dW, W⁰ = {@code W0[j]}
     * for the layer {@code layers[j]} (the pre-trained weights) and W⁰ = 0 for every other layer
     * (plain L2 on new layers, the same bits as coupled decay λ = α). Biases are not penalised.
     * The anchors are copied; the new optimizer has fresh state and keeps the other settings.
     *
     * @param alpha  α, finite and ≥ 0 (0: off)
     * @param layers the anchored layers (the kept, pre-trained ones); not modified
     * @param W0     W⁰ of each anchored layer, {@code W0[j]} (O_j, I_j) finite; copied
     * @return a new optimizer
     * @throws IllegalArgumentException on a bad α, a null or repeated layer, or a W⁰ of the wrong shape or not finite
     */
    public Optimizer withL2SP(double alpha, Dense[] layers, double[][][] W0) {
        Check.positive("L2-SP strength alpha", alpha, false);
        if (layers == null || W0 == null || layers.length != W0.length) {
            throw new IllegalArgumentException("L2-SP anchors: expected as many W0 matrices as layers, found "
                + (layers == null ? "null" : String.valueOf(layers.length)) + " layers and " + (W0 == null ? "null" : String.valueOf(W0.length)) + " matrices");
        }
        IdentityHashMap<Dense, double[][]> a = new IdentityHashMap<Dense, double[][]>();
        for (int j = 0; j < layers.length; j++) {
            if (layers[j] == null) throw new IllegalArgumentException("L2-SP anchors: layers[" + j + "]: expected a layer, found null");
            Check.matrix("L2-SP anchor W0[" + j + "]", W0[j], layers[j].O, layers[j].I);
            double[][] c = new double[layers[j].O][];
            for (int o = 0; o < c.length; o++) c[o] = W0[j][o].clone();
            if (a.put(layers[j], c) != null) throw new IllegalArgumentException("L2-SP anchors: layers[" + j + "]: expected each layer once, found it again");
        }
        return new Optimizer(kind, lr, mu, beta1, beta2, eps, lambda, decoupled, lrDecay, alpha, a);
    }

    /**
     * L2-SP's W⁰ of a layer.
     *
     * @param layer a layer
     * @return a copy of its W⁰ (O, I), or null when it has no anchor (W⁰ = 0)
     */
    public double[][] anchor(Dense layer) {
        double[][] W0 = anchors.get(layer);
        if (W0 == null) return null;
        double[][] c = new double[W0.length][];
        for (int o = 0; o < c.length; o++) c[o] = W0[o].clone();
        return c;
    }

    /**
     * The learning rate.
     *
     * @return lr, the one the next step uses
     */
    public double lr() {
        return lr;
    }

    /**
     * Sets the learning rate for the following steps (a schedule's job); the state is kept.
     *
     * @param lr the learning rate
     * @throws IllegalArgumentException unless lr is finite and &gt; 0
     */
    public void setLr(double lr) {
        Check.positive("learning rate lr", lr, true);
        this.lr = lr;
    }

    /** Forgets all state (moments and step counts). */
    public void reset() {
        state.clear();
    }

    /**
     * The step count t of a layer: the number of {@link #step} calls in which it was trainable
     * (0 before the first). Counted for every kind; Adam uses it for its bias correction.
     *
     * @param layer a layer
     * @return t, 0 for a layer this optimizer has not stepped
     */
    public long steps(Dense layer) {
        State s = state.get(layer);
        return s == null ? 0 : s.t;
    }

    /**
     * One update of every trainable layer of {@code net} from its dW, db. Frozen layers are not
     * touched (see the class comment). dW and db are read, not modified.
     *
     * @param net the network whose layers are updated, on its threads
     */
    public void step(Network net) {
        for (int l = 0; l < net.size(); l++) {
            Dense layer = net.layer(l);
            // Freezing lives here for the optimizer: a frozen layer is skipped whole, so its
            // parameters, moments and step count stay bit-identical.
            if (!layer.isTrainable()) continue;
            State s = state.get(layer);
            if (s == null) {
                s = new State(layer.O, layer.I, kind == Kind.ADAM);
                state.put(layer, s);
            }
            s.t++;
            if (l2sp != 0.0) {
                // L2-SP: the step reads g = dW + α·(W − W⁰) (from the W before this step) instead of dW
                if (s.g == null) s.g = new double[layer.O][layer.I];
                l2spGradient(s.g, layer);
            }
            if (kind == Kind.ADAM && s.t != cT) {
                // Adam's bias corrections c₁ = 1 − β₁^t, c₂ = 1 − β₂^t, computed once per step count:
                // layers trained together share t. (JDK 17's StrictMath.pow allocates three small
                // arrays per call unless the JIT inlines it, so fewer calls also mean fewer bytes.)
                cT = s.t;
                c1 = 1.0 - StrictMath.pow(beta1, s.t);
                c2 = 1.0 - StrictMath.pow(beta2, s.t);
            }
            // discriminative rates: the layer d = L − 1 − l steps below the top at lr · (lrScale · F^(−d))
            double scale = lrDecay == 1.0 ? layer.lrScale() : layer.lrScale() * decay(net.size())[l];
            // updateRow for the rows of W and b (b as row O), split over the network's threads: each
            // parameter is updated by one thread on its own, so the threads change no bit.
            rowsLayer = layer;
            rowsState = s;
            rowsEta = lr * scale;
            net.parallel().run(rowsJob, layer.O + 1, (long) (layer.O + 1) * layer.I);
        }
        rowsLayer = null;
        rowsState = null;
    }

    /**
     * F^(−d) for each layer l of a network of L layers, d = L − 1 − l, computed once per L: the same
     * {@code StrictMath.pow} as SPEC.md states, so the same bits, without a call per layer per step.
     *
     * @param L the network's number of layers
     * @return (L) F^(−d) of layer l at [l]
     */
    private double[] decay(int L) {
        if (decay == null || decay.length != L) {
            decay = new double[L];
            for (int l = 0; l < L; l++) decay[l] = StrictMath.pow(lrDecay, -(double) (L - 1 - l));
        }
        return decay;
    }

    /**
     * g = dW + α·(W − W⁰) for one layer, W⁰ its anchor (W − 0 = W exactly, so an unanchored layer
     * gets dW + α·W, coupled decay's bits).
     * J + (α/2)·Σ (W − W⁰)²  ⇒  ∂/∂W_oi = dW_oi + α·(W_oi − W⁰_oi)
     *
     * @param g     the result (O, I), overwritten
     * @param layer the layer; its W and dW are read
     */
    void l2spGradient(double[][] g, Dense layer) {
        double[][] W0 = anchors.get(layer); // (O, I) or null
        for (int o = 0; o < layer.O; o++) {
            double[] W = layer.W[o], dW = layer.dW[o], go = g[o];
            if (W0 == null) for (int i = 0; i < layer.I; i++) go[i] = dW[i] + l2sp * W[i];
            else for (int i = 0; i < layer.I; i++) go[i] = dW[i] + l2sp * (W[i] - W0[o][i]);
        }
    }

    /**
     * The penalty terms that this optimizer's coupled steps differentiate, over the trainable layers
     * of net: (λ/2)·Σ W² when the decay is coupled, plus (α/2)·Σ (W − W⁰)² (SPEC.md §10.1, §13).
     *
     * @param net the network
     * @return the penalty, 0 when neither is on
     */
    double penalty(Network net) {
        double coupled = 0.0, sp = 0.0;
        for (int l = 0; l < net.size(); l++) {
            Dense layer = net.layer(l);
            if (!layer.isTrainable()) continue;
            double[][] W0 = anchors.get(layer);
            for (int o = 0; o < layer.O; o++) {
                for (int i = 0; i < layer.I; i++) {
                    double w = layer.W[o][i], d = W0 == null ? w : w - W0[o][i];
                    coupled += w * w;
                    sp += d * d;
                }
            }
        }
        return (decoupled ? 0.0 : 0.5 * lambda * coupled) + 0.5 * l2sp * sp;
    }

    private double c1, c2; // Adam's 1 − β₁^t, 1 − β₂^t for t = cT
    private long cT;        // the step count c1, c2 belong to (0: none yet)

    // The layer being updated, its state and η, read by rowsJob: a thread job made once, so that a
    // step allocates nothing.
    private Dense rowsLayer;
    private State rowsState;
    private double rowsEta;
    private final Parallel.Range rowsJob = this::updateRows;

    /** {@link #updateRow} for the rows [from, to) of the layer being updated (a job of the network's threads). */
    private void updateRows(int from, int to) {
        for (int o = from; o < to; o++) updateRow(rowsLayer, rowsState, o, rowsEta, c1, c2);
    }

    /**
     * Updates row o of a layer's parameters with step size η: row o of W for o &lt; O (with
     * weight decay λ), b for o = O (never decayed).
     */
    void updateRow(Dense layer, State s, int o, double eta, double c1, double c2) {
        if (o < layer.O) update(layer.W[o], s.g != null ? s.g[o] : layer.dW[o], s.mW[o], s.vW == null ? null : s.vW[o], eta, lambda, c1, c2);
        else update(layer.b, layer.db, s.mb, s.vb, eta, 0.0, c1, c2);
    }

    /**
     * Updates one row of parameters θ (P) from its gradient g (P) in place; P is the row length
     * (I for a row of W, O for b).
     *
     * @param theta parameters (P), modified
     * @param g     gradient (P), not modified
     * @param m     first state row (P): velocity (momentum) or first moment (Adam); modified
     * @param v     second moment (P) for Adam, else null; modified
     * @param decay λ for W rows, 0 for the bias
     * @param eta   η = lr · lrScale
     * @param c1    Adam's 1 − β₁^t
     * @param c2    Adam's 1 − β₂^t
     */
    private void update(double[] theta, double[] g, double[] m, double[] v, double eta, double decay, double c1, double c2) {
        int P = theta.length;
        // Coupled and decoupled decay exclude each other, so their order does not matter. The
        // branches stay outside the loops, which lets the JIT vectorise each loop.
        double coupled = decoupled ? 0.0 : decay;
        if (decoupled && decay != 0.0) {
            // decoupled:  θ ← θ · (1 − η·λ)
            double shrink = 1.0 - eta * decay;
            for (int j = 0; j < P; j++) theta[j] = theta[j] * shrink;
        }
        switch (kind) {
            case SGD:
                // θ ← θ − η·g,  with g + λ·θ when coupled (the gradient of J + (λ/2)·θ²)
                if (coupled == 0.0) for (int j = 0; j < P; j++) theta[j] = theta[j] - eta * g[j];
                else for (int j = 0; j < P; j++) theta[j] = theta[j] - eta * (g[j] + coupled * theta[j]);
                break;
            case MOMENTUM:
                // v ← μ·v + g;  θ ← θ − η·v
                if (coupled == 0.0) {
                    for (int j = 0; j < P; j++) {
                        m[j] = mu * m[j] + g[j];
                        theta[j] = theta[j] - eta * m[j];
                    }
                } else {
                    for (int j = 0; j < P; j++) {
                        m[j] = mu * m[j] + (g[j] + coupled * theta[j]);
                        theta[j] = theta[j] - eta * m[j];
                    }
                }
                break;
            case ADAM:
                // m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  θ ← θ − η·(m/c₁) / (sqrt(v/c₂) + ε)
                double a1 = 1.0 - beta1, a2 = 1.0 - beta2;
                if (coupled == 0.0) {
                    for (int j = 0; j < P; j++) {
                        double gj = g[j];
                        double mj = beta1 * m[j] + a1 * gj;
                        double vj = beta2 * v[j] + a2 * (gj * gj);
                        m[j] = mj;
                        v[j] = vj;
                        theta[j] = theta[j] - eta * (mj / c1) / (StrictMath.sqrt(vj / c2) + eps);
                    }
                } else {
                    for (int j = 0; j < P; j++) {
                        double gj = g[j] + coupled * theta[j];
                        double mj = beta1 * m[j] + a1 * gj;
                        double vj = beta2 * v[j] + a2 * (gj * gj);
                        m[j] = mj;
                        v[j] = vj;
                        theta[j] = theta[j] - eta * (mj / c1) / (StrictMath.sqrt(vj / c2) + eps);
                    }
                }
                break;
            default:
                throw new AssertionError(kind);
        }
    }

    @Override
    public String toString() {
        String s;
        switch (kind) {
            case SGD:      s = "sgd(lr " + lr + ")"; break;
            case MOMENTUM: s = "momentum(lr " + lr + ", mu " + mu + ")"; break;
            default:       s = "adam(lr " + lr + ", beta1 " + beta1 + ", beta2 " + beta2 + ", eps " + eps + ")"; break;
        }
        if (lambda != 0.0) s += " with " + (decoupled ? "decoupled" : "coupled") + " weight decay " + lambda;
        if (lrDecay != 1.0) s += " with lr decay " + lrDecay + " per layer";
        if (l2sp != 0.0) s += " with L2-SP " + l2sp + " (" + anchors.size() + " anchored layers)";
        return s;
    }
}
