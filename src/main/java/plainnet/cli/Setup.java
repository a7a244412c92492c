package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import plainnet.Network;
import plainnet.Targets;
import plainnet.io.Csv;
import plainnet.io.Dataset;
import plainnet.io.FormatException;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

/**
 * The data side of the commands: the data options, reading a data set for a loss (columns,
 * labels checked for the loss kind), checking a model's columns against a file, and the
 * network's outputs over a whole data set. The loss, optimizer and layer options are in
 * {@link Build}, the training settings and the printed metrics in {@link Training}. See SPEC.md,
 * section "Command line".
 */
final class Setup {

    private Setup() {}

    static void dataOptions(Options o, String featuresDefault) {
        o.value("data", "FILE", null, "training data: CSV with a header");
        o.value("features", "SPEC", null, "feature columns: names, FIRST..LAST ranges or last:k, comma-separated, or all for every column that is not a label ("
            + featuresDefault + ")");
        o.value("labels", "SPEC", null, "label columns, the same syntax; an empty field or ? is unlabeled (required)");
        o.value("validation", "FILE", null, "validation data with the same columns (default: none, or --split)");
        o.value("split", "FRACTION", null, "hold out this fraction of the training rows for validation, chosen by a shuffle from --split-seed");
        o.value("split-seed", "N", "1", "seed of the validation split");
    }

    /** A data set read for a loss: inputs, targets for the loss, the feature names and the output names. */
    static final class Data {
        final double[][] x;
        final Targets t;
        final List<String> features, outputs;
        final String file;
        final int[] lines; // (N) the file line of each row
        final int[] groupK; // (G) K_g of each output group (one for --labels), or null for compare-tasks' rows of one group, which nothing reads it from

        Data(double[][] x, Targets t, List<String> features, List<String> outputs, String file, int[] lines) {
            this(x, t, features, outputs, file, lines, null);
        }

        Data(double[][] x, Targets t, List<String> features, List<String> outputs, String file, int[] lines, int[] groupK) {
            this.groupK = groupK;
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
    static final int MAX_CLASSES = Kinds.MAX_CLASSES;

    /**
     * Reads a data set and turns its labels into targets for the loss kind (SPEC.md §27.7): bce
     * labels must be in [0, 1]; softmax needs one column of class indices 0 … C−1 (C from
     * {@code classes} or the data); mse takes any finite number. The labels are checked row by row
     * while the file streams ({@link LabelCheck}), so a label that does not fit the loss is
     * reported at its line before the rest of the file is read.
     *
     * @param classes the number of softmax classes, or 0 to take it from the data
     * @param from    where the loss kind comes from, as messages name it: "--loss", or "the model's
     *                loss" (evaluate; transfer without --loss), or "the loss" (transfer's bce chosen for a
     *                softmax model's several label columns)
     * @param option  true when --loss can change the loss kind (train, transfer): messages then hint
     *                at the kind that fits; false for a model's loss (evaluate)
     */
    static Data read(Csv csv, List<String> features, List<String> labels, Kind kind, int classes, String from, boolean option) throws IOException {
        return read(csv, features, labels, kind, classes, from, option ? k -> "--loss " + k : null);
    }

    /**
     * {@link #read} whose hints name the kind that fits as {@code option} writes it: {@code
     * compare-tasks} takes only bce and mse with --loss and a softmax column as a --group.
     *
     * @param option the option that gives a kind (its name in, the option's text out), or null for no hint
     */
    static Data read(Csv csv, List<String> features, List<String> labels, Kind kind, int classes, String from, java.util.function.Function<String, String> option)
        throws IOException {
        if (kind.oneLabelColumn() && labels.size() != 1) {
            throw new FormatException(csv.file, 1, 0, "expected one label column of class indices for " + from + " " + kind.name() + ", found "
                + labels.size() + " (" + Dataset.abbreviate(labels) + ")" + (option != null ? "; give one column in --labels, or " + option.apply("bce") + " for several 0/1 columns" : ""));
        }
        Columns c = new Columns(kind, labels, classes, from + " " + kind.name(), option, null);
        return readGroups(csv, features, Collections.singletonList(c), option != null);
    }

    /** Columns c … c + L − 1 of t (N, ·), copied: (N, L). */
    private static Targets columns(Targets t, int c, int L) {
        double[][] y = new double[t.rows()][];
        boolean[][] m = new boolean[t.rows()][];
        for (int n = 0; n < y.length; n++) {
            y[n] = java.util.Arrays.copyOfRange(t.y[n], c, c + L);
            m[n] = java.util.Arrays.copyOfRange(t.labeled[n], c, c + L);
        }
        return new Targets(y, m);
    }

    /**
     * One output group's label columns for {@link #readGroups}: its kind, the columns (empty when
     * the data has none of them: the group is then unlabeled in every row), the number of softmax
     * classes or 0 (the data decides), how messages name the group and how a hint names another
     * kind for it; {@code outputs} the group's output names when they are known (a model's), else null.
     */
    static final class Columns {
        final Kind kind;
        final List<String> labels;
        final int classes;
        final String said;
        final java.util.function.Function<String, String> option;
        final List<String> outputs;

        Columns(Kind kind, List<String> labels, int classes, String said, java.util.function.Function<String, String> option, List<String> outputs) {
            this.kind = kind;
            this.labels = labels;
            this.classes = classes;
            this.said = said;
            this.option = option;
            this.outputs = outputs;
        }
    }

    /**
     * Reads a data set for several output groups (SPEC.md §27.7): every group's label columns are
     * checked by its kind as the file streams, then turned into the targets its loss reads (a
     * softmax group's class column into C one-hot columns), side by side in group order: t (N, Σ K_g)
     * and the output names. A group without columns in the data is unlabeled in every row.
     *
     * @param option true when the kinds come from options (train, transfer): messages then hint at the kind that fits
     */
    static Data readGroups(Csv csv, List<String> features, List<Columns> groups, boolean option) throws IOException {
        List<String> all = new ArrayList<String>();
        List<Part> parts = new ArrayList<Part>();
        for (Columns c : groups) {
            if (c.kind.oneLabelColumn() && c.labels.size() > 1) {
                throw new FormatException(csv.file, 1, 0, "expected one label column of class indices for " + c.said + ", found "
                    + c.labels.size() + " (" + Dataset.abbreviate(c.labels) + ")");
            }
            for (String name : c.labels) {
                if (all.contains(name)) throw new FormatException(csv.file, 1, 0, "expected each label column in one group only, found \"" + name + "\" twice (" + c.said + ")");
                all.add(name);
                parts.add(new Part(c.kind, c.classes, c.labels.size(), c.said, c.option));
            }
        }
        Dataset d;
        try {
            d = all.isEmpty() ? Dataset.features(csv, features) : Dataset.fromColumns(csv, features, all, new LabelCheck(parts, all, option));
        } finally {
            Reading.end();
        }
        int N = d.x.length, G = groups.size();
        Targets[] tg = new Targets[G];
        int[] K = new int[G];
        List<String> names = new ArrayList<String>();
        int column = 0; // the group's first column of d.t
        for (int g = 0; g < G; g++) {
            Columns c = groups.get(g);
            int L = c.labels.size();
            if (L == 0) {
                K[g] = c.outputs.size();
                tg[g] = new Targets(new double[N][K[g]], new boolean[N][K[g]]);
            } else {
                Targets raw = G == 1 ? d.t : columns(d.t, column, L); // one group: every label column, not copied
                K[g] = c.kind.outputs(raw, c.classes);
                if (K[g] < c.kind.minOutputs()) {
                    throw new FormatException(csv.file, 0, 0, "expected at least " + c.kind.minOutputs() + " classes for " + c.said + ", found " + Math.max(K[g], 0));
                }
                tg[g] = c.kind.targets(raw, K[g]);
                column += L;
            }
            names.addAll(c.outputs != null ? c.outputs : c.kind.outputNames(c.labels, K[g]));
        }
        if (G == 1) return new Data(d.x, tg[0], features, names, csv.file, d.lines, K);
        int total = names.size();
        double[][] y = new double[N][total];      // (N, Σ K_g)
        boolean[][] m = new boolean[N][total];    // (N, Σ K_g)
        int c0 = 0;
        for (int g = 0; g < G; g++) {
            for (int n = 0; n < N; n++) {
                System.arraycopy(tg[g].y[n], 0, y[n], c0, K[g]);
                System.arraycopy(tg[g].labeled[n], 0, m[n], c0, K[g]);
            }
            c0 += K[g];
        }
        return new Data(d.x, new Targets(y, m), features, names, csv.file, d.lines, K);
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

    /**
     * The feature columns of {@code train}: --features is required, so that no label column of a
     * file with several (e.g. a digit and tasks computed from it) becomes an input unnoticed. The
     * message lists, as ranges, the columns {@code --features all} would take (SPEC.md, section 21).
     */
    static List<String> features(Options o, Csv csv, List<String> labels) throws UsageException, FormatException {
        if (o.get("features") != null) return Dataset.selectFeatures(csv, o.get("features"), labels);
        List<String> rest = Dataset.selectFeatures(csv, Dataset.ALL, labels);
        if (rest.isEmpty()) throw new UsageException("option --features is required, but every column of " + csv.file + " is a label column");
        String all = Dataset.ranges(csv, rest);
        String first = Dataset.ranges(csv, rest.subList(0, runLength(csv, rest)));
        throw new UsageException("option --features is required, so that no label column becomes an input unnoticed: the columns of " + csv.file
            + " that are not " + (o.has("group") ? "label columns of a --group" : "--labels") + " are " + rest.size() + " (" + all + "); name the inputs, e.g. --features " + first + ", or give --features all to take all "
            + rest.size());
    }

    /** The length of the first run of header neighbours in columns (at least 1). */
    private static int runLength(Csv csv, List<String> columns) {
        int j = 1;
        while (j < columns.size() && csv.column(columns.get(j)) == csv.column(columns.get(j - 1)) + 1) j++;
        return j;
    }

    /**
     * Prints, as training starts, the columns the network will read and learn, as ranges (the
     * same are saved in the model's {@code features} and {@code tasks}); nothing when progress is
     * null (--quiet).
     */
    static void announce(PrintStream progress, Csv csv, List<String> labels, Data d, String loss) {
        if (progress == null) return;
        int I = d.features.size(), K = d.outputs.size();
        progress.println("plainnet: " + csv.file + ": features " + I + " column" + (I == 1 ? "" : "s") + " (" + Dataset.ranges(csv, d.features)
            + "), labels " + Dataset.ranges(csv, labels) + " (" + K + " output" + (K == 1 ? "" : "s") + "), loss " + loss);
    }

    /**
     * The label columns of one loss kind among a row's labels, for {@link LabelCheck}: the kind,
     * its classes (softmax; 0 when the data decides), how many columns it reads, how messages name
     * it ("--loss bce", "the model's loss softmax", "--group digit (softmax)") and how a hint names
     * another kind ("--loss mse"; null: no hint, the kind is not the user's to change).
     */
    static final class Part {
        final Kind kind;
        final int classes, columns;
        final String said;
        final java.util.function.Function<String, String> option;

        Part(Kind kind, int classes, int columns, String said, java.util.function.Function<String, String> option) {
            this.kind = kind;
            this.classes = classes;
            this.columns = columns;
            this.said = said;
            this.option = option;
        }
    }

    /**
     * Checks each row's labels for their loss kind as the file streams, with a hint at the kind
     * that fits when one does (the kind's {@link Kind#hint}): a bce label that is a class index 2,
     * 3, … of a single column suggests softmax; any other number outside [0, 1] suggests mse; a
     * softmax label in [0, 1] that is not a whole number suggests bce (SPEC.md, section 21). The
     * message names where the loss kind came from (--loss, a --group, or the model's loss when
     * transfer has no --loss). For a model's loss (evaluate, gradcheck), which no option changes,
     * it gives no hint.
     */
    static final class LabelCheck implements Dataset.LabelCheck {
        private final Part[] part; // (labels) the part each label column belongs to
        private final List<String> labels;
        private final boolean option;

        /** parts.get(j) for label column j. */
        LabelCheck(List<Part> parts, List<String> labels, boolean option) {
            this.part = parts.toArray(new Part[0]);
            this.labels = labels;
            this.option = option;
        }

        @Override
        public void row(String file, int line, double[] y, boolean[] labeled) throws FormatException {
            for (int k = 0; k < y.length; k++) {
                if (!labeled[k]) continue;
                double v = y[k];
                Part p = part[k];
                if (p.kind.accepts(v, p.classes)) continue;
                throw new FormatException(file, line, 0, "column " + labels.get(k) + ": expected " + p.kind.expectedLabel(p.classes) + " for " + p.said + ", found "
                    + v + (option && p.option != null ? p.kind.hint(v, p.columns, p.option) : ""));
            }
        }
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
        return outputs(net::forward, x);
    }

    /** {@link #outputs(Network, double[][])} of any network's forward pass (a task network's too). */
    static double[][] outputs(java.util.function.UnaryOperator<double[][]> forward, double[][] x) {
        double[][] z = new double[x.length][];
        for (int from = 0; from < x.length; from += CHUNK) {
            int to = Math.min(x.length, from + CHUNK);
            double[][] a = forward.apply(java.util.Arrays.copyOfRange(x, from, to));
            for (int n = from; n < to; n++) z[n] = a[n - from].clone();
        }
        return z;
    }
}
