package plainnet.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import plainnet.Activation;
import plainnet.Dense;
import plainnet.Network;
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
 * With {@code float32} every weight, bias, mean and std is cast to float (round to nearest), the
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

    // TensorProto.DataType
    static final int FLOAT = 1, DOUBLE = 11;
    // AttributeProto.AttributeType
    static final int ATTRIBUTE_FLOAT = 1, ATTRIBUTE_INT = 2;

    private OnnxExport() {}

    /**
     * The model as the bytes of an ONNX file.
     *
     * @param m               the model; its network (I inputs, K outputs), loss, feature and task
     *                        names and standardization are exported, the trainable flags and
     *                        lr_scale are not (they matter only for training)
     * @param file            the model file's name, for messages
     * @param float32         true for a float graph (every value cast to float), false for double
     * @param producerVersion plainnet's version, written as the producer version
     * @return the serialized {@code ModelProto}
     * @throws FormatException naming the file and field, with {@code float32}, for a weight, bias
     *                         or mean outside the float range (it would become ±Infinity) or a std
     *                         that rounds to 0 in float
     */
    public static byte[] toBytes(ModelFile m, String file, boolean float32, String producerVersion) throws FormatException {
        Network net = m.net;
        int L = net.size();
        Graph g = new Graph(float32, file);
        String a = INPUT;
        if (m.standardize != null) {
            // x' = (x − mean) / std: one subtraction, one division, as Standardization.apply
            g.check(m.standardize.mean, "standardize.mean", false);
            g.check(m.standardize.std, "standardize.std", true);
            g.initializer("mean", new int[] {net.inputs()}, m.standardize.mean);
            g.initializer("std", new int[] {net.inputs()}, m.standardize.std);
            g.node("Sub", "standardize_sub", new String[] {a, "mean"}, "x_minus_mean", null);
            g.node("Div", "standardize_div", new String[] {"x_minus_mean", "std"}, "x_standardized", null);
            a = "x_standardized";
        }
        for (int l = 0; l < L; l++) {
            Dense d = net.layer(l);
            String field = "layers[" + l + "]";
            String out = l == L - 1 ? LOGITS : "a" + l;
            String z = d.f.kind == Activation.Kind.IDENTITY ? out : "z" + l;
            for (int o = 0; o < d.O; o++) g.check(d.W[o], field + ".W[" + o + "]", false);
            g.check(d.b, field + ".b", false);
            g.initializer("W" + l, new int[] {d.O, d.I}, flatten(d.W));
            g.initializer("b" + l, new int[] {d.O}, d.b);
            // z_l = a_{l−1}·W_lᵀ + b_l: Gemm computes A·Bᵀ + C with transB = 1
            g.node("Gemm", "layer" + l + "_gemm", new String[] {a, "W" + l, "b" + l}, z, intAttribute("transB", 1));
            activation(g, d.f, l, z, out);
            a = out;
        }
        List<Protobuf> outputs = new ArrayList<Protobuf>();
        int K = net.outputs();
        String columns = "columns: " + String.join(", ", m.tasks);
        outputs.add(g.valueInfo(LOGITS, K, "the last layer's output a_" + (L - 1) + " (z for an identity layer); " + columns));
        // the loss kind's output node (SPEC.md §27.7): Softmax over axis 1, Sigmoid, or none for Identity
        Kind kind = Kinds.of(m.loss);
        if (!kind.onnxOp().equals("Identity")) {
            String op = kind.onnxOp();
            g.node(op, op.toLowerCase(java.util.Locale.ROOT), new String[] {LOGITS}, PROBABILITIES, op.equals("Softmax") ? intAttribute("axis", 1) : null);
            outputs.add(g.valueInfo(PROBABILITIES, K, kind.onnxMeaning() + "; " + columns));
        }

        Protobuf graph = g.graph;
        graph.string(2, "plainnet");
        graph.string(10, "plainnet model: " + L + " dense layers, loss " + m.loss.name() + (m.standardize == null ? "" : ", inputs standardized in the graph"));
        graph.message(11, g.valueInfo(INPUT, net.inputs(), "the raw features, as plainnet predict reads them; columns: " + String.join(", ", m.features)));
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
        model.message(14, entry("loss", m.loss.name()));
        model.message(14, entry("precision", float32 ? "float32" : "float64"));
        return model.toByteArray();
    }

    /**
     * The nodes of a_l = f(z_l). Identity has none (z is already named {@code out}).
     *
     * @throws FormatException for an activation without an export (none of the five kinds today)
     */
    private static void activation(Graph g, Activation f, int l, String z, String out) throws FormatException {
        switch (f.kind) {
            case IDENTITY:
                return;
            case RELU:
                g.node("Relu", "layer" + l + "_relu", new String[] {z}, out, null);
                return;
            case SIGMOID:
                g.node("Sigmoid", "layer" + l + "_sigmoid", new String[] {z}, out, null);
                return;
            case TANH:
                g.node("Tanh", "layer" + l + "_tanh", new String[] {z}, out, null);
                return;
            case LEAKY_RELU:
                if (g.float32) {
                    Protobuf alpha = new Protobuf();
                    alpha.string(1, "alpha");
                    alpha.float32(2, (float) f.slope);
                    alpha.int64(20, ATTRIBUTE_FLOAT);
                    g.node("LeakyRelu", "layer" + l + "_leaky_relu", new String[] {z}, out, alpha);
                    return;
                }
                // LeakyRelu's alpha is a float attribute, which cannot hold s = 0.01 (or most
                // slopes) exactly, so float64 writes a = (z > 0 ? z : z·s) with s a double tensor.
                g.initializer("slope" + l, new int[0], new double[] {f.slope});
                if (!g.hasZero) g.initializer("zero", new int[0], new double[] {0.0});
                g.hasZero = true;
                g.node("Greater", "layer" + l + "_positive", new String[] {z, "zero"}, z + "_positive", null);
                g.node("Mul", "layer" + l + "_scaled", new String[] {z, "slope" + l}, z + "_scaled", null);
                g.node("Where", "layer" + l + "_leaky_relu", new String[] {z + "_positive", z, z + "_scaled"}, out, null);
                return;
            default:
                throw new FormatException(g.file, 0, 0, "field layers[" + l + "].activation: expected an activation with an ONNX export (identity, relu, leaky_relu, sigmoid, tanh), found " + f.name());
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

        Graph(boolean float32, String file) {
            this.float32 = float32;
            this.file = file;
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
