package plainnet;

/**
 * A dense (fully connected) layer: z = x·Wᵀ + b, a = f(z). See SPEC.md, sections "Dense layer"
 * and "Freezing".
 *
 * <p>Thread-compatible: a layer is its parameters, gradients and flags, and its calls assign no
 * field, so calls from several threads may share it as long as none writes what another reads
 * (backward adds to dW, db; the optimizer writes W, b). A {@link Network} serves one call at a
 * time; give each thread its own copy ({@link Network#copy}). The work arrays and thread jobs of
 * the fast kernels live in {@link FastPath}.
 *
 * <p>Index letters: N rows of the batch (n), I inputs (i), O outputs (o). Every matrix is one
 * {@code double[]} per row: x[n][i], W[o][i], z[n][o].
 *
 * <p>Summation order (fixed, so that every implementation gets the same bits):
 * z_no starts at b_o and adds x_ni·W_oi for i = 0, 1, …, I−1; dW_oi and db_o add one term per
 * row for n = 0, 1, …, N−1 onto their current value; dx_ni starts at +0.0 and adds dz_no·W_oi for
 * o = 0, 1, …, O−1. The loops live in {@link Kernels}: the naive reference kernels beside fast
 * ones that keep these orders (the fast ones are used unless {@code reference} is set), run by
 * {@link FastPath}.
 */
public final class Dense {

    /** Number of inputs I and outputs O. */
    public final int I, O;
    /** Weights (O, I): row o holds the incoming weights of unit o. */
    public final double[][] W;
    /** Bias (O). */
    public final double[] b;
    /** Gradient of the objective with respect to W, (O, I); accumulated by {@link #backward}. */
    public final double[][] dW;
    /** Gradient of the objective with respect to b, (O); accumulated by {@link #backward}. */
    public final double[] db;
    /** The activation f. */
    public final Activation f;

    private boolean trainable = true;
    private double lrScale = 1.0;

    /** Use the naive reference kernels instead of the fast ones (for tests; the bits are the same). Set between calls only. */
    boolean reference;
    /**
     * The fast path's scratch for the public {@link #forward} and {@link #backward}, one per thread
     * (so concurrent calls share none) and made at a thread's first call, so a layer used on its own
     * allocates nothing after that. Set at construction, never assigned during a call; a network
     * passes its own scratch and does not touch this.
     */
    private final ThreadLocal<FastPath.Work> work = ThreadLocal.withInitial(FastPath.Work::new);

    /**
     * A layer with weights drawn by {@code init} from {@code rng} and zero bias (SPEC.md, "Initialisation").
     *
     * @param I    number of inputs, ≥ 1
     * @param O    number of outputs, ≥ 1
     * @param f    the activation
     * @param init how W is drawn
     * @param rng  the generator W is drawn from
     * @throws IllegalArgumentException if I or O is below 1, or an argument is null
     */
    public Dense(int I, int O, Activation f, Init init, Rng rng) {
        Check.size("layer inputs I", I);
        Check.size("layer outputs O", O);
        if (f == null) throw new IllegalArgumentException("Dense: expected an activation, found null");
        if (init == null) throw new IllegalArgumentException("Dense: expected an initialiser, found null");
        if (rng == null) throw new IllegalArgumentException("Dense: expected a generator, found null");
        this.I = I;
        this.O = O;
        this.f = f;
        this.W = new double[O][I];
        this.b = new double[O];
        this.dW = new double[O][I];
        this.db = new double[O];
        init.fill(W, b, rng);
    }

    /**
     * A layer initialised with {@link Init#defaultFor(Activation)}: He for ReLU kinds, else Xavier.
     *
     * @param I   number of inputs, ≥ 1
     * @param O   number of outputs, ≥ 1
     * @param f   the activation
     * @param rng the generator W is drawn from
     * @throws IllegalArgumentException if I or O is below 1, or an argument is null
     */
    public Dense(int I, int O, Activation f, Rng rng) {
        this(I, O, f, f == null ? Init.XAVIER_NORMAL : Init.defaultFor(f), rng);
    }

    /**
     * A layer with the given parameters, copied.
     *
     * @param W weights (O, I), finite
     * @param b bias (O), finite
     * @param f the activation
     * @throws IllegalArgumentException on a shape mismatch or a non-finite value
     */
    public Dense(double[][] W, double[] b, Activation f) {
        if (W == null || W.length == 0 || W[0] == null || W[0].length == 0) {
            throw new IllegalArgumentException("Dense: expected W with at least 1 row and 1 column, found "
                + (W == null ? "null" : W.length == 0 ? "0 rows" : W[0] == null ? "a null row" : "0 columns"));
        }
        if (f == null) {
            throw new IllegalArgumentException("Dense: expected an activation, found null");
        }
        this.O = W.length;
        this.I = W[0].length;
        Check.matrix("W", W, O, I);
        if (b == null || b.length != O) {
            throw new IllegalArgumentException("b: expected " + O + " entries (one per row of W), found "
                + (b == null ? "null" : String.valueOf(b.length)));
        }
        for (int o = 0; o < O; o++) {
            if (Double.isNaN(b[o]) || Double.isInfinite(b[o])) {
                throw new IllegalArgumentException("b[" + o + "]: expected a finite number, found " + b[o]);
            }
        }
        this.f = f;
        this.W = new double[O][];
        for (int o = 0; o < O; o++) this.W[o] = W[o].clone();
        this.b = b.clone();
        this.dW = new double[O][I];
        this.db = new double[O];
    }

    // ----------------------------------------------------------------------------------------
    // forward

    /**
     * z = x·Wᵀ + b, a = f(z) (SPEC.md §4).
     *
     * <p>Needs no network: the work arrays of the fast path (Wᵀ for the plain kernels, dzᵀ for the
     * Vector API ones) are the calling thread's own, made at its first call and reused
     * after (SPEC.md §23), so a layer may serve calls from several threads at once, each with its
     * own z, a, and a call allocates nothing after warm-up. A network uses its own instead.
     *
     * @param z output (N, O), overwritten: the pre-activation
     * @param a output (N, O), overwritten: the activation
     * @param x input (N, I), not modified
     * @throws IllegalArgumentException on a shape mismatch, or when z or a is x
     */
    public void forward(double[][] z, double[][] a, double[][] x) {
        Check.shape("x", x, -1, I);
        int N = x.length;
        Check.shape("z", z, N, O);
        Check.shape("a", a, N, O);
        if (z == x || a == x) throw new IllegalArgumentException("forward: expected output arrays z, a different from the input x, found the same array");
        forward(z, a, x, Parallel.SERIAL, work.get());
    }

    /** {@link #forward(double[][], double[][], double[][])} on shapes already checked, over the threads of p with the caller's work. */
    void forward(double[][] z, double[][] a, double[][] x, Parallel p, FastPath.Work work) {
        // z_no = b_o + Σᵢ x_ni·W_oi  (from b_o, i ascending),  a_no = f(z_no)
        FastPath.forward(z, a, x, W, b, f, reference, p, work);
    }

    // ----------------------------------------------------------------------------------------
    // backward

    /**
     * Backpropagates da through the layer. Writes dz; when the layer is trainable adds its
     * gradient to dW and db; when {@code dx} is not null writes the gradient with respect to x.
     * A frozen layer leaves dW and db untouched (SPEC.md, "Freezing"). Like {@link #forward}
     * it needs no network.
     *
     * @param dx output (N, I), overwritten, or null to skip
     * @param dz output (N, O), overwritten: the gradient with respect to z
     * @param da input (N, O): the gradient with respect to a, not modified
     * @param x  the forward input (N, I)
     * @param z  the forward pre-activation (N, O)
     * @param a  the forward activation (N, O)
     * @throws IllegalArgumentException on a shape mismatch
     */
    public void backward(double[][] dx, double[][] dz, double[][] da, double[][] x, double[][] z, double[][] a) {
        Check.shape("x", x, -1, I);
        int N = x.length;
        Check.shape("dz", dz, N, O);
        Check.shape("da", da, N, O);
        Check.shape("z", z, N, O);
        Check.shape("a", a, N, O);
        if (dx != null) Check.shape("dx", dx, N, I);
        backward(dx, dz, da, x, z, a, Parallel.SERIAL, work.get());
    }

    /** {@link #backward(double[][], double[][], double[][], double[][], double[][], double[][])} on shapes already checked, over the threads of p. */
    void backward(double[][] dx, double[][] dz, double[][] da, double[][] x, double[][] z, double[][] a, Parallel p, FastPath.Work work) {
        // a = f(z)  ⇒  dz = da ⊙ f'(z)
        FastPath.activationBackward(dz, da, z, a, f, reference, p, work);

        // z_no = b_o + Σᵢ x_ni·W_oi  ⇒  dW_oi += Σₙ dz_no·x_ni,  db_o += Σₙ dz_no   (n ascending)
        // Freezing: a frozen layer adds nothing to dW, db (SPEC.md, "Freezing").
        if (trainable) FastPath.weights(dW, db, dz, x, reference, p, work);

        // ⇒  dx_ni = Σₒ dz_no·W_oi   (from +0.0, o ascending); skipped below the lowest trainable layer
        if (dx != null) FastPath.input(dx, dz, W, reference, p, work);
    }

    // ----------------------------------------------------------------------------------------
    // parameters and flags

    /** Sets dW and db to zero. */
    public void zeroGrad() {
        for (int o = 0; o < O; o++) {
            java.util.Arrays.fill(dW[o], 0.0);
        }
        java.util.Arrays.fill(db, 0.0);
    }

    /**
     * Redraws W with {@code init} from {@code rng}, sets b, dW and db to zero. The flags are kept.
     *
     * @param init how W is drawn
     * @param rng  the generator W is drawn from
     * @throws IllegalArgumentException if an argument is null
     */
    public void initialise(Init init, Rng rng) {
        if (init == null || rng == null) {
            throw new IllegalArgumentException("initialise: expected an initialiser and a generator, found null");
        }
        init.fill(W, b, rng);
        zeroGrad();
    }

    /**
     * Number of parameters.
     *
     * @return O·I + O
     */
    public long parameterCount() {
        return (long) O * I + O;
    }

    /**
     * Whether the layer trains (SPEC.md, "Freezing").
     *
     * @return true when backward computes dW, db and the optimizer updates W, b
     */
    public boolean isTrainable() {
        return trainable;
    }

    /**
     * Freezes (false) or unfreezes (true) the layer; see SPEC.md, "Freezing". Freezing a trainable
     * layer sets its dW and db to zero, so a frozen layer's gradient is zero unless code writes
     * into the arrays directly (backward does not write it, and {@link Network#zeroGrad} skips it).
     *
     * @param trainable false to freeze, true to unfreeze
     */
    public void setTrainable(boolean trainable) {
        if (this.trainable && !trainable) zeroGrad();
        this.trainable = trainable;
    }

    /**
     * The per-layer learning-rate multiplier (SPEC.md, "Optimizers").
     *
     * @return lrScale (default 1): the layer's step uses lr · lrScale
     */
    public double lrScale() {
        return lrScale;
    }

    /**
     * Sets the per-layer learning-rate multiplier.
     *
     * @param lrScale the multiplier: the layer's step uses lr · lrScale
     * @throws IllegalArgumentException unless lrScale is finite and &gt; 0
     */
    public void setLrScale(double lrScale) {
        Check.positive("learning-rate multiplier lrScale", lrScale, true);
        this.lrScale = lrScale;
    }

    @Override
    public String toString() {
        return "Dense(" + I + " -> " + O + ", " + f + (trainable ? "" : ", frozen")
            + (lrScale == 1.0 ? "" : ", lrScale " + lrScale) + ")";
    }
}
