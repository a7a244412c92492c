package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import plainnet.Dense;
import plainnet.GradCheck;
import plainnet.Metrics;
import plainnet.Network;
import plainnet.Rng;
import plainnet.Targets;
import plainnet.TaskGradCheck;
import plainnet.TaskNetwork;
import plainnet.io.Csv;
import plainnet.io.Dataset;
import plainnet.io.FormatException;
import plainnet.io.ModelFile;
import plainnet.io.TextFiles;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

/** The commands that read a model: {@code evaluate}, {@code predict}, {@code gradcheck}, {@code info}. */
final class Inspect {

    private Inspect() {}

    /** The most rows gradcheck takes: its cost grows with rows × parameters. */
    static final int MAX_GRADCHECK_ROWS = 256;

    private static void modelData(Options o) {
        o.value("model", "FILE", null, "the model file");
        o.value("data", "FILE", null, "a CSV file with the model's feature columns");
    }

    static Options evaluateOptions() {
        Options o = new Options("evaluate", "Metrics of a model on a labeled CSV file, on labeled entries only (per group for a model of several).");
        modelData(o);
        o.value("labels", "SPEC", null, "label columns (default: the model's task columns; for softmax the last column)");
        return o;
    }

    static Options predictOptions() {
        Options o = new Options("predict", "Write the model's predictions for every row of a CSV file: probabilities for bce (sigmoid)\n"
            + "and softmax outputs, values for mse; a model of several groups adds each softmax group's predicted class.");
        modelData(o);
        o.value("out", "FILE", null, "the CSV file to write (default: standard output)");
        return o;
    }

    static Options gradcheckOptions() {
        Options o = new Options("gradcheck", "Check the model's gradients against central differences on a sample of rows.");
        modelData(o);
        o.value("labels", "SPEC", null, "label columns (default as for evaluate)");
        o.value("rows", "N", "8", "how many rows to sample");
        o.value("seed", "N", "1", "seed of the row sample");
        o.value("l2", "LAMBDA", "0", "coupled L2 strength added to the objective");
        return o;
    }

    static Options infoOptions() {
        Options o = new Options("info", "Print a model's architecture, parameter counts and frozen layers.");
        o.value("model", "FILE", null, "the model file");
        return o;
    }

    /** The labeled data for a model: its feature columns, and --labels or its task columns. */
    private static Setup.Data data(Options o, ModelFile m, PrintStream err) throws UsageException, IOException {
        Csv csv = Setup.csv(o.required("data"), err);
        Setup.checkModelColumns(csv, o.required("model"), m.features);
        Kind kind = Kinds.of(m.loss);
        List<String> labels;
        if (o.get("labels") != null) {
            labels = Dataset.select(csv, o.get("labels"), "--labels");
        } else if (kind.oneLabelColumn() && m.tasks.get(0).lastIndexOf('=') <= 0) {
            labels = java.util.Collections.singletonList(csv.header.get(csv.header.size() - 1));
        } else {
            labels = kind.labelColumns(m.tasks);
        }
        Setup.Data d = Setup.read(csv, m.features, labels, kind, kind.oneLabelColumn() ? m.net.outputs() : 0, "the model's loss", false);
        if (d.outputs.size() != m.net.outputs()) {
            throw new UsageException("the model has " + m.net.outputs() + " outputs, but the labels give " + d.outputs.size() + " (" + d.outputs + ")");
        }
        if (m.standardize != null) m.standardize.apply(d.x);
        return d;
    }

    static int evaluate(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options o = evaluateOptions();
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        ModelFile m = ModelFile.load(Paths.get(o.required("model")));
        if (m.groupCount() > 1) {
            boolean[] absent = new boolean[m.groupCount()]; // (G)
            Setup.Data d = groupData(o, m, err, absent);
            double[][] z = Tasks.finiteOutputs(m.taskNet, d.x, o.get("model"), d.file, d.lines, m.tasks); // (N, K)
            out.println("model " + o.get("model") + " on " + d.file + " (" + d.x.length + " rows)");
            out.print(Tasks.metrics(m.taskNet.loss(), z, d.t, m.tasks, absent));
            return 0;
        }
        Setup.Data d = data(o, m, err);
        double[][] z = Overflow.outputs(m.net, d.x, o.get("model"), d.file, d.lines, d.features, m.standardize != null); // (N, K), refused if not finite
        out.println("model " + o.get("model") + " on " + d.file + " (" + d.x.length + " rows)");
        out.print(Training.metrics(m.loss, z, d.t, d.outputs));
        return 0;
    }

    static int predict(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options o = predictOptions();
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        if (o.get("out") != null) TextFiles.checkOutput(Paths.get(o.get("out")), "--out", "--model", o.required("model"), "--data", o.required("data"));
        ModelFile m = ModelFile.load(Paths.get(o.required("model")));
        int clash = m.groupCount() > 1 ? Tasks.classColumnClash(m.taskNet, m.tasks) : -1;
        if (clash >= 0) throw new FormatException(o.get("model"), 0, 0, "field groups[" + clash + "].name: " + Tasks.clashMessage(m.group(clash).name));
        Csv csv = Setup.csv(o.required("data"), err);
        Setup.checkModelColumns(csv, o.required("model"), m.features);
        Dataset data = Dataset.features(csv, m.features);
        Reading.end();
        double[][] x = data.x; // (N, I)
        if (m.standardize != null) m.standardize.apply(x);
        double[][] z = m.groupCount() > 1 ? Tasks.finiteOutputs(m.taskNet, x, o.get("model"), csv.file, data.lines, m.tasks) // (N, K)
            : Overflow.outputs(m.net, x, o.get("model"), csv.file, data.lines, m.features, m.standardize != null);
        StringBuilder s = new StringBuilder("line");
        // Each group's outputs under its names; a model of several groups adds each softmax group's class (SPEC.md §27.7).
        boolean classes = m.groupCount() > 1;
        int G = m.groupCount();
        Kind[] kinds = new Kind[G]; // (G) each group's kind
        int[] c = new int[G + 1];   // (G + 1) the groups' first columns, c[G] = K
        for (int g = 0; g < G; g++) {
            kinds[g] = Kinds.of(m.group(g).loss);
            c[g] = m.columnStart(g);
            for (String t : m.groupTasks(g)) s.append(',').append(quote(t));
            if (classes && kinds[g].classColumn()) s.append(',').append(quote(m.group(g).name));
        }
        c[G] = m.columnStart(G);
        s.append('\n');
        for (int n = 0; n < z.length; n++) {
            s.append(data.lines[n]);
            for (int g = 0; g < G; g++) {
                double[] zg = java.util.Arrays.copyOfRange(z[n], c[g], c[g + 1]); // (K_g)
                for (double v : kinds[g].predict(zg)) s.append(',').append(Double.toString(v));
                if (classes && kinds[g].classColumn()) s.append(',').append(Metrics.argmax(zg));
            }
            s.append('\n');
        }
        if (o.get("out") == null) {
            out.print(s);
        } else {
            TextFiles.writeAtomically(Paths.get(o.get("out")), s.toString());
            out.println("wrote " + z.length + " predictions to " + o.get("out"));
        }
        return 0;
    }

    /**
     * The labeled data for a model of several groups: its feature columns and each group's label
     * columns (the class column of a softmax group); a group none of whose columns the data has is
     * unlabeled in every row, and marked in {@code absent}.
     */
    private static Setup.Data groupData(Options o, ModelFile m, PrintStream err, boolean[] absent) throws UsageException, IOException {
        if (o.get("labels") != null) {
            throw new UsageException("option --labels applies to a model of one group; " + o.get("model") + " has " + m.groupCount()
                + ", each read from its own columns (as the model's tasks name them)");
        }
        Csv csv = Setup.csv(o.required("data"), err);
        Setup.checkModelColumns(csv, o.required("model"), m.features);
        List<Setup.Columns> columns = new java.util.ArrayList<Setup.Columns>();
        for (int g = 0; g < m.groupCount(); g++) {
            Kind kind = Kinds.of(m.group(g).loss);
            List<String> labels = kind.labelColumns(m.groupTasks(g));
            String missing = null;
            int present = 0;
            for (String name : labels) {
                if (csv.column(name) >= 0) present++;
                else if (missing == null) missing = name;
            }
            if (present > 0 && missing != null) {
                String near = csv.closest(missing);
                throw new FormatException(csv.file, 1, 0, "expected all or none of the label columns of the model's group " + m.group(g).name + " ("
                    + Dataset.abbreviate(labels) + "), found " + present + " of " + labels.size() + ", without \"" + missing + "\""
                    + (near == null || labels.contains(near) ? "" : "; did you mean \"" + near + "\"?"));
            }
            absent[g] = present == 0;
            if (present == 0) labels = new java.util.ArrayList<String>();
            columns.add(new Setup.Columns(kind, labels, kind.oneLabelColumn() ? m.group(g).K : 0, "the model's group " + m.group(g).name + " (" + kind.name() + ")", null,
                m.groupTasks(g)));
        }
        Setup.Data d = Setup.readGroups(csv, m.features, columns, false);
        if (m.standardize != null) m.standardize.apply(d.x);
        return d;
    }

    /** A CSV field: s, or s in double quotes (its quotes doubled) when it holds a comma or a quote (SPEC.md §17). */
    static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    static int gradcheck(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options o = gradcheckOptions();
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        int requested = o.integer("rows", 1);
        if (requested > MAX_GRADCHECK_ROWS) throw new UsageException("option --rows expected at most " + MAX_GRADCHECK_ROWS + " (the check costs two forward passes per parameter), found " + requested);
        long seed = o.longValue("seed");
        double l2 = o.number("l2", 0.0, false);
        ModelFile m = ModelFile.load(Paths.get(o.required("model")));
        Setup.Data d = m.groupCount() > 1 ? groupData(o, m, err, new boolean[m.groupCount()]) : data(o, m, err);
        int rows = Math.min(requested, d.x.length);
        int[] order = new int[d.x.length]; // (N)
        for (int n = 0; n < order.length; n++) order[n] = n;
        new Rng(seed).shuffle(order);
        double[][] x = new double[rows][]; // (rows, I)
        for (int j = 0; j < rows; j++) x[j] = d.x[order[j]];
        Targets t = d.t.rows(order, 0, rows);
        GradCheck.Report r = m.groupCount() > 1 ? TaskGradCheck.run(m.taskNet, x, t, l2, GradCheck.EPS, GradCheck.THRESHOLD)
            : GradCheck.run(m.net, m.loss, x, t, l2, GradCheck.EPS, GradCheck.THRESHOLD);
        out.println("gradient check of " + o.get("model") + " on " + rows + " rows of " + d.file + " (eps " + GradCheck.EPS + ", threshold " + GradCheck.THRESHOLD + ")");
        out.println(r);
        return r.passed() ? 0 : 1;
    }

    static int info(String[] args, PrintStream out) throws UsageException, IOException {
        Options o = infoOptions();
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        ModelFile m = ModelFile.load(Paths.get(o.required("model")));
        if (m.groupCount() > 1) return infoGroups(o.get("model"), m, out);
        Network net = m.net;
        out.printf(Locale.ROOT, "model %s: %d layers, %s parameters (%s trainable), loss %s (%s)%n", o.get("model"), net.size(),
            Training.count(net.parameterCount()), Training.count(net.trainableParameterCount()), m.loss.name(), m.loss.reduction().fileName());
        out.printf(Locale.ROOT, "inputs: %d features (%s)%s%n", net.inputs(), names(m.features), m.standardize == null ? "" : ", standardized");
        out.print(layerTable(net));
        out.printf(Locale.ROOT, "outputs: %d (%s)%n", net.outputs(), names(m.tasks));
        return 0;
    }

    /** info for a model of several groups: the trunk's layer table, then each group with its tower's (SPEC.md §27.7). */
    private static int infoGroups(String model, ModelFile m, PrintStream out) {
        TaskNetwork net = m.taskNet;
        out.printf(Locale.ROOT, "model %s: %d layers (a trunk of %d, %d towers), %s parameters (%s trainable), %d groups%n", model, net.layers().size(), net.trunk().size(),
            net.groupCount(), Training.count(net.parameterCount()), Training.count(net.trainableParameterCount()), net.groupCount());
        out.printf(Locale.ROOT, "inputs: %d features (%s)%s%n", net.inputs(), names(m.features), m.standardize == null ? "" : ", standardized");
        out.println("trunk:");
        out.print(layerTable(net.trunk()));
        for (int g = 0; g < net.groupCount(); g++) {
            plainnet.Group group = net.group(g);
            out.printf(Locale.ROOT, "group %s: %s (%s, %s), weight %s, outputs %d..%d (%s); its tower:%n", group.name, Kinds.of(group.loss).name(), group.loss.name(),
                group.loss.reduction().fileName(), Double.toString(group.weight), m.columnStart(g), m.columnStart(g + 1) - 1, names(m.groupTasks(g)));
            out.print(layerTable(net.tower(g)));
        }
        out.printf(Locale.ROOT, "outputs: %d (%s)%n", net.outputs(), names(m.tasks));
        return 0;
    }

    /** The layer table of info: each column as wide as its widest cell, header included, so frozen rows line up too. */
    static String layerTable(Network net) {
        String[][] cells = new String[net.size() + 1][]; // (L + 1, 6): the header, then one row per layer
        cells[0] = new String[] {"layer", "inputs->outputs", "activation", "trainable", "lr_scale", "parameters"};
        for (int l = 0; l < net.size(); l++) {
            Dense d = net.layer(l);
            cells[l + 1] = new String[] {String.valueOf(l), d.I + " -> " + d.O, d.f.toString(), d.isTrainable() ? "yes" : "no (frozen)",
                Double.toString(d.lrScale()), Training.count(d.parameterCount())};
        }
        int[] width = new int[cells[0].length];
        for (String[] row : cells) for (int j = 0; j < row.length; j++) width[j] = Math.max(width[j], row[j].length());
        StringBuilder s = new StringBuilder();
        for (String[] row : cells) {
            for (int j = 0; j < row.length - 1; j++) s.append(String.format(Locale.ROOT, "%-" + width[j] + "s  ", row[j]));
            s.append(row[row.length - 1]).append('\n');
        }
        return s.toString();
    }

    private static String names(List<String> names) {
        if (names.size() <= 8) return String.join(", ", names);
        return String.join(", ", names.subList(0, 3)) + ", ..., " + String.join(", ", names.subList(names.size() - 2, names.size()));
    }
}
