package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static plainnet.Assert.assertSameBits;
import static plainnet.Assert.copy;
import static plainnet.Assert.gaussian;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Freezing (SPEC.md, "Freezing"): a frozen layer's parameters never change, it computes no dW/db,
 * the optimizer keeps no step for it, gradients still pass through it, and backward stops below
 * the lowest trainable layer.
 */
class FreezingTest {

    private static final long SEED = 777L;
    private static final int N = 8, I = 5, H1 = 6, H2 = 4, K = 3;
    private static final int STEPS = 50;
    /** Fills a frozen layer's dW/db before backward: a frozen layer must not even overwrite it. */
    private static final double SENTINEL = 42.125;

    private static Network network(long seed) {
        Rng rng = new Rng(seed);
        return new Network(
            new Dense(I, H1, Activation.TANH, rng),
            new Dense(H1, H2, Activation.LEAKY_RELU, rng),
            new Dense(H2, K, Activation.IDENTITY, rng));
    }

    private static double[][] input() {
        return gaussian(new Rng(SEED + 1), N, I, 1.0);
    }

    private static Targets targets() {
        Rng rng = new Rng(SEED + 2);
        double[][] y = new double[N][K];
        for (double[] row : y) for (int k = 0; k < K; k++) row[k] = rng.nextInt(2);
        return Targets.of(y);
    }

    /** zeroGrad, forward, BCE backward, network backward. */
    private static void lossBackward(Network net, double[][] x, Targets t) {
        net.zeroGrad();
        double[][] out = net.forward(x);
        double[][] dout = new double[N][K];
        new BinaryCrossEntropy().backward(dout, out, t);
        net.backward(dout);
    }

    static Stream<Arguments> everyOptimizerAndDecay() {
        Optimizer[] base = {Optimizer.sgd(0.1), Optimizer.momentum(0.05, 0.9), Optimizer.adam(0.01)};
        Stream.Builder<Arguments> b = Stream.builder();
        for (Optimizer o : base) {
            b.add(Arguments.of(o));
            b.add(Arguments.of(o.withWeightDecay(0.1, false)));
            b.add(Arguments.of(o.withWeightDecay(0.1, true)));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyOptimizerAndDecay")
    void step_frozenMiddleLayerManySteps_parametersBitIdentical(Optimizer opt) {
        Network net = network(SEED);
        net.freeze(1, 2);
        double[][] W1 = copy(net.layer(1).W);
        double[] b1 = net.layer(1).b.clone();
        double[][] W0 = copy(net.layer(0).W);
        double[][] x = input();
        Targets t = targets();
        for (int s = 0; s < STEPS; s++) {
            lossBackward(net, x, t);
            opt.step(net);
        }
        assertSameBits("frozen W", W1, net.layer(1).W);
        assertSameBits("frozen b", b1, net.layer(1).b);
        assertThat(opt.steps(net.layer(1))).isZero();
        // not vacuous: the trainable layers did move
        assertThat(net.layer(0).W[0][0]).isNotEqualTo(W0[0][0]);
        assertThat(opt.steps(net.layer(0))).isEqualTo(STEPS);
        assertThat(opt.steps(net.layer(2))).isEqualTo(STEPS);
    }

    @Test
    void backward_frozenLayer_leavesItsDwDbUntouched() {
        Network net = network(SEED);
        net.freeze(1, 2);
        net.forward(input());
        fillGradients(net.layer(1), SENTINEL);
        double[][] dout = gaussian(new Rng(SEED + 3), N, K, 1.0);
        net.backward(dout);
        for (double[] row : net.layer(1).dW) for (double v : row) assertThat(v).isEqualTo(SENTINEL);
        for (double v : net.layer(1).db) assertThat(v).isEqualTo(SENTINEL);
        // Dense.zeroGrad clears a frozen layer too, and another backward leaves it exactly zero
        net.layer(1).zeroGrad();
        net.backward(dout);
        assertSameBits("frozen dW", new double[H2][H1], net.layer(1).dW);
        assertSameBits("frozen db", new double[H2], net.layer(1).db);
    }

    @Test
    void freeze_layerWithAGradient_setsItToZero_andNetworkZeroGradSkipsFrozenLayers() {
        Network net = network(SEED);
        net.forward(input());
        double[][] dout = gaussian(new Rng(SEED + 3), N, K, 1.0);
        net.backward(dout);
        assertThat(net.layer(1).dW[0][0]).isNotZero();
        // freezing a trainable layer clears its gradient: a frozen layer's gradient is zero
        net.freeze(1, 2);
        assertSameBits("dW after freeze", new double[H2][H1], net.layer(1).dW);
        assertSameBits("db after freeze", new double[H2], net.layer(1).db);
        // freezing an already frozen layer does not touch its arrays
        fillGradients(net.layer(1), SENTINEL);
        net.freeze(1, 2);
        assertThat(net.layer(1).dW[0][0]).isEqualTo(SENTINEL);
        // Network.zeroGrad clears the trainable layers and skips the frozen one
        net.zeroGrad();
        assertThat(net.layer(1).dW[0][0]).isEqualTo(SENTINEL);
        assertThat(net.layer(1).db[0]).isEqualTo(SENTINEL);
        for (int l : new int[] {0, 2}) {
            assertSameBits("trainable dW " + l, new double[net.layer(l).O][net.layer(l).I], net.layer(l).dW);
            assertSameBits("trainable db " + l, new double[net.layer(l).O], net.layer(l).db);
        }
    }

    @Test
    void backward_frozenMiddleLayer_gradientFlowsToLayerBelowBitIdentical() {
        double[][] x = input();
        double[][] dout = gaussian(new Rng(SEED + 3), N, K, 1.0);
        Network full = network(SEED);
        full.forward(x);
        full.backward(dout);
        Network frozen = network(SEED);
        frozen.freeze(1, 2);
        frozen.forward(x);
        frozen.backward(dout);
        assertSameBits("layer 0 dW", full.layer(0).dW, frozen.layer(0).dW);
        assertSameBits("layer 0 db", full.layer(0).db, frozen.layer(0).db);
        assertSameBits("layer 2 dW", full.layer(2).dW, frozen.layer(2).dW);
        assertThat(maxAbs(frozen.layer(0).dW)).as("gradient reached layer 0").isGreaterThan(0.0);
    }

    @Test
    void backward_onlyHeadTrainable_lowerGradientsZeroHeadGradientUnchanged() {
        double[][] x = input();
        double[][] dout = gaussian(new Rng(SEED + 3), N, K, 1.0);
        Network full = network(SEED);
        full.forward(x);
        full.backward(dout);
        Network head = network(SEED);
        head.freeze(0, 2);
        assertThat(head.lowestTrainable()).isEqualTo(2);
        head.forward(x);
        head.backward(dout);
        assertSameBits("layer 0 dW", new double[H1][I], head.layer(0).dW);
        assertSameBits("layer 1 dW", new double[H2][H1], head.layer(1).dW);
        assertSameBits("layer 0 db", new double[H1], head.layer(0).db);
        assertSameBits("head dW", full.layer(2).dW, head.layer(2).dW);
        assertSameBits("head db", full.layer(2).db, head.layer(2).db);
    }

    @Test
    void backwardToInput_lowerLayersFrozen_dxIdenticalToFullyTrainable() {
        double[][] x = input();
        double[][] dout = gaussian(new Rng(SEED + 3), N, K, 1.0);
        Network full = network(SEED);
        full.forward(x);
        double[][] dxFull = copy(full.backwardToInput(dout));
        for (int[] range : new int[][] {{0, 2}, {0, 3}, {1, 2}, {0, 1}}) {
            Network net = network(SEED);
            net.freeze(range[0], range[1]);
            net.forward(x);
            double[][] dx = net.backwardToInput(dout);
            assertSameBits("dx with layers [" + range[0] + ", " + range[1] + ") frozen", dxFull, dx);
            for (int l = range[0]; l < range[1]; l++) {
                for (double[] row : net.layer(l).dW) for (double v : row) assertThat(v).as("frozen layer " + l + " dW").isEqualTo(0.0);
            }
        }
        assertThat(dxFull[0][0]).isNotEqualTo(0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyOptimizerAndDecay")
    void backwardAndStep_allLayersFrozen_changeNothing(Optimizer opt) {
        Network net = network(SEED);
        net.freeze(0, net.size());
        assertThat(net.lowestTrainable()).isEqualTo(-1);
        assertThat(net.trainableParameterCount()).isZero();
        Network reference = network(SEED);
        net.forward(input());
        for (int l = 0; l < net.size(); l++) fillGradients(net.layer(l), SENTINEL);
        net.backward(gaussian(new Rng(SEED + 3), N, K, 1.0));
        for (int l = 0; l < net.size(); l++) {
            for (double[] row : net.layer(l).dW) for (double v : row) assertThat(v).isEqualTo(SENTINEL);
        }
        for (int s = 0; s < 3; s++) opt.step(net); // with nonzero (sentinel) gradients present
        for (int l = 0; l < net.size(); l++) {
            assertSameBits("layer " + l + " W", reference.layer(l).W, net.layer(l).W);
            assertSameBits("layer " + l + " b", reference.layer(l).b, net.layer(l).b);
            assertThat(opt.steps(net.layer(l))).isZero();
        }
    }

    @Test
    void steps_frozenThenUnfrozen_countPausesAndResumes() {
        Network net = network(SEED);
        Optimizer opt = Optimizer.adam(0.01);
        Dense layer = net.layer(1);
        for (int s = 0; s < 3; s++) opt.step(net);
        assertThat(opt.steps(layer)).isEqualTo(3);
        net.freeze(1, 2);
        for (int s = 0; s < 5; s++) opt.step(net);
        assertThat(opt.steps(layer)).isEqualTo(3);
        assertThat(opt.steps(net.layer(0))).isEqualTo(8);
        net.unfreeze(1, 2);
        opt.step(net);
        assertThat(opt.steps(layer)).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyOptimizerAndDecay")
    void step_frozenInTheMiddleOfTraining_stateResumesAsIfThePauseNeverHappened(Optimizer proto) {
        // Same fixed gradient every step. Run A: 3 steps, 5 frozen steps, 2 steps. Run B: 5 steps.
        // Moments and the step count resume where they stopped, so the layer ends with the same bits.
        Network a = network(SEED), b = network(SEED);
        Optimizer optA = proto.withWeightDecay(proto.lambda, proto.decoupled); // fresh state
        Optimizer optB = proto.withWeightDecay(proto.lambda, proto.decoupled);
        double[][] G = gaussian(new Rng(SEED + 4), H2, H1, 0.3);
        double[] g = gaussian(new Rng(SEED + 5), 1, H2, 0.3)[0];
        setGradients(a.layer(1), G, g);
        setGradients(b.layer(1), G, g);
        for (int s = 0; s < 3; s++) optA.step(a);
        a.freeze(1, 2);
        for (int s = 0; s < 5; s++) optA.step(a);
        a.unfreeze(1, 2);
        setGradients(a.layer(1), G, g); // freezing cleared the gradient; the same one again
        for (int s = 0; s < 2; s++) optA.step(a);
        for (int s = 0; s < 5; s++) optB.step(b);
        assertThat(optA.steps(a.layer(1))).isEqualTo(5);
        assertSameBits("W after pause", b.layer(1).W, a.layer(1).W);
        assertSameBits("b after pause", b.layer(1).b, a.layer(1).b);
        assertThat(a.layer(1).W[0][0]).isNotEqualTo(network(SEED).layer(1).W[0][0]);
    }

    @Test
    void freeze_range_setsOnlyThoseLayers() {
        Network net = network(SEED);
        net.freeze(1, 3);
        assertThat(net.layer(0).isTrainable()).isTrue();
        assertThat(net.layer(1).isTrainable()).isFalse();
        assertThat(net.layer(2).isTrainable()).isFalse();
        net.unfreeze(2, 3);
        assertThat(net.layer(2).isTrainable()).isTrue();
        assertThat(net.layer(1).isTrainable()).isFalse();
        net.freeze(0, 0); // empty range: nothing
        assertThat(net.layer(0).isTrainable()).isTrue();
    }

    private static double maxAbs(double[][] a) {
        double m = 0.0;
        for (double[] row : a) for (double v : row) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static void fillGradients(Dense layer, double v) {
        for (double[] row : layer.dW) java.util.Arrays.fill(row, v);
        java.util.Arrays.fill(layer.db, v);
    }

    private static void setGradients(Dense layer, double[][] G, double[] g) {
        for (int o = 0; o < layer.O; o++) System.arraycopy(G[o], 0, layer.dW[o], 0, layer.I);
        System.arraycopy(g, 0, layer.db, 0, layer.O);
    }
}
