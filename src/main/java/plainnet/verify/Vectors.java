package plainnet.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Group;
import plainnet.GroupedLoss;
import plainnet.Loss;
import plainnet.MeanSquaredError;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Reduction;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Targets;
import plainnet.TaskNetwork;

/**
 * The committed set of test vectors (test-data/vectors/), built deterministically: every input
 * comes from a fixed seed and is rounded to 3 decimals so the files stay readable. See SPEC.md,
 * section "Test vectors".
 */
public final class Vectors {

    /** Tolerances for forward, loss and gradients, and for cases with optimizer steps. */
    static final double ABS = 1e-12, REL = 1e-9, ABS_STEPS = 1e-10, REL_STEPS = 1e-8;
    /** Generator outputs: exact but for the last bits of log/cos (SPEC.md, section 2). */
    static final double ABS_GENERATOR = 0.0, REL_GENERATOR = 1e-14;

    private Vectors() {}

    /**
     * The whole set, in file order (SPEC.md §22.4).
     *
     * @return every case, built from fixed seeds
     */
    static List<Case> all() {
        List<Case> cases = new ArrayList<Case>();
        Activation[] acts = {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1), Activation.SIGMOID, Activation.TANH};
        for (Activation f : acts) {
            cases.add(Case.network("activation_" + f.name(), "a 3-4-3-2 network with " + f + " hidden layers, binary cross-entropy, all labeled",
                net(10, new int[] {3, 4, 3, 2}, f), data(11, 4, 3), bce(12, 4, 2, 0.0), new BinaryCrossEntropy(), null, 0, ABS, REL));
        }
        for (Reduction r : Reduction.values()) {
            String red = r.fileName();
            cases.add(Case.network("bce_" + red, "binary cross-entropy, reduction " + red + ", about 30 % of the labels unlabeled",
                net(20, new int[] {4, 5, 3}, Activation.TANH), data(21, 6, 4), bce(22, 6, 3, 0.3), new BinaryCrossEntropy(r), null, 0, ABS, REL));
            cases.add(Case.network("softmax_" + red, "softmax cross-entropy over 4 classes, reduction " + red + ", rows 1 and 4 unlabeled",
                net(23, new int[] {4, 5, 4}, Activation.RELU), data(24, 6, 4), Targets.ofClasses(new int[] {2, -1, 0, 3, -1, 1}, 4),
                new SoftmaxCrossEntropy(r), null, 0, ABS, REL));
            cases.add(Case.network("mse_" + red, "squared error on 2 outputs, reduction " + red + ", about 30 % of the labels unlabeled",
                net(25, new int[] {3, 4, 2}, Activation.SIGMOID), data(26, 5, 3), real(27, 5, 2, 0.3), new MeanSquaredError(r), null, 0, ABS, REL));
        }
        cases.add(Case.network("bce_task_and_pos_weights", "binary cross-entropy with task weights [0.5, 2, 1] and pos_weight [3, 0.25, 1], soft labels",
            net(30, new int[] {4, 5, 3}, Activation.TANH), data(31, 5, 4), soft(32, 5, 3), new BinaryCrossEntropy(Reduction.PER_EXAMPLE,
                new double[] {0.5, 2.0, 1.0}, new double[] {3.0, 0.25, 1.0}), null, 0, ABS, REL));
        cases.add(Case.network("mse_weights", "squared error with output weights [1.5, 0]: the second output adds nothing",
            net(33, new int[] {3, 4, 2}, Activation.TANH), data(34, 4, 3), real(35, 4, 2, 0.0), new MeanSquaredError(Reduction.MEAN_ALL, new double[] {1.5, 0.0}),
            null, 0, ABS, REL));
        cases.add(Case.network("labels_all_unlabeled", "every label unknown (reduction mean_labeled, whose divisor is then 0): loss 0 and every gradient exactly 0",
            net(40, new int[] {3, 4, 2}, Activation.TANH), data(41, 3, 3), bce(42, 3, 2, 1.0), new BinaryCrossEntropy(Reduction.MEAN_LABELED), null, 0, ABS, REL));
        cases.add(Case.network("labels_unlabeled_row", "row 1 has no label: its dout row is 0, and it still counts in D = N",
            net(43, new int[] {3, 4, 2}, Activation.TANH), data(44, 4, 3), withUnlabeledRow(bce(45, 4, 2, 0.0), 1), new BinaryCrossEntropy(), null, 0, ABS, REL));
        cases.add(Case.network("labels_unlabeled_column", "task 1 has no label in the batch: its output weights get no gradient",
            net(46, new int[] {3, 4, 3}, Activation.TANH), data(47, 4, 3), withUnlabeledColumn(bce(48, 4, 3, 0.0), 1), new BinaryCrossEntropy(), null, 0, ABS, REL));
        int[][] freezes = {{0, 1}, {1, 2}, {0, 2}, {0, 3}};
        String[] freezeNames = {"freeze_bottom", "freeze_middle", "freeze_all_but_head", "freeze_all"};
        for (int j = 0; j < freezes.length; j++) {
            Network n = net(50, new int[] {3, 4, 4, 2}, Activation.TANH);
            n.freeze(freezes[j][0], freezes[j][1]);
            boolean all = freezes[j][1] - freezes[j][0] == 3;
            cases.add(Case.network(freezeNames[j], "layers " + freezes[j][0] + " to " + (freezes[j][1] - 1) + " frozen: null gradients there, dx still computed"
                + (all ? " (no optimizer: nothing to train)" : ", and after 2 SGD steps their W and b unchanged"), n, data(51, 4, 3), bce(52, 4, 2, 0.25),
                new BinaryCrossEntropy(), all ? null : Optimizer.sgd(0.5), all ? 0 : 2, ABS_STEPS, REL_STEPS));
        }
        cases.add(Case.network("bce_extreme_logits", "logits near ±1e4 (large weights): finite loss and gradients",
            scaled(net(60, new int[] {3, 2}, Activation.IDENTITY), 5000.0), data(61, 4, 3), bce(62, 4, 2, 0.0), new BinaryCrossEntropy(), null, 0, ABS, REL));
        cases.add(Case.network("softmax_extreme_logits", "softmax over logits of order 1e4: log-sum-exp keeps everything finite",
            scaled(net(63, new int[] {3, 3}, Activation.IDENTITY), 5000.0), data(64, 3, 3), Targets.ofClasses(new int[] {0, 2, 1}, 3),
            new SoftmaxCrossEntropy(), null, 0, ABS, REL));
        cases.add(transfer());
        cases.add(l2sp());
        cases.add(lrDecay());
        cases.add(Case.network("deep_narrow", "8 layers of width 2-3 with mixed activations",
            deepNarrow(), data(71, 3, 2), bce(72, 3, 1, 0.0), new BinaryCrossEntropy(), null, 0, ABS, REL));
        cases.add(Case.network("wide_shallow", "20 inputs, 64 relu units, 3 outputs",
            net(73, new int[] {20, 64, 3}, Activation.RELU), data(74, 8, 20), bce(75, 8, 3, 0.3), new BinaryCrossEntropy(), null, 0, ABS, REL));
        cases.add(optimizerCase("optimizer_sgd", "3 steps of SGD (lr 0.1)", Optimizer.sgd(0.1), null));
        cases.add(optimizerCase("optimizer_momentum", "3 steps of SGD with momentum 0.9 (lr 0.05)", Optimizer.momentum(0.05, 0.9), null));
        cases.add(optimizerCase("optimizer_adam", "3 steps of Adam (lr 0.01)", Optimizer.adam(0.01), null));
        cases.add(optimizerCase("optimizer_adam_l2", "3 steps of Adam with coupled L2 weight decay 0.1 (W only)", Optimizer.adam(0.01).withWeightDecay(0.1, false), null));
        cases.add(optimizerCase("optimizer_adamw", "3 steps of AdamW: decoupled weight decay 0.1 (W only)", Optimizer.adam(0.01).withWeightDecay(0.1, true), null));
        cases.add(optimizerCase("optimizer_momentum_frozen_lr_scale", "3 momentum steps with layer 0 frozen and layer 2 at lr_scale 0.25, coupled decay 0.05",
            Optimizer.momentum(0.1, 0.8).withWeightDecay(0.05, false), new double[] {0, 1.0, 0.25}));
        cases.add(groupsMixed());
        cases.add(towers());
        cases.add(towersAddTask());
        cases.add(groupsAllUnlabeled());
        cases.add(Case.generator("generator", "SplitMix64 outputs, uniforms, Box-Muller normals, nextInt(10) and a shuffle of 10 for seeds 7, 0, 1, 42; "
            + "the four initialisers filling a 3-input, 4-output W from Rng(7)", new long[] {7, 0, 1, 42}, ABS_GENERATOR, REL_GENERATOR));
        return cases;
    }

    /**
     * Writes every vector as NAME.json into dir, with its expected results from {@link Compute#run}.
     *
     * @param dir the folder, created if missing
     * @return the number of files written
     * @throws IOException if the folder or a file cannot be written
     */
    public static int write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Case> cases = all();
        for (Case c : cases) {
            Files.write(dir.resolve(c.name + ".json"), c.toJson(Compute.run(c)).getBytes(StandardCharsets.UTF_8));
        }
        return cases.size();
    }

    // ----------------------------------------------------------------------------------------
    // building blocks: every number rounded to 3 decimals

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    static double[][] data(long seed, int N, int I) {
        Rng rng = new Rng(seed);
        double[][] x = new double[N][I];
        for (double[] row : x) for (int i = 0; i < I; i++) row[i] = round(rng.nextGaussian());
        return x;
    }

    /** Layers sizes[0] → … with activation f in the hidden layers and identity on top; small random biases. */
    static Network net(long seed, int[] sizes, Activation f) {
        Rng rng = new Rng(seed);
        List<Dense> layers = new ArrayList<Dense>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            Activation act = l + 2 < sizes.length ? f : Activation.IDENTITY;
            layers.add(rounded(new Dense(sizes[l], sizes[l + 1], act, rng), rng));
        }
        return new Network(layers);
    }

    private static Dense rounded(Dense d, Rng rng) {
        double[][] W = new double[d.O][d.I];
        double[] b = new double[d.O];
        for (int o = 0; o < d.O; o++) {
            for (int i = 0; i < d.I; i++) W[o][i] = round(d.W[o][i]);
            b[o] = round(0.1 * rng.nextGaussian());
        }
        return new Dense(W, b, d.f);
    }

    private static Network scaled(Network net, double factor) {
        List<Dense> layers = new ArrayList<Dense>();
        for (int l = 0; l < net.size(); l++) {
            Dense d = net.layer(l);
            double[][] W = new double[d.O][d.I];
            for (int o = 0; o < d.O; o++) for (int i = 0; i < d.I; i++) W[o][i] = d.W[o][i] * factor;
            layers.add(new Dense(W, d.b, d.f));
        }
        return new Network(layers);
    }

    /** 0/1 labels; each entry unlabeled with probability p. */
    static Targets bce(long seed, int N, int K, double p) {
        Rng rng = new Rng(seed);
        double[][] y = new double[N][K];
        boolean[][] m = new boolean[N][K];
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                y[n][k] = rng.nextDouble() < 0.5 ? 1.0 : 0.0;
                m[n][k] = !(rng.nextDouble() < p);
            }
        }
        return new Targets(y, m);
    }

    private static Targets soft(long seed, int N, int K) {
        Rng rng = new Rng(seed);
        double[][] y = new double[N][K];
        for (double[] row : y) for (int k = 0; k < K; k++) row[k] = round(rng.nextDouble());
        return Targets.of(y);
    }

    private static Targets real(long seed, int N, int K, double p) {
        Rng rng = new Rng(seed);
        double[][] y = new double[N][K];
        boolean[][] m = new boolean[N][K];
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                y[n][k] = round(rng.nextGaussian());
                m[n][k] = !(rng.nextDouble() < p);
            }
        }
        return new Targets(y, m);
    }

    private static Targets withUnlabeledRow(Targets t, int row) {
        boolean[][] m = t.labeled.clone();
        m[row] = new boolean[t.columns()];
        return new Targets(t.y, m);
    }

    private static Targets withUnlabeledColumn(Targets t, int column) {
        boolean[][] m = new boolean[t.rows()][];
        for (int n = 0; n < t.rows(); n++) {
            m[n] = t.labeled[n].clone();
            m[n][column] = false;
        }
        return new Targets(t.y, m);
    }

    /** A pre-trained 4-6-5-3 base (trained here for 30 Adam steps on task A), a new 5 → 2 head, the base frozen; 3 Adam steps on task B. */
    private static Case transfer() {
        return Case.network("transfer_frozen_base", "transfer learning: a base pre-trained on task A (rounded to 3 decimals), a new 5 -> 2 head, "
            + "the base frozen; 3 Adam steps on task B with a partly unlabeled task", transferNet(), data(84, 6, 4), bce(85, 6, 2, 0.3),
            new BinaryCrossEntropy(), Optimizer.adam(0.02), 3, ABS_STEPS, REL_STEPS);
    }

    /** transferNet fine-tuned whole with L2-SP: W⁰ of layers 0, 1 = their pre-trained W (the start), the new head plain L2 (SPEC.md §10.1). */
    private static Case l2sp() {
        Network n = transferNet();
        n.unfreeze(0, n.size());
        Optimizer opt = Optimizer.momentum(0.1, 0.9).withL2SP(0.5, new Dense[] {n.layer(0), n.layer(1)},
            new double[][][] {n.layer(0).W, n.layer(1).W});
        return Case.network("transfer_l2_sp", "L2-SP: every layer of the transferred network trains, with the penalty (0.5/2)|W - W0|^2, "
            + "W0 the pre-trained W of layers 0 and 1 (where they start) and 0 for the new head; 3 momentum steps", n, data(84, 6, 4), bce(85, 6, 2, 0.3),
            new BinaryCrossEntropy(), opt, 3, ABS_STEPS, REL_STEPS);
    }

    /** transferNet fine-tuned whole with discriminative rates F = 2.6, layer 0 also at lr_scale 0.5 (SPEC.md §10.1). */
    private static Case lrDecay() {
        Network n = transferNet();
        n.unfreeze(0, n.size());
        n.layer(0).setLrScale(0.5);
        return Case.network("transfer_lr_decay", "discriminative learning rates: every layer of the transferred network trains, layer l at "
            + "lr * (lr_scale * 2.6^-(2 - l)), layer 0 with lr_scale 0.5; 3 Adam steps", n, data(84, 6, 4), bce(85, 6, 2, 0.3),
            new BinaryCrossEntropy(), Optimizer.adam(0.02).withLrDecay(2.6), 3, ABS_STEPS, REL_STEPS);
    }

    /** The network of the transfer vectors: the rounded base pre-trained on task A (layers 0, 1, frozen) and a new 5 → 2 head. */
    private static Network transferNet() {
        Network a = net(80, new int[] {4, 6, 5, 3}, Activation.TANH);
        double[][] xa = data(81, 12, 4);
        Targets ta = bce(82, 12, 3, 0.0);
        Optimizer opt = Optimizer.adam(0.05);
        double[][] dz = new double[12][3];
        BinaryCrossEntropy loss = new BinaryCrossEntropy();
        for (int s = 0; s < 30; s++) {
            double[][] z = a.forward(xa);
            loss.backward(dz, z, ta);
            a.zeroGrad();
            a.backward(dz);
            opt.step(a);
        }
        List<Dense> layers = new ArrayList<Dense>();
        Rng rng = new Rng(83);
        for (int l = 0; l < 2; l++) {
            Dense d = a.layer(l);
            double[][] W = new double[d.O][d.I];
            double[] b = new double[d.O];
            for (int o = 0; o < d.O; o++) {
                for (int i = 0; i < d.I; i++) W[o][i] = round(d.W[o][i]);
                b[o] = round(d.b[o]);
            }
            Dense c = new Dense(W, b, d.f);
            c.setTrainable(false);
            layers.add(c);
        }
        layers.add(rounded(new Dense(5, 2, Activation.IDENTITY, rng), rng));
        return new Network(layers);
    }

    private static Network deepNarrow() {
        int[] sizes = {2, 3, 2, 3, 2, 3, 2, 3, 1};
        Activation[] acts = {Activation.TANH, Activation.RELU, Activation.SIGMOID, Activation.leakyRelu(0.2), Activation.TANH, Activation.IDENTITY, Activation.TANH};
        Rng rng = new Rng(70);
        List<Dense> layers = new ArrayList<Dense>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            Activation f = l + 2 < sizes.length ? acts[l] : Activation.IDENTITY;
            layers.add(rounded(new Dense(sizes[l], sizes[l + 1], f, rng), rng));
        }
        return new Network(layers);
    }

    // ----------------------------------------------------------------------------------------
    // output groups and task towers (SPEC.md §27)

    /**
     * (a) One wide output layer split into three groups: softmax over 3 classes with two unlabeled
     * rows (mean_labeled, weight 0.5), binary cross-entropy with task and positive-class weights and
     * unlabeled entries (per_example, weight 2), squared error with unlabeled entries (sum, weight 1.5).
     */
    private static Case groupsMixed() {
        Network n = net(100, new int[] {5, 6, 7}, Activation.TANH);
        Targets t = sideBySide(Targets.ofClasses(new int[] {1, -1, 0, 2, -1, 2}, 3), bce(101, 6, 2, 0.3), real(102, 6, 2, 0.3));
        GroupedLoss loss = new GroupedLoss(
            new Group("kind", 3, new SoftmaxCrossEntropy(Reduction.MEAN_LABELED), 0.5),
            new Group("attrs", 2, new BinaryCrossEntropy(Reduction.PER_EXAMPLE, new double[] {1.0, 0.5}, new double[] {2.0, 0.5}), 2.0),
            new Group("size", 2, new MeanSquaredError(Reduction.SUM), 1.5));
        return Case.network("groups_mixed_masks", "output groups on one 6 -> 7 output layer: kind (softmax, 3 classes, rows 1 and 4 unlabeled, "
            + "mean_labeled, weight 0.5), attrs (binary cross-entropy, task weights [1, 0.5], pos_weight [2, 0.5], per_example, weight 2), "
            + "size (squared error, sum, weight 1.5); about 30 % of the attrs and size labels unlabeled", n, data(103, 6, 5), t, loss, null, 0, ABS, REL);
    }

    /**
     * (b) A 4-5-4 tanh trunk and towers of depths 2 (relu), 1 and 3 (leaky_relu, tanh); masked
     * labels, three reductions, task weights 0.5, 1, 2; one SGD step with coupled decay, one tower
     * layer at lr_scale 0.5.
     */
    private static Case towers() {
        Network trunk = chain(110, new int[] {4, 5, 4}, new Activation[] {Activation.TANH, Activation.TANH});
        Network kind = chain(111, new int[] {4, 3, 3}, new Activation[] {Activation.RELU, Activation.IDENTITY});
        Network attrs = chain(112, new int[] {4, 2}, new Activation[] {Activation.IDENTITY});
        Network size = chain(113, new int[] {4, 3, 2, 1}, new Activation[] {Activation.leakyRelu(0.1), Activation.TANH, Activation.IDENTITY});
        size.layer(1).setLrScale(0.5);
        List<Group> groups = new ArrayList<Group>();
        groups.add(new Group("kind", 3, new SoftmaxCrossEntropy(Reduction.PER_EXAMPLE), 0.5));
        groups.add(new Group("attrs", 2, new BinaryCrossEntropy(Reduction.MEAN_ALL, null, new double[] {3.0, 1.0}), 1.0));
        groups.add(new Group("size", 1, new MeanSquaredError(Reduction.MEAN_LABELED), 2.0));
        List<Network> towers = new ArrayList<Network>();
        towers.add(kind);
        towers.add(attrs);
        towers.add(size);
        Targets t = sideBySide(Targets.ofClasses(new int[] {0, 2, -1, 1, 2}, 3), bce(114, 5, 2, 0.3), real(115, 5, 1, 0.3));
        return Case.task("towers_forward_backward", "task towers on a 4-5-4 tanh trunk: kind (softmax, per_example, weight 0.5, tower 4-3 relu, 3-3), "
            + "attrs (binary cross-entropy, mean_all, pos_weight [3, 1], tower 4-2), size (squared error, mean_labeled, weight 2, tower 4-3 leaky_relu 0.1, "
            + "3-2 tanh at lr_scale 0.5, 2-1); masked labels; one SGD step (lr 0.1, coupled decay 0.01)",
            new TaskNetwork(trunk, groups, towers), data(116, 5, 4), t, Optimizer.sgd(0.1).withWeightDecay(0.01, false), 1, ABS_STEPS, REL_STEPS);
    }

    /**
     * (c) A trunk and two old towers, all frozen; a new task added with addTask (its tower drawn
     * from Rng(123) and rounded), data that labels only the new task; 3 Adam steps: the old tasks'
     * outputs (update.outputs) are their forward outputs, bit for bit.
     */
    private static Case towersAddTask() {
        Network trunk = chain(120, new int[] {3, 5, 4}, new Activation[] {Activation.TANH, Activation.RELU});
        List<Group> groups = new ArrayList<Group>();
        groups.add(new Group("old_bce", 2, new BinaryCrossEntropy(), 1.0));
        groups.add(new Group("old_mse", 1, new MeanSquaredError(), 1.0));
        List<Network> towers = new ArrayList<Network>();
        towers.add(chain(121, new int[] {4, 2}, new Activation[] {Activation.IDENTITY}));
        towers.add(chain(122, new int[] {4, 3, 1}, new Activation[] {Activation.TANH, Activation.IDENTITY}));
        TaskNetwork net = new TaskNetwork(trunk, groups, towers);
        trunk.freeze(0, trunk.size());
        for (int g = 0; g < 2; g++) net.tower(g).freeze(0, net.tower(g).size());
        net.addTask(new Group("new", 2, new BinaryCrossEntropy(Reduction.MEAN_LABELED), 1.0),
            chain(123, new int[] {4, 3, 2}, new Activation[] {Activation.TANH, Activation.IDENTITY}));
        // the old tasks' 3 columns unlabeled: this data set labels only the new task
        Targets t = sideBySide(bce(124, 6, 3, 1.0), bce(125, 6, 2, 0.25));
        return Case.task("towers_frozen_trunk_add_task", "a new task added to a trained network: trunk 3-5 tanh, 5-4 relu and the towers of old_bce "
            + "(4-2) and old_mse (4-3 tanh, 3-1) frozen; new (binary cross-entropy, mean_labeled, tower 4-3 tanh, 3-2) added; only the new task labeled; "
            + "3 Adam steps (lr 0.05): the old tasks' outputs after them are the outputs before", net, data(126, 6, 3), t, Optimizer.adam(0.05), 3,
            ABS_STEPS, REL_STEPS);
    }

    /**
     * (d) Three towers on a trunk, the middle group (softmax, mean_labeled) without a single label
     * in the batch: its J_g, its dout columns and its tower's gradients are +0.0, and it adds
     * nothing to J, dh or the trunk's gradients.
     */
    private static Case groupsAllUnlabeled() {
        Network trunk = chain(130, new int[] {3, 4}, new Activation[] {Activation.TANH});
        List<Group> groups = new ArrayList<Group>();
        groups.add(new Group("a", 2, new BinaryCrossEntropy(), 0.5));
        groups.add(new Group("b", 3, new SoftmaxCrossEntropy(Reduction.MEAN_LABELED), 2.0));
        groups.add(new Group("c", 1, new MeanSquaredError(Reduction.MEAN_ALL), 1.0));
        List<Network> towers = new ArrayList<Network>();
        towers.add(chain(131, new int[] {4, 2}, new Activation[] {Activation.IDENTITY}));
        towers.add(chain(132, new int[] {4, 3, 3}, new Activation[] {Activation.TANH, Activation.IDENTITY}));
        towers.add(chain(133, new int[] {4, 1}, new Activation[] {Activation.IDENTITY}));
        Targets t = sideBySide(bce(134, 4, 2, 0.25), Targets.ofClasses(new int[] {-1, -1, -1, -1}, 3), real(135, 4, 1, 0.25));
        return Case.task("groups_all_unlabeled", "group b (softmax, mean_labeled, weight 2, tower 4-3 tanh, 3-3) has no label in the batch: "
            + "J_b = 0, its dout and its tower's dW, db exactly 0, and J, dh and the trunk's gradients those of the network without b; "
            + "a (binary cross-entropy, weight 0.5) and c (squared error, mean_all) on a 3-4 tanh trunk",
            new TaskNetwork(trunk, groups, towers), data(136, 4, 3), t, null, 0, ABS, REL);
    }

    /** Layers sizes[0] → … with activation acts[l] on layer l; weights drawn as in {@link #net}, rounded. */
    private static Network chain(long seed, int[] sizes, Activation[] acts) {
        Rng rng = new Rng(seed);
        List<Dense> layers = new ArrayList<Dense>();
        for (int l = 0; l + 1 < sizes.length; l++) layers.add(rounded(new Dense(sizes[l], sizes[l + 1], acts[l], rng), rng));
        return new Network(layers);
    }

    /** The columns of the targets side by side, in order (the groups' columns). */
    private static Targets sideBySide(Targets... parts) {
        int N = parts[0].rows(), K = 0;
        for (Targets p : parts) K += p.columns();
        double[][] y = new double[N][K];
        boolean[][] m = new boolean[N][K];
        int c = 0;
        for (Targets p : parts) {
            for (int n = 0; n < N; n++) {
                System.arraycopy(p.y[n], 0, y[n], c, p.columns());
                System.arraycopy(p.labeled[n], 0, m[n], c, p.columns());
            }
            c += p.columns();
        }
        return new Targets(y, m);
    }

    /** A 3-4-3-2 tanh network, masked labels, and 3 steps of opt; lrScale per layer (0 = frozen) when given. */
    private static Case optimizerCase(String name, String description, Optimizer opt, double[] lrScale) {
        Network n = net(90, new int[] {3, 4, 3, 2}, Activation.TANH);
        if (lrScale != null) {
            for (int l = 0; l < n.size(); l++) {
                if (lrScale[l] == 0.0) n.layer(l).setTrainable(false);
                else n.layer(l).setLrScale(lrScale[l]);
            }
        }
        Loss loss = new BinaryCrossEntropy();
        return Case.network(name, description, n, data(91, 5, 3), bce(92, 5, 2, 0.3), loss, opt, 3, ABS_STEPS, REL_STEPS);
    }
}
