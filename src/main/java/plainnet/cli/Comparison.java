package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import plainnet.Activation;
import plainnet.Dense;
import plainnet.GroupedLoss;
import plainnet.Init;
import plainnet.Rng;
import plainnet.Targets;
import plainnet.demo.Protocol;
import plainnet.demo.Svg;
import plainnet.io.FormatException;
import plainnet.io.TextFiles;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

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

    /**
     * Declares --repeats, --rates and --steps (the data, seed, batch and thread options are the
     * command's own); {@code when} heads their help, e.g. "with --strategy auto", or is empty.
     */
    static void options(Options o, String when) {
        String w = when.isEmpty() ? "" : when + ": ";
        o.value("repeats", "R", "3", w + "the validation splits (repeats), each holding out --split of the rows (" + SPLIT + " unless given) by a shuffle from --split-seed + r");
        o.value("rates", "R1,R2,..", Protocol.ratesText(Protocol.RATES).replace(", ", ","), w + "every run trains once at each rate and keeps the one with the lowest validation loss");
        o.value("steps", "S", String.valueOf(Protocol.STEPS), w + "about how many training steps each run takes (early stopping may end it sooner)");
    }

    /** The protocol of --rates, --steps and --batch, checked. */
    static Protocol protocol(Options o) throws UsageException {
        double[] rates = o.numbers("rates");
        if (rates == null || rates.length == 0) throw new UsageException("option --rates expected one or more learning rates, e.g. 0.005,0.02, found none");
        for (int i = 0; i < rates.length; i++) {
            if (!(rates[i] > 0.0)) throw new UsageException("option --rates expected learning rates > 0, found " + rates[i]);
            for (int j = 0; j < i; j++) if (rates[j] == rates[i]) throw new UsageException("option --rates expected different rates, found " + rates[i] + " twice");
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

    /** The first lines of a comparison's output: what is compared, the rates, the splits. */
    static String header(String what, Protocol p, int R, int V, int N, String file, Options o) {
        return String.format(Locale.ROOT, "%s, each trained at rates %s with early stopping (SPEC.md section 20),%non %d validation splits of %d of the %d rows of %s (--split %s).%n",
            what, Protocol.ratesText(p.rates()), R, V, N, file, o.get("split") == null ? SPLIT : o.get("split"));
    }

    /** The progress line as the runs start (nothing when progress is null). */
    static void started(PrintStream progress, String what, Protocol p, int[][][] splits, int threads) {
        if (progress == null) return;
        int R = splits[0].length, V = splits[0][0].length;
        progress.printf(Locale.ROOT, "plainnet: %s x %d repeats x %d rates; each repeat validates on %d of the %d rows, %d threads%n", what, R, p.rates().length, V,
            V + splits[1][0].length, threads);
    }

    /**
     * The validation metric of outputs z against t, the kind's ({@link Kind#metric}: accuracy, or
     * for mse the mean squared error over the labeled entries); with k ≥ 0, of column k alone.
     */
    static double metric(Kind kind, double[][] z, Targets t, int k) {
        if (k < 0) return kind.metric(z, t);
        double[][] zk = new double[z.length][1], yk = new double[z.length][1]; // (N, 1)
        boolean[][] mk = new boolean[z.length][1];
        for (int n = 0; n < z.length; n++) {
            zk[n][0] = z[n][k];
            yk[n][0] = t.y[n][k];
            mk[n][0] = t.labeled[n][k];
        }
        return kind.metric(zk, new Targets(yk, mk));
    }

    /**
     * --hidden's layers and an identity output layer of O units ({@code xavier_normal}) on I
     * inputs, drawn from rng in order, as {@code train} draws them.
     */
    static List<Dense> layers(String hidden, int I, int O, Rng rng) {
        List<Dense> layers;
        try {
            layers = Build.hidden(hidden, I, rng, "hidden");
        } catch (UsageException e) {
            throw new IllegalStateException(e); // --hidden is checked before any work
        }
        layers.add(new Dense(layers.isEmpty() ? I : layers.get(layers.size() - 1).O, O, Activation.IDENTITY, Init.XAVIER_NORMAL, rng));
        return layers;
    }

    /**
     * One network's result on one repeat: its validation metric (one per task for compare-tasks'
     * multi-task network), the run its rate search kept (its rate, validation loss, kept epoch,
     * epochs run and whether every rate diverged) and its recorded runs.
     */
    static final class Result {
        final String name;
        final int repeat;
        final double[] metric;
        /** The kept run of a plain network, or null for a task network's. */
        final Protocol.Fit fit;
        final double lr, valLoss;
        final int keptEpoch, epochs;
        final boolean diverged;
        final List<Runs.Run> runs;

        Result(String name, int repeat, double[] metric, Protocol.Fit fit, List<Runs.Run> runs) {
            this(name, repeat, metric, fit, fit.lr, fit.valLoss, fit.result.keptEpoch, fit.result.history.size(), fit.result.diverged, runs);
        }

        /** The result of a task network's run (compare-tasks --group). */
        Result(String name, int repeat, double[] metric, Protocol.TaskFit f, List<Runs.Run> runs) {
            this(name, repeat, metric, null, f.lr, f.valLoss, f.result.keptEpoch, f.result.history.size(), f.result.diverged, runs);
        }

        private Result(String name, int repeat, double[] metric, Protocol.Fit fit, double lr, double valLoss, int keptEpoch, int epochs, boolean diverged,
                       List<Runs.Run> runs) {
            this.name = name;
            this.repeat = repeat;
            this.metric = metric;
            this.fit = fit;
            this.lr = lr;
            this.valLoss = valLoss;
            this.keptEpoch = keptEpoch;
            this.epochs = epochs;
            this.diverged = diverged;
            this.runs = runs;
        }
    }

    /**
     * Runs the jobs on a pool of {@code threads} threads and returns their results in job order.
     * Each result gets a progress line (unless progress is null) as soon as it and the jobs before
     * it are finished: the run's name, its validation metric and loss, its rate and kept epoch.
     * Every job is seeded, so the results do not depend on the threads.
     */
    static List<Result> runAll(List<Callable<List<Result>>> jobs, int threads, PrintStream progress, int R, String metric) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, jobs.size())));
        try {
            List<Future<List<Result>>> futures = new ArrayList<Future<List<Result>>>();
            for (Callable<List<Result>> job : jobs) futures.add(pool.submit(job));
            List<Result> results = new ArrayList<Result>();
            for (Future<List<Result>> f : futures) {
                for (Result c : Protocol.get(f)) {
                    results.add(c);
                    if (progress == null) continue;
                    StringBuilder m = new StringBuilder();
                    for (double v : c.metric) m.append(m.length() == 0 ? "" : " ").append(Training.num(v));
                    progress.printf(Locale.ROOT, "plainnet: repeat %d/%d: %-15s val %s %s, val loss %s (lr %s, kept epoch %d of %d%s)%n", c.repeat + 1, R, c.name, metric, m,
                        Training.fixed(c.valLoss, 5), c.lr, c.keptEpoch, c.epochs, c.diverged ? "; diverged at every rate" : "");
                }
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
     *   run,repeat,lr,epoch,trainable_from,train_loss,val_loss,val_accuracy,kept,chosen_rate     (val_mse for mse)
     * </pre>
     */
    static final class Runs {
        private final Path csv, svg;
        private final StringBuilder lines = new StringBuilder(); // the CSV's lines after its header

        private Runs(Path csv, Path svg) {
            this.csv = csv;
            this.svg = svg;
        }

        /**
         * The history of --history, or null without it, checked as an --out is (SPEC.md §21) before
         * any work; with an outFile (--strategy auto's --out), it must be neither that model nor its
         * record ({@link Strategies#recordOf}), which it would replace.
         */
        static Runs of(Options o, String outFile, String... inputs) throws UsageException, IOException {
            String file = o.get("history");
            if (file == null) return null;
            Path csv = Paths.get(file), svg = History.chartOf(file);
            if (Files.isDirectory(csv)) {
                throw new FormatException(file, 0, 0, "expected a file to write to, found a folder; give a file name in it, e.g. " + csv.resolve("history.csv"));
            }
            TextFiles.checkOutput(csv, "--history", inputs);
            TextFiles.checkOutput(svg, "--history (its chart " + svg + ")", inputs);
            Path[] outputs = outFile == null ? new Path[0] : new Path[] {Paths.get(outFile), Strategies.recordOf(outFile)};
            for (Path p : new Path[] {csv, svg}) {
                for (Path out : outputs) {
                    if (p.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                        throw new UsageException("option --history expected files other than the --out model " + outFile + " and its record " + outputs[1] + ", found " + p
                            + " (the same file)");
                    }
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
            final List<double[]> epochs = new ArrayList<double[]>(); // (E, 5) epoch, trainable_from, train loss, validation loss and metric

            Run(String name, int repeat, double lr) {
                this.name = name;
                this.repeat = repeat;
                this.lr = lr;
            }
        }

        /**
         * The listener of the runs of one arm and repeat: one Run per rate, kept in {@code into};
         * each epoch's validation metric is the kind's ({@link Kind#metric}) of the epoch's
         * validation outputs against tVal, as the table's.
         */
        Protocol.Listener recorder(List<Run> into, String name, int repeat, Kind kind, Targets tVal) {
            return (lr, net) -> {
                Run run = new Run(name, repeat, lr);
                into.add(run);
                // the lowest trainable layer is read now, while the epoch's freezing is in place (gradual unfreezing changes it)
                return e -> run.epochs.add(new double[] {e.epoch, net.lowestTrainable(), e.trainLoss, e.validationLoss,
                    e.validationOutput == null ? Double.NaN : kind.metric(e.validationOutput, tVal)});
            };
        }

        /**
         * {@link #recorder} for the runs of a task network (trainable_from: its trunk's lowest
         * trainable layer). The epoch's validation metric is the mean over the groups of each
         * group's kind's metric on its columns, as the table's, when the groups share one metric
         * (all accuracy, or all mse), and empty when they do not: one column cannot hold both.
         */
        Protocol.TaskListener taskRecorder(List<Run> into, String name, int repeat, Targets tVal) {
            return (lr, net) -> {
                Run run = new Run(name, repeat, lr);
                into.add(run);
                int from = net.trunk().lowestTrainable();
                GroupedLoss J = net.loss();
                boolean one = true; // do the groups share one metric?
                for (int g = 1; g < J.groupCount(); g++) one &= Kinds.of(J.group(g).loss).metricName().equals(Kinds.of(J.group(0).loss).metricName());
                boolean shared = one;
                return e -> run.epochs.add(new double[] {e.epoch, from, e.trainLoss, e.validationLoss,
                    shared && e.validationOutput != null ? Protocol.mean(Tasks.groupMetrics(J, e.validationOutput, tVal)) : Double.NaN});
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
                        .append(',').append(Double.isNaN(e[4]) ? "" : Double.toString(e[4]))
                        .append(',').append(chosen && epoch == keptEpoch ? 1 : 0).append(',').append(chosen ? 1 : 0).append('\n');
                }
            }
        }

        /**
         * Writes the CSV and the chart, each atomically: over the categories (the arms or tasks), one
         * line per series of mean ± standard error of metric[series][category][repeat]; y from 0.5 to
         * 1 for an accuracy, from 0 to 1.1 × the largest value for mse.
         */
        void write(String title, String metric, boolean mse, String[] categories, double[][][] values, String[] names, PrintStream err) throws IOException {
            List<Svg.Series> series = new ArrayList<Svg.Series>();
            double top = 0.0;
            for (int j = 0; j < values.length; j++) {
                double[] m = new double[categories.length], e = new double[categories.length];
                for (int c = 0; c < categories.length; c++) {
                    m[c] = Protocol.mean(values[j][c]);
                    e[c] = Protocol.se(values[j][c]);
                    if (m[c] + e[c] <= Double.MAX_VALUE) top = Math.max(top, m[c] + e[c]);
                }
                series.add(new Svg.Series(names[j], m, e));
            }
            TextFiles.writeAtomically(csv, "run,repeat,lr,epoch,trainable_from,train_loss,val_loss,val_" + metric + ",kept,chosen_rate\n" + lines);
            TextFiles.writeAtomically(svg, Svg.lines(title, "", "validation " + metric + " (± standard error)", categories, series, mse ? 0.0 : 0.5,
                mse ? (top > 0.0 ? 1.1 * top : 1.0) : 1.0));
            if (err != null) err.println("plainnet: wrote the history of every run to " + csv + " and a chart of the comparison to " + svg);
        }
    }
}
