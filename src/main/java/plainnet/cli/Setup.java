package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import plainnet.Network;
import plainnet.Targets;
import plainnet.io.Csv;
import plainnet.io.Dataset;
import plainnet.io.FormatException;

/**
 * The data side of the commands: the data options, reading a data set for a loss (columns,
 * labels checked for the loss kind), checking a model's columns against a file, and the
 * network's outputs over a whole data set. The loss, optimizer and layer options are in
 * {@link Build}, the training settings and the printed metrics in {@link Training}. See SPEC.md,
 * section "Command line".
 */
final class Setup {

    private Setup() {}

    static void dataOptions(Options o, boolean validation) {
        o.value("data", "FILE", null, "training data: CSV with a header");
        o.value("features", "SPEC", null, "feature columns: names, FIRST..LAST ranges or last:k, comma-separated (default: every column that is not a label)");
        o.value("labels", "SPEC", null, "label columns, the same syntax; an empty field or ? is unlabeled (required)");
        if (validation) {
            o.value("validation", "FILE", null, "validation data with the same columns (default: none, or --split)");
            o.value("split", "FRACTION", null, "hold out this fraction of the training rows for validation, chosen by a shuffle from --split-seed");
            o.value("split-seed", "N", "1", "seed of the validation split");
        }
    }

    /** A data set read for a loss: inputs, targets for the loss, the feature names and the output names. */
    static final class Data {
        final double[][] x;
        final Targets t;
        final List<String> features, outputs;
        final String file;
        final int[] lines; // (N) the file line of each row

        Data(double[][] x, Targets t, List<String> features, List<String> outputs, String file, int[] lines) {
            this.x = x;
            this.lines = lines;
            this.t = t;
            this.features = features;
            this.outputs = outputs;
            this.file = file;
        }
    }

    /** Data files of at least this many bytes report their loading on standard error (tests lower it). */
    static long progressBytes = 64L << 20;

    /** Opens a data file and reads its header; the rows are read by {@link #read}, reporting progress to {@code progress} (or not, when null) for a large file. */
    static Csv csv(String file, PrintStream progress) throws IOException {
        Reading.begin(file); // until read ends, an interruption is reported as one while reading this file
        Csv csv = Csv.open(Paths.get(file), progress, progressBytes);
        Reading.opened(csv);
        return csv;
    }

    /** The largest number of softmax classes accepted (a guard against a stray huge class index). */
    static final int MAX_CLASSES = 100_000;

    /**
     * Reads a data set and turns its labels into targets for the loss kind: bce labels must be in
     * [0, 1]; softmax needs one column of class indices 0 … C−1 (C from {@code classes} or the
     * data); mse takes any finite number.
     *
     * @param classes the number of softmax classes, or 0 to take it from the data
     */
    static Data read(Csv csv, List<String> features, List<String> labels, String loss, int classes) throws IOException {
        Dataset d;
        try {
            d = Dataset.fromColumns(csv, features, labels);
        } finally {
            Reading.end();
        }
        return forLoss(d, loss, classes, csv.file);
    }

    static Data read(Csv csv, String featureSpec, String labelSpec, String loss, int classes) throws IOException {
        Dataset d;
        try {
            d = Dataset.from(csv, featureSpec, labelSpec);
        } finally {
            Reading.end();
        }
        return forLoss(d, loss, classes, csv.file);
    }

    /**
     * The label columns of a training command: --labels is required, because the last-column
     * default would silently train on one column and, without --features, use the other label
     * columns as features (a common first mistake, and exit 0 with a useless model).
     */
    static String labels(Options o, Csv csv) throws UsageException {
        if (o.get("labels") != null) return o.get("labels");
        List<String> h = csv.header;
        throw new UsageException("option --labels is required: name the label columns of " + csv.file + ", e.g. --labels " + h.get(h.size() - 1)
            + " or --labels last:2 (its last columns are " + Dataset.abbreviate(h.subList(Math.max(0, h.size() - 3), h.size())) + ")");
    }

    private static Data forLoss(Dataset d, String loss, int classes, String file) throws FormatException {
        if (loss.equals("softmax")) {
            if (d.labels.size() != 1) {
                throw new FormatException(file, 1, 0, "expected one label column of class indices for --loss softmax, found " + d.labels.size() + " (" + d.labels + ")");
            }
            int[] c = new int[d.size()];
            int max = -1;
            for (int n = 0; n < d.size(); n++) {
                if (!d.t.labeled[n][0]) {
                    c[n] = -1;
                    continue;
                }
                double v = d.t.y[n][0];
                if (v != Math.rint(v) || v < 0 || (classes > 0 && v >= classes) || v >= MAX_CLASSES) {
                    throw new FormatException(file, d.lines[n], 0, "column " + d.labels.get(0) + ": expected a class index 0.."
                        + (classes > 0 ? String.valueOf(classes - 1) : String.valueOf(MAX_CLASSES - 1)) + " for --loss softmax, found " + v);
                }
                c[n] = (int) v;
                max = Math.max(max, c[n]);
            }
            int C = classes > 0 ? classes : max + 1;
            if (C < 2) throw new FormatException(file, 0, 0, "expected at least 2 classes for --loss softmax, found " + Math.max(C, 0));
            List<String> names = new ArrayList<String>();
            for (int k = 0; k < C; k++) names.add(d.labels.get(0) + "=" + k);
            return new Data(d.x, Targets.ofClasses(c, C), d.features, names, file, d.lines);
        }
        if (loss.equals("bce")) {
            for (int n = 0; n < d.size(); n++) {
                for (int k = 0; k < d.labels.size(); k++) {
                    double v = d.t.y[n][k];
                    if (d.t.labeled[n][k] && !(v >= 0.0 && v <= 1.0)) {
                        throw new FormatException(file, d.lines[n], 0, "column " + d.labels.get(k) + ": expected a label in [0, 1] (or empty or ? for unlabeled) for --loss bce, found " + v);
                    }
                }
            }
        }
        return new Data(d.x, d.t, d.features, d.labels, file, d.lines);
    }

    /**
     * Checks that the data has every feature column a model reads, naming the model and the
     * columns it reads when one is missing (data and model from different sources).
     */
    static void checkModelColumns(Csv csv, String model, List<String> features) throws FormatException {
        for (String name : features) {
            if (csv.column(name) >= 0) continue;
            String near = csv.closest(name);
            throw new FormatException(csv.file, 1, 0, "expected a column \"" + name + "\" in the header, as the model " + model + " reads "
                + features.size() + " feature columns (" + Dataset.abbreviate(features) + "), found none" + (near == null ? "" : "; did you mean \"" + near + "\"?")
                + " (columns: " + Dataset.abbreviate(csv.header) + "); give data with the model's columns");
        }
    }

    /** The softmax class count given by --classes, or 0. */
    static int classes(Options o) throws UsageException {
        if (o.get("classes") == null) return 0;
        int C = o.integer("classes", 2);
        if (C > MAX_CLASSES) throw new UsageException("option --classes expected at most " + MAX_CLASSES + ", found " + C);
        return C;
    }

    /** Rows per forward pass of {@link #outputs}. */
    static final int CHUNK = 1024;

    /**
     * The network outputs for every row of x (N, I), as (N, K) copies, computed in chunks of
     * {@link #CHUNK} rows: the network's work buffers (which include an (N, I) gradient buffer)
     * then hold one chunk, not a second copy of the whole data. Each row's forward depends on
     * that row only, so the bits are those of one forward over all rows.
     */
    static double[][] outputs(Network net, double[][] x) {
        double[][] z = new double[x.length][];
        for (int from = 0; from < x.length; from += CHUNK) {
            int to = Math.min(x.length, from + CHUNK);
            double[][] a = net.forward(java.util.Arrays.copyOfRange(x, from, to));
            for (int n = from; n < to; n++) z[n] = a[n - from].clone();
        }
        return z;
    }
}
