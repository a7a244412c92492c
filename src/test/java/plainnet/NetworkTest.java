package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static plainnet.Assert.assertClose;
import static plainnet.Assert.assertSameBits;
import static plainnet.Assert.copy;
import static plainnet.Assert.gaussian;

import org.junit.jupiter.api.Test;

/** Structure, forward, accessors and one hand-computed backward of {@link Network}. */
class NetworkTest {

    private static final long SEED = 11L;
    /** Results of order 1 from a transcendental function: a few ulps. */
    private static final double TOL = 1e-15 * 4;

    /** 3 → 4 (tanh) → 2 (identity). */
    private static Network net(long seed) {
        Rng rng = new Rng(seed);
        return new Network(new Dense(3, 4, Activation.TANH, rng), new Dense(4, 2, Activation.IDENTITY, rng));
    }

    /**
     * The hand-set network: W1 = [[1, −1], [0.5, 2]], b1 = [0, −1], relu; W2 = [[1, 1]], b2 = [0.5], f2.
     * Input x = [[1, 2], [3, −1]].
     */
    private static Network handNet(Activation f2) {
        return new Network(
            new Dense(new double[][] {{1, -1}, {0.5, 2}}, new double[] {0, -1}, Activation.RELU),
            new Dense(new double[][] {{1, 1}}, new double[] {0.5}, f2));
    }

    private static final double[][] HAND_X = {{1, 2}, {3, -1}};

    // ---------------------------------------------------------------------------------------
    // forward by hand

    @Test
    void forward_handSetNetwork_matchesHandComputation() {
        // layer 0: z = x·W1ᵀ + b1
        //   row 0: [0 + 1·1 + 2·(−1), −1 + 1·0.5 + 2·2] = [−1, 3.5]   a = relu = [0, 3.5]
        //   row 1: [0 + 3·1 + (−1)·(−1), −1 + 3·0.5 + (−1)·2] = [4, −1.5]   a = [4, 0]
        // layer 1: z = 0.5 + a·[1, 1]: row 0 → 4, row 1 → 4.5 (all exact in binary)
        Network n = handNet(Activation.IDENTITY);
        double[][] out = n.forward(HAND_X);
        assertSameBits("output", new double[][] {{4.0}, {4.5}}, out);
        assertSameBits("z_0", new double[][] {{-1.0, 3.5}, {4.0, -1.5}}, n.preActivation(0));
        assertSameBits("a_0", new double[][] {{0.0, 3.5}, {4.0, 0.0}}, n.activation(0));
        assertSameBits("z_1", new double[][] {{4.0}, {4.5}}, n.preActivation(1));
        assertThat(n.activation(1)).isSameAs(out);
    }

    @Test
    void forward_handSetNetworkSigmoidHead_matchesMpmath() {
        // σ(4) = 0.982013790037908441973206862051, σ(4.5) = 0.989013057369406819961364621503 (mpmath)
        Network n = handNet(Activation.SIGMOID);
        assertClose("output", new double[][] {{0.982013790037908441973206862051}, {0.989013057369406819961364621503}}, n.forward(HAND_X), TOL);
        assertSameBits("z_1 unchanged by the activation", new double[][] {{4.0}, {4.5}}, n.preActivation(1));
    }

    @Test
    void forward_handSetNetworkTanhHead_matchesMpmath() {
        // tanh(4) = 0.999329299739067043792243344342, tanh(4.5) = 0.99975321084802753654050617379 (mpmath)
        Network n = handNet(Activation.TANH);
        assertClose("output", new double[][] {{0.999329299739067043792243344342}, {0.99975321084802753654050617379}}, n.forward(HAND_X), TOL);
    }

    @Test
    void backwardToInput_handSetNetwork_matchesHandComputation() {
        // dout = [[1], [1]], identity head: dz_1 = dout
        //   dW_1 = Σₙ dz_1·a_0 = [0 + 4, 3.5 + 0] = [4, 3.5], db_1 = 2
        //   da_0 = dz_1·W_1 = [[1, 1], [1, 1]];  relu'(z_0) = [[0, 1], [1, 0]]  ⇒  dz_0 = [[0, 1], [1, 0]]
        //   dW_0 = dz_0ᵀ·x = [[3, −1], [1, 2]], db_0 = [1, 1]
        //   dx = dz_0·W_0 = [[0.5, 2], [1, −1]]
        Network n = handNet(Activation.IDENTITY);
        n.forward(HAND_X);
        double[][] dx = n.backwardToInput(new double[][] {{1}, {1}});
        assertSameBits("dW_1", new double[][] {{4.0, 3.5}}, n.layer(1).dW);
        assertSameBits("db_1", new double[] {2.0}, n.layer(1).db);
        assertSameBits("dW_0", new double[][] {{3.0, -1.0}, {1.0, 2.0}}, n.layer(0).dW);
        assertSameBits("db_0", new double[] {1.0, 1.0}, n.layer(0).db);
        assertSameBits("dx", new double[][] {{0.5, 2.0}, {1.0, -1.0}}, dx);
    }

    @Test
    void backward_twice_accumulatesIntoDwDb() {
        Network n = handNet(Activation.IDENTITY);
        n.forward(HAND_X);
        n.backward(new double[][] {{1}, {1}});
        n.backward(new double[][] {{1}, {1}});
        assertSameBits("dW_1 doubled", new double[][] {{8.0, 7.0}}, n.layer(1).dW);
        assertSameBits("db_0 doubled", new double[] {2.0, 2.0}, n.layer(0).db);
    }

    // ---------------------------------------------------------------------------------------
    // shapes and buffers

    @Test
    void forward_batchOfFive_shapesFollowLayers() {
        Network n = net(SEED);
        double[][] out = n.forward(gaussian(new Rng(1), 5, 3, 1.0));
        assertThat(out.length).isEqualTo(5);
        assertThat(out[0].length).isEqualTo(2);
        assertThat(n.preActivation(0).length).isEqualTo(5);
        assertThat(n.preActivation(0)[4].length).isEqualTo(4);
        assertThat(n.activation(0)[0].length).isEqualTo(4);
        assertThat(n.inputs()).isEqualTo(3);
        assertThat(n.outputs()).isEqualTo(2);
        assertThat(n.size()).isEqualTo(2);
    }

    @Test
    void forward_rowsIndependentAndBatchSizeChanges_sameBitsPerRow() {
        double[][] x = gaussian(new Rng(2), 5, 3, 1.0);
        double[][] xCopy = copy(x);
        Network n = net(SEED);
        double[][] all = copy(n.forward(x));
        assertSameBits("x not modified", xCopy, x);
        double[][] two = n.forward(new double[][] {x[3], x[1]});
        assertSameBits("row 3", new double[][] {all[3]}, new double[][] {two[0]});
        assertSameBits("row 1", new double[][] {all[1]}, new double[][] {two[1]});
    }

    @Test
    void forward_sameSeedTwice_sameBits() {
        double[][] x = gaussian(new Rng(3), 4, 3, 1.0);
        assertSameBits("output", copy(net(SEED).forward(x)), net(SEED).forward(x));
        assertThat(net(SEED + 1).forward(x)[0][0]).isNotEqualTo(net(SEED).forward(x)[0][0]);
    }

    // ---------------------------------------------------------------------------------------
    // parameter counts, freezing flags, structure changes

    @Test
    void parameterCount_threeFourTwo_isTwentySix() {
        // (3·4 + 4) + (4·2 + 2) = 16 + 10
        Network n = net(SEED);
        assertThat(n.parameterCount()).isEqualTo(26);
        assertThat(n.trainableParameterCount()).isEqualTo(26);
        n.freeze(0, 1);
        assertThat(n.trainableParameterCount()).isEqualTo(10);
        assertThat(n.parameterCount()).isEqualTo(26);
        n.freeze(1, 2);
        assertThat(n.trainableParameterCount()).isZero();
        n.unfreeze(0, 2);
        assertThat(n.trainableParameterCount()).isEqualTo(26);
    }

    @Test
    void freezeUnfreeze_ranges_lowestTrainableFollows() {
        Rng rng = new Rng(SEED);
        Network n = new Network(new Dense(2, 3, Activation.RELU, rng), new Dense(3, 3, Activation.RELU, rng),
            new Dense(3, 3, Activation.RELU, rng), new Dense(3, 1, Activation.IDENTITY, rng));
        assertThat(n.lowestTrainable()).isZero();
        n.freeze(0, 3);
        assertThat(n.lowestTrainable()).isEqualTo(3);
        n.unfreeze(1, 2);
        assertThat(n.lowestTrainable()).isEqualTo(1);
        assertThat(n.layer(2).isTrainable()).isFalse();
        n.freeze(0, 4);
        assertThat(n.lowestTrainable()).isEqualTo(-1);
    }

    @Test
    void removeLastThenAppend_newHead_outputSizeAndForwardFollow() {
        Network n = net(SEED);
        double[][] x = gaussian(new Rng(4), 3, 3, 1.0);
        n.forward(x);
        double[][] hidden = copy(n.activation(0));
        Dense oldHead = n.layer(1);
        n.removeLast(1);
        assertThat(n.size()).isEqualTo(1);
        assertThat(n.outputs()).isEqualTo(4);
        Dense head = new Dense(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {1, 1, 1, 1}},
            new double[] {0, 0, 0, 0, 1}, Activation.IDENTITY);
        n.append(head);
        assertThat(n.size()).isEqualTo(2);
        assertThat(n.outputs()).isEqualTo(5);
        assertThat(n.layer(1)).isSameAs(head).isNotSameAs(oldHead);
        assertThat(n.parameterCount()).isEqualTo(16 + 25);
        double[][] out = n.forward(x);
        // identity rows copy the hidden activation; the last unit is 1 + its sum (order: bias first, then i = 0..3)
        for (int r = 0; r < 3; r++) {
            for (int o = 0; o < 4; o++) assertThat(out[r][o]).isEqualTo(hidden[r][o]);
            assertThat(out[r][4]).isEqualTo((((1.0 + hidden[r][0]) + hidden[r][1]) + hidden[r][2]) + hidden[r][3]);
        }
    }

    @Test
    void removeLast_zero_keepsEverything() {
        Network n = net(SEED);
        n.removeLast(0);
        assertThat(n.size()).isEqualTo(2);
    }

    @Test
    void reinitialise_layer_redrawsWFromRngAndZerosBiasAndGradients() {
        Network n = net(SEED);
        Dense layer = n.layer(1);
        layer.setTrainable(false);
        layer.setLrScale(0.25);
        java.util.Arrays.fill(layer.b, 7.0);
        for (double[] row : layer.dW) java.util.Arrays.fill(row, 3.0);
        java.util.Arrays.fill(layer.db, -3.0);
        double[][] W0 = copy(n.layer(0).W);

        n.reinitialise(1, Init.HE_UNIFORM, new Rng(9));

        // he_uniform: W_oi = (2u − 1)·sqrt(6 / I), I = 4, u from Rng(9), row-major
        Rng ref = new Rng(9);
        double[][] expected = new double[2][4];
        for (int o = 0; o < 2; o++) for (int i = 0; i < 4; i++) expected[o][i] = (2.0 * ref.nextDouble() - 1.0) * Math.sqrt(6.0 / 4);
        assertSameBits("W", expected, layer.W);
        assertSameBits("b", new double[2], layer.b);
        assertSameBits("dW", new double[2][4], layer.dW);
        assertSameBits("db", new double[2], layer.db);
        assertThat(layer.isTrainable()).as("flags kept").isFalse();
        assertThat(layer.lrScale()).isEqualTo(0.25);
        assertSameBits("other layer untouched", W0, n.layer(0).W);
    }

    @Test
    void zeroGrad_afterBackward_everyGradientExactlyZero() {
        Network n = net(SEED);
        n.forward(gaussian(new Rng(5), 3, 3, 1.0));
        n.backward(gaussian(new Rng(6), 3, 2, 1.0));
        assertThat(n.layer(0).dW[0][0]).isNotEqualTo(0.0);
        n.zeroGrad();
        for (int l = 0; l < n.size(); l++) {
            Dense layer = n.layer(l);
            assertSameBits("layer " + l + " dW", new double[layer.O][layer.I], layer.dW);
            assertSameBits("layer " + l + " db", new double[layer.O], layer.db);
        }
    }

    @Test
    void constructor_fromList_sameAsVarargs() {
        Rng r1 = new Rng(SEED), r2 = new Rng(SEED);
        Network a = new Network(new Dense(3, 2, Activation.RELU, r1));
        Network b = new Network(java.util.Collections.singletonList(new Dense(3, 2, Activation.RELU, r2)));
        assertSameBits("W", a.layer(0).W, b.layer(0).W);
    }

    @Test
    void copy_isDeepAndKeepsFlags() {
        Rng rng = new Rng(9);
        Network a = new Network(new Dense(3, 2, Activation.leakyRelu(0.3), rng), new Dense(2, 1, Activation.IDENTITY, rng));
        a.freeze(0, 1);
        a.layer(1).setLrScale(0.5);
        Network c = a.copy();
        for (int l = 0; l < 2; l++) {
            Assert.assertSameBits("W", a.layer(l).W, c.layer(l).W);
            Assert.assertSameBits("b", a.layer(l).b, c.layer(l).b);
            org.assertj.core.api.Assertions.assertThat(c.layer(l).f).isEqualTo(a.layer(l).f);
            org.assertj.core.api.Assertions.assertThat(c.layer(l)).isNotSameAs(a.layer(l));
        }
        org.assertj.core.api.Assertions.assertThat(c.layer(0).isTrainable()).isFalse();
        org.assertj.core.api.Assertions.assertThat(c.layer(1).lrScale()).isEqualTo(0.5);
        c.layer(0).W[0][0] += 1.0;
        org.assertj.core.api.Assertions.assertThat(a.layer(0).W[0][0]).isNotEqualTo(c.layer(0).W[0][0]);
    }
}
