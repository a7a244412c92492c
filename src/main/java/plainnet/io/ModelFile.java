package plainnet.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import plainnet.Activation;
import plainnet.Dense;
import plainnet.Group;
import plainnet.GroupedLoss;
import plainnet.Loss;
import plainnet.Network;
import plainnet.Reduction;
import plainnet.Standardization;
import plainnet.TaskNetwork;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

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
 * A model of several output groups (a {@link TaskNetwork}: a trunk and one tower per group, SPEC.md
 * §27) is version 2; a model of one group stays version 1, byte for byte:
 *
 * <pre>
 * {
 *   "format": "plainnet-model",
 *   "version": 2,
 *   "trunk": [layer objects as version 1's "layers"],          (I → H)
 *   "groups": [                                                 (G ≥ 2, in column order)
 *     {"name": "digit", "loss": {as version 1's "loss", for K_g outputs}, "weight": w_g,
 *      "tower": [layer objects]},                               (H → K_g)
 *     ...
 *   ],
 *   "features": [I names], "tasks": [K = Σ_g K_g names, group 0's first], "standardize": {...} (optional)
 * }
 * </pre>
 *
 * Every command reads a model through the same accessors, whichever its version: {@link #groupCount},
 * {@link #group}, {@link #columnStart}, {@link #groupTasks}, {@link #forward}, {@link #layers},
 * {@link #inputs}, {@link #outputs}, {@link #taskNetwork}.
 *
 * <p>Saving is atomic: the text goes to a temporary file in the same folder, which is then renamed
 * over the target, so an interrupted save never destroys the previous model.
 */
public final class ModelFile {

    /** The value of the file's "format" field. */
    public static final String FORMAT = "plainnet-model";
    /**
     * The value of the file's "version" field for a model of one group: the version of the file
     * format (SPEC.md §16), not of plainnet.
     */
    public static final int VERSION = 1;
    /** The value of the file's "version" field for a model of several groups (SPEC.md §16.1). */
    public static final int VERSION_GROUPS = 2;

    /** The network of a model of one group (version 1); null for a model of several groups (see {@link #taskNet}). */
    public final Network net;
    /** The task network of a model of several groups (version 2); null for a model of one group (see {@link #net}). */
    public final TaskNetwork taskNet;
    /** The loss the network is trained with: the one loss, or the {@link GroupedLoss} of several groups. */
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
        this(net, null, loss, features, tasks, standardize);
        if (loss instanceof GroupedLoss) {
            throw new IllegalArgumentException("model: expected the loss of one group for a network, found a GroupedLoss (give a TaskNetwork for several groups)");
        }
    }

    /**
     * A model of a task network (SPEC.md §27). With several groups it is a version-2 model
     * ({@link #taskNet} is {@code net}, {@link #net} null, {@link #loss} its {@link GroupedLoss}).
     * With one group it is the version-1 model of the plain network of the trunk's layers and then
     * the tower's layers (the same {@link Dense} objects) and the group's loss. Version 1 has no
     * place for the group's name and task weight, so they are not kept: {@link #group}(0) answers
     * with the name version 1 gives and weight 1 (one group's weight only scales J, and is given
     * again, like the optimizer's settings, when training continues).
     *
     * @param net         the task network, I inputs and K = Σ_g K_g outputs; held, not copied: change
     *                    no task of it afterwards
     * @param features    one name per input (I)
     * @param tasks       one name per output (K), group 0's first
     * @param standardize the input standardization (I features), or null for none
     * @throws IllegalArgumentException if an argument is null, or the number of names or of
     *         standardized features differs from the inputs or outputs
     */
    public ModelFile(TaskNetwork net, List<String> features, List<String> tasks, Standardization standardize) {
        this(oneGroupNetwork(net), net == null || net.groupCount() == 1 ? null : net,
            net == null ? null : net.groupCount() == 1 ? net.group(0).loss : net.loss(), features, tasks, standardize);
    }

    /** The plain network of a task network of one group (trunk, then tower: the same layers), else null. */
    private static Network oneGroupNetwork(TaskNetwork net) {
        if (net == null) throw new IllegalArgumentException("model: expected a task network, found null");
        if (net.groupCount() != 1) return null;
        return new Network(net.layers());
    }

    /** Exactly one of net (one group) and taskNet (several) is not null. */
    private ModelFile(Network net, TaskNetwork taskNet, Loss loss, List<String> features, List<String> tasks, Standardization standardize) {
        if ((net == null && taskNet == null) || loss == null || features == null || tasks == null) {
            throw new IllegalArgumentException("model: expected a network, a loss, feature names and task names, found null");
        }
        int I = net != null ? net.inputs() : taskNet.inputs();
        int K = net != null ? net.outputs() : taskNet.outputs();
        if (features.size() != I) {
            throw new IllegalArgumentException("model: expected " + I + " feature names (one per input), found " + features.size());
        }
        if (tasks.size() != K) {
            throw new IllegalArgumentException("model: expected " + K + " task names (one per output), found " + tasks.size());
        }
        this.net = net;
        this.taskNet = taskNet;
        this.loss = loss;
        this.features = new ArrayList<String>(features);
        if (standardize != null && standardize.size() != I) {
            throw new IllegalArgumentException("model: expected a standardization of " + I + " features (one per input), found " + standardize.size());
        }
        this.tasks = new ArrayList<String>(tasks);
        this.standardize = standardize;
    }

    // ----------------------------------------------------------------------------------------
    // the same questions for both versions

    /**
     * The number of output groups: 1 for a version-1 model.
     *
     * @return G
     */
    public int groupCount() {
        return taskNet != null ? taskNet.groupCount() : 1;
    }

    /**
     * Group g. A version-1 model has one group: its loss, weight 1, all K outputs, and the name
     * {@link #oneGroupName}.
     *
     * @param g the group index, 0 ≤ g &lt; G
     * @return the group
     * @throws IllegalArgumentException unless 0 ≤ g &lt; G
     */
    public Group group(int g) {
        if (taskNet != null) return taskNet.group(g);
        if (g != 0) throw new IllegalArgumentException("group index: expected 0 <= g < 1, found " + g);
        return new Group(oneGroupName(), net.outputs(), loss, 1.0);
    }

    /**
     * The name of a version-1 model's one group (the file has none): for a softmax model the label
     * column, the part of the first task name before its last '=' ({@code digit} of
     * {@code digit=0}, as {@code train --loss softmax} names the classes); otherwise, or when that
     * part is empty or there is no '=', {@code tasks}.
     *
     * @return the name, not empty
     */
    private String oneGroupName() {
        if (Kinds.of(loss).oneLabelColumn()) {
            int eq = tasks.get(0).lastIndexOf('=');
            if (eq > 0) return tasks.get(0).substring(0, eq);
        }
        return "tasks";
    }

    /**
     * The first output column of group g.
     *
     * @param g the group index, 0 ≤ g ≤ G (c_G = K)
     * @return c_g = Σ_{h &lt; g} K_h
     * @throws IllegalArgumentException unless 0 ≤ g ≤ G
     */
    public int columnStart(int g) {
        if (taskNet != null) return taskNet.loss().columnStart(g);
        if (g < 0 || g > 1) throw new IllegalArgumentException("group index: expected 0 <= g <= 1, found " + g);
        return g == 0 ? 0 : net.outputs();
    }

    /**
     * The names of group g's outputs: {@code tasks} c_g … c_{g+1} − 1.
     *
     * @param g the group index, 0 ≤ g &lt; G
     * @return an unmodifiable list of K_g names
     * @throws IllegalArgumentException unless 0 ≤ g &lt; G
     */
    public List<String> groupTasks(int g) {
        if (g < 0 || g >= groupCount()) throw new IllegalArgumentException("group index: expected 0 <= g < " + groupCount() + ", found " + g);
        return Collections.unmodifiableList(new ArrayList<String>(tasks.subList(columnStart(g), columnStart(g + 1))));
    }

    /**
     * The outputs of either kind of model: {@link Network#forward} or {@link TaskNetwork#forward}.
     * Standardization is not applied here: x is what layer 0 reads.
     *
     * @param x input (N, I), finite; not one of the network's own buffers
     * @return z (N, K), group g in columns c_g … c_{g+1} − 1; a buffer owned by the network
     * @throws IllegalArgumentException as the network's forward
     */
    public double[][] forward(double[][] x) {
        return taskNet != null ? taskNet.forward(x) : net.forward(x);
    }

    /**
     * Every layer: a version-1 network's from layer 0 up; a task network's trunk, then each tower (g ascending).
     *
     * @return an unmodifiable list of the layer objects (the model's own, not copies)
     */
    public List<Dense> layers() {
        if (taskNet != null) return taskNet.layers();
        List<Dense> all = new ArrayList<Dense>();
        for (int l = 0; l < net.size(); l++) all.add(net.layer(l));
        return Collections.unmodifiableList(all);
    }

    /**
     * The number of inputs.
     *
     * @return I
     */
    public int inputs() {
        return taskNet != null ? taskNet.inputs() : net.inputs();
    }

    /**
     * The number of outputs of all groups.
     *
     * @return K = Σ_g K_g
     */
    public int outputs() {
        return taskNet != null ? taskNet.outputs() : net.outputs();
    }

    /**
     * The model as a task network: {@link #taskNet} for several groups; for a version-1 network of
     * L ≥ 2 layers a new view with trunk = layers 0 … L−2 and one tower = layer L−1, holding the
     * same {@link Dense} objects (training it trains this model), with the group {@link #group}(0).
     *
     * @return the task network
     * @throws IllegalArgumentException for a version-1 network of one layer (it has no trunk)
     */
    public TaskNetwork taskNetwork() {
        if (taskNet != null) return taskNet;
        int L = net.size();
        if (L < 2) {
            throw new IllegalArgumentException("model: expected a network of at least 2 layers to split into a trunk and a tower, found 1 layer (it has no trunk)");
        }
        List<Dense> trunk = new ArrayList<Dense>();
        for (int l = 0; l < L - 1; l++) trunk.add(net.layer(l));
        return new TaskNetwork(new Network(trunk), Collections.singletonList(group(0)), Collections.singletonList(new Network(net.layer(L - 1))));
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
        if (taskNet == null) {
            root.put("version", VERSION);
            root.put("layers", layersToJson(net));
            root.put("loss", lossToMap(loss));
        } else {
            if (taskNet.outputs() != tasks.size() || taskNet.loss() != loss) {
                throw new IllegalStateException("model: the task network's tasks changed after the model was made (" + taskNet.outputs()
                    + " outputs, " + tasks.size() + " task names): make a new ModelFile");
            }
            root.put("version", VERSION_GROUPS);
            root.put("trunk", layersToJson(taskNet.trunk()));
            List<Object> groups = new ArrayList<Object>();
            for (int g = 0; g < taskNet.groupCount(); g++) {
                Group group = taskNet.group(g);
                Map<String, Object> m = new LinkedHashMap<String, Object>();
                m.put("name", group.name);
                m.put("loss", lossToMap(group.loss));
                m.put("weight", group.weight);
                m.put("tower", layersToJson(taskNet.tower(g)));
                groups.add(m);
            }
            root.put("groups", groups);
        }
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
        Kind kind = Kinds.of(loss); // its weight fields, in the file's order (SPEC.md §27.7)
        if (kind.taskWeightField() != null) m.put(kind.taskWeightField(), kind.taskWeight(loss));
        if (kind.posWeightField() != null) m.put(kind.posWeightField(), kind.posWeight(loss));
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
        if (version == VERSION) return parseOneGroup(root);
        if (version == VERSION_GROUPS) return parseGroups(root);
        throw root.error("version", "expected " + VERSION + " or " + VERSION_GROUPS + " (the model-file versions this plainnet reads), found " + version);
    }

    /** Version 1: "layers" and "loss". */
    private static ModelFile parseOneGroup(Fields root) throws FormatException {
        Network net = parseLayers(root);
        int K = net.outputs();
        Loss loss = loss(root.object("loss"), K);
        List<String> features = root.strings("features");
        if (features.size() != net.inputs()) throw root.error("features", "expected " + net.inputs() + " names (one per input of the first layer), found " + features.size());
        List<String> tasks = root.strings("tasks");
        if (tasks.size() != K) throw root.error("tasks", "expected " + K + " names (one per output of the last layer), found " + tasks.size());
        Standardization standardize = standardization(root, net.inputs());
        root.noOtherKeys("format", "version", "layers", "loss", "features", "tasks", "standardize");
        return new ModelFile(net, loss, features, tasks, standardize);
    }

    /**
     * Version 2 (SPEC.md §16.1): "trunk" and "groups", each group checked in the order name,
     * tower (its layer 0 reads the trunk's outputs), loss (for the tower's outputs), weight.
     */
    private static ModelFile parseGroups(Fields root) throws FormatException {
        Network trunk = parseLayers(root, "trunk", -1);
        int H = trunk.outputs();
        List<Fields> groupFields = root.objects("groups");
        if (groupFields.size() < 2) {
            throw root.error("groups", "expected at least 2 groups (a model of one group is version " + VERSION + "), found " + groupFields.size());
        }
        List<Group> groups = new ArrayList<Group>();
        List<Network> towers = new ArrayList<Network>();
        StringBuilder sizes = new StringBuilder(); // "digit 10 + even 1", for the tasks message
        for (int g = 0; g < groupFields.size(); g++) {
            Fields f = groupFields.get(g);
            String name = f.string("name");
            if (name.isEmpty()) throw f.error("name", "expected a non-empty name, found \"\"");
            for (int h = 0; h < g; h++) {
                if (groups.get(h).name.equals(name)) throw f.error("name", "expected a name no other group has, found \"" + name + "\", the name of groups[" + h + "]");
            }
            Network tower = parseLayers(f, "tower", H);
            int Kg = tower.outputs();
            Loss loss = loss(f.object("loss"), Kg);
            double weight = f.number("weight");
            if (!(weight >= 0.0)) throw f.error("weight", "expected a number >= 0, found " + weight);
            f.noOtherKeys("name", "loss", "weight", "tower");
            groups.add(new Group(name, Kg, loss, weight));
            towers.add(tower);
            sizes.append(g == 0 ? "" : " + ").append(name).append(' ').append(Kg);
        }
        TaskNetwork net = new TaskNetwork(trunk, groups, towers);
        List<String> features = root.strings("features");
        if (features.size() != net.inputs()) throw root.error("features", "expected " + net.inputs() + " names (one per input of the first trunk layer), found " + features.size());
        List<String> tasks = root.strings("tasks");
        if (tasks.size() != net.outputs()) {
            throw root.error("tasks", "expected " + net.outputs() + " names (one per output of the groups' towers: " + sizes + "), found " + tasks.size());
        }
        Standardization standardize = standardization(root, net.inputs());
        root.noOtherKeys("format", "version", "trunk", "groups", "features", "tasks", "standardize");
        return new ModelFile(net, features, tasks, standardize);
    }

    /** The optional "standardize" object for I inputs, or null when it is absent or null. */
    private static Standardization standardization(Fields root, int I) throws FormatException {
        if (root.isNull("standardize")) return null;
        Fields f = root.object("standardize");
        f.noOtherKeys("mean", "std");
        double[] mean = f.vector("mean", I);
        double[] std = f.vector("std", I);
        for (int i = 0; i < std.length; i++) if (!(std[i] > 0.0)) throw f.error("std", "expected numbers > 0, found " + std[i] + " at index " + i);
        return new Standardization(mean, std);
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
        return parseLayers(root, "layers", -1);
    }

    /**
     * Parses and checks an array of layer objects under any key: version 2's "trunk" and each
     * group's "tower", and the same keys of a vector file with task towers (SPEC.md §16.1, §22.1).
     *
     * @param root   the object holding the array
     * @param key    the array's key, e.g. {@code "trunk"} or {@code "tower"}
     * @param inputs the inputs layer 0 must have (a tower reads the trunk's outputs), or −1 for any
     * @return the network
     * @throws FormatException naming the first bad field, e.g. {@code groups[1].tower[0].inputs}
     */
    public static Network parseLayers(Fields root, String key, int inputs) throws FormatException {
        List<Fields> layerFields = root.objects(key);
        if (layerFields.isEmpty()) throw root.error(key, "expected at least 1 layer, found none");
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
            if (previous < 0 && inputs >= 0 && I != inputs) {
                throw f.error("inputs", "expected " + inputs + " (the outputs of the trunk), found " + I);
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
        String name = f.string("kind");
        Reduction reduction = reduction(f);
        Kind kind = Kinds.byFileName(name); // the kind decides its weight fields (SPEC.md §27.7)
        if (kind == null) throw f.error("kind", "expected one of " + String.join(", ", Kinds.fileNames()) + ", found \"" + name + "\"");
        String wField = kind.taskWeightField(), pField = kind.posWeightField();
        List<String> keys = new ArrayList<String>(Arrays.asList("kind", "reduction"));
        if (wField != null) keys.add(wField);
        if (pField != null) keys.add(pField);
        f.noOtherKeys(keys.toArray(new String[0]));
        double[] w = wField == null ? null : f.optionalVector(wField, K);
        double[] p = pField == null ? null : f.optionalVector(pField, K);
        if (w != null) for (int k = 0; k < K; k++) if (!(w[k] >= 0.0)) throw f.error(wField, "expected numbers >= 0, found " + w[k] + " at index " + k);
        if (p != null) for (int k = 0; k < K; k++) if (!(p[k] > 0.0)) throw f.error(pField, "expected numbers > 0, found " + p[k] + " at index " + k);
        return kind.loss(reduction, w, p);
    }

    private static Reduction reduction(Fields f) throws FormatException {
        try {
            return Reduction.parse(f.string("reduction"));
        } catch (IllegalArgumentException e) {
            throw f.error("reduction", e.getMessage());
        }
    }
}
