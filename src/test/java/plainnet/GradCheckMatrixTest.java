package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference gradient checks over the whole matrix: hidden activation × loss × reduction ×
 * label pattern × freeze pattern × weight decay, plus random shapes. Every check runs
 * {@link GradCheck#run} with the default ε and threshold and must pass; its report must list
 * exactly the trainable layers' W and b and the input x.
 *
 * <p>Index letters: N rows (n), I inputs (i), K outputs (k), l the layer index. Labels at
 * unlabeled positions hold NaN, ±Infinity or out-of-range garbage, to prove they are never read.
 */
final class GradCheckMatrixTest {

    // The matrix net: I -> H1 -> H2 -> H3 -> K, hidden layers share one activation, head identity.
    private static final int I = 3, H1 = 4, H2 = 3, H3 = 3, K = 3, N = 5;
    /** Coupled L2 strength λ when weight decay is on. */
    private static final double L2 = 0.1;
    /** Scale of the random biases (the initialisers set b = 0, which would hide bias-path errors). */
    private static final double BIAS_SCALE = 0.1;
    /** Fraction of units left unlabeled by the random label pattern. */
    private static final double UNLABELED_FRACTION = 0.3;

    private static final double[] BCE_TASK_WEIGHT = {0.5, 2.0, 1.25};
    private static final double[] BCE_POS_WEIGHT = {3.0, 0.25, 1.0};
    private static final double[] MSE_WEIGHT = {1.5, 0.0, 0.7};

    /** Values stored at unlabeled positions: never read, so any of them must be harmless. */
    private static final double[] GARBAGE = {Double.NaN, Double.POSITIVE_INFINITY, -42.0, 1e300, Double.NEGATIVE_INFINITY, 7.5};

    static final Activation[] HIDDEN = {
        Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU, Activation.leakyRelu(0.2), Activation.SIGMOID, Activation.TANH,
    };

    enum LossKind { BCE, BCE_WEIGHTED, MSE, MSE_WEIGHTED, SOFTMAX }

    enum Labels {
        ALL, RANDOM_30_PERCENT, ONE_ROW_UNLABELED, ONE_COLUMN_UNLABELED, NONE;

        /** Softmax rows are labeled as a whole, so a column pattern does not apply to it. */
        boolean appliesTo(LossKind loss) {
            return !(loss == LossKind.SOFTMAX && this == ONE_COLUMN_UNLABELED);
        }
    }

    enum Freeze { NONE, BOTTOM, MIDDLE, ALL_BUT_HEAD, ALL }

    record Case(Activation hidden, LossKind loss, Reduction reduction, Labels labels, Freeze freeze, boolean decay, long seed) {
        @Override
        public String toString() {
            return "hidden " + hidden + ", " + loss + ", " + reduction + ", labels " + labels + ", freeze " + freeze
                + ", l2 " + (decay ? L2 : 0.0) + ", seed " + seed;
        }
    }

    static Stream<Case> matrix() {
        List<Case> cases = new ArrayList<>();
        long seed = 1;
        for (Activation f : HIDDEN)
            for (LossKind loss : LossKind.values())
                for (Reduction reduction : Reduction.values())
                    for (Labels labels : Labels.values())
                        for (Freeze freeze : Freeze.values())
                            for (boolean decay : new boolean[] {false, true}) {
                                if (labels.appliesTo(loss)) cases.add(new Case(f, loss, reduction, labels, freeze, decay, seed));
                                seed++;
                            }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void run_matrixCombination_analyticGradientMatchesFiniteDifferences(Case c) {
        Rng rng = new Rng(c.seed);
        Network net = new Network(
            new Dense(I, H1, c.hidden, rng),
            new Dense(H1, H2, c.hidden, rng),
            new Dense(H2, H3, c.hidden, rng),
            new Dense(H3, K, Activation.IDENTITY, rng));
        randomiseBiases(net, rng);
        switch (c.freeze) {
            case NONE:         break;
            case BOTTOM:       net.freeze(0, 2); break;
            case MIDDLE:       net.freeze(1, 2); break;
            case ALL_BUT_HEAD: net.freeze(0, 3); break;
            case ALL:          net.freeze(0, 4); break;
        }
        double[][] x = Assert.gaussian(rng, N, I, 1.0);
        Targets t = targets(c.loss, c.labels, N, K, rng);
        Loss loss = loss(c.loss, c.reduction);
        double l2 = c.decay ? L2 : 0.0;
        double J = objective(net, loss, x, t, l2);

        GradCheck.Report report = GradCheck.run(net, loss, x, t, l2, GradCheck.EPS, GradCheck.THRESHOLD);

        assertGradCheckPassed(report, J, c.toString());
        assertReportCoversTrainableArraysAndInput(net, x, report);
        assertGradientNonTrivialExactlyWhenLabeled(net, t, c.toString());
        assertTrainingBackwardMatchesCheckedBackward(net, loss, x, t, c.toString());
    }

    // ----------------------------------------------------------------------------------------
    // random shapes

    record RandomCase(long seed, int[] widths, Activation[] f, LossKind loss, Reduction reduction, Labels labels,
                      boolean[] frozen, boolean decay, int rows) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("seed " + seed + ": N " + rows + ", net " + widths[0]);
            for (int l = 0; l < f.length; l++) s.append(" -").append(f[l]).append(frozen[l] ? "(frozen)" : "").append("-> ").append(widths[l + 1]);
            return s.append(", ").append(loss).append(", ").append(reduction).append(", labels ").append(labels)
                .append(", l2 ").append(decay ? L2 : 0.0).toString();
        }
    }

    /** Networks of 3–4 layers, widths 1..7, batch 1..5, mixed hidden activations, random everything else. */
    static Stream<RandomCase> randomShapes() {
        List<RandomCase> cases = new ArrayList<>();
        for (long seed = 1001; seed <= 1060; seed++) {
            Rng rng = new Rng(seed);
            int L = 3 + rng.nextInt(2);
            int[] widths = new int[L + 1];
            for (int l = 0; l <= L; l++) widths[l] = 1 + rng.nextInt(7);
            Activation[] f = new Activation[L];
            for (int l = 0; l < L - 1; l++) f[l] = HIDDEN[rng.nextInt(HIDDEN.length)];
            f[L - 1] = Activation.IDENTITY;
            LossKind loss = LossKind.values()[rng.nextInt(LossKind.values().length)];
            if (widths[L] != K && loss == LossKind.BCE_WEIGHTED) loss = LossKind.BCE; // the weights have K entries
            if (widths[L] != K && loss == LossKind.MSE_WEIGHTED) loss = LossKind.MSE;
            Reduction reduction = Reduction.values()[rng.nextInt(Reduction.values().length)];
            Labels labels;
            do labels = Labels.values()[rng.nextInt(Labels.values().length)]; while (!labels.appliesTo(loss));
            boolean[] frozen = new boolean[L];
            for (int l = 0; l < L; l++) frozen[l] = rng.nextDouble() < 0.3;
            boolean decay = rng.nextInt(2) == 1;
            int rows = 1 + rng.nextInt(5);
            cases.add(new RandomCase(seed, widths, f, loss, reduction, labels, frozen, decay, rows));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomShapes")
    void run_randomShape_analyticGradientMatchesFiniteDifferences(RandomCase c) {
        Rng rng = new Rng(c.seed * 7919);
        List<Dense> layers = new ArrayList<>();
        for (int l = 0; l < c.f.length; l++) layers.add(new Dense(c.widths[l], c.widths[l + 1], c.f[l], rng));
        Network net = new Network(layers);
        randomiseBiases(net, rng);
        for (int l = 0; l < c.f.length; l++) net.layer(l).setTrainable(!c.frozen[l]);
        int outputs = c.widths[c.f.length];
        double[][] x = Assert.gaussian(rng, c.rows, c.widths[0], 1.0);
        Targets t = targets(c.loss, c.labels, c.rows, outputs, rng);
        Loss loss = loss(c.loss, c.reduction);
        double l2 = c.decay ? L2 : 0.0;
        double J = objective(net, loss, x, t, l2);

        GradCheck.Report report = GradCheck.run(net, loss, x, t, l2, GradCheck.EPS, GradCheck.THRESHOLD);

        assertGradCheckPassed(report, J, c.toString());
        assertReportCoversTrainableArraysAndInput(net, x, report);
    }

    // ----------------------------------------------------------------------------------------
    // helpers (also used by GradCheckTest)

    /**
     * The report passed at the default threshold 1e-7, or every array that missed it did so only
     * by the roundoff of the central difference, which is printed.
     *
     * <p>Why an allowance: ĝ = (J₊ − J₋)/(2ε) carries an absolute rounding error of a few
     * ulp(J)/(2ε) whatever the array, while r divides by the array's own gradient norm. When that
     * norm is ~1e-6 of |J|, r exceeds 1e-7 from rounding alone. Two matrix cases do this:
     * leaky_relu(0.01) × softmax × SUM × all-but-head frozen (seed 2968): input x has
     * ‖g‖ ≈ 2e-6 against J ≈ 3.6, worst |g − ĝ| = 4.2e-11 (1.9 ulp(J)/(2ε)), r = 2.06e-7; and
     * sigmoid × MSE × SUM (seed 4562): layer 0 b has ‖g‖ ≈ 1e-3 against J ≈ 46, worst |g − ĝ| =
     * 5.3e-10 (1.5 ulp(J)/(2ε)), r = 1.18e-7. Both pass with ε = 1e-4 and get worse with
     * ε = 1e-6, the signature of rounding rather than of a wrong gradient. A wrong gradient shows
     * r of the order of its relative error, far above {@link GradCheck#ROUNDOFF_MAX_RELATIVE}.
     */
    static void assertGradCheckPassed(GradCheck.Report report, double J, String description) {
        assertThat(report.passed()).as("%s (J = %s)%n%s", description, J, report).isTrue();
        for (GradCheck.ArrayReport a : report.arrays) {
            if (!a.withinRoundoff) continue;
            double worst = Math.abs(a.worstAnalytic - a.worstNumeric);
            double floor = GradCheck.ROUNDOFF_ULPS * Math.ulp(Math.max(1.0, Math.abs(J))) / (2.0 * GradCheck.EPS);
            // Independent re-check of the rule GradCheck applied.
            assertThat(a.relativeDifference < GradCheck.ROUNDOFF_MAX_RELATIVE && worst <= floor).as("%s: %s", description, a).isTrue();
            System.out.println(roundoffNote(description, a.name, a.relativeDifference, worst, floor, J));
        }
    }

    /**
     * The line printed for an array that passed by the roundoff rule: worded as the pass it is, so
     * that nothing in the log of a passing run reads like a failure.
     */
    static String roundoffNote(String description, String array, double r, double worst, double floor, double J) {
        return String.format(java.util.Locale.ROOT, "gradient check of %s: %s passes by the roundoff rule (r = %.3e, above %.0e because |g| is small next to J = %.4g;"
            + " worst |g - numeric| %.2e is within %.0f ulp(J)/(2 eps) = %.2e)", description, array, r, GradCheck.THRESHOLD, J, worst, GradCheck.ROUNDOFF_ULPS, floor);
    }

    /** J = loss(net(x), t) + (λ/2)·Σ over trainable layers of ΣW², as GradCheck documents it. */
    static double objective(Network net, Loss loss, double[][] x, Targets t, double l2) {
        double J = loss.forward(net.forward(x), t);
        for (int l = 0; l < net.size(); l++) {
            Dense layer = net.layer(l);
            if (!layer.isTrainable()) continue;
            for (double[] row : layer.W) for (double w : row) J += 0.5 * l2 * w * w;
        }
        return J;
    }

    /**
     * The report lists, in order, W and b of every trainable layer (lowest first) and then the
     * input x, and nothing else; each entry was either checked or skipped.
     */
    static void assertReportCoversTrainableArraysAndInput(Network net, double[][] x, GradCheck.Report report) {
        List<String> expectedNames = new ArrayList<>();
        List<Integer> expectedSizes = new ArrayList<>();
        for (int l = 0; l < net.size(); l++) {
            Dense layer = net.layer(l);
            if (!layer.isTrainable()) continue;
            expectedNames.add("layer " + l + " W (" + layer.O + "x" + layer.I + ")");
            expectedSizes.add(layer.O * layer.I);
            expectedNames.add("layer " + l + " b (" + layer.O + ")");
            expectedSizes.add(layer.O);
        }
        expectedNames.add("input x (" + x.length + "x" + x[0].length + ")");
        expectedSizes.add(x.length * x[0].length);

        List<String> names = new ArrayList<>();
        for (GradCheck.ArrayReport a : report.arrays) names.add(a.name);
        assertThat(names).as("arrays in the report of %s", net).containsExactlyElementsOf(expectedNames);
        for (int j = 0; j < expectedSizes.size(); j++) {
            GradCheck.ArrayReport a = report.arrays.get(j);
            assertThat(a.checked + a.skipped).as("%s: checked + skipped", a.name).isEqualTo(expectedSizes.get(j));
        }
    }

    /**
     * After the check, dW and db hold the analytic gradient of the batch (without L2). With
     * nothing labeled it must be exactly zero everywhere; with something labeled and the head
     * trainable, the head's gradient must not be all zero (else the check above was vacuous).
     */
    private static void assertGradientNonTrivialExactlyWhenLabeled(Network net, Targets t, String name) {
        Dense head = net.layer(net.size() - 1);
        if (t.labeledCount() == 0) {
            for (int l = 0; l < net.size(); l++) {
                Dense layer = net.layer(l);
                Assert.assertSameBits(name + ": layer " + l + " dW with nothing labeled", new double[layer.O][layer.I], layer.dW);
                Assert.assertSameBits(name + ": layer " + l + " db with nothing labeled", new double[layer.O], layer.db);
            }
        } else if (head.isTrainable()) {
            double sum = 0.0;
            for (double[] row : head.dW) for (double g : row) sum += Math.abs(g);
            for (double g : head.db) sum += Math.abs(g);
            assertThat(sum).as("%s: sum of |head gradient|", name).isGreaterThan(0.0);
        }
    }

    /**
     * GradCheck compares the gradient of {@link Network#backwardToInput}, but training calls
     * {@link Network#backward}, which stops at the lowest trainable layer. GradCheck leaves the
     * latter's dW, db in the layers; they must be bit-identical to the checked ones.
     */
    private static void assertTrainingBackwardMatchesCheckedBackward(Network net, Loss loss, double[][] x, Targets t, String name) {
        List<double[][]> dW = new ArrayList<>();
        List<double[]> db = new ArrayList<>();
        for (int l = 0; l < net.size(); l++) {
            dW.add(Assert.copy(net.layer(l).dW));
            db.add(net.layer(l).db.clone());
        }
        net.zeroGrad();
        double[][] out = net.forward(x);
        double[][] dout = new double[out.length][out[0].length];
        loss.backward(dout, out, t);
        net.backwardToInput(dout);
        for (int l = 0; l < net.size(); l++) {
            Assert.assertSameBits(name + ": layer " + l + " dW, backward vs backwardToInput", net.layer(l).dW, dW.get(l));
            Assert.assertSameBits(name + ": layer " + l + " db, backward vs backwardToInput", net.layer(l).db, db.get(l));
        }
    }

    private static void randomiseBiases(Network net, Rng rng) {
        for (int l = 0; l < net.size(); l++) {
            double[] b = net.layer(l).b;
            for (int o = 0; o < b.length; o++) b[o] = BIAS_SCALE * rng.nextGaussian();
        }
    }

    static Loss loss(LossKind kind, Reduction reduction) {
        switch (kind) {
            case BCE:          return new BinaryCrossEntropy(reduction);
            case BCE_WEIGHTED: return new BinaryCrossEntropy(reduction, BCE_TASK_WEIGHT, BCE_POS_WEIGHT);
            case MSE:          return new MeanSquaredError(reduction);
            case MSE_WEIGHTED: return new MeanSquaredError(reduction, MSE_WEIGHT);
            case SOFTMAX:      return new SoftmaxCrossEntropy(reduction);
            default:           throw new AssertionError(kind);
        }
    }

    /**
     * Targets (rows, cols) for the loss and the label pattern. BCE labels mix 0, 1 and soft values
     * in (0, 1); MSE labels are arbitrary reals; softmax rows alternate one-hot and soft (summing
     * to 1). Unlabeled positions hold garbage.
     */
    static Targets targets(LossKind loss, Labels labels, int rows, int cols, Rng rng) {
        boolean softmax = loss == LossKind.SOFTMAX;
        boolean[][] m = new boolean[rows][cols];
        for (boolean[] row : m) java.util.Arrays.fill(row, true);
        switch (labels) {
            case ALL:
                break;
            case RANDOM_30_PERCENT: {
                int units = softmax ? rows : rows * cols;
                int[] order = new int[units];
                for (int u = 0; u < units; u++) order[u] = u;
                rng.shuffle(order);
                int unlabeled = Math.max(1, (int) Math.round(UNLABELED_FRACTION * units));
                for (int j = 0; j < unlabeled; j++) {
                    if (softmax) java.util.Arrays.fill(m[order[j]], false);
                    else m[order[j] / cols][order[j] % cols] = false;
                }
                break;
            }
            case ONE_ROW_UNLABELED:
                java.util.Arrays.fill(m[rng.nextInt(rows)], false);
                break;
            case ONE_COLUMN_UNLABELED: {
                int k = rng.nextInt(cols);
                for (boolean[] row : m) row[k] = false;
                break;
            }
            case NONE:
                for (boolean[] row : m) java.util.Arrays.fill(row, false);
                break;
        }

        double[][] y = new double[rows][cols];
        for (int n = 0; n < rows; n++) {
            if (softmax) {
                if (n % 2 == 0) {
                    y[n][rng.nextInt(cols)] = 1.0;
                } else {
                    double s = 0.0;
                    for (int k = 0; k < cols; k++) s += y[n][k] = 0.1 + rng.nextDouble();
                    for (int k = 0; k < cols; k++) y[n][k] /= s;
                }
            } else {
                for (int k = 0; k < cols; k++) {
                    if (loss == LossKind.MSE || loss == LossKind.MSE_WEIGHTED) {
                        y[n][k] = 0.5 + 2.0 * rng.nextGaussian();
                    } else {
                        int kind = rng.nextInt(3); // 0, 1, or soft
                        y[n][k] = kind == 0 ? 0.0 : kind == 1 ? 1.0 : 0.05 + 0.9 * rng.nextDouble();
                    }
                }
            }
            for (int k = 0; k < cols; k++) {
                if (!m[n][k]) y[n][k] = GARBAGE[(n + k) % GARBAGE.length];
            }
        }
        return new Targets(y, m);
    }
}
