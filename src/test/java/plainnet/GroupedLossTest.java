package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static plainnet.Assert.assertSameBits;
import static plainnet.Assert.gaussian;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Output groups (SPEC.md §27): J = Σ_g w_g·J_g over column ranges; one group is the plain loss bit
 * for bit; a group with nothing labeled adds exactly +0.0; errors name the group.
 *
 * <p>Index letters: N rows (n), K columns of all groups (k).
 */
class GroupedLossTest {

    private static final long SEED = 26L;
    private static final int N = 7;

    static Stream<Arguments> everyKindAndReduction() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Reduction r : Reduction.values()) {
            b.add(Arguments.of(new BinaryCrossEntropy(r, new double[] {0.5, 2.0, 1.0}, new double[] {3.0, 1.0, 0.25}), 3));
            b.add(Arguments.of(new SoftmaxCrossEntropy(r), 4));
            b.add(Arguments.of(new MeanSquaredError(r, new double[] {1.5, 0.0}), 2));
        }
        return b.build();
    }

    /** A group of weight 1 holding every column is its loss: J and dz have the same bits. */
    @ParameterizedTest
    @MethodSource("everyKindAndReduction")
    void oneGroup_everyKindAndReduction_sameBitsAsThePlainLoss(Loss plain, int K) {
        Rng rng = new Rng(SEED);
        GroupedLoss grouped = new GroupedLoss(new Group("task", K, plain));
        Targets t = TaskFixtures.targets(grouped, rng, N, 0.6);
        double[][] z = gaussian(rng, N, K, 3.0); // (N, K)
        double[][] dzPlain = new double[N][K], dzGrouped = new double[N][K], dzBoth = new double[N][K];
        double Jplain = plain.forwardBackward(dzPlain, z, t);
        assertSameBits("J forward", new double[] {Jplain}, new double[] {grouped.forward(z, t)});
        grouped.backward(dzGrouped, z, t);
        assertSameBits("dz backward", dzPlain, dzGrouped);
        assertSameBits("J forwardBackward", new double[] {Jplain}, new double[] {grouped.forwardBackward(dzBoth, z, t)});
        assertSameBits("dz forwardBackward", dzPlain, dzBoth);
        assertThat(grouped.reduction()).isEqualTo(plain.reduction());
    }

    /** Mixed groups: J is the weighted sum, g ascending, of each loss on its own columns (copied here by hand); dz = w_g · dz_g. */
    @Test
    void mixedGroups_JIsTheWeightedSumAndDzTheWeightedGradients() {
        Rng rng = new Rng(SEED + 1);
        GroupedLoss loss = TaskFixtures.mixed();
        Targets t = TaskFixtures.targets(loss, rng, N, 0.7);
        int K = loss.columns();
        double[][] z = gaussian(rng, N, K, 2.0);  // (N, K)
        double[][] dz = new double[N][K];         // (N, K)
        double[] Jg = new double[3];
        double J = loss.forwardBackward(dz, z, t, Jg);

        int[] from = {0, 3, 5}, to = {3, 5, 7};
        double expected = 0.0;
        for (int g = 0; g < 3; g++) {
            double[][] zg = new double[N][], yg = new double[N][];
            boolean[][] mg = new boolean[N][];
            for (int n = 0; n < N; n++) {
                zg[n] = Arrays.copyOfRange(z[n], from[g], to[g]);
                yg[n] = Arrays.copyOfRange(t.y[n], from[g], to[g]);
                mg[n] = Arrays.copyOfRange(t.labeled[n], from[g], to[g]);
            }
            double[][] dzg = new double[N][to[g] - from[g]];
            Group group = loss.group(g);
            double Jgroup = group.loss.forwardBackward(dzg, zg, new Targets(yg, mg));
            assertSameBits("J_" + g, new double[] {Jgroup}, new double[] {Jg[g]});
            expected += group.weight * Jgroup;
            for (int n = 0; n < N; n++) {
                for (int k = 0; k < dzg[n].length; k++) {
                    assertSameBits("dz[" + n + "][" + (from[g] + k) + "]", new double[] {group.weight * dzg[n][k]}, new double[] {dz[n][from[g] + k]});
                }
            }
        }
        assertSameBits("J", new double[] {expected}, new double[] {J});
        assertSameBits("J forward", new double[] {J}, new double[] {loss.forward(z, t)});
        assertThat(J).isGreaterThan(0.0);
    }

    /** A group with nothing labeled adds exactly +0.0 to J and has dz exactly +0.0, under every reduction (mean_labeled's D = 0 included). */
    @ParameterizedTest
    @MethodSource("everyKindAndReduction")
    void allUnlabeledGroup_everyKindAndReduction_addsExactlyZero(Loss empty, int K) {
        Rng rng = new Rng(SEED + 2);
        Group a = new Group("a", 2, new BinaryCrossEntropy(), 0.8);
        GroupedLoss alone = new GroupedLoss(a);
        GroupedLoss both = new GroupedLoss(a, new Group("empty", K, empty, 2.5));
        Targets t = TaskFixtures.targets(both, rng, N, 0.8, "empty");
        double[][] z = gaussian(rng, N, 2 + K, 2.0); // (N, 2 + K)
        double[][] za = new double[N][];             // (N, 2)
        for (int n = 0; n < N; n++) za[n] = Arrays.copyOf(z[n], 2);
        double[][] dz = new double[N][2 + K], dza = new double[N][2];
        double J = both.forwardBackward(dz, z, t);
        double Ja = alone.forwardBackward(dza, za, both.targets(t, 0));
        assertSameBits("J", new double[] {Ja}, new double[] {J});
        for (int n = 0; n < N; n++) {
            assertSameBits("dz of a, row " + n, dza[n], Arrays.copyOf(dz[n], 2));
            for (int k = 2; k < 2 + K; k++) {
                assertThat(Double.doubleToRawLongBits(dz[n][k])).as("dz[%d][%d] of the unlabeled group is +0.0", n, k).isZero();
            }
        }
    }

    @Test
    void forward_badLabel_messageNamesTheGroupAndItsColumns() {
        GroupedLoss loss = TaskFixtures.mixed();
        double[][] y = new double[1][7];
        boolean[][] m = new boolean[1][7];
        y[0][0] = 1.0;
        Arrays.fill(m[0], 0, 3, true);
        y[0][3] = 2.0; // bce label outside [0, 1]
        m[0][3] = true;
        assertThatThrownBy(() -> loss.forward(new double[1][7], new Targets(y, m)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("group b (columns 3..4, k counted within the group): labels y[0][0]: expected a number in [0.0, 1.0] for the binary cross-entropy, found 2.0");
    }

    @Test
    void constructorsAndShapes_badArguments_clearMessages() {
        assertThatThrownBy(() -> new GroupedLoss(new Group("a", 2, new MeanSquaredError()), new Group("a", 1, new MeanSquaredError())))
            .hasMessage("groups: expected distinct names, found \"a\" at positions 0 and 1");
        assertThatThrownBy(() -> new GroupedLoss()).hasMessage("groups: expected at least 1 group, found none");
        assertThatThrownBy(() -> new Group("", 2, new MeanSquaredError())).hasMessage("group name: expected a non-empty name, found \"\"");
        assertThatThrownBy(() -> new Group("a", 0, new MeanSquaredError())).hasMessage("group a: number of columns K: expected at least 1, found 0");
        assertThatThrownBy(() -> new Group("a", 1, new MeanSquaredError(), -1.0)).hasMessage("group a: task weight: expected a finite number >= 0, found -1.0");
        GroupedLoss loss = TaskFixtures.mixed();
        assertThatThrownBy(() -> new Group("all", 7, loss))
            .hasMessage("group all: expected the loss of one group, found a GroupedLoss (list its groups instead)");
        assertThatThrownBy(() -> loss.forward(new double[2][6], Targets.of(new double[2][6])))
            .hasMessage("targets: expected 7 columns (the groups' a 3 + b 2 + c 2), found 6");
        assertThatThrownBy(() -> loss.reduction()).isInstanceOf(IllegalStateException.class);
        assertThat(loss.columnStart(2)).isEqualTo(5);
        assertThat(loss.indexOf("c")).isEqualTo(2);
        assertThat(loss.indexOf("d")).isEqualTo(-1);
    }

    /** A plain network trained by {@link Trainer} on one group of each kind ends with the bits of training on the plain loss. */
    @ParameterizedTest
    @MethodSource("everyKindAndReduction")
    void trainer_oneGroup_sameWeightsAsThePlainLoss(Loss plain, int K) {
        Rng rng = new Rng(SEED + 3);
        Network a = TaskFixtures.net(rng, 4, new int[] {6, K}, Activation.TANH);
        Network b = TaskFixtures.reference(a.copy());
        GroupedLoss grouped = new GroupedLoss(new Group("task", K, plain));
        double[][] x = gaussian(rng, 20, 4, 1.0);
        Targets t = TaskFixtures.targets(grouped, rng, 20, 0.6);
        Trainer ta = new Trainer(a, plain, Optimizer.adam(0.01));
        Trainer tb = new Trainer(b, grouped, Optimizer.adam(0.01));
        ta.epochs = tb.epochs = 3;
        ta.batch = tb.batch = 6;
        ta.fit(x, t, null, null, null);
        tb.fit(x, t, null, null, null);
        for (int l = 0; l < a.size(); l++) {
            assertSameBits("W of layer " + l, a.layer(l).W, b.layer(l).W);
            assertSameBits("b of layer " + l, a.layer(l).b, b.layer(l).b);
        }
    }
}
