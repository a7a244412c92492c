package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * {@link Loss#forwardBackward}, the one-pass loss call of the training loop, gives exactly the
 * bits of {@link Loss#forward} and {@link Loss#backward} called apart; and the BCE gradient,
 * now from one e^−|z| per entry, gives exactly the bits of its formula written with
 * {@link Activation#sigmoid} on z and on −z (SPEC.md §8.1).
 */
class LossForwardBackwardTest {

    /** Logits that reach every branch: signed zeros, both signs, large enough to saturate, and random ones. */
    private static final double[] SPECIAL = {0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 1.0, -1.0, 16.0, -16.0, 30.0, -30.0, 40.0, -40.0, 700.0, -700.0, 1e4, -1e4};

    private static double[][] logits(Rng rng, int N, int K) {
        double[][] z = Assert.gaussian(rng, N, K, 4.0);
        for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) if (rng.nextDouble() < 0.3) z[n][k] = SPECIAL[rng.nextInt(SPECIAL.length)];
        return z;
    }

    /** dz filled with garbage first, so a forgotten write shows. */
    private static double[][] garbage(int N, int K) {
        double[][] dz = new double[N][K];
        for (double[] row : dz) java.util.Arrays.fill(row, Double.NaN);
        return dz;
    }

    private static void assertSameAsApart(String name, Loss loss, double[][] z, Targets t) {
        int N = z.length, K = z[0].length;
        double J = loss.forward(z, t);
        double[][] dz = garbage(N, K);
        loss.backward(dz, z, t);
        double[][] dzOne = garbage(N, K);
        double JOne = loss.forwardBackward(dzOne, z, t);
        assertThat(Double.doubleToRawLongBits(JOne)).as(name + ": J bits (" + J + " apart, " + JOne + " in one pass)").isEqualTo(Double.doubleToRawLongBits(J));
        Assert.assertSameBits(name + ": dz", dz, dzOne);
    }

    @Test
    void forwardBackward_binaryCrossEntropy_sameBitsAsForwardThenBackward() {
        Rng rng = new Rng(11);
        for (int c = 0; c < 40; c++) {
            int N = 1 + rng.nextInt(20), K = 1 + rng.nextInt(6);
            double[][] y = new double[N][K];
            boolean[][] m = new boolean[N][K];
            for (int n = 0; n < N; n++) {
                for (int k = 0; k < K; k++) {
                    double u = rng.nextDouble();
                    y[n][k] = u < 0.4 ? 0.0 : u < 0.8 ? 1.0 : rng.nextDouble(); // hard and soft labels
                    m[n][k] = c % 10 == 0 ? false : rng.nextDouble() < 0.8;     // some cases with nothing labeled
                }
            }
            double[] w = null, p = null;
            if (c % 3 == 1) {
                w = new double[K];
                p = new double[K];
                for (int k = 0; k < K; k++) {
                    w[k] = k == 0 ? 0.0 : 3 * rng.nextDouble();
                    p[k] = 0.001 + 5 * rng.nextDouble();
                }
            }
            Reduction r = Reduction.values()[c % Reduction.values().length];
            assertSameAsApart("bce case " + c + " " + r, new BinaryCrossEntropy(r, w, p), logits(rng, N, K), new Targets(y, m));
        }
    }

    @Test
    void forwardBackward_softmaxCrossEntropy_sameBitsAsForwardThenBackward() {
        Rng rng = new Rng(12);
        for (int c = 0; c < 40; c++) {
            int N = 1 + rng.nextInt(20), K = 1 + rng.nextInt(6);
            int[] classes = new int[N];
            for (int n = 0; n < N; n++) classes[n] = c % 10 == 0 || rng.nextDouble() < 0.2 ? -1 : rng.nextInt(K);
            Reduction r = Reduction.values()[c % Reduction.values().length];
            assertSameAsApart("softmax case " + c + " " + r, new SoftmaxCrossEntropy(r), logits(rng, N, K), Targets.ofClasses(classes, K));
        }
        // soft labels: each labeled row sums to 1
        double[][] y = {{0.25, 0.75, 0.0}, {0.5, 0.25, 0.25}};
        assertSameAsApart("softmax soft labels", new SoftmaxCrossEntropy(), new double[][] {{1.0, -2.0, 30.0}, {-700.0, 0.0, -0.0}}, Targets.of(y));
    }

    @Test
    void forwardBackward_squaredError_sameBitsAsForwardThenBackward() {
        Rng rng = new Rng(13);
        for (int c = 0; c < 40; c++) {
            int N = 1 + rng.nextInt(20), K = 1 + rng.nextInt(6);
            double[][] y = Assert.gaussian(rng, N, K, 2.0);
            boolean[][] m = new boolean[N][K];
            for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) m[n][k] = c % 10 != 0 && rng.nextDouble() < 0.8;
            double[] w = null;
            if (c % 3 == 1) {
                w = new double[K];
                for (int k = 0; k < K; k++) w[k] = 3 * rng.nextDouble();
            }
            Reduction r = Reduction.values()[c % Reduction.values().length];
            assertSameAsApart("mse case " + c + " " + r, new MeanSquaredError(r, w), logits(rng, N, K), new Targets(y, m));
        }
    }

    @Test
    void grad_oneExp_sameBitsAsSigmoidOfZAndMinusZ() {
        Rng rng = new Rng(14);
        double[] ys = {0.0, 1.0, 0.25, 0.9};
        double[] ps = {1.0, 3.0, 0.001};
        for (int j = 0; j < 4000; j++) {
            double z = j < SPECIAL.length ? SPECIAL[j] : (rng.nextDouble() - 0.5) * (j % 2 == 0 ? 10 : 1500);
            for (double y : ys) {
                for (double p : ps) {
                    // SPEC.md 8.1 written out: (1 − y)·σ(z) − (p·y)·σ(−z)
                    double expected = (1.0 - y) * Activation.sigmoid(z) - p * y * Activation.sigmoid(-z);
                    double actual = BinaryCrossEntropy.grad(z, y, p);
                    assertThat(Double.doubleToRawLongBits(actual)).as("grad(" + z + ", " + y + ", " + p + "): " + expected + " expected, " + actual + " found")
                        .isEqualTo(Double.doubleToRawLongBits(expected));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // bad input to forwardBackward (and backward): the checks of ValidationTest, on the one-pass call

    /** Asserts an IllegalArgumentException whose message contains "expected" and every fragment. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(ThrowingCallable call, String... fragments) {
        AbstractThrowableAssert<?, ? extends Throwable> a = assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("expected");
        for (String f : fragments) a.hasMessageContaining(f);
        return a;
    }

    private static final Loss[] LOSSES = {new BinaryCrossEntropy(), new SoftmaxCrossEntropy(), new MeanSquaredError()};

    @Test
    void forwardBackward_dzWrongShape_namesExpectedAndFound() {
        Targets t = Targets.ofClasses(new int[] {0, 1}, 2); // one-hot: valid for all three losses
        for (Loss loss : LOSSES) {
            assertRejected(() -> loss.forwardBackward(new double[1][2], new double[2][2], t), "dz", "expected 2 rows", "found 1");
            assertRejected(() -> loss.forwardBackward(new double[][] {{0, 0}, {0, 0, 0}}, new double[2][2], t), "dz[1]", "expected 2 columns", "found 3");
            assertRejected(() -> loss.forwardBackward(null, new double[2][2], t), "dz", "found null");
        }
    }

    @Test
    void forwardBackward_labelOutOfRange_namesEntryAndValue() {
        Targets bce = Targets.of(new double[][] {{0.0, 1.5}});
        assertRejected(() -> new BinaryCrossEntropy().forwardBackward(new double[1][2], new double[1][2], bce), "labels y[0][1]", "[0.0, 1.0]", "found 1.5");
        // a class index outside 0 … K−1 cannot become Targets at all
        assertRejected(() -> Targets.ofClasses(new int[] {0, 3}, 3), "classes c[1]", "[0, 2]", "found 3");
        // not one-hot: a labeled row whose labels do not sum to 1
        Targets notOneHot = Targets.of(new double[][] {{1.0, 0.0, 0.0}, {1.0, 1.0, 0.0}});
        assertRejected(() -> new SoftmaxCrossEntropy().forwardBackward(new double[2][3], new double[2][3], notOneHot), "labels y[1]", "summing to 1", "found a sum of 2.0");
        Targets negative = Targets.of(new double[][] {{1.25, -0.25}});
        assertRejected(() -> new SoftmaxCrossEntropy().forwardBackward(new double[1][2], new double[1][2], negative), "labels y[0][", "found");
    }

    @Test
    void forwardBackward_nullTargets_rejected() {
        for (Loss loss : LOSSES) {
            assertRejected(() -> loss.forwardBackward(new double[1][2], new double[1][2], null), "targets", "found null");
        }
    }

    @Test
    void forwardBackward_dzIsZ_rejected() {
        // In place, the softmax would overwrite z[n][k] with e^(z_nk − m) before ℓ reads z[n][k]: a
        // wrong J without an error. The element-wise losses would come out right, but all three
        // refuse alike (SPEC.md §8), in forwardBackward and in backward.
        Targets t = Targets.ofClasses(new int[] {0, 1}, 2);
        for (Loss loss : LOSSES) {
            double[][] z = {{1.0, -2.0}, {0.5, 3.0}};
            assertRejected(() -> loss.forwardBackward(z, z, t), "dz", "different from the input z", "found the same array");
            assertRejected(() -> loss.backward(z, z, t), "dz", "different from the input z", "found the same array");
            double[][] dz = {new double[2], z[1]}; // one shared row
            assertRejected(() -> loss.forwardBackward(dz, z, t), "dz[1]", "different from the input row z[1]", "found the same array");
            assertRejected(() -> loss.backward(dz, z, t), "dz[1]", "different from the input row z[1]", "found the same array");
            assertThat(z).as(loss.name() + ": z untouched by the refused calls").isDeepEqualTo(new double[][] {{1.0, -2.0}, {0.5, 3.0}});
        }
    }
}
