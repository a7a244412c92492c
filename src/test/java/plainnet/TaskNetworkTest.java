package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static plainnet.Assert.assertSameBits;
import static plainnet.Assert.copy;
import static plainnet.Assert.gaussian;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Task towers (SPEC.md §27): one group is the plain network bit for bit; towers of one layer are
 * the plain network with the towers' rows stacked in its last layer; towers are the block-diagonal
 * wide network whose off-block weights are held at 0, bit for bit; freezing and unlabeled groups.
 *
 * <p>Index letters: N rows (n), I inputs, H trunk outputs, M the towers' hidden units, K columns of all groups.
 */
class TaskNetworkTest {

    private static final long SEED = 2626L;
    private static final int N = 9, I = 4;

    /** The trunk (copies of layers 0 … L−2 of net) and one tower (a copy of its last layer) for one group. */
    private static TaskNetwork split(Network net, Group group) {
        Network c = TaskFixtures.reference(net.copy());
        List<Dense> trunk = new ArrayList<Dense>();
        for (int l = 0; l < c.size() - 1; l++) trunk.add(c.layer(l));
        return TaskFixtures.reference(new TaskNetwork(new Network(trunk), Arrays.asList(group), Arrays.asList(new Network(c.layer(c.size() - 1)))));
    }

    /** The layers of a task network in {@link TaskNetwork#layers} order have the bits of the layers of net, in order. */
    private static void assertSameParameters(String what, Network net, TaskNetwork tn) {
        List<Dense> layers = tn.layers();
        assertThat(layers).hasSize(net.size());
        for (int l = 0; l < net.size(); l++) {
            assertSameBits(what + ": W of layer " + l, net.layer(l).W, layers.get(l).W);
            assertSameBits(what + ": b of layer " + l, net.layer(l).b, layers.get(l).b);
        }
    }

    @Test
    void oneGroup_forwardBackwardAndTraining_sameBitsAsThePlainNetwork() {
        Rng rng = new Rng(SEED);
        Network net = TaskFixtures.net(rng, I, new int[] {6, 5, 3}, Activation.LEAKY_RELU);
        Group group = new Group("digit", 3, new SoftmaxCrossEntropy());
        TaskNetwork tn = split(net, group);
        GroupedLoss loss = tn.loss();
        double[][] x = gaussian(rng, N, I, 1.0);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.7);

        double[][] z = net.forward(x);
        assertSameBits("z", z, tn.forward(x));
        double[][] dz = new double[N][3];
        group.loss.backward(dz, z, t);
        net.zeroGrad();
        tn.zeroGrad();
        double[][] dx = copy(net.backwardToInput(dz));
        assertSameBits("dx", dx, tn.backwardToInput(dz));
        List<Dense> layers = tn.layers();
        for (int l = 0; l < net.size(); l++) {
            assertSameBits("dW of layer " + l, net.layer(l).dW, layers.get(l).dW);
            assertSameBits("db of layer " + l, net.layer(l).db, layers.get(l).db);
        }

        double[][] xs = gaussian(rng, 23, I, 1.0);
        Targets ts = TaskFixtures.targets(loss, rng, 23, 0.7);
        Trainer plain = new Trainer(net, group.loss, Optimizer.adam(0.02));
        TaskTrainer towers = new TaskTrainer(tn, Optimizer.adam(0.02));
        plain.epochs = towers.epochs = 4;
        plain.batch = towers.batch = 5;
        plain.decayEvery = towers.decayEvery = 2;
        plain.decayFactor = towers.decayFactor = 0.5;
        Trainer.Result rp = plain.fit(xs, ts, null, null, null);
        TaskTrainer.Result rt = towers.fit(xs, ts, null);
        assertSameParameters("after training", net, tn);
        for (int e = 0; e < 4; e++) {
            assertSameBits("train loss of epoch " + (e + 1), new double[] {rp.history.get(e).trainLoss}, new double[] {rt.history.get(e).trainLoss});
        }
        assertThat(rt.history.get(3).trainLoss).isLessThan(rt.history.get(0).trainLoss);
    }

    /** Towers of one layer each are the plain network whose last layer stacks their rows, trained on the grouped loss: the same bits. */
    @Test
    void oneLayerTowers_sameBitsAsThePlainNetworkWithTheRowsStacked() {
        Rng rng = new Rng(SEED + 1);
        GroupedLoss loss = TaskFixtures.mixed();
        Network trunk = TaskFixtures.net(rng, I, new int[] {6, 5}, Activation.TANH, Activation.TANH);
        List<Network> towers = new ArrayList<Network>();
        double[][] W = new double[loss.columns()][]; // (K, 5) the stacked rows
        double[] b = new double[loss.columns()];     // (K)
        for (int g = 0; g < loss.groupCount(); g++) {
            Network tower = TaskFixtures.net(rng, 5, new int[] {loss.group(g).K}, Activation.TANH);
            towers.add(tower);
            for (int k = 0; k < loss.group(g).K; k++) {
                W[loss.columnStart(g) + k] = tower.layer(0).W[k].clone();
                b[loss.columnStart(g) + k] = tower.layer(0).b[k];
            }
        }
        Network c = trunk.copy();
        Network plain = TaskFixtures.reference(new Network(c.layer(0), c.layer(1), new Dense(W, b, Activation.IDENTITY)));
        TaskNetwork tn = new TaskNetwork(trunk, loss.groups(), towers);

        double[][] x = gaussian(rng, 31, I, 1.0);
        Targets t = TaskFixtures.targets(loss, rng, 31, 0.6);
        assertSameBits("z", plain.forward(x), tn.forward(x));
        Trainer tp = new Trainer(plain, loss, Optimizer.momentum(0.05, 0.9));
        TaskTrainer tt = new TaskTrainer(tn, Optimizer.momentum(0.05, 0.9));
        tp.epochs = tt.epochs = 3;
        tp.batch = tt.batch = 8;
        tp.fit(x, t, null, null, null);
        tt.fit(x, t, null);
        assertSameBits("trunk W 0", plain.layer(0).W, trunk.layer(0).W);
        assertSameBits("trunk W 1", plain.layer(1).W, trunk.layer(1).W);
        for (int g = 0; g < loss.groupCount(); g++) {
            for (int k = 0; k < loss.group(g).K; k++) {
                assertSameBits("tower " + g + " W row " + k, plain.layer(2).W[loss.columnStart(g) + k], towers.get(g).layer(0).W[k]);
            }
        }
    }

    /**
     * Towers are the wide network whose first tower layer stacks the towers' layer-0 rows and whose
     * second is block-diagonal with the off-block weights held at 0: forward, every gradient of an
     * in-block weight and training agree bit for bit. (The off-block products are ±0.0 and every
     * partial sum they join starts from a bias or +0.0 and never is −0.0, so adding them changes no
     * bit; the trunk's gradient is summed in the wide layer's order by definition, SPEC.md §27.)
     */
    @Test
    void towers_equalTheBlockDiagonalWideNetwork_bitForBit() {
        Rng rng = new Rng(SEED + 2);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        int G = loss.groupCount(), M = 3 * G, K = loss.columns(), H = 4;
        double[][] W1 = new double[M][];  // (M, H) the towers' layer-0 rows stacked
        double[] b1 = new double[M];      // (M)
        double[][] W2 = new double[K][M]; // (K, M) block-diagonal
        double[] b2 = new double[K];      // (K)
        for (int g = 0; g < G; g++) {
            Dense t0 = tn.tower(g).layer(0), t1 = tn.tower(g).layer(1);
            for (int o = 0; o < 3; o++) {
                W1[3 * g + o] = t0.W[o].clone();
                b1[3 * g + o] = t0.b[o];
            }
            for (int k = 0; k < t1.O; k++) {
                System.arraycopy(t1.W[k], 0, W2[loss.columnStart(g) + k], 3 * g, 3);
                b2[loss.columnStart(g) + k] = t1.b[k];
            }
        }
        Network trunk = tn.trunk().copy();
        Network wide = TaskFixtures.reference(new Network(trunk.layer(0), trunk.layer(1), new Dense(W1, b1, Activation.TANH), new Dense(W2, b2, Activation.IDENTITY)));
        double[][] x = gaussian(rng, 40, I, 1.0);
        Targets t = TaskFixtures.targets(loss, rng, 40, 0.6);

        // one forward and backward
        double[][] zw = wide.forward(x);
        assertSameBits("z", zw, tn.forward(x));
        double[][] dz = new double[40][K];
        loss.backward(dz, zw, t);
        wide.zeroGrad();
        tn.zeroGrad();
        wide.backward(dz);
        tn.backward(dz);
        assertInBlockSame("gradient", wide, tn, loss, true);

        // training: Adam steps, the wide network's off-block weights set back to 0 after each
        Optimizer ow = Optimizer.adam(0.01), ot = Optimizer.adam(0.01);
        for (int step = 0; step < 6; step++) {
            double[][] xs = Arrays.copyOfRange(x, 5 * step, 5 * step + 8);
            Targets ts = t.rows(new int[] {5 * step, 5 * step + 1, 5 * step + 2, 5 * step + 3, 5 * step + 4, 5 * step + 5, 5 * step + 6, 5 * step + 7}, 0, 8);
            double[][] z = wide.forward(xs);
            double[][] d = new double[8][K];
            loss.backward(d, z, ts);
            wide.zeroGrad();
            wide.backward(d);
            ow.step(wide);
            for (int g = 0; g < G; g++) {
                for (int k = loss.columnStart(g); k < loss.columnStart(g + 1); k++) {
                    for (int j = 0; j < M; j++) if (j / 3 != g) wide.layer(3).W[k][j] = 0.0;
                }
            }
            z = tn.forward(xs);
            loss.backward(d, z, ts);
            tn.zeroGrad();
            tn.backward(d);
            tn.step(ot);
        }
        assertInBlockSame("after training", wide, tn, loss, false);
    }

    /** The trunk, the stacked first tower layer and the in-block entries of the second agree in bits (gradients or weights). */
    private static void assertInBlockSame(String what, Network wide, TaskNetwork tn, GroupedLoss loss, boolean gradients) {
        for (int l = 0; l < 2; l++) {
            assertSameBits(what + ": trunk layer " + l, gradients ? wide.layer(l).dW : wide.layer(l).W, gradients ? tn.trunk().layer(l).dW : tn.trunk().layer(l).W);
            assertSameBits(what + ": trunk bias " + l, gradients ? wide.layer(l).db : wide.layer(l).b, gradients ? tn.trunk().layer(l).db : tn.trunk().layer(l).b);
        }
        for (int g = 0; g < loss.groupCount(); g++) {
            Dense t0 = tn.tower(g).layer(0), t1 = tn.tower(g).layer(1);
            for (int o = 0; o < 3; o++) {
                assertSameBits(what + ": tower " + g + " layer 0 row " + o, gradients ? wide.layer(2).dW[3 * g + o] : wide.layer(2).W[3 * g + o], gradients ? t0.dW[o] : t0.W[o]);
            }
            for (int k = 0; k < t1.O; k++) {
                double[] row = gradients ? wide.layer(3).dW[loss.columnStart(g) + k] : wide.layer(3).W[loss.columnStart(g) + k];
                assertSameBits(what + ": tower " + g + " layer 1 row " + k, Arrays.copyOfRange(row, 3 * g, 3 * g + 3), gradients ? t1.dW[k] : t1.W[k]);
            }
        }
    }

    /** A group with nothing labeled: its tower's gradient is exactly zero and the trunk's has the bits of the network without that group. */
    @Test
    void allUnlabeledGroup_addsExactlyZeroToEveryGradient() {
        Rng rng = new Rng(SEED + 3);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        TaskNetwork without = TaskFixtures.reference(tn.copy());
        without.removeTask("b");
        double[][] x = gaussian(rng, N, I, 1.0);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.7, "b");
        double[][] z = tn.forward(x);
        double[][] dz = new double[N][loss.columns()];
        double J = loss.forwardBackward(dz, z, t);
        tn.zeroGrad();
        tn.backward(dz);

        double[][] zw = without.forward(x);
        double[][] yw = new double[N][], dzw = new double[N][5];
        boolean[][] mw = new boolean[N][];
        for (int n = 0; n < N; n++) { // the columns of a and c
            yw[n] = new double[5];
            mw[n] = new boolean[5];
            for (int k = 0; k < 5; k++) {
                int col = k < 3 ? k : k + 2;
                yw[n][k] = t.y[n][col];
                mw[n][k] = t.labeled[n][col];
            }
        }
        double Jw = without.loss().forwardBackward(dzw, zw, new Targets(yw, mw));
        without.zeroGrad();
        without.backward(dzw);
        assertSameBits("J", new double[] {Jw}, new double[] {J});
        for (int l = 0; l < 2; l++) assertSameBits("trunk dW " + l, without.trunk().layer(l).dW, tn.trunk().layer(l).dW);
        for (int l = 0; l < 2; l++) {
            assertSameBits("tower c dW " + l, without.tower(1).layer(l).dW, tn.tower(2).layer(l).dW);
            for (double[] row : tn.tower(1).layer(l).dW) for (double v : row) assertThat(Double.doubleToRawLongBits(v)).isZero();
        }
    }

    /** A frozen trunk gets no gradient and the towers' are unchanged; a frozen tower still feeds the trunk and gets none itself. */
    @Test
    void freezing_trunkOrTower_gradientsOfTheRestUnchanged() {
        Rng rng = new Rng(SEED + 4);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork all = TaskFixtures.towers(rng, I, loss, Activation.LEAKY_RELU);
        TaskNetwork frozenTrunk = TaskFixtures.reference(all.copy()), frozenTower = TaskFixtures.reference(all.copy());
        frozenTrunk.trunk().freeze(0, 2);
        frozenTower.tower(1).freeze(0, 2);
        double[][] x = gaussian(rng, N, I, 1.0);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.7);
        for (TaskNetwork tn : Arrays.asList(all, frozenTrunk, frozenTower)) {
            double[][] z = tn.forward(x);
            double[][] dz = new double[N][loss.columns()];
            loss.backward(dz, z, t);
            tn.zeroGrad();
            tn.backward(dz);
        }
        for (int g = 0; g < 3; g++) {
            for (int l = 0; l < 2; l++) {
                assertSameBits("frozen trunk: tower " + g + " dW " + l, all.tower(g).layer(l).dW, frozenTrunk.tower(g).layer(l).dW);
                if (g != 1) assertSameBits("frozen tower: tower " + g + " dW " + l, all.tower(g).layer(l).dW, frozenTower.tower(g).layer(l).dW);
            }
        }
        for (int l = 0; l < 2; l++) {
            assertSameBits("frozen tower: trunk dW " + l, all.trunk().layer(l).dW, frozenTower.trunk().layer(l).dW);
            for (double[] row : frozenTrunk.trunk().layer(l).dW) for (double v : row) assertThat(v).isZero();
            for (double[] row : frozenTower.tower(1).layer(l).dW) for (double v : row) assertThat(v).isZero();
        }
        assertThat(all.trunk().layer(0).dW[0][0]).isNotZero();
    }

    @Test
    void addAndRemoveTask_badArguments_clearMessages() {
        Rng rng = new Rng(SEED + 5);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        Network tower = TaskFixtures.net(rng, 4, new int[] {2}, Activation.TANH);
        assertThatThrownBy(() -> tn.addTask(new Group("a", 2, new MeanSquaredError()), tower))
            .hasMessage("addTask: expected a new task name, found \"a\", which exists");
        assertThatThrownBy(() -> tn.addTask(new Group("d", 3, new MeanSquaredError()), tower))
            .hasMessage("addTask: tower of d: expected 3 outputs (the group's columns), found 2");
        assertThatThrownBy(() -> tn.addTask(new Group("d", 2, new MeanSquaredError()), TaskFixtures.net(rng, 5, new int[] {2}, Activation.TANH)))
            .hasMessage("addTask: tower of d: expected 4 inputs (the trunk's outputs), found 5");
        assertThatThrownBy(() -> tn.addTask(new Group("d", 3, new MeanSquaredError()), new Network(tn.tower(0).layer(0))))
            .hasMessage("addTask: tower of d: its layer 0 is already in the tower of a (give it a layer of its own)");
        assertThatThrownBy(() -> tn.removeTask("e")).hasMessage("removeTask: expected one of the tasks a, b, c, found \"e\"");
        assertThatThrownBy(() -> tn.backward(new double[1][7])).isInstanceOf(IllegalStateException.class);
        tn.removeTask("a");
        tn.removeTask("b");
        assertThatThrownBy(() -> tn.removeTask("c")).hasMessage("removeTask: expected another task to remain, found \"c\" the only one");
        assertThat(tn.outputs()).isEqualTo(2);
    }

    /**
     * The towers overwrite z and their own buffers after the trunk has kept x for its backward, so
     * an x that is one of them would change the trunk's input before its gradient is computed.
     */
    @Test
    void forward_inputIsOneOfItsOwnBuffers_refusedBeforeAnythingChanges() {
        Rng rng = new Rng(SEED + 6);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork three = TaskFixtures.towers(rng, 3, loss, Activation.TANH); // I = 3 = K of group a
        three.forward(gaussian(rng, N, 3, 1.0));
        assertThatThrownBy(() -> three.forward(three.output(0)))
            .hasMessage("input x: expected an array of the caller's, found one of the task network's own buffers (copy it first)");
        TaskNetwork seven = TaskFixtures.towers(rng, 7, loss, Activation.TANH); // I = 7 = K of all groups
        double[][] z = seven.forward(gaussian(rng, N, 7, 1.0));
        assertThatThrownBy(() -> seven.forward(z)).hasMessageContaining("own buffers");
        assertThat(seven.forward(copy(z))).isSameAs(z);
    }
}
