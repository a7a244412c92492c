package plainnet.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import plainnet.Activation;
import plainnet.Dense;
import plainnet.Group;
import plainnet.Network;
import plainnet.TaskNetwork;
import plainnet.io.FormatException;
import plainnet.io.Json;
import plainnet.io.ModelFile;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

/**
 * A model as an ONNX model (a serialized {@code ModelProto}), written with plainnet's own
 * protobuf writer. See SPEC.md, section "ONNX export", for the messages, field numbers, opset
 * and graph layout.
 *
 * <p>The graph takes the raw features x (N, I), as {@code plainnet predict} reads them, and
 * computes, in float64 with the same double operations as plainnet (the matrix products in the
 * runtime's own summation order):
 *
 * <pre>
 *   x' = (x − mean) / std                     Sub, Div          (only for a model with "standardize")
 *   z_l = a_{l−1}·W_lᵀ + b_l                  Gemm, transB = 1  (W_l stays (O, I), as in the model file)
 *   a_l = f_l(z_l)                            Relu, Sigmoid, Tanh; no node for identity;
 *                                             leaky_relu as Where(Greater(z, 0), z, Mul(z, s))
 *   logits = a_{L−1}  (N, K)
 *   probabilities = Softmax(logits, axis 1)   softmax_cross_entropy
 *                 = Sigmoid(logits)           binary_cross_entropy (one column per task)
 *                                             (squared_error: logits only)
 * </pre>
 *
 * A model of several groups (SPEC.md §27) writes the trunk once (names prefixed {@code trunk_}),
 * then each tower g (prefixed {@code tower{g}_}) from the trunk's output, and per group NAME the
 * outputs {@code NAME_logits} (its tower's last layer) and {@code NAME} (Softmax, Sigmoid or
 * Identity of them, by the group's loss kind). A model of one group is written as above.
 *
 * <p>With {@code float32} every weight, bias, mean and std is cast to float (round to nearest), the
 * input and outputs are float, and leaky_relu is the {@code LeakyRelu} operator with alpha =
 * (float) s.
 *
 * <p>Index letters: N rows (symbolic in the graph), I inputs, O outputs of a layer, K outputs of
 * the network.
 */
public final class OnnxExport {

    /** The operator set of the default ONNX domain that the graph uses. */
    public static final int OPSET = 13;
    /** The ONNX IR version written: 7, the IR of ONNX 1.8, the release that brought opset 13. */
    public static final int IR_VERSION = 7;
    /** The name of the graph input: the raw features (N, I). */
    public static final String INPUT = "x";
    /** The name of the output holding the last layer's activation a_{L−1} (N, K). */
    public static final String LOGITS = "logits";
    /** The name of the output holding softmax or sigmoid of the logits (N, K); absent for squared error. */
    public static final String PROBABILITIES = "probabilities";
    /**
     * A model of several groups has, per group NAME, the outputs {@code NAME} (softmax, sigmoid
     * or identity of the group's logits) and {@code NAME + LOGITS_SUFFIX}, its tower's last layer's output.
     */
    public static final String LOGITS_SUFFIX = "_logits";

    // TensorProto.DataType
    static final int FLOAT = 1, DOUBLE = 11;
    // AttributeProto.AttributeType
    static final int ATTRIBUTE_FLOAT = 1, ATTRIBUTE_INT = 2;

    private OnnxExport() {}

    /**
     * The model as the bytes of an ONNX file.
     *
     * @param m               the model; its network (I inputs, K outputs) or its trunk and towers,
     *                        its loss or groups, feature and task names and standardization are
     *                        exported, the trainable flags and
     *                        lr_scale are not (they matter only for training)
     * @param file            the model file's name, for messages
     * @param float32         true for a float graph (every value cast to float), false for double
     * @param producerVersion plainnet's version, written as the producer version
     * @return the serialized {@code ModelProto}
     * @throws FormatException naming the file and field, with {@code float32}, for a weight, bias
     *                         or mean outside the float range (it would become ±Infinity) or a std
     *                         that rounds to 0 in float; and for a group whose output name
     *                         NAME or NAME_logits is already a name of the graph
     */
    public static byte[] toBytes(ModelFile m, String file, boolean float32, String producerVersion) throws FormatException {
        Graph g = new Graph(float32, file);
        String a = INPUT;
        if (m.standardize != null) {
            // x' = (x − mean) / std: one subtraction, one division, as Standardization.apply
            g.check(m.standardize.mean, "standardize.mean", false);
            g.check(m.standardize.std, "standardize.std", true);
            g.initializer("mean", new int[] {m.inputs()}, m.standardize.mean);
            g.initializer("std", new int[] {m.inputs()}, m.standardize.std);
            g.node("Sub", "standardize_sub", new String[] {a, "mean"}, "x_minus_mean", null);
            g.node("Div", "standardize_div", new String[] {"x_minus_mean", "std"}, "x_standardized", null);
            a = "x_standardized";
        }
        List<Protobuf> outputs = new ArrayList<Protobuf>();
        String description = m.taskNet == null ? oneGroup(g, m, a, outputs) : groups(g, m, a, outputs, file);

        Protobuf graph = g.graph;
        graph.string(2, "plainnet");
        graph.string(10, "plainnet model: " + description + (m.standardize == null ? "" : ", inputs standardized in the graph"));
        graph.message(11, g.valueInfo(INPUT, m.inputs(), "the raw features, as plainnet predict reads them; columns: " + String.join(", ", m.features)));
        for (Protobuf o : outputs) graph.message(12, o);

        Protobuf model = new Protobuf();
        model.int64(1, IR_VERSION);
        model.string(2, "plainnet");
        model.string(3, producerVersion);
        model.string(6, "exported by plainnet " + producerVersion + " (" + (float32 ? "float32" : "float64") + "); see its SPEC.md, section \"ONNX export\"");
        model.message(7, graph);
        Protobuf opset = new Protobuf();
        opset.int64(2, OPSET); // domain (field 1) left out: the default domain ai.onnx
        model.message(8, opset);
        model.message(14, entry("features", jsonList(m.features)));
        model.message(14, entry("tasks", jsonList(m.tasks)));
        if (m.taskNet == null) {
            model.message(14, entry("loss", m.loss.name()));
        } else {
            List<String> names = new ArrayList<String>(), losses = new ArrayList<String>();
            StringBuilder groupTasks = new StringBuilder("[");
            for (int t = 0; t < m.groupCount(); t++) {
                names.add(m.group(t).name);
                losses.add(m.group(t).loss.name());
                groupTasks.append(t == 0 ? "" : ", ").append(jsonList(m.groupTasks(t)));
            }
            model.message(14, entry("groups", jsonList(names)));
            model.message(14, entry("losses", jsonList(losses)));
            model.message(14, entry("group_tasks", groupTasks.append(']').toString()));
        }
        model.message(14, entry("precision", float32 ? "float32" : "float64"));
        return model.toByteArray();
    }

    /**
     * One group (model file version 1): the chain of layers to {@code logits}, then the loss
     * kind's {@code probabilities} (none for squared error). Adds the outputs to {@code outputs}.
     *
     * @return the graph's description
     */
    private static String oneGroup(Graph g, ModelFile m, String a, List<Protobuf> outputs) throws FormatException {
        Network net = m.net;
        layers(g, net, "", "layers", a, LOGITS);
        int K = net.outputs();
        String columns = "columns: " + String.join(", ", m.tasks);
        outputs.add(g.valueInfo(LOGITS, K, "the last layer's output a_" + (net.size() - 1) + " (z for an identity layer); " + columns));
        Kind kind = Kinds.of(m.loss);
        String op = kind.onnxOp();
        if (!op.equals("Identity")) {
            g.node(op, op.toLowerCase(Locale.ROOT), new String[] {LOGITS}, PROBABILITIES, opAttribute(op));
            outputs.add(g.valueInfo(PROBABILITIES, K, kind.onnxMeaning() + "; " + columns));
        }
        return net.size() + " dense layers, loss " + m.loss.name();
    }

    /**
     * Several groups (model file version 2): the trunk once, then each tower from the trunk's
     * output to {@code NAME_logits} and the loss kind's node to {@code NAME}. Adds the outputs,
     * per group NAME_logits then NAME, to {@code outputs}.
     *
     * @return the graph's description
     * @throws FormatException for a group whose output names are already names of the graph
     */
    private static String groups(Graph g, ModelFile m, String a, List<Protobuf> outputs, String file) throws FormatException {
        TaskNetwork net = m.taskNet;
        String h = layers(g, net.trunk(), "trunk_", "trunk", a, null);
        StringBuilder towers = new StringBuilder();
        for (int t = 0; t < net.groupCount(); t++) {
            Group group = net.group(t);
            Network tower = net.tower(t);
            String logits = group.name + LOGITS_SUFFIX;
            layers(g, tower, "tower" + t + "_", "groups[" + t + "].tower", h, logits);
            Kind kind = Kinds.of(group.loss);
            String op = kind.onnxOp();
            g.node(op, "tower" + t + "_" + op.toLowerCase(Locale.ROOT), new String[] {logits}, group.name, opAttribute(op));
            String columns = "columns: " + String.join(", ", m.groupTasks(t));
            outputs.add(g.valueInfo(logits, group.K, "group " + group.name + ": its tower's last layer's output a_" + (tower.size() - 1) + " (z for an identity layer); " + columns));
            outputs.add(g.valueInfo(group.name, group.K, "group " + group.name + ": " + kind.onnxMeaning() + "; " + columns));
            towers.append(t == 0 ? "" : ", ").append(group.name).append(" (").append(tower.size()).append(tower.size() == 1 ? " layer, loss " : " layers, loss ")
                .append(group.loss.name()).append(')');
        }
        if (g.duplicate != null) {
            // the names made here are distinct by construction, so a group's output name met another name
            for (int t = 0; t < net.groupCount(); t++) {
                String name = net.group(t).name;
                if (g.duplicate.equals(name) || g.duplicate.equals(name + LOGITS_SUFFIX)) {
                    throw new FormatException(file, 0, 0, "field groups[" + t + "].name: expected a name whose graph outputs " + name + " and " + name + LOGITS_SUFFIX
                        + " are not already names of the graph, found \"" + name + "\" (the graph already has " + g.duplicate + "); rename the group");
                }
            }
        }
        return "a trunk of " + net.trunk().size() + " dense layers and " + net.groupCount() + " towers: " + towers;
    }

    /**
     * The nodes and initializers of a chain of layers: z_l = a_{l−1}·W_lᵀ + b_l (Gemm, transB = 1),
     * a_l = f_l(z_l). Names: node {@code PARTlayer{l}_gemm}, initializers {@code PARTW{l}} and
     * {@code PARTb{l}}, values {@code PARTz{l}} and {@code PARTa{l}} (an identity layer has no
     * {@code PARTz{l}}: its Gemm writes {@code PARTa{l}}). PART is "" for a model of one group,
     * "trunk_" or "tower{g}_" for several.
     *
     * @param part  the prefix of every name made here
     * @param field the model file's field of the layer list, for messages ("layers", "trunk", "groups[g].tower")
     * @param a     the name of the input value
     * @param out   the name of the last layer's output, or null for {@code PARTa{L−1}}
     * @return the name of the last layer's output
     */
    private static String layers(Graph g, Network net, String part, String field, String a, String out) throws FormatException {
        int L = net.size();
        for (int l = 0; l < L; l++) {
            Dense d = net.layer(l);
            String layer = field + "[" + l + "]";
            String activated = l == L - 1 && out != null ? out : part + "a" + l;
            String z = d.f.kind == Activation.Kind.IDENTITY ? activated : part + "z" + l;
            for (int o = 0; o < d.O; o++) g.check(d.W[o], layer + ".W[" + o + "]", false);
            g.check(d.b, layer + ".b", false);
            g.initializer(part + "W" + l, new int[] {d.O, d.I}, flatten(d.W));
            g.initializer(part + "b" + l, new int[] {d.O}, d.b);
            // z_l = a_{l−1}·W_lᵀ + b_l: Gemm computes A·Bᵀ + C with transB = 1
            g.node("Gemm", part + "layer" + l + "_gemm", new String[] {a, part + "W" + l, part + "b" + l}, z, intAttribute("transB", 1));
            activation(g, d.f, part, l, layer, z, activated);
            a = activated;
        }
        return a;
    }

    /** The attribute of an output operator: axis = 1 for Softmax (the classes), none for the others. */
    private static Protobuf opAttribute(String op) {
        return op.equals("Softmax") ? intAttribute("axis", 1) : null;
    }

    /**
     * The nodes of a_l = f(z_l). Identity has none (z is already named {@code out}). Node names
     * begin with {@code PARTlayer{l}_}, the slope of leaky_relu is {@code PARTslope{l}}.
     *
     * @throws FormatException for an activation without an export (none of the five kinds today)
     */
    private static void activation(Graph g, Activation f, String part, int l, String layer, String z, String out) throws FormatException {
        switch (f.kind) {
            case IDENTITY:
                return;
            case RELU:
                g.node("Relu", part + "layer" + l + "_relu", new String[] {z}, out, null);
                return;
            case SIGMOID:
                g.node("Sigmoid", part + "layer" + l + "_sigmoid", new String[] {z}, out, null);
                return;
            case TANH:
                g.node("Tanh", part + "layer" + l + "_tanh", new String[] {z}, out, null);
                return;
            case LEAKY_RELU:
                if (g.float32) {
                    Protobuf alpha = new Protobuf();
                    alpha.string(1, "alpha");
                    alpha.float32(2, (float) f.slope);
                    alpha.int64(20, ATTRIBUTE_FLOAT);
                    g.node("LeakyRelu", part + "layer" + l + "_leaky_relu", new String[] {z}, out, alpha);
                    return;
                }
                // LeakyRelu's alpha is a float attribute, which cannot hold s = 0.01 (or most
                // slopes) exactly, so float64 writes a = (z > 0 ? z : z·s) with s a double tensor.
                g.initializer(part + "slope" + l, new int[0], new double[] {f.slope});
                if (!g.hasZero) g.initializer("zero", new int[0], new double[] {0.0});
                g.hasZero = true;
                g.node("Greater", part + "layer" + l + "_positive", new String[] {z, "zero"}, z + "_positive", null);
                g.node("Mul", part + "layer" + l + "_scaled", new String[] {z, part + "slope" + l}, z + "_scaled", null);
                g.node("Where", part + "layer" + l + "_leaky_relu", new String[] {z + "_positive", z, z + "_scaled"}, out, null);
                return;
            default:
                throw new FormatException(g.file, 0, 0, "field " + layer + ".activation: expected an activation with an ONNX export (identity, relu, leaky_relu, sigmoid, tanh), found " + f.name());
        }
    }

    private static Protobuf intAttribute(String name, long value) {
        Protobuf a = new Protobuf();
        a.string(1, name);
        a.int64(3, value);
        a.int64(20, ATTRIBUTE_INT);
        return a;
    }

    /** The names as a one-line JSON array, e.g. ["a", "b"] (Json.write ends its text with a line break). */
    private static String jsonList(List<String> names) {
        return Json.write(new ArrayList<Object>(names)).trim();
    }

    private static Protobuf entry(String key, String value) {
        Protobuf e = new Protobuf();
        e.string(1, key);
        e.string(2, value);
        return e;
    }

    /** W (O, I) as one row-major array (O·I): W[o][i] at o·I + i, the layout of ONNX's raw_data. */
    private static double[] flatten(double[][] W) {
        int I = W[0].length;
        double[] flat = new double[W.length * I];
        for (int o = 0; o < W.length; o++) System.arraycopy(W[o], 0, flat, o * I, I);
        return flat;
    }

    /** The graph being written: its nodes and initializers in order, in float or double. */
    private static final class Graph {
        final Protobuf graph = new Protobuf();
        final boolean float32;
        final String file;
        boolean hasZero = false;
        /** The names of the values and initializers so far, the input's included. */
        final Set<String> names = new HashSet<String>();
        /** The first name given twice, or null. */
        String duplicate;

        Graph(boolean float32, String file) {
            this.float32 = float32;
            this.file = file;
            define(INPUT);
        }

        void define(String name) {
            if (!names.add(name) && duplicate == null) duplicate = name;
        }

        /**
         * With float32, refuses a value that the cast to float makes infinite, or (positive) that
         * it makes 0: each is named by its field and index.
         */
        void check(double[] v, String field, boolean positive) throws FormatException {
            if (!float32) return;
            for (int j = 0; j < v.length; j++) {
                float c = (float) v[j];
                if (Float.isInfinite(c)) {
                    throw new FormatException(file, 0, 0, "field " + field + "[" + j + "]: expected a number within the float32 range (magnitude at most "
                        + Float.MAX_VALUE + ") for --float32, found " + v[j] + "; export without --float32");
                }
                if (positive && c == 0.0f) {
                    throw new FormatException(file, 0, 0, "field " + field + "[" + j + "]: expected a number that stays > 0 in float32 (at least "
                        + Float.MIN_VALUE + ") for --float32, found " + v[j] + ", which rounds to 0; export without --float32");
                }
            }
        }

        /** An initializer (TensorProto) of the given dims with the values as little-endian raw_data. */
        void initializer(String name, int[] dims, double[] v) {
            Protobuf t = new Protobuf();
            for (int d : dims) t.int64(1, d);
            t.int64(2, float32 ? FLOAT : DOUBLE);
            t.string(8, name);
            define(name);
            ByteBuffer raw = ByteBuffer.allocate(v.length * (float32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
            for (double x : v) {
                if (float32) raw.putFloat((float) x);
                else raw.putDouble(x);
            }
            t.bytes(9, raw.array());
            graph.message(5, t);
        }

        /** A node (NodeProto) with at most one attribute. */
        void node(String opType, String name, String[] inputs, String output, Protobuf attribute) {
            Protobuf n = new Protobuf();
            for (String in : inputs) n.string(1, in);
            n.string(2, output);
            define(output);
            n.string(3, name);
            n.string(4, opType);
            if (attribute != null) n.message(5, attribute);
            graph.message(1, n);
        }

        /** A ValueInfoProto of a tensor of shape (N, columns), N the symbolic dimension "N". */
        Protobuf valueInfo(String name, int columns, String doc) {
            Protobuf rows = new Protobuf();
            rows.string(2, "N");
            Protobuf cols = new Protobuf();
            cols.int64(1, columns);
            Protobuf shape = new Protobuf();
            shape.message(1, rows);
            shape.message(1, cols);
            Protobuf tensor = new Protobuf();
            tensor.int64(1, float32 ? FLOAT : DOUBLE);
            tensor.message(2, shape);
            Protobuf type = new Protobuf();
            type.message(1, tensor);
            Protobuf v = new Protobuf();
            v.string(1, name);
            v.message(2, type);
            v.string(3, doc);
            return v;
        }
    }
}
