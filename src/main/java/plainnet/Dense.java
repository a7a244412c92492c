package plainnet;

/**
 * A dense (fully connected) layer: z = x·Wᵀ + b, a = f(z). See SPEC.md, sections "Dense layer"
 * and "Freezing".
 *
 * <p>Not thread-safe: a layer (like a network) serves one call at a time; give each thread its
 * own copy ({@link Network#copy}). Its kernels may use several threads inside one call.
 *
 * <p>Index letters: N rows of the batch (n), I inputs (i), O outputs (o). Every matrix is one
 * {@code double[]} per row: x[n][i], W[o][i], z[n][o].
 *
 * <p>Summation order (fixed, so that every implementation gets the same bits):
 * z_no starts at b_o and adds x_ni·W_oi for i = 0, 1, …, I−1; dW_oi and db_o add one term per
 * row for n = 0, 1, …, N−1 onto their current value; dx_ni starts at +0.0 and adds dz_no·W_oi for
 * o = 0, 1, …, O−1. The loops live in {@link Kernels}: the naive reference kernels beside fast
 * ones that keep these orders (the fast ones are used unless {@code reference} is set).
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

    /** Use the naive reference kernels instead of the fast ones (for tests; the bits are the same). */
    boolean reference;
    /** A chunk of the batch transposed, for the fast forward: xT (I, ≤ COLS), zT (O, ≤ COLS); a chunk uses the first C columns. */
    private double[][] xT, zT;
    private int n0, C; // the current chunk: rows n0 … n0 + C − 1 of the batch
    // The arguments of the current call, read by the thread jobs below (made once, so a call
    // allocates nothing). Hence a layer serves one call at a time: it is not thread-safe.
    private double[][] cz;  // (N, O)
    private double[][] ca;  // (N, O)
    private double[][] cda; // (N, O)
    private double[][] cx;  // (N, I)
    private double[][] cdz; // (N, O)
    private double[][] cdx; // (N, I)
    private final Parallel.Range transposeInJob = this::transposeInRows;
    private final Parallel.Range forwardJob = this::forwardRows;
    private final Parallel.Range transposeOutJob = this::transposeOutRows;
    private final Parallel.Range fewJob = this::fewRows;
    private final Parallel.Range activationJob = this::activationRows;
    private final Parallel.Range weightsJob = this::weightRows;
    private final Parallel.Range inputJob = this::inputRows;

    private void transposeInRows(int from, int to) {
        Kernels.transpose(xT, cx, n0, 0, C, from, to);   // xT_ic = x_(n0+c)i, rows i
    }

    private void forwardRows(int from, int to) {
        Kernels.forwardFast(zT, xT, W, b, C, from, to);  // zT = W·xT + b, rows o
    }

    private void transposeOutRows(int from, int to) {  // rows n0 + from … n0 + to − 1 of z
        Kernels.transpose(cz, zT, 0, n0, O, n0 + from, n0 + to);   // z_no = zT_o(n−n0)
        f.forward(ca, cz, n0 + from, n0 + to);
    }

    private void fewRows(int from, int to) {
        Kernels.forwardFew(cz, cx, W, b, from, to);
        f.forward(ca, cz, from, to);
    }

    private void activationRows(int from, int to) {
        f.backward(cdz, cda, cz, ca, from, to);
    }

    private void weightRows(int from, int to) {
        Kernels.weightsFast(dW, db, cdz, cx, from, to);
    }

    private void inputRows(int from, int to) {
        Kernels.inputFast(cdx, cdz, W, from, to);
    }

    /**
     * A layer with weights drawn by {@code init} from {@code rng} and zero bias.
     *
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

    /** A layer initialised with {@link Init#defaultFor(Activation)}: He for ReLU kinds, else Xavier. */
    public Dense(int I, int O, Activation f, Rng rng) {
        this(I, O, f, f == null ? Init.XAVIER_NORMAL : Init.defaultFor(f), rng);
    }

    /**
     * A layer with the given parameters, copied.
     *
     * @param W weights (O, I), finite
     * @param b bias (O), finite
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
     * z = x·Wᵀ + b, a = f(z).
     *
     * @param z output (N, O), overwritten: the pre-activation
     * @param a output (N, O), overwritten: the activation
     * @param x input (N, I), not modified
     * @throws IllegalArgumentException on a shape mismatch
     */
    public void forward(double[][] z, double[][] a, double[][] x) {
        forward(z, a, x, Parallel.SERIAL);
    }

    /** {@link #forward(double[][], double[][], double[][])} with the rows split over the threads of p. */
    void forward(double[][] z, double[][] a, double[][] x, Parallel p) {
        Check.shape("x", x, -1, I);
        int N = x.length;
        Check.shape("z", z, N, O);
        Check.shape("a", a, N, O);
        if (z == x || a == x) throw new IllegalArgumentException("forward: expected output arrays z, a different from the input x, found the same array");
        // z_no = b_o + Σᵢ x_ni·W_oi  (from b_o, i ascending; Kernels has the loops)
        if (reference) {
            Kernels.forwardNaive(z, x, W, b, 0, N);
            f.forward(a, z, 0, N);
        } else {
            cz = z;
            ca = a;
            cx = x;
            if (O <= Kernels.FEW_OUTPUTS || N < Kernels.FEW_ROWS) {
                p.run(fewJob, N); // z, then a = f(z), row by row
            } else {
                // Chunks of at most COLS rows: xT and zT stay small however large the batch.
                if (xT == null || xT[0].length < Math.min(N, Kernels.COLS)) {
                    xT = new double[I][Math.min(N, Kernels.COLS)];
                    zT = new double[O][Math.min(N, Kernels.COLS)];
                }
                for (n0 = 0; n0 < N; n0 += C) {
                    C = Math.min(Kernels.COLS, N - n0);
                    // Each phase writes whole rows of its own output, so threads never share a row.
                    p.run(transposeInJob, I);
                    p.run(forwardJob, O);
                    p.run(transposeOutJob, C); // z, then a = f(z), row by row
                }
            }
            cz = null;
            ca = null;
            cx = null;
        }
    }

    // ----------------------------------------------------------------------------------------
    // backward

    /**
     * Backpropagates da through the layer. Writes dz; when the layer is trainable adds its
     * gradient to dW and db; when {@code dx} is not null writes the gradient with respect to x.
     * A frozen layer leaves dW and db untouched (SPEC.md, "Freezing").
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
        backward(dx, dz, da, x, z, a, Parallel.SERIAL);
    }

    /** {@link #backward(double[][], double[][], double[][], double[][], double[][], double[][])} split over the threads of p. */
    void backward(double[][] dx, double[][] dz, double[][] da, double[][] x, double[][] z, double[][] a, Parallel p) {
        Check.shape("x", x, -1, I);
        int N = x.length;
        Check.shape("dz", dz, N, O);
        Check.shape("da", da, N, O);
        Check.shape("z", z, N, O);
        Check.shape("a", a, N, O);
        if (dx != null) Check.shape("dx", dx, N, I);

        // a = f(z)  ⇒  dz = da ⊙ f'(z)
        if (reference) {
            f.backward(dz, da, z, a, 0, N);
        } else {
            cdz = dz;
            cda = da;
            cz = z;
            ca = a;
            p.run(activationJob, N);
            cda = null;
            cz = null;
            ca = null;
        }

        // Freezing: a frozen layer adds nothing to dW, db (SPEC.md, "Freezing").
        if (trainable) {
            // z_no = b_o + Σᵢ x_ni·W_oi  ⇒  dW_oi += Σₙ dz_no·x_ni,  db_o += Σₙ dz_no   (n ascending)
            if (reference) {
                Kernels.weightsNaive(dW, db, dz, x, 0, O);
            } else {
                cdz = dz;
                cx = x;
                p.run(weightsJob, O);
            }
        }
        if (dx != null) {
            // ⇒  dx_ni = Σₒ dz_no·W_oi   (from +0.0, o ascending)
            if (reference) {
                Kernels.inputNaive(dx, dz, W, 0, N);
            } else {
                cdz = dz;
                cdx = dx;
                p.run(inputJob, N);
            }
        }
        cdz = null;
        cdx = null;
        cx = null;
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

    /** Redraws W with {@code init} from {@code rng}, sets b, dW and db to zero. The flags are kept. */
    public void initialise(Init init, Rng rng) {
        if (init == null || rng == null) {
            throw new IllegalArgumentException("initialise: expected an initialiser and a generator, found null");
        }
        init.fill(W, b, rng);
        zeroGrad();
    }

    /** Number of parameters, O·I + O. */
    public long parameterCount() {
        return (long) O * I + O;
    }

    /** True when backward computes dW, db and the optimizer updates W, b. */
    public boolean isTrainable() {
        return trainable;
    }

    /**
     * Freezes (false) or unfreezes (true) the layer; see SPEC.md, "Freezing". Freezing a trainable
     * layer sets its dW and db to zero, so a frozen layer's gradient is zero unless code writes
     * into the arrays directly (backward does not write it, and {@link Network#zeroGrad} skips it).
     */
    public void setTrainable(boolean trainable) {
        if (this.trainable && !trainable) zeroGrad();
        this.trainable = trainable;
    }

    /** The per-layer learning-rate multiplier (default 1): the layer's step uses lr · lrScale. */
    public double lrScale() {
        return lrScale;
    }

    /** @throws IllegalArgumentException unless lrScale is finite and &gt; 0 */
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
