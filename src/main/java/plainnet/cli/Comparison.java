package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import plainnet.Loss;
import plainnet.Metrics;
import plainnet.Targets;
import plainnet.demo.Protocol;
import plainnet.demo.Svg;
import plainnet.io.FormatException;
import plainnet.io.TextFiles;

/**
 * What the two comparison commands share ({@code transfer --strategy auto} and
 * {@code compare-tasks}, SPEC.md §21): their protocol options, the repeats' validation splits of
 * the user's rows, the validation metric, the pool that runs the independent runs, and the
 * {@code --history} of every run. The protocol itself is {@link Protocol} (SPEC.md §20), the one
 * {@code make demo} uses.
 */
final class Comparison {

    private Comparison() {}

    /** The largest --repeats (each repeat is a full set of runs). */
    static final int MAX_REPEATS = 100;
    /** The --split of a comparison when none is given. */
    static final String SPLIT = "0.2";

    /** Declares --repeats, --rates and --steps (the data, seed, batch and thread options are the command's own). */
    static void options(Options o, String command) {
        o.value("repeats", "R", "3", command + ": the validation splits (repeats), each carved from the training rows by a shuffle from --split-seed + r");
        o.value("rates", "R1,R2,..", "0.005,0.02", command + ": every run trains once at each rate and keeps the one with the lowest validation loss");
        o.value("steps", "S", String.valueOf(Protocol.STEPS), command + ": about how many training steps each run takes (early stopping may end it sooner)");
    }

    /** The protocol of --rates, --steps and --batch, checked. */
    static Protocol protocol(Options o) throws UsageException {
        double[] rates = o.numbers("rates");
        if (rates == null || rates.length == 0) throw new UsageException("option --rates expected one or more learning rates, e.g. 0.005,0.02, found none");
        for (double lr : rates) {
            if (!(lr > 0.0) || Double.isInfinite(lr)) throw new UsageException("option --rates expected learning rates > 0, found " + lr);
        }
        return new Protocol(rates, o.integer("steps", 1), o.integer("batch", 1));
    }

    /** --repeats, 2 to MAX_REPEATS (a standard error needs two). */
    static int repeats(Options o) throws UsageException {
        int R = o.integer("repeats", 2);
        if (R > MAX_REPEATS) throw new UsageException("option --repeats expected at most " + MAX_REPEATS + ", found " + R);
        return R;
    }

    /** The --split fraction (default {@link #SPLIT}), in (0, 1). */
    static double fraction(Options o) throws UsageException {
        double f = o.get("split") == null ? Double.parseDouble(SPLIT) : o.number("split", 0.0, true);
        if (f >= 1.0) throw new UsageException("option --split expected a fraction in (0, 1), found " + f);
        return f;
    }

    /**
     * The splits of R repeats over N rows: repeat r shuffles 0 … N−1 with Rng(seed + r) and takes
     * V = round(F·N) validation rows ({@link Protocol#split}).
     *
     * @return {validation rows (R, V), training rows (R, N − V)}
     */
    static int[][][] splits(int N, double F, long seed, int R) throws UsageException {
        long V = Math.round(F * N);
        if (V < 1 || V > N - 1) {
            throw new UsageException("option --split expected a fraction leaving rows on both sides of " + N + " rows, found " + F + " (" + V + " validation rows)");
        }
        int[] all = new int[N];
        for (int n = 0; n < N; n++) all[n] = n;
        int[][][] s = new int[2][R][];
        for (int r = 0; r < R; r++) {
            int[][] split = Protocol.split(all, (int) V, seed + r);
            s[0][r] = split[0];
            s[1][r] = split[1];
        }
        return s;
    }

    /** The rates of the search, as "0.005, 0.02". */
    static String rates(Protocol p) {
        StringBuilder s = new StringBuilder();
        for (double lr : p.rates()) s.append(s.length() == 0 ? "" : ", ").append(lr);
        return s.toString();
    }

    /** The rows at the given indices, in that order, with their file lines (x rows shared, not copied). */
    static Setup.Data subset(Setup.Data d, int[] index) {
        int[] lines = new int[index.length];
        for (int j = 0; j < index.length; j++) lines[j] = d.lines[index[j]];
        return new Setup.Data(Protocol.rows(d.x, index), d.t.rows(index, 0, index.length), d.features, d.outputs, d.file, lines);
    }

    /** The name of the validation metric: accuracy (softmax; bce: the mean over tasks), or mse. */
    static String metricName(String kind) {
        return kind.equals("mse") ? "mse" : "accuracy";
    }

    /**
     * The validation metric of outputs z against t: the progress line's accuracy (softmax
     * accuracy, or the mean over tasks of the binary accuracies) or, for mse, the mean of (z − y)²
     * over the labeled entries.
     */
    static double metric(String kind, Loss loss, double[][] z, Targets t) {
        if (!kind.equals("mse")) return Training.mainAccuracy(loss, z, t);
        double sum = 0.0;
        long count = 0;
        for (int n = 0; n < z.length; n++) {
            for (int k = 0; k < z[n].length; k++) {
                if (!t.labeled[n][k]) continue;
                double e = z[n][k] - t.y[n][k];
                sum += e * e;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The per-task metric of one output column k: its binary accuracy (bce) or mean squared error (mse) over its labeled entries. */
    static double taskMetric(String kind, double[][] z, Targets t, int k) {
        if (!kind.equals("mse")) return Metrics.binary(z, t)[k].accuracy;
        double sum = 0.0;
        long count = 0;
        for (int n = 0; n < z.length; n++) {
            if (!t.labeled[n][k]) continue;
            double e = z[n][k] - t.y[n][k];
            sum += e * e;
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Runs the jobs on a pool of {@code threads} threads and returns their results in job order,
     * handing each to {@code done} (the progress line) in that order as soon as it and the jobs
     * before it are finished. Every job is seeded, so the results do not depend on the threads.
     */
    static <T> List<T> runAll(List<Callable<T>> jobs, int threads, Consumer<T> done) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, jobs.size())));
        try {
            List<Future<T>> futures = new ArrayList<Future<T>>();
            for (Callable<T> job : jobs) futures.add(pool.submit(job));
            List<T> results = new ArrayList<T>();
            for (Future<T> f : futures) {
                T result = Protocol.get(f);
                if (done != null) done.accept(result);
                results.add(result);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The --history of a comparison: one CSV line per epoch of every run (every arm, repeat and
     * rate), and a chart beside it (FILE.svg) of the validation metric per arm, mean ± standard
     * error over the repeats. Every column is deterministic (no seconds).
     *
     * <pre>
     *   run,repeat,lr,epoch,trainable_from,train_loss,val_loss,kept,chosen_rate
     * </pre>
     */
    static final class Runs {
        private final Path csv, svg;
        private final StringBuilder lines = new StringBuilder("run,repeat,lr,epoch,trainable_from,train_loss,val_loss,kept,chosen_rate\n");

        private Runs(Path csv, Path svg) {
            this.csv = csv;
            this.svg = svg;
        }

        /** The history of --history, or null without it, checked as an --out is (SPEC.md §21) before any work. */
        static Runs of(Options o, String outFile, String... inputs) throws UsageException, IOException {
            String file = o.get("history");
            if (file == null) return null;
            Path csv = Paths.get(file), svg = History.chartOf(file);
            if (Files.isDirectory(csv)) {
                throw new FormatException(file, 0, 0, "expected a file to write to, found a folder; give a file name in it, e.g. " + csv.resolve("history.csv"));
            }
            TextFiles.checkOutput(csv, "--history", inputs);
            TextFiles.checkOutput(svg, "--history (its chart " + svg + ")", inputs);
            for (Path p : new Path[] {csv, svg}) {
                if (outFile != null && p.toAbsolutePath().normalize().equals(Paths.get(outFile).toAbsolutePath().normalize())) {
                    throw new UsageException("option --history expected files other than the --out model " + outFile + ", found " + p + " (the same file)");
                }
            }
            return new Runs(csv, svg);
        }

        /**
         * A recorder of one run's epochs: its lines are added by {@link #add} once the run is
         * finished, so that they come in job order whatever thread ran it.
         */
        static final class Run {
            final String name;
            final int repeat;
            final double lr;
            final List<double[]> epochs = new ArrayList<double[]>(); // (E, 4) epoch, trainable_from, train loss, validation loss

            Run(String name, int repeat, double lr) {
                this.name = name;
                this.repeat = repeat;
                this.lr = lr;
            }
        }

        /** The listener of the runs of one arm and repeat: one Run per rate, kept in {@code into}; null without --history. */
        Protocol.Listener recorder(List<Run> into, String name, int repeat) {
            return (lr, net) -> {
                Run run = new Run(name, repeat, lr);
                into.add(run);
                // the lowest trainable layer is read now, while the epoch's freezing is in place (gradual unfreezing changes it)
                return e -> run.epochs.add(new double[] {e.epoch, net.lowestTrainable(), e.trainLoss, e.validationLoss});
            };
        }

        /** Adds the lines of the runs of one arm and repeat; {@code kept} is the search's choice (its rate) and its trainer's kept epoch. */
        void add(List<Run> runs, double keptLr, int keptEpoch) {
            for (Run run : runs) {
                boolean chosen = run.lr == keptLr;
                for (double[] e : run.epochs) {
                    int epoch = (int) e[0];
                    lines.append(run.name.indexOf(',') >= 0 ? '"' + run.name + '"' : run.name).append(',').append(run.repeat).append(',').append(run.lr).append(',')
                        .append(epoch).append(',').append((int) e[1]).append(',').append(e[2]).append(',').append(Double.isNaN(e[3]) ? "" : Double.toString(e[3]))
                        .append(',').append(chosen && epoch == keptEpoch ? 1 : 0).append(',').append(chosen ? 1 : 0).append('\n');
                }
            }
        }

        /** Writes the CSV and the chart (categories: the arms; series: the metric per arm), each atomically. */
        void write(String title, String yLabel, String[] arms, List<Svg.Series> series, double yMin, double yMax, PrintStream err) throws IOException {
            TextFiles.writeAtomically(csv, lines.toString());
            TextFiles.writeAtomically(svg, Svg.lines(title, "", yLabel, arms, series, yMin, yMax));
            if (err != null) err.println("plainnet: wrote the history of every run to " + csv + " and a chart of the comparison to " + svg);
        }
    }

    /** A series of mean ± standard error per arm, from metric[arm][repeat]. */
    static Svg.Series series(String name, double[][] metric) {
        double[] m = new double[metric.length], e = new double[metric.length];
        for (int a = 0; a < metric.length; a++) {
            m[a] = Protocol.mean(metric[a]);
            e[a] = Protocol.se(metric[a]);
        }
        return new Svg.Series(name, m, e);
    }
}
