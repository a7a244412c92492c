package plainnet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Group;
import plainnet.MeanSquaredError;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Targets;
import plainnet.TaskNetwork;
import plainnet.TaskTrainer;

/** The shared protocol (SPEC.md §20): splits, the recipe's epochs and patience, the statistics and the choice, on hand-computed cases. */
class ProtocolTest {

    @Test
    void split_isTheShuffleFromTheSeed_validationFirst_aPartition() {
        int[] rows = {10, 11, 12, 13, 14, 15, 16};
        int[] order = rows.clone();
        new Rng(42).shuffle(order);
        int[][] s = Protocol.split(rows, 3, 42);
        assertThat(s[0]).containsExactly(Arrays.copyOfRange(order, 0, 3));
        assertThat(s[1]).containsExactly(Arrays.copyOfRange(order, 3, 7));
        assertThat(rows).containsExactly(10, 11, 12, 13, 14, 15, 16); // not modified
        assertThatThrownBy(() -> Protocol.split(rows, 7, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 1 to 6 validation rows, found 7");
    }

    @Test
    void epochsAndPatience_ceilingOfStepsOverBatchesPerEpoch() {
        Protocol p = new Protocol(new double[] {0.01}, 1500, 32);
        assertThat(p.epochs(958)).isEqualTo(50);   // ⌈958/32⌉ = 30 batches; ⌈1500/30⌉ = 50
        assertThat(p.patience(958)).isEqualTo(4);  // ⌈100/30⌉ = 4
        assertThat(p.epochs(10)).isEqualTo(1500);  // one batch per epoch
        assertThat(p.patience(10)).isEqualTo(100);
        assertThat(new Protocol(new double[] {0.01}, 10, 32).epochs(10000)).isEqualTo(1); // at least one epoch
    }

    @Test
    void statistics_meanStandardErrorAndTheApproxRule_byHand() {
        double[] a = {1.0, 2.0, 3.0, 6.0}; // mean 3, squared deviations 4+1+0+9 = 14, sd = √(14/3), se = sd/2
        assertThat(Protocol.mean(a)).isEqualTo(3.0);
        assertThat(Protocol.se(a)).isCloseTo(Math.sqrt(14.0 / 3.0) / 2.0, org.assertj.core.data.Offset.offset(1e-15));
        // d = (0.02, 0.04): mean 0.03, se 0.01: |0.03| > 0.02, beyond noise; d = (0.01, 0.03): mean 0.02 ≤ 2·0.01: within
        assertThat(Protocol.noise(new double[] {0.92, 0.94}, new double[] {0.90, 0.90})).isFalse();
        assertThat(Protocol.noise(new double[] {0.91, 0.93}, new double[] {0.90, 0.90})).isTrue();
        assertThat(Protocol.pmDiff(new double[] {0.92, 0.94}, new double[] {0.90, 0.90})).isEqualTo("+0.030 ± 0.010");
        assertThat(Protocol.pm(new double[] {0.5, 0.7})).isEqualTo("0.600 ± 0.100");
    }

    @Test
    void choice_highestMean_firstOnATie_runnerUpAndItsNoise() {
        double[][] s = {{0.8, 0.8}, {0.9, 0.9}, {0.9, 0.9}, {0.85, 0.87}};
        assertThat(Protocol.chosen(s)).isEqualTo(1);     // arms 1 and 2 tie: the first
        assertThat(Protocol.runnerUp(s)).isEqualTo(2);
        assertThat(Protocol.choiceInNoise(s)).isTrue();  // d = (0, 0): 0 ≤ 0
        double[][] clear = {{0.8, 0.8}, {0.95, 0.96}, {0.85, 0.87}};
        assertThat(Protocol.chosen(clear)).isEqualTo(1);
        assertThat(Protocol.runnerUp(clear)).isEqualTo(2);
        assertThat(Protocol.choiceInNoise(clear)).isFalse(); // d = (0.10, 0.09): 0.095 > 2·0.005
        assertThat(Protocol.runnerUp(new double[][] {{0.5, 0.6}})).isEqualTo(-1);
        assertThat(Protocol.choiceInNoise(new double[][] {{0.5, 0.6}})).isFalse();
    }

    @Test
    void search_oneRunPerRate_keepsTheLowestValidationLoss_sameBitsAsTheTrainerRecipe() {
        Rng rng = new Rng(3);
        double[][] x = new double[40][2], y = new double[40][1];
        for (int n = 0; n < 40; n++) {
            x[n][0] = rng.nextGaussian();
            x[n][1] = rng.nextGaussian();
            y[n][0] = x[n][0] + x[n][1] > 0 ? 1 : 0;
        }
        Targets t = Targets.of(y);
        double[][] xv = Arrays.copyOfRange(x, 0, 10);
        Targets tv = Targets.of(Arrays.copyOfRange(y, 0, 10));
        Protocol p = new Protocol(new double[] {0.001, 0.1}, 30, 8);
        Protocol.Fit[] f = p.search(() -> Lab.mlp(7, 2, 3, 1), new BinaryCrossEntropy(), x, t, xv, tv, 5, false, null);
        assertThat(f).extracting(r -> r.lr).containsExactly(0.001, 0.1);
        Protocol.Fit best = Protocol.best(f);
        assertThat(best.valLoss).isEqualTo(Math.min(f[0].valLoss, f[1].valLoss));
        // the run is Trainer with Adam + coupled L2 1e-4, ⌈30/5⌉ = 6 epochs, batch 8, seed 5, patience ⌈100/5⌉ = 20
        Network same = Lab.mlp(7, 2, 3, 1);
        plainnet.Trainer tr = new plainnet.Trainer(same, new BinaryCrossEntropy(), plainnet.Optimizer.adam(best.lr).withWeightDecay(1e-4, false));
        tr.epochs = 6;
        tr.batch = 8;
        tr.seed = 5;
        tr.patience = 20;
        tr.fit(x, t, xv, tv, null);
        assertThat(same.forward(xv)).isDeepEqualTo(best.net.forward(xv));
        assertThat(best.result.history).hasSize(6);
    }

    @Test
    void fineTuneAll_continuesEachHeadRun_everyLayerTrainable_atItsRateOverTen_sameBitsAsTheTrainerRecipe() {
        Rng rng = new Rng(4);
        double[][] x = new double[40][2], y = new double[40][1];
        for (int n = 0; n < 40; n++) {
            x[n][0] = rng.nextGaussian();
            x[n][1] = rng.nextGaussian();
            y[n][0] = x[n][0] - x[n][1] > 0 ? 1 : 0;
        }
        Targets t = Targets.of(y);
        double[][] xv = Arrays.copyOfRange(x, 0, 10);
        Targets tv = Targets.of(Arrays.copyOfRange(y, 0, 10));
        Protocol p = new Protocol(new double[] {0.01, 0.1}, 30, 8);
        // stage 1: the head alone (layer 0 frozen)
        Protocol.Fit[] head = p.search(() -> {
            Network n = Lab.mlp(7, 2, 3, 1);
            n.freeze(0, 1);
            return n;
        }, new BinaryCrossEntropy(), x, t, xv, tv, 5, false, null);
        double[][] headOut = head[1].net.forward(xv).clone();
        for (int i = 0; i < headOut.length; i++) headOut[i] = headOut[i].clone();
        Protocol.Fit[] all = p.fineTuneAll(head, new BinaryCrossEntropy(), x, t, xv, tv, 5, null);
        assertThat(all).extracting(r -> r.lr).containsExactly(0.01 / 10, 0.1 / 10);
        // the first-stage runs are left as they were (fine-tuning works on copies)
        assertThat(head[1].net.forward(xv)).isDeepEqualTo(headOut);
        assertThat(head[1].net.layer(0).isTrainable()).isFalse();
        for (int i = 0; i < 2; i++) {
            // by hand: copy the head run, unfreeze everything, Trainer with Adam at lr / 10 + coupled L2 1e-4,
            // ⌈30/5⌉ = 6 epochs, batch 8, seed 5, patience ⌈100/5⌉ = 20
            Network same = head[i].net.copy();
            same.unfreeze(0, same.size());
            plainnet.Trainer tr = new plainnet.Trainer(same, new BinaryCrossEntropy(), plainnet.Optimizer.adam(head[i].lr / 10).withWeightDecay(1e-4, false));
            tr.epochs = 6;
            tr.batch = 8;
            tr.seed = 5;
            tr.patience = 20;
            tr.fit(x, t, xv, tv, null);
            assertThat(all[i].net.layer(0).isTrainable()).isTrue();
            assertThat(same.forward(xv)).isDeepEqualTo(all[i].net.forward(xv));
        }
    }

    /** 40 rows of 2 inputs; targets (40, 3): column 0 = [x0 + x1 > 0], 1 = [x0 > 0] (every third unlabeled), 2 = x0 − x1. */
    private static Object[] data() {
        Rng rng = new Rng(3);
        double[][] x = new double[40][2], y = new double[40][3];
        boolean[][] m = new boolean[40][3];
        for (int n = 0; n < 40; n++) {
            x[n][0] = rng.nextGaussian();
            x[n][1] = rng.nextGaussian();
            y[n][0] = x[n][0] + x[n][1] > 0 ? 1 : 0;
            y[n][1] = x[n][0] > 0 ? 1 : 0;
            y[n][2] = x[n][0] - x[n][1];
            m[n][0] = true;
            m[n][1] = n % 3 != 0;
            m[n][2] = true;
        }
        Targets t = new Targets(y, m);
        return new Object[] {Arrays.copyOfRange(x, 10, 40), t.rows(range(10, 40), 0, 30), Arrays.copyOfRange(x, 0, 10), t.rows(range(0, 10), 0, 10)};
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    /** A trunk 2-3 (tanh) and two groups: "a" (bce, columns 0–1, a tower 3-2) and "r" (mse, column 2, a tower 3-2-1), drawn from Rng(seed). */
    private static TaskNetwork taskNet(long seed) {
        Rng rng = new Rng(seed);
        Network trunk = new Network(new Dense(2, 3, plainnet.Activation.TANH, rng));
        Network a = new Network(new Dense(3, 2, plainnet.Activation.IDENTITY, rng));
        Network r = new Network(new Dense(3, 2, plainnet.Activation.TANH, rng), new Dense(2, 1, plainnet.Activation.IDENTITY, rng));
        return new TaskNetwork(trunk, Arrays.asList(new Group("a", 2, new BinaryCrossEntropy()), new Group("r", 1, new MeanSquaredError(), 0.5)),
            Arrays.asList(a, r));
    }

    @Test
    void searchTaskNetwork_oneRunPerRate_keepsTheLowestValidationLoss_sameBitsAsTheTaskTrainerRecipe() {
        Object[] d = data();
        double[][] x = (double[][]) d[0], xv = (double[][]) d[2];
        Targets t = (Targets) d[1], tv = (Targets) d[3];
        Protocol p = new Protocol(new double[] {0.001, 0.1}, 16, 8);
        Protocol.TaskFit[] f = p.search(() -> taskNet(9), x, t, xv, tv, 5, null);
        assertThat(f).extracting(r -> r.lr).containsExactly(0.001, 0.1);
        Protocol.TaskFit best = Protocol.best(f);
        assertThat(best.valLoss).isEqualTo(Math.min(f[0].valLoss, f[1].valLoss));
        for (Protocol.TaskFit run : f) assertThat(run.valLoss).isEqualTo(run.net.loss().forward(run.net.forward(xv), tv));
        // the run is TaskTrainer with Adam + coupled L2 1e-4, ⌈16/⌈30/8⌉⌉ = 4 epochs, batch 8, seed 5, patience ⌈100/4⌉ = 25
        TaskNetwork same = taskNet(9);
        TaskTrainer tr = new TaskTrainer(same, Optimizer.adam(best.lr).withWeightDecay(1e-4, false));
        tr.epochs = 4;
        tr.batch = 8;
        tr.seed = 5;
        tr.patience = 25;
        tr.fit(x, t, xv, tv, null);
        assertThat(same.forward(xv)).isDeepEqualTo(best.net.forward(xv));
        assertThat(best.result.history).hasSize(4);
    }

    @Test
    void fitTaskNetwork_oneGroupWithoutTower_sameBitsAsThePlainNetworksRun() {
        // A task network of one group (weight 1) whose trunk and tower are the layers of a plain
        // network is that network (SPEC.md §27.1): the protocol's two runs must agree to the bit.
        Object[] d = data();
        double[][] x = (double[][]) d[0], xv = (double[][]) d[2];
        Targets t = classes((Targets) d[1]), tv = classes((Targets) d[3]);
        Protocol p = new Protocol(new double[] {0.05}, 20, 8);
        Network plain = Lab.mlp(11, 2, 3, 2);
        Network copy = plain.copy();
        TaskNetwork tasks = new TaskNetwork(new Network(copy.layer(0)), Arrays.asList(new Group("c", 2, new SoftmaxCrossEntropy())),
            Arrays.asList(new Network(copy.layer(1))));
        Protocol.Fit a = p.fit(plain, new SoftmaxCrossEntropy(), x, t, xv, tv, 0.05, 3, false, null);
        Protocol.TaskFit b = p.fit(tasks, x, t, xv, tv, 0.05, 3, null);
        assertThat(b.valLoss).isEqualTo(a.valLoss);
        assertThat(b.result.keptEpoch).isEqualTo(a.result.keptEpoch);
        assertThat(b.net.forward(xv)).isDeepEqualTo(a.net.forward(xv));
    }

    /** Column 0 of t (0/1) as two-class softmax targets. */
    private static Targets classes(Targets t) {
        int[] c = new int[t.rows()];
        for (int n = 0; n < c.length; n++) c[n] = (int) t.y[n][0];
        return Targets.ofClasses(c, 2);
    }
}
