package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import plainnet.Activation;
import plainnet.Dense;
import plainnet.Group;
import plainnet.GroupedLoss;
import plainnet.Init;
import plainnet.Loss;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Rng;
import plainnet.Standardization;
import plainnet.TaskNetwork;
import plainnet.TaskTrainer;
import plainnet.Targets;
import plainnet.io.Csv;
import plainnet.io.Dataset;
import plainnet.io.FormatException;
import plainnet.io.ModelFile;
import plainnet.io.TextFiles;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

/**
 * Output groups on the command line (SPEC.md §27.7): {@code train --group} (a shared trunk from
 * --hidden and a tower per group), {@code transfer --add-task} (a new group on a trained model,
 * the old parts frozen) and {@code transfer --remove-task}, and the outputs, metrics and checks
 * of a model of several groups that {@code evaluate}, {@code predict} and {@code gradcheck} print.
 * One {@code --group} builds and trains the plain network of {@code train --labels}: the same
 * bits and the same model file.
 *
 * <p>Index letters: N rows (n), G groups (g), K = Σ_g K_g outputs, H the trunk's outputs.
 */
final class Tasks {

    private Tasks() {}

    /** The options that a group's spec replaces, and the part of the spec that says it instead. */
    private static final String[][] MOVED = {{"labels", "COLUMNS"}, {"loss", "KIND"}, {"pos-weight", ":pos-weight=P1,.."},
        {"task-weight", ":task-weight=T1,.."}, {"reduction", ":reduction=R"}};

    /** Refuses the options that a group's spec replaces, saying where they go. */
    static void refuseMoved(Options o, String option) throws UsageException {
        for (String[] m : MOVED) {
            if (o.has(m[0])) {
                throw new UsageException("option --" + m[0] + " does not go with --" + option + ": give it in the spec, --" + option
                    + " NAME:KIND:COLUMNS[:KEY=VALUE..], as " + m[1]);
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // train --group

    /** {@code train} with one or more --group (the options parsed; SPEC.md §27.7). */
    static int train(Options o, PrintStream out, PrintStream err) throws UsageException, IOException {
        String outFile = o.required("out");
        refuseMoved(o, "group");
        List<GroupSpec> specs = specs(o, Setup.classes(o));
        int G = specs.size();
        if (G == 1 && specs.get(0).weight != 1.0) {
            throw new UsageException("option --group " + specs.get(0).name + ": weight= needs several groups (a model of one group is the plain network of model file version 1, "
                + "which has no group weight; it would only scale the loss, as --lr does)");
        }
        Build.hidden(o.get("hidden"), 1, null, "hidden");
        if (G > 1 && o.get("hidden").trim().isEmpty()) {
            throw new UsageException("option --hidden expected at least one layer with several --group (the trunk the groups' towers share), found none");
        }
        double lr = o.number("lr", 0.0, true);
        Optimizer opt = Train.checkCommon(o, lr);
        TextFiles.checkOutput(Paths.get(outFile), "--out", "--data", o.required("data"), "--validation", o.get("validation"));
        History history = G == 1 ? History.of(o, specs.get(0).kind, outFile, "--data", o.required("data"), "--validation", o.get("validation"))
            : History.ofGroups(o, metricColumns(specs), outFile, "--data", o.required("data"), "--validation", o.get("validation"));
        PrintStream progress = o.has("quiet") ? null : err;
        Csv csv = Setup.csv(o.required("data"), progress);
        List<List<String>> labels = new ArrayList<List<String>>();
        List<String> all = new ArrayList<String>();
        for (GroupSpec g : specs) {
            List<String> l = columns(csv, g);
            labels.add(l);
            all.addAll(l);
        }
        List<String> features = Setup.features(o, csv, all);
        List<Setup.Columns> columns = new ArrayList<Setup.Columns>();
        for (int g = 0; g < G; g++) columns.add(columnsOf(specs.get(g), labels.get(g)));
        Setup.Data d = Setup.readGroups(csv, features, columns, true);
        Setup.Data[] parts = validation(o, d, columns, progress);
        announce(progress, csv, d, specs, labels);
        List<Loss> losses = new ArrayList<Loss>();
        for (int g = 0; g < G; g++) losses.add(specs.get(g).loss(labels.get(g).size()));
        Standardization standardize = o.has("standardize") ? Train.standardization(parts[0], d) : null;
        Train.standardize(standardize, d, parts, o.get("validation") != null);

        // Drawn in this order from one generator: the trunk's layers bottom up, then for each group
        // (g ascending) its tower's hidden layers and its output layer (SPEC.md §27.7).
        Rng rng = new Rng(o.longValue("seed"));
        int I = d.x[0].length;
        List<Dense> trunk = Build.hidden(o.get("hidden"), I, rng, "hidden");
        int H = trunk.isEmpty() ? I : trunk.get(trunk.size() - 1).O;
        List<Network> towers = new ArrayList<Network>();
        List<Group> groups = new ArrayList<Group>();
        for (int g = 0; g < G; g++) {
            GroupSpec s = specs.get(g);
            towers.add(tower(s, H, d.groupK[g], rng));
            groups.add(new Group(s.name, d.groupK[g], losses.get(g), s.weight));
        }
        if (G == 1) {
            // One group is the plain network of train --labels: trunk, then tower (the same draws).
            List<Dense> layers = new ArrayList<Dense>(trunk);
            for (int l = 0; l < towers.get(0).size(); l++) layers.add(towers.get(0).layer(l));
            return Train.trainNetwork(o, new Network(layers), losses.get(0), opt, d, parts, standardize, history, outFile, out, err);
        }
        TaskNetwork net = new TaskNetwork(new Network(trunk), groups, towers);
        int clash = classColumnClash(net, d.outputs);
        if (clash >= 0) throw new UsageException("option " + specs.get(clash).said + ": " + clashMessage(net.group(clash).name));
        return fit(o, "train", net, opt, d, parts, standardize, history, outFile, "training", out, err);
    }

    /** The --group specs, parsed in order, their names distinct; {@code classes} is --classes (0: none). */
    static List<GroupSpec> specs(Options o, int classes) throws UsageException {
        List<GroupSpec> specs = new ArrayList<GroupSpec>();
        for (String text : o.values("group")) {
            GroupSpec g = GroupSpec.parse(text, "group", classes);
            for (GroupSpec h : specs) if (h.name.equals(g.name)) throw new UsageException("option --group " + g.name + " given twice: expected distinct group names");
            specs.add(g);
        }
        return specs;
    }

    /** A group's tower: its hidden layers (tower=) and its output layer (K outputs, identity), drawn from rng in that order. */
    static Network tower(GroupSpec s, int H, int K, Rng rng) throws UsageException {
        List<Dense> layers = Build.hidden(s.tower, H, rng, s.said.substring(2) + ": tower=");
        int top = layers.isEmpty() ? H : layers.get(layers.size() - 1).O;
        layers.add(new Dense(top, K, Activation.IDENTITY, Init.XAVIER_NORMAL, rng));
        return new Network(layers);
    }

    /** A spec's label columns in the file: one for softmax. */
    static List<String> columns(Csv csv, GroupSpec g) throws UsageException, FormatException {
        List<String> l = Dataset.select(csv, g.columns, g.said);
        if (g.kind.oneLabelColumn() && l.size() != 1) {
            throw new UsageException("option " + g.said + ": expected one label column of class indices for the kind " + g.kind.name() + ", found " + l.size()
                + " (" + Dataset.abbreviate(l) + "); give one column, or the kind bce for several 0/1 columns");
        }
        return l;
    }

    /** The columns of a spec for {@link Setup#readGroups}; hints name another kind as the spec with that kind. */
    static Setup.Columns columnsOf(GroupSpec s, List<String> labels) {
        return new Setup.Columns(s.kind, labels, s.classes, s.said + " (" + s.kind.name() + ")", s::option, null);
    }

    /** The history's metric columns: val_NAME_accuracy or val_NAME_mse per group. */
    private static List<String> metricColumns(List<GroupSpec> specs) {
        List<String> c = new ArrayList<String>();
        for (GroupSpec g : specs) c.add(metricColumn(g.name, g.kind));
        return c;
    }

    /** A group's history column, val_NAME_accuracy or val_NAME_mse, as a CSV field (quoted when the name has a comma or a quote). */
    private static String metricColumn(String name, Kind kind) {
        return Inspect.quote("val_" + name + "_" + kind.metricName());
    }

    /** As the training starts: the feature columns and each group's label columns and kind (nothing when progress is null). */
    static void announce(PrintStream progress, Csv csv, Setup.Data d, List<GroupSpec> specs, List<List<String>> labels) {
        if (progress == null) return;
        int I = d.features.size();
        StringBuilder s = new StringBuilder("plainnet: " + csv.file + ": features " + I + " column" + (I == 1 ? "" : "s") + " (" + Dataset.ranges(csv, d.features) + ")");
        for (int g = 0; g < specs.size(); g++) {
            int K = d.groupK[g];
            s.append(g == 0 ? "; " : ", ").append("group ").append(specs.get(g).name).append(": ").append(specs.get(g).kind.name()).append(" on ")
                .append(Dataset.ranges(csv, labels.get(g))).append(" (").append(K).append(" output").append(K == 1 ? "" : "s").append(')');
        }
        progress.println(s);
    }

    /** Validation data for groups: --validation FILE (each group's columns, softmax classes as in training), or --split, or none. */
    private static Setup.Data[] validation(Options o, Setup.Data d, List<Setup.Columns> columns, PrintStream progress) throws UsageException, IOException {
        if (o.get("validation") != null && o.get("split") != null) throw new UsageException("options --validation and --split exclude each other");
        if (o.get("validation") == null) return Train.split(o, d);
        Csv csv = Setup.csv(o.get("validation"), progress);
        List<Setup.Columns> fixed = new ArrayList<Setup.Columns>();
        int c = 0;
        for (int g = 0; g < columns.size(); g++) {
            Setup.Columns s = columns.get(g);
            int K = d.groupK[g];
            List<String> labels = s.labels;
            if (s.outputs != null) labels = present(csv, labels); // a model's old group: its columns are optional
            fixed.add(new Setup.Columns(s.kind, labels, s.kind.oneLabelColumn() ? K : 0, s.said, s.option, d.outputs.subList(c, c + K)));
            c += K;
        }
        return new Setup.Data[] {d, Setup.readGroups(csv, d.features, fixed, true)};
    }

    /** The labels when the file has every one of them, else none (the group is then unlabeled). */
    private static List<String> present(Csv csv, List<String> labels) {
        for (String name : labels) if (csv.column(name) < 0) return new ArrayList<String>();
        return labels;
    }

    // ----------------------------------------------------------------------------------------
    // training a task network

    /** Trains net with TaskTrainer, saves it (version 2) and reports; returns the exit code. */
    private static int fit(Options o, String command, TaskNetwork net, Optimizer opt, Setup.Data d, Setup.Data[] parts, Standardization standardize,
                           History history, String outFile, String stage, PrintStream out, PrintStream err) throws UsageException, IOException {
        Setup.Data train = parts[0], val = parts[1];
        TaskTrainer tr = new TaskTrainer(net, opt);
        Training.settings(o, null);
        tr.epochs = o.integer("epochs", 1);
        tr.batch = o.integer("batch", 1);
        tr.seed = o.longValue("seed");
        tr.decayEvery = o.integer("decay-every", 0);
        tr.decayFactor = o.number("decay-factor", 0.0, true);
        tr.patience = o.integer("patience", 0);
        net.setThreads(o.get("threads") == null ? Training.processors() : o.integer("threads", 1));
        boolean quiet = o.has("quiet");
        if (!quiet) err.println("plainnet: " + stage + ": " + train.x.length + " rows" + (val == null ? "" : ", validation " + val.x.length + " rows"));
        int G = net.groupCount(), epochs = tr.epochs;
        int lowest = net.trunk().lowestTrainable(); // the history's trainable_from: −1 when the trunk is frozen
        long[] clock = {System.nanoTime(), System.nanoTime()}; // the start, the end of the last epoch
        Consumer<TaskTrainer.Epoch> listener = e -> {
            long now = System.nanoTime();
            double elapsed = (now - clock[0]) / 1e9, seconds = (now - clock[1]) / 1e9;
            clock[1] = now;
            double[] metric = new double[G]; // (G)
            Arrays.fill(metric, Double.NaN);
            StringBuilder acc = new StringBuilder();
            if (val != null) {
                metric = groupMetrics(net.loss(), e.validationOutput, val.t);
                for (int g = 0; g < G; g++) {
                    if (Kinds.of(net.group(g).loss).inProgressLine()) acc.append(' ').append(net.group(g).name).append(' ').append(String.format(Locale.ROOT, "%.4f", metric[g]));
                }
            }
            if (history != null) history.add(e.epoch, 1, lowest, e.lr, e.trainLoss, e.validationLoss, metric);
            if (!quiet) Training.line(err, e.epoch, epochs, e.lr, e.trainLoss, e.validationLoss, acc.length() == 0 ? "" : "  val acc" + acc, elapsed, train.x.length / seconds);
        };
        Train.Interrupt hook = Train.Interrupt.register(err, command, outFile);
        try {
            TaskTrainer.Result r = tr.fit(train.x, train.t, val == null ? null : val.x, val == null ? null : val.t, listener);
            if (r.stoppedEarly && !quiet) err.println("plainnet: early stopping after epoch " + r.history.size() + "; keeping the weights of epoch " + r.keptEpoch);
            else if (tr.patience > 0 && !r.diverged && r.keptEpoch < r.history.size() && !quiet) {
                err.println("plainnet: keeping the weights of epoch " + r.keptEpoch + ", which had the lowest validation loss, not those of the last epoch " + r.history.size());
            }
            boolean save = !r.diverged || Train.keepDiverged(o, err, r.divergedEpoch, r.divergedStep, r.divergence,
                r.keptEpoch > 0 ? "the weights after epoch " + r.keptEpoch + ", the last one that did not diverge" : null, outFile, null);
            Train.writeHistory(history, save ? r.keptEpoch : 0, err, o);
            if (!save) return 1;
            hook.save(new ModelFile(net, d.features, d.outputs, standardize));
            String note = r.diverged || r.keptEpoch == 0 ? null
                : Train.keptNote(o, r.keptEpoch, r.history.size(), r.stoppedEarly, r.history.get(r.keptEpoch - 1).validationLoss, 0, r.history.size(), 1);
            Setup.Data shown = val != null ? val : train;
            out.println("saved " + outFile + " (" + net.layers().size() + " layers: a trunk of " + net.trunk().size() + " and " + G + " towers, "
                + Training.count(net.parameterCount()) + " parameters, " + Training.count(net.trainableParameterCount()) + " trainable)");
            if (note != null) out.println(note);
            out.println((val != null ? "validation" : "training") + " metrics (" + shown.x.length + " rows):");
            out.print(metrics(net.loss(), outputs(net, shown.x), shown.t, d.outputs, null));
            return r.diverged ? 1 : 0;
        } finally {
            hook.unregister();
        }
    }

    // ----------------------------------------------------------------------------------------
    // transfer --add-task, --remove-task

    /** The transfer options that do not go with --add-task or --remove-task. */
    private static final String[] PLAIN_TRANSFER = {"drop", "hidden", "freeze", "finetune-epochs", "finetune-lr", "unfreeze-from", "unfreeze", "lr-decay", "l2-sp", "features"};

    /** {@code transfer --add-task SPEC}: a new group with its tower on the model's trunk (SPEC.md §27.7). */
    static int addTask(Options o, PrintStream out, PrintStream err) throws UsageException, IOException {
        String outFile = o.required("out");
        refuseMoved(o, "add-task");
        for (String name : PLAIN_TRANSFER) {
            if (o.has(name)) {
                throw new UsageException("option --" + name + " does not go with --add-task, which keeps every layer of the model and adds the new task's tower"
                    + " (give its hidden layers as :tower=H1,.. in the spec; --train-trunk trains the trunk too)");
            }
        }
        if (o.has("remove-task")) throw new UsageException("options --add-task and --remove-task exclude each other (run transfer twice)");
        GroupSpec spec = GroupSpec.parse(o.get("add-task"), "add-task", Setup.classes(o));
        double lr = o.number("lr", 0.0, true);
        Optimizer opt = Train.checkCommon(o, lr);
        String model = o.required("model");
        TextFiles.checkOutput(Paths.get(outFile), "--out", "--model", model, "--data", o.required("data"), "--validation", o.get("validation"));
        ModelFile m = ModelFile.load(Paths.get(model));
        TaskNetwork net;
        try {
            net = m.taskNetwork();
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --add-task needs a model of at least 2 layers (a trunk for the tasks to share), found 1 layer in " + model);
        }
        if (net.indexOf(spec.name) >= 0) {
            throw new UsageException("option " + spec.said + ": expected a new task name, found " + spec.name + ", which the model " + model + " has (its tasks: "
                + String.join(", ", groupNames(m)) + ")");
        }
        List<GroupSpec> none = new ArrayList<GroupSpec>();
        List<String> metricColumns = new ArrayList<String>();
        for (int g = 0; g < m.groupCount(); g++) metricColumns.add(metricColumn(m.group(g).name, Kinds.of(m.group(g).loss)));
        none.add(spec);
        metricColumns.addAll(metricColumns(none));
        History history = History.ofGroups(o, metricColumns, outFile, "--model", model, "--data", o.required("data"), "--validation", o.get("validation"));
        PrintStream progress = o.has("quiet") ? null : err;
        Csv csv = Setup.csv(o.required("data"), progress);
        Setup.checkModelColumns(csv, model, m.features);
        List<String> labels = columns(csv, spec);
        // A column belongs to one group only: the new task's columns are none of an old group's.
        for (int g = 0; g < m.groupCount(); g++) {
            for (String name : Kinds.of(m.group(g).loss).labelColumns(m.groupTasks(g))) {
                if (labels.contains(name)) {
                    throw new UsageException("option " + spec.said + ": expected label columns that no task of the model " + model + " reads, found \"" + name
                        + "\", a label column of its group " + m.group(g).name + " (a column belongs to one group only)");
                }
            }
        }
        // The old groups' columns are read when the data has them all (and none is a feature), else unlabeled.
        List<Setup.Columns> columns = new ArrayList<Setup.Columns>();
        for (int g = 0; g < m.groupCount(); g++) {
            Kind kind = Kinds.of(m.group(g).loss);
            List<String> old = present(csv, kind.labelColumns(m.groupTasks(g)));
            for (String name : old) if (m.features.contains(name)) old = new ArrayList<String>();
            String said = "the model's group " + m.group(g).name;
            columns.add(new Setup.Columns(kind, old, kind.oneLabelColumn() ? m.group(g).K : 0, said + " (" + kind.name() + ")", null, m.groupTasks(g)));
        }
        columns.add(columnsOf(spec, labels));
        Setup.Data d = Setup.readGroups(csv, m.features, columns, true);
        Setup.Data[] parts = validation(o, d, columns, progress);
        int G = m.groupCount(), K = d.groupK[G];
        if (progress != null) {
            progress.println("plainnet: " + csv.file + ": features " + m.features.size() + " columns (the model's); new group " + spec.name + ": " + spec.kind.name() + " on "
                + Dataset.ranges(csv, labels) + " (" + K + " output" + (K == 1 ? "" : "s") + ")" + oldGroups(m, columns));
        }
        Loss loss = spec.loss(labels.size());
        Train.standardize(m.standardize, d, parts, o.get("validation") != null);

        // The old parts are frozen (their outputs keep their bits); --train-trunk trains the trunk too.
        Network trunk = net.trunk();
        trunk.freeze(0, trunk.size());
        if (o.has("train-trunk")) trunk.unfreeze(0, trunk.size());
        for (int g = 0; g < G; g++) net.tower(g).freeze(0, net.tower(g).size());
        Rng rng = new Rng(o.longValue("seed"));
        net.addTask(new Group(spec.name, K, loss, spec.weight), tower(spec, trunk.outputs(), K, rng));
        int clash = classColumnClash(net, d.outputs);
        if (clash == G) throw new UsageException("option " + spec.said + ": " + clashMessage(spec.name));
        if (clash >= 0) {
            throw new UsageException("option " + spec.said + ": expected the model's softmax groups' names to be no column of predict's output with the new task (line, an output's name), found \""
                + net.group(clash).name + "\", the model's group, whose predicted-class column would repeat it; give the new task other columns");
        }
        return fit(o, "transfer", net, opt, d, parts, m.standardize, history, outFile,
            "new task " + spec.name + " (its tower trainable" + (o.has("train-trunk") ? ", and the trunk" : "; the trunk and the other towers frozen") + ")", out, err);
    }

    /** The start line's part on the old groups: which the data labels (they count in J) and which not. */
    private static String oldGroups(ModelFile m, List<Setup.Columns> columns) {
        StringBuilder s = new StringBuilder();
        for (int g = 0; g < m.groupCount(); g++) {
            s.append(g == 0 ? "; the model's groups " : ", ").append(m.group(g).name)
                .append(columns.get(g).labels.isEmpty() ? " unlabeled (not all of its label columns in the data)" : " labeled from the data");
        }
        return s.toString();
    }

    /** {@code transfer --remove-task NAME}: the model without that group and its tower; nothing else changes. */
    static int removeTask(Options o, PrintStream out) throws UsageException, IOException {
        for (String option : o.givenNames()) {
            if (!option.equals("model") && !option.equals("remove-task") && !option.equals("out")) {
                throw new UsageException("option --" + option + " does not go with --remove-task, which reads no data and trains nothing (give --model, --remove-task and --out only)");
            }
        }
        String outFile = o.required("out"), name = o.get("remove-task"), model = o.required("model");
        TextFiles.checkOutput(Paths.get(outFile), "--out", "--model", model);
        ModelFile m = ModelFile.load(Paths.get(model));
        List<String> names = groupNames(m);
        if (m.groupCount() == 1) {
            throw new UsageException("option --remove-task needs a model of several tasks, found one (" + names.get(0) + ") in " + model);
        }
        int g = m.taskNet.indexOf(name);
        if (g < 0) {
            throw new UsageException("option --remove-task expected one of the tasks of " + model + " (" + String.join(", ", names) + "), found '" + name + "'"
                + Options.near(name, names.toArray(new String[0])));
        }
        List<String> tasks = new ArrayList<String>(m.tasks);
        tasks.subList(m.columnStart(g), m.columnStart(g + 1)).clear();
        TaskNetwork net = m.taskNet;
        net.removeTask(name);
        List<String> left = new ArrayList<String>();
        for (int h = 0; h < net.groupCount(); h++) left.add(net.group(h).name);
        new ModelFile(net, m.features, tasks, m.standardize).save(Paths.get(outFile));
        out.println("saved " + outFile + " (task " + name + " removed; " + (left.size() == 1 ? "1 task left: " + left.get(0)
            + ", now a plain network: model file version 1, which keeps no group name or weight" : left.size() + " tasks left: " + String.join(", ", left)) + ")");
        return 0;
    }

    /**
     * The first softmax group whose predicted-class column (named by the group, SPEC.md §27.7)
     * would repeat a column of predict's header: "line", an output name, or an earlier group's
     * class column; −1 when there is none.
     */
    static int classColumnClash(TaskNetwork net, List<String> outputs) {
        List<String> header = new ArrayList<String>(outputs);
        header.add("line");
        for (int g = 0; g < net.groupCount(); g++) {
            if (!Kinds.of(net.group(g).loss).classColumn()) continue;
            if (header.contains(net.group(g).name)) return g;
            header.add(net.group(g).name);
        }
        return -1;
    }

    /** What a clash of {@link #classColumnClash} says, after the option or field that names the group. */
    static String clashMessage(String name) {
        return "expected a softmax group's name that is not a column of predict's output (line, an output's name, another group's class column), found \""
            + name + "\" (predict writes the group's predicted class in a column of its name); rename the group";
    }

    /** The names of a model's groups, in order ("tasks" or the class column for a model of one group, SPEC.md §16.1). */
    static List<String> groupNames(ModelFile m) {
        List<String> s = new ArrayList<String>();
        for (int g = 0; g < m.groupCount(); g++) s.add(m.group(g).name);
        return s;
    }

    // ----------------------------------------------------------------------------------------
    // outputs and metrics of a model of groups

    /** The outputs for every row of x (N, I), as (N, K) copies, in chunks ({@link Setup#outputs}). */
    static double[][] outputs(TaskNetwork net, double[][] x) {
        return Setup.outputs(net::forward, x);
    }

    /** The outputs, refused when one is not finite: naming the model, the output and the data line. */
    static double[][] finiteOutputs(TaskNetwork net, double[][] x, String model, String file, int[] lines, List<String> names) throws FormatException {
        double[][] z = outputs(net, x); // (N, K)
        for (int n = 0; n < z.length; n++) {
            for (int k = 0; k < z[n].length; k++) {
                if (Double.isNaN(z[n][k]) || Double.isInfinite(z[n][k])) {
                    throw new FormatException(model, 0, 0, "output " + names.get(k) + ": expected a finite number, found " + z[n][k] + " for line " + lines[n] + " of " + file
                        + ": the weights are too large for these inputs");
                }
            }
        }
        return z;
    }

    /**
     * Each group's validation metric, its kind's ({@link Kind#metric}) on its columns of z and t.
     *
     * @return (G) the metrics, g ascending
     */
    static double[] groupMetrics(GroupedLoss J, double[][] z, Targets t) {
        double[] m = new double[J.groupCount()]; // (G)
        for (int g = 0; g < m.length; g++) m[g] = Kinds.of(J.group(g).loss).metric(columns(z, J.columnStart(g), J.group(g).K), J.targets(t, g));
        return m;
    }

    /** Columns c … c + K − 1 of z (N, ·), copied: (N, K). */
    static double[][] columns(double[][] z, int c, int K) {
        double[][] zg = new double[z.length][]; // (N, K)
        for (int n = 0; n < z.length; n++) zg[n] = Arrays.copyOfRange(z[n], c, c + K);
        return zg;
    }

    /**
     * The metrics of a model of groups (SPEC.md §27.7): J = Σ_g w_g·J_g, then per group its loss
     * line and its kind's table on its columns (labeled entries only, with counts); a group marked
     * in {@code absent} (its columns are not in the data) says so.
     */
    static String metrics(GroupedLoss loss, double[][] z, Targets t, List<String> names, boolean[] absent) {
        int G = loss.groupCount();
        double J = loss.forward(z, t);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "loss (%d groups, J = sum of w_g * J_g): %s%n", G, Training.fixed(J, 6)));
        for (int g = 0; g < G; g++) {
            Group group = loss.group(g);
            Kind kind = Kinds.of(group.loss);
            int c = loss.columnStart(g);
            s.append(String.format(Locale.ROOT, "group %s (%s, weight %s, outputs %d..%d)%s%n", group.name, kind.name(), Double.toString(group.weight), c, c + group.K - 1,
                absent != null && absent[g] ? ": no label column of it in the data" : ":"));
            if (absent != null && absent[g]) continue;
            double[][] zg = columns(z, c, group.K); // (N, K_g)
            Targets tg = loss.targets(t, g);
            s.append(Training.lossLine(group.loss, zg, tg)).append(kind.table(group.loss, zg, tg, names.subList(c, c + group.K), true));
        }
        return s.toString();
    }
}
