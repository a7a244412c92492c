package plainnet;

/**
 * Softmax cross-entropy on logits, for single-label classification over K classes. A row is
 * labeled or unlabeled as a whole; an unlabeled row is skipped. See SPEC.md, section "Softmax
 * cross-entropy".
 *
 * <pre>
 *   per row     m_n = maxₖ z_nk
 *               s_n = Σₖ e^(z_nk − m_n)                     (k ascending, from +0.0)
 *               λ_n = m_n + log s_n                         (log-sum-exp)
 *               ℓ_n = Σₖ y_nk · (λ_n − z_nk)                (k ascending, from +0.0)
 *               q_nk = e^(z_nk − m_n) / s_n                 (softmax)
 *               dℓ_n/dz_nk = q_nk − y_nk                    (labels of a row sum to 1)
 *   loss        S = Σₙ [labeled n] · ℓ_n   (n ascending, from +0.0);   J = S / D   (J = 0 when D = 0)
 *   gradient    dz_nk = [labeled n] · (q_nk − y_nk) / D
 * </pre>
 *
 * Units are rows: D is N for {@link Reduction#PER_EXAMPLE} and {@link Reduction#MEAN_ALL}, the
 * number of labeled rows for {@link Reduction#MEAN_LABELED}, 1 for {@link Reduction#SUM}. Labels may
 * be one-hot or soft: each labeled row must have entries in [0, 1] summing to 1 within 1e-9.
 *
 * <p>Index letters: N rows (n), K classes (k).
 */
public final class SoftmaxCrossEntropy implements Loss {

    /** The name of this loss in SPEC.md and in files. */
    public static final String NAME = "softmax_cross_entropy";

    /** How far the sum of a labeled row's labels may be from 1. */
    public static final double ROW_SUM_TOLERANCE = 1e-9;

    private final Reduction reduction;

    /** With the reduction {@link Reduction#PER_EXAMPLE}. */
    public SoftmaxCrossEntropy() {
        this(Reduction.PER_EXAMPLE);
    }

    /**
     * With the given reduction; its units are rows (the class comment).
     *
     * @param reduction how the row terms are reduced (SPEC.md §9)
     * @throws IllegalArgumentException if reduction is null
     */
    public SoftmaxCrossEntropy(Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException("reduction: expected one of " + java.util.Arrays.toString(Reduction.values()) + ", found null");
        }
        this.reduction = reduction;
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double forward(double[][] z, Targets t) {
        int labeledRows = check(z, t);
        int N = t.rows(), K = t.columns();
        double D = reduction.divisor(N, N, labeledRows);
        if (D == 0.0) return 0.0;
        double S = 0.0;
        for (int n = 0; n < N; n++) {
            if (!t.labeled[n][0]) continue; // an unlabeled row is skipped, not multiplied by 0
            double[] zn = z[n];
            double lse = logSumExp(zn);
            double l = 0.0;
            for (int k = 0; k < K; k++) {
                l += t.y[n][k] * (lse - zn[k]);
            }
            S += l;
        }
        return S / D;
    }

    /**
     * dz = ∂J/∂z (the class comment): {@link #forwardBackward} with J dropped. J costs one log per
     * labeled row beside the K exps that dz needs, so one loop serves both.
     *
     * @param dz output (N, K), overwritten; not z and sharing no row with it
     * @param z  logits (N, K), not modified
     * @param t  targets (N, K)
     * @throws IllegalArgumentException as {@link #forward}, when dz is not (N, K), or when dz is z or dz[n] is z[n]
     */
    @Override
    public void backward(double[][] dz, double[][] z, Targets t) {
        forwardBackward(dz, z, t);
    }

    /**
     * {@link #forward} and {@link #backward} in one pass, with the same bits: the e^(z_nk − m_n)
     * of a labeled row serve both s_n (for λ_n) and q_nk.
     *
     * @param dz output (N, K), overwritten with ∂J/∂z; not z and sharing no row with it (the
     *           e^(z_nk − m_n) are kept in dz[n] while z[n] is still read)
     * @param z  logits (N, K), not modified
     * @param t  targets (N, K)
     * @return J
     * @throws IllegalArgumentException as {@link #backward}
     */
    @Override
    public double forwardBackward(double[][] dz, double[][] z, Targets t) {
        int labeledRows = check(z, t);
        int N = t.rows(), K = t.columns();
        Check.shape("dz", dz, N, K);
        Check.notSame(dz, z);
        double D = reduction.divisor(N, N, labeledRows);
        double S = 0.0;
        for (int n = 0; n < N; n++) {
            double[] dzn = dz[n];
            if (!t.labeled[n][0] || D == 0.0) {
                java.util.Arrays.fill(dzn, 0.0); // an unlabeled row adds nothing to S; its gradient is exactly 0
                continue;
            }
            double[] zn = z[n], yn = t.y[n];
            double m = max(zn);
            double s = 0.0;
            for (int k = 0; k < K; k++) {
                dzn[k] = StrictMath.exp(zn[k] - m); // e^(z_k − m), kept in dz until s is known
                s += dzn[k];
            }
            double lse = m + StrictMath.log(s);
            double l = 0.0;
            for (int k = 0; k < K; k++) {
                l += yn[k] * (lse - zn[k]);
                // ℓ = log Σⱼ e^zⱼ − Σⱼ yⱼ·zⱼ (with Σ y = 1)  ⇒  dℓ/dz_k = q_k − y_k,  q_k = e^(z_k − m) / s
                dzn[k] = (dzn[k] / s - yn[k]) / D;
            }
            S += l;
        }
        return D == 0.0 ? 0.0 : S / D;
    }

    /**
     * log Σₖ e^(z_k), evaluated as m + log Σₖ e^(z_k − m) with m = maxₖ z_k (SPEC.md §8.2).
     *
     * @param z one row of logits (K), K ≥ 1, not modified
     * @return the log-sum-exp λ
     */
    public static double logSumExp(double[] z) {
        double m = max(z);
        double s = 0.0;
        for (int k = 0; k < z.length; k++) s += StrictMath.exp(z[k] - m);
        return m + StrictMath.log(s);
    }

    private static double max(double[] z) {
        double m = z[0];
        for (int k = 1; k < z.length; k++) if (z[k] > m) m = z[k];
        return m;
    }

    /** Checks shapes and labels; returns the number of labeled rows. */
    private static int check(double[][] z, Targets t) {
        Targets.checkLogits(z, t);
        t.checkRange(0.0, 1.0, "the softmax cross-entropy");
        return t.checkSoftmaxRows(ROW_SUM_TOLERANCE);
    }
}
