package plainnet.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Loss;
import plainnet.MeanSquaredError;
import plainnet.Network;
import plainnet.Reduction;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Standardization;

/**
 * The model file: a network, its loss and its task names, as versioned JSON. See SPEC.md,
 * section "Model file".
 *
 * <pre>
 * {
 *   "format": "plainnet-model",
 *   "version": 1,
 *   "layers": [
 *     {"inputs": I, "outputs": O, "activation": "tanh", "trainable": true, "lr_scale": 1.0,
 *      "W": [[...], ...],  "b": [...]},                       (leaky_relu adds "slope": s)
 *     ...
 *   ],
 *   "loss": {"kind": "binary_cross_entropy", "reduction": "per_example",
 *            "task_weight": null or [K numbers], "pos_weight": null or [K numbers]},
 *   "features": ["name of input 0", ...]                       (I names: the data columns read)
 *   "tasks": ["name of output 0", ...]                         (K names)
 *   "standardize": {"mean": [I numbers], "std": [I numbers]}   (optional: absent without standardization)
 * }
 * </pre>
 *
 * Saving is atomic: the text goes to a temporary file in the same folder, which is then renamed
 * over the target, so an interrupted save never destroys the previous model.
 */
public final class ModelFile {

    /** The value of the file's "format" field. */
    public static final String FORMAT = "plainnet-model";
    /** The value of the file's "version" field: the version of the file format (SPEC.md §16), not of plainnet. */
    public static final int VERSION = 1;

    /** The network. */
    public final Network net;
    /** The loss the network is trained with. */
    public final Loss loss;
    /** One name per network input (I): the data columns the model reads. */
    public final List<String> features;
    /** One name per network output (K): the tasks, or the classes of a softmax output. */
    public final List<String> tasks;
    /** The standardization of the inputs, applied before layer 0, or null for none. */
    public final Standardization standardize;

    /**
     * A model without standardization; see {@link #ModelFile(Network, Loss, List, List, Standardization)}.
     *
     * @param net      the network, I inputs and K outputs
     * @param loss     the loss it is trained with
     * @param features one name per input (I)
     * @param tasks    one name per output (K)
     * @throws IllegalArgumentException if the number of names differs from the inputs or outputs
     */
    public ModelFile(Network net, Loss loss, List<String> features, List<String> tasks) {
        this(net, loss, features, tasks, null);
    }

    /**
     * A model: the network with everything needed to use it on a data file.
     *
     * @param net         the network, I inputs and K outputs
     * @param loss        the loss it is trained with
     * @param features    one name per input (I)
     * @param tasks       one name per output (K)
     * @param standardize the input standardization (I features), or null for none
     * @throws IllegalArgumentException if the number of names or of standardized features differs from the inputs or outputs
     */
    public ModelFile(Network net, Loss loss, List<String> features, List<String> tasks, Standardization standardize) {
        if (net == null || loss == null || features == null || tasks == null) {
            throw new IllegalArgumentException("model: expected a network, a loss, feature names and task names, found null");
        }
        if (features.size() != net.inputs()) {
            throw new IllegalArgumentException("model: expected " + net.inputs() + " feature names (one per input), found " + features.size());
        }
        if (tasks.size() != net.outputs()) {
            throw new IllegalArgumentException("model: expected " + net.outputs() + " task names (one per output), found " + tasks.size());
        }
        this.net = net;
        this.loss = loss;
        this.features = new ArrayList<String>(features);
        if (standardize != null && standardize.size() != net.inputs()) {
            throw new IllegalArgumentException("model: expected a standardization of " + net.inputs() + " features (one per input), found " + standardize.size());
        }
        this.tasks = new ArrayList<String>(tasks);
        this.standardize = standardize;
    }

    // ----------------------------------------------------------------------------------------
    // writing

    /**
     * The model as JSON text in the format of SPEC.md §16; every double is written so that it
     * reads back to the same bits.
     *
     * @return the file's content
     */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<String, Object>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("layers", layersToJson(net));
        root.put("loss", lossToMap(loss));
        root.put("features", new ArrayList<Object>(features));
        root.put("tasks", new ArrayList<Object>(tasks));
        if (standardize != null) {
            Map<String, Object> m = new LinkedHashMap<String, Object>();
            m.put("mean", standardize.mean);
            m.put("std", standardize.std);
            root.put("standardize", m);
        }
        return Json.write(root);
    }

    /**
     * The "layers" array of the model file (and of the vector files): one object per layer.
     *
     * @param net the network
     * @return L maps with activation, W (O, I), b (O), trainable and lr_scale
     */
    public static List<Object> layersToJson(Network net) {
        List<Object> layers = new ArrayList<Object>();
        for (int l = 0; l < net.size(); l++) {
            Dense d = net.layer(l);
            Map<String, Object> m = new LinkedHashMap<String, Object>();
            m.put("inputs", d.I);
            m.put("outputs", d.O);
            m.put("activation", d.f.name());
            if (d.f.kind == Activation.Kind.LEAKY_RELU) m.put("slope", d.f.slope);
            m.put("trainable", d.isTrainable());
            m.put("lr_scale", d.lrScale());
            m.put("W", d.W);
            m.put("b", d.b);
            layers.add(m);
        }
        return layers;
    }

    /**
     * The "loss" object: kind, reduction and weights.
     *
     * @param loss one of the three losses
     * @return the map for the file's "loss" field
     */
    public static Map<String, Object> lossToMap(Loss loss) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("kind", loss.name());
        m.put("reduction", loss.reduction().fileName());
        if (loss instanceof BinaryCrossEntropy) {
            m.put("task_weight", ((BinaryCrossEntropy) loss).taskWeight());
            m.put("pos_weight", ((BinaryCrossEntropy) loss).posWeight());
        } else if (loss instanceof MeanSquaredError) {
            m.put("weight", ((MeanSquaredError) loss).weight());
        }
        return m;
    }

    /**
     * Writes the model to {@code path} atomically ({@link TextFiles#writeAtomically}): on any
     * failure the previous file at {@code path} is untouched.
     *
     * @param path the model file
     * @throws FormatException naming the path when it cannot be written
     * @throws IOException     as {@link TextFiles#writeAtomically}
     */
    public void save(Path path) throws IOException {
        TextFiles.writeAtomically(path, toJson());
    }

    // ----------------------------------------------------------------------------------------
    // reading

    /**
     * Reads a model file; see {@link #parse}.
     *
     * @param path the model file
     * @return the model
     * @throws FormatException for a missing or unreadable file, or any of {@link #parse}'s errors
     * @throws IOException     as {@link TextFiles#read}
     */
    public static ModelFile load(Path path) throws IOException {
        return parse(TextFiles.read(path, "a model file"), path.toString());
    }

    /**
     * Parses model JSON. Everything is checked before anything is built, so a malformed file never
     * yields a half-loaded model.
     *
     * @param text the file's content
     * @param file the name used in error messages
     * @return the model
     * @throws FormatException naming the file, the field, what was expected and what was found
     */
    public static ModelFile parse(String text, String file) throws FormatException {
        Fields root = Fields.root(Json.parse(text, file), file);
        String format = root.string("format");
        if (!format.equals(FORMAT)) throw root.error("format", "expected \"" + FORMAT + "\", found \"" + format + "\"");
        int version = root.integer("version");
        if (version != VERSION) throw root.error("version", "expected " + VERSION + ", found " + version);

        Network net = parseLayers(root);
        int K = net.outputs();
        Loss loss = loss(root.object("loss"), K);
        List<String> features = root.strings("features");
        if (features.size() != net.inputs()) throw root.error("features", "expected " + net.inputs() + " names (one per input of the first layer), found " + features.size());
        List<String> tasks = root.strings("tasks");
        if (tasks.size() != K) throw root.error("tasks", "expected " + K + " names (one per output of the last layer), found " + tasks.size());
        Standardization standardize = null;
        if (!root.isNull("standardize")) {
            Fields f = root.object("standardize");
            f.noOtherKeys("mean", "std");
            double[] mean = f.vector("mean", net.inputs());
            double[] std = f.vector("std", net.inputs());
            for (int i = 0; i < std.length; i++) if (!(std[i] > 0.0)) throw f.error("std", "expected numbers > 0, found " + std[i] + " at index " + i);
            standardize = new Standardization(mean, std);
        }
        root.noOtherKeys("format", "version", "layers", "loss", "features", "tasks", "standardize");
        return new ModelFile(net, loss, features, tasks, standardize);
    }

    /**
     * Parses and checks the "layers" array of a model or vector file into a network: each W
     * (O, I) with I the previous layer's O, b (O), finite numbers, a known activation.
     *
     * @param root the object holding "layers"
     * @return the network
     * @throws FormatException naming the first bad field, e.g. {@code layers[1].W[3]}
     */
    public static Network parseLayers(Fields root) throws FormatException {
        List<Fields> layerFields = root.objects("layers");
        if (layerFields.isEmpty()) throw root.error("layers", "expected at least 1 layer, found none");
        List<Dense> layers = new ArrayList<Dense>();
        int previous = -1;
        for (Fields f : layerFields) {
            int I = f.integer("inputs");
            int O = f.integer("outputs");
            if (I < 1) throw f.error("inputs", "expected at least 1, found " + I);
            if (O < 1) throw f.error("outputs", "expected at least 1, found " + O);
            if (previous >= 0 && I != previous) {
                throw f.error("inputs", "expected " + previous + " (the outputs of the layer below), found " + I);
            }
            previous = O;
            Activation act = activation(f);
            boolean trainable = f.bool("trainable");
            double lrScale = f.number("lr_scale");
            if (!(lrScale > 0.0)) throw f.error("lr_scale", "expected a number > 0, found " + lrScale);
            double[][] W = f.matrix("W", O, I);
            double[] b = f.vector("b", O);
            Dense d = new Dense(W, b, act);
            d.setTrainable(trainable);
            d.setLrScale(lrScale);
            layers.add(d);
        }
        return new Network(layers);
    }

    private static Activation activation(Fields f) throws FormatException {
        String name = f.string("activation");
        if (name.equals(Activation.LEAKY_RELU.name())) {
            double slope = f.number("slope");
            if (!(slope > 0.0 && slope < 1.0)) throw f.error("slope", "expected a number in (0, 1), found " + slope);
            f.noOtherKeys("inputs", "outputs", "activation", "slope", "trainable", "lr_scale", "W", "b");
            return Activation.leakyRelu(slope);
        }
        f.noOtherKeys("inputs", "outputs", "activation", "trainable", "lr_scale", "W", "b");
        try {
            return Activation.parse(name);
        } catch (IllegalArgumentException e) {
            throw f.error("activation", e.getMessage());
        }
    }

    /**
     * Parses a "loss" object for K outputs (SPEC.md §8, §16).
     *
     * @param f the "loss" object
     * @param K the network's outputs, the length of any weight vector
     * @return the loss
     * @throws FormatException for an unknown kind or reduction, an unexpected field, or a weight
     *                         vector of the wrong length or out of range
     */
    public static Loss loss(Fields f, int K) throws FormatException {
        String kind = f.string("kind");
        Reduction reduction = reduction(f);
        if (kind.equals(BinaryCrossEntropy.NAME)) {
            f.noOtherKeys("kind", "reduction", "task_weight", "pos_weight");
            double[] w = f.optionalVector("task_weight", K);
            double[] p = f.optionalVector("pos_weight", K);
            if (w != null) for (int k = 0; k < K; k++) if (!(w[k] >= 0.0)) throw f.error("task_weight", "expected numbers >= 0, found " + w[k] + " at index " + k);
            if (p != null) for (int k = 0; k < K; k++) if (!(p[k] > 0.0)) throw f.error("pos_weight", "expected numbers > 0, found " + p[k] + " at index " + k);
            return new BinaryCrossEntropy(reduction, w, p);
        }
        if (kind.equals(SoftmaxCrossEntropy.NAME)) {
            f.noOtherKeys("kind", "reduction");
            return new SoftmaxCrossEntropy(reduction);
        }
        if (kind.equals(MeanSquaredError.NAME)) {
            f.noOtherKeys("kind", "reduction", "weight");
            double[] w = f.optionalVector("weight", K);
            if (w != null) for (int k = 0; k < K; k++) if (!(w[k] >= 0.0)) throw f.error("weight", "expected numbers >= 0, found " + w[k] + " at index " + k);
            return new MeanSquaredError(reduction, w);
        }
        throw f.error("kind", "expected one of " + BinaryCrossEntropy.NAME + ", " + SoftmaxCrossEntropy.NAME + ", " + MeanSquaredError.NAME + ", found \"" + kind + "\"");
    }

    private static Reduction reduction(Fields f) throws FormatException {
        try {
            return Reduction.parse(f.string("reduction"));
        } catch (IllegalArgumentException e) {
            throw f.error("reduction", e.getMessage());
        }
    }
}
