package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static plainnet.Assert.assertSameBits;
import static plainnet.Assert.copy;
import static plainnet.Assert.gaussian;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariant: an unlabeled entry is never read. Whatever its label slot or its logit holds (NaN
 * included), the loss, every entry of dz and, through a network, every dW and db keep the same
 * bits. See SPEC.md, "Labels and the mask".
 */
class MaskInvariantTest {

    private static final long SEED = 20240611L;
    private static final int N = 6, K = 4;
    /** Values written into unlabeled slots; each must change nothing. */
    private static final double[] POISON = {Double.NaN, 1e6, -3.0, 0.5, Double.POSITIVE_INFINITY, -0.0};

    /** Which loss, so that the mask and labels suit it (softmax: whole rows, one-hot). */
    enum Kind { BCE, BCE_WEIGHTED, SOFTMAX, MSE }

    static Stream<Arguments> everyLossAndReduction() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Kind kind : Kind.values()) for (Reduction r : Reduction.values()) b.add(Arguments.of(kind, r));
        return b.build();
    }

    private static Loss loss(Kind kind, Reduction r) {
        switch (kind) {
            case BCE:          return new BinaryCrossEntropy(r);
            case BCE_WEIGHTED: return new BinaryCrossEntropy(r, new double[] {2.0, 0.5, 1.0, 0.0}, new double[] {3.0, 1.0, 0.25, 2.0});
            case SOFTMAX:      return new SoftmaxCrossEntropy(r);
            case MSE:          return new MeanSquaredError(r);
            default:           throw new AssertionError(kind);
        }
    }

    /** Labels (N, K) and a mask with about half the entries (or rows, for softmax) unlabeled. */
    private static double[][] labelsAndMask(Kind kind, Rng rng, boolean[][] mask) {
        double[][] y = new double[N][K];
        for (int n = 0; n < N; n++) {
            if (kind == Kind.SOFTMAX) {
                boolean labeled = n % 2 == 0 || rng.nextInt(2) == 0;
                java.util.Arrays.fill(mask[n], labeled);
                y[n][rng.nextInt(K)] = 1.0;
            } else {
                for (int k = 0; k < K; k++) {
                    mask[n][k] = rng.nextInt(2) == 0;
                    y[n][k] = kind == Kind.MSE ? rng.nextGaussian() : rng.nextDouble(); // soft labels for BCE
                }
            }
        }
        // at least one labeled and one unlabeled entry (softmax: row 0 is labeled since 0 is even)
        if (kind == Kind.SOFTMAX) {
            java.util.Arrays.fill(mask[1], false);
        } else {
            mask[0][0] = true;
            mask[1][2] = false;
        }
        return y;
    }

    /** y with every unlabeled slot set to v. */
    private static double[][] poisonLabels(double[][] y, boolean[][] mask, double v) {
        double[][] p = copy(y);
        for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) if (!mask[n][k]) p[n][k] = v;
        return p;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyLossAndReduction")
    void loss_unlabeledLabelOrLogitChanged_lossAndGradientBitIdentical(Kind kind, Reduction r) {
        Rng rng = new Rng(SEED);
        boolean[][] mask = new boolean[N][K];
        double[][] y = labelsAndMask(kind, rng, mask);
        double[][] z = gaussian(rng, N, K, 3.0);
        Loss loss = loss(kind, r);
        Targets t = new Targets(y, mask);
        double J = loss.forward(z, t);
        double[][] dz = new double[N][K];
        loss.backward(dz, z, t);
        assertThat(J).isFinite();

        for (double v : POISON) {
            // the label slot of every unlabeled entry
            Targets tv = new Targets(poisonLabels(y, mask, v), mask);
            double[][] dzv = new double[N][K];
            loss.backward(dzv, z, tv);
            assertThat(Double.doubleToRawLongBits(loss.forward(z, tv))).as("J bits with unlabeled labels = " + v)
                .isEqualTo(Double.doubleToRawLongBits(J));
            assertSameBits("dz with unlabeled labels = " + v, dz, dzv);

            // the logit of every unlabeled entry (the labels untouched)
            double[][] zv = poisonLabels(z, mask, v);
            double[][] dzz = new double[N][K];
            loss.backward(dzz, zv, t);
            assertThat(Double.doubleToRawLongBits(loss.forward(zv, t))).as("J bits with unlabeled logits = " + v)
                .isEqualTo(Double.doubleToRawLongBits(J));
            assertSameBits("dz with unlabeled logits = " + v, dz, dzz);
        }
        // the invariant must not hold vacuously: the labeled entries do carry gradient
        boolean anyNonzero = false;
        for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) if (mask[n][k] && dz[n][k] != 0.0) anyNonzero = true;
        assertThat(anyNonzero).as("some labeled dz is nonzero").isTrue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyLossAndReduction")
    void networkBackward_unlabeledLabelChanged_everyLayerGradientBitIdentical(Kind kind, Reduction r) {
        Rng rng = new Rng(SEED + 1);
        Network net = new Network(
            new Dense(5, 7, Activation.TANH, rng),
            new Dense(7, 6, Activation.RELU, rng),
            new Dense(6, K, Activation.IDENTITY, rng));
        double[][] x = gaussian(rng, N, 5, 1.0);
        boolean[][] mask = new boolean[N][K];
        double[][] y = labelsAndMask(kind, rng, mask);
        Loss loss = loss(kind, r);

        double[][][] dW0 = gradients(net, x, loss, new Targets(y, mask));
        for (double v : POISON) {
            double[][][] dWv = gradients(net, x, loss, new Targets(poisonLabels(y, mask, v), mask));
            for (int j = 0; j < dW0.length; j++) {
                assertSameBits("layer " + (j / 2) + (j % 2 == 0 ? " dW" : " db") + " with unlabeled labels = " + v, dW0[j], dWv[j]);
            }
        }
    }

    /** dW and db of every layer (copies) after zeroGrad, forward, loss backward and backward. */
    private static double[][][] gradients(Network net, double[][] x, Loss loss, Targets t) {
        net.zeroGrad();
        double[][] out = net.forward(x);
        double[][] dout = new double[out.length][out[0].length];
        loss.backward(dout, out, t);
        net.backward(dout);
        double[][][] g = new double[2 * net.size()][][];
        for (int l = 0; l < net.size(); l++) {
            g[2 * l] = copy(net.layer(l).dW);
            g[2 * l + 1] = new double[][] {net.layer(l).db.clone()};
        }
        return g;
    }
}
