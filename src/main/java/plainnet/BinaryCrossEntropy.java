package plainnet;

/**
 * Multi-output binary cross-entropy on logits, for multi-label and multi-task outputs: each of the
 * K columns is an independent sigmoid output. Unlabeled entries are skipped. See SPEC.md, section
 * "Binary cross-entropy".
 *
 * <pre>
 *   per entry   ℓ(z, y) = p·y·softplus(−z) + (1 − y)·softplus(z),   softplus(±z) = max(±z, 0) + log(1 + e^−|z|)
 *               dℓ/dz   = (1 − y)·σ(z) − p·y·σ(−z)
 *   loss        S = Σₙ Σₖ [labeled nk] · w_k · ℓ(z_nk, y_nk)      (n ascending, then k ascending, from +0.0)
 *               J = S / D                                          (D from the reduction; J = 0 when D = 0)
 *   gradient    dz_nk = [labeled nk] · (w_k · dℓ/dz(z_nk, y_nk)) / D
 * </pre>
 *
 * w_k is the task weight (default 1) and p_k the positive-class weight (default 1; PyTorch's
 * {@code pos_weight}). With p = 1 ℓ is the plain binary cross-entropy. Both lines add only
 * non-negative terms for hard labels, so neither cancels: ℓ and dℓ/dz keep a relative error of a
 * few ulp for any finite logit (SPEC.md 8.1 has the error bound, also for soft labels).
 *
 * <p>Index letters: N rows (n), K tasks (k).
 */
public final class BinaryCrossEntropy implements Loss {

    /** The name of this loss in SPEC.md and in files. */
    public static final String NAME = "binary_cross_entropy";

    private final Reduction reduction;
    private final double[] w; // (K) task weights, or null for all 1
    private final double[] p; // (K) positive-class weights, or null for all 1

    /** With the lecture's reduction {@link Reduction#PER_EXAMPLE} and no weights. */
    public BinaryCrossEntropy() {
        this(Reduction.PER_EXAMPLE, null, null);
    }

    /**
     * With the given reduction and no weights.
     *
     * @param reduction how the terms are reduced (SPEC.md §9)
     * @throws IllegalArgumentException if reduction is null
     */
    public BinaryCrossEntropy(Reduction reduction) {
        this(reduction, null, null);
    }

    /**
     * With the given reduction, task weights w and positive-class weights p.
     *
     * @param reduction  how the terms are reduced (SPEC.md §9)
     * @param taskWeight (K) finite weights ≥ 0, or null for all 1
     * @param posWeight  (K) finite positive-class weights &gt; 0, or null for all 1
     * @throws IllegalArgumentException on a null reduction, different lengths or a bad weight
     */
    public BinaryCrossEntropy(Reduction reduction, double[] taskWeight, double[] posWeight) {
        if (reduction == null) {
            throw new IllegalArgumentException("reduction: expected one of " + java.util.Arrays.toString(Reduction.values()) + ", found null");
        }
        if (taskWeight != null && posWeight != null && taskWeight.length != posWeight.length) {
            throw new IllegalArgumentException("posWeight: expected " + taskWeight.length + " entries (as taskWeight), found " + posWeight.length);
        }
        this.reduction = reduction;
        this.w = Check.weights("taskWeight", taskWeight, taskWeight == null ? 0 : taskWeight.length, false);
        this.p = Check.weights("posWeight", posWeight, posWeight == null ? 0 : posWeight.length, true);
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
     * The task weights.
     *
     * @return a copy of w (K), or null when all are 1
     */
    public double[] taskWeight() {
        return w == null ? null : w.clone();
    }

    /**
     * The positive-class weights.
     *
     * @return a copy of p (K), or null when all are 1
     */
    public double[] posWeight() {
        return p == null ? null : p.clone();
    }

    /**
     * ℓ(z, y) for one entry with positive-class weight p (SPEC.md §8.1).
     *
     * @param z the logit
     * @param y the label, in [0, 1]
     * @param p the positive-class weight, &gt; 0
     * @return p·y·softplus(−z) + (1 − y)·softplus(z)
     */
    public static double term(double z, double y, double p) {
        return term(StrictMath.exp(-Math.abs(z)), z, y, p);
    }

    /** {@link #term(double, double, double)} from e = e^−|z|. */
    private static double term(double e, double z, double y, double p) {
        // log(1 + e^−|z|) never overflows: e^−|z| ≤ 1
        double c = StrictMath.log1p(e);
        // softplus(z) = log(1 + e^z) = max(z, 0) + c: two non-negative terms, no cancellation
        double spPos = Math.max(z, 0.0) + c;
        double spNeg = Math.max(-z, 0.0) + c;
        // PyTorch's ℓ = −[p·y·log σ(z) + (1 − y)·log(1 − σ(z))], and −log σ(z) = softplus(−z),
        // −log(1 − σ(z)) = softplus(z)  ⇒  ℓ = p·y·softplus(−z) + (1 − y)·softplus(z), a sum of terms ≥ 0
        return p * y * spNeg + (1.0 - y) * spPos;
    }

    /**
     * dℓ/dz for one entry with positive-class weight p (SPEC.md §8.1).
     *
     * @param z the logit
     * @param y the label, in [0, 1]
     * @param p the positive-class weight, &gt; 0
     * @return (1 − y)·σ(z) − p·y·σ(−z)
     */
    public static double grad(double z, double y, double p) {
        return grad(StrictMath.exp(-Math.abs(z)), z, y, p);
    }

    /** {@link #grad(double, double, double)} from e = e^−|z|. */
    private static double grad(double e, double z, double y, double p) {
        // σ(z) and σ(−z) from the one e = e^−|z|, with the operations of Activation.sigmoid on
        // z and on −z (so the same bits): for z ≥ 0 σ(z) = 1/(1 + e^−z), σ(−z) = e^−z/(1 + e^−z);
        // for z < 0 σ(z) = e^z/(1 + e^z), σ(−z) = 1/(1 + e^z). (z = −0.0 takes the first branch
        // here and its −z = +0.0 the first branch there: both give 1/2.)
        double d = 1.0 + e;
        double sPos = z >= 0.0 ? 1.0 / d : e / d;   // σ(z)
        double sNeg = z >= 0.0 ? e / d : 1.0 / d;   // σ(−z)
        // d softplus(z)/dz = σ(z),  d softplus(−z)/dz = −σ(−z)
        // ⇒ dℓ/dz = (1 − y)·σ(z) − p·y·σ(−z).  Not σ(z) − y − (p − 1)·y·σ(−z), the same value, which
        // cancels for y = 1 and z ≫ 0 (σ(z) − 1 with σ(z) ≈ 1): here a hard label zeroes one term
        // exactly and the other is a product of accurate factors (SPEC.md 8.1 has the bound).
        return (1.0 - y) * sPos - p * y * sNeg;
    }

    /**
     * J = S / D (the class comment; SPEC.md §8.1).
     *
     * @param z logits (N, K), not modified
     * @param t targets (N, K): labels in [0, 1] and the mask
     * @return J, +0.0 when nothing is labeled
     * @throws IllegalArgumentException on a shape mismatch, a label outside [0, 1], or weights of another length than K
     */
    @Override
    public double forward(double[][] z, Targets t) {
        check(z, t);
        int N = t.rows(), K = t.columns();
        double D = reduction.divisor(N, N * K, t.labeledCount());
        if (D == 0.0) return 0.0; // nothing labeled: J = 0 by definition, never 0/0
        double S = 0.0;
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                // An unlabeled entry adds exactly nothing: it is skipped, not multiplied by 0.
                if (!t.labeled[n][k]) continue;
                S += weight(w, k) * term(z[n][k], t.y[n][k], weight(p, k));
            }
        }
        return S / D;
    }

    /**
     * dz = ∂J/∂z (the class comment; SPEC.md §8.1), exactly +0.0 at unlabeled entries.
     *
     * Not {@link #forwardBackward} with J dropped: J would add a log1p per labeled entry to the
     * one exp that dz needs, about doubling the cost of this call.
     *
     * @param dz output (N, K), overwritten; not z and sharing no row with it
     * @param z  logits (N, K), not modified
     * @param t  targets (N, K)
     * @throws IllegalArgumentException as {@link #forward}, when dz is not (N, K), or when dz is z or dz[n] is z[n]
     */
    @Override
    public void backward(double[][] dz, double[][] z, Targets t) {
        double D = checkGradient(dz, z, t);
        int N = t.rows(), K = t.columns();
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                // J = S / D and S = Σ w_k·ℓ_nk over labeled entries  ⇒  dz_nk = w_k·dℓ/dz / D, and 0 when unlabeled
                dz[n][k] = (t.labeled[n][k] && D != 0.0)
                    ? weight(w, k) * grad(z[n][k], t.y[n][k], weight(p, k)) / D
                    : 0.0;
            }
        }
    }

    /**
     * {@link #forward} and {@link #backward} in one pass, with the same bits: one e^−|z| per
     * labeled entry serves ℓ and dℓ/dz.
     *
     * @param dz output (N, K), overwritten with ∂J/∂z; not z and sharing no row with it
     * @param z  logits (N, K), not modified
     * @param t  targets (N, K)
     * @return J
     * @throws IllegalArgumentException as {@link #backward}
     */
    @Override
    public double forwardBackward(double[][] dz, double[][] z, Targets t) {
        double D = checkGradient(dz, z, t);
        int N = t.rows(), K = t.columns();
        double S = 0.0;
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                if (!t.labeled[n][k] || D == 0.0) {
                    dz[n][k] = 0.0; // unlabeled: adds nothing to S, and its gradient is exactly 0
                    continue;
                }
                double znk = z[n][k], ynk = t.y[n][k], pk = weight(p, k), wk = weight(w, k);
                double e = StrictMath.exp(-Math.abs(znk));
                S += wk * term(e, znk, ynk, pk);
                dz[n][k] = wk * grad(e, znk, ynk, pk) / D;
            }
        }
        return D == 0.0 ? 0.0 : S / D;
    }

    /** The checks of {@link #backward} and {@link #forwardBackward}; returns D. */
    private double checkGradient(double[][] dz, double[][] z, Targets t) {
        check(z, t);
        int N = t.rows(), K = t.columns();
        Check.shape("dz", dz, N, K);
        Check.notSame(dz, z);
        return reduction.divisor(N, N * K, t.labeledCount());
    }

    private void check(double[][] z, Targets t) {
        Targets.checkLogits(z, t);
        t.checkColumns("taskWeight", w);
        t.checkColumns("posWeight", p);
        t.checkRange(0.0, 1.0, "the binary cross-entropy");
    }

    static double weight(double[] w, int k) {
        return w == null ? 1.0 : w[k];
    }
}
