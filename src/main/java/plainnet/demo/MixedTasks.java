package plainnet.demo;

import static plainnet.demo.Lab.mean;
import static plainnet.demo.Lab.noise;
import static plainnet.demo.Lab.pm;
import static plainnet.demo.Lab.pmDiff;
import static plainnet.demo.Lab.rows;
import static plainnet.demo.Lab.series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Group;
import plainnet.Metrics;
import plainnet.Network;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Targets;
import plainnet.TaskNetwork;

/**
 * Experiment 4, mixed tasks on one trunk (SPEC.md, section "The demo", item 4): the digit (a
 * softmax group of 10 classes) and the six binary attributes (six sigmoid groups) on one shared
 * trunk with a one-layer tower per group ({@link TaskNetwork}), about half of every task's labels
 * missing, against seven separate networks and against the all-sigmoid network (the same layers,
 * the digit as 10 sigmoid columns under one binary cross-entropy: what a network of one loss can
 * do). Then a seventh task, {@code square}, labeled on 20 rows: a new group with a small tower of
 * its own added to the trained mixed network, its trunk and old towers frozen ({@link
 * TaskNetwork#addTask}), against the same layers trained on the 20 rows alone. Holds the test
 * accuracies and their table, chart and verdicts.
 *
 * <p>Columns of the targets and outputs (K = 16): 0–9 the digit's classes (one-hot), 10–15 the
 * six attributes in {@link DigitsData#TASKS} order; after the seventh task is added, 16 = square.
 */
final class MixedTasks {

    /** Repeat r draws the all-sigmoid network 64-H-16 from Rng(INIT_SEED + r); the mixed network starts from the same weights. */
    static final long INIT_SEED = 10000;
    /** Repeat r draws the separate digit network 64-H-10 from Rng(DIGIT_INIT_SEED + r) (the attributes' use table 2's seeds). */
    static final long DIGIT_INIT_SEED = 11000;
    /** Repeat r draws the digit's label mask from Rng(DIGIT_MASK_SEED + r) (the attributes' mask is table 2's). */
    static final long DIGIT_MASK_SEED = 12000;
    /** Repeat r draws the seventh task's tower from Rng(TOWER_SEED + r). */
    static final long TOWER_SEED = 13000;
    /** Repeat r draws the seventh task's network trained alone from Rng(ALONE_INIT_SEED + r). */
    static final long ALONE_INIT_SEED = 14000;

    /** The seventh task: the digit is a perfect square (0, 1, 4 or 9); a function of the digit, not one of the six. */
    static final String NEW_TASK = "square";
    /** The seventh task is labeled on the first NEW_LABELS rows of the repeat's training pool. */
    static final int NEW_LABELS = 20;
    /** The hidden width of the seventh task's tower (H → TOWER → 1). */
    static final int TOWER = 8;
    /** The digit's classes C and the columns K of the mixed and the all-sigmoid outputs. */
    static final int C = 10, K = C + DigitsData.TASKS.length;

    /** The trunk's width (item 2's last hidden size). */
    final int H;
    /** Test accuracies [task][repeat], task 0 = digit, 1–6 = the attributes; the mean labeled rows per task (7); the seventh task's [repeat]. */
    final double[][] mixed, separate, sigmoid;
    final double[] labeled;
    final double[] added, alone;

    MixedTasks(int H, double[][] mixed, double[][] separate, double[][] sigmoid, double[] labeled, double[] added, double[] alone) {
        this.H = H;
        this.mixed = mixed;
        this.separate = separate;
        this.sigmoid = sigmoid;
        this.labeled = labeled;
        this.added = added;
        this.alone = alone;
    }

    /** The name of task j of the tables: digit, then the six attributes. */
    static String task(int j) {
        return j == 0 ? "digit (10 classes)" : DigitsData.TASKS[j - 1];
    }

    /** The mean over the six attributes (tasks 1–6), repeat by repeat. */
    static double[] attributeMean(double[][] a) {
        double[] m = new double[a[0].length];
        for (int r = 0; r < m.length; r++) {
            double sum = 0.0;
            for (int j = 1; j < a.length; j++) sum += a[j][r];
            m[r] = sum / (a.length - 1);
        }
        return m;
    }

    String table() {
        StringBuilder t = new StringBuilder();
        int R = mixed[0].length;
        t.append(String.format(Locale.ROOT, "%n4. Mixed tasks: the digit (softmax, 10 classes) and the six attributes (sigmoid) on one trunk; about 50 %% of the labels missing.%n"));
        t.append(String.format(Locale.ROOT, "   mixed = one 64-%d trunk with a %d-10 softmax tower and six %d-1 sigmoid towers, one loss per task; separate = 64-%d-10%n", H, H, H, H));
        t.append(String.format(Locale.ROOT, "   and six 64-%d-1 networks, each on its task's labeled rows; all-sigmoid = one 64-%d-16 network, the digit as 10 sigmoid%n", H, H));
        t.append("   columns (one loss for all), from the same initial weights as mixed. Test accuracy (599 rows), mean ± standard error\n");
        t.append(String.format(Locale.ROOT, "   over %d repeats; labels = mean labeled rows of the %d training rows. Differences: paired, ≈ = within noise.%n%n",
            R, 1198 - Lab.VALIDATION));
        t.append("| task                  | labels | mixed (1 net)   | separate (7)    | all-sigmoid     | mixed - separate   | mixed - all-sigmoid |\n");
        t.append("|-----------------------|--------|-----------------|-----------------|-----------------|--------------------|---------------------|\n");
        for (int j = 0; j < mixed.length; j++) {
            t.append(String.format(Locale.ROOT, "| %-21s | %6.0f | %-15s | %-15s | %-15s | %-18s | %-19s |%n", task(j), labeled[j], pm(mixed[j]), pm(separate[j]),
                pm(sigmoid[j]), diff(mixed[j], separate[j]), diff(mixed[j], sigmoid[j])));
        }
        double[] mm = attributeMean(mixed), sm = attributeMean(separate), gm = attributeMean(sigmoid);
        t.append(String.format(Locale.ROOT, "| %-21s | %6s | %-15s | %-15s | %-15s | %-18s | %-19s |%n", "mean of 6 attributes", "", pm(mm), pm(sm), pm(gm),
            diff(mm, sm), diff(mm, gm)));
        t.append(String.format(Locale.ROOT, "%n   A seventh task, %s (the digit is 0, 1, 4 or 9), labeled on %d training rows: a new group with a %d-%d-1 tower%n",
            NEW_TASK, NEW_LABELS, H, TOWER));
        t.append(String.format(Locale.ROOT, "   added to each repeat's trained mixed network, its trunk and old towers frozen (the old tasks' outputs stay%n"));
        t.append(String.format(Locale.ROOT, "   bit-identical, checked), vs the same layers, 64-%d-%d-1, trained on the %d rows alone. Same protocol.%n%n", H, TOWER, NEW_LABELS));
        t.append("| seventh task          | labels | added to mixed  | alone           | difference         |\n");
        t.append("|-----------------------|--------|-----------------|-----------------|--------------------|\n");
        t.append(String.format(Locale.ROOT, "| %-21s | %6d | %-15s | %-15s | %-18s |%n", NEW_TASK, NEW_LABELS, pm(added), pm(alone), diff(added, alone)));
        return t.toString();
    }

    /** The paired difference a − b, with ≈ when within noise. */
    private static String diff(double[] a, double[] b) {
        return pmDiff(a, b) + (noise(a, b) ? " ≈" : "");
    }

    /** The verdict lines of "What the numbers say" (SPEC.md section 20). */
    String verdicts() {
        StringBuilder v = new StringBuilder();
        double[] mm = attributeMean(mixed), sm = attributeMean(separate), gm = attributeMean(sigmoid);
        boolean noHurt = mean(mixed[0]) - mean(separate[0]) >= -0.01 && mean(mm) - mean(sm) >= -0.01;
        v.append(String.format(Locale.ROOT, "- Mixed tasks vs separate, H = %d: digit %s%s, mean of the attributes %s%s. A class and six yes/no tasks can share one trunk: %s.%n",
            H, pmDiff(mixed[0], separate[0]), noise(mixed[0], separate[0]) ? " ≈" : "", pmDiff(mm, sm), noise(mm, sm) ? " ≈" : "",
            noHurt ? "CONFIRMED (no loss beyond 0.01)" : "sharing HURT here (difference below -0.01)"));
        v.append(String.format(Locale.ROOT, "- Mixed tasks vs all-sigmoid (same layers and start; the digit as a softmax group instead of 10 sigmoid columns): digit %s%s, mean of the attributes %s%s.%n",
            pmDiff(mixed[0], sigmoid[0]), noise(mixed[0], sigmoid[0]) ? " ≈" : "", pmDiff(mm, gm), noise(mm, gm) ? " ≈" : ""));
        boolean addOk = mean(added) - mean(alone) > 0.01 && !noise(added, alone);
        v.append(String.format(Locale.ROOT, "- Seventh task (%s, %d labels) added to the trained network: %s vs alone %s (%s%s); the old tasks' outputs unchanged to the bit. A new task reuses the trunk's features: %s.%n",
            NEW_TASK, NEW_LABELS, pm(added), pm(alone), pmDiff(added, alone), noise(added, alone) ? " ≈" : "", addOk ? "CONFIRMED" : "NOT confirmed"));
        v.append("  (square is a function of the digit, which the trunk was trained to tell apart: the best case for adding a task.)\n");
        return v.toString();
    }

    String chart() {
        List<Svg.Series> s = new ArrayList<Svg.Series>();
        s.add(series("mixed (1 net)", mixed));
        s.add(series("separate (7 nets)", separate));
        s.add(series("all-sigmoid (1 net)", sigmoid));
        String[] cats = new String[mixed.length];
        cats[0] = "digit";
        for (int k = 0; k < DigitsData.TASKS.length; k++) {
            cats[k + 1] = DigitsData.TASKS[k].replace("straight_strokes_only", "straight").replace("greater_than_4", "> 4").replace("multiple_of_3", "mult. of 3");
        }
        return Svg.bars("Mixed tasks, H = " + H + ": about 50 % of the labels missing", "task", "test accuracy (± standard error)", cats, s, 0.5, 1.0);
    }

    // ----------------------------------------------------------------------------------------
    // the experiment

    /**
     * Runs the experiment with H = the last of the settings' hidden sizes, on every repeat's
     * training pool (outside its validation split), with about half of every task's labels masked.
     */
    static MixedTasks run(Lab lab) {
        DigitsData d = lab.d;
        int R = lab.s.repeats, T = DigitsData.TASKS.length, H = lab.s.hiddenSizes[lab.s.hiddenSizes.length - 1];
        lab.log.printf("[demo] mixed tasks, H = %d: %d repeats of 1 mixed + 1 all-sigmoid + %d separate networks x %d rates, then a seventh task%n",
            H, R, T + 1, Lab.RATES.length);
        double[][] xTest = rows(d.x, lab.testRows);
        Targets tTest = targets(d, lab.testRows, null);
        Targets newTest = newTask(d, lab.testRows, lab.testRows.length, 0);
        double[] labeled = new double[T + 1];

        List<Future<double[]>> mixedRuns = new ArrayList<Future<double[]>>(), sigmoidRuns = new ArrayList<Future<double[]>>();
        List<Future<Double>> sepRuns = new ArrayList<Future<Double>>(), aloneRuns = new ArrayList<Future<Double>>();
        for (int r = 0; r < R; r++) {
            final int rep = r;
            int[] pool = lab.rest[r];
            double[][] x = rows(d.x, pool), xV = rows(d.x, lab.val[r]);
            Targets t = targets(d, pool, mask(pool.length, r));
            Targets tV = targets(d, lab.val[r], null);
            for (boolean[] row : t.labeled) {
                if (row[0]) labeled[0] += 1.0 / R;
                for (int k = 0; k < T; k++) if (row[C + k]) labeled[k + 1] += 1.0 / R;
            }
            // the seventh task: the first NEW_LABELS pool rows, validated on the repeat's validation rows
            double[][] xNew = rows(d.x, Arrays.copyOf(pool, NEW_LABELS));
            Targets tNew = newTask(d, pool, NEW_LABELS, K), vNew = newTask(d, lab.val[r], lab.val[r].length, K);
            Targets tNewAlone = newTask(d, pool, NEW_LABELS, 0), vNewAlone = newTask(d, lab.val[r], lab.val[r].length, 0);

            mixedRuns.add(lab.submit(() -> {
                TaskNetwork net = Lab.best(lab.search(() -> mixedNetwork(Lab.mlp(INIT_SEED + rep, 64, H, K)), x, t, xV, tV, rep)).net;
                double[][] zOld = copy(net.forward(xTest)); // (599, K) before the seventh task
                double[] a = accuracies(zOld, tTest);
                TaskNetwork grown = Lab.best(lab.search(() -> withNewTask(net, new Rng(TOWER_SEED + rep)), xNew, tNew, xV, vNew, rep)).net;
                double[][] z = grown.forward(xTest); // (599, K + 1)
                checkOldTasks(zOld, z);
                double[] out = Arrays.copyOf(a, a.length + 1);
                out[a.length] = Metrics.binary(column(z, K), newTest)[0].accuracy;
                return out;
            }));
            sigmoidRuns.add(lab.submit(() -> {
                Network net = Lab.best(lab.search(() -> Lab.mlp(INIT_SEED + rep, 64, H, K), new BinaryCrossEntropy(), x, t, xV, tV, rep)).net;
                return accuracies(net.forward(xTest), tTest);
            }));
            // separate: the digit on the rows where it is labeled; each attribute as table 2 does (its seeds, its rows)
            int[] own = labeledRows(t, 0);
            double[][] xd = rows(x, own);
            Targets td = Targets.ofClasses(lab.digits(ids(pool, own), 0), C), vd = Targets.ofClasses(lab.digits(lab.val[r], 0), C);
            Targets testD = Targets.ofClasses(lab.digits(lab.testRows, 0), C);
            sepRuns.add(lab.submit(() -> {
                Network net = Lab.best(lab.search(() -> Lab.mlp(DIGIT_INIT_SEED + rep, 64, H, C), new SoftmaxCrossEntropy(), xd, td, xV, vd, rep)).net;
                return Metrics.classes(net.forward(xTest), testD).accuracy;
            }));
            for (int k = 0; k < T; k++) {
                final int task = k;
                int[] ownK = labeledRows(t, C + k);
                double[][] xk = rows(x, ownK);
                Targets tk = lab.column(ids(pool, ownK), k), vk = lab.column(lab.val[r], k), testK = lab.column(lab.testRows, k);
                sepRuns.add(lab.submit(() -> {
                    Network net = Lab.best(lab.search(() -> Lab.mlp(MultiTask.SEPARATE_INIT_SEED + 10 * rep + task, 64, H, 1), new BinaryCrossEntropy(),
                        xk, tk, xV, vk, rep)).net;
                    return Metrics.binary(net.forward(xTest), testK)[0].accuracy;
                }));
            }
            aloneRuns.add(lab.submit(() -> {
                Network net = Lab.best(lab.search(() -> Lab.mlp(ALONE_INIT_SEED + rep, 64, H, TOWER, 1), new BinaryCrossEntropy(),
                    xNew, tNewAlone, xV, vNewAlone, rep)).net;
                return Metrics.binary(net.forward(xTest), newTest)[0].accuracy;
            }));
        }
        double[][] mixed = new double[T + 1][R], separate = new double[T + 1][R], sigmoid = new double[T + 1][R];
        double[] added = new double[R], alone = new double[R];
        for (int r = 0; r < R; r++) {
            double[] m = Lab.get(mixedRuns.get(r)), g = Lab.get(sigmoidRuns.get(r));
            for (int j = 0; j <= T; j++) {
                mixed[j][r] = m[j];
                sigmoid[j][r] = g[j];
                separate[j][r] = Lab.get(sepRuns.get(r * (T + 1) + j));
            }
            added[r] = m[T + 1];
            alone[r] = Lab.get(aloneRuns.get(r));
        }
        return new MixedTasks(H, mixed, separate, sigmoid, labeled, added, alone);
    }

    // ----------------------------------------------------------------------------------------
    // the networks

    /**
     * The mixed network with the weights of a plain 64-H-16 network: its layer 0 as the trunk,
     * rows 0–9 of its last layer as the digit's softmax tower, row 10 + k as attribute k's sigmoid
     * tower (all copied). Towers of one layer are the plain network whose last layer stacks their
     * rows (SPEC.md §27.2), so the two start with the same outputs; only the digit's loss differs.
     */
    static TaskNetwork mixedNetwork(Network plain) {
        Dense out = plain.layer(1);
        List<Group> groups = new ArrayList<Group>();
        List<Network> towers = new ArrayList<Network>();
        groups.add(new Group("digit", C, new SoftmaxCrossEntropy()));
        towers.add(new Network(new Dense(Arrays.copyOfRange(out.W, 0, C), Arrays.copyOfRange(out.b, 0, C), Activation.IDENTITY)));
        for (int k = 0; k < DigitsData.TASKS.length; k++) {
            groups.add(new Group(DigitsData.TASKS[k], 1, new BinaryCrossEntropy()));
            towers.add(new Network(new Dense(new double[][] {out.W[C + k]}, new double[] {out.b[C + k]}, Activation.IDENTITY)));
        }
        Dense h = plain.layer(0);
        return new TaskNetwork(new Network(new Dense(h.W, h.b, h.f)), groups, towers);
    }

    /**
     * A copy of the trained mixed network with its trunk and every tower frozen, and the seventh
     * task added: a group {@link #NEW_TASK} (binary cross-entropy, column K) with a tower H-TOWER-1
     * (tanh, identity) drawn from rng. Only the new tower trains, so the old outputs keep their bits.
     */
    static TaskNetwork withNewTask(TaskNetwork trained, Rng rng) {
        TaskNetwork net = trained.copy();
        net.trunk().freeze(0, net.trunk().size());
        for (int g = 0; g < net.groupCount(); g++) net.tower(g).freeze(0, net.tower(g).size());
        int H = net.trunk().outputs();
        Network tower = new Network(new Dense(H, TOWER, Activation.TANH, rng), new Dense(TOWER, 1, Activation.IDENTITY, rng));
        net.addTask(new Group(NEW_TASK, 1, new BinaryCrossEntropy()), tower);
        return net;
    }

    /**
     * The old tasks' outputs (columns 0 … K − 1) after the seventh task was added equal those
     * before, bit for bit (SPEC.md §27.4).
     *
     * @throws IllegalStateException naming the first entry that differs
     */
    static void checkOldTasks(double[][] before, double[][] after) {
        for (int n = 0; n < before.length; n++) {
            for (int k = 0; k < before[n].length; k++) {
                if (Double.doubleToRawLongBits(before[n][k]) != Double.doubleToRawLongBits(after[n][k])) {
                    throw new IllegalStateException("adding the seventh task changed old output z[" + n + "][" + k + "] from " + before[n][k] + " to " + after[n][k]);
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // the data

    /**
     * The targets (rows, K) of the given rows: the digit one-hot in columns 0–9, the attributes in
     * 10–15. mask (rows, 1 + 6): whether the digit and each attribute is labeled; null = all labeled.
     */
    static Targets targets(DigitsData d, int[] rowIds, boolean[][] mask) {
        double[][] y = new double[rowIds.length][K];
        boolean[][] m = new boolean[rowIds.length][K];
        for (int n = 0; n < rowIds.length; n++) {
            int r = rowIds[n];
            y[n][d.digit[r]] = 1.0;
            Arrays.fill(m[n], 0, C, mask == null || mask[n][0]);
            for (int k = 0; k < DigitsData.TASKS.length; k++) {
                y[n][C + k] = d.tasks[r][k];
                m[n][C + k] = mask == null || mask[n][k + 1];
            }
        }
        return new Targets(y, m);
    }

    /**
     * Repeat r's mask (N, 1 + 6) of its N pool rows: column 0 (the digit) labeled when
     * Rng(DIGIT_MASK_SEED + r).nextDouble() &lt; 0.5, one draw per row; columns 1–6 (the
     * attributes) table 2's mask: Rng(MultiTask.MASK_SEED + r), row by row and task by task.
     */
    static boolean[][] mask(int N, int r) {
        Rng digit = new Rng(DIGIT_MASK_SEED + r), tasks = new Rng(MultiTask.MASK_SEED + r);
        boolean[][] m = new boolean[N][1 + DigitsData.TASKS.length];
        for (int n = 0; n < N; n++) {
            m[n][0] = digit.nextDouble() < 0.5;
            for (int k = 0; k < DigitsData.TASKS.length; k++) m[n][k + 1] = tasks.nextDouble() < 0.5;
        }
        return m;
    }

    /**
     * The seventh task's targets (count, before + 1) of rows rowIds[0 … count − 1]: column
     * {@code before} = 1 when the digit is 0, 1, 4 or 9, else 0; the {@code before} columns in
     * front of it (the old tasks') unlabeled.
     */
    static Targets newTask(DigitsData d, int[] rowIds, int count, int before) {
        double[][] y = new double[count][before + 1];
        boolean[][] m = new boolean[count][before + 1];
        for (int n = 0; n < count; n++) {
            int digit = d.digit[rowIds[n]];
            y[n][before] = digit == 0 || digit == 1 || digit == 4 || digit == 9 ? 1.0 : 0.0;
            m[n][before] = true;
        }
        return new Targets(y, m);
    }

    /** Test accuracy of the digit (argmax of columns 0–9) and of each attribute (column 10 + k ≥ 0) of z (N, ≥ K). */
    static double[] accuracies(double[][] z, Targets t) {
        double[][] zd = new double[z.length][], za = new double[z.length][];
        double[][] yd = new double[z.length][], ya = new double[z.length][];
        boolean[][] md = new boolean[z.length][], ma = new boolean[z.length][];
        for (int n = 0; n < z.length; n++) {
            zd[n] = Arrays.copyOfRange(z[n], 0, C);
            za[n] = Arrays.copyOfRange(z[n], C, K);
            yd[n] = Arrays.copyOfRange(t.y[n], 0, C);
            ya[n] = Arrays.copyOfRange(t.y[n], C, K);
            md[n] = Arrays.copyOfRange(t.labeled[n], 0, C);
            ma[n] = Arrays.copyOfRange(t.labeled[n], C, K);
        }
        double[] a = new double[1 + DigitsData.TASKS.length];
        a[0] = Metrics.classes(zd, new Targets(yd, md)).accuracy;
        Metrics.Binary[] b = Metrics.binary(za, new Targets(ya, ma));
        for (int k = 0; k < b.length; k++) a[k + 1] = b[k].accuracy;
        return a;
    }

    /** The positions n where column k of t is labeled. */
    private static int[] labeledRows(Targets t, int k) {
        int count = 0;
        for (boolean[] row : t.labeled) if (row[k]) count++;
        int[] own = new int[count];
        int c = 0;
        for (int n = 0; n < t.rows(); n++) if (t.labeled[n][k]) own[c++] = n;
        return own;
    }

    /** rowIds at the given positions. */
    private static int[] ids(int[] rowIds, int[] positions) {
        int[] out = new int[positions.length];
        for (int j = 0; j < positions.length; j++) out[j] = rowIds[positions[j]];
        return out;
    }

    /** Column k of z (N, ·) as (N, 1). */
    private static double[][] column(double[][] z, int k) {
        double[][] c = new double[z.length][1];
        for (int n = 0; n < z.length; n++) c[n][0] = z[n][k];
        return c;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int n = 0; n < a.length; n++) c[n] = a[n].clone();
        return c;
    }
}
