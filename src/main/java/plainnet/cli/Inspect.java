package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import plainnet.Dense;
import plainnet.GradCheck;
import plainnet.Network;
import plainnet.Rng;
import plainnet.Targets;
import plainnet.io.Csv;
import plainnet.io.Dataset;
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
        Options o = new Options("evaluate", "Metrics of a model on a labeled CSV file, on labeled entries only.");
        modelData(o);
        o.value("labels", "SPEC", null, "label columns (default: the model's task columns; for softmax the last column)");
        return o;
    }

    static Options predictOptions() {
        Options o = new Options("predict", "Write the model's predictions for every row of a CSV file: probabilities for bce (sigmoid)\n"
            + "and softmax outputs, values for mse.");
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
        Csv csv = Setup.csv(o.required("data"), err);
        Setup.checkModelColumns(csv, o.required("model"), m.features);
        Dataset data = Dataset.features(csv, m.features);
        Reading.end();
        double[][] x = data.x;
        if (m.standardize != null) m.standardize.apply(x);
        double[][] z = Overflow.outputs(m.net, x, o.get("model"), csv.file, data.lines, m.features, m.standardize != null);
        StringBuilder s = new StringBuilder("line");
        for (String t : m.tasks) s.append(',').append(quote(t));
        s.append('\n');
        for (int n = 0; n < z.length; n++) {
            s.append(data.lines[n]);
            double[] p = probabilities(m, z[n]);
            for (double v : p) s.append(',').append(Double.toString(v));
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

    /** σ(z) per output for bce, the softmax for softmax, z itself for mse: the loss kind's {@link Kind#predict}. */
    static double[] probabilities(ModelFile m, double[] z) {
        return Kinds.of(m.loss).predict(z);
    }

    private static String quote(String s) {
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
        Setup.Data d = data(o, m, err);
        int rows = Math.min(requested, d.x.length);
        int[] order = new int[d.x.length];
        for (int n = 0; n < order.length; n++) order[n] = n;
        new Rng(seed).shuffle(order);
        double[][] x = new double[rows][];
        for (int j = 0; j < rows; j++) x[j] = d.x[order[j]];
        Targets t = d.t.rows(order, 0, rows);
        GradCheck.Report r = GradCheck.run(m.net, m.loss, x, t, l2, GradCheck.EPS, GradCheck.THRESHOLD);
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
        Network net = m.net;
        out.printf(Locale.ROOT, "model %s: %d layers, %s parameters (%s trainable), loss %s (%s)%n", o.get("model"), net.size(),
            Training.count(net.parameterCount()), Training.count(net.trainableParameterCount()), m.loss.name(), m.loss.reduction().fileName());
        out.printf(Locale.ROOT, "inputs: %d features (%s)%s%n", net.inputs(), names(m.features), m.standardize == null ? "" : ", standardized");
        out.print(layerTable(net));
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
