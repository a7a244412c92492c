package plainnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import plainnet.Targets;
import plainnet.Trainer;
import plainnet.demo.Svg;
import plainnet.io.FormatException;
import plainnet.io.TextFiles;
import plainnet.kinds.Kind;

/**
 * The training history of {@code train} and {@code transfer} ({@code --history FILE}): one CSV
 * line per epoch, numbered across the stages, and a chart of the losses beside it in FILE.svg
 * (FILE without its ".csv"), so that under- and over-training can be seen. See SPEC.md §21,
 * "Training history".
 *
 * <pre>
 *   epoch,stage,trainable_from,lr,train_loss,val_loss,val_accuracy,kept,seconds     (val_mse for mse)
 * </pre>
 */
final class History {

    /** One epoch's line. */
    private static final class Row {
        final int epoch, stage, trainableFrom;
        final double lr, trainLoss, valLoss, seconds;
        final double[] metric; // one per metric column

        Row(int epoch, int stage, int trainableFrom, double lr, double trainLoss, double valLoss, double[] metric, double seconds) {
            this.epoch = epoch;
            this.stage = stage;
            this.trainableFrom = trainableFrom;
            this.lr = lr;
            this.trainLoss = trainLoss;
            this.valLoss = valLoss;
            this.metric = metric;
            this.seconds = seconds;
        }
    }

    private final Path csv, svg;
    private final Kind kind;            // the loss's kind, or null for groups
    private final List<String> columns; // the metric columns' names
    private final long start = System.nanoTime();
    private final List<Row> rows = new ArrayList<Row>();
    /** The epoch whose weights were saved, 0 for none. */
    int kept;

    private History(Path csv, Path svg, Kind kind, List<String> columns) {
        this.csv = csv;
        this.svg = svg;
        this.kind = kind;
        this.columns = columns;
    }

    /** FILE.svg beside FILE: FILE's ".csv" replaced by ".svg", or ".svg" appended. */
    static Path chartOf(String file) {
        return Paths.get(file.endsWith(".csv") ? file.substring(0, file.length() - 4) + ".svg" : file + ".svg");
    }

    /**
     * The history of --history, or null without it, checked as an --out is (SPEC.md §21) before
     * any work: both files must be writable, neither an input nor the --out model.
     */
    static History of(Options o, Kind kind, String outFile, String... inputs) throws UsageException, FormatException {
        return of(o, kind, java.util.Collections.singletonList("val_" + kind.metricName()), outFile, inputs);
    }

    /**
     * The history of a model of several output groups (SPEC.md §27.7): one metric column per group,
     * {@code val_NAME_accuracy} or {@code val_NAME_mse}, its kind's metric of its columns.
     */
    static History ofGroups(Options o, List<String> columns, String outFile, String... inputs) throws UsageException, FormatException {
        return of(o, null, columns, outFile, inputs);
    }

    private static History of(Options o, Kind kind, List<String> columns, String outFile, String... inputs) throws UsageException, FormatException {
        String file = o.get("history");
        if (file == null) return null;
        Path csv = Paths.get(file), svg = chartOf(file);
        if (Files.isDirectory(csv)) { // checkOutput's hint names a model file; this one is a CSV
            throw new FormatException(file, 0, 0, "expected a file to write to, found a folder; give a file name in it, e.g. " + csv.resolve("history.csv"));
        }
        TextFiles.checkOutput(csv, "--history", inputs);
        TextFiles.checkOutput(svg, "--history (its chart " + svg + ")", inputs);
        for (Path p : Arrays.asList(csv, svg)) {
            if (same(p, Paths.get(outFile))) {
                throw new UsageException("option --history expected files other than the --out model " + outFile + ", found " + p + " (the same file)");
            }
        }
        return new History(csv, svg, kind, columns);
    }

    /** The same file: the same path once normalised, or (when both exist) the same file through a link. */
    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) return true;
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The number of epochs recorded so far (the next stage's epochs follow them). */
    int epochs() {
        return rows.size();
    }

    /** Records an epoch of stage {@code stage}, its number offset by the earlier stages' epochs; trainableFrom is the lowest trainable layer. */
    void add(Trainer.Epoch e, int offset, int stage, int trainableFrom, Targets tVal) {
        double metric = e.validationOutput == null ? Double.NaN : kind.metric(e.validationOutput, tVal);
        rows.add(new Row(offset + e.epoch, stage, trainableFrom, e.lr, e.trainLoss, e.validationLoss, new double[] {metric}, (System.nanoTime() - start) / 1e9));
    }

    /** Records an epoch of a model of groups: its losses and each group's metric (NaN without validation data). */
    void add(int epoch, int stage, int trainableFrom, double lr, double trainLoss, double valLoss, double[] metrics) {
        rows.add(new Row(epoch, stage, trainableFrom, lr, trainLoss, valLoss, metrics, (System.nanoTime() - start) / 1e9));
    }

    /** Writes the CSV and the chart, each atomically. */
    void write() throws IOException {
        StringBuilder s = new StringBuilder("epoch,stage,trainable_from,lr,train_loss,val_loss," + String.join(",", columns) + ",kept,seconds\n");
        for (Row r : rows) {
            s.append(r.epoch).append(',').append(r.stage).append(',').append(r.trainableFrom).append(',').append(r.lr).append(',')
                .append(r.trainLoss).append(',').append(number(r.valLoss)).append(',');
            for (double m : r.metric) s.append(number(m)).append(',');
            s.append(r.epoch == kept ? 1 : 0).append(',').append(String.format(Locale.ROOT, "%.3f", r.seconds)).append('\n');
        }
        TextFiles.writeAtomically(csv, s.toString());
        TextFiles.writeAtomically(svg, chart());
    }

    /** Double.toString, or an empty field for a value that is not there (no validation data). */
    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** The train and validation losses over the epochs; a loss that is not finite is drawn at the top. */
    private String chart() {
        int E = rows.size();
        String[] epochs = new String[E];
        double[] train = new double[E], val = new double[E], zero = new double[E];
        double top = 0.0;
        boolean validation = false;
        for (int j = 0; j < E; j++) {
            Row r = rows.get(j);
            epochs[j] = String.valueOf(r.epoch);
            train[j] = r.trainLoss;
            val[j] = r.valLoss;
            validation |= !Double.isNaN(r.valLoss);
            for (double v : new double[] {r.trainLoss, r.valLoss}) if (v <= Double.MAX_VALUE) top = Math.max(top, v);
        }
        if (!(top > 0.0)) top = 1.0;
        for (int j = 0; j < E; j++) {
            if (!(train[j] <= Double.MAX_VALUE)) train[j] = top * 1.05;
            if (!(val[j] <= Double.MAX_VALUE)) val[j] = top * 1.05;
        }
        List<Svg.Series> series = new ArrayList<Svg.Series>();
        series.add(new Svg.Series("train loss", train, zero));
        if (validation) series.add(new Svg.Series("validation loss", val, zero));
        String title = "training history" + (kept > 0 ? ": weights of epoch " + kept + " kept" : "");
        return Svg.lines(title, "epoch", "loss", epochs, series, 0.0, top * 1.05, kept - 1); // the kept epoch's line is its index + 1
    }
}
