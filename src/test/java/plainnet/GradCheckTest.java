package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link GradCheck} itself: it fails on a wrong gradient and names the array and
 * entry, skips kinks instead of failing them, leaves parameters and x untouched, fills its report
 * consistently, and rejects bad arguments.
 *
 * <p>Index letters: N rows (n), I inputs (i), O outputs (o), K outputs of the net (k).
 */
final class GradCheckTest {

    /** |r − expected r| for a gradient scaled by a known factor: rounding and truncation of ĝ only. */
    private static final double RELATIVE_DIFFERENCE_TOL = 1e-6;
    /** |(g − ĝ) − planted error| at the worst entry. */
    private static final double PLANTED_ERROR_TOL = 1e-8;

    /**
     * A loss whose forward is {@code inner}'s but whose backward is scaled by {@code factor} and
     * gets {@code delta} added at entry (n, k): a deliberately wrong analytic gradient.
     */
    private static final class WrongLoss implements Loss {
        final Loss inner;
        final double factor;
        final int n, k;
        final double delta;

        WrongLoss(Loss inner, double factor, int n, int k, double delta) {
            this.inner = inner;
            this.factor = factor;
            this.n = n;
            this.k = k;
            this.delta = delta;
        }

        @Override
        public double forward(double[][] z, Targets t) {
            return inner.forward(z, t);
        }

        @Override
        public void backward(double[][] dz, double[][] z, Targets t) {
            inner.backward(dz, z, t);
            for (double[] row : dz) for (int j = 0; j < row.length; j++) row[j] *= factor;
            dz[n][k] += delta;
        }

        @Override
        public Reduction reduction() {
            return inner.reduction();
        }
    }

    /** A 3 -> 4 -> 3 -> 2 tanh net (no kinks, so nothing is skipped) with random biases. */
    private static Network smoothNet(Rng rng) {
        Network net = new Network(
            new Dense(3, 4, Activation.TANH, rng),
            new Dense(4, 3, Activation.TANH, rng),
            new Dense(3, 2, Activation.IDENTITY, rng));
        for (int l = 0; l < net.size(); l++) {
            double[] b = net.layer(l).b;
            for (int o = 0; o < b.length; o++) b[o] = 0.1 * rng.nextGaussian();
        }
        return net;
    }

    private static Targets realTargets(Rng rng, int N, int K) {
        return Targets.of(Assert.gaussian(rng, N, K, 1.0));
    }

    // ----------------------------------------------------------------------------------------
    // (a) a wrong analytic gradient fails

    @Test
    void run_gradientOffByOnePercent_everyArrayFailsWithExpectedRelativeDifference() {
        Rng rng = new Rng(11);
        Network net = smoothNet(rng);
        double[][] x = Assert.gaussian(rng, 4, 3, 1.0);
        Targets t = realTargets(rng, 4, 2);
        Loss wrong = new WrongLoss(new MeanSquaredError(), 1.01, 0, 0, 0.0);

        GradCheck.Report report = GradCheck.run(net, wrong, x, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(report.passed()).as("%s", report).isFalse();
        // g = 1.01·ĝ  ⇒  r = ‖0.01·ĝ‖ / (‖1.01·ĝ‖ + ‖ĝ‖) = 0.01 / 2.01 for every array
        double expectedR = 0.01 / 2.01;
        for (GradCheck.ArrayReport a : report.arrays) {
            assertThat(a.passed).as("%s passed", a.name).isFalse();
            Assert.assertClose(a.name + " r", expectedR, a.relativeDifference, RELATIVE_DIFFERENCE_TOL);
        }
        assertThat(report.toString()).contains("gradient check FAILED").contains("layer 0 W (4x3)").contains("FAIL");
        Assert.assertClose("report.worst()", expectedR, report.worst(), RELATIVE_DIFFERENCE_TOL);
    }

    @Test
    void run_gradientOffByFarLessThanThreshold_passes() {
        Rng rng = new Rng(12);
        Network net = smoothNet(rng);
        double[][] x = Assert.gaussian(rng, 4, 3, 1.0);
        Targets t = realTargets(rng, 4, 2);
        // r ≈ 1e-10 / 2, well under 1e-7: the threshold is a bound on r, not an exact-equality test
        Loss almost = new WrongLoss(new MeanSquaredError(), 1.0 + 1e-10, 0, 0, 0.0);

        GradCheck.Report report = GradCheck.run(net, almost, x, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(report.passed()).as("%s", report).isTrue();
    }

    @Test
    void run_thresholdArgument_decidesPassAroundTheRelativeDifference() {
        Rng rng = new Rng(13);
        Network net = smoothNet(rng);
        double[][] x = Assert.gaussian(rng, 4, 3, 1.0);
        Targets t = realTargets(rng, 4, 2);
        Loss wrong = new WrongLoss(new MeanSquaredError(), 1.01, 0, 0, 0.0); // r ≈ 0.004975

        assertThat(GradCheck.run(net, wrong, x, t, 0.0, GradCheck.EPS, 0.01).passed()).as("threshold 0.01").isTrue();
        assertThat(GradCheck.run(net, wrong, x, t, 0.0, GradCheck.EPS, 0.004).passed()).as("threshold 0.004").isFalse();
    }

    @Test
    void run_oneGradientEntryWrong_failsAndNamesTheArraysAndTheEntry() {
        // One identity layer, so that the planted error reaches exactly: row k of W, entry k of b, row n of x.
        Rng rng = new Rng(14);
        int N = 5, I = 3, K = 4, n = 2, k = 1;
        double delta = 1e-3;
        Dense layer = new Dense(I, K, Activation.IDENTITY, rng);
        Network net = new Network(layer);
        double[][] x = Assert.gaussian(rng, N, I, 1.0);
        Targets t = realTargets(rng, N, K);

        GradCheck.Report report = GradCheck.run(net, new WrongLoss(new MeanSquaredError(), 1.0, n, k, delta), x, t,
            0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(report.passed()).as("%s", report).isFalse();
        GradCheck.ArrayReport w = find(report, "layer 0 W (4x3)");
        GradCheck.ArrayReport b = find(report, "layer 0 b (4)");
        GradCheck.ArrayReport xr = find(report, "input x (5x3)");
        assertThat(w.passed).as("%s", w).isFalse();
        assertThat(b.passed).as("%s", b).isFalse();
        assertThat(xr.passed).as("%s", xr).isFalse();

        // z = x·Wᵀ + b  ⇒  dW_ki gets the extra delta·x_ni: worst at row k, column argmaxᵢ |x_ni|
        int iWorstX = argmaxAbs(x[n]);
        assertThat(w.worstRow).as("W worst row").isEqualTo(k);
        assertThat(w.worstColumn).as("W worst column").isEqualTo(iWorstX);
        Assert.assertClose("W: g - numeric at the worst entry", delta * x[n][iWorstX], w.worstAnalytic - w.worstNumeric, PLANTED_ERROR_TOL);
        // db_k gets the extra delta
        Assert.assertClose("b: g - numeric at the worst entry", delta, b.worstAnalytic - b.worstNumeric, PLANTED_ERROR_TOL);
        // dx_ni gets the extra delta·W_ki: worst at row n, column argmaxᵢ |W_ki|
        int iWorstW = argmaxAbs(layer.W[k]);
        assertThat(xr.worstRow).as("x worst row").isEqualTo(n);
        assertThat(xr.worstColumn).as("x worst column").isEqualTo(iWorstW);
        Assert.assertClose("x: g - numeric at the worst entry", delta * layer.W[k][iWorstW], xr.worstAnalytic - xr.worstNumeric, PLANTED_ERROR_TOL);
    }

    @Test
    void run_biasEntryWrong_worstIndexIsTheBiasEntryInRowWithColumnZero() {
        // ArrayReport documents "Row and column of the entry with the largest |g − ĝ| (column 0 for a vector)".
        Rng rng = new Rng(15);
        int N = 3, I = 2, K = 4, k = 2;
        Network net = new Network(new Dense(I, K, Activation.IDENTITY, rng));
        double[][] x = Assert.gaussian(rng, N, I, 1.0);
        Targets t = realTargets(rng, N, K);

        GradCheck.Report report = GradCheck.run(net, new WrongLoss(new MeanSquaredError(), 1.0, 0, k, 1e-3), x, t,
            0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        GradCheck.ArrayReport b = find(report, "layer 0 b (4)");
        assertThat(b.passed).as("%s", b).isFalse();
        assertThat(new int[] {b.worstRow, b.worstColumn}).as("bias worst [row, column] for a wrong db[%d]: %s", k, b).containsExactly(k, 0);
    }

    @Test
    void run_gradientLeaksIntoUnlabeledEntry_fails() {
        // A masking bug: the backward writes a gradient where the forward reads nothing.
        Rng rng = new Rng(16);
        Network net = smoothNet(rng);
        double[][] x = Assert.gaussian(rng, 4, 3, 1.0);
        double[][] y = Assert.gaussian(rng, 4, 2, 1.0);
        boolean[][] m = {{true, true}, {true, false}, {true, true}, {false, false}};
        y[1][1] = Double.NaN;
        y[3][0] = Double.NaN;
        y[3][1] = Double.NaN;
        Targets t = new Targets(y, m);

        GradCheck.Report leak = GradCheck.run(net, new WrongLoss(new MeanSquaredError(), 1.0, 1, 1, 1e-3), x, t,
            0.0, GradCheck.EPS, GradCheck.THRESHOLD);
        GradCheck.Report clean = GradCheck.run(net, new MeanSquaredError(), x, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(leak.passed()).as("%s", leak).isFalse();
        assertThat(find(leak, "layer 2 b (2)").passed).as("head bias with a leak").isFalse();
        assertThat(clean.passed()).as("%s", clean).isTrue();
    }

    @Test
    void run_wrongGradientInKinkedNet_stillFailsOnCheckedEntries() {
        // Skipping kinks must not hide a real error elsewhere.
        Rng rng = new Rng(17);
        Network net = new Network(new Dense(3, 5, Activation.RELU, rng), new Dense(5, 2, Activation.IDENTITY, rng));
        double[][] x = Assert.gaussian(rng, 4, 3, 1.0);
        Targets t = realTargets(rng, 4, 2);

        GradCheck.Report report = GradCheck.run(net, new WrongLoss(new MeanSquaredError(), 1.01, 0, 0, 0.0), x, t,
            0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(report.passed()).as("%s", report).isFalse();
        assertThat(find(report, "layer 1 W (2x5)").passed).isFalse();
    }

    // ----------------------------------------------------------------------------------------
    // (b) kinks are skipped, not failed

    /**
     * Layer 0: one relu unit, W = [1, −1], b = b0; layer 1: identity, W = [2], b = 0.3.
     * Row 0 of x is [0.5, 0.5], so z_00 = b0 + 0.5 − 0.5 = b0 (the kink when b0 = 0);
     * row 1 is [1.0, −0.3], so z_10 = b0 + 1.3, far from the kink.
     */
    private static Network kinkNet(Activation f, double b0) {
        return new Network(
            new Dense(new double[][] {{1.0, -1.0}}, new double[] {b0}, f),
            new Dense(new double[][] {{2.0}}, new double[] {0.3}, Activation.IDENTITY));
    }

    private static final double[][] KINK_X = {{0.5, 0.5}, {1.0, -0.3}};
    private static final Targets KINK_T = Targets.of(new double[][] {{1.0}, {-0.5}});

    @Test
    void run_reluPreActivationExactlyZero_entriesThatMoveItAreSkippedNotFailed() {
        Network net = kinkNet(Activation.RELU, 0.0);
        net.forward(KINK_X);
        assertThat(net.preActivation(0)[0][0]).as("z_00, the constructed kink").isEqualTo(0.0);

        GradCheck.Report report = GradCheck.run(net, new MeanSquaredError(), KINK_X, KINK_T, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(report.passed()).as("%s", report).isTrue();
        // Every entry of layer 0's W and b moves z_00 across 0 (x_0 has no zero entry).
        assertSkippedChecked(find(report, "layer 0 W (1x2)"), 2, 0);
        assertSkippedChecked(find(report, "layer 0 b (1)"), 1, 0);
        // The head does not move z_00.
        assertSkippedChecked(find(report, "layer 1 W (1x1)"), 0, 1);
        assertSkippedChecked(find(report, "layer 1 b (1)"), 0, 1);
        // x_0i moves z_00 by ±ε·W_0i; x_1i moves only z_10 = 1.3.
        GradCheck.ArrayReport xr = find(report, "input x (2x2)");
        assertSkippedChecked(xr, 2, 2);
        assertThat(xr.worstRow).as("x worst row (only row 1 is checked)").isEqualTo(1);
    }

    @Test
    void run_leakyReluPreActivationExactlyZero_entriesAreSkippedNotFailed() {
        Network net = kinkNet(Activation.leakyRelu(0.2), 0.0);

        GradCheck.Report report = GradCheck.run(net, new MeanSquaredError(), KINK_X, KINK_T, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(report.passed()).as("%s", report).isTrue();
        assertSkippedChecked(find(report, "layer 0 b (1)"), 1, 0);
        assertSkippedChecked(find(report, "input x (2x2)"), 2, 2);
    }

    @Test
    void run_reluPreActivationWithinEpsOfZero_crossingEntriesAreSkipped() {
        // z_00 = 3e-6: b ± ε crosses 0 (3e-6 − 1e-5 < 0), and so does W_00 (x_00 = 0.5 ⇒ ±5e-6),
        // while W_01 moves z_00 by ∓5e-6 and crosses too; everything passes.
        double b0 = 3e-6;
        Network net = kinkNet(Activation.RELU, b0);

        GradCheck.Report report = GradCheck.run(net, new MeanSquaredError(), KINK_X, KINK_T, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(report.passed()).as("%s", report).isTrue();
        assertSkippedChecked(find(report, "layer 0 b (1)"), 1, 0);
        assertSkippedChecked(find(report, "layer 0 W (1x2)"), 2, 0);
        assertThat(report.arrays.stream().mapToInt(a -> a.skipped).sum()).as("skipped in total").isGreaterThan(0);
    }

    @Test
    void run_reluPreActivationNearZeroButNotCrossed_nothingSkipped() {
        // z_00 = 1e-4 > ε·max|∂z/∂θ| = 1e-5: no perturbation crosses, so nothing may be skipped.
        Network net = kinkNet(Activation.RELU, 1e-4);

        GradCheck.Report report = GradCheck.run(net, new MeanSquaredError(), KINK_X, KINK_T, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(report.passed()).as("%s", report).isTrue();
        for (GradCheck.ArrayReport a : report.arrays) assertThat(a.skipped).as("%s skipped", a.name).isZero();
    }

    @Test
    void run_smoothActivationAtZero_nothingSkipped() {
        // tanh has no kink: z = 0 is an ordinary point and must be checked.
        Network net = kinkNet(Activation.TANH, 0.0);

        GradCheck.Report report = GradCheck.run(net, new MeanSquaredError(), KINK_X, KINK_T, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(report.passed()).as("%s", report).isTrue();
        for (GradCheck.ArrayReport a : report.arrays) assertThat(a.skipped).as("%s skipped", a.name).isZero();
    }

    @Test
    void run_everyEntrySkipped_reportHasNoWorstEntryAndPasses() {
        // One row, at the kink: every entry of layer 0 and of x crosses it.
        double[][] x = {{0.5, 0.5}};
        Targets t = Targets.of(new double[][] {{1.0}});
        Network net = kinkNet(Activation.RELU, 0.0);

        GradCheck.Report report = GradCheck.run(net, new MeanSquaredError(), x, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        GradCheck.ArrayReport w = find(report, "layer 0 W (1x2)");
        assertSkippedChecked(w, 2, 0);
        assertThat(new int[] {w.worstRow, w.worstColumn}).as("worst index with nothing checked").containsExactly(-1, -1);
        assertThat(w.relativeDifference).isZero();
        assertThat(w.passed).isTrue();
        assertSkippedChecked(find(report, "input x (1x2)"), 2, 0);
    }

    // ----------------------------------------------------------------------------------------
    // (c) nothing the caller owns changes

    @Test
    void run_anyNetwork_parametersAndInputBitIdenticalAfterwards() {
        Rng rng = new Rng(21);
        Network net = new Network(
            new Dense(3, 4, Activation.RELU, rng),
            new Dense(4, 4, Activation.SIGMOID, rng),
            new Dense(4, 3, Activation.leakyRelu(0.2), rng),
            new Dense(3, 2, Activation.IDENTITY, rng));
        net.layer(1).setTrainable(false);
        for (int l = 0; l < net.size(); l++) {
            double[] b = net.layer(l).b;
            for (int o = 0; o < b.length; o++) b[o] = 0.1 * rng.nextGaussian();
        }
        double[][] x = Assert.gaussian(rng, 5, 3, 1.0);
        x[0][0] = -0.0; // a signed zero must survive too
        Targets t = Targets.ofClasses(new int[] {0, 1, -1, 1, 0}, 2);
        List<double[][]> W = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        for (int l = 0; l < net.size(); l++) {
            W.add(Assert.copy(net.layer(l).W));
            b.add(net.layer(l).b.clone());
        }
        double[][] x0 = Assert.copy(x);

        GradCheck.run(net, new SoftmaxCrossEntropy(), x, t, 0.1, GradCheck.EPS, GradCheck.THRESHOLD);

        for (int l = 0; l < net.size(); l++) {
            Assert.assertSameBits("layer " + l + " W", W.get(l), net.layer(l).W);
            Assert.assertSameBits("layer " + l + " b", b.get(l), net.layer(l).b);
        }
        Assert.assertSameBits("x", x0, x);
        assertThat(net.layer(1).isTrainable()).as("layer 1 still frozen").isFalse();
    }

    @Test
    void run_kinkedNetwork_parametersAndInputBitIdenticalAfterwards() {
        // The skip path must restore as exactly as the compare path.
        Network net = kinkNet(Activation.RELU, 0.0);
        double[][] x = Assert.copy(KINK_X);

        GradCheck.run(net, new MeanSquaredError(), x, KINK_T, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        Assert.assertSameBits("layer 0 W", new double[][] {{1.0, -1.0}}, net.layer(0).W);
        Assert.assertSameBits("layer 0 b", new double[] {0.0}, net.layer(0).b);
        Assert.assertSameBits("layer 1 W", new double[][] {{2.0}}, net.layer(1).W);
        Assert.assertSameBits("layer 1 b", new double[] {0.3}, net.layer(1).b);
        Assert.assertSameBits("x", KINK_X, x);
    }

    @Test
    void run_withWeightDecay_leavesAnalyticBatchGradientWithoutL2InDwDb() {
        // Documented: dW and db hold the analytic gradient of the batch afterwards, without the L2 term.
        Rng rng = new Rng(22);
        Network net = smoothNet(rng);
        double[][] x = Assert.gaussian(rng, 4, 3, 1.0);
        Targets t = realTargets(rng, 4, 2);
        Loss loss = new MeanSquaredError(Reduction.MEAN_ALL);
        for (int l = 0; l < net.size(); l++) for (double[] row : net.layer(l).dW) java.util.Arrays.fill(row, 99.0); // stale garbage

        GradCheck.run(net, loss, x, t, 0.5, GradCheck.EPS, GradCheck.THRESHOLD);
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
        net.backward(dout);

        for (int l = 0; l < net.size(); l++) {
            Assert.assertSameBits("layer " + l + " dW", net.layer(l).dW, dW.get(l));
            Assert.assertSameBits("layer " + l + " db", net.layer(l).db, db.get(l));
        }
    }

    // ----------------------------------------------------------------------------------------
    // (d) the report's fields

    @Test
    void run_smoothNetwork_arrayReportFieldsConsistent() {
        Rng rng = new Rng(31);
        Network net = smoothNet(rng);
        net.layer(1).setTrainable(false);
        double[][] x = Assert.gaussian(rng, 4, 3, 1.0);
        Targets t = realTargets(rng, 4, 2);

        GradCheck.Report report = GradCheck.run(net, new MeanSquaredError(), x, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);

        GradCheckMatrixTest.assertReportCoversTrainableArraysAndInput(net, x, report);
        double worst = 0.0;
        for (GradCheck.ArrayReport a : report.arrays) {
            assertThat(a.skipped).as("%s skipped (no kinks)", a.name).isZero();
            assertThat(a.relativeDifference).as("%s r", a.name).isGreaterThanOrEqualTo(0.0).isLessThan(GradCheck.THRESHOLD);
            assertThat(a.passed).as("%s passed", a.name).isEqualTo(a.relativeDifference < GradCheck.THRESHOLD);
            worst = Math.max(worst, a.relativeDifference);
        }
        assertThat(report.worst()).isEqualTo(worst);
        assertThat(report.passed()).isTrue();
        assertThat(report.toString()).endsWith("gradient check passed");

        // W and x: the worst entry lies inside the array and its g is the library's gradient there.
        for (int l : new int[] {0, 2}) {
            Dense layer = net.layer(l);
            GradCheck.ArrayReport w = find(report, "layer " + l + " W (" + layer.O + "x" + layer.I + ")");
            assertThat(w.checked).isEqualTo(layer.O * layer.I);
            assertThat(w.worstRow).isBetween(0, layer.O - 1);
            assertThat(w.worstColumn).isBetween(0, layer.I - 1);
            assertThat(w.worstAnalytic).as("%s worstAnalytic", w.name).isEqualTo(layer.dW[w.worstRow][w.worstColumn]);
            GradCheck.ArrayReport b = find(report, "layer " + l + " b (" + layer.O + ")");
            assertThat(b.checked).isEqualTo(layer.O);
        }
        // worstNumeric is the central difference at the worst entry, recomputed here step by step.
        Dense layer0 = net.layer(0);
        GradCheck.ArrayReport w0 = find(report, "layer 0 W (4x3)");
        double saved = layer0.W[w0.worstRow][w0.worstColumn];
        layer0.W[w0.worstRow][w0.worstColumn] = saved + GradCheck.EPS;
        double plus = new MeanSquaredError().forward(net.forward(x), t);
        layer0.W[w0.worstRow][w0.worstColumn] = saved - GradCheck.EPS;
        double minus = new MeanSquaredError().forward(net.forward(x), t);
        layer0.W[w0.worstRow][w0.worstColumn] = saved;
        assertThat(w0.worstNumeric).as("layer 0 W worstNumeric").isEqualTo((plus - minus) / (2.0 * GradCheck.EPS));

        GradCheck.ArrayReport xr = find(report, "input x (4x3)");
        assertThat(xr.checked).isEqualTo(12);
        assertThat(xr.worstRow).isBetween(0, 3);
        assertThat(xr.worstColumn).isBetween(0, 2);
        double[][] out = net.forward(x);
        double[][] dout = new double[out.length][out[0].length];
        new MeanSquaredError().backward(dout, out, t);
        double[][] dx = net.backwardToInput(dout);
        assertThat(xr.worstAnalytic).as("x worstAnalytic").isEqualTo(dx[xr.worstRow][xr.worstColumn]);
    }

    @Test
    void run_everyLayerFrozen_onlyTheInputIsChecked() {
        Rng rng = new Rng(32);
        Network net = smoothNet(rng);
        net.freeze(0, net.size());
        double[][] x = Assert.gaussian(rng, 2, 3, 1.0);
        Targets t = realTargets(rng, 2, 2);

        GradCheck.Report report = GradCheck.run(net, new MeanSquaredError(), x, t, 0.1, GradCheck.EPS, GradCheck.THRESHOLD);

        assertThat(report.arrays).hasSize(1);
        assertThat(report.arrays.get(0).name).isEqualTo("input x (2x3)");
        assertThat(report.arrays.get(0).checked).isEqualTo(6);
        assertThat(report.passed()).as("%s", report).isTrue();
    }

    // ----------------------------------------------------------------------------------------
    // (e) bad arguments

    @Test
    void run_nullNetwork_throwsNamingTheNetwork() {
        assertThatThrownBy(() -> GradCheck.run(null, new MeanSquaredError(), new double[][] {{1.0}}, Targets.of(new double[][] {{1.0}}),
            0.0, GradCheck.EPS, GradCheck.THRESHOLD))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("network").hasMessageContaining("found null");
    }

    @Test
    void run_nullLoss_throwsNamingTheLoss() {
        Network net = new Network(new Dense(1, 1, Activation.IDENTITY, new Rng(1)));
        assertThatThrownBy(() -> GradCheck.run(net, null, new double[][] {{1.0}}, Targets.of(new double[][] {{1.0}}),
            0.0, GradCheck.EPS, GradCheck.THRESHOLD))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loss").hasMessageContaining("found null");
    }

    @Test
    void run_epsNotPositive_throwsNamingEpsAndTheValue() {
        Network net = new Network(new Dense(1, 1, Activation.IDENTITY, new Rng(1)));
        double[][] x = {{1.0}};
        Targets t = Targets.of(new double[][] {{1.0}});
        for (double eps : new double[] {0.0, -1e-5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> GradCheck.run(net, new MeanSquaredError(), x, t, 0.0, eps, GradCheck.THRESHOLD))
                .as("eps %s", eps)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eps").hasMessageContaining("expected").hasMessageContaining("found " + eps);
        }
    }

    @Test
    void run_thresholdNotPositive_throwsNamingThresholdAndTheValue() {
        Network net = new Network(new Dense(1, 1, Activation.IDENTITY, new Rng(1)));
        double[][] x = {{1.0}};
        Targets t = Targets.of(new double[][] {{1.0}});
        for (double threshold : new double[] {0.0, -1e-7, Double.NaN}) {
            assertThatThrownBy(() -> GradCheck.run(net, new MeanSquaredError(), x, t, 0.0, GradCheck.EPS, threshold))
                .as("threshold %s", threshold)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold").hasMessageContaining("found " + threshold);
        }
    }

    @Test
    void run_negativeOrNonFiniteL2_throwsNamingL2AndTheValue() {
        Network net = new Network(new Dense(1, 1, Activation.IDENTITY, new Rng(1)));
        double[][] x = {{1.0}};
        Targets t = Targets.of(new double[][] {{1.0}});
        for (double l2 : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> GradCheck.run(net, new MeanSquaredError(), x, t, l2, GradCheck.EPS, GradCheck.THRESHOLD))
                .as("l2 %s", l2)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("L2").hasMessageContaining("found " + l2);
        }
    }

    @Test
    void run_targetRowCountMismatch_throwsNamingBothCounts() {
        Network net = new Network(new Dense(2, 1, Activation.IDENTITY, new Rng(1)));
        double[][] x = {{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}};
        Targets t = Targets.of(new double[][] {{1.0}, {0.0}});
        assertThatThrownBy(() -> GradCheck.run(net, new MeanSquaredError(), x, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("targets").hasMessageContaining("expected").hasMessageContaining("3 rows").hasMessageContaining("found 2");
    }

    @Test
    void run_nullTargets_throwsNamingTargets() {
        Network net = new Network(new Dense(1, 1, Activation.IDENTITY, new Rng(1)));
        assertThatThrownBy(() -> GradCheck.run(net, new MeanSquaredError(), new double[][] {{1.0}}, null, 0.0, GradCheck.EPS, GradCheck.THRESHOLD))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targets").hasMessageContaining("found null");
    }

    @Test
    void run_inputWidthMismatch_throwsNamingExpectedAndFoundColumns() {
        Network net = new Network(new Dense(3, 1, Activation.IDENTITY, new Rng(1)));
        double[][] x = {{1.0, 2.0}};
        Targets t = Targets.of(new double[][] {{1.0}});
        assertThatThrownBy(() -> GradCheck.run(net, new MeanSquaredError(), x, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("input x").hasMessageContaining("expected 3 columns").hasMessageContaining("found 2");
    }

    @Test
    void run_inputNullOrNonFinite_throwsNamingInput() {
        Network net = new Network(new Dense(2, 1, Activation.IDENTITY, new Rng(1)));
        Targets t = Targets.of(new double[][] {{1.0}});
        assertThatThrownBy(() -> GradCheck.run(net, new MeanSquaredError(), null, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input x").hasMessageContaining("found null");
        assertThatThrownBy(() -> GradCheck.run(net, new MeanSquaredError(), new double[][] {{1.0, Double.NaN}}, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input x[0][1]").hasMessageContaining("found NaN");
    }

    @Test
    void run_targetColumnsDifferFromOutputs_throwsNamingExpectedAndFound() {
        Network net = new Network(new Dense(2, 3, Activation.IDENTITY, new Rng(1)));
        double[][] x = {{1.0, 2.0}};
        Targets t = Targets.of(new double[][] {{1.0, 0.0}});
        assertThatThrownBy(() -> GradCheck.run(net, new MeanSquaredError(), x, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 2 columns").hasMessageContaining("found 3");
    }

    @Test
    void run_badArgument_networkUntouched() {
        // Arguments are validated before anything is perturbed or zeroed.
        Rng rng = new Rng(41);
        Network net = smoothNet(rng);
        for (double[] row : net.layer(0).dW) java.util.Arrays.fill(row, 5.0);
        double[][] dW0 = Assert.copy(net.layer(0).dW);
        double[][] W0 = Assert.copy(net.layer(0).W);
        double[][] x = Assert.gaussian(rng, 2, 3, 1.0);
        Targets t = realTargets(rng, 2, 2);

        assertThatThrownBy(() -> GradCheck.run(net, new MeanSquaredError(), x, t, 0.0, 0.0, GradCheck.THRESHOLD))
            .isInstanceOf(IllegalArgumentException.class);

        Assert.assertSameBits("layer 0 dW", dW0, net.layer(0).dW);
        Assert.assertSameBits("layer 0 W", W0, net.layer(0).W);
    }

    // ----------------------------------------------------------------------------------------

    private static GradCheck.ArrayReport find(GradCheck.Report report, String name) {
        for (GradCheck.ArrayReport a : report.arrays) if (a.name.equals(name)) return a;
        throw new AssertionError("no array named \"" + name + "\" in the report:\n" + report);
    }

    private static void assertSkippedChecked(GradCheck.ArrayReport a, int skipped, int checked) {
        assertThat(new int[] {a.skipped, a.checked}).as("%s [skipped, checked]: %s", a.name, a).containsExactly(skipped, checked);
    }

    private static int argmaxAbs(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[best])) best = j;
        return best;
    }
}
