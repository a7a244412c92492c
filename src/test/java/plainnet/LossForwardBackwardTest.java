package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

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
}
