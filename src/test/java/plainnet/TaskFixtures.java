package plainnet;

import java.util.Arrays;
import java.util.List;

/**
 * Shared fixtures of the output-group and task-tower tests (SPEC.md §27): targets of mixed groups
 * with unlabeled entries, and small networks.
 *
 * <p>Index letters: N rows (n), K columns of all groups, K_g columns of group g (k).
 */
final class TaskFixtures {

    private TaskFixtures() {}

    /**
     * Targets (N, K) for the groups of {@code loss}: each unit labeled with probability p (a softmax
     * group's unit is a row: a one-hot class; a binary cross-entropy entry 0 or 1; a squared-error
     * entry a standard normal). Unlabeled entries hold NaN, which no loss may read. A group named
     * in {@code none} has nothing labeled.
     */
    static Targets targets(GroupedLoss loss, Rng rng, int N, double p, String... none) {
        int K = loss.columns();
        double[][] y = new double[N][K];      // (N, K)
        boolean[][] m = new boolean[N][K];    // (N, K)
        List<String> empty = Arrays.asList(none);
        for (int g = 0; g < loss.groupCount(); g++) {
            Group group = loss.group(g);
            int c = loss.columnStart(g);
            boolean any = !empty.contains(group.name);
            for (int n = 0; n < N; n++) {
                if (group.loss instanceof SoftmaxCrossEntropy) {
                    boolean labeled = any && rng.nextDouble() < p;
                    int cls = rng.nextInt(group.K);
                    for (int k = 0; k < group.K; k++) {
                        m[n][c + k] = labeled;
                        y[n][c + k] = labeled ? (k == cls ? 1.0 : 0.0) : Double.NaN;
                    }
                } else {
                    for (int k = 0; k < group.K; k++) {
                        boolean labeled = any && rng.nextDouble() < p;
                        double v = group.loss instanceof BinaryCrossEntropy ? rng.nextInt(2) : rng.nextGaussian();
                        m[n][c + k] = labeled;
                        y[n][c + k] = labeled ? v : Double.NaN;
                    }
                }
            }
        }
        return new Targets(y, m);
    }

    /** Three groups of the three kinds, with weights and reductions that differ: a softmax (3 classes), b bce (2), c mse (2). */
    static GroupedLoss mixed() {
        return new GroupedLoss(
            new Group("a", 3, new SoftmaxCrossEntropy(Reduction.PER_EXAMPLE), 0.7),
            new Group("b", 2, new BinaryCrossEntropy(Reduction.MEAN_LABELED, new double[] {1.0, 0.5}, new double[] {2.0, 0.75}), 1.3),
            new Group("c", 2, new MeanSquaredError(Reduction.MEAN_ALL), 0.4));
    }

    /** A network with an identity output layer and random biases (so that no sum starts from +0.0), layers drawn from rng in order. */
    static Network net(Rng rng, int I, int[] widths, Activation hidden) {
        return net(rng, I, widths, hidden, Activation.IDENTITY);
    }

    /** As {@link #net(Rng, int, int[], Activation)} with the last layer's activation {@code last}. */
    static Network net(Rng rng, int I, int[] widths, Activation hidden, Activation last) {
        Dense[] layers = new Dense[widths.length];
        int in = I;
        for (int l = 0; l < widths.length; l++) {
            layers[l] = new Dense(in, widths[l], l == widths.length - 1 ? last : hidden, rng);
            for (int o = 0; o < widths[l]; o++) layers[l].b[o] = 0.1 * rng.nextGaussian();
            in = widths[l];
        }
        return reference(new Network(layers));
    }

    /**
     * The naive reference kernels in every layer (the same bits as the fast ones, SPEC.md §23,
     * proven by KernelsTest). These tests compare formulations, not kernels; and their many calls
     * at tiny sizes trained the JIT so that KernelsTest's zero-allocation checks on the Vector API
     * path failed when it ran after them in the same JVM. {@link Network#copy} does not keep the
     * setting: call this on copies too.
     */
    static Network reference(Network net) {
        net.setReference(true);
        return net;
    }

    /** {@link #reference(Network)} for the trunk and every tower. */
    static TaskNetwork reference(TaskNetwork tn) {
        reference(tn.trunk());
        for (int g = 0; g < tn.groupCount(); g++) reference(tn.tower(g));
        return tn;
    }

    /** A trunk I → 5 → 4 and towers 4 → 3 → K_g for the groups of {@code loss}, hidden layers {@code hidden}. */
    static TaskNetwork towers(Rng rng, int I, GroupedLoss loss, Activation hidden) {
        Network trunk = net(rng, I, new int[] {5, 4}, hidden, hidden);
        List<Network> towers = new java.util.ArrayList<Network>();
        for (int g = 0; g < loss.groupCount(); g++) towers.add(net(rng, 4, new int[] {3, loss.group(g).K}, hidden));
        return new TaskNetwork(trunk, loss.groups(), towers);
    }
}
