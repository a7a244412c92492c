package plainnet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import plainnet.BinaryCrossEntropy;
import plainnet.Network;
import plainnet.Rng;
import plainnet.Targets;

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
}
