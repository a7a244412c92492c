package plainnet;

/**
 * Squared error for multi-output regression, with the same unlabeled-entry rule as the binary
 * cross-entropy. See SPEC.md, section "Squared error".
 *
 * <pre>
 *   per entry   ℓ(z, y) = (z − y)²             dℓ/dz = 2·(z − y)
 *   loss        S = Σₙ Σₖ [labeled nk] · w_k · ℓ(z_nk, y_nk)      (n ascending, then k ascending, from +0.0)
 *               J = S / D                                          (J = 0 when D = 0)
 *   gradient    dz_nk = [labeled nk] · (w_k · dℓ/dz) / D
 * </pre>
 *
 * With {@link Reduction#MEAN_ALL} and no weights this is PyTorch's {@code MSELoss()}.
 *
 * <p>Index letters: N rows (n), K outputs (k).
 */
public final class MeanSquaredError implements Loss {

    /** The name of this loss in SPEC.md and in files. */
    public static final String NAME = "squared_error";

    private final Reduction reduction;
    private final double[] w; // (K) output weights, or null for all 1

    /** With the reduction {@link Reduction#PER_EXAMPLE} and no weights. */
    public MeanSquaredError() {
        this(Reduction.PER_EXAMPLE, null);
    }

    /**
     * With the given reduction and no weights.
     *
     * @param reduction how the terms are reduced (SPEC.md §9)
     * @throws IllegalArgumentException if reduction is null
     */
    public MeanSquaredError(Reduction reduction) {
        this(reduction, null);
    }

    /**
     * With the given reduction and output weights w.
     *
     * @param reduction how the terms are reduced (SPEC.md §9)
     * @param weight    (K) finite weights ≥ 0, or null for all 1
     * @throws IllegalArgumentException on a null reduction or a bad weight
     */
    public MeanSquaredError(Reduction reduction, double[] weight) {
        if (reduction == null) {
            throw new IllegalArgumentException("reduction: expected one of " + java.util.Arrays.toString(Reduction.values()) + ", found null");
        }
        this.reduction = reduction;
        this.w = Check.weights("weight", weight, weight == null ? 0 : weight.length, false);
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The output weights.
     *
     * @return a copy of w (K), or null when all are 1
     */
    public double[] weight() {
        return w == null ? null : w.clone();
    }

    @Override
    public double forward(double[][] z, Targets t) {
        check(z, t);
        int N = t.rows(), K = t.columns();
        double D = reduction.divisor(N, N * K, t.labeledCount());
        if (D == 0.0) return 0.0;
        double S = 0.0;
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                if (!t.labeled[n][k]) continue; // skipped, not multiplied by 0
                double e = z[n][k] - t.y[n][k];
                S += BinaryCrossEntropy.weight(w, k) * (e * e);
            }
        }
        return S / D;
    }

    /**
     * dz = ∂J/∂z (the class comment): {@link #forwardBackward} with J dropped. J costs one
     * multiply-add per labeled entry, so one loop serves both.
     *
     * @param dz output (N, K), overwritten; not z and sharing no row with it
     * @param z  outputs (N, K), not modified
     * @param t  targets (N, K)
     * @throws IllegalArgumentException as {@link #forward}, when dz is not (N, K), or when dz is z or dz[n] is z[n]
     */
    @Override
    public void backward(double[][] dz, double[][] z, Targets t) {
        forwardBackward(dz, z, t);
    }

    /**
     * {@link #forward} and {@link #backward} in one pass (one check of the targets), with the
     * same bits.
     *
     * @param dz output (N, K), overwritten with ∂J/∂z; not z and sharing no row with it
     * @param z  outputs (N, K), not modified
     * @param t  targets (N, K)
     * @return J
     * @throws IllegalArgumentException as {@link #backward}
     */
    @Override
    public double forwardBackward(double[][] dz, double[][] z, Targets t) {
        check(z, t);
        int N = t.rows(), K = t.columns();
        Check.shape("dz", dz, N, K);
        Check.notSame(dz, z);
        double D = reduction.divisor(N, N * K, t.labeledCount());
        double S = 0.0;
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                if (!t.labeled[n][k] || D == 0.0) {
                    dz[n][k] = 0.0; // unlabeled: adds nothing to S, and its gradient is exactly 0
                    continue;
                }
                double wk = BinaryCrossEntropy.weight(w, k);
                double e = z[n][k] - t.y[n][k];
                S += wk * (e * e);
                // ℓ = (z − y)²  ⇒  dℓ/dz = 2·(z − y);  J = S / D  ⇒  dz = w_k·dℓ/dz / D
                dz[n][k] = wk * (2.0 * e) / D;
            }
        }
        return D == 0.0 ? 0.0 : S / D;
    }

    private void check(double[][] z, Targets t) {
        Targets.checkLogits(z, t);
        t.checkColumns("weight", w);
        t.checkRange(-Double.MAX_VALUE, Double.MAX_VALUE, "the squared error"); // finite
    }
}
