package plainnet;

/**
 * How a loss turns its per-unit terms into one number J = S / D, where S is the (weighted) sum of
 * the terms of the labeled units and D the divisor below. A unit is one entry (n, k) for the
 * element-wise losses (binary cross-entropy, squared error) and one row n for the softmax
 * cross-entropy. When D = 0 (nothing labeled), J = 0 and the gradient is 0. See SPEC.md, section
 * "Reductions" (§9).
 */
public enum Reduction {
    /** The lecture's: D = N, the number of examples (rows) in the batch, labeled or not. The default. */
    PER_EXAMPLE,
    /** D = the number of labeled units. */
    MEAN_LABELED,
    /** D = the number of all units, labeled or not: N·K for element-wise losses, N for softmax. */
    MEAN_ALL,
    /** D = 1. */
    SUM;

    /**
     * The divisor D.
     *
     * @param N        rows in the batch
     * @param units    all units (N·K element-wise, N for softmax)
     * @param labeled  labeled units
     * @return D, as a double (0 when nothing is labeled under mean_labeled)
     */
    public double divisor(int N, int units, int labeled) {
        switch (this) {
            case PER_EXAMPLE:  return N;
            case MEAN_LABELED: return labeled;
            case MEAN_ALL:     return units;
            case SUM:          return 1.0;
            default:           throw new AssertionError(this);
        }
    }

    /**
     * The name used in SPEC.md and in files (model file §16, vector file §22.1).
     *
     * @return one of per_example, mean_labeled, mean_all, sum
     */
    public String fileName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The reduction of a file name (see {@link #fileName}).
     *
     * @param name one of per_example, mean_labeled, mean_all, sum
     * @return the reduction of that name
     * @throws IllegalArgumentException for any other name
     */
    public static Reduction parse(String name) {
        for (Reduction r : values()) if (r.fileName().equals(name)) return r;
        throw new IllegalArgumentException("expected one of per_example, mean_labeled, mean_all, sum, found \"" + name + "\"");
    }
}
