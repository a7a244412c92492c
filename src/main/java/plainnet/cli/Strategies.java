package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import plainnet.Activation;
import plainnet.Dense;
import plainnet.Init;
import plainnet.Loss;
import plainnet.Network;
import plainnet.Rng;
import plainnet.demo.Protocol;
import plainnet.io.Csv;
import plainnet.io.Dataset;
import plainnet.io.ModelFile;
import plainnet.io.TextFiles;

/**
 * {@code transfer --strategy auto} (SPEC.md §21): the lecture's "does transfer help here?" on the
 * user's data. Every strategy (scratch, last layer, last two layers, fine-tune all, gradual) is
 * trained by the one protocol of {@code make demo} ({@link Protocol}, SPEC.md §20) on R validation
 * splits carved from the training rows; the table gives mean ± standard error per strategy and
 * the paired difference to scratch; the choice is made on validation only; the chosen strategy's
 * model of its best split is saved, with a record of every run beside it.
 */
final class Strategies {

    private Strategies() {}

    /** The strategies compared, in table order (a tie goes to the first). */
    enum Arm {
        SCRATCH("scratch"), LAST_LAYER("last layer"), LAST_TWO("last two layers"), FINE_TUNE("fine-tune all"), GRADUAL("gradual");

        final String label;

        Arm(String label) {
            this.label = label;
        }
    }

    /** transfer's options that fix one strategy or replace the protocol's recipe, refused with --strategy auto. */
    private static final String[] NOT_WITH_AUTO = {"freeze", "finetune-epochs", "finetune-lr", "unfreeze-from", "unfreeze", "lr-decay", "l2-sp", "lr", "epochs",
        "patience", "validation", "optimizer", "momentum", "weight-decay", "decoupled", "decay-every", "decay-factor", "save-diverged"};

    /** Declares --strategy and the protocol's options on transfer. */
    static void options(Options o) {
        o.value("strategy", "NAME", null, "auto: compare scratch, last layer, last two layers, fine-tune all and gradual on --repeats validation splits of the data and save the best");
        Comparison.options(o, "with --strategy auto");
    }

    /**
     * True when {@code transfer} is to run {@link #auto}: --strategy auto is given. The protocol's
     * options without it, and another --strategy, are usage errors.
     */
    static boolean requested(Options o) throws UsageException {
        if (o.has("strategy")) {
            o.choice("strategy", "auto");
            return true;
        }
        for (String name : new String[] {"repeats", "rates", "steps"}) {
            if (o.has(name)) throw new UsageException("option --" + name + " applies to --strategy auto only");
        }
        return false;
    }

    /** One strategy's best run (over the rates) on one repeat, with its validation metric. */
    static final class Outcome {
        final Arm arm;
        final int repeat;
        final Protocol.Fit fit;
        final double metric;
        final int trainRows;
        final List<Comparison.Runs.Run> runs;

        Outcome(Arm arm, int repeat, Protocol.Fit fit, double metric, int trainRows, List<Comparison.Runs.Run> runs) {
            this.arm = arm;
            this.repeat = repeat;
            this.fit = fit;
            this.metric = metric;
            this.trainRows = trainRows;
            this.runs = runs;
        }
    }

    static int auto(Options o, PrintStream out, PrintStream err) throws UsageException, IOException {
        for (String name : NOT_WITH_AUTO) {
            if (o.has(name)) {
                throw new UsageException("option --" + name + " does not apply to --strategy auto, which trains every strategy by the same protocol"
                    + " (SPEC.md section 20): set it with --rates, --steps, --repeats, --split and --batch");
            }
        }
        String outFile = o.required("out");
        String lossOption = Build.kindOption(o);
        Build.loss(o, lossOption, -1);
        Setup.classes(o);
        Build.hidden(o.get("hidden"), 1, null, "hidden");
        Protocol protocol = Comparison.protocol(o);
        int R = Comparison.repeats(o), drop = o.integer("drop", 0);
        double F = Comparison.fraction(o);
        long seed = o.longValue("seed"), splitSeed = o.longValue("split-seed");
        Training.settings(o, null);
        int threads = o.get("threads") == null ? Training.processors() : o.integer("threads", 1);
        Path record = recordOf(outFile);
        String model = o.required("model"), data = o.required("data");
        TextFiles.checkOutput(Paths.get(outFile), "--out", "--model", model, "--data", data);
        TextFiles.checkOutput(record, "--out (its record " + record + ")", "--model", model, "--data", data);
        Comparison.Runs history = Comparison.Runs.of(o, outFile, "--model", model, "--data", data);
        boolean quiet = o.has("quiet");
        PrintStream progress = quiet ? null : err;

        // The data and the loss as transfer reads them (SPEC.md §21).
        ModelFile source = ModelFile.load(Paths.get(model));
        if (source.net == null) throw new UsageException("--strategy auto expected a model with one output group, found " + model + " with several");
        Csv csv = Setup.csv(data, progress);
        List<String> labels = Dataset.select(csv, Setup.labels(o, csv), "--labels");
        List<String> features = source.features;
        if (o.get("features") == null) Setup.checkModelColumns(csv, model, source.features);
        else features = Dataset.selectFeatures(csv, o.get("features"), labels);
        String kind = lossOption != null ? lossOption : Build.kind(source.loss), why = lossOption != null ? "" : " (the model's)";
        if (lossOption == null && kind.equals("softmax") && labels.size() != 1) {
            kind = "bce";
            why = " (the model's is softmax, which takes one label column)";
        }
        if (features.size() != source.net.inputs()) {
            throw new UsageException("the model " + model + " reads " + source.net.inputs() + " inputs, but --features selects " + features.size() + " columns of "
                + csv.file + "; give --features with " + source.net.inputs() + " columns, or leave it out to read the model's columns");
        }
        String from = lossOption != null ? "--loss" : kind.equals(Build.kind(source.loss)) ? "the model's loss" : "the loss";
        Setup.Data d = Setup.read(csv, features, labels, kind, Setup.classes(o), from, true);
        Setup.announce(progress, csv, labels, d, kind + why);
        Loss loss = Build.loss(o, kind, d.outputs.size());
        if (source.standardize != null) source.standardize.apply(d.x);
        if (drop >= source.net.size()) {
            throw new UsageException("option --drop expected at most " + (source.net.size() - 1) + " (the model has " + source.net.size() + " layers and one must remain), found " + drop);
        }
        Network kept = source.net.copy();
        kept.removeLast(drop);
        kept.unfreeze(0, kept.size());
        int K = kept.size();
        List<Arm> arms = new ArrayList<Arm>(Arrays.asList(Arm.values()));
        if (K < 2) arms.remove(Arm.LAST_TWO); // with one kept layer it would be "train everything from the start"

        int[][][] splits = Comparison.splits(d.x.length, F, splitSeed, R);
        String metric = Comparison.metricName(kind);
        if (progress != null) {
            progress.printf(Locale.ROOT, "plainnet: --strategy auto: %d strategies x %d repeats x %d rates; each repeat validates on %d of the %d rows, %d threads%n",
                arms.size(), R, protocol.rates().length, splits[0][0].length, d.x.length, threads);
        }
        String hidden = o.get("hidden");
        final String lossKind = kind;
        List<Callable<List<Outcome>>> jobs = new ArrayList<Callable<List<Outcome>>>();
        for (int r = 0; r < R; r++) {
            final int rep = r;
            Setup.Data train = Comparison.subset(d, splits[1][r]), val = Comparison.subset(d, splits[0][r]);
            final Network base = kept.copy(); // each job owns its copy of the kept layers
            Job job = new Job(protocol, loss, lossKind, train, val, rep, seed + rep, history);
            jobs.add(() -> job.scratch(() -> scratch(base, hidden, d.outputs.size(), seed + rep)));
            jobs.add(() -> job.headThenAll(() -> withHead(base, hidden, d.outputs.size(), seed + rep, K)));
            if (arms.contains(Arm.LAST_TWO)) jobs.add(() -> job.one(Arm.LAST_TWO, () -> withHead(base, hidden, d.outputs.size(), seed + rep, K - 1), false));
            jobs.add(() -> job.one(Arm.GRADUAL, () -> withHead(base, hidden, d.outputs.size(), seed + rep, K), true));
        }
        Train.Interrupt hook = Train.Interrupt.register(err, "transfer", outFile);
        try {
            return compare(o, out, err, jobs, arms, R, threads, history, kind, protocol, splits, d, csv.file, K, loss, source, outFile, record, hook);
        } finally {
            hook.unregister();
        }
    }

    /** Runs the jobs, prints the table and saves the chosen model and the record. */
    private static int compare(Options o, PrintStream out, PrintStream err, List<Callable<List<Outcome>>> jobs, List<Arm> arms, int R, int threads, Comparison.Runs history,
                               String kind, Protocol protocol, int[][][] splits, Setup.Data d, String file, int K, Loss loss, ModelFile source, String outFile, Path record,
                               Train.Interrupt hook) throws IOException {
        boolean quiet = o.has("quiet");
        PrintStream progress = quiet ? null : err;
        String metric = Comparison.metricName(kind);
        List<List<Outcome>> done = Comparison.runAll(jobs, threads, results -> {
            if (progress == null) return;
            for (Outcome c : results) {
                progress.printf(Locale.ROOT, "plainnet: repeat %d/%d: %-15s val %s %s, val loss %s (lr %s, kept epoch %d of %d%s)%n", c.repeat + 1, R, c.arm.label, metric,
                    Training.num(c.metric), Training.fixed(c.fit.valLoss, 5), c.fit.lr, c.fit.result.keptEpoch, c.fit.result.history.size(),
                    c.fit.result.diverged ? "; diverged at every rate" : "");
            }
        });

        // (arms, R) metric and validation loss, in table order
        double[][] m = new double[arms.size()][R], vl = new double[arms.size()][R];
        Outcome[][] byArm = new Outcome[arms.size()][R];
        for (List<Outcome> job : done) {
            for (Outcome c : job) {
                int a = arms.indexOf(c.arm);
                byArm[a][c.repeat] = c;
                m[a][c.repeat] = c.metric;
                vl[a][c.repeat] = c.fit.valLoss;
                if (history != null) history.add(c.runs, c.fit.lr, c.fit.result.keptEpoch);
            }
        }
        String[] names = new String[arms.size()];
        for (int a = 0; a < names.length; a++) names[a] = arms.get(a).label;
        boolean lower = kind.equals("mse");
        int chosen = Protocol.chosen(scores(m, lower));
        Outcome saved = byArm[chosen][bestRepeat(m[chosen], lower)];

        out.printf(Locale.ROOT, "transfer --strategy auto: %d strategies, each trained at rates %s with early stopping (SPEC.md section 20),%n",
            arms.size(), Comparison.rates(protocol));
        out.printf(Locale.ROOT, "on %d validation splits of %d of the %d rows of %s (--split %s).%n", R, splits[0][0].length, d.x.length, file,
            o.get("split") == null ? Comparison.SPLIT : o.get("split"));
        out.printf(Locale.ROOT, "Validation %s, mean ± standard error over the repeats; vs scratch: paired by repeat, ≈ = within noise.%n", metric);
        out.println();
        out.print(report(metric, lower, names, m, vl));
        if (K < 2) out.println("(last two layers: left out, the model keeps one layer below the new head)");

        hook.save(new ModelFile(saved.fit.net, loss, d.features, d.outputs, source.standardize));
        TextFiles.writeAtomically(record, record(names, byArm, metric, chosen, saved));
        out.printf(Locale.ROOT, "saved %s: %s, the model of repeat %d (its best split: validation %s %s on %d rows, trained on %d rows at lr %s);%n", outFile,
            names[chosen], saved.repeat + 1, metric, Training.num(saved.metric), splits[0][0].length, saved.trainRows, saved.fit.lr);
        out.printf(Locale.ROOT, "every run is recorded in %s%n", record);
        if (history != null) {
            List<plainnet.demo.Svg.Series> series = new ArrayList<plainnet.demo.Svg.Series>();
            series.add(Comparison.series("validation " + metric, m));
            double top = 0.0;
            for (double[] a : m) for (double v : a) if (v <= Double.MAX_VALUE) top = Math.max(top, v);
            history.write("transfer --strategy auto: validation " + metric + " per strategy", "validation " + metric + " (± standard error)", names, series,
                lower ? 0.0 : Math.max(0.0, Math.min(0.5, lowest(m) - 0.05)), lower ? (top > 0 ? top * 1.1 : 1.0) : 1.0, quiet ? null : err);
        }
        return 0;
    }

    /** The runs of one repeat: each method trains one strategy (two for {@link #headThenAll}) by the protocol. */
    private static final class Job {
        final Protocol protocol;
        final Loss loss;
        final String kind;
        final Setup.Data train, val;
        final int repeat;
        final long shuffleSeed;
        final Comparison.Runs history;

        Job(Protocol protocol, Loss loss, String kind, Setup.Data train, Setup.Data val, int repeat, long shuffleSeed, Comparison.Runs history) {
            this.protocol = protocol;
            this.loss = loss;
            this.kind = kind;
            this.train = train;
            this.val = val;
            this.repeat = repeat;
            this.shuffleSeed = shuffleSeed;
            this.history = history;
        }

        List<Outcome> scratch(Supplier<Network> make) {
            return one(Arm.SCRATCH, make, false);
        }

        /** One strategy: the rate search from {@code make}'s networks (gradual: with gradual unfreezing). */
        List<Outcome> one(Arm arm, Supplier<Network> make, boolean gradual) {
            List<Comparison.Runs.Run> runs = new ArrayList<Comparison.Runs.Run>();
            Protocol.Fit[] f = protocol.search(make, loss, train.x, train.t, val.x, val.t, shuffleSeed, gradual, listener(runs, arm));
            return Arrays.asList(outcome(arm, Protocol.best(f), runs));
        }

        /**
         * Last layer, and fine-tune all from it (the demo's two stages): each rate's last-layer run
         * is continued with every layer trainable, a new optimizer at that rate ÷ 10 and the same
         * early stopping; fine-tune all keeps the second-stage run with the lowest validation loss.
         */
        List<Outcome> headThenAll(Supplier<Network> make) {
            List<Comparison.Runs.Run> headRuns = new ArrayList<Comparison.Runs.Run>(), allRuns = new ArrayList<Comparison.Runs.Run>();
            Protocol.Fit[] head = protocol.search(make, loss, train.x, train.t, val.x, val.t, shuffleSeed, false, listener(headRuns, Arm.LAST_LAYER));
            Protocol.Fit[] all = new Protocol.Fit[head.length];
            Protocol.Listener l = listener(allRuns, Arm.FINE_TUNE);
            for (int i = 0; i < head.length; i++) {
                Network net = head[i].net.copy();
                net.unfreeze(0, net.size());
                all[i] = protocol.fit(net, loss, train.x, train.t, val.x, val.t, head[i].lr / 10, shuffleSeed, false, l == null ? null : l.start(head[i].lr / 10, net));
            }
            return Arrays.asList(outcome(Arm.LAST_LAYER, Protocol.best(head), headRuns), outcome(Arm.FINE_TUNE, Protocol.best(all), allRuns));
        }

        private Protocol.Listener listener(List<Comparison.Runs.Run> runs, Arm arm) {
            return history == null ? null : history.recorder(runs, arm.label, repeat + 1);
        }

        private Outcome outcome(Arm arm, Protocol.Fit best, List<Comparison.Runs.Run> runs) {
            double metric = Comparison.metric(kind, loss, Setup.outputs(best.net, val.x), val.t);
            return new Outcome(arm, repeat, best, metric, train.x.length, runs);
        }
    }

    /**
     * The scratch arm: the architecture of the transferred network (the kept layers' sizes and
     * activations, then --hidden and the new output layer) with fresh weights from Rng(seed),
     * drawn bottom-up, each layer with its activation's default initialiser and the output layer
     * with xavier_normal (as {@code train} draws them).
     */
    static Network scratch(Network kept, String hidden, int outputs, long seed) {
        Rng rng = new Rng(seed);
        List<Dense> layers = new ArrayList<Dense>();
        for (int l = 0; l < kept.size(); l++) layers.add(new Dense(kept.layer(l).I, kept.layer(l).O, kept.layer(l).f, rng));
        layers.addAll(newLayers(hidden, kept.outputs(), outputs, rng));
        return new Network(layers);
    }

    /** A copy of the kept layers with --hidden and a new output layer from Rng(seed) on top, its first {@code frozen} layers frozen. */
    static Network withHead(Network kept, String hidden, int outputs, long seed, int frozen) {
        Network net = kept.copy();
        for (Dense layer : newLayers(hidden, kept.outputs(), outputs, new Rng(seed))) net.append(layer);
        net.freeze(0, frozen);
        return net;
    }

    /** --hidden's layers and the identity output layer (xavier_normal) on top of {@code inputs} inputs, drawn from rng in order. */
    private static List<Dense> newLayers(String hidden, int inputs, int outputs, Rng rng) {
        List<Dense> layers;
        try {
            layers = Build.hidden(hidden, inputs, rng, "hidden");
        } catch (UsageException e) {
            throw new IllegalStateException(e); // checked before any work
        }
        int top = layers.isEmpty() ? inputs : layers.get(layers.size() - 1).O;
        layers.add(new Dense(top, outputs, Activation.IDENTITY, Init.XAVIER_NORMAL, rng));
        return layers;
    }

    /** The scores the choice maximises: the metric, or −metric when lower is better (mse). */
    private static double[][] scores(double[][] m, boolean lower) {
        double[][] s = new double[m.length][];
        for (int a = 0; a < m.length; a++) {
            s[a] = m[a].clone();
            if (lower) for (int r = 0; r < s[a].length; r++) s[a][r] = -s[a][r];
        }
        return s;
    }

    /** The repeat with the best metric (the first on a tie). */
    static int bestRepeat(double[] m, boolean lower) {
        int best = 0;
        for (int r = 1; r < m.length; r++) if (lower ? m[r] < m[best] : m[r] > m[best]) best = r;
        return best;
    }

    /**
     * The table and its verdicts (SPEC.md §21): per strategy the validation metric and loss as mean
     * ± standard error and the metric's paired difference to scratch (row 0) with ≈ when within
     * noise; the choice on validation (≈ the runner-up when validation cannot tell them apart);
     * and, when scratch beats every transfer strategy beyond noise, the negative-transfer line.
     *
     * @param metric the metric's name (accuracy or mse)
     * @param lower  true when a lower metric is better (mse)
     * @param names  the strategies (A), scratch first
     * @param m      (A, R) the validation metric
     * @param loss   (A, R) the validation loss
     */
    static String report(String metric, boolean lower, String[] names, double[][] m, double[][] loss) {
        StringBuilder t = new StringBuilder();
        String col = "val " + metric;
        t.append(String.format(Locale.ROOT, "| %-15s | %-15s | %-18s | %-15s |%n", "strategy", col, "vs scratch", "val loss"));
        t.append("|-----------------|-----------------|--------------------|-----------------|\n");
        double[][] s = scores(m, lower);
        int chosen = Protocol.chosen(s);
        for (int a = 0; a < names.length; a++) {
            String vs = a == 0 ? "" : Protocol.pmDiff(m[a], m[0]) + (Protocol.noise(m[a], m[0]) ? " ≈" : "");
            t.append(String.format(Locale.ROOT, "| %-15s | %-15s | %-18s | %-15s |%s%n", names[a], Protocol.pm(m[a]), vs, Protocol.pm(loss[a]), a == chosen ? " <- chosen" : ""));
        }
        t.append('\n');
        int second = Protocol.runnerUp(s);
        t.append("chosen on validation: ").append(names[chosen]);
        if (Protocol.choiceInNoise(s)) t.append(" (≈ \"").append(names[second]).append("\": validation cannot tell them apart)");
        t.append('\n');
        if (negativeTransfer(s)) {
            t.append("negative transfer: the pre-trained features do not help this task (scratch beats every transfer strategy beyond noise)\n");
        }
        return t.toString();
    }

    /**
     * Scratch (row 0) beats every transfer strategy beyond noise: its mean score is higher than
     * each other row's and their paired difference is not within noise ({@link Protocol#noise}).
     *
     * @param s (A, R) scores, higher is better
     */
    static boolean negativeTransfer(double[][] s) {
        for (int a = 1; a < s.length; a++) {
            if (!(Protocol.mean(s[0]) > Protocol.mean(s[a])) || Protocol.noise(s[0], s[a])) return false;
        }
        return s.length > 1;
    }

    /** The record beside --out: out's ".json" replaced by ".strategies.csv", or that appended. */
    static Path recordOf(String outFile) {
        return Paths.get((outFile.endsWith(".json") ? outFile.substring(0, outFile.length() - 5) : outFile) + ".strategies.csv");
    }

    /** One line per strategy and repeat: its kept rate and epoch, validation loss and metric, and whether it was chosen and saved. */
    private static String record(String[] names, Outcome[][] byArm, String metric, int chosen, Outcome saved) {
        StringBuilder s = new StringBuilder("strategy,repeat,lr,epochs,kept_epoch,val_loss,val_" + metric + ",chosen,saved\n");
        for (int a = 0; a < names.length; a++) {
            for (Outcome c : byArm[a]) {
                s.append(names[a]).append(',').append(c.repeat + 1).append(',').append(c.fit.lr).append(',').append(c.fit.result.history.size()).append(',')
                    .append(c.fit.result.keptEpoch).append(',').append(c.fit.valLoss).append(',').append(c.metric).append(',').append(a == chosen ? 1 : 0).append(',')
                    .append(c == saved ? 1 : 0).append('\n');
            }
        }
        return s.toString();
    }


    private static double lowest(double[][] m) {
        double lo = Double.POSITIVE_INFINITY;
        for (double[] a : m) for (double v : a) lo = Math.min(lo, v);
        return lo;
    }
}
