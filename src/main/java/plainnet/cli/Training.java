package plainnet.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import plainnet.Loss;
import plainnet.Targets;
import plainnet.Trainer;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

/**
 * The training options and settings of the commands, the progress line of an epoch and the
 * metrics tables and number formats the commands print. See SPEC.md, section "Command line".
 */
final class Training {

    private Training() {}

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
        o.value("threads", "T", null, "threads per training step (default: the number of processors, " + processors() + " here; the results are bit-identical for any count)");
        o.value("out", "FILE", null, "where to write the trained model (JSON; written atomically)");
        o.flag("save-diverged", "when training diverges, replace an existing --out with the weights kept (default: leave it unchanged)");
        o.flag("quiet", "no progress lines on standard error");
        o.value("history", "FILE", null, "write one CSV line per epoch (losses, validation metric, learning rate, seconds) to FILE and a chart of the losses to FILE.svg (FILE's .csv replaced)");
    }

    /** Copies the training options into tr; with tr null only checks them. */
    static void settings(Options o, Trainer tr) throws UsageException {
        int epochs = o.integer("epochs", 1), batch = o.integer("batch", 1), decayEvery = o.integer("decay-every", 0), patience = o.integer("patience", 0);
        long seed = o.longValue("seed");
        double decayFactor = o.number("decay-factor", 0.0, true);
        if (decayFactor > 1.0) throw new UsageException("option --decay-factor expected a number in (0, 1], found " + decayFactor);
        int threads = o.get("threads") == null ? processors() : o.integer("threads", 1);
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

    /** The default --threads: the processors the JVM may use, at most the 256 that --threads accepts. */
    static int processors() {
        return Math.min(256, Runtime.getRuntime().availableProcessors());
    }

    /** The progress line of an epoch; the main metric is the validation accuracy (mean over tasks for bce), none for mse. */
    static Trainer.Epoch progress(PrintStream err, Trainer.Epoch e, int epochs, Loss loss, Targets tVal) {
        Kind kind = Kinds.of(loss);
        String metric = "";
        if (e.validationOutput != null && kind.inProgressLine()) {
            metric = String.format(Locale.ROOT, "  val acc %.4f", kind.metric(e.validationOutput, tVal));
        }
        line(err, e.epoch, epochs, e.lr, e.trainLoss, e.validationLoss, metric, e.elapsed, e.examplesPerSecond);
        return e;
    }

    /** The progress line's text; metric is its text after the losses ("" for none). */
    static void line(PrintStream err, int epoch, int epochs, double lr, double trainLoss, double validationLoss, String metric, double elapsed, double examplesPerSecond) {
        // Time left: the mean time of the epochs so far, times the epochs still to run.
        double left = elapsed / epoch * (epochs - epoch);
        err.printf(Locale.ROOT, "epoch %d/%d  lr %.3g  train loss %s%s%s  %.1f s  %.0f ex/s  %.0f s left%n", epoch, epochs, lr, fixed(trainLoss, 5),
            Double.isNaN(validationLoss) ? "" : "  val loss " + fixed(validationLoss, 5), metric, elapsed, examplesPerSecond, left);
    }

    /** The metrics table of outputs z against targets t: the loss line, then the kind's table (SPEC.md §27.7). */
    static String metrics(Loss loss, double[][] z, Targets t, List<String> names) {
        return lossLine(loss, z, t) + Kinds.of(loss).table(loss, z, t, names, false);
    }

    /** "loss (binary_cross_entropy, per_example): 0.123456 (the sum over …)" and a newline. */
    static String lossLine(Loss loss, double[][] z, Targets t) {
        return String.format(Locale.ROOT, "loss (%s, %s): %s %s%n", loss.name(), loss.reduction().fileName(), fixed(loss.forward(z, t), 6), divisor(loss, t));
    }

    /**
     * What the loss line divided by (SPEC.md §9), in words: "(the sum over 3,663 labeled entries /
     * 1,198 rows)" for per_example, so that a partly labeled task's loss line and its per-task
     * mean are seen to differ by the unlabeled fraction. A unit is an entry (n, k), or a row for
     * softmax; task weights scale the sum, not the divisor.
     */
    static String divisor(Loss loss, Targets t) {
        Kind kind = Kinds.of(loss);
        boolean rows = kind.countsRows();
        int N = t.y.length, K = N == 0 ? 0 : t.y[0].length;
        long labeled = 0;
        for (int n = 0; n < N; n++) {
            if (rows) {
                labeled += t.labeled[n][0] ? 1 : 0; // a softmax row is labeled as a whole
                continue;
            }
            for (int k = 0; k < K; k++) if (t.labeled[n][k]) labeled++;
        }
        double[] w = kind.taskWeight(loss);
        String unit = rows ? (labeled == 1 ? "row" : "rows") : (labeled == 1 ? "entry" : "entries");
        String sum = "the " + (w == null ? "" : "task-weighted ") + "sum over " + count(labeled) + " labeled " + unit;
        long units = rows ? N : (long) N * K;
        String orNot = labeled < units ? ", labeled or not" : "";
        switch (loss.reduction()) {
            case PER_EXAMPLE: return "(" + sum + " / " + count(N) + " rows" + orNot + ")";
            case MEAN_LABELED: return "(" + sum + " / " + count(labeled) + ")";
            case MEAN_ALL: return "(" + sum + " / " + count(units) + (rows ? " rows" : " entries") + orNot + ")";
            default: return "(" + sum + ")";
        }
    }

    /** A metric with 4 decimals, or "-" when undefined. */
    static String num(double v) {
        return Kinds.num(v);
    }

    /**
     * A number with the given decimals, but in the short form 1.2346e+302 from 10⁶ on, so that a
     * blown-up loss prints a dozen characters, not 300 digits.
     */
    static String fixed(double v, int decimals) {
        return Kinds.fixed(v, decimals);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
