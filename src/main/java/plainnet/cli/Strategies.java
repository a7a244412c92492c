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
import plainnet.Dense;
import plainnet.Loss;
import plainnet.Network;
import plainnet.Rng;
import plainnet.Trainer;
import plainnet.demo.Protocol;
import plainnet.io.Csv;
import plainnet.io.Dataset;
import plainnet.io.ModelFile;
import plainnet.io.TextFiles;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

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
    static final String SCRATCH = "scratch", LAST_LAYER = "last layer", LAST_TWO = "last two layers", FINE_TUNE = "fine-tune all", GRADUAL = "gradual";

    /** transfer's options that fix one strategy or replace the protocol's recipe, refused with --strategy auto. */
    private static final String[] NOT_WITH_AUTO = {"freeze", "finetune-epochs", "finetune-lr", "unfreeze-from", "unfreeze", "lr-decay", "l2-sp", "lr", "epochs",
        "patience", "validation", "optimizer", "momentum", "weight-decay", "decoupled", "decay-every", "decay-factor", "save-diverged",
        "add-task", "remove-task", "train-trunk"}; // the last three: transfer's task options (SPEC.md §27.7)

    /** Declares --strategy and the protocol's options on transfer. */
    static void options(Options o) {
        o.value("strategy", "NAME", null, "auto: compare scratch, last layer, last two layers, fine-tune all and gradual on --repeats validation splits of the data and save the best");
        Comparison.options(o, "with --strategy auto");
    }

    /** {@code transfer}: {@link #auto} with --strategy auto, else {@link Train#transfer}. */
    static int transfer(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options o = Train.transferOptions();
        return o.parse(args) && requested(o) ? auto(o, out, err) : Train.transfer(args, out, err);
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

    static int auto(Options o, PrintStream out, PrintStream err) throws UsageException, IOException {
        for (String name : NOT_WITH_AUTO) {
            if (o.has(name)) {
                throw new UsageException("option --" + name + " does not apply to --strategy auto, which trains every strategy by the same protocol"
                    + " (SPEC.md section 20): set it with --rates, --steps, --repeats, --split and --batch");
            }
        }
        String outFile = o.required("out");
        Kind lossOption = Build.kindOption(o);
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
        PrintStream progress = o.has("quiet") ? null : err;

        // The data and the loss as transfer reads them (SPEC.md §21).
        ModelFile source = ModelFile.load(Paths.get(model));
        if (source.net == null) throw new UsageException("--strategy auto expected a model with one output group, found " + model + " with several");
        Csv csv = Setup.csv(data, progress);
        List<String> labels = Dataset.select(csv, Setup.labels(o, csv), "--labels");
        List<String> features = source.features;
        if (o.get("features") == null) Setup.checkModelColumns(csv, model, source.features);
        else features = Dataset.selectFeatures(csv, o.get("features"), labels);
        Kind kind = lossOption != null ? lossOption : Kinds.of(source.loss);
        String why = lossOption != null ? "" : " (the model's)";
        if (lossOption == null && kind.oneLabelColumn() && labels.size() != 1) {
            why = " (the model's is " + kind.name() + ", which takes one label column)";
            kind = Kinds.BCE;
        }
        if (features.size() != source.net.inputs()) {
            throw new UsageException("the model " + model + " reads " + source.net.inputs() + " inputs, but --features selects " + features.size() + " columns of "
                + csv.file + "; give --features with " + source.net.inputs() + " columns, or leave it out to read the model's columns");
        }
        String from = lossOption != null ? "--loss" : kind == Kinds.of(source.loss) ? "the model's loss" : "the loss";
        Setup.Data d = Setup.read(csv, features, labels, kind, Setup.classes(o), from, true);
        Setup.announce(progress, csv, labels, d, kind.name() + why);
        Loss loss = Build.loss(o, kind, d.outputs.size());
        if (source.standardize != null) source.standardize.apply(d.x);
        if (drop >= source.net.size()) {
            throw new UsageException("option --drop expected at most " + (source.net.size() - 1) + " (the model has " + source.net.size() + " layers and one must remain), found " + drop);
        }
        Network kept = source.net.copy();
        kept.removeLast(drop);
        kept.unfreeze(0, kept.size());
        int K = kept.size();
        List<String> arms = new ArrayList<String>(Arrays.asList(SCRATCH, LAST_LAYER, LAST_TWO, FINE_TUNE, GRADUAL));
        if (K < 2) arms.remove(LAST_TWO); // with one kept layer it would be "train everything from the start"

        int[][][] splits = Comparison.splits(d.x.length, F, splitSeed, R);
        checkLabeled(d, splits, labels);
        Comparison.started(progress, "--strategy auto: " + arms.size() + " strategies", protocol, splits, threads);
        List<Callable<List<Comparison.Result>>> jobs = new ArrayList<Callable<List<Comparison.Result>>>();
        for (int r = 0; r < R; r++) {
            Setup.Data train = Train.subset(d, splits[1][r]), val = Train.subset(d, splits[0][r]);
            for (String arm : arms) {
                if (arm.equals(FINE_TUNE)) continue; // it continues the last-layer runs, in their job
                // each job owns its copy of the kept layers
                jobs.add(new Job(protocol, loss, kind, train, val, r, seed + r, history, kept.copy(), o.get("hidden"), d.outputs.size(), arm));
            }
        }
        String metric = kind.metricName();
        Train.Interrupt hook = Train.Interrupt.register(err, "transfer", outFile);
        try {
            List<Comparison.Result> done = Comparison.runAll(jobs, threads, progress, R, metric);
            // (arms, R) metric and validation loss, in table order
            double[][] m = new double[arms.size()][R], vl = new double[arms.size()][R];
            Comparison.Result[][] byArm = new Comparison.Result[arms.size()][R];
            for (Comparison.Result c : done) {
                int a = arms.indexOf(c.name);
                byArm[a][c.repeat] = c;
                m[a][c.repeat] = c.metric[0];
                vl[a][c.repeat] = c.fit.valLoss;
                if (history != null) history.add(c.runs, c.fit.lr, c.fit.result.keptEpoch);
            }
            String[] names = arms.toArray(new String[0]);
            boolean lower = kind.metricLowerIsBetter();
            int chosen = Protocol.chosen(scores(m, lower));
            Comparison.Result saved = byArm[chosen][bestRepeat(m[chosen], lower)];
            out.print(Comparison.header("transfer --strategy auto: " + names.length + " strategies", protocol, R, splits[0][0].length, d.x.length, csv.file, o));
            out.printf(Locale.ROOT, "Validation %s, mean ± standard error over the repeats; vs scratch: paired by repeat, ≈ = within noise.%n%n", metric);
            out.print(report(metric, lower, names, m, vl));
            if (K < 2) out.println("(last two layers: left out, the model keeps one layer below the new head)");
            if (history != null) {
                history.write("transfer --strategy auto: validation " + metric + " per strategy", metric, lower, names, new double[][][] {m},
                    new String[] {"validation " + metric}, progress);
            }
            Trainer.Result r = saved.fit.result;
            if (r.diverged) {
                // a diverged run is never saved (SPEC.md §21, "Divergence"): its table numbers are those of the weights before the divergence
                err.printf(Locale.ROOT, "plainnet: %s, the choice, diverged at every rate on repeat %d, its best split (at lr %s: in epoch %d, step %d: %s);"
                    + " nothing is saved: %s and %s are left as they were. Try smaller --rates.%n", names[chosen], saved.repeat + 1, saved.fit.lr, r.divergedEpoch,
                    r.divergedStep, r.divergence, outFile, record);
                return 1;
            }
            hook.save(new ModelFile(saved.fit.net, loss, d.features, d.outputs, source.standardize));
            TextFiles.writeAtomically(record, record(names, byArm, metric, chosen, saved));
            out.printf(Locale.ROOT, "saved %s: %s, the model of repeat %d (its best split: validation %s %s on %s, trained on %s at lr %s);%n", outFile,
                names[chosen], saved.repeat + 1, metric, Training.num(saved.metric[0]), rows(d, splits[0][saved.repeat]), rows(d, splits[1][saved.repeat]), saved.fit.lr);
            out.printf(Locale.ROOT, "every run is recorded in %s%n", record);
            return 0;
        } finally {
            hook.unregister();
        }
    }

    /**
     * One strategy on one repeat, trained by the protocol (Callable: the job; Supplier: the initial
     * network of every rate). The last-layer job also runs fine-tune all, which continues its runs.
     */
    private static final class Job implements Callable<List<Comparison.Result>>, Supplier<Network> {
        final Protocol protocol;
        final Loss loss;
        final Kind kind;
        final String hidden, arm;
        final Setup.Data train, val;
        final int repeat, outputs;
        final long seed;
        final Comparison.Runs history;
        final Network kept;

        Job(Protocol protocol, Loss loss, Kind kind, Setup.Data train, Setup.Data val, int repeat, long seed, Comparison.Runs history, Network kept, String hidden,
            int outputs, String arm) {
            this.protocol = protocol;
            this.loss = loss;
            this.kind = kind;
            this.train = train;
            this.val = val;
            this.repeat = repeat;
            this.seed = seed;
            this.history = history;
            this.kept = kept;
            this.hidden = hidden;
            this.outputs = outputs;
            this.arm = arm;
        }

        /** The strategy's initial network: scratch's fresh one, or the kept layers with a new head and the strategy's layers frozen. */
        @Override
        public Network get() {
            if (arm.equals(SCRATCH)) return scratch(kept, hidden, outputs, seed);
            return withHead(kept, hidden, outputs, seed, arm.equals(LAST_TWO) ? kept.size() - 1 : kept.size());
        }

        /**
         * The rate search of the strategy (gradual: with gradual unfreezing). After last layer,
         * fine-tune all (the demo's two stages): each rate's last-layer run continued with every
         * layer trainable, a new optimizer at that rate ÷ 10 and the same early stopping; it keeps
         * the second-stage run with the lowest validation loss.
         */
        @Override
        public List<Comparison.Result> call() {
            List<Comparison.Result> done = new ArrayList<Comparison.Result>();
            List<Comparison.Runs.Run> runs = new ArrayList<Comparison.Runs.Run>(), allRuns = new ArrayList<Comparison.Runs.Run>();
            Protocol.Fit[] f = protocol.search(this, loss, train.x, train.t, val.x, val.t, seed, arm.equals(GRADUAL), listener(runs, arm));
            done.add(outcome(arm, Protocol.best(f), runs));
            if (!arm.equals(LAST_LAYER)) return done;
            Protocol.Fit[] all = protocol.fineTuneAll(f, loss, train.x, train.t, val.x, val.t, seed, listener(allRuns, FINE_TUNE));
            done.add(outcome(FINE_TUNE, Protocol.best(all), allRuns));
            return done;
        }

        private Protocol.Listener listener(List<Comparison.Runs.Run> runs, String name) {
            return history == null ? null : history.recorder(runs, name, repeat + 1, kind, val.t);
        }

        private Comparison.Result outcome(String name, Protocol.Fit best, List<Comparison.Runs.Run> runs) {
            return new Comparison.Result(name, repeat, new double[] {Comparison.metric(kind, Setup.outputs(best.net, val.x), val.t, -1)}, best, runs);
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
        layers.addAll(Comparison.layers(hidden, kept.outputs(), outputs, rng));
        return new Network(layers);
    }

    /** A copy of the kept layers with --hidden and a new output layer from Rng(seed) on top, its first {@code frozen} layers frozen. */
    static Network withHead(Network kept, String hidden, int outputs, long seed, int frozen) {
        Network net = kept.copy();
        for (Dense layer : Comparison.layers(hidden, kept.outputs(), outputs, new Rng(seed))) net.append(layer);
        net.freeze(0, frozen);
        return net;
    }

    /** "240 rows", or "the 118 labeled of 240 rows" when some of the rows have no label (the metric and the loss see the labeled ones only). */
    static String rows(Setup.Data d, int[] index) {
        int labeled = labeled(d, index);
        return labeled == index.length ? index.length + " rows" : "the " + labeled + " labeled of " + index.length + " rows";
    }

    /** The rows at the given indices with at least one labeled entry. */
    private static int labeled(Setup.Data d, int[] index) {
        int count = 0;
        for (int n : index) {
            boolean any = false;
            for (boolean l : d.t.labeled[n]) any |= l;
            if (any) count++;
        }
        return count;
    }

    /**
     * Refuses splits of which a side has no labeled row in some repeat: no run could train there,
     * or no validation metric be measured (it would be NaN, and the choice meaningless).
     */
    static void checkLabeled(Setup.Data d, int[][][] splits, List<String> labels) throws UsageException {
        for (int r = 0; r < splits[0].length; r++) {
            for (int side = 0; side < 2; side++) {
                if (labeled(d, splits[side][r]) > 0) continue;
                throw new UsageException("--strategy auto: the " + splits[side][r].length + (side == 0 ? " validation" : " training") + " rows of repeat " + (r + 1)
                    + " have no label in " + String.join(", ", labels) + " (" + labeled(d, all(d.x.length)) + " of the " + d.x.length
                    + " rows are labeled); give more labels or another --split");
            }
        }
    }

    private static int[] all(int N) {
        int[] a = new int[N];
        for (int n = 0; n < N; n++) a[n] = n;
        return a;
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
    private static String record(String[] names, Comparison.Result[][] byArm, String metric, int chosen, Comparison.Result saved) {
        StringBuilder s = new StringBuilder("strategy,repeat,lr,epochs,kept_epoch,val_loss,val_" + metric + ",chosen,saved\n");
        for (int a = 0; a < names.length; a++) {
            for (Comparison.Result c : byArm[a]) {
                s.append(names[a]).append(',').append(c.repeat + 1).append(',').append(c.fit.lr).append(',').append(c.fit.result.history.size()).append(',')
                    .append(c.fit.result.keptEpoch).append(',').append(c.fit.valLoss).append(',').append(c.metric[0]).append(',').append(a == chosen ? 1 : 0).append(',')
                    .append(c == saved ? 1 : 0).append('\n');
            }
        }
        return s.toString();
    }
}
