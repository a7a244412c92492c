package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Init;
import plainnet.Loss;
import plainnet.MeanSquaredError;
import plainnet.Metrics;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Reduction;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Targets;
import plainnet.Trainer;
import plainnet.io.Csv;
import plainnet.io.Dataset;
import plainnet.io.FormatException;
import plainnet.io.ModelFile;

/**
 * What the commands share: the common options, reading data for a loss, building the loss, the
 * optimizer and the new layers, the progress line and the metrics tables. See SPEC.md, section
 * "Command line".
 */
final class Setup {

    private Setup() {}

    /**
     * The CLI's names of the losses (--loss), the one table of its aliases: LOSSES[k] stands for the
     * file name LOSS_NAMES[k]. Model files use only the file names; --reduction and the activations
     * of --hidden take the file names, and --hidden also UNITS:leaky_relu(SLOPE) (see {@link #activation}).
     */
    static final String[] LOSSES = {"bce", "softmax", "mse"};
    static final String[] LOSS_NAMES = {BinaryCrossEntropy.NAME, SoftmaxCrossEntropy.NAME, MeanSquaredError.NAME};
    static final String[] REDUCTIONS = reductionNames();
    static final String[] OPTIMIZERS = {"adam", "sgd", "momentum"};

    // ----------------------------------------------------------------------------------------
    // options

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

    static void lossOptions(Options o) {
        o.value("loss", "NAME", "bce", "bce (binary cross-entropy, one sigmoid output per label column), softmax (one class-index column), mse");
        o.value("reduction", "NAME", "per_example", "per_example (sum over labeled entries / rows), mean_labeled, mean_all, sum");
        o.value("task-weight", "W1,W2,..", null, "bce/mse: one weight >= 0 per label column");
        o.value("pos-weight", "P1,P2,..", null, "bce: one positive-class weight > 0 per label column (PyTorch's pos_weight)");
        o.value("classes", "C", null, "softmax: the number of classes (default: the largest class index in the data + 1)");
    }

    static void trainingOptions(Options o) {
        o.value("optimizer", "NAME", "adam", "adam, sgd or momentum");
        o.value("lr", "RATE", "0.005", "learning rate");
        o.value("momentum", "MU", "0.9", "momentum (optimizer momentum)");
        o.value("weight-decay", "LAMBDA", "0", "L2 weight decay on W (coupled: added to the gradient)");
        o.flag("decoupled", "make the weight decay decoupled (AdamW-style)");
        o.value("epochs", "E", "10", "epochs");
        o.value("batch", "B", "32", "mini-batch size");
        o.value("seed", "N", "1", "seed of the shuffle and of new layers' weights");
        o.value("decay-every", "E", "0", "multiply the learning rate by --decay-factor every E epochs (0: constant)");
        o.value("decay-factor", "G", "0.1", "the step-decay factor, in (0, 1]");
        o.value("patience", "P", "0", "early stopping: stop after P epochs without a lower validation loss and keep the best weights (0: off)");
        o.value("threads", "T", "1", "threads per training step (the results are bit-identical for any count)");
        o.value("out", "FILE", null, "where to write the trained model (JSON; written atomically)");
        o.flag("save-diverged", "when training diverges, replace an existing --out with the weights kept (default: leave it unchanged)");
        o.flag("quiet", "no progress lines on standard error");
    }

    // ----------------------------------------------------------------------------------------
    // data

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
        return Csv.open(Paths.get(file), progress, progressBytes);
    }

    /** The largest number of softmax classes accepted (a guard against a stray huge class index). */
    static final int MAX_CLASSES = 100_000;
    /** The largest layer width accepted by --hidden. */
    static final int MAX_UNITS = 1_000_000;

    /**
     * Reads a data set and turns its labels into targets for the loss kind: bce labels must be in
     * [0, 1]; softmax needs one column of class indices 0 … C−1 (C from {@code classes} or the
     * data); mse takes any finite number.
     *
     * @param classes the number of softmax classes, or 0 to take it from the data
     */
    static Data read(Csv csv, List<String> features, List<String> labels, String loss, int classes) throws IOException {
        Dataset d = Dataset.fromColumns(csv, features, labels);
        return forLoss(d, loss, classes, csv.file);
    }

    static Data read(Csv csv, String featureSpec, String labelSpec, String loss, int classes) throws IOException {
        Dataset d = Dataset.from(csv, featureSpec, labelSpec);
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
            + " or --labels last:2 (its last columns are " + abbreviate(h.subList(Math.max(0, h.size() - 3), h.size())) + ")");
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
                + features.size() + " feature columns (" + abbreviate(features) + "), found none" + (near == null ? "" : "; did you mean \"" + near + "\"?")
                + " (columns: " + abbreviate(csv.header) + "); give data with the model's columns");
        }
    }

    static String abbreviate(List<String> names) {
        if (names.size() <= 8) return String.join(", ", names);
        return String.join(", ", names.subList(0, 3)) + ", …, " + String.join(", ", names.subList(names.size() - 3, names.size()));
    }

    /** The softmax class count given by --classes, or 0. */
    static int classes(Options o) throws UsageException {
        if (o.get("classes") == null) return 0;
        int C = o.integer("classes", 2);
        if (C > MAX_CLASSES) throw new UsageException("option --classes expected at most " + MAX_CLASSES + ", found " + C);
        return C;
    }

    // ----------------------------------------------------------------------------------------
    // loss, optimizer, layers

    /** The loss of the options for K outputs; K &lt; 0 only checks the options. */
    static Loss loss(Options o, int K) throws UsageException {
        String kind = o.choice("loss", LOSSES);
        Reduction r = Reduction.parse(o.choice("reduction", REDUCTIONS));
        double[] w = o.numbers("task-weight");
        double[] p = o.numbers("pos-weight");
        if (p != null && !kind.equals("bce")) throw new UsageException("option --pos-weight applies to --loss bce only");
        if (w != null && kind.equals("softmax")) throw new UsageException("option --task-weight applies to --loss bce and mse only");
        if (K < 0) {
            w = null;
            p = null;
        }
        if (w != null && w.length != K) throw new UsageException("option --task-weight expected " + K + " weights (one per label column), found " + w.length);
        if (p != null && p.length != K) throw new UsageException("option --pos-weight expected " + K + " weights (one per label column), found " + p.length);
        try {
            if (kind.equals("bce")) return new BinaryCrossEntropy(r, w, p);
            if (p != null) throw new UsageException("option --pos-weight applies to --loss bce only");
            if (kind.equals("mse")) return new MeanSquaredError(r, w);
            if (w != null) throw new UsageException("option --task-weight applies to --loss bce and mse only");
            return new SoftmaxCrossEntropy(r);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The CLI's name of a model's loss: bce, softmax or mse. */
    static String kind(Loss loss) {
        for (int k = 0; k < LOSSES.length; k++) if (LOSS_NAMES[k].equals(loss.name())) return LOSSES[k];
        throw new AssertionError(loss.name());
    }

    private static String[] reductionNames() {
        Reduction[] r = Reduction.values();
        String[] names = new String[r.length];
        for (int i = 0; i < r.length; i++) names[i] = r[i].fileName();
        return names;
    }

    static Optimizer optimizer(Options o, double lr) throws UsageException {
        String kind = o.choice("optimizer", OPTIMIZERS);
        double lambda = o.number("weight-decay", 0.0, false);
        double mu = o.number("momentum", 0.0, false);
        if (mu >= 1.0) throw new UsageException("option --momentum expected a number in [0, 1), found " + mu);
        Optimizer opt = kind.equals("sgd") ? Optimizer.sgd(lr) : kind.equals("momentum") ? Optimizer.momentum(lr, mu) : Optimizer.adam(lr);
        return lambda == 0.0 && !o.has("decoupled") ? opt : opt.withWeightDecay(lambda, o.has("decoupled"));
    }

    /** Copies the training options into tr; with tr null only checks them. */
    static void settings(Options o, Trainer tr) throws UsageException {
        int epochs = o.integer("epochs", 1), batch = o.integer("batch", 1), decayEvery = o.integer("decay-every", 0), patience = o.integer("patience", 0);
        long seed = o.longValue("seed");
        double decayFactor = o.number("decay-factor", 0.0, true);
        if (decayFactor > 1.0) throw new UsageException("option --decay-factor expected a number in (0, 1], found " + decayFactor);
        int threads = o.integer("threads", 1);
        if (threads > 256) throw new UsageException("option --threads expected at most 256, found " + threads);
        if (tr == null) return;
        tr.threads = threads;
        tr.epochs = epochs;
        tr.batch = batch;
        tr.seed = seed;
        tr.decayEvery = decayEvery;
        tr.decayFactor = decayFactor;
        tr.patience = patience;
    }

    /**
     * Layers from a spec like {@code 32:tanh,16:relu,8:leaky_relu(0.2)} on top of {@code inputs}
     * inputs, drawn from {@code rng} in order; an empty spec gives none.
     */
    static List<Dense> hidden(String spec, int inputs, Rng rng, String option) throws UsageException {
        List<Dense> layers = new ArrayList<Dense>();
        if (spec == null || spec.trim().isEmpty()) return layers;
        int in = inputs;
        for (String item : spec.split(",", -1)) {
            String[] parts = item.trim().split(":", 2);
            int units;
            try {
                units = Integer.parseInt(parts[0].trim());
            } catch (NumberFormatException e) {
                units = -1;
            }
            if (units < 1 || units > MAX_UNITS) throw new UsageException("option --" + option + " expected UNITS:ACTIVATION items like 32:tanh with 1 <= UNITS <= " + MAX_UNITS + ", found '" + item.trim() + "'");
            Activation f = activation(parts.length > 1 ? parts[1].trim() : "tanh", option);
            if (rng != null) layers.add(new Dense(in, units, f, Init.defaultFor(f), rng));
            in = units;
        }
        return layers;
    }

    static Activation activation(String name, String option) throws UsageException {
        if (name.startsWith("leaky_relu(") && name.endsWith(")")) {
            String slope = name.substring(11, name.length() - 1);
            try {
                return Activation.leakyRelu(Double.parseDouble(slope));
            } catch (NumberFormatException e) {
                throw new UsageException("option --" + option + " expected leaky_relu(SLOPE) with a number SLOPE, found '" + name + "'");
            } catch (IllegalArgumentException e) {
                throw new UsageException("option --" + option + ": " + e.getMessage());
            }
        }
        try {
            return Activation.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --" + option + " expected an activation identity, relu, leaky_relu, leaky_relu(SLOPE), sigmoid or tanh, found '" + name + "'");
        }
    }

    // ----------------------------------------------------------------------------------------
    // reporting

    /** The progress line of an epoch; the main metric is the validation accuracy (mean over tasks for bce). */
    static Trainer.Epoch progress(PrintStream err, Trainer.Epoch e, int epochs, Loss loss, Targets tVal) {
        String metric = "";
        if (e.validationOutput != null && !(loss instanceof MeanSquaredError)) {
            metric = String.format(Locale.ROOT, "  val acc %.4f", mainAccuracy(loss, e.validationOutput, tVal));
        }
        // Time left: the mean time of the epochs so far, times the epochs still to run.
        double left = e.elapsed / e.epoch * (epochs - e.epoch);
        err.printf(Locale.ROOT, "epoch %d/%d  lr %.3g  train loss %s%s%s  %.1f s  %.0f ex/s  %.0f s left%n", e.epoch, epochs, e.lr, fixed(e.trainLoss, 5),
            Double.isNaN(e.validationLoss) ? "" : "  val loss " + fixed(e.validationLoss, 5), metric, e.elapsed, e.examplesPerSecond, left);
        return e;
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

    /** Softmax accuracy, or the mean over tasks of the binary accuracies (tasks without labels left out). */
    static double mainAccuracy(Loss loss, double[][] z, Targets t) {
        if (loss instanceof SoftmaxCrossEntropy) return Metrics.classes(z, t).accuracy;
        double sum = 0.0;
        int count = 0;
        for (Metrics.Binary b : Metrics.binary(z, t)) {
            if (b.count == 0) continue;
            sum += b.accuracy;
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The metrics table of outputs z against targets t. */
    static String metrics(Loss loss, double[][] z, Targets t, List<String> names) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "loss (%s, %s): %s%n", loss.name(), loss.reduction().fileName(), fixed(loss.forward(z, t), 6)));
        int width = 4;
        for (String n : names) width = Math.max(width, n.length());
        if (loss instanceof SoftmaxCrossEntropy) {
            Metrics.Classes c = Metrics.classes(z, t);
            s.append(String.format(Locale.ROOT, "accuracy %s (%d of %d labeled rows)%n", num(c.accuracy), c.correct, c.count));
            s.append("confusion matrix (rows: label, columns: prediction)\n");
            s.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
            for (int k = 0; k < names.size(); k++) s.append(String.format(Locale.ROOT, " %6d", k));
            s.append('\n');
            for (int k = 0; k < names.size(); k++) {
                s.append(String.format(Locale.ROOT, "%-" + width + "s", names.get(k)));
                for (int j = 0; j < names.size(); j++) s.append(String.format(Locale.ROOT, " %6d", c.confusion[k][j]));
                s.append('\n');
            }
        } else if (loss instanceof BinaryCrossEntropy) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s %8s %9s %8s %8s %9s %8s %8s %8s%n", "task", "labeled", "positives", "loss", "accuracy", "precision", "recall", "f1", "auc"));
            Metrics.Binary[] m = Metrics.binary(z, t);
            BinaryCrossEntropy bce = (BinaryCrossEntropy) loss;
            double[] pw = bce.posWeight();
            for (int k = 0; k < m.length; k++) {
                // The task's own loss: the mean of ℓ over its labeled entries (pos_weight included, task weight not).
                double sum = 0.0;
                for (int n = 0; n < z.length; n++) if (t.labeled[n][k]) sum += BinaryCrossEntropy.term(z[n][k], t.y[n][k], pw == null ? 1.0 : pw[k]);
                s.append(String.format(Locale.ROOT, "%-" + width + "s %8d %9d %8s %8s %9s %8s %8s %8s%n", names.get(k), m[k].count, m[k].positives,
                    num(m[k].count == 0 ? Double.NaN : sum / m[k].count), num(m[k].accuracy), num(m[k].precision), num(m[k].recall), num(m[k].f1), num(m[k].auc)));
            }
        } else {
            s.append(String.format(Locale.ROOT, "%-" + width + "s %8s %12s%n", "output", "labeled", "mean sq err"));
            for (int k = 0; k < names.size(); k++) {
                double sum = 0.0;
                int count = 0;
                for (int n = 0; n < z.length; n++) {
                    if (!t.labeled[n][k]) continue;
                    double e = z[n][k] - t.y[n][k];
                    sum += e * e;
                    count++;
                }
                s.append(String.format(Locale.ROOT, "%-" + width + "s %8d %12s%n", names.get(k), count, num(count == 0 ? Double.NaN : sum / count)));
            }
        }
        return s.toString();
    }

    /** A metric with 4 decimals, or "-" when undefined. */
    static String num(double v) {
        return Double.isNaN(v) ? "-" : fixed(v, 4);
    }

    /**
     * A number with the given decimals, but in the short form 1.2346e+302 from 10⁶ on, so that a
     * blown-up loss prints a dozen characters, not 300 digits.
     */
    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, Math.abs(v) >= 1e6 ? "%.4e" : "%." + decimals + "f", v);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
