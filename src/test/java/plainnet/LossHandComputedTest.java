package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static plainnet.Assert.assertClose;
import static plainnet.Assert.assertSameBits;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tiny hand-computed cases of every loss and reduction.
 *
 * <p>Every expected number below was derived independently of plainnet, with Python 3 and mpmath
 * at 40 significant digits, from the textbook formula rather than plainnet's stable rewrite:
 * <pre>
 *   from mpmath import mp, mpf, log, exp; mp.dps = 40
 *   sig = lambda z: 1 / (1 + exp(-mpf(z)))
 *   bce = lambda z, y, p=1: -(p*y*log(sig(z)) + (1-y)*log(1-sig(z)))      # PyTorch BCEWithLogits
 *   dbce = lambda z, y, p=1: -p*y*(1-sig(z)) + (1-y)*sig(z)
 *   lse = lambda z: log(sum(exp(mpf(v)) for v in z))                       # softmax CE = lse − Σ y·z
 * </pre>
 * The inputs are the doubles nearest to the decimal literals (mpf(-18.6) is that double), so the
 * only difference from plainnet is plainnet's own rounding: a few ulps.
 */
class LossHandComputedTest {

    /** Results of order 1 computed in double: a few ulps of rounding are allowed, nothing more. */
    private static final double TOL = 1e-14;
    /** For the extreme logits, relative to the size of the expected value. */
    private static final double REL_TOL = 1e-12;

    // ---------------------------------------------------------------------------------------
    // the project's hand-computed case: Z = [[−18.6, 0.51], [2.94, −12.8]], Y = [[0, 1], [0, 0]]

    private static final double[][] Z = {{-18.6, 0.51}, {2.94, -12.8}};
    private static final double[][] Y = {{0, 1}, {0, 0}};

    private static Targets allLabeled() {
        return Targets.of(Y);
    }

    /** Y[0][0] unlabeled; its slot holds a value that must never be read. */
    private static Targets firstUnlabeled() {
        return new Targets(new double[][] {{Double.NaN, 1}, {0, 0}}, new boolean[][] {{false, true}, {true, true}});
    }

    @Test
    void bceForward_handCaseMeanAll_isMeanOfFourTerms() {
        // terms: 8.3583900664e-9, 0.4703133180449, 2.9915157119524, 2.7607687611e-6; S = 3.4618317991243890152
        // S / 4 = 0.8654579497810972538
        double J = new BinaryCrossEntropy(Reduction.MEAN_ALL).forward(Z, allLabeled());
        assertClose("J mean_all", 0.8654579497810972538, J, TOL);
    }

    @Test
    void bceForward_handCasePerExample_isSumOverN() {
        // S / N = 3.4618317991243890152 / 2 = 1.7309158995621945076
        double J = new BinaryCrossEntropy(Reduction.PER_EXAMPLE).forward(Z, allLabeled());
        assertClose("J per_example", 1.7309158995621945076, J, TOL);
        // The default constructor is the lecture's reduction.
        assertThat(new BinaryCrossEntropy().forward(Z, allLabeled())).isEqualTo(J);
    }

    @Test
    void bceForward_handCaseFirstUnlabeledSum_dropsThatTerm() {
        // S without the (0,0) term = 3.4618317907659989488
        double J = new BinaryCrossEntropy(Reduction.SUM).forward(Z, firstUnlabeled());
        assertClose("J sum", 3.4618317907659989488, J, TOL);
    }

    @Test
    void bceForward_handCaseFirstUnlabeledMeanLabeled_dividesByThree() {
        // 3.4618317907659989488 / 3 = 1.1539439302553329829
        double J = new BinaryCrossEntropy(Reduction.MEAN_LABELED).forward(Z, firstUnlabeled());
        assertClose("J mean_labeled", 1.1539439302553329829, J, TOL);
    }

    @Test
    void bceForward_handCaseFirstUnlabeledPerExampleAndMeanAll_divideByNAndNK() {
        // 3.4618317907659989488 / 2 = 1.7309158953829994744;  / 4 = 0.86545794769149973719
        Targets t = firstUnlabeled();
        assertClose("J per_example", 1.7309158953829994744, new BinaryCrossEntropy(Reduction.PER_EXAMPLE).forward(Z, t), TOL);
        assertClose("J mean_all", 0.86545794769149973719, new BinaryCrossEntropy(Reduction.MEAN_ALL).forward(Z, t), TOL);
    }

    @Test
    void bceBackward_handCaseFirstUnlabeledPerExample_isSigmoidMinusYOverN() {
        // (σ(z) − y) / 2; the unlabeled entry is exactly 0
        double[][] expected = {
            {0.0, -0.18759676276578535374},
            {0.47489436340486673421, 1.3803824750965232484e-6}};
        double[][] dz = garbage(2, 2);
        new BinaryCrossEntropy(Reduction.PER_EXAMPLE).backward(dz, Z, firstUnlabeled());
        assertClose("dz per_example", expected, dz, TOL);
        assertThat(dz[0][0]).isEqualTo(0.0);
    }

    @Test
    void bceBackward_handCaseFirstUnlabeledOtherReductions_divideByTheirD() {
        Targets t = firstUnlabeled();
        // D = 3 (mean_labeled), 4 (mean_all), 1 (sum)
        double[][] meanLabeled = {{0.0, -0.12506450851052356916}, {0.31659624226991115614, 9.2025498339768216558e-7}};
        double[][] meanAll = {{0.0, -0.09379838138289267687}, {0.23744718170243336711, 6.9019123754826162418e-7}};
        double[][] sum = {{0.0, -0.37519352553157070748}, {0.94978872680973346843, 2.7607649501930464967e-6}};
        double[][] dz = garbage(2, 2);
        new BinaryCrossEntropy(Reduction.MEAN_LABELED).backward(dz, Z, t);
        assertClose("dz mean_labeled", meanLabeled, dz, TOL);
        new BinaryCrossEntropy(Reduction.MEAN_ALL).backward(dz, Z, t);
        assertClose("dz mean_all", meanAll, dz, TOL);
        new BinaryCrossEntropy(Reduction.SUM).backward(dz, Z, t);
        assertClose("dz sum", sum, dz, TOL);
    }

    @Test
    void bceBackward_handCaseAllLabeledPerExample_includesTinyFirstEntry() {
        // σ(−18.6) / 2 = 4.1791950157559621227e-9: the saturated entry is not lost
        double[][] dz = garbage(2, 2);
        new BinaryCrossEntropy().backward(dz, Z, allLabeled());
        assertClose("dz[0][0]", 4.1791950157559621227e-9, dz[0][0], 1e-22);
    }

    // ---------------------------------------------------------------------------------------
    // positive-class weight (PyTorch pos_weight) and task weights

    /** (z, y, p, ℓ, dℓ/dz), ℓ = −[p·y·log σ(z) + (1−y)·log(1−σ(z))] in mpmath. */
    static Stream<Arguments> posWeightCases() {
        return Stream.of(
            Arguments.of(0.3, 1.0, 2.5, 1.3858881111713178088, -1.0638937079708525389),
            Arguments.of(-1.7, 0.25, 3.0, 1.5266790440793988525, -0.5183021023746979348),
            Arguments.of(2.2, 0.6, 0.5, 0.95355832383808725093, 0.33017465761622042937),
            Arguments.of(-0.4, 0.0, 4.0, 0.51301525239995261476, 0.4013123398875479943),
            Arguments.of(5.0, 0.9, 1.5, 0.50973725530922108855, 0.09029536615978693716));
    }

    @ParameterizedTest(name = "z={0} y={1} p={2}")
    @MethodSource("posWeightCases")
    void bcePosWeight_softAndHardLabels_matchesPyTorchFormula(double z, double y, double p, double loss, double grad) {
        assertClose("term", loss, BinaryCrossEntropy.term(z, y, p), TOL);
        assertClose("grad", grad, BinaryCrossEntropy.grad(z, y, p), TOL);
        // and through the public loss, one entry, sum reduction
        Targets t = Targets.of(new double[][] {{y}});
        BinaryCrossEntropy bce = new BinaryCrossEntropy(Reduction.SUM, null, new double[] {p});
        double[][] zz = {{z}};
        double[][] dz = garbage(1, 1);
        assertClose("J", loss, bce.forward(zz, t), TOL);
        bce.backward(dz, zz, t);
        assertClose("dz", grad, dz[0][0], TOL);
    }

    @Test
    void bceTaskWeights_handCase_weighEachColumn() {
        // w = [2, 0.5]:  S = Σ w_k·ℓ = 6.2181894800283238681;  dz per_example = w_k·(σ − y)/2
        BinaryCrossEntropy sum = new BinaryCrossEntropy(Reduction.SUM, new double[] {2.0, 0.5}, null);
        assertClose("J sum", 6.2181894800283238681, sum.forward(Z, allLabeled()), TOL);
        BinaryCrossEntropy perExample = new BinaryCrossEntropy(Reduction.PER_EXAMPLE, new double[] {2.0, 0.5}, null);
        double[][] dz = garbage(2, 2);
        perExample.backward(dz, Z, allLabeled());
        double[][] expected = {
            {8.3583900315119242455e-9, -0.09379838138289267687},
            {0.94978872680973346843, 6.9019123754826162418e-7}};
        assertClose("dz per_example", expected, dz, TOL);
    }

    @Test
    void bceTaskAndPosWeights_handCase_combine() {
        // w = [2, 0.5], p = [1, 3]:  S = Σ w_k·ℓ(z, y, p_k) = 6.6885027980731988647
        BinaryCrossEntropy bce = new BinaryCrossEntropy(Reduction.SUM, new double[] {2.0, 0.5}, new double[] {1.0, 3.0});
        assertClose("J sum", 6.6885027980731988647, bce.forward(Z, allLabeled()), TOL);
        double[][] dz = garbage(2, 2);
        bce.backward(dz, Z, allLabeled());
        double[][] expected = {
            {1.6716780063023848491e-8, -0.56279028829735606122},
            {1.8995774536194669369, 1.3803824750965232484e-6}};
        assertClose("dz sum", expected, dz, TOL);
    }

    @Test
    void bceTaskWeightZero_column_contributesNothing() {
        // w = [1, 0]: only column 0 counts: ℓ(−18.6, 0) + ℓ(2.94, 0) = 8.3583900664432663996e-9 + 2.9915157119523628405
        //          = 2.991515720310752907 (mpmath)
        BinaryCrossEntropy bce = new BinaryCrossEntropy(Reduction.SUM, new double[] {1.0, 0.0}, null);
        assertClose("J sum", 2.991515720310752907, bce.forward(Z, allLabeled()), TOL);
        double[][] dz = garbage(2, 2);
        bce.backward(dz, Z, allLabeled());
        assertThat(dz[0][1]).isEqualTo(0.0);
        assertThat(dz[1][1]).isEqualTo(0.0);
    }

    // ---------------------------------------------------------------------------------------
    // softmax cross-entropy: Z (3, 3), row 0 one-hot class 1, row 1 unlabeled, row 2 soft

    private static final double[][] ZS = {{1.0, 2.0, 0.5}, {-0.3, 0.8, 3.1}, {0.2, -1.0, 0.0}};

    private static Targets softmaxTargets() {
        return new Targets(
            new double[][] {{0, 1, 0}, {Double.NaN, 7, -3}, {0.2, 0.5, 0.3}},
            new boolean[][] {{true, true, true}, {false, false, false}, {true, true, true}});
    }

    // ℓ_0 = lse(z_0) − z_01 = 0.46436878410794484162;  ℓ_2 = lse(z_2) − Σ y·z = 1.4113806941849884605
    // S = 1.8757494782929333021
    // softmax − y, row 0: [0.23122389762214906723, −0.37146828078823755175, 0.14024438316608848452]
    //              row 2: [0.2717148090213798468, −0.35792222984949057534, 0.086207420828110728541]
    private static final double S_SOFTMAX = 1.8757494782929333021;
    private static final double[][] G_SOFTMAX = {
        {0.23122389762214906723, -0.37146828078823755175, 0.14024438316608848452},
        {0.0, 0.0, 0.0},
        {0.2717148090213798468, -0.35792222984949057534, 0.086207420828110728541}};

    static Stream<Arguments> softmaxReductions() {
        // units are rows: D = N = 3 (per_example), 3 (mean_all: N, not N·K), 2 labeled rows, 1
        return Stream.of(
            Arguments.of(Reduction.PER_EXAMPLE, 3.0),
            Arguments.of(Reduction.MEAN_ALL, 3.0),
            Arguments.of(Reduction.MEAN_LABELED, 2.0),
            Arguments.of(Reduction.SUM, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("softmaxReductions")
    void softmaxForwardBackward_unlabeledRow_matchesLogSumExpOverD(Reduction r, double D) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(r);
        assertClose("J " + r, S_SOFTMAX / D, loss.forward(ZS, softmaxTargets()), TOL);
        double[][] dz = garbage(3, 3);
        loss.backward(dz, ZS, softmaxTargets());
        double[][] expected = new double[3][3];
        for (int n = 0; n < 3; n++) for (int k = 0; k < 3; k++) expected[n][k] = G_SOFTMAX[n][k] / D;
        assertClose("dz " + r, expected, dz, TOL);
        assertSameBits("unlabeled row of dz", new double[] {0.0, 0.0, 0.0}, dz[1]);
    }

    @Test
    void softmaxForward_meanAll_isPerExampleNotPerEntry() {
        Targets t = softmaxTargets();
        assertThat(new SoftmaxCrossEntropy(Reduction.MEAN_ALL).forward(ZS, t))
            .isEqualTo(new SoftmaxCrossEntropy(Reduction.PER_EXAMPLE).forward(ZS, t));
    }

    @Test
    void logSumExp_smallVector_matchesMpmath() {
        // lse([1, 2, 0.5]) = 2.4643687841079448416 (mpmath)
        assertClose("lse", 2.4643687841079448416, SoftmaxCrossEntropy.logSumExp(new double[] {1.0, 2.0, 0.5}), TOL);
    }

    // ---------------------------------------------------------------------------------------
    // squared error: Z = [[0.5, −1], [2, 0.25]], Y = [[1, 0.5], [unlabeled, −0.75]]
    // errors z − y: −0.5, −1.5, (skipped), 1.0  ⇒  S = 0.25 + 2.25 + 1 = 3.5 (exact in binary)
    // gradient 2(z − y) = −1, −3, 0, 2 before dividing by D

    private static final double[][] ZM = {{0.5, -1.0}, {2.0, 0.25}};

    private static Targets mseTargets() {
        return new Targets(new double[][] {{1.0, 0.5}, {Double.NaN, -0.75}}, new boolean[][] {{true, true}, {false, true}});
    }

    static Stream<Arguments> mseReductions() {
        // D: N = 2, N·K = 4, labeled = 3, 1
        return Stream.of(
            Arguments.of(Reduction.PER_EXAMPLE, 2.0),
            Arguments.of(Reduction.MEAN_ALL, 4.0),
            Arguments.of(Reduction.MEAN_LABELED, 3.0),
            Arguments.of(Reduction.SUM, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mseReductions")
    void mseForwardBackward_unlabeledEntry_isSquaredErrorOverD(Reduction r, double D) {
        MeanSquaredError loss = new MeanSquaredError(r);
        assertClose("J " + r, 3.5 / D, loss.forward(ZM, mseTargets()), TOL);
        double[][] dz = garbage(2, 2);
        loss.backward(dz, ZM, mseTargets());
        assertClose("dz " + r, new double[][] {{-1.0 / D, -3.0 / D}, {0.0, 2.0 / D}}, dz, TOL);
        assertThat(dz[1][0]).isEqualTo(0.0);
    }

    @Test
    void mseWeights_sum_weighEachColumn() {
        // w = [2, 0.5]: S = 2·0.25 + 0.5·2.25 + 0.5·1 = 2.125; dz = w·2(z − y) = [[−2, −1.5], [0, 1]]
        MeanSquaredError loss = new MeanSquaredError(Reduction.SUM, new double[] {2.0, 0.5});
        assertThat(loss.forward(ZM, mseTargets())).isEqualTo(2.125);
        double[][] dz = garbage(2, 2);
        loss.backward(dz, ZM, mseTargets());
        assertSameBits("dz", new double[][] {{-2.0, -1.5}, {0.0, 1.0}}, dz);
    }

    // ---------------------------------------------------------------------------------------
    // nothing labeled: J = 0 and dz = 0 exactly (never 0/0 = NaN), for every loss and reduction

    static Stream<Arguments> everyLossAndReduction() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Reduction r : Reduction.values()) {
            b.add(Arguments.of("bce", new BinaryCrossEntropy(r)));
            b.add(Arguments.of("bce weighted", new BinaryCrossEntropy(r, new double[] {2.0, 0.5, 1.0}, new double[] {3.0, 1.0, 0.5})));
            b.add(Arguments.of("softmax", new SoftmaxCrossEntropy(r)));
            b.add(Arguments.of("mse", new MeanSquaredError(r)));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyLossAndReduction")
    void forwardBackward_nothingLabeled_isExactlyZeroNotNaN(String name, Loss loss) {
        double[][] z = {{0.3, -2.0, 5.0}, {1e4, -700, 0.0}};
        Targets t = new Targets(new double[][] {{Double.NaN, 0.5, 2.0}, {-1.0, Double.NaN, 0.0}}, new boolean[2][3]);
        double J = loss.forward(z, t);
        assertThat(Double.doubleToRawLongBits(J)).as(name + " " + loss.reduction() + " J = +0.0, found " + J).isEqualTo(0L);
        double[][] dz = garbage(2, 3);
        loss.backward(dz, z, t);
        assertSameBits(name + " " + loss.reduction() + " dz", new double[2][3], dz);
    }

    // ---------------------------------------------------------------------------------------
    // extreme logits: finite loss and gradient with the right limiting values

    /** (z, y, ℓ, dℓ/dz) with the true limits: ℓ → softplus(z) − z·y, dℓ/dz → σ(z) − y. */
    static Stream<Arguments> bceExtremes() {
        return Stream.of(
            // ℓ(z, 0) = softplus(z) = z + log(1 + e^−z) = z up to e^−z, which is below an ulp of z
            Arguments.of(1e4, 0.0, 1e4, 1.0),
            Arguments.of(-1e4, 1.0, 1e4, -1.0),
            // correct side: ℓ = log(1 + e^−|z|) ≈ e^−|z|, which underflows to 0 for |z| = 1e4
            Arguments.of(1e4, 1.0, 0.0, 0.0),
            Arguments.of(-1e4, 0.0, 0.0, 0.0),
            // soft label: ℓ = z·(1 − y) + tiny = 7000, dℓ/dz = 1 − y = 0.7 (sic: 1 − 0.3 in double)
            Arguments.of(1e4, 0.3, 7000.0, 1.0 - 0.3),
            Arguments.of(700.0, 0.0, 700.0, 1.0),
            Arguments.of(-700.0, 1.0, 700.0, -1.0),
            // e^−700 = 9.85967654375977e-305 (Python math.log1p(math.exp(-700))): still a normal double
            Arguments.of(700.0, 1.0, 9.85967654375977e-305, 0.0),
            Arguments.of(800.0, 0.0, 800.0, 1.0),
            Arguments.of(-800.0, 1.0, 800.0, -1.0),
            Arguments.of(800.0, 1.0, 0.0, 0.0),
            Arguments.of(1e300, 0.0, 1e300, 1.0),
            Arguments.of(-1e300, 1.0, 1e300, -1.0),
            Arguments.of(1e300, 1.0, 0.0, 0.0));
    }

    @ParameterizedTest(name = "z={0} y={1}")
    @MethodSource("bceExtremes")
    void bce_extremeLogit_finiteWithLimitingValues(double z, double y, double loss, double grad) {
        BinaryCrossEntropy bce = new BinaryCrossEntropy(Reduction.SUM);
        Targets t = Targets.of(new double[][] {{y}});
        double[][] zz = {{z}};
        double J = bce.forward(zz, t);
        double[][] dz = garbage(1, 1);
        bce.backward(dz, zz, t);
        assertThat(J).as("J finite").isFinite();
        assertThat(dz[0][0]).as("dz finite").isFinite();
        assertClose("J", loss, J, REL_TOL * Math.max(1.0, Math.abs(loss)));
        assertClose("dz", grad, dz[0][0], TOL);
    }

    @Test
    void bceBackward_extremeLogitsMeanAll_gradientTendsToOneOverD() {
        // wrong-side saturated entries: dz → ±1/D with D = N·K = 4; right-side: 0
        double[][] z = {{1e4, -1e4}, {800, -800}};
        double[][] y = {{0, 1}, {1, 1}};
        double[][] dz = garbage(2, 2);
        new BinaryCrossEntropy(Reduction.MEAN_ALL).backward(dz, z, Targets.of(y));
        assertClose("dz", new double[][] {{0.25, -0.25}, {0.0, -0.25}}, dz, TOL);
    }

    @Test
    void bcePosWeight_extremeLogit_scalesTheLimit() {
        // ℓ(−800, 1, p=3) = 3·softplus(800) = 2400;  dℓ/dz = −p·(1 − σ(−800)) = −3
        assertClose("term", 2400.0, BinaryCrossEntropy.term(-800, 1.0, 3.0), REL_TOL * 2400);
        assertClose("grad", -3.0, BinaryCrossEntropy.grad(-800, 1.0, 3.0), TOL);
        assertClose("term 1e4", 3e4, BinaryCrossEntropy.term(-1e4, 1.0, 3.0), REL_TOL * 3e4);
    }

    static Stream<Arguments> softmaxExtremes() {
        // (z, class, ℓ = lse(z) − z_c, q − y)
        return Stream.of(
            Arguments.of(new double[] {1e4, -1e4, 0.0}, 1, 2e4, new double[] {1.0, -1.0, 0.0}),
            Arguments.of(new double[] {1e4, -1e4, 0.0}, 0, 0.0, new double[] {0.0, 0.0, 0.0}),
            Arguments.of(new double[] {800.0, -800.0}, 1, 1600.0, new double[] {1.0, -1.0}),
            Arguments.of(new double[] {-800.0, -800.0, -900.0}, 2, 100.0 + Math.log(2.0), new double[] {0.5, 0.5, -1.0}),
            // lse([700, 700, −700]) − 700 = log 2 = 0.69314718055994530942 (mpmath)
            Arguments.of(new double[] {700.0, 700.0, -700.0}, 0, 0.69314718055994530942, new double[] {-0.5, 0.5, 0.0}),
            Arguments.of(new double[] {1e300, -1e300}, 1, 2e300, new double[] {1.0, -1.0}));
    }

    @ParameterizedTest(name = "class {1}")
    @MethodSource("softmaxExtremes")
    void softmax_extremeLogits_finiteWithLimitingValues(double[] z, int c, double loss, double[] grad) {
        SoftmaxCrossEntropy sce = new SoftmaxCrossEntropy(Reduction.SUM);
        Targets t = Targets.ofClasses(new int[] {c}, z.length);
        double[][] zz = {z};
        double J = sce.forward(zz, t);
        double[][] dz = garbage(1, z.length);
        sce.backward(dz, zz, t);
        assertThat(J).as("J finite").isFinite();
        assertClose("J", loss, J, REL_TOL * Math.max(1.0, Math.abs(loss)));
        assertClose("dz", new double[][] {grad}, dz, TOL);
    }

    @Test
    void mse_largeErrors_finiteExactValues() {
        // (1e4 − 0)² = 1e8, (−800 − 1)² = 641601; per_example D = 1: dz = 2e4, −1602
        MeanSquaredError mse = new MeanSquaredError(Reduction.PER_EXAMPLE);
        double[][] z = {{1e4, -800.0}};
        Targets t = Targets.of(new double[][] {{0.0, 1.0}});
        assertThat(mse.forward(z, t)).isEqualTo(1e8 + 641601.0);
        double[][] dz = garbage(1, 2);
        mse.backward(dz, z, t);
        assertSameBits("dz", new double[][] {{2e4, -1602.0}}, dz);
    }

    /** An output buffer filled with garbage, to catch an entry that backward forgets to write. */
    static double[][] garbage(int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) java.util.Arrays.fill(row, -12345.678);
        return a;
    }
}
