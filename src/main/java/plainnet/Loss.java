package plainnet;

/**
 * A loss J(z, Y) on the network output z (N, K), treated as logits by the cross-entropies.
 * Unlabeled entries are skipped: they add exactly zero to J and to dz. See SPEC.md, section
 * "Losses".
 */
public interface Loss {

    /**
     * J for output z (N, K) and targets t (N, K): J = S / D over the labeled units (SPEC.md §8, §9).
     *
     * @param z network output (N, K), not modified: logits for the cross-entropies
     * @param t targets (N, K): labels and the mask
     * @return J, +0.0 when nothing is labeled
     * @throws IllegalArgumentException on a shape mismatch or a label outside the loss's range
     */
    double forward(double[][] z, Targets t);

    /**
     * dz = ∂J/∂z (N, K), overwritten; exactly 0 at unlabeled entries (SPEC.md §8).
     *
     * @param dz output (N, K), overwritten; an array other than z, and no row of it is the same
     *           row of z (dz[n] is not z[n]): plainnet's losses refuse them, because writing dz in
     *           place of z would overwrite logits before they are read
     * @param z  network output (N, K), not modified
     * @param t  targets (N, K)
     * @throws IllegalArgumentException as {@link #forward}, when dz is not (N, K), or when dz is z or
     *         dz[n] is z[n]
     */
    void backward(double[][] dz, double[][] z, Targets t);

    /**
     * J and dz together: returns {@link #forward}{@code (z, t)} and writes
     * {@link #backward}{@code (dz, z, t)}, with the same bits. plainnet's losses do it in one pass
     * (the cross-entropies evaluate each exp once for both); the default calls the two.
     *
     * @param dz output (N, K), overwritten with ∂J/∂z; not z and sharing no row with it (as
     *           {@link #backward})
     * @param z  network output (N, K), not modified
     * @param t  targets (N, K)
     * @return J
     * @throws IllegalArgumentException as {@link #backward}
     */
    default double forwardBackward(double[][] dz, double[][] z, Targets t) {
        double J = forward(z, t);
        backward(dz, z, t);
        return J;
    }

    /**
     * The reduction turning per-unit terms into J (SPEC.md §9).
     *
     * @return the reduction
     */
    Reduction reduction();

    /**
     * The name used in SPEC.md and in files: {@link BinaryCrossEntropy#NAME binary_cross_entropy},
     * {@link SoftmaxCrossEntropy#NAME softmax_cross_entropy} or {@link MeanSquaredError#NAME
     * squared_error}. The three losses override it; any other loss has no file name.
     *
     * @return the file name of the loss
     * @throws IllegalArgumentException for a loss that is not one of the three
     */
    default String name() {
        throw new IllegalArgumentException("model: expected one of plainnet's losses, found " + getClass().getName());
    }
}
