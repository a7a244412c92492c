package plainnet;


import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dense and Network backward checked without GradCheck: against a straightforward reference
 * written here from the math, and against a case computed on paper.
 *
 * <pre>
 *   z = x·Wᵀ + b,  a = f(z)
 *   dz = da ⊙ f'(z),  dW = dzᵀ·x,  db = Σₙ dz,  dx = dz·W
 * </pre>
 *
 * <p>Index letters: N rows (n), I inputs (i), H hidden units (h), K outputs (k); o is the
 * output unit of whichever layer.
 */
final class BackwardIndependentTest {

    /** Library versus the reference: both sum the same terms, maybe in another order or with Math vs StrictMath. */
    private static final double REFERENCE_TOL = 1e-12;
    /** Paper values that are dyadic rationals: every operation on them is exact. */
    private static final double EXACT = 0.0;
    /** Paper values involving e or log: one or two roundings apart. */
    private static final double PAPER_TOL = 1e-15;

    // A 2 -> 3 -> 2 net with hand-set small parameters. No pre-activation is 0 for X below
    // (layer 0 gives z between −0.57 and 0.85, none closer to 0 than 0.03), so relu is differentiable.
    private static final double[][] W0 = {{0.3, -0.2}, {-0.5, 0.4}, {0.1, 0.25}}; // (H, I)
    private static final double[] B0 = {0.05, -0.1, 0.2};                          // (H)
    private static final double[][] W1 = {{0.6, -0.3, 0.2}, {-0.4, 0.5, 0.7}};     // (K, H)
    private static final double[] B1 = {0.1, -0.05};                               // (K)
    private static final double[][] X = {{1.0, 2.0}, {-1.5, 0.5}, {0.3, -0.8}};     // (N, I)
    /** An arbitrary upstream gradient ∂J/∂a_L (N, K): no loss code is involved. */
    private static final double[][] DOUT = {{0.7, -1.1}, {0.2, 0.4}, {-0.6, 0.9}};

    private static final Activation[] ALL = {
        Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU, Activation.leakyRelu(0.2), Activation.SIGMOID, Activation.TANH,
    };

    // ----------------------------------------------------------------------------------------
    // the reference, from the math

    /** f(z), written from the definitions with Math (the library uses StrictMath). */
    private static double f(Activation act, double z) {
        switch (act.kind) {
            case IDENTITY:   return z;
            case RELU:       return Math.max(z, 0.0);
            case LEAKY_RELU: return z > 0 ? z : act.slope * z;
            case SIGMOID:    return 1.0 / (1.0 + Math.exp(-z));
            case TANH:       return Math.tanh(z);
            default:         throw new AssertionError(act);
        }
    }

    /** f'(z), from z (the library's backward uses a for sigmoid and tanh). */
    private static double fPrime(Activation act, double z) {
        switch (act.kind) {
            case IDENTITY:   return 1.0;
            case RELU:       return z > 0 ? 1.0 : 0.0;
            case LEAKY_RELU: return z > 0 ? 1.0 : act.slope;
            case SIGMOID: {
                double s = 1.0 / (1.0 + Math.exp(-z));
                return s * (1.0 - s);
            }
            case TANH: {
                double t = Math.tanh(z);
                return 1.0 - t * t;
            }
            default: throw new AssertionError(act);
        }
    }

    /** One layer of the reference: the forward values and the gradients of one backward. */
    private static final class RefLayer {
        double[][] z, a;       // (N, O)
        double[][] dz;         // (N, O)
        double[][] dW;         // (O, I)
        double[] db;           // (O)
        double[][] dx;         // (N, I)

        RefLayer(double[][] x, double[][] W, double[] b, Activation act) {
            int N = x.length, O = W.length, I = W[0].length;
            z = new double[N][O];
            a = new double[N][O];
            for (int n = 0; n < N; n++) {
                for (int o = 0; o < O; o++) {
                    double s = b[o];
                    for (int i = 0; i < I; i++) s += x[n][i] * W[o][i];
                    z[n][o] = s;
                    a[n][o] = f(act, s);
                }
            }
        }

        void backward(double[][] da, double[][] x, double[][] W, Activation act) {
            int N = x.length, O = W.length, I = W[0].length;
            dz = new double[N][O];
            for (int n = 0; n < N; n++) for (int o = 0; o < O; o++) dz[n][o] = da[n][o] * fPrime(act, z[n][o]);
            dW = new double[O][I];
            db = new double[O];
            for (int o = 0; o < O; o++) {
                for (int n = 0; n < N; n++) {
                    db[o] += dz[n][o];
                    for (int i = 0; i < I; i++) dW[o][i] += dz[n][o] * x[n][i];
                }
            }
            dx = new double[N][I];
            for (int n = 0; n < N; n++) for (int i = 0; i < I; i++) for (int o = 0; o < O; o++) dx[n][i] += dz[n][o] * W[o][i];
        }
    }

    /** The reference two-layer pass: [layer 0, layer 1], both with their backward done. */
    private static RefLayer[] reference(Activation hidden, Activation out) {
        RefLayer l0 = new RefLayer(X, W0, B0, hidden);
        RefLayer l1 = new RefLayer(l0.a, W1, B1, out);
        l1.backward(DOUT, l0.a, W1, out);
        l0.backward(l1.dx, X, W0, hidden);
        return new RefLayer[] {l0, l1};
    }

    static Stream<Arguments> activationPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (Activation hidden : ALL) for (Activation out : ALL) pairs.add(Arguments.of(hidden, out));
        return pairs.stream();
    }

    // ----------------------------------------------------------------------------------------
    // against the reference

    @ParameterizedTest(name = "hidden {0}, output {1}")
    @MethodSource("activationPairs")
    void backwardToInput_twoLayerNet_matchesReferenceFromTheMath(Activation hidden, Activation out) {
        RefLayer[] ref = reference(hidden, out);
        Network net = new Network(new Dense(W0, B0, hidden), new Dense(W1, B1, out));

        double[][] a = net.forward(X);
        Assert.assertClose("a_1 (output)", ref[1].a, a, REFERENCE_TOL);
        Assert.assertClose("z_0", ref[0].z, net.preActivation(0), REFERENCE_TOL);
        double[][] dx = net.backwardToInput(DOUT);

        Assert.assertClose("layer 1 dW", ref[1].dW, net.layer(1).dW, REFERENCE_TOL);
        Assert.assertClose("layer 1 db", new double[][] {ref[1].db}, new double[][] {net.layer(1).db}, REFERENCE_TOL);
        Assert.assertClose("layer 0 dW", ref[0].dW, net.layer(0).dW, REFERENCE_TOL);
        Assert.assertClose("layer 0 db", new double[][] {ref[0].db}, new double[][] {net.layer(0).db}, REFERENCE_TOL);
        Assert.assertClose("dx", ref[0].dx, dx, REFERENCE_TOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void denseBackward_garbageInOutputBuffers_overwritesDzAndDxWithReference(Activation act) {
        RefLayer ref = new RefLayer(X, W0, B0, act);
        double[][] da = {{0.5, -0.25, 1.5}, {-1.0, 0.75, 0.1}, {0.3, 0.2, -0.9}}; // (N, H)
        ref.backward(da, X, W0, act);
        Dense layer = new Dense(W0, B0, act);
        double[][] z = garbage(3, 3), a = garbage(3, 3), dz = garbage(3, 3), dx = garbage(3, 2);

        layer.forward(z, a, X);
        layer.backward(dx, dz, da, X, z, a);

        Assert.assertClose("z", ref.z, z, REFERENCE_TOL);
        Assert.assertClose("a", ref.a, a, REFERENCE_TOL);
        Assert.assertClose("dz", ref.dz, dz, REFERENCE_TOL);
        Assert.assertClose("dW", ref.dW, layer.dW, REFERENCE_TOL);
        Assert.assertClose("db", new double[][] {ref.db}, new double[][] {layer.db}, REFERENCE_TOL);
        Assert.assertClose("dx", ref.dx, dx, REFERENCE_TOL);
    }

    static Stream<Activation> activations() {
        return Stream.of(ALL);
    }

    @Test
    void backward_calledTwice_accumulatesTwiceTheReference() {
        RefLayer[] ref = reference(Activation.TANH, Activation.SIGMOID);
        Network net = new Network(new Dense(W0, B0, Activation.TANH), new Dense(W1, B1, Activation.SIGMOID));

        net.forward(X);
        net.backward(DOUT);
        net.backward(DOUT);

        for (int l = 0; l < 2; l++) {
            Assert.assertClose("layer " + l + " dW", scale(2.0, ref[l].dW), net.layer(l).dW, REFERENCE_TOL);
            Assert.assertClose("layer " + l + " db", scale(2.0, new double[][] {ref[l].db}), new double[][] {net.layer(l).db}, REFERENCE_TOL);
        }
    }

    @Test
    void backwardToInput_bottomLayerFrozen_dxMatchesReferenceAndFrozenGradientUntouched() {
        RefLayer[] ref = reference(Activation.RELU, Activation.IDENTITY);
        Network net = new Network(new Dense(W0, B0, Activation.RELU), new Dense(W1, B1, Activation.IDENTITY));
        net.layer(0).setTrainable(false);
        for (double[] row : net.layer(0).dW) java.util.Arrays.fill(row, 7.0);
        java.util.Arrays.fill(net.layer(0).db, -3.0);

        net.forward(X);
        double[][] dx = net.backwardToInput(DOUT);

        Assert.assertClose("layer 1 dW", ref[1].dW, net.layer(1).dW, REFERENCE_TOL);
        Assert.assertClose("dx through the frozen layer", ref[0].dx, dx, REFERENCE_TOL);
        Assert.assertSameBits("frozen layer 0 dW", new double[][] {{7.0, 7.0}, {7.0, 7.0}, {7.0, 7.0}}, net.layer(0).dW);
        Assert.assertSameBits("frozen layer 0 db", new double[] {-3.0, -3.0, -3.0}, net.layer(0).db);
    }

    @Test
    void backward_headFrozen_gradientPassesThroughToTrainableBottomLayer() {
        RefLayer[] ref = reference(Activation.SIGMOID, Activation.TANH);
        Network net = new Network(new Dense(W0, B0, Activation.SIGMOID), new Dense(W1, B1, Activation.TANH));
        net.layer(1).setTrainable(false);

        net.forward(X);
        net.backward(DOUT);

        Assert.assertClose("layer 0 dW below the frozen head", ref[0].dW, net.layer(0).dW, REFERENCE_TOL);
        Assert.assertClose("layer 0 db below the frozen head", new double[][] {ref[0].db}, new double[][] {net.layer(0).db}, REFERENCE_TOL);
        Assert.assertSameBits("frozen head dW", new double[2][3], net.layer(1).dW);
        Assert.assertSameBits("frozen head db", new double[2], net.layer(1).db);
    }

    // ----------------------------------------------------------------------------------------
    // computed on paper: x → 1 relu unit → 1 output logit, binary cross-entropy, one row

    /**
     * x = 2;  layer 0: w = 0.5, b = −0.5, relu;  layer 1: w = 2, b = −1, identity;  y = 1;
     * binary cross-entropy, per-example reduction, N = 1.
     *
     * <pre>
     *   forward    z₀ = 0.5·2 − 0.5 = 0.5 &gt; 0     ⇒  a₀ = 0.5
     *              z₁ = 2·0.5 − 1 = 0              ⇒  σ(z₁) = 1/2
     *              J = −log σ(0) = log 2
     *   backward   dz₁ = σ(z₁) − y = −1/2
     *              dW₁ = dz₁·a₀ = −1/4,   db₁ = dz₁ = −1/2
     *              da₀ = dz₁·w₁ = −1,     dz₀ = da₀·[z₀ &gt; 0] = −1
     *              dW₀ = dz₀·x = −2,      db₀ = dz₀ = −1,    dx = dz₀·w₀ = −1/2
     * </pre>
     * Every value but J is a dyadic rational, so the library must give them exactly.
     */
    @Test
    void backwardToInput_handComputedReluBceActiveUnit_matchesPaper() {
        Network net = new Network(
            new Dense(new double[][] {{0.5}}, new double[] {-0.5}, Activation.RELU),
            new Dense(new double[][] {{2.0}}, new double[] {-1.0}, Activation.IDENTITY));
        double[][] x = {{2.0}};
        Targets t = Targets.of(new double[][] {{1.0}});
        Loss loss = new BinaryCrossEntropy();

        double[][] out = net.forward(x);
        double J = loss.forward(out, t);
        double[][] dout = new double[1][1];
        loss.backward(dout, out, t);
        double[][] dx = net.backwardToInput(dout);

        Assert.assertClose("a_0", 0.5, net.activation(0)[0][0], EXACT);
        Assert.assertClose("z_1", 0.0, out[0][0], EXACT);
        Assert.assertClose("J", Math.log(2.0), J, PAPER_TOL);
        Assert.assertClose("dz_1", -0.5, dout[0][0], EXACT);
        Assert.assertClose("dW_1", -0.25, net.layer(1).dW[0][0], EXACT);
        Assert.assertClose("db_1", -0.5, net.layer(1).db[0], EXACT);
        Assert.assertClose("dW_0", -2.0, net.layer(0).dW[0][0], EXACT);
        Assert.assertClose("db_0", -1.0, net.layer(0).db[0], EXACT);
        Assert.assertClose("dx", -0.5, dx[0][0], EXACT);
    }

    /**
     * The same net with x = −2, so the relu unit is off.
     *
     * <pre>
     *   forward    z₀ = 0.5·(−2) − 0.5 = −1.5 &lt; 0   ⇒  a₀ = 0
     *              z₁ = 2·0 − 1 = −1               ⇒  σ(−1) = 1/(1 + e)
     *              J = −log σ(−1) = log(1 + e)
     *   backward   dz₁ = σ(−1) − 1 = −e/(1 + e)
     *              dW₁ = dz₁·a₀ = 0,   db₁ = −e/(1 + e)
     *              da₀ = dz₁·w₁ = −2e/(1 + e),   dz₀ = da₀·[z₀ &gt; 0] = 0
     *              dW₀ = 0,   db₀ = 0,   dx = 0
     * </pre>
     */
    @Test
    void backwardToInput_handComputedReluBceInactiveUnit_matchesPaper() {
        Network net = new Network(
            new Dense(new double[][] {{0.5}}, new double[] {-0.5}, Activation.RELU),
            new Dense(new double[][] {{2.0}}, new double[] {-1.0}, Activation.IDENTITY));
        double[][] x = {{-2.0}};
        Targets t = Targets.of(new double[][] {{1.0}});
        Loss loss = new BinaryCrossEntropy();

        double[][] out = net.forward(x);
        double J = loss.forward(out, t);
        double[][] dout = new double[1][1];
        loss.backward(dout, out, t);
        double[][] dx = net.backwardToInput(dout);

        double e = Math.E;
        Assert.assertClose("a_0", 0.0, net.activation(0)[0][0], EXACT);
        Assert.assertClose("z_1", -1.0, out[0][0], EXACT);
        Assert.assertClose("J", Math.log(1.0 + e), J, PAPER_TOL);
        Assert.assertClose("dz_1", -e / (1.0 + e), dout[0][0], PAPER_TOL);
        Assert.assertClose("dW_1", 0.0, net.layer(1).dW[0][0], EXACT);
        Assert.assertClose("db_1", -e / (1.0 + e), net.layer(1).db[0], PAPER_TOL);
        Assert.assertClose("dW_0", 0.0, net.layer(0).dW[0][0], EXACT);
        Assert.assertClose("db_0", 0.0, net.layer(0).db[0], EXACT);
        Assert.assertClose("dx", 0.0, dx[0][0], EXACT);
    }

    // ----------------------------------------------------------------------------------------

    private static double[][] garbage(int rows, int cols) {
        double[][] g = new double[rows][cols];
        for (double[] row : g) java.util.Arrays.fill(row, Double.NaN);
        return g;
    }

    private static double[][] scale(double s, double[][] a) {
        double[][] c = Assert.copy(a);
        for (double[] row : c) for (int j = 0; j < row.length; j++) row[j] *= s;
        return c;
    }
}
