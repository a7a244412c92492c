package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import plainnet.Dense;
import plainnet.Group;
import plainnet.GroupedLoss;
import plainnet.Loss;
import plainnet.Reduction;
import plainnet.Network;
import plainnet.Rng;
import plainnet.Targets;
import plainnet.TaskNetwork;
import plainnet.demo.Protocol;
import plainnet.io.Csv;
import plainnet.io.Dataset;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

/**
 * {@code plainnet compare-tasks} (SPEC.md §21): the lecture's "does multi-task learning help
 * here?" on the user's data. One network for all label columns and one network per column, each
 * trained by the protocol of {@code make demo} ({@link Protocol}, SPEC.md §20) on R validation
 * splits of the rows; per task the validation metric of both, their paired difference ± standard
 * error with ≈, a flag on each task the shared network hurts beyond noise and, when one is
 * flagged, a wider --hidden to try. With {@code --group} (as {@code train --group}, SPEC.md
 * §27.7) the tasks are output groups of any kind: the multi-task network is the trunk (--hidden)
 * with every group's tower, and group g's separate network the trunk with g's tower alone.
 */
final class CompareTasks {

    private CompareTasks() {}

    static Options options() {
        Options o = new Options("compare-tasks", "Does multi-task learning help here? Trains one network for all label columns and one network per column\n"
            + "(or per --group: a trunk with every group's tower vs the trunk with one tower) by the same protocol on --repeats\n"
            + "validation splits, and compares them task by task on validation.");
        Setup.dataOptions(o, "required");
        o.value("hidden", "SPEC", "32:tanh", "hidden layers of every network, bottom first: UNITS:ACTIVATION items (empty for none)");
        o.value("loss", "NAME", "bce", "bce (one sigmoid output per label column) or mse");
        o.repeatable("group", "SPEC", "a task as an output group, repeatable, instead of --labels/--loss: NAME:KIND:COLUMNS[:tower=H1,..][:KEY=VALUE..] as train --group;"
            + " --hidden is the shared trunk (SPEC.md 21)");
        Comparison.options(o, "");
        o.value("batch", "B", String.valueOf(Protocol.BATCH), "mini-batch size");
        o.value("seed", "N", "1", "repeat r draws every network from Rng(N + r) and shuffles with seed N + r");
        o.value("threads", "T", null, "threads running the independent runs (default: the number of processors; the results are the same for any count)");
        o.flag("quiet", "no progress lines on standard error");
        o.value("history", "FILE", null, "write one CSV line per epoch of every run to FILE and a chart of the comparison to FILE.svg");
        return o;
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options o = options();
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        if (o.has("validation")) throw new UsageException("option --validation does not apply to compare-tasks, which carves --repeats validation splits from --data (--split)");
        if (o.has("group")) return groups(o, out, err);
        Kind kind = Kinds.named(o.choice("loss", Kinds.BCE.name(), Kinds.MSE.name()));
        Protocol protocol = Comparison.protocol(o);
        int R = Comparison.repeats(o);
        double F = Comparison.fraction(o);
        long seed = o.longValue("seed"), splitSeed = o.longValue("split-seed");
        int threads = o.get("threads") == null ? Training.processors() : o.integer("threads", 1);
        if (threads > 256) throw new UsageException("option --threads expected at most 256, found " + threads);
        String hidden = o.get("hidden");
        Build.hidden(hidden, 1, null, "hidden");
        String data = o.required("data");
        Comparison.Runs history = Comparison.Runs.of(o, null, "--data", data);
        boolean quiet = o.has("quiet");
        PrintStream progress = quiet ? null : err;

        Csv csv = Setup.csv(data, progress);
        List<String> labels = Dataset.select(csv, Setup.labels(o, csv), "--labels");
        if (labels.size() < 2) throw new UsageException("option --labels expected two or more label columns to compare one network for all with one per column, found " + labels.size());
        List<String> features = Setup.features(o, csv, labels);
        // a label that fits another kind: compare-tasks' --loss takes bce and mse; a class column goes in a --group of its own
        Setup.Data d = Setup.read(csv, features, labels, kind, 0, "--loss", k -> Kinds.named(k).oneLabelColumn() ? "--group NAME:" + k + ":COLUMN" : "--loss " + k);
        Setup.announce(progress, csv, labels, d, kind.name());
        int K = labels.size();
        Loss multiLoss = loss(kind), oneLoss = loss(kind);
        int[][][] splits = Comparison.splits(d.x.length, F, splitSeed, R);
        Comparison.started(progress, "compare-tasks: (1 + " + K + " networks)", protocol, splits, threads);

        double[][] labeled = new double[K][R]; // (K, R) the training rows labeled for each task
        List<Callable<List<Comparison.Result>>> jobs = new ArrayList<Callable<List<Comparison.Result>>>();
        for (int r = 0; r < R; r++) {
            Setup.Data train = Train.subset(d, splits[1][r]), val = Train.subset(d, splits[0][r]);
            jobs.add(new Job(protocol, multiLoss, kind, hidden, train, val, r, seed + r, history, -1, "multi-task"));
            for (int k = 0; k < K; k++) {
                Setup.Data tk = labeledFor(train, k), vk = labeledFor(val, k);
                if (tk == null || vk == null) {
                    throw new UsageException("task " + labels.get(k) + " has no labeled rows among the " + (tk == null ? "training" : "validation") + " rows of repeat "
                        + (r + 1) + "; give it more labels or another --split");
                }
                labeled[k][r] = tk.x.length;
                jobs.add(new Job(protocol, oneLoss, kind, hidden, tk, vk, r, seed + r, history, k, "separate " + labels.get(k)));
            }
        }
        String metric = kind.metricName();
        List<Comparison.Result> done = Comparison.runAll(jobs, threads, progress, R, metric);

        double[][] multi = new double[K][R], separate = new double[K][R]; // (K, R)
        int q = 0;
        for (int r = 0; r < R; r++) {
            for (int k = -1; k < K; k++) {
                Comparison.Result c = done.get(q++);
                if (history != null) history.add(c.runs, c.fit.lr, c.fit.result.keptEpoch);
                for (int j = 0; j < K; j++) if (k < 0) multi[j][r] = c.metric[j];
                if (k >= 0) separate[k][r] = c.metric[0];
            }
        }
        String[] tasks = labels.toArray(new String[0]);
        double[] meanLabeled = new double[K];
        for (int k = 0; k < K; k++) meanLabeled[k] = Protocol.mean(labeled[k]);
        out.print(Comparison.header("compare-tasks: one network for all " + K + " tasks vs one per task (--hidden " + (hidden.isEmpty() ? "none" : hidden) + ")",
            protocol, R, splits[0][0].length, d.x.length, csv.file, o));
        out.printf(Locale.ROOT, "Validation %s per task on its labeled rows, mean ± standard error over the repeats; difference paired by repeat, ≈ = within noise.%n%n",
            metric);
        out.print(report(metric, kind.metricLowerIsBetter(), tasks, meanLabeled, multi, separate, hidden));
        if (history != null) {
            history.write("compare-tasks: validation " + metric + " per task", metric, kind.metricLowerIsBetter(), tasks, new double[][][] {multi, separate},
                new String[] {"multi-task (1 net)", "separate (" + K + " nets)"}, quiet ? null : err);
        }
        return 0;
    }

    /**
     * compare-tasks --group (SPEC.md §21): the groups read as train --group reads them; per repeat
     * the multi-task network (the trunk --hidden and every group's tower) on every training row,
     * and per group its separate network (the trunk and that group's tower, its weight 1) on the
     * training rows that label the group; each by the protocol, compared per group on validation
     * with the group kind's metric.
     */
    private static int groups(Options o, PrintStream out, PrintStream err) throws UsageException, IOException {
        Tasks.refuseMoved(o, "group");
        List<GroupSpec> specs = Tasks.specs(o, 0);
        int G = specs.size();
        if (G == 1 && specs.get(0).weight != 1.0) {
            throw new UsageException("option --group " + specs.get(0).name + ": weight= needs several groups (it weighs a group against the others; each separate network "
                + "trains its group alone, with weight 1)");
        }
        Protocol protocol = Comparison.protocol(o);
        int R = Comparison.repeats(o);
        double F = Comparison.fraction(o);
        long seed = o.longValue("seed"), splitSeed = o.longValue("split-seed");
        int threads = o.get("threads") == null ? Training.processors() : o.integer("threads", 1);
        if (threads > 256) throw new UsageException("option --threads expected at most 256, found " + threads);
        String hidden = o.get("hidden");
        Build.hidden(hidden, 1, null, "hidden");
        if (hidden.trim().isEmpty()) throw new UsageException("option --hidden expected at least one layer with --group (the trunk the groups' towers share), found none");
        String data = o.required("data");
        Comparison.Runs history = Comparison.Runs.of(o, null, "--data", data);
        boolean quiet = o.has("quiet");
        PrintStream progress = quiet ? null : err;

        Csv csv = Setup.csv(data, progress);
        List<List<String>> labels = new ArrayList<List<String>>();
        List<String> all = new ArrayList<String>();
        for (GroupSpec g : specs) {
            List<String> l = Tasks.columns(csv, g);
            labels.add(l);
            all.addAll(l);
        }
        List<String> features = Setup.features(o, csv, all);
        List<Setup.Columns> columns = new ArrayList<Setup.Columns>();
        for (int g = 0; g < G; g++) columns.add(Tasks.columnsOf(specs.get(g), labels.get(g)));
        Setup.Data d = Setup.readGroups(csv, features, columns, true);
        Tasks.announce(progress, csv, d, specs, labels);
        List<Group> groups = new ArrayList<Group>(), alone = new ArrayList<Group>();
        for (int g = 0; g < G; g++) {
            Loss loss = specs.get(g).loss(labels.get(g).size());
            groups.add(new Group(specs.get(g).name, d.groupK[g], loss, specs.get(g).weight));
            alone.add(new Group(specs.get(g).name, d.groupK[g], loss));
        }
        GroupedLoss J = new GroupedLoss(groups);
        int[][][] splits = Comparison.splits(d.x.length, F, splitSeed, R);
        Comparison.started(progress, "compare-tasks: (1 + " + G + " networks)", protocol, splits, threads);

        double[][] labeled = new double[G][R]; // (G, R) the training rows that label each group
        List<Callable<List<Comparison.Result>>> jobs = new ArrayList<Callable<List<Comparison.Result>>>();
        for (int r = 0; r < R; r++) {
            Setup.Data train = Train.subset(d, splits[1][r]), val = Train.subset(d, splits[0][r]);
            jobs.add(new GroupJob(protocol, hidden, specs, groups, -1, train, val, r, seed + r, history, "multi-task"));
            for (int g = 0; g < G; g++) {
                Setup.Data tg = labeledFor(train, J, g), vg = labeledFor(val, J, g);
                if (tg == null || vg == null) {
                    throw new UsageException("group " + specs.get(g).name + " has no labeled rows among the " + (tg == null ? "training" : "validation") + " rows of repeat "
                        + (r + 1) + "; give it more labels or another --split");
                }
                labeled[g][r] = tg.x.length;
                jobs.add(new GroupJob(protocol, hidden, specs, alone, g, tg, vg, r, seed + r, history, "separate " + specs.get(g).name));
            }
        }
        String[] metrics = new String[G], names = new String[G];
        boolean[] lower = new boolean[G];
        for (int g = 0; g < G; g++) {
            metrics[g] = specs.get(g).kind.metricName();
            lower[g] = specs.get(g).kind.metricLowerIsBetter();
            names[g] = specs.get(g).name;
        }
        boolean one = uniform(metrics);
        String metric = one ? metrics[0] : "metric";
        List<Comparison.Result> done = Comparison.runAll(jobs, threads, progress, R, metric);

        double[][] multi = new double[G][R], separate = new double[G][R]; // (G, R)
        int q = 0;
        for (int r = 0; r < R; r++) {
            for (int g = -1; g < G; g++) {
                Comparison.Result c = done.get(q++);
                if (history != null) history.add(c.runs, c.lr, c.keptEpoch);
                for (int j = 0; j < G; j++) if (g < 0) multi[j][r] = c.metric[j];
                if (g >= 0) separate[g][r] = c.metric[0];
            }
        }
        double[] meanLabeled = new double[G];
        for (int g = 0; g < G; g++) meanLabeled[g] = Protocol.mean(labeled[g]);
        out.print(Comparison.header("compare-tasks: one network for " + (G == 1 ? "the 1 group" : "all " + G + " groups") + " (a trunk --hidden " + hidden + " and each group's tower) vs one per group "
            + "(the trunk and its tower)", protocol, R, splits[0][0].length, d.x.length, csv.file, o));
        out.printf(Locale.ROOT, "Validation %s per group on its labeled rows (%s), mean ± standard error over the repeats; difference paired by repeat, ≈ = within noise.%n%n",
            metric, "accuracy for softmax, the mean accuracy over the columns for bce, mse for mse");
        out.print(report(metrics, lower, names, meanLabeled, multi, separate, hidden));
        if (history != null) {
            boolean mse = false;
            for (boolean l : lower) mse |= l;
            history.write("compare-tasks: validation " + metric + " per group", metric, mse, names, new double[][][] {multi, separate},
                new String[] {"multi-task (1 net)", "separate (" + G + " nets)"}, quiet ? null : err);
        }
        return 0;
    }

    /**
     * The rows of d that label group g (at least one labeled entry in its columns), in order, with
     * the group's columns alone as targets; null when no row labels it.
     */
    private static Setup.Data labeledFor(Setup.Data d, GroupedLoss J, int g) {
        Targets tg = J.targets(d.t, g); // (N, K_g)
        int count = 0;
        int[] own = new int[d.x.length];
        for (int n = 0; n < d.x.length; n++) {
            boolean any = false;
            for (boolean m : tg.labeled[n]) any |= m;
            if (any) own[count++] = n;
        }
        if (count == 0) return null;
        own = Arrays.copyOf(own, count);
        int[] lines = new int[count];
        for (int j = 0; j < count; j++) lines[j] = d.lines[own[j]];
        int c = J.columnStart(g);
        return new Setup.Data(Protocol.rows(d.x, own), tg.rows(own, 0, count), d.features, d.outputs.subList(c, c + J.group(g).K), d.file, lines);
    }

    /**
     * One task network on one repeat, trained by the protocol (Callable: the job; Supplier: its
     * initial network at every rate): the multi-task network (task −1) or group g's own. Both are
     * drawn from Rng(seed) as train --group draws its network (the trunk's layers bottom up, then
     * each group's tower in order), so group g's separate network starts from the multi-task
     * network's trunk and g's tower.
     */
    private static final class GroupJob implements Callable<List<Comparison.Result>>, Supplier<TaskNetwork> {
        final Protocol protocol;
        final String hidden, name;
        final List<GroupSpec> specs;
        final List<Group> groups;
        final int task, repeat;
        final Setup.Data train, val;
        final long seed;
        final Comparison.Runs history;

        GroupJob(Protocol protocol, String hidden, List<GroupSpec> specs, List<Group> groups, int task, Setup.Data train, Setup.Data val, int repeat, long seed,
                 Comparison.Runs history, String name) {
            this.protocol = protocol;
            this.hidden = hidden;
            this.specs = specs;
            this.groups = groups;
            this.task = task;
            this.train = train;
            this.val = val;
            this.repeat = repeat;
            this.seed = seed;
            this.history = history;
            this.name = name;
        }

        @Override
        public TaskNetwork get() {
            Rng rng = new Rng(seed);
            try {
                List<Dense> trunk = Build.hidden(hidden, train.x[0].length, rng, "hidden");
                int H = trunk.get(trunk.size() - 1).O;
                List<Network> towers = new ArrayList<Network>();
                for (int g = 0; g < groups.size(); g++) towers.add(Tasks.tower(specs.get(g), H, groups.get(g).K, rng));
                if (task < 0) return new TaskNetwork(new Network(trunk), groups, towers);
                return new TaskNetwork(new Network(trunk), Collections.singletonList(groups.get(task)), Collections.singletonList(towers.get(task)));
            } catch (UsageException e) {
                throw new IllegalStateException(e); // --hidden and the towers are checked before any work
            }
        }

        /** The rate search, then the validation metric of every group (G for the multi-task network, 1 for a group's own). */
        @Override
        public List<Comparison.Result> call() {
            List<Comparison.Runs.Run> runs = new ArrayList<Comparison.Runs.Run>();
            Protocol.TaskFit f = Protocol.best(protocol.search(this, train.x, train.t, val.x, val.t, seed,
                history == null ? null : history.taskRecorder(runs, name, repeat + 1, val.t)));
            double[][] z = Tasks.outputs(f.net, val.x);
            double[] m = Tasks.groupMetrics(f.net.loss(), z, val.t); // (G)
            return Collections.singletonList(new Comparison.Result(name, repeat, m, f, runs));
        }
    }

    /**
     * One network on one repeat, trained by the protocol (Callable: the job; Supplier: its initial
     * network at every rate): the multi-task network (task −1) on all columns, or task k's own.
     */
    private static final class Job implements Callable<List<Comparison.Result>>, Supplier<Network> {
        final Protocol protocol;
        final Loss loss;
        final Kind kind;
        final String hidden, name;
        final Setup.Data train, val;
        final int repeat, task;
        final long seed;
        final Comparison.Runs history;

        Job(Protocol protocol, Loss loss, Kind kind, String hidden, Setup.Data train, Setup.Data val, int repeat, long seed, Comparison.Runs history, int task,
            String name) {
            this.protocol = protocol;
            this.loss = loss;
            this.kind = kind;
            this.hidden = hidden;
            this.train = train;
            this.val = val;
            this.repeat = repeat;
            this.seed = seed;
            this.history = history;
            this.task = task;
            this.name = name;
        }

        /** --hidden and the output layer (one unit per column of the targets) from Rng(seed). */
        @Override
        public Network get() {
            return new Network(Comparison.layers(hidden, train.x[0].length, train.t.y[0].length, new Rng(seed)));
        }

        /** The rate search, then the validation metric of every column (K for the multi-task network, 1 for a task's own). */
        @Override
        public List<Comparison.Result> call() {
            List<Comparison.Runs.Run> runs = new ArrayList<Comparison.Runs.Run>();
            Protocol.Fit f = Protocol.best(protocol.search(this, loss, train.x, train.t, val.x, val.t, seed, false,
                history == null ? null : history.recorder(runs, name, repeat + 1, kind, val.t)));
            double[][] z = Setup.outputs(f.net, val.x);
            double[] m = new double[z[0].length];
            for (int k = 0; k < m.length; k++) m[k] = Comparison.metric(kind, z, val.t, k);
            return Collections.singletonList(new Comparison.Result(name, repeat, m, f, runs));
        }
    }

    private static Loss loss(Kind kind) {
        return kind.loss(Reduction.PER_EXAMPLE, null, null);
    }

    /** The rows of d where task k is labeled, in order, with that task's column alone as (rows, 1) targets; null when there is none. */
    private static Setup.Data labeledFor(Setup.Data d, int k) {
        int count = 0;
        for (boolean[] row : d.t.labeled) if (row[k]) count++;
        if (count == 0) return null; // Targets holds at least one row
        int[] own = new int[count];
        int c = 0;
        for (int n = 0; n < d.x.length; n++) if (d.t.labeled[n][k]) own[c++] = n;
        double[][] y = new double[count][1]; // (count, 1)
        int[] lines = new int[count];
        for (int j = 0; j < count; j++) {
            y[j][0] = d.t.y[own[j]][k];
            lines[j] = d.lines[own[j]];
        }
        List<String> name = new ArrayList<String>();
        name.add(d.outputs.get(k));
        return new Setup.Data(Protocol.rows(d.x, own), Targets.of(y), d.features, name, d.file, lines);
    }

    /**
     * The table and its verdicts (SPEC.md §21): per task its mean labeled training rows, the
     * validation metric of the multi-task and the separate network (mean ± standard error), their
     * paired difference multi − separate with ≈ when within noise and "&lt;- hurt" when the shared
     * network is worse beyond noise; a "mean over tasks" row; then a line per hurt task and the
     * wider network to try, or the line that it hurts none.
     *
     * @param metric   the metric's name (accuracy or mse)
     * @param lower    true when a lower metric is better (mse)
     * @param tasks    the task names (K)
     * @param labeled  (K) mean labeled training rows per task
     * @param multi    (K, R) the multi-task network's validation metric per task
     * @param separate (K, R) the separate networks' validation metric
     * @param hidden   the --hidden of both
     */
    static String report(String metric, boolean lower, String[] tasks, double[] labeled, double[][] multi, double[][] separate, String hidden) {
        String[] metrics = new String[tasks.length];
        boolean[] lowers = new boolean[tasks.length];
        Arrays.fill(metrics, metric);
        Arrays.fill(lowers, lower);
        return report(metrics, lowers, tasks, labeled, multi, separate, hidden);
    }

    /**
     * The same table for tasks of several metrics (compare-tasks --group): when the tasks' metrics
     * differ, a column names each task's metric and there is no mean over tasks.
     *
     * @param metrics  (K) each task's metric name (accuracy or mse)
     * @param lower    (K) true where a lower metric is better (mse)
     * @param tasks    the task names (K)
     * @param labeled  (K) mean labeled training rows per task
     * @param multi    (K, R) the multi-task network's validation metric per task
     * @param separate (K, R) the separate networks' validation metric
     * @param hidden   the --hidden of both
     */
    static String report(String[] metrics, boolean[] lower, String[] tasks, double[] labeled, double[][] multi, double[][] separate, String hidden) {
        int K = tasks.length, width = "mean over tasks".length();
        boolean one = uniform(metrics);
        for (String t : tasks) width = Math.max(width, t.length());
        StringBuilder t = new StringBuilder();
        String row = "| %-" + width + "s |" + (one ? "%s" : " %-8s |") + " %7s | %-15s | %-15s | %-20s |%s%n";
        t.append(String.format(Locale.ROOT, row, "task", one ? "" : "metric", "labeled", "multi-task", "separate", "multi - separate", ""));
        t.append("|").append(String.format(Locale.ROOT, "%" + (width + 2) + "s", "").replace(' ', '-')).append(one ? "|" : "|----------|")
            .append("---------|-----------------|-----------------|----------------------|\n");
        List<String> hurt = new ArrayList<String>();
        for (int k = 0; k < K; k++) {
            boolean h = hurts(multi[k], separate[k], lower[k]);
            if (h) hurt.add(tasks[k]);
            t.append(String.format(Locale.ROOT, row, tasks[k], one ? "" : metrics[k], String.format(Locale.ROOT, "%.0f", labeled[k]), Protocol.pm(multi[k]),
                Protocol.pm(separate[k]), Protocol.pmDiff(multi[k], separate[k]) + (Protocol.noise(multi[k], separate[k]) ? " ≈" : ""), h ? " <- hurt" : ""));
        }
        if (one) {
            double[] mm = Protocol.taskMean(multi), sm = Protocol.taskMean(separate);
            t.append(String.format(Locale.ROOT, row, "mean over tasks", "", "", Protocol.pm(mm), Protocol.pm(sm), Protocol.pmDiff(mm, sm) + (Protocol.noise(mm, sm) ? " ≈" : ""), ""));
        }
        t.append('\n');
        if (hurt.isEmpty()) {
            t.append("the shared network hurts no task beyond noise.\n");
        } else {
            t.append("the shared network hurts ").append(String.join(", ", hurt)).append(" beyond noise (validation ")
                .append(one ? metrics[0] + (lower[0] ? " higher" : " lower") : "metric worse").append(" than its separate network by more than 2 standard errors).\n");
            t.append("the lecture: sharing hurts mainly when the network is too small for all tasks; try a wider one, e.g. --hidden ").append(wider(hidden)).append('\n');
        }
        return t.toString();
    }

    /** Whether every task has the same metric. */
    private static boolean uniform(String[] metrics) {
        for (String m : metrics) if (!m.equals(metrics[0])) return false;
        return true;
    }

    /** The shared network is worse than the separate one beyond noise: the paired difference is on the worse side and not within noise. */
    static boolean hurts(double[] multi, double[] separate, boolean lower) {
        double d = Protocol.mean(Protocol.minus(multi, separate));
        return (lower ? d > 0 : d < 0) && !Protocol.noise(multi, separate);
    }

    /** --hidden with every layer twice as wide ("32:tanh,16:relu" → "64:tanh,32:relu"); one 32:tanh layer when there is none. */
    static String wider(String hidden) {
        if (hidden == null || hidden.trim().isEmpty()) return "32:tanh";
        StringBuilder s = new StringBuilder();
        for (String item : hidden.split(",", -1)) {
            String[] parts = item.trim().split(":", 2);
            s.append(s.length() == 0 ? "" : ",").append(2 * Integer.parseInt(parts[0].trim())).append(parts.length > 1 ? ":" + parts[1] : "");
        }
        return s.toString();
    }
}
