package plainnet.cli;

import java.util.ArrayList;
import java.util.List;
import plainnet.Activation;
import plainnet.Dense;
import plainnet.Init;
import plainnet.Loss;
import plainnet.Optimizer;
import plainnet.Reduction;
import plainnet.Rng;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

/**
 * The loss, optimizer and network options of the commands and what they build: the loss (with
 * the CLI's one table of loss aliases), the optimizer and the new hidden layers with their
 * activations. See SPEC.md, section "Command line".
 */
final class Build {

    private Build() {}

    /**
     * The CLI's names of the losses (--loss): the kinds' names ({@link Kinds}), each standing for
     * its file name. Model files use only the file names; --reduction and the activations of
     * --hidden take the file names, and --hidden also UNITS:leaky_relu(SLOPE) (see {@link #activation}).
     */
    static final String[] LOSSES = Kinds.names();
    static final String[] REDUCTIONS = reductionNames();
    static final String[] OPTIMIZERS = {"adam", "sgd", "momentum"};

    /** The loss options; {@code fallback} is the --loss default (null: decided by the command, said in {@code help}). */
    static void lossOptions(Options o, String fallback, String help) {
        o.value("loss", "NAME", fallback, "bce (binary cross-entropy, one sigmoid output per label column), softmax (one class-index column), mse" + help);
        o.value("reduction", "NAME", "per_example", "per_example (sum over labeled entries / rows), mean_labeled, mean_all, sum");
        o.value("task-weight", "W1,W2,..", null, "bce/mse: one weight >= 0 per label column");
        o.value("pos-weight", "P1,P2,..", null, "bce: one positive-class weight > 0 per label column (PyTorch's pos_weight)");
        o.value("classes", "C", null, "softmax: the number of classes (default: the largest class index in the data + 1)");
    }

    /** The largest layer width accepted by --hidden. */
    static final int MAX_UNITS = 1_000_000;

    /** The --loss given, or null when it is left out (transfer then takes the model's kind). */
    static Kind kindOption(Options o) throws UsageException {
        return o.get("loss") == null ? null : Kinds.named(o.choice("loss", LOSSES));
    }

    /**
     * The loss of the given kind with the options for K outputs; K &lt; 0 only checks the options
     * (kind null: those that do not depend on the kind).
     */
    static Loss loss(Options o, Kind kind, int K) throws UsageException {
        Reduction r = Reduction.parse(o.choice("reduction", REDUCTIONS));
        double[] w = o.numbers("task-weight");
        double[] p = o.numbers("pos-weight");
        if (kind == null) return null;
        if (p != null && kind.posWeightField() == null) throw new UsageException("option --pos-weight applies to --loss " + Kinds.taking(true) + " only");
        if (w != null && kind.taskWeightField() == null) throw new UsageException("option --task-weight applies to --loss " + Kinds.taking(false) + " only");
        if (K < 0) {
            w = null;
            p = null;
        }
        if (w != null && w.length != K) throw new UsageException("option --task-weight expected " + K + " weights (one per label column), found " + w.length);
        if (p != null && p.length != K) throw new UsageException("option --pos-weight expected " + K + " weights (one per label column), found " + p.length);
        try {
            return kind.loss(r, w, p);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
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
}
