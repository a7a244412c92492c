package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import plainnet.Activation;
import plainnet.Dense;
import plainnet.Init;
import plainnet.Loss;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Rng;
import plainnet.Standardization;
import plainnet.Trainer;
import plainnet.io.Csv;
import plainnet.io.Dataset;
import plainnet.io.FormatException;
import plainnet.io.ModelFile;
import plainnet.io.TextFiles;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

/**
 * {@code plainnet train} (a new network) and {@code plainnet transfer} (from a saved model: drop
 * the head, add new layers, freeze, train, optionally fine-tune). See SPEC.md, section "Command
 * line".
 */
final class Train {

    private Train() {}

    static Options trainOptions() {
        Options o = new Options("train", "Train a new dense network on a CSV file and save it as a model file.");
        Setup.dataOptions(o, "required");
        o.value("hidden", "SPEC", "32:tanh", "hidden layers, bottom first: UNITS:ACTIVATION items, e.g. 64:relu,32:tanh (empty for none)");
        o.flag("standardize", "standardize each feature by the mean and std of the training rows (saved in the model, applied by evaluate and predict)");
        o.repeatable("group", "SPEC", "an output group (task), repeatable, in column order, instead of --labels/--loss: NAME:KIND:COLUMNS[:weight=W][:tower=H1,..]"
            + "[:reduction=R][:pos-weight=P1,..][:task-weight=T1,..][:classes=C]; --hidden is then the shared trunk (SPEC.md 27.7)");
        Build.lossOptions(o, "bce", "");
        Training.trainingOptions(o);
        return o;
    }

    static Options transferOptions() {
        Options o = new Options("transfer", "Transfer learning from a saved model: drop its last layers, add new ones for the new labels,\n"
            + "freeze the kept layers, train; optionally unfreeze and fine-tune with a smaller learning rate.");
        o.value("model", "FILE", null, "the pre-trained model");
        Setup.dataOptions(o, "default: the model's feature columns");
        o.value("drop", "K", "1", "remove the last K layers of the model");
        o.value("hidden", "SPEC", "", "new hidden layers to add before the new output layer, e.g. 16:tanh (default none)");
        o.value("freeze", "N", null, "freeze the first N layers (default: every kept layer)");
        Build.lossOptions(o, null, " (default: the model's loss; bce for a softmax model when --labels names several columns)");
        Training.trainingOptions(o);
        Strategies.options(o);
        o.value("finetune-epochs", "E", "0", "second stage: epochs of fine-tuning after unfreezing (0: no second stage)");
        o.value("finetune-lr", "RATE", null, "learning rate of the second stage (default: --lr / 10)");
        o.value("unfreeze-from", "L", "0", "second stage: train layers L and above only (those below are frozen)");
        o.value("unfreeze", "MODE", "none", "gradual: train the new layers alone in the first epoch, then unfreeze one more layer from the top each epoch");
        o.value("lr-decay", "F", "1", "discriminative learning rates: the layer d steps below the top trains at lr * F^-d (ULMFiT: 2.6; 1: off)");
        o.value("l2-sp", "ALPHA", "0", "L2-SP: add (ALPHA/2)*|W - W0|^2 to the loss, W0 the --model's weights of the kept layers (0 for new layers)");
        o.value("add-task", "SPEC", null, "add a task to the model instead: NAME:KIND:COLUMNS[:KEY=VALUE..] as train --group, its tower on the model's trunk;"
            + " the trunk and the old towers stay frozen, so the old tasks' outputs keep their bits (SPEC.md 27.7)");
        o.flag("train-trunk", "with --add-task: train the trunk too (the old tasks' outputs then change)");
        o.value("remove-task", "NAME", null, "write the model without this task and its tower (no data, no training: give only --model and --out with it)");
        return o;
    }

    static int train(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options o = trainOptions();
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        if (!o.values("group").isEmpty()) return Tasks.train(o, out, err);
        // Options first, so that a usage error is reported before any file is read.
        String outFile = o.required("out");
        Kind lossKind = Kinds.named(o.choice("loss", Build.LOSSES));
        double lr = o.number("lr", 0.0, true);
        Optimizer opt = checkCommon(o, lr);
        TextFiles.checkOutput(Paths.get(outFile), "--out", "--data", o.required("data"), "--validation", o.get("validation"));
        History history = History.of(o, lossKind, outFile, "--data", o.required("data"), "--validation", o.get("validation"));
        PrintStream progress = o.has("quiet") ? null : err;
        Csv csv = Setup.csv(o.required("data"), progress);
        List<String> labels = Dataset.select(csv, Setup.labels(o, csv), "--labels");
        List<String> features = Setup.features(o, csv, labels);
        Setup.Data d = Setup.read(csv, features, labels, lossKind, Setup.classes(o), "--loss", true);
        Setup.Data[] parts = validation(o, d, lossKind, "--loss", progress);
        Setup.announce(progress, csv, labels, d, lossKind.name());
        Loss loss = Build.loss(o, lossKind, d.outputs.size());
        Standardization standardize = o.has("standardize") ? standardization(parts[0], d) : null;
        standardize(standardize, d, parts, o.get("validation") != null);

        Rng rng = new Rng(o.longValue("seed"));
        List<Dense> layers = Build.hidden(o.get("hidden"), d.x[0].length, rng, "hidden");
        int top = layers.isEmpty() ? d.x[0].length : layers.get(layers.size() - 1).O;
        layers.add(new Dense(top, d.outputs.size(), Activation.IDENTITY, Init.XAVIER_NORMAL, rng));
        return trainNetwork(o, new Network(layers), loss, opt, d, parts, standardize, history, outFile, out, err);
    }

    /**
     * The training, saving and report of {@code train} for a new network (also one {@code
     * --group}'s, SPEC.md §27.7); returns the exit code.
     */
    static int trainNetwork(Options o, Network net, Loss loss, Optimizer opt, Setup.Data d, Setup.Data[] parts, Standardization standardize, History history,
                            String outFile, PrintStream out, PrintStream err) throws UsageException, IOException {
        Interrupt hook = Interrupt.register(err, "train", outFile);
        try {
            Trainer.Result r = fit(o, net, loss, opt, parts[0], parts[1], err, "training", o.integer("epochs", 1), history, 1, false);
            boolean save = !r.diverged || keepDiverged(o, err, r, r.keptEpoch > 0 ? "the weights after epoch " + r.keptEpoch + ", the last one that did not diverge" : null, outFile,
                Overflow.firstStep(r, net, loss, parts[0], standardize != null));
            writeHistory(history, save ? r.keptEpoch : 0, err, o);
            if (!save) return 1;
            hook.save(new ModelFile(net, loss, d.features, d.outputs, standardize));
            report(out, net, loss, parts, d.outputs, outFile, r.diverged ? null : keptNote(o, r, 0, r.history.size(), 1));
            return r.diverged ? 1 : 0;
        } finally {
            hook.unregister();
        }
    }

    static int transfer(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options o = transferOptions();
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        if (o.get("add-task") != null) return Tasks.addTask(o, out, err);
        if (o.get("remove-task") != null) return Tasks.removeTask(o, out);
        if (o.has("train-trunk")) throw new UsageException("option --train-trunk goes with --add-task only");
        String outFile = o.required("out");
        Kind lossOption = Build.kindOption(o);
        double lr = o.number("lr", 0.0, true);
        Optimizer opt = checkCommon(o, lr);
        int drop = o.integer("drop", 0);
        if (o.get("freeze") != null) o.integer("freeze", 0);
        int stage2 = o.integer("finetune-epochs", 0);
        int unfreezeFrom = o.integer("unfreeze-from", 0);
        double lr2 = o.get("finetune-lr") == null ? lr / 10 : o.number("finetune-lr", 0.0, true);
        boolean gradual = o.choice("unfreeze", "none", "gradual").equals("gradual");
        double lrDecay = o.number("lr-decay", 1.0, false), alpha = o.number("l2-sp", 0.0, false);
        TextFiles.checkOutput(Paths.get(outFile), "--out", "--model", o.required("model"), "--data", o.required("data"), "--validation", o.get("validation"));
        ModelFile source = ModelFile.load(Paths.get(o.required("model")));
        if (source.groupCount() > 1) {
            throw new UsageException("transfer with --labels expected a model of one output group, found " + o.get("model") + " with " + source.groupCount() + " ("
                + String.join(", ", Tasks.groupNames(source)) + "); give --add-task NAME:KIND:COLUMNS to add a task to it, or --remove-task NAME to take one out");
        }
        PrintStream progress = o.has("quiet") ? null : err;
        Csv csv = Setup.csv(o.required("data"), progress);
        List<String> labels = Dataset.select(csv, Setup.labels(o, csv), "--labels");
        List<String> features = source.features;
        if (o.get("features") == null) Setup.checkModelColumns(csv, o.required("model"), source.features);
        else features = Dataset.selectFeatures(csv, o.get("features"), labels);
        // The model's loss kind unless --loss is given; a softmax model's labels must then be one column.
        Kind lossKind = lossOption != null ? lossOption : Kinds.of(source.loss);
        String why = lossOption != null ? "" : " (the model's)";
        if (lossOption == null && lossKind.oneLabelColumn() && labels.size() != 1) {
            why = " (the model's is " + lossKind.name() + ", which takes one label column)";
            lossKind = Kinds.BCE;
        }
        // Checked before the data are read; after the loss kind, which decides the metric column.
        History history = History.of(o, lossKind, outFile, "--model", o.required("model"), "--data", o.required("data"), "--validation", o.get("validation"));
        Network net = source.net;
        if (features.size() != net.inputs()) {
            throw new UsageException("the model " + o.get("model") + " reads " + net.inputs() + " inputs, but --features selects " + features.size() + " columns of " + csv.file
                + " (" + Dataset.abbreviate(features) + "); give --features with " + net.inputs() + " columns, or leave it out to read the model's columns ("
                + Dataset.abbreviate(source.features) + ")");
        }
        // messages name where the loss kind came from: --loss, the model's, or bce chosen in its place
        String from = lossOption != null ? "--loss" : lossKind == Kinds.of(source.loss) ? "the model's loss" : "the loss";
        Setup.Data d = Setup.read(csv, features, labels, lossKind, Setup.classes(o), from, true);
        Setup.Data[] parts = validation(o, d, lossKind, from, progress);
        Setup.announce(progress, csv, labels, d, lossKind.name() + why);
        Loss loss = Build.loss(o, lossKind, d.outputs.size());
        // The kept layers read the same inputs as before, so they get the source model's standardization.
        standardize(source.standardize, d, parts, o.get("validation") != null);

        if (drop >= net.size()) throw new UsageException("option --drop expected at most " + (net.size() - 1) + " (the model has " + net.size() + " layers and one must remain), found " + drop);
        net.removeLast(drop);
        int kept = net.size();
        // L2-SP's W⁰: the --model's weights of the kept layers, held (copied) by the optimizers of this run only
        Dense[] anchored = new Dense[kept];
        double[][][] W0 = new double[kept][][];
        for (int l = 0; l < kept; l++) {
            anchored[l] = net.layer(l);
            W0[l] = new double[net.layer(l).O][];
            for (int j = 0; j < W0[l].length; j++) W0[l][j] = net.layer(l).W[j].clone(); // stage 1 may train them: keep the pre-trained values
        }
        Rng rng = new Rng(o.longValue("seed"));
        List<Dense> added = new ArrayList<Dense>(Build.hidden(o.get("hidden"), net.outputs(), rng, "hidden"));
        int top = added.isEmpty() ? net.outputs() : added.get(added.size() - 1).O;
        added.add(new Dense(top, d.outputs.size(), Activation.IDENTITY, Init.XAVIER_NORMAL, rng));
        for (Dense layer : added) net.append(layer);
        int freeze = o.get("freeze") == null ? kept : o.integer("freeze", 0);
        if (freeze >= net.size()) throw new UsageException("option --freeze expected at most " + (net.size() - 1) + " (at least the new output layer must train), found " + freeze);
        net.unfreeze(0, net.size());
        net.freeze(0, freeze);

        if (stage2 > 0 && unfreezeFrom >= net.size()) {
            throw new UsageException("option --unfreeze-from expected a layer index below " + net.size() + ", found " + unfreezeFrom);
        }
        Interrupt hook = Interrupt.register(err, "transfer", outFile);
        try {
            Trainer.Result r;
            try {
                r = fit(o, net, loss, strategies(opt, lrDecay, alpha, anchored, W0), parts[0], parts[1], err,
                    "stage 1 (" + layers(freeze, net.size() - 1) + " trainable" + (gradual ? " in the first epoch, one more layer from the top each epoch after)" : ")"),
                    o.integer("epochs", 1), history, 1, gradual);
            } catch (IllegalArgumentException e) {
                // The cached outputs of the frozen layers are checked as inputs of the layers above:
                // name the model and the data row when they are not finite.
                checkFiniteOutputs(net, freeze, o.required("model"), d);
                throw e;
            }
            String keptWeights = r.keptEpoch > 0 ? "the weights after epoch " + r.keptEpoch + " of stage 1, the last one that did not diverge" : null;
            int offset = 0, keptEpoch = r.keptEpoch; // epochs before the last stage; the kept epoch, counted across the stages
            // Only stage 1 starts from weights no learning rate has touched.
            String firstStep = Overflow.firstStep(r, net, loss, parts[0], source.standardize != null);
            if (!r.diverged && stage2 > 0) {
                // stage 2 trains exactly layers ≥ L: those below are frozen again, even if stage 1 trained them
                net.freeze(0, unfreezeFrom);
                net.unfreeze(unfreezeFrom, net.size());
                offset = r.history.size();
                int stage1Kept = r.keptEpoch;
                r = fit(o, net, loss, strategies(Build.optimizer(o, lr2), lrDecay, alpha, anchored, W0), parts[0], parts[1], err,
                    "stage 2 (fine-tuning " + layers(unfreezeFrom, net.size() - 1) + ")", stage2, history, 2, false);
                // A divergence in stage 2 keeps at least the weights stage 1 finished with.
                keptWeights = r.keptEpoch > 0 ? "the weights after epoch " + r.keptEpoch + " of stage 2, the last one that did not diverge" : "the weights stage 1 finished with";
                keptEpoch = r.keptEpoch > 0 ? offset + r.keptEpoch : stage1Kept;
            }
            boolean save = !r.diverged || keepDiverged(o, err, r, keptWeights, outFile, firstStep);
            writeHistory(history, save ? keptEpoch : 0, err, o);
            if (!save) return 1;
            hook.save(new ModelFile(net, loss, d.features, d.outputs, source.standardize));
            // early stopping chooses within a stage: stage 2, or the last stage of gradual unfreezing
            int first = offset > 0 ? offset + 1 : gradual ? lastStageStart(freeze, o.integer("epochs", 1)) : 1;
            report(out, net, loss, parts, d.outputs, outFile, r.diverged ? null : keptNote(o, r, offset, offset + r.history.size(), first));
            return r.diverged ? 1 : 0;
        } finally {
            hook.unregister();
        }
    }

    /** "layer 2" for one layer, "layers 0-2" for several. */
    static String layers(int from, int to) {
        return from == to ? "layer " + from : "layers " + from + "-" + to;
    }

    /** opt with transfer's --lr-decay and --l2-sp (SPEC.md §10.1); W⁰ the kept layers' pre-trained weights. */
    private static Optimizer strategies(Optimizer opt, double lrDecay, double alpha, Dense[] anchored, double[][][] W0) {
        if (lrDecay != 1.0) opt = opt.withLrDecay(lrDecay);
        return alpha == 0.0 ? opt : opt.withL2SP(alpha, anchored, W0);
    }

    /** Writes the --history files (when given), the saved weights being those of epoch {@code kept} (0: none saved). */
    static void writeHistory(History history, int kept, PrintStream err, Options o) throws IOException {
        if (history == null) return;
        history.kept = kept;
        history.write();
        if (!o.has("quiet")) err.println("plainnet: wrote the training history to " + o.get("history") + " and its chart to " + History.chartOf(o.get("history")));
    }

    /**
     * The first epoch of gradual unfreezing's last stage, the one its early stopping chooses in:
     * K + 1 with K = min(h, E − 1), h the lowest trainable layer when it starts (SPEC.md §19).
     */
    static int lastStageStart(int h, int epochs) {
        return Math.min(h, epochs - 1) + 1;
    }

    /**
     * With --patience, the line of the report that says which epoch's weights were saved: the one
     * with the lowest validation loss (SPEC.md §19) among the epochs {@code first} … {@code last}
     * of the stage it was chosen in (early stopping acts within a stage), numbered across the
     * stages ({@code offset} epochs before the last stage, {@code last} epochs in all); null
     * without --patience.
     */
    private static String keptNote(Options o, Trainer.Result r, int offset, int last, int first) throws UsageException {
        if (r.keptEpoch == 0) return null;
        return keptNote(o, r.keptEpoch, r.history.size(), r.stoppedEarly, r.history.get(r.keptEpoch - 1).validationLoss, offset, last, first);
    }

    /** {@link #keptNote(Options, Trainer.Result, int, int, int)} from the result's parts: epoch {@code kept} of {@code epochs}, its validation loss v. */
    static String keptNote(Options o, int kept, int epochs, boolean stoppedEarly, double v, int offset, int last, int first) throws UsageException {
        if (o.integer("patience", 0) == 0 || kept == 0) return null;
        String among = first > 1 ? " of epochs " + first + "-" + last + ", the last stage" : "";
        return "kept the weights of epoch " + (offset + kept) + " of " + last + ", the lowest validation loss" + among + " (" + Training.fixed(v, 5) + ")"
            + (kept == epochs ? "" : stoppedEarly ? "; early stopping (--patience " + o.get("patience") + ")" : ", not the last epoch's");
    }

    /**
     * Throws a FormatException naming the model file, the layer and the data line when the first
     * {@code layers} layers of the network give an output that is not finite for a row of x.
     */
    private static void checkFiniteOutputs(Network net, int layers, String model, Setup.Data d) throws FormatException {
        List<Dense> below = new ArrayList<Dense>();
        for (int l = 0; l < layers; l++) below.add(net.layer(l));
        Network base = new Network(below);
        for (int n = 0; n < d.x.length; n++) {
            base.forward(new double[][] {d.x[n]});
            for (int l = 0; l < layers; l++) {
                for (double v : base.activation(l)[0]) {
                    if (Double.isNaN(v) || Double.isInfinite(v)) {
                        throw new FormatException(model, 0, 0, "layer " + l + ": expected finite outputs, found " + v + " for line " + d.lines[n] + " of " + d.file
                            + " (the weights are too large for these inputs)");
                    }
                }
            }
        }
    }

    /**
     * Reports a divergence on standard error; true when the kept weights are to be saved: there
     * are some ({@code kept} is not null) and --out does not exist yet or --save-diverged is given.
     * An existing --out is never replaced by a diverged run unless asked (SPEC.md, "Command line").
     * The message ends with {@code firstStep} (a loss not finite before any update: the data, not
     * the rate) or, when it is null, with the advice of a smaller --lr.
     */
    private static boolean keepDiverged(Options o, PrintStream err, Trainer.Result r, String kept, String outFile, String firstStep) {
        return keepDiverged(o, err, r.divergedEpoch, r.divergedStep, r.divergence, kept, outFile, firstStep);
    }

    /** {@link #keepDiverged(Options, PrintStream, Trainer.Result, String, String, String)} from where and what diverged. */
    static boolean keepDiverged(Options o, PrintStream err, int epoch, int step, String divergence, String kept, String outFile, String firstStep) {
        String s = "plainnet: training diverged in epoch " + epoch + ", step " + step + ": " + divergence + "; ";
        boolean save = kept != null && (o.has("save-diverged") || !Files.exists(Paths.get(outFile), LinkOption.NOFOLLOW_LINKS));
        if (kept == null) s += "no epoch finished, so no model is written";
        else if (save) s += "saving " + kept + " to " + outFile;
        else s += outFile + " already exists and is left unchanged (give --save-diverged to replace it with " + kept + ")";
        err.println(s + ". " + (firstStep != null ? firstStep : "Try a smaller --lr."));
        return save;
    }

    /**
     * The statistics of --standardize from the training rows; a column whose mean or std overflows
     * or underflows in double precision is refused naming the file and the column (SPEC.md,
     * "Standardization").
     */
    static Standardization standardization(Setup.Data train, Setup.Data d) throws FormatException {
        try {
            return Standardization.fit(train.x);
        } catch (IllegalArgumentException e) {
            // Find the column: each feature's statistics depend on that column alone.
            for (int i = 0; i < d.features.size(); i++) {
                double[][] column = new double[train.x.length][1]; // (N, 1)
                for (int n = 0; n < column.length; n++) column[n][0] = train.x[n][i];
                try {
                    Standardization.fit(column);
                } catch (IllegalArgumentException bad) {
                    throw new FormatException(d.file, 0, 0, "column " + d.features.get(i) + ": cannot be standardized in double precision ("
                        + bad.getMessage().replace(" at index 0", "") + "); rescale the column, or train without --standardize");
                }
            }
            throw e;
        }
    }

    /**
     * Standardizes the rows of d in place (which covers both parts of a --split) and the rows of a
     * --validation file; nothing when s is null.
     */
    static void standardize(Standardization s, Setup.Data d, Setup.Data[] parts, boolean validationFile) {
        if (s == null) return;
        s.apply(d.x);
        if (validationFile) s.apply(parts[1].x);
    }

    /**
     * The shutdown hook of a training command: on Ctrl-C (SIGINT) or SIGTERM it removes the
     * temporary file of a save in progress and prints one line saying what happened to --out,
     * which a save replaces only when the new file is complete (SPEC.md, "Command line").
     */
    static final class Interrupt extends Thread {
        private final PrintStream err;
        private final String command, outFile;
        private volatile boolean saving, saved; // the save has started; it has finished

        private Interrupt(PrintStream err, String command, String outFile) {
            this.err = err;
            this.command = command;
            this.outFile = outFile;
        }

        static Interrupt register(PrintStream err, String command, String outFile) {
            Interrupt hook = new Interrupt(err, command, outFile);
            Runtime.getRuntime().addShutdownHook(hook);
            return hook;
        }

        /** Saves the model to --out, so that an interruption during the save is reported as such. */
        void save(ModelFile m) throws IOException {
            saving = true;
            m.save(Paths.get(outFile));
            saved = true;
        }

        void unregister() {
            try {
                Runtime.getRuntime().removeShutdownHook(this);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs or has run
            }
        }

        @Override
        public void run() {
            TextFiles.removeUnfinished();
            String s;
            if (saved) s = "interrupted after the model was saved to " + outFile;
            else if (saving) s = "interrupted while saving the model: " + outFile + " is either as it was or the complete new model, never half-written";
            else s = "interrupted; " + outFile + " was left as it was (no model written)";
            err.println("plainnet " + command + ": " + s);
            err.flush();
        }
    }

    /** Checks the options that every training command shares, before any file is read; returns the optimizer at rate lr. */
    static Optimizer checkCommon(Options o, double lr) throws UsageException {
        Optimizer opt = Build.optimizer(o, lr);
        Build.loss(o, Build.kindOption(o), -1);
        Training.settings(o, null);
        Setup.classes(o);
        Build.hidden(o.get("hidden"), 1, null, "hidden");
        if (o.get("validation") != null && o.get("split") != null) throw new UsageException("options --validation and --split exclude each other");
        if (o.get("split") != null) {
            double f = o.number("split", 0.0, true);
            if (f >= 1.0) throw new UsageException("option --split expected a fraction in (0, 1), found " + f);
            o.longValue("split-seed");
        }
        if (o.integer("patience", 0) > 0 && o.get("validation") == null && o.get("split") == null) {
            throw new UsageException("option --patience needs validation data: give --validation FILE or --split FRACTION");
        }
        return opt;
    }

    /** Splits off validation data: --validation FILE, or --split FRACTION, or none. */
    static Setup.Data[] validation(Options o, Setup.Data d, Kind lossKind, String from, PrintStream progress) throws UsageException, IOException {
        if (o.get("validation") != null && o.get("split") != null) throw new UsageException("options --validation and --split exclude each other");
        if (o.get("validation") != null) {
            Csv csv = Setup.csv(o.get("validation"), progress);
            List<String> labels = lossKind.labelColumns(d.outputs);
            Setup.Data v = Setup.read(csv, d.features, labels, lossKind, lossKind.oneLabelColumn() ? d.outputs.size() : 0, from, true);
            return new Setup.Data[] {d, v};
        }
        return split(o, d);
    }

    /** Splits off validation data by --split FRACTION, or none: {training, validation or null}. */
    static Setup.Data[] split(Options o, Setup.Data d) throws UsageException {
        if (o.get("split") != null) {
            double f = o.number("split", 0.0, true);
            int[][] parts;
            try {
                parts = Dataset.splitRows(d.x.length, f, o.longValue("split-seed"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("option --split expected a fraction in (0, 1) leaving rows on both sides of " + d.x.length + " rows, found " + f);
            }
            return new Setup.Data[] {subset(d, parts[0]), subset(d, parts[1])};
        }
        return new Setup.Data[] {d, null};
    }

    /** The rows at the given indices, in that order, with their file lines. */
    static Setup.Data subset(Setup.Data d, int[] index) {
        double[][] x = new double[index.length][]; // (index.length, I) rows shared with d, not copied
        int[] lines = new int[index.length];
        for (int j = 0; j < index.length; j++) {
            x[j] = d.x[index[j]];
            lines[j] = d.lines[index[j]];
        }
        return new Setup.Data(x, d.t.rows(index, 0, index.length), d.features, d.outputs, d.file, lines, d.groupK);
    }

    /**
     * Trains (with gradual unfreezing when {@code gradual}, SPEC.md §19); the network then holds
     * the weights to keep (SPEC.md, section "Training loop"). Each epoch goes to the history (when
     * given) as stage {@code stageNumber}, numbered after the epochs already there.
     */
    private static Trainer.Result fit(Options o, Network net, Loss loss, Optimizer opt, Setup.Data train, Setup.Data val, PrintStream err, String stage, int epochs,
                                      History history, int stageNumber, boolean gradual) throws UsageException {
        Trainer tr = new Trainer(net, loss, opt);
        Training.settings(o, tr);
        tr.epochs = epochs;
        if (tr.patience > 0 && val == null) throw new UsageException("option --patience needs validation data: give --validation FILE or --split FRACTION");
        boolean quiet = o.has("quiet");
        if (!quiet) err.println("plainnet: " + stage + ": " + train.x.length + " rows" + (val == null ? "" : ", validation " + val.x.length + " rows"));
        int offset = history == null ? 0 : history.epochs();
        int first = gradual ? lastStageStart(net.lowestTrainable(), epochs) : 1; // early stopping chooses within the last stage
        java.util.function.Consumer<Trainer.Epoch> listener = e -> {
            // the lowest trainable layer is read now, while the epoch's freezing is in place (gradual unfreezing changes it)
            if (history != null) history.add(e, offset, stageNumber, net.lowestTrainable(), val == null ? null : val.t);
            if (!quiet) Training.progress(err, e, epochs, loss, val == null ? null : val.t);
        };
        Trainer.Result r = gradual ? tr.fitGradual(train.x, train.t, val == null ? null : val.x, val == null ? null : val.t, listener)
            : tr.fit(train.x, train.t, val == null ? null : val.x, val == null ? null : val.t, listener);
        if (r.stoppedEarly && !quiet) err.println("plainnet: early stopping after epoch " + r.history.size() + "; keeping the weights of epoch " + r.keptEpoch);
        else if (tr.patience > 0 && !r.diverged && r.keptEpoch < r.history.size() && !quiet) {
            err.println("plainnet: keeping the weights of epoch " + r.keptEpoch + ", which had the lowest validation loss"
                + (first > 1 ? " of epochs " + first + "-" + r.history.size() + " (the last stage)" : "") + ", not those of the last epoch " + r.history.size());
        }
        return r;
    }

    private static void report(PrintStream out, Network net, Loss loss, Setup.Data[] parts, List<String> names, String outFile, String note) {
        Setup.Data shown = parts[1] != null ? parts[1] : parts[0];
        out.println("saved " + outFile + " (" + net.size() + " layers, " + Training.count(net.parameterCount()) + " parameters, "
            + Training.count(net.trainableParameterCount()) + " trainable)");
        if (note != null) out.println(note);
        out.println((parts[1] != null ? "validation" : "training") + " metrics (" + shown.x.length + " rows):");
        double[][] z = Setup.outputs(net, shown.x);
        out.print(Training.metrics(loss, z, shown.t, names));
    }
}
