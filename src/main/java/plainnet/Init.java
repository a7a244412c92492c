package plainnet;

/**
 * Weight initialisers. W is filled row by row (o = 0..O−1, and within a row i = 0..I−1), one draw
 * per entry, from the generator passed in; the bias is set to zero and draws nothing.
 * See SPEC.md, section "Initialisation".
 *
 * <pre>
 *   he_normal        W_oi = g · sqrt(2 / I)            g = rng.nextGaussian()
 *   he_uniform       W_oi = (2u − 1) · sqrt(6 / I)     u = rng.nextDouble()
 *   xavier_normal    W_oi = g · sqrt(2 / (I + O))
 *   xavier_uniform   W_oi = (2u − 1) · sqrt(6 / (I + O))
 * </pre>
 */
public enum Init {
    /** W_oi = g · sqrt(2 / I), g standard normal: for relu and leaky_relu layers. */
    HE_NORMAL,
    /** W_oi = (2u − 1) · sqrt(6 / I), u uniform on [0, 1). */
    HE_UNIFORM,
    /** W_oi = g · sqrt(2 / (I + O)), g standard normal: for identity, sigmoid and tanh layers. */
    XAVIER_NORMAL,
    /** W_oi = (2u − 1) · sqrt(6 / (I + O)), u uniform on [0, 1). */
    XAVIER_UNIFORM;

    /**
     * The default for an activation: He for relu and leaky_relu, Xavier for the others, normal in
     * both cases (SPEC.md §12).
     *
     * @param f the layer's activation
     * @return {@link #HE_NORMAL} when {@link Activation#hasKink()}, else {@link #XAVIER_NORMAL}
     */
    public static Init defaultFor(Activation f) {
        return f.hasKink() ? HE_NORMAL : XAVIER_NORMAL;
    }

    /**
     * Fills W (O, I) in row-major order and sets b (O) to zero.
     *
     * @param W   weights (O, I), overwritten
     * @param b   bias (O), overwritten with zeros
     * @param rng the generator; advances by one draw per entry of W (two for the normal kinds)
     * @throws IllegalArgumentException if W has no row or no column, b's length is not W's row
     *                                  count, or an argument is null
     */
    public void fill(double[][] W, double[] b, Rng rng) {
        if (W == null || W.length == 0 || W[0] == null || W[0].length == 0 || b == null || b.length != W.length || rng == null) {
            throw new IllegalArgumentException("Init.fill: expected W with at least 1 row and 1 column, b with one entry per row of W, and a generator, found "
                + (W == null ? "W null" : W.length == 0 || W[0] == null ? "W without rows" : W[0].length == 0 ? "W without columns"
                : b == null ? "b null" : b.length != W.length ? "b of " + b.length + " entries for " + W.length + " rows" : "no generator"));
        }
        int O = W.length;
        int I = W[0].length;
        boolean normal = this == HE_NORMAL || this == XAVIER_NORMAL;
        double fan = (this == HE_NORMAL || this == HE_UNIFORM) ? I : I + O;
        double scale = StrictMath.sqrt((normal ? 2.0 : 6.0) / fan);
        for (int o = 0; o < O; o++) {
            for (int i = 0; i < I; i++) {
                W[o][i] = normal ? rng.nextGaussian() * scale : (2.0 * rng.nextDouble() - 1.0) * scale;
            }
            b[o] = 0.0;
        }
    }

    /**
     * The name used in SPEC.md and on the command line ({@code --init}).
     *
     * @return one of he_normal, he_uniform, xavier_normal, xavier_uniform
     */
    public String fileName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
