package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private static final int N = 37, I = 5, K = 3;

    private static Network network(long seed) {
        Rng rng = new Rng(seed);
        return new Network(new Dense(I, 8, Activation.TANH, rng), new Dense(8, 6, Activation.RELU, rng), new Dense(6, K, Activation.IDENTITY, rng));
    }

    private static double[][] inputs(long seed, int rows) {
        return Assert.gaussian(new Rng(seed), rows, I, 1.0);
    }

    /** Binary labels from a fixed rule, with about a quarter unlabeled. */
    private static Targets targets(double[][] x, long seed) {
        Rng rng = new Rng(seed);
        double[][] y = new double[x.length][K];
        boolean[][] m = new boolean[x.length][K];
        for (int n = 0; n < x.length; n++) {
            for (int k = 0; k < K; k++) {
                y[n][k] = x[n][k] + 0.5 * x[n][k + 1] > 0 ? 1 : 0;
                m[n][k] = rng.nextDouble() > 0.25;
            }
        }
        return new Targets(y, m);
    }

    private static void assertSameWeights(Network a, Network b) {
        for (int l = 0; l < a.size(); l++) {
            Assert.assertSameBits("layer " + l + " W", a.layer(l).W, b.layer(l).W);
            Assert.assertSameBits("layer " + l + " b", a.layer(l).b, b.layer(l).b);
        }
    }

    private static Trainer trainer(Network net, Optimizer opt, int epochs) {
        Trainer tr = new Trainer(net, new BinaryCrossEntropy(), opt);
        tr.epochs = epochs;
        tr.batch = 8;
        tr.seed = 99;
        return tr;
    }

    @Test
    void fit_featureCache_bitIdenticalToUncached() {
        double[][] x = inputs(1, N), xv = inputs(2, 11);
        Targets t = targets(x, 3), tv = targets(xv, 4);
        Network a = network(5), b = network(5);
        a.freeze(0, 1);
        b.freeze(0, 1);
        Trainer ta = trainer(a, Optimizer.adam(0.01), 6);
        Trainer tb = trainer(b, Optimizer.adam(0.01), 6);
        ta.cacheFeatures = true;
        tb.cacheFeatures = false;
        Trainer.Result ra = ta.fit(x, t, xv, tv, null);
        Trainer.Result rb = tb.fit(x, t, xv, tv, null);
        assertSameWeights(a, b);
        for (int e = 0; e < 6; e++) {
            assertThat(ra.history.get(e).trainLoss).isEqualTo(rb.history.get(e).trainLoss);
            assertThat(ra.history.get(e).validationLoss).isEqualTo(rb.history.get(e).validationLoss);
        }
        // And training did something: the head moved, the frozen base did not.
        Network fresh = network(5);
        Assert.assertSameBits("frozen base", fresh.layer(0).W, a.layer(0).W);
        assertThat(a.layer(2).W[0][0]).isNotEqualTo(fresh.layer(2).W[0][0]);
    }

    @Test
    void fit_sameSeed_sameBits_otherSeed_otherBits() {
        double[][] x = inputs(1, N);
        Targets t = targets(x, 3);
        Network a = network(5), b = network(5), c = network(5);
        trainer(a, Optimizer.momentum(0.05, 0.9), 3).fit(x, t, null, null, null);
        trainer(b, Optimizer.momentum(0.05, 0.9), 3).fit(x, t, null, null, null);
        Trainer other = trainer(c, Optimizer.momentum(0.05, 0.9), 3);
        other.seed = 100;
        other.fit(x, t, null, null, null);
        assertSameWeights(a, b);
        assertThat(c.layer(0).W[0][0]).isNotEqualTo(a.layer(0).W[0][0]);
    }

    @Test
    void fit_oneEpochFullBatchSgd_equalsOneManualStep() {
        // With B = N there is one step per epoch; the shuffled order only changes the order of
        // rows, so compare with a manual step over the rows in the order Rng(seed).shuffle gives.
        double[][] x = inputs(1, N);
        Targets t = targets(x, 3);
        Network a = network(5), b = network(5);
        Trainer tr = trainer(a, Optimizer.sgd(0.1), 1);
        tr.batch = N;
        Trainer.Result r = tr.fit(x, t, null, null, null);

        int[] order = new int[N];
        for (int n = 0; n < N; n++) order[n] = n;
        new Rng(99).shuffle(order);
        double[][] xs = new double[N][];
        for (int j = 0; j < N; j++) xs[j] = x[order[j]];
        Targets ts = t.rows(order, 0, N);
        Loss loss = new BinaryCrossEntropy();
        double[][] z = b.forward(xs);
        double J = loss.forward(z, ts);
        double[][] dz = new double[N][K];
        loss.backward(dz, z, ts);
        b.zeroGrad();
        b.backward(dz);
        Optimizer.sgd(0.1).step(b);

        assertSameWeights(b, a);
        assertThat(r.history.get(0).trainLoss).isEqualTo(N * J / N);
    }

    @Test
    void fit_earlyStopping_restoresBestWeights() {
        // Validation labels are the opposite of the training labels, so the validation loss rises
        // once training fits the training labels: the best epoch is early and training stops
        // `patience` epochs after it.
        double[][] x = inputs(1, N);
        Targets t = targets(x, 3);
        double[][] yv = new double[N][K];
        for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) yv[n][k] = 1.0 - t.y[n][k];
        Targets tv = new Targets(yv, t.labeled);

        Network a = network(5);
        Trainer tr = trainer(a, Optimizer.adam(0.02), 30);
        tr.patience = 3;
        Trainer.Result r = tr.fit(x, t, x, tv, null);

        assertThat(r.stoppedEarly).isTrue();
        int best = r.keptEpoch;
        double bestLoss = r.history.get(best - 1).validationLoss;
        for (Trainer.Epoch e : r.history) assertThat(e.validationLoss).isGreaterThanOrEqualTo(bestLoss);
        assertThat(r.history).hasSize(best + 3);
        // The kept weights are those after `best` epochs of the same run: retrain for exactly that long.
        Network b = network(5);
        trainer(b, Optimizer.adam(0.02), best).fit(x, t, null, null, null);
        assertSameWeights(b, a);
    }

    @Test
    void fit_divergence_stopsNamingEpochAndStepAndKeepsLastGoodWeights() {
        Rng rng = new Rng(8);
        double[][] x = Assert.gaussian(rng, 20, I, 10.0);
        double[][] y = Assert.gaussian(rng, 20, K, 1e3);
        Network a = network(5);
        Trainer tr = new Trainer(a, new MeanSquaredError(), Optimizer.sgd(10.0));
        tr.epochs = 50;
        tr.batch = 4;
        Trainer.Result r = tr.fit(x, Targets.of(y), null, null, null);

        assertThat(r.diverged).isTrue();
        assertThat(r.divergedEpoch).isBetween(1, 50);
        assertThat(r.divergedStep).isBetween(1, 5);
        assertThat(r.keptEpoch).isEqualTo(r.divergedEpoch - 1);
        for (int l = 0; l < a.size(); l++) for (double[] row : a.layer(l).W) for (double w : row) assertThat(Double.isFinite(w)).isTrue();
        // The kept weights are those after keptEpoch epochs (the initial ones when 0).
        Network b = network(5);
        if (r.keptEpoch > 0) {
            Trainer tb = new Trainer(b, new MeanSquaredError(), Optimizer.sgd(10.0));
            tb.epochs = r.keptEpoch;
            tb.batch = 4;
            assertThat(tb.fit(x, Targets.of(y), null, null, null).diverged).isFalse();
        }
        assertSameWeights(b, a);
    }

    @Test
    void fit_finiteButBlownUpLoss_divergesAtTheFirstBatchPastTheLimit_initialWeightsKept() {
        // Adam at lr 1e300 moves every weight by about 1e300 in the first step. The bce loss stays
        // finite (it grows like |z|), so only the blow-up rule J_b > 1e6 · max(1, J_1) stops it.
        double[][] x = inputs(3, N);
        double[][] y = new double[N][K];
        for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) y[n][k] = (n + k) % 2;
        // (tanh saturates at ±1, so the logits stay near 1e301: finite.)
        Rng rng = new Rng(5);
        Network a = new Network(new Dense(I, 8, Activation.TANH, rng), new Dense(8, K, Activation.IDENTITY, rng));
        Network initial = a.copy();
        Trainer tr = new Trainer(a, new BinaryCrossEntropy(), Optimizer.adam(1e300));
        tr.epochs = 3;
        tr.batch = 8;
        Trainer.Result r = tr.fit(x, Targets.of(y), null, null, null);

        assertThat(r.diverged).isTrue();
        assertThat(r.divergedEpoch).isEqualTo(1);
        assertThat(r.divergedStep).isEqualTo(2);
        assertThat(r.keptEpoch).isZero();
        assertThat(r.divergence).contains("exceeded the blow-up limit");
        assertSameWeights(initial, a);
    }

    @Test
    void fit_firstBatchWithoutLabels_blowUpLimitComesFromTheFirstLabeledBatch() {
        // Regression targets near 5000 with few labels: a labeled batch's loss is ~1e7 from the start.
        // The first batch has no labeled entry (J = 0 by definition), so it must not set the limit to
        // 1e6 · max(1, 0) = 1e6, which the first labeled batch would exceed at once.
        int rows = 40, B = 8;
        double[][] x = inputs(4, rows);
        double[][] y = new double[rows][1];
        boolean[][] labeled = new boolean[rows][1];
        // The first epoch's order, as SPEC §19 draws it: Rng(seed).shuffle of 0 … N−1.
        int[] order = new int[rows];
        for (int n = 0; n < rows; n++) order[n] = n;
        new Rng(1).shuffle(order);
        for (int j = B; j < rows; j += 4) {
            y[order[j]][0] = 5000.0 + j;
            labeled[order[j]][0] = true;
        }
        Rng rng = new Rng(6);
        Network a = new Network(new Dense(I, 4, Activation.TANH, rng), new Dense(4, 1, Activation.IDENTITY, rng));
        Trainer tr = new Trainer(a, new MeanSquaredError(), Optimizer.sgd(1e-6));
        tr.seed = 1;
        tr.epochs = 2;
        tr.batch = B;
        Trainer.Result r = tr.fit(x, new Targets(y, labeled), null, null, null);

        assertThat(r.divergence).isNull();
        assertThat(r.diverged).isFalse();
    }

    @Test
    void fit_weightOverflowsInTheLastStep_divergesAlthoughEveryLossWasFinite() {
        // One epoch of one batch: the loss J_1 is computed before the only step, which sends the
        // weights past the double range (|lr · dW| > 1.8e308). No later loss would notice.
        double[][] x = inputs(3, N);
        double[][] y = Assert.gaussian(new Rng(4), N, K, 1e3);
        Network a = network(5);
        Trainer tr = new Trainer(a, new MeanSquaredError(), Optimizer.sgd(1e308));
        tr.epochs = 1;
        tr.batch = N;
        Trainer.Result r = tr.fit(x, Targets.of(y), null, null, null);

        assertThat(r.diverged).isTrue();
        assertThat(r.divergedEpoch).isEqualTo(1);
        assertThat(r.divergedStep).isEqualTo(1);
        assertThat(r.keptEpoch).isZero();
        assertThat(r.divergence).containsPattern("(weight W|bias b)\\[\\d+\\](\\[\\d+\\])? of layer \\d became (-?Infinity|NaN)");
        assertSameWeights(network(5), a);
    }

    @Test
    void fit_stepDecay_lrPerEpoch() {
        double[][] x = inputs(1, N);
        Network a = network(5);
        Optimizer opt = Optimizer.sgd(0.4);
        Trainer tr = trainer(a, opt, 5);
        tr.decayEvery = 2;
        tr.decayFactor = 0.5;
        List<Double> lrs = new ArrayList<>();
        tr.fit(x, targets(x, 3), null, null, e -> lrs.add(e.lr));
        assertThat(lrs).containsExactly(0.4, 0.4, 0.2, 0.2, 0.1);
        assertThat(opt.lr()).as("the optimizer's lr is restored after fit").isEqualTo(0.4);
    }

    @Test
    void fit_listener_calledOncePerEpochWithValidationOutput() {
        double[][] x = inputs(1, N), xv = inputs(2, 11);
        List<Integer> seen = new ArrayList<>();
        trainer(network(5), Optimizer.adam(0.01), 4).fit(x, targets(x, 3), xv, targets(xv, 4), e -> {
            seen.add(e.epoch);
            assertThat(e.validationOutput).hasNumberOfRows(11);
            assertThat(e.validationLoss).isFinite();
        });
        assertThat(seen).containsExactly(1, 2, 3, 4);
    }

    @Test
    void fit_badSettings_rejectedWithMessage() {
        double[][] x = inputs(1, N);
        Targets t = targets(x, 3);
        Trainer tr = trainer(network(5), Optimizer.sgd(0.1), 1);
        tr.batch = 0;
        assertThatThrownBy(() -> tr.fit(x, t, null, null, null)).isInstanceOf(IllegalArgumentException.class).hasMessage("batch size: expected at least 1, found 0");
        tr.batch = 8;
        tr.patience = 2;
        assertThatThrownBy(() -> tr.fit(x, t, null, null, null)).hasMessage("patience: early stopping needs validation data, found none");
        tr.patience = 0;
        tr.decayFactor = 0.0;
        assertThatThrownBy(() -> tr.fit(x, t, null, null, null)).hasMessage("decayFactor: expected a number in (0, 1], found 0.0");
        tr.decayFactor = 0.5;
        assertThatThrownBy(() -> tr.fit(x, targets(inputs(1, 3), 3), null, null, null)).hasMessageContaining("expected 37 rows");
        Network frozen = network(5);
        frozen.freeze(0, 3);
        assertThatThrownBy(() -> trainer(frozen, Optimizer.sgd(0.1), 1).fit(x, t, null, null, null))
            .hasMessage("training: expected at least one trainable layer, found every layer frozen");
    }

    @Test
    void fit_frozenBaseFeaturesOverflow_rejectedNamingTheEntry() {
        // relu(1e200 · 1e200) = relu(1e400) = +∞ in double: the cached features of row 1, column 0
        // overflow, though x and W are finite; row 0 gives finite features (relu(0) = 0).
        Network net = new Network(new Dense(new double[][] {{1e200, 0}, {0, 1e200}}, new double[2], Activation.RELU),
            new Dense(new double[][] {{0.5, -0.5}}, new double[1], Activation.IDENTITY));
        net.freeze(0, 1);
        double[][] x = {{0, 0}, {1e200, -1}, {1, 1}};
        Targets t = Targets.of(new double[][] {{0}, {1}, {1}});
        Trainer tr = new Trainer(net, new BinaryCrossEntropy(), Optimizer.sgd(0.1));
        tr.epochs = 1;
        assertThatThrownBy(() -> tr.fit(x, t, null, null, null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("frozen-base features[1][0]: expected a finite number, found Infinity");
    }

    /** A network wide enough that its products are split over the threads (above Parallel.MIN_WORK). */
    private static Network wide(long seed) {
        Rng rng = new Rng(seed);
        return new Network(new Dense(64, 96, Activation.TANH, rng), new Dense(96, 96, Activation.RELU, rng), new Dense(96, K, Activation.IDENTITY, rng));
    }

    @Test
    void fit_twoThreadsWithAndWithoutCache_sameBitsAsOneThread() {
        // Batches of 64 rows: the middle layer's products are 96·96·64 multiply-adds, and the frozen
        // base's forward over the data 200·64·96, so both are really split over the two threads.
        assertThat(96L * 96 * 64).as("a product of this test against Parallel.MIN_WORK").isGreaterThanOrEqualTo(Parallel.MIN_WORK);
        Rng rng = new Rng(1);
        double[][] x = Assert.gaussian(rng, 200, 64, 1.0), xv = Assert.gaussian(rng, 30, 64, 1.0);
        Targets t = targets(x, 3), tv = targets(xv, 4);
        Network one = wide(5), two = wide(5), twoCached = wide(5);
        twoCached.freeze(0, 1);
        Network oneCached = wide(5);
        oneCached.freeze(0, 1);
        Trainer t1 = trainer(one, Optimizer.adam(0.01), 3);
        t1.batch = 64;
        t1.fit(x, t, xv, tv, null);
        Trainer t2 = trainer(two, Optimizer.adam(0.01), 3);
        t2.batch = 64;
        t2.threads = 2;
        t2.fit(x, t, xv, tv, null);
        assertSameWeights(one, two);
        Trainer t1c = trainer(oneCached, Optimizer.adam(0.01), 3);
        t1c.batch = 64;
        t1c.fit(x, t, xv, tv, null);
        Trainer t3 = trainer(twoCached, Optimizer.adam(0.01), 3);
        t3.batch = 64;
        t3.threads = 2;
        t3.fit(x, t, xv, tv, null);
        assertSameWeights(oneCached, twoCached);
        assertThat(two.threads()).as("fit restores the network's own thread setting").isEqualTo(1);
    }
}
