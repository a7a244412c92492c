package plainnet;

/**
 * An element-wise activation a = f(z) and its derivative. See SPEC.md, section "Activations".
 *
 * <pre>
 *   identity     f(z) = z                      f'(z) = 1
 *   relu         f(z) = z if z &gt; 0, else +0.0  f'(z) = 1 if z &gt; 0, else 0   (0 at the kink z = 0)
 *   leaky_relu   f(z) = z if z &gt; 0, else s·z   f'(z) = 1 if z &gt; 0, else s   (s = slope)
 *   sigmoid      f(z) = 1 / (1 + e^−z)         f'(z) = a·(1 − a)
 *   tanh         f(z) = tanh z                 f'(z) = 1 − a²
 * </pre>
 *
 * A NaN z gives a NaN a for every kind, so a diverged network shows a NaN loss.
 *
 * <p>Index letters: N rows of the batch (n), O units of the layer (o). Arrays are one {@code double[]}
 * per row.
 */
public final class Activation {

    /** The five activation functions of SPEC.md §3. */
    public enum Kind {
        /** f(z) = z. */
        IDENTITY,
        /** f(z) = max(z, 0), with +0.0 for z ≤ 0. */
        RELU,
        /** f(z) = z for z &gt; 0, else s·z. */
        LEAKY_RELU,
        /** f(z) = 1 / (1 + e^−z). */
        SIGMOID,
        /** f(z) = tanh z. */
        TANH
    }

    /** f(z) = z, f'(z) = 1: the output layer of a regression or a loss that takes logits. */
    public static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0.0);
    /** f(z) = max(z, 0); f'(z) = 1 for z &gt; 0, else 0 (0 at the kink). */
    public static final Activation RELU = new Activation(Kind.RELU, 0.0);
    /** Leaky ReLU with the common default slope 0.01. */
    public static final Activation LEAKY_RELU = new Activation(Kind.LEAKY_RELU, 0.01);
    /** f(z) = σ(z) = 1 / (1 + e^−z); f'(z) = a·(1 − a). */
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0.0);
    /** f(z) = tanh z; f'(z) = 1 − a². */
    public static final Activation TANH = new Activation(Kind.TANH, 0.0);

    /** Which of the five functions this is. */
    public final Kind kind;
    /** The negative-side slope s of leaky ReLU; 0 for every other kind. */
    public final double slope;

    private Activation(Kind kind, double slope) {
        this.kind = kind;
        this.slope = slope;
    }

    /**
     * Leaky ReLU with negative-side slope {@code slope}: f(z) = z for z &gt; 0, else slope·z.
     *
     * @param slope the slope s on the negative side
     * @return the activation, of kind {@link Kind#LEAKY_RELU}
     * @throws IllegalArgumentException unless 0 &lt; slope &lt; 1
     */
    public static Activation leakyRelu(double slope) {
        if (!(slope > 0.0 && slope < 1.0)) {
            throw new IllegalArgumentException("leaky ReLU slope: expected a number in (0, 1), found " + slope);
        }
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    /**
     * Whether f' jumps at z = 0, as for the piecewise-linear kinds relu and leaky_relu: the gradient
     * check skips units that sit at the kink (SPEC.md §13), and the default initialisation is He
     * for these and Xavier for the others (§12).
     *
     * @return true for relu and leaky_relu
     */
    public boolean hasKink() {
        return kind == Kind.RELU || kind == Kind.LEAKY_RELU;
    }

    /**
     * f(z) for one value (SPEC.md §3); a NaN z gives NaN.
     *
     * @param z the pre-activation
     * @return a = f(z)
     */
    public double apply(double z) {
        switch (kind) {
            case IDENTITY:   return z;
            case RELU:       return z > 0.0 ? z : (z <= 0.0 ? 0.0 : z); // NaN stays NaN, so divergence shows
            case LEAKY_RELU: return z > 0.0 ? z : slope * z;
            case SIGMOID:    return sigmoid(z);
            case TANH:       return StrictMath.tanh(z);
            default:         throw new AssertionError(kind);
        }
    }

    /**
     * a = f(z), element by element.
     *
     * @param a output (N, O), overwritten
     * @param z input (N, O), not modified
     */
    public void forward(double[][] a, double[][] z) {
        forward(a, z, 0, z.length);
    }

    /** a = f(z) for the rows [from, to). */
    void forward(double[][] a, double[][] z, int from, int to) {
        for (int n = from; n < to; n++) {
            double[] zn = z[n];
            double[] an = a[n];
            for (int o = 0; o < zn.length; o++) {
                an[o] = apply(zn[o]);
            }
        }
    }

    /**
     * dz = da ⊙ f'(z): the chain rule through the activation.
     *
     * @param dz output (N, O), overwritten
     * @param da gradient of the objective with respect to a, (N, O), not modified
     * @param z  pre-activation of the forward pass, (N, O)
     * @param a  activation of the forward pass, (N, O)
     */
    public void backward(double[][] dz, double[][] da, double[][] z, double[][] a) {
        backward(dz, da, z, a, 0, z.length);
    }

    /** dz = da ⊙ f'(z) for the rows [from, to). */
    void backward(double[][] dz, double[][] da, double[][] z, double[][] a, int from, int to) {
        for (int n = from; n < to; n++) {
            double[] dzn = dz[n];
            double[] dan = da[n];
            double[] zn = z[n];
            double[] an = a[n];
            int O = zn.length;
            switch (kind) {
                case IDENTITY:
                    // a = z  ⇒  dz = da
                    System.arraycopy(dan, 0, dzn, 0, O);
                    break;
                case RELU:
                    // a = max(z, 0)  ⇒  dz = da if z > 0, else 0 (the kink z = 0 takes 0)
                    for (int o = 0; o < O; o++) dzn[o] = zn[o] > 0.0 ? dan[o] : 0.0;
                    break;
                case LEAKY_RELU:
                    // a = z if z > 0, else s·z  ⇒  dz = da if z > 0, else s·da
                    for (int o = 0; o < O; o++) dzn[o] = zn[o] > 0.0 ? dan[o] : slope * dan[o];
                    break;
                case SIGMOID:
                    // a = σ(z)  ⇒  dz = da · (a · (1 − a))
                    for (int o = 0; o < O; o++) dzn[o] = dan[o] * (an[o] * (1.0 - an[o]));
                    break;
                case TANH:
                    // a = tanh z  ⇒  dz = da · (1 − a·a)
                    for (int o = 0; o < O; o++) dzn[o] = dan[o] * (1.0 - an[o] * an[o]);
                    break;
                default:
                    throw new AssertionError(kind);
            }
        }
    }

    /**
     * σ(z) = 1 / (1 + e^−z), evaluated without overflow: for z ≥ 0 as 1 / (1 + e^−z), for z &lt; 0
     * as e^z / (1 + e^z), with {@code StrictMath.exp} (SPEC.md §3).
     *
     * @param z any double; ±∞ give 1 and 0, NaN gives NaN
     * @return σ(z) in [0, 1]
     */
    public static double sigmoid(double z) {
        if (z >= 0.0) {
            return 1.0 / (1.0 + StrictMath.exp(-z));
        }
        double e = StrictMath.exp(z);
        return e / (1.0 + e);
    }

    /**
     * The name used in SPEC.md and in files (model file §16, vector file §22.1).
     *
     * @return one of identity, relu, leaky_relu, sigmoid, tanh (the slope is not part of it)
     */
    public String name() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The activation of a file name (see {@link #name}); leaky_relu gives the default slope 0.01.
     *
     * @param name one of identity, relu, leaky_relu, sigmoid, tanh
     * @return the constant of that name
     * @throws IllegalArgumentException for any other name
     */
    public static Activation parse(String name) {
        for (Activation a : new Activation[] {IDENTITY, RELU, LEAKY_RELU, SIGMOID, TANH}) {
            if (a.name().equals(name)) return a;
        }
        throw new IllegalArgumentException("expected one of identity, relu, leaky_relu, sigmoid, tanh, found \"" + name + "\"");
    }

    @Override
    public String toString() {
        return kind == Kind.LEAKY_RELU ? name() + "(" + slope + ")" : name();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Activation)) return false;
        Activation that = (Activation) other;
        return kind == that.kind && Double.compare(slope, that.slope) == 0;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(slope);
    }
}
