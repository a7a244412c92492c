package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static plainnet.Assert.assertSameBits;
import static plainnet.Assert.copy;
import static plainnet.Assert.gaussian;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Training a task network and adding or removing a task on a trained one (SPEC.md §27): with the
 * old parts frozen, the old tasks' outputs keep their bits; removing a task keeps the rest; the
 * frozen-trunk feature cache changes no bit.
 *
 * <p>Index letters: N rows (n), I inputs, K columns of all groups (k).
 */
class TaskTrainerTest {

    private static final long SEED = 4626L;
    private static final int N = 60, I = 3;

    /** A task network of the groups a (softmax 3), b (bce 2), trained for 5 epochs on fully labeled data. */
    private static TaskNetwork trained(Rng rng, double[][] x) {
        GroupedLoss loss = new GroupedLoss(
            new Group("a", 3, new SoftmaxCrossEntropy()),
            new Group("b", 2, new BinaryCrossEntropy(), 0.5));
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        TaskTrainer trainer = new TaskTrainer(tn, Optimizer.adam(0.01));
        trainer.epochs = 5;
        trainer.batch = 8;
        TaskTrainer.Result r = trainer.fit(x, TaskFixtures.targets(loss, rng, N, 1.0), null);
        assertThat(r.diverged).isFalse();
        return tn;
    }

    /** The outputs of group g on x, copied. */
    private static double[][] output(TaskNetwork tn, double[][] x, int g) {
        tn.forward(x);
        return copy(tn.output(g));
    }

    private static void freezeAll(TaskNetwork tn) {
        tn.trunk().freeze(0, tn.trunk().size());
        for (int g = 0; g < tn.groupCount(); g++) tn.tower(g).freeze(0, tn.tower(g).size());
    }

    @Test
    void addTask_oldPartsFrozen_oldOutputsBitIdenticalAndTheNewTaskLearns() {
        Rng rng = new Rng(SEED);
        double[][] x = gaussian(rng, N, I, 1.0);
        TaskNetwork tn = trained(rng, x);
        double[][] xTest = gaussian(rng, 11, I, 1.0);
        double[][] a = output(tn, xTest, 0), b = output(tn, xTest, 1);
        List<Dense> old = tn.layers();
        double[][][] W = new double[old.size()][][];
        for (int j = 0; j < old.size(); j++) W[j] = copy(old.get(j).W);

        freezeAll(tn);
        Rng fresh = new Rng(99);
        tn.addTask(new Group("c", 1, new MeanSquaredError()), TaskFixtures.net(fresh, 4, new int[] {3, 1}, Activation.TANH));
        assertThat(tn.outputs()).isEqualTo(6);
        // Data labels only c: a and b's columns are unlabeled (NaN, never read).
        Targets t = TaskFixtures.targets(tn.loss(), rng, N, 1.0, "a", "b");
        TaskTrainer trainer = new TaskTrainer(tn, Optimizer.adam(0.02));
        trainer.epochs = 30;
        trainer.batch = 10;
        TaskTrainer.Result r = trainer.fit(x, t, null);

        assertSameBits("outputs of a", a, output(tn, xTest, 0));
        assertSameBits("outputs of b", b, output(tn, xTest, 1));
        for (int j = 0; j < old.size(); j++) assertSameBits("W of old layer " + j, W[j], old.get(j).W);
        assertThat(r.history.get(29).groupLoss(2)).isLessThan(0.8 * r.history.get(0).groupLoss(2));
        assertThat(r.history.get(29).groupLoss(0)).isZero();
    }

    @Test
    void removeTask_restBitIdentical() {
        Rng rng = new Rng(SEED + 1);
        double[][] x = gaussian(rng, N, I, 1.0);
        TaskNetwork tn = trained(rng, x);
        double[][] b = output(tn, x, 1);
        Network removed = tn.removeTask("a");
        assertThat(removed.outputs()).isEqualTo(3);
        assertThat(tn.groupCount()).isEqualTo(1);
        assertThat(tn.outputs()).isEqualTo(2);
        assertSameBits("outputs of b", b, output(tn, x, 0));
        assertSameBits("z is b's columns", b, tn.forward(x));
    }

    /** The features of a frozen trunk, or of its frozen lower layers, cached or not: the same bits. */
    @Test
    void cacheFeatures_frozenTrunkOrItsLowerLayers_sameBitsAsWithout() {
        for (int frozen = 1; frozen <= 2; frozen++) {
            Rng rng = new Rng(SEED + 2);
            double[][] x = gaussian(rng, N, I, 1.0);
            GroupedLoss loss = TaskFixtures.mixed();
            TaskNetwork cached = TaskFixtures.towers(rng, I, loss, Activation.LEAKY_RELU);
            cached.trunk().freeze(0, frozen);
            TaskNetwork plain = TaskFixtures.reference(cached.copy());
            Targets t = TaskFixtures.targets(loss, rng, N, 0.5);
            TaskTrainer tc = new TaskTrainer(cached, Optimizer.momentum(0.05, 0.9));
            TaskTrainer tp = new TaskTrainer(plain, Optimizer.momentum(0.05, 0.9));
            tp.cacheFeatures = false;
            tc.epochs = tp.epochs = 4;
            tc.batch = tp.batch = 7;
            TaskTrainer.Result rc = tc.fit(x, t, null);
            TaskTrainer.Result rp = tp.fit(x, t, null);
            List<Dense> lc = cached.layers(), lp = plain.layers();
            for (int j = 0; j < lc.size(); j++) {
                assertSameBits(frozen + " frozen: W of layer " + j, lp.get(j).W, lc.get(j).W);
                assertSameBits(frozen + " frozen: b of layer " + j, lp.get(j).b, lc.get(j).b);
            }
            assertSameBits("train loss", new double[] {rp.history.get(3).trainLoss}, new double[] {rc.history.get(3).trainLoss});
            assertThat(lc.get(2).W[0][0]).as("a tower trained").isNotEqualTo(TaskFixtures.towers(new Rng(SEED + 2), I, loss, Activation.LEAKY_RELU).tower(0).layer(0).W[0][0]);
        }
    }

    /** One SGD step with lrScale 0.5 on tower a's layer 0: that layer moves half as far; every other layer has the bits of the step without it. */
    @Test
    void step_lrScaleOnATowerLayer_halvesItsStepOnly() {
        Rng rng = new Rng(SEED + 4);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork one = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        TaskNetwork half = TaskFixtures.reference(one.copy());
        TaskNetwork start = one.copy();
        half.tower(0).layer(0).setLrScale(0.5);
        double[][] x = gaussian(rng, 8, I, 1.0);
        Targets t = TaskFixtures.targets(loss, rng, 8, 0.8);
        for (TaskNetwork tn : new TaskNetwork[] {one, half}) {
            double[][] z = tn.forward(x);
            double[][] dz = new double[8][loss.columns()];
            loss.backward(dz, z, t);
            tn.zeroGrad();
            tn.backward(dz);
            tn.step(Optimizer.sgd(0.5));
        }
        List<Dense> a = one.layers(), b = half.layers(), s = start.layers();
        for (int j = 0; j < a.size(); j++) {
            if (j == 2) continue; // tower a's layer 0: the trunk's two layers come first
            assertSameBits("W of layer " + j, a.get(j).W, b.get(j).W);
        }
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 4; i++) {
                double full = a.get(2).W[o][i] - s.get(2).W[o][i];
                double halfStep = b.get(2).W[o][i] - s.get(2).W[o][i];
                assertThat(full).isNotZero();
                Assert.assertClose("step of W[" + o + "][" + i + "]", 0.5 * full, halfStep, 1e-12 * Math.abs(full) + 1e-15);
            }
        }
    }

    /** Two threads in the trunk and the towers (every job split) train to the same bits as one. */
    @Test
    void fit_twoThreads_sameBitsAsOne() {
        Rng rng = new Rng(SEED + 5);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork serial = TaskFixtures.towers(rng, I, loss, Activation.RELU);
        serial.trunk().setReference(false); // the fast kernels: the threads split their jobs
        for (int g = 0; g < serial.groupCount(); g++) serial.tower(g).setReference(false);
        TaskNetwork threaded = serial.copy();
        threaded.trunk().setThreads(2, 0);
        for (int g = 0; g < threaded.groupCount(); g++) threaded.tower(g).setThreads(2, 0);
        double[][] x = gaussian(rng, N, I, 1.0);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.7);
        try {
            for (TaskNetwork tn : new TaskNetwork[] {serial, threaded}) {
                TaskTrainer trainer = new TaskTrainer(tn, Optimizer.adam(0.01));
                trainer.epochs = 2;
                trainer.batch = 16;
                trainer.fit(x, t, null);
            }
        } finally {
            threaded.setThreads(1);
        }
        List<Dense> a = serial.layers(), b = threaded.layers();
        for (int j = 0; j < a.size(); j++) assertSameBits("W of layer " + j, a.get(j).W, b.get(j).W);
    }

    /** The validation loss of each epoch is the grouped loss of the network after that epoch on the validation set, cached trunk or not. */
    @Test
    void fit_validation_lossOfTheNetworkAfterEachEpoch() {
        for (boolean frozenTrunk : new boolean[] {false, true}) {
            Rng rng = new Rng(SEED + 6);
            GroupedLoss loss = TaskFixtures.mixed();
            TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
            if (frozenTrunk) tn.trunk().freeze(0, 2);
            double[][] x = gaussian(rng, N, I, 1.0), xVal = gaussian(rng, 13, I, 1.0);
            Targets t = TaskFixtures.targets(loss, rng, N, 0.7), tVal = TaskFixtures.targets(loss, rng, 13, 0.7);
            double[][] expected = new double[3][4]; // [epoch] J, then J_g
            TaskTrainer trainer = new TaskTrainer(tn, Optimizer.adam(0.01));
            trainer.epochs = 3;
            trainer.batch = 9;
            TaskTrainer.Result r = trainer.fit(x, t, xVal, tVal, epoch -> {
                double[] Jg = new double[3];
                TaskNetwork check = TaskFixtures.reference(tn.copy()); // computed apart from the trainer's networks
                expected[epoch.epoch - 1][0] = loss.forward(check.forward(xVal), tVal, Jg);
                System.arraycopy(Jg, 0, expected[epoch.epoch - 1], 1, 3);
            });
            for (int e = 0; e < 3; e++) {
                TaskTrainer.Epoch epoch = r.history.get(e);
                double[] found = {epoch.validationLoss, epoch.groupValidationLoss(0), epoch.groupValidationLoss(1), epoch.groupValidationLoss(2)};
                assertSameBits("validation losses of epoch " + (e + 1) + (frozenTrunk ? ", frozen trunk" : ""), expected[e], found);
            }
            assertThat(r.history.get(2).groupValidationLoss(0)).isPositive();
        }
    }

    /**
     * Early stopping: the kept epoch is the first with the lowest validation loss, the network ends
     * with that epoch's weights (copied by the listener), and training stops patience epochs later.
     */
    @Test
    void fit_patience_keepsTheBestEpochsWeights() {
        Rng rng = new Rng(SEED + 7);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        double[][] x = gaussian(rng, 20, I, 1.0), xVal = gaussian(rng, 20, I, 1.0);
        Targets t = TaskFixtures.targets(loss, rng, 20, 0.9), tVal = TaskFixtures.targets(loss, rng, 20, 0.9);
        List<TaskNetwork> copies = new java.util.ArrayList<TaskNetwork>();
        TaskTrainer trainer = new TaskTrainer(tn, Optimizer.adam(0.05)); // a large step on 20 rows: it overfits
        trainer.epochs = 60;
        trainer.batch = 4;
        trainer.patience = 3;
        TaskTrainer.Result r = trainer.fit(x, t, xVal, tVal, epoch -> copies.add(tn.copy()));
        int best = 0;
        for (int e = 1; e < r.history.size(); e++) if (r.history.get(e).validationLoss < r.history.get(best).validationLoss) best = e;
        assertThat(r.stoppedEarly).as("overfitting stops training early").isTrue();
        assertThat(r.keptEpoch).isEqualTo(best + 1);
        assertThat(r.history).hasSize(best + 1 + 3);
        List<Dense> kept = copies.get(best).layers(), end = tn.layers();
        for (int j = 0; j < end.size(); j++) assertSameBits("W of layer " + j, kept.get(j).W, end.get(j).W);
    }

    @Test
    void fit_badArguments_clearMessages() {
        Rng rng = new Rng(SEED + 3);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        TaskTrainer trainer = new TaskTrainer(tn, Optimizer.sgd(0.1));
        double[][] x = gaussian(rng, 4, I, 1.0);
        assertThatThrownBy(() -> trainer.fit(x, Targets.of(new double[4][6]), null))
            .hasMessage("training targets: expected 4 rows and 7 columns (all groups), found 4 rows and 6 columns");
        freezeAll(tn);
        assertThatThrownBy(() -> trainer.fit(x, TaskFixtures.targets(loss, rng, 4, 1.0), null))
            .hasMessage("training: expected at least one trainable layer, found every layer of the trunk and the towers frozen");
        assertThatThrownBy(() -> trainer.fit(x, TaskFixtures.targets(loss, rng, 4, 1.0), x, null, null))
            .hasMessage("validation: expected both inputs and targets or neither, found only inputs");
    }
}
