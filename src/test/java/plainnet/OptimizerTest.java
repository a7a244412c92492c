package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static plainnet.Assert.assertClose;
import static plainnet.Assert.assertSameBits;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The update rules on a tiny layer with fixed gradients (set directly in dW and db).
 *
 * <p>Expected parameters come from Python 3 + mpmath (40 digits), applying the formulas of
 * SPEC.md "Optimizers" to the exact doubles of the inputs (so lr 0.1 is the double nearest 0.1):
 * <pre>
 *   for t in 1..steps, each parameter j (decay only on W):
 *     g = grad_t[j] (+ lam*th[j] if coupled);  if decoupled: th[j] *= 1 - lr*lam
 *     sgd: th -= lr*g;  momentum: m = mu*m + g, th -= lr*m
 *     adam: m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; th -= lr*(m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
 * </pre>
 * The two gradient steps are G1, g1 then G2, g2 below.
 */
class OptimizerTest {

    /** Parameters of order 1 after a few updates computed in double: a few ulps. */
    private static final double TOL = 1e-15 * 8;

    private static final double[][] W0 = {{0.5, -1.0, 0.25}, {2.0, 0.75, -0.5}};
    private static final double[] B0 = {0.1, -0.2};
    private static final double[][] G1 = {{0.2, -0.4, 0.0}, {1.0, 0.3, -2.0}};
    private static final double[] GB1 = {0.5, -0.3};
    private static final double[][] G2 = {{-0.1, 0.6, 0.05}, {0.5, -0.3, 1.5}};
    private static final double[] GB2 = {0.25, 0.0};

    private static Network tiny() {
        return new Network(new Dense(W0, B0, Activation.IDENTITY));
    }

    private static void setGradient(Dense layer, double[][] G, double[] g) {
        for (int o = 0; o < layer.O; o++) System.arraycopy(G[o], 0, layer.dW[o], 0, layer.I);
        System.arraycopy(g, 0, layer.db, 0, layer.O);
    }

    /** Runs 1 or 2 steps (G1 then G2) and returns the layer. */
    private static Dense run(Optimizer opt, int steps, double lrScale) {
        Network net = tiny();
        Dense layer = net.layer(0);
        if (lrScale != 1.0) layer.setLrScale(lrScale);
        setGradient(layer, G1, GB1);
        opt.step(net);
        if (steps == 2) {
            setGradient(layer, G2, GB2);
            opt.step(net);
        }
        return layer;
    }

    private static void assertParameters(String name, Dense layer, double[][] W, double[] b) {
        assertClose(name + " W", W, layer.W, TOL);
        assertClose(name + " b", new double[][] {b}, new double[][] {layer.b}, TOL);
    }

    @Test
    void sgd_oneStep_subtractsLrTimesGradient() {
        // θ − 0.1·g, e.g. 0.5 − 0.1·0.2 = 0.48, −0.5 − 0.1·(−2) = −0.3, 0.1 − 0.1·0.5 = 0.05
        Dense layer = run(Optimizer.sgd(0.1), 1, 1.0);
        assertParameters("sgd", layer,
            new double[][] {{0.47999999999999999778, -0.95999999999999999556, 0.25}, {1.8999999999999999944, 0.71999999999999999944, -0.2999999999999999889}},
            new double[] {0.050000000000000002776, -0.17000000000000001055});
        assertThat(layer.W[0][2]).as("zero gradient leaves the weight exactly").isEqualTo(0.25);
    }

    @Test
    void sgd_step_readsButDoesNotModifyGradients() {
        Network net = tiny();
        setGradient(net.layer(0), G1, GB1);
        Optimizer.adam(0.01).withWeightDecay(0.1, false).step(net);
        assertSameBits("dW", G1, net.layer(0).dW);
        assertSameBits("db", GB1, net.layer(0).db);
    }

    @Test
    void momentum_twoSteps_accumulatesVelocity() {
        // v1 = g1, θ1 = θ0 − 0.1·g1;  v2 = 0.9·g1 + g2, θ2 = θ1 − 0.1·v2
        // e.g. W[0][0]: 0.5 − 0.02 − 0.1·(0.18 − 0.1) = 0.472;  b[0]: 0.1 − 0.05 − 0.1·(0.45 + 0.25) = −0.02
        Dense layer = run(Optimizer.momentum(0.1, 0.9), 2, 1.0);
        assertParameters("momentum", layer,
            new double[][] {{0.47199999999999999645, -0.98399999999999999178, 0.24499999999999999944}, {1.7599999999999999845, 0.72299999999999999883, -0.26999999999999998279}},
            new double[] {-0.02000000000000000222, -0.14300000000000000938});
    }

    @Test
    void adam_oneStep_movesEachParameterByAboutLr() {
        // t = 1: m̂ = g, v̂ = g², step = lr·g / (|g| + ε) ≈ lr·sign(g); g = 0 gives no step
        Dense layer = run(Optimizer.adam(0.01), 1, 1.0);
        assertParameters("adam t=1", layer,
            new double[][] {{0.49000000049999997479, -0.99000000024999999354, 0.25}, {1.9900000000999999988, 0.74000000033333332201, -0.49000000004999999954}},
            new double[] {0.090000000200000001343, -0.19000000033333333312});
    }

    @Test
    void adam_twoSteps_biasCorrectedMoments() {
        Dense layer = run(Optimizer.adam(0.01), 2, 1.0);
        assertParameters("adam t=2", layer,
            new double[][] {{0.48733663027186755756, -0.99247701836276796787, 0.2425586338685400578}, {1.9806782038298160403, 0.74052631610526314705, -0.4891067499810002123}},
            new double[] {0.080678204047746172005, -0.18329941810791540965});
    }

    @Test
    void adam_customConstants_twoSteps() {
        // β₁ = 0.5, β₂ = 0.75, ε = 0.1: large ε and fast decay make every constant visible in the result
        Dense layer = run(Optimizer.adam(0.05, 0.5, 0.75, 0.1), 2, 1.0);
        assertParameters("adam custom", layer,
            new double[][] {{0.46666666666666666482, -0.98137701301596159728, 0.23790486475295719541}, {1.9156014119489390096, 0.72499999999999999919, -0.46147822555580676739}},
            new double[] {0.023463238152964328428, -0.14563068228783120943});
    }

    @Test
    void sgd_coupledDecay_addsLambdaWToGradientNotToBias() {
        // W: θ − 0.1·(g + 0.1·θ), e.g. 0.5 − 0.1·(0.2 + 0.05) = 0.475;  b: as plain sgd
        Dense layer = run(Optimizer.sgd(0.1).withWeightDecay(0.1, false), 1, 1.0);
        assertParameters("sgd coupled", layer,
            new double[][] {{0.47499999999999999722, -0.94999999999999999445, 0.24749999999999999972}, {1.8799999999999999922, 0.71249999999999999861, -0.29499999999999998834}},
            new double[] {0.050000000000000002776, -0.17000000000000001055});
    }

    @Test
    void sgd_decoupledDecay_shrinksWBeforeUpdateNotBias() {
        // W: θ·(1 − 0.1·0.1) − 0.1·g: for plain SGD the same number as coupled, e.g. 0.5·0.99 − 0.02 = 0.475
        Dense layer = run(Optimizer.sgd(0.1).withWeightDecay(0.1, true), 1, 1.0);
        assertParameters("sgd decoupled", layer,
            new double[][] {{0.47499999999999999722, -0.94999999999999999445, 0.24749999999999999972}, {1.8799999999999999922, 0.71249999999999999861, -0.29499999999999998834}},
            new double[] {0.050000000000000002776, -0.17000000000000001055});
    }

    @Test
    void momentum_coupledDecay_decayEntersTheVelocity() {
        Dense layer = run(Optimizer.momentum(0.1, 0.9).withWeightDecay(0.1, false), 2, 1.0);
        assertParameters("momentum coupled", layer,
            new double[][] {{0.45774999999999999478, -0.95549999999999998845, 0.23777499999999999859}, {1.7031999999999999778, 0.70162499999999999631, -0.25754999999999998141}},
            new double[] {-0.02000000000000000222, -0.14300000000000000938});
    }

    @Test
    void adam_coupledDecay_twoSteps() {
        // coupled: λ·W enters m and v; the bias equals plain Adam's
        Dense layer = run(Optimizer.adam(0.01).withWeightDecay(0.1, false), 2, 1.0);
        assertParameters("adam coupled", layer,
            new double[][] {{0.48492288818670783954, -0.99053630545291310691, 0.23080606190387524089}, {1.980463923270468267, 0.73810427756751470958, -0.48883224622256998661}},
            new double[] {0.080678204047746172005, -0.18329941810791540965});
    }

    @Test
    void adam_decoupledDecay_twoSteps() {
        // AdamW: W ← W·(1 − 0.01·0.1) then the plain Adam step; the bias equals plain Adam's
        Dense layer = run(Optimizer.adam(0.01).withWeightDecay(0.1, true), 2, 1.0);
        assertParameters("adam decoupled", layer,
            new double[][] {{0.48634713027136755751, -0.99048801836251796773, 0.24205888386854005776}, {1.97669020382971604, 0.73903706610492981361, -0.48811724998095021223}},
            new double[] {0.080678204047746172005, -0.18329941810791540965});
    }

    @Test
    void sgd_lrScaleHalf_halvesTheStep() {
        // η = 0.1·0.5: 0.5 − 0.05·0.2 = 0.49
        Dense layer = run(Optimizer.sgd(0.1), 1, 0.5);
        assertParameters("sgd lrScale 0.5", layer,
            new double[][] {{0.48999999999999999889, -0.97999999999999999778, 0.25}, {1.9499999999999999972, 0.73499999999999999972, -0.39999999999999999445}},
            new double[] {0.075000000000000004163, -0.18500000000000001082});
    }

    @Test
    void adam_lrScaleHalf_halvesTheStep() {
        Dense layer = run(Optimizer.adam(0.01), 2, 0.5);
        assertParameters("adam lrScale 0.5", layer,
            new double[][] {{0.49366831513593377878, -0.99623850918138398394, 0.2462793169342700289}, {1.9903391019149080202, 0.74526315805263157352, -0.49455337499050010615}},
            new double[] {0.090339102023873088778, -0.19164970905395771037});
    }

    @Test
    void step_lrScalePerLayer_appliesOnlyToThatLayer() {
        Network net = new Network(new Dense(W0, B0, Activation.IDENTITY), new Dense(new double[][] {{1.0, -1.0}}, new double[] {0.0}, Activation.IDENTITY));
        net.layer(0).setLrScale(0.5);
        setGradient(net.layer(0), G1, GB1);
        net.layer(1).dW[0][0] = 1.0;
        net.layer(1).db[0] = -2.0;
        Optimizer.sgd(0.25).step(net);
        // layer 1, η = 0.25: 1 − 0.25·1 = 0.75, 0 − 0.25·(−2) = 0.5 (exact in binary)
        assertThat(net.layer(1).W[0][0]).isEqualTo(0.75);
        assertThat(net.layer(1).W[0][1]).isEqualTo(-1.0);
        assertThat(net.layer(1).b[0]).isEqualTo(0.5);
        // layer 0, η = 0.125: 0.5 − 0.125·0.2 = 0.475, −0.5 − 0.125·(−2) = −0.25
        assertClose("layer 0 W[0][0]", 0.475, net.layer(0).W[0][0], TOL);
        assertThat(net.layer(0).W[1][2]).isEqualTo(-0.25);
    }

    @Test
    void reset_afterSteps_forgetsMomentsAndStepCount() {
        Network a = tiny(), b = tiny();
        Optimizer opt = Optimizer.adam(0.01);
        setGradient(a.layer(0), G1, GB1);
        opt.step(a);
        opt.reset();
        assertThat(opt.steps(a.layer(0))).isZero();
        // after reset, a step from a's current parameters equals a fresh optimizer's step from the same parameters
        for (int o = 0; o < 2; o++) System.arraycopy(a.layer(0).W[o], 0, b.layer(0).W[o], 0, 3);
        System.arraycopy(a.layer(0).b, 0, b.layer(0).b, 0, 2);
        setGradient(a.layer(0), G2, GB2);
        setGradient(b.layer(0), G2, GB2);
        opt.step(a);
        Optimizer.adam(0.01).step(b);
        assertSameBits("W", b.layer(0).W, a.layer(0).W);
        assertThat(opt.steps(a.layer(0))).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------
    // bad arguments

    static Stream<Arguments> badArguments() {
        return Stream.of(
            Arguments.of("lr 0", (Executable) () -> Optimizer.sgd(0.0), "learning rate lr", "0.0"),
            Arguments.of("lr negative", (Executable) () -> Optimizer.adam(-0.5), "learning rate lr", "-0.5"),
            Arguments.of("lr NaN", (Executable) () -> Optimizer.sgd(Double.NaN), "learning rate lr", "NaN"),
            Arguments.of("lr infinite", (Executable) () -> Optimizer.momentum(Double.POSITIVE_INFINITY, 0.9), "learning rate lr", "Infinity"),
            Arguments.of("momentum 1", (Executable) () -> Optimizer.momentum(0.1, 1.0), "momentum mu", "1.0"),
            Arguments.of("momentum negative", (Executable) () -> Optimizer.momentum(0.1, -0.1), "momentum mu", "-0.1"),
            Arguments.of("momentum NaN", (Executable) () -> Optimizer.momentum(0.1, Double.NaN), "momentum mu", "NaN"),
            Arguments.of("beta1 1", (Executable) () -> Optimizer.adam(0.1, 1.0, 0.999, 1e-8), "beta1", "1.0"),
            Arguments.of("beta2 above 1", (Executable) () -> Optimizer.adam(0.1, 0.9, 1.5, 1e-8), "beta2", "1.5"),
            Arguments.of("eps 0", (Executable) () -> Optimizer.adam(0.1, 0.9, 0.999, 0.0), "eps", "0.0"),
            Arguments.of("eps negative", (Executable) () -> Optimizer.adam(0.1, 0.9, 0.999, -1e-8), "eps", "-1.0E-8"),
            Arguments.of("lambda negative", (Executable) () -> Optimizer.sgd(0.1).withWeightDecay(-0.01, false), "lambda", "-0.01"),
            Arguments.of("lambda NaN", (Executable) () -> Optimizer.adam(0.1).withWeightDecay(Double.NaN, true), "lambda", "NaN"),
            Arguments.of("lrScale 0", (Executable) () -> tiny().layer(0).setLrScale(0.0), "lrScale", "0.0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void constructor_badArgument_throwsNamingParameterAndValue(String name, Executable call, String parameter, String found) {
        assertThatThrownBy(call::execute)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(parameter)
            .hasMessageContaining("expected")
            .hasMessageContaining("found " + found);
    }

    @Test
    void constructor_boundaryValues_accepted() {
        // μ = 0 and λ = 0 are allowed; β just below 1 is allowed
        assertThat(Optimizer.momentum(0.1, 0.0).mu).isEqualTo(0.0);
        assertThat(Optimizer.sgd(0.1).withWeightDecay(0.0, true).lambda).isEqualTo(0.0);
        assertThat(Optimizer.adam(0.1, 0.0, 0.999999, 1e-300).beta2).isEqualTo(0.999999);
    }
}
