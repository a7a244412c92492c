package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static plainnet.Assert.assertClose;
import static plainnet.Assert.assertSameBits;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The three transfer strategies of SPEC.md §10.1 and §19: discriminative learning rates
 * ({@link Optimizer#withLrDecay}), L2-SP ({@link Optimizer#withL2SP}) and gradual unfreezing
 * ({@link Trainer#fitGradual}). Expected values are derived by hand (dyadic numbers, so exact),
 * from finite differences (GradCheck), or from an identity the SPEC states (L2-SP with W⁰ = 0 is
 * coupled L2; the gradual schedule is a written-out sequence of unfreeze and fit calls).
 */
class TransferStrategiesTest {

    /** A 3-4-3-2 tanh network from a fixed seed; layer l has its own random W. */
    private static Network net(long seed) {
        Rng rng = new Rng(seed);
        return new Network(new Dense(3, 4, Activation.TANH, rng), new Dense(4, 3, Activation.TANH, rng), new Dense(3, 2, Activation.IDENTITY, rng));
    }

    private static double[][] x(long seed, int N) {
        return Assert.gaussian(new Rng(seed), N, 3, 1.0);
    }

    private static Targets t(long seed, int N) {
        Rng rng = new Rng(seed);
        double[][] y = new double[N][2];
        boolean[][] known = new boolean[N][2];
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < 2; k++) {
                y[n][k] = rng.nextDouble() < 0.5 ? 1.0 : 0.0;
                known[n][k] = rng.nextDouble() < 0.8;
            }
        }
        return new Targets(y, known);
    }

    private static double[][][] weights(Network net) {
        double[][][] W = new double[net.size()][][];
        for (int l = 0; l < net.size(); l++) W[l] = Assert.copy(net.layer(l).W);
        return W;
    }

    private static void assertSameNetworks(String what, Network expected, Network actual) {
        for (int l = 0; l < expected.size(); l++) {
            assertSameBits(what + " W[" + l + "]", expected.layer(l).W, actual.layer(l).W);
            assertSameBits(what + " b[" + l + "]", expected.layer(l).b, actual.layer(l).b);
        }
    }

    /** Every W entry 1, b 0, dW 1 (set directly), db 0: one SGD step moves W by −η. */
    private static Network ones() {
        List<Dense> layers = new ArrayList<Dense>();
        for (int l = 0; l < 3; l++) {
            double[][] W = {{1.0, 1.0}, {1.0, 1.0}};
            Dense d = new Dense(W, new double[2], Activation.IDENTITY);
            for (double[] row : d.dW) java.util.Arrays.fill(row, 1.0);
            layers.add(d);
        }
        return new Network(layers);
    }

    // ---- discriminative learning rates ------------------------------------------------------

    @Test
    void lrDecay_layerDStepsBelowTop_stepsAtLrTimesScaleTimesFPowMinusD() {
        // η_l = lr · (lrScale_l · F^(−d)), d = 2 − l; lr 0.5, F = 2, layer 0 with lrScale 0.5:
        //   layer 2 (d 0): η = 0.5                 W = 1 − 0.5·1   = 0.5
        //   layer 1 (d 1): η = 0.5 · 0.5 = 0.25    W = 1 − 0.25    = 0.75
        //   layer 0 (d 2): η = 0.5 · (0.5 · 0.25)  W = 1 − 0.0625  = 0.9375   (dyadic: exact)
        Network net = ones();
        net.layer(0).setLrScale(0.5);
        Optimizer.sgd(0.5).withLrDecay(2.0).step(net);
        assertThat(net.layer(2).W[0][0]).isEqualTo(0.5);
        assertThat(net.layer(1).W[1][1]).isEqualTo(0.75);
        assertThat(net.layer(0).W[0][1]).isEqualTo(0.9375);
        assertThat(net.layer(0).lrScale()).as("the layer's own lrScale is not changed").isEqualTo(0.5);
    }

    @Test
    void lrDecay_ulmfitFactor_matchesTheFormula() {
        // F = 2.6: layer 0 (d = 2) steps by lr / 6.76 = 0.1 · 0.14792899408284023…; one SGD step from W = 1, dW = 1.
        Network net = ones();
        Optimizer.sgd(0.1).withLrDecay(2.6).step(net);
        assertClose("layer 0", 1.0 - 0.1 / 6.76, net.layer(0).W[0][0], 1e-16);
        assertClose("layer 1", 1.0 - 0.1 / 2.6, net.layer(1).W[0][0], 1e-16);
        assertThat(net.layer(2).W[0][0]).isEqualTo(1.0 - 0.1);
    }

    @Test
    void lrDecay_factorOne_sameBitsAsNoDecay_andTopLayerAlwaysSameBits() {
        Network a = net(3), b = a.copy(), c = a.copy();
        double[][] x = x(4, 12);
        Targets t = t(5, 12);
        new Trainer(a, new BinaryCrossEntropy(), Optimizer.adam(0.01)).fit(x, t, null, null, null);
        new Trainer(b, new BinaryCrossEntropy(), Optimizer.adam(0.01).withLrDecay(1.0)).fit(x, t, null, null, null);
        assertSameNetworks("F = 1", a, b);
        // With F > 1 only the layers below the top move differently after one step from the same state.
        Network d = c.copy();
        Optimizer.sgd(0.1).step(gradient(c, x, t));
        Optimizer.sgd(0.1).withLrDecay(3.0).step(gradient(d, x, t));
        assertSameBits("top layer W", c.layer(2).W, d.layer(2).W);
        assertThat(d.layer(0).W[0][0]).isNotEqualTo(c.layer(0).W[0][0]);
    }

    @Test
    void lrDecay_belowOneOrNotFinite_refused() {
        assertThatThrownBy(() -> Optimizer.adam(0.01).withLrDecay(0.5)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("learning-rate decay F: expected a finite number >= 1 (each layer further down trains F times slower), found 0.5");
        assertThatThrownBy(() -> Optimizer.adam(0.01).withLrDecay(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Optimizer.adam(0.01).withLrDecay(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    /** net with dW, db of the whole batch from zero. */
    private static Network gradient(Network net, double[][] x, Targets t) {
        double[][] z = net.forward(x);
        double[][] dz = new double[z.length][z[0].length];
        new BinaryCrossEntropy().backward(dz, z, t);
        net.zeroGrad();
        net.backward(dz);
        return net;
    }

    // ---- L2-SP -------------------------------------------------------------------------------

    @Test
    void l2sp_oneSgdStep_handComputed() {
        // g = dW + α·(W − W⁰), W = 1, dW = 1, α = 0.5: W⁰ = 0.5 (layer 0) gives g = 1.25, W = 1 − 0.5·1.25 = 0.375;
        // no anchor (layer 1, 2: W⁰ = 0) gives g = 1.5, W = 1 − 0.75 = 0.25. b (db = 0) is not penalised: stays 0.
        Network net = ones();
        double[][] W0 = {{0.5, 0.5}, {0.5, 0.5}};
        Optimizer.sgd(0.5).withL2SP(0.5, new Dense[] {net.layer(0)}, new double[][][] {W0}).step(net);
        assertThat(net.layer(0).W[1][0]).isEqualTo(0.375);
        assertThat(net.layer(1).W[0][1]).isEqualTo(0.25);
        assertThat(net.layer(2).W[1][1]).isEqualTo(0.25);
        assertThat(net.layer(0).b[0]).isEqualTo(0.0);
        assertThat(net.layer(0).dW[0][0]).as("dW is read, not modified").isEqualTo(1.0);
    }

    @Test
    void l2sp_anchorsZero_equalCoupledWeightDecay_bitForBit() {
        double[][] x = x(4, 12);
        Targets t = t(5, 12);
        Optimizer[] kinds = {Optimizer.sgd(0.1), Optimizer.momentum(0.05, 0.9), Optimizer.adam(0.01)};
        for (Optimizer kind : kinds) {
            Network coupled = net(3), zeroAnchors = coupled.copy(), noAnchors = coupled.copy();
            coupled.freeze(0, 1);
            zeroAnchors.freeze(0, 1);
            noAnchors.freeze(0, 1);
            Dense[] all = {zeroAnchors.layer(0), zeroAnchors.layer(1), zeroAnchors.layer(2)};
            double[][][] zeros = {new double[4][3], new double[3][4], new double[2][3]};
            train(coupled, kind.withWeightDecay(0.3, false), x, t);
            train(zeroAnchors, kind.withL2SP(0.3, all, zeros), x, t);
            train(noAnchors, kind.withL2SP(0.3, new Dense[0], new double[0][][]), x, t);
            assertSameNetworks(kind.kind + " W⁰ = 0", coupled, zeroAnchors);
            assertSameNetworks(kind.kind + " no anchors", coupled, noAnchors);
        }
    }

    @Test
    void l2sp_alphaZero_equalsNone_bitForBit() {
        double[][] x = x(4, 12);
        Targets t = t(5, 12);
        Network plain = net(3), sp = plain.copy();
        double[][][] W0 = weights(net(99));
        train(plain, Optimizer.adam(0.01).withWeightDecay(0.01, false), x, t);
        train(sp, Optimizer.adam(0.01).withWeightDecay(0.01, false).withL2SP(0.0, new Dense[] {sp.layer(0), sp.layer(1), sp.layer(2)}, W0), x, t);
        assertSameNetworks("alpha 0", plain, sp);
    }

    @Test
    void l2sp_pullsTowardTheAnchor() {
        // A large α keeps the anchored weights near W⁰: after training, ‖W − W⁰‖ is smaller than without L2-SP.
        double[][] x = x(4, 12);
        Targets t = t(5, 12);
        Network free = net(3), held = free.copy();
        double[][][] W0 = weights(free);
        train(free, Optimizer.adam(0.05), x, t);
        train(held, Optimizer.adam(0.05).withL2SP(5.0, new Dense[] {held.layer(0), held.layer(1)}, new double[][][] {W0[0], W0[1]}), x, t);
        assertThat(distance(held.layer(0).W, W0[0])).isLessThan(distance(free.layer(0).W, W0[0]) / 2);
    }

    @Test
    void l2sp_gradient_passesFiniteDifferenceCheck() {
        // The penalty with anchors away from W (and coupled λ on top) is differentiated by the
        // optimizer's own code; GradCheck compares it with central differences of the objective.
        Network net = net(3);
        net.freeze(0, 1); // a frozen layer is no parameter: not penalised, not checked
        double[][][] W0 = weights(net(17));
        Optimizer opt = Optimizer.sgd(0.1).withWeightDecay(0.1, false)
            .withL2SP(0.7, new Dense[] {net.layer(0), net.layer(1)}, new double[][][] {W0[0], W0[1]});
        GradCheck.Report r = GradCheck.run(net, new BinaryCrossEntropy(), x(4, 6), t(5, 6), opt, GradCheck.EPS, GradCheck.THRESHOLD);
        assertThat(r.passed()).as(r.toString()).isTrue();
        assertThat(r.arrays).hasSize(5); // W, b of layers 1 and 2, and x
        // The penalty is not negligible here: its gradient moves g of layer 1 far beyond the threshold.
        double[][] g = new double[3][4];
        opt.l2spGradient(g, net.layer(1));
        assertThat(distance(g, net.layer(1).dW)).isGreaterThan(0.1);
        assertThat(opt.penalty(net)).isGreaterThan(0.1);
    }

    @Test
    void l2sp_badAnchors_refusedNamingTheProblem() {
        Network net = net(3);
        assertThatThrownBy(() -> Optimizer.adam(0.01).withL2SP(0.1, new Dense[] {net.layer(0)}, new double[][][] {new double[3][4]}))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("L2-SP anchor W0[0]: expected 4 rows, found 3");
        assertThatThrownBy(() -> Optimizer.adam(0.01).withL2SP(-1.0, new Dense[0], new double[0][][]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2-SP strength alpha");
        assertThatThrownBy(() -> Optimizer.adam(0.01).withL2SP(0.1, new Dense[] {net.layer(0), net.layer(0)}, new double[][][] {new double[4][3], new double[4][3]}))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("L2-SP anchors: layers[1]: expected each layer once, found it again");
    }

    @Test
    void l2sp_settingsSurviveWeightDecayAndLrDecay_withFreshState() {
        Network net = net(3);
        double[][][] W0 = weights(net);
        Optimizer o = Optimizer.adam(0.01).withL2SP(0.2, new Dense[] {net.layer(0)}, new double[][][] {W0[0]}).withLrDecay(2.0).withWeightDecay(0.1, true);
        assertThat(o.l2sp).isEqualTo(0.2);
        assertThat(o.lrDecay).isEqualTo(2.0);
        assertSameBits("anchor", W0[0], o.anchor(net.layer(0)));
        assertThat(o.anchor(net.layer(1))).isNull();
        W0[0][0][0] = 42.0;
        assertThat(o.anchor(net.layer(0))[0][0]).as("the anchor was copied").isNotEqualTo(42.0);
    }

    private static double distance(double[][] a, double[][] b) {
        double s = 0.0;
        for (int o = 0; o < a.length; o++) for (int i = 0; i < a[o].length; i++) s += (a[o][i] - b[o][i]) * (a[o][i] - b[o][i]);
        return Math.sqrt(s);
    }

    private static void train(Network net, Optimizer opt, double[][] x, Targets t) {
        Trainer tr = new Trainer(net, new BinaryCrossEntropy(), opt);
        tr.epochs = 4;
        tr.batch = 5;
        tr.fit(x, t, null, null, null);
    }

    // ---- gradual unfreezing ------------------------------------------------------------------

    @Test
    void fitGradual_equalsTheHandWrittenUnfreezeAndFitCalls_bitForBit() {
        double[][] x = x(4, 14), xVal = x(6, 5);
        Targets t = t(5, 14), tVal = t(7, 5);
        Network a = net(3), b = a.copy();
        a.freeze(0, 2);
        b.freeze(0, 2);
        // the schedule through the API: h = 2, E = 5, stages k = 0, 1, 2 of 1, 1 and 3 epochs
        Optimizer optA = Optimizer.adam(0.02).withLrDecay(2.6);
        Trainer tr = new Trainer(a, new BinaryCrossEntropy(), optA);
        tr.epochs = 5;
        tr.batch = 4;
        tr.seed = 11;
        tr.decayEvery = 2;
        tr.decayFactor = 0.5;
        List<Double> losses = new ArrayList<Double>();
        Trainer.Result r = tr.fitGradual(x, t, xVal, tVal, e -> losses.add(e.validationLoss));
        // the same, written out as SPEC.md §19 states it
        Optimizer optB = Optimizer.adam(0.02).withLrDecay(2.6);
        Trainer hand = new Trainer(b, new BinaryCrossEntropy(), optB);
        hand.batch = 4;
        hand.decayEvery = 2;
        hand.decayFactor = 0.5;
        List<Double> handLosses = new ArrayList<Double>();
        b.unfreeze(2, 3);
        hand.epochs = 1;
        hand.seed = 11;
        hand.fit(x, t, xVal, tVal, e -> handLosses.add(e.validationLoss));
        b.unfreeze(1, 3);
        hand.seed = 12;
        hand.fit(x, t, xVal, tVal, e -> handLosses.add(e.validationLoss));
        b.unfreeze(0, 3);
        hand.epochs = 3;
        hand.seed = 13;
        hand.fit(x, t, xVal, tVal, e -> handLosses.add(e.validationLoss));

        assertSameNetworks("gradual", b, a);
        assertThat(losses).isEqualTo(handLosses).hasSize(5);
        assertThat(r.history).extracting(e -> e.epoch).containsExactly(1, 2, 3, 4, 5);
        assertThat(r.keptEpoch).isEqualTo(5);
        assertThat(tr.epochs).as("the settings are restored").isEqualTo(5);
        assertThat(tr.seed).isEqualTo(11);
        for (int l = 0; l < 3; l++) assertThat(optA.steps(a.layer(l))).as("steps of layer " + l).isEqualTo(optB.steps(b.layer(l)));
    }

    @Test
    void fitGradual_frozenLayersStayBitIdentical_andTheirOptimizerStateDoesNotAdvance() {
        // 14 rows in batches of 4: 4 steps per epoch. h = 2, E = 2: epoch 1 trains layer 2,
        // epoch 2 layers 1-2; layer 0 never trains.
        double[][] x = x(4, 14);
        Targets t = t(5, 14);
        Network net = net(3);
        net.freeze(0, 2);
        double[][][] W = weights(net);
        Optimizer opt = Optimizer.adam(0.02);
        Trainer tr = new Trainer(net, new BinaryCrossEntropy(), opt);
        tr.epochs = 2;
        tr.batch = 4;
        List<String> seen = new ArrayList<String>();
        tr.fitGradual(x, t, null, null, e -> {
            if (e.epoch == 1) {
                assertSameBits("layer 1 after epoch 1", W[1], net.layer(1).W);
                assertThat(opt.steps(net.layer(1))).isZero();
            }
            seen.add(e.epoch + ":" + net.lowestTrainable());
        });
        assertThat(seen).containsExactly("1:2", "2:1");
        assertSameBits("layer 0 W", W[0], net.layer(0).W);
        assertThat(opt.steps(net.layer(0))).isZero();
        assertThat(opt.steps(net.layer(1))).isEqualTo(4);
        assertThat(opt.steps(net.layer(2))).isEqualTo(8);
        assertThat(net.layer(0).isTrainable()).isFalse();
    }

    @Test
    void fitGradual_nothingFrozen_isOneFit() {
        double[][] x = x(4, 14);
        Targets t = t(5, 14);
        Network a = net(3), b = a.copy();
        Trainer ta = new Trainer(a, new BinaryCrossEntropy(), Optimizer.adam(0.02));
        Trainer tb = new Trainer(b, new BinaryCrossEntropy(), Optimizer.adam(0.02));
        ta.epochs = tb.epochs = 3;
        ta.fitGradual(x, t, null, null, null);
        tb.fit(x, t, null, null, null);
        assertSameNetworks("h = 0", b, a);
    }

    @Test
    void fitGradual_everyLayerFrozen_refused() {
        Network net = net(3);
        net.freeze(0, 3);
        Trainer tr = new Trainer(net, new BinaryCrossEntropy(), Optimizer.adam(0.02));
        assertThatThrownBy(() -> tr.fitGradual(x(4, 5), t(5, 5), null, null, null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("training: expected at least one trainable layer, found every layer frozen");
    }
}
