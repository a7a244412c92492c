package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static plainnet.Assert.gaussian;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference gradient checks of output groups and task towers (SPEC.md §13, §27): each loss
 * kind inside a weighted group under every reduction, mixed groups, towers, a frozen trunk, a
 * frozen tower, an all-unlabeled group; and a wrong gradient fails.
 *
 * <p>Index letters: N rows (n), I inputs, K columns of all groups (k).
 */
class TaskGradCheckTest {

    private static final long SEED = 1326L;
    private static final int N = 6, I = 3;

    static Stream<Arguments> everyKindAndReduction() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Reduction r : Reduction.values()) {
            b.add(Arguments.of(new BinaryCrossEntropy(r, new double[] {0.5, 2.0}, new double[] {3.0, 0.25}), 2));
            b.add(Arguments.of(new SoftmaxCrossEntropy(r), 3));
            b.add(Arguments.of(new MeanSquaredError(r, new double[] {1.5, 0.5}), 2));
        }
        return b.build();
    }

    private static void assertPassed(GradCheck.Report report, int arrays) {
        assertThat(report.passed()).as("%s", report).isTrue();
        assertThat(report.arrays).hasSize(arrays);
        for (GradCheck.ArrayReport a : report.arrays) assertThat(a.checked).as(a.name).isPositive();
    }

    /** A plain network on one weighted group of each kind beside a second group: {@link GradCheck} on the grouped loss. */
    @ParameterizedTest
    @MethodSource("everyKindAndReduction")
    void groupedLoss_eachKindInAGroup_passes(Loss kind, int K) {
        Rng rng = new Rng(SEED);
        GroupedLoss loss = new GroupedLoss(new Group("task", K, kind, 0.6), new Group("other", 2, new BinaryCrossEntropy(), 1.4));
        Network net = TaskFixtures.net(rng, I, new int[] {4, K + 2}, Activation.TANH);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.6);
        assertPassed(GradCheck.run(net, loss, gaussian(rng, N, I, 1.0), t), 5);
    }

    @Test
    void groupedLoss_mixedGroups_passes() {
        Rng rng = new Rng(SEED + 1);
        GroupedLoss loss = TaskFixtures.mixed();
        Network net = TaskFixtures.net(rng, I, new int[] {4, loss.columns()}, Activation.SIGMOID);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.6);
        assertPassed(GradCheck.run(net, loss, gaussian(rng, N, I, 1.0), t, 0.01, GradCheck.EPS, GradCheck.THRESHOLD), 5);
    }

    /** Trunk 3 → 5 → 4 and three towers 4 → 3 → K_g: 2 + 3·2 layers, two arrays each, and x. */
    @Test
    void towers_mixedGroups_passes() {
        Rng rng = new Rng(SEED + 2);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.6);
        assertPassed(TaskGradCheck.run(tn, gaussian(rng, N, I, 1.0), t, 0.02, GradCheck.EPS, GradCheck.THRESHOLD), 17);
    }

    /** relu layers: entries whose ±ε crosses a kink are skipped, the rest pass. */
    @Test
    void towers_reluLayers_passes() {
        Rng rng = new Rng(SEED + 3);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.RELU);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.6);
        GradCheck.Report report = TaskGradCheck.run(tn, gaussian(rng, N, I, 1.0), t);
        assertThat(report.passed()).as("%s", report).isTrue();
        assertThat(report.arrays).hasSize(17);
    }

    @Test
    void towers_frozenTrunk_passesWithoutTrunkArrays() {
        Rng rng = new Rng(SEED + 4);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        tn.trunk().freeze(0, 2);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.6);
        GradCheck.Report report = TaskGradCheck.run(tn, gaussian(rng, N, I, 1.0), t);
        assertPassed(report, 13);
        assertThat(report.arrays.get(0).name).startsWith("tower a layer 0 W");
    }

    /** A frozen tower has no arrays, but its loss still reaches the trunk, whose gradient must include it. */
    @Test
    void towers_frozenTower_passes() {
        Rng rng = new Rng(SEED + 5);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        tn.tower(0).freeze(0, 2);
        tn.tower(2).freeze(1, 2);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.6);
        assertPassed(TaskGradCheck.run(tn, gaussian(rng, N, I, 1.0), t), 11);
    }

    @Test
    void towers_allUnlabeledGroup_passesAndItsTowerHasZeroGradient() {
        Rng rng = new Rng(SEED + 6);
        GroupedLoss loss = TaskFixtures.mixed();
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        Targets t = TaskFixtures.targets(loss, rng, N, 0.6, "a");
        GradCheck.Report report = TaskGradCheck.run(tn, gaussian(rng, N, I, 1.0), t);
        assertPassed(report, 17);
        for (int l = 0; l < 2; l++) for (double[] row : tn.tower(0).layer(l).dW) for (double v : row) assertThat(v).isZero();
    }

    /** A loss whose backward is 1 % off fails the check, naming the first array. */
    @Test
    void towers_wrongGradient_fails() {
        Rng rng = new Rng(SEED + 7);
        Loss right = new MeanSquaredError();
        Loss wrong = new Loss() {
            @Override
            public double forward(double[][] z, Targets t) {
                return right.forward(z, t);
            }

            @Override
            public void backward(double[][] dz, double[][] z, Targets t) {
                right.backward(dz, z, t);
                for (double[] row : dz) for (int k = 0; k < row.length; k++) row[k] *= 1.01;
            }

            @Override
            public Reduction reduction() {
                return right.reduction();
            }
        };
        GroupedLoss loss = new GroupedLoss(new Group("a", 2, new BinaryCrossEntropy()), new Group("b", 2, wrong));
        TaskNetwork tn = TaskFixtures.towers(rng, I, loss, Activation.TANH);
        Targets t = TaskFixtures.targets(loss, rng, N, 1.0);
        GradCheck.Report report = TaskGradCheck.run(tn, gaussian(rng, N, I, 1.0), t);
        assertThat(report.passed()).isFalse();
        assertThat(report.arrays.get(0).passed).as("trunk layer 0 W").isFalse();
        assertThat(report.arrays.get(4).name).startsWith("tower a");
        assertThat(report.arrays.get(4).passed).as("tower a is right").isTrue();
        assertThat(report.worst()).isGreaterThan(1e-3);
    }
}
