package plainnet.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Group;
import plainnet.MeanSquaredError;
import plainnet.Network;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Standardization;
import plainnet.TaskNetwork;
import plainnet.io.FormatException;
import plainnet.io.ModelFile;

/**
 * The structure of an exported ONNX file, read back with a small protobuf reader written here
 * from the wire format (independent of {@link Protobuf}) and the field numbers of onnx.proto
 * (SPEC.md, "ONNX export"); and onnx.checker on the same bytes where python3 with onnx is
 * installed.
 */
class OnnxExportTest {

    // ----------------------------------------------------------------------------------------
    // a protobuf reader: a message as its fields in order

    /** One field: its number, its wire type, and its value (varint or fixed32 bits, or the bytes). */
    record Field(int number, int wire, long value, byte[] bytes) {
        String string() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        List<Field> message() {
            return parse(bytes);
        }
    }

    static List<Field> parse(byte[] m) {
        List<Field> fields = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < m.length) {
            long key = readVarint(m, pos);
            int number = (int) (key >>> 3), wire = (int) (key & 7);
            switch (wire) {
                case 0 -> fields.add(new Field(number, wire, readVarint(m, pos), null));
                case 2 -> {
                    int length = (int) readVarint(m, pos);
                    fields.add(new Field(number, wire, 0, Arrays.copyOfRange(m, pos[0], pos[0] + length)));
                    pos[0] += length;
                }
                case 5 -> {
                    long bits = 0;
                    for (int j = 0; j < 4; j++) bits |= (long) (m[pos[0]++] & 0xff) << (8 * j);
                    fields.add(new Field(number, wire, bits, null));
                }
                default -> throw new AssertionError("wire type " + wire + " at byte " + pos[0]);
            }
        }
        return fields;
    }

    static long readVarint(byte[] m, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = m[pos[0]++];
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return v;
        }
    }

    static List<Field> all(List<Field> msg, int number) {
        List<Field> out = new ArrayList<>();
        for (Field f : msg) if (f.number() == number) out.add(f);
        return out;
    }

    static Field one(List<Field> msg, int number) {
        List<Field> f = all(msg, number);
        assertThat(f).as("field " + number).hasSize(1);
        return f.get(0);
    }

    static List<String> strings(List<Field> msg, int number) {
        List<String> out = new ArrayList<>();
        for (Field f : all(msg, number)) out.add(f.string());
        return out;
    }

    // ----------------------------------------------------------------------------------------
    // the model: 3 standardized inputs → 4 leaky_relu(0.01) → 2 sigmoid, binary cross-entropy

    static final double[][] W0 = {{0.1, -1.0 / 3, 2.5}, {1e-3, 0.7, -0.2}, {3.0, -0.05, 1.0 / 7}, {-1.1, 0.3, 0.9}}; // (4, 3)
    static final double[] B0 = {0.01, -0.3, 0.2, 1.0 / 3};
    static final double[][] W1 = {{0.5, -0.25, 0.125, 1.0 / 9}, {-0.6, 0.4, 0.2, -0.1}}; // (2, 4)
    static final double[] B1 = {-0.05, 0.15};

    static ModelFile model(double[][] w1, double[] mean, double[] std) {
        Network net = new Network(new Dense(W0, B0, Activation.leakyRelu(0.01)), new Dense(w1, B1, Activation.SIGMOID));
        return new ModelFile(net, new BinaryCrossEntropy(), List.of("a", "b", "c"), List.of("t1", "t2"), new Standardization(mean, std));
    }

    static ModelFile model() {
        return model(W1, new double[] {1.0, -2.0, 0.5}, new double[] {2.0, 0.25, 3.0});
    }

    static List<String> opTypes(List<Field> graph) {
        List<String> ops = new ArrayList<>();
        for (Field n : all(graph, 1)) ops.add(one(n.message(), 4).string());
        return ops;
    }

    static Field initializer(List<Field> graph, String name) {
        for (Field t : all(graph, 5)) if (one(t.message(), 8).string().equals(name)) return t;
        throw new AssertionError("no initializer " + name);
    }

    static List<Field> node(List<Field> graph, String name) {
        for (Field n : all(graph, 1)) if (one(n.message(), 3).string().equals(name)) return n.message();
        throw new AssertionError("no node " + name);
    }

    /** elem_type and the shape's dims (dim_param or dim_value as text) of a ValueInfoProto. */
    static String type(List<Field> valueInfo) {
        List<Field> tensor = one(one(valueInfo, 2).message(), 1).message();
        StringBuilder s = new StringBuilder("elem_type " + one(tensor, 1).value() + " shape");
        for (Field d : all(one(tensor, 2).message(), 1)) {
            List<Field> dim = d.message();
            s.append(' ').append(all(dim, 2).isEmpty() ? String.valueOf(one(dim, 1).value()) : one(dim, 2).string());
        }
        return s.toString();
    }

    @Test
    void toBytes_float64_modelGraphAndInitializersAsWritten() throws Exception {
        List<Field> model = parse(OnnxExport.toBytes(model(), "m.json", false, "9.9.9"));
        assertThat(one(model, 1).value()).as("ir_version").isEqualTo(7);
        assertThat(one(model, 2).string()).as("producer_name").isEqualTo("plainnet");
        assertThat(one(model, 3).string()).as("producer_version").isEqualTo("9.9.9");
        List<Field> opset = one(model, 8).message();
        assertThat(all(opset, 1)).as("opset domain: the default").isEmpty();
        assertThat(one(opset, 2).value()).as("opset version").isEqualTo(13);
        List<String> meta = new ArrayList<>();
        for (Field e : all(model, 14)) meta.add(one(e.message(), 1).string() + "=" + one(e.message(), 2).string());
        assertThat(meta).containsExactly("features=[\"a\", \"b\", \"c\"]", "tasks=[\"t1\", \"t2\"]", "loss=binary_cross_entropy", "precision=float64");

        List<Field> graph = one(model, 7).message();
        assertThat(opTypes(graph)).containsExactly("Sub", "Div", "Gemm", "Greater", "Mul", "Where", "Gemm", "Sigmoid", "Sigmoid");
        // wiring: x → standardize → layer 0 → leaky relu → layer 1 → sigmoid (the layer's) = logits → sigmoid = probabilities
        assertThat(strings(node(graph, "standardize_sub"), 1)).containsExactly("x", "mean");
        assertThat(strings(node(graph, "standardize_div"), 1)).containsExactly("x_minus_mean", "std");
        assertThat(strings(node(graph, "layer0_gemm"), 1)).containsExactly("x_standardized", "W0", "b0");
        assertThat(strings(node(graph, "layer0_positive"), 1)).containsExactly("z0", "zero");
        assertThat(strings(node(graph, "layer0_scaled"), 1)).containsExactly("z0", "slope0");
        assertThat(strings(node(graph, "layer0_leaky_relu"), 1)).containsExactly("z0_positive", "z0", "z0_scaled");
        assertThat(strings(node(graph, "layer0_leaky_relu"), 2)).containsExactly("a0");
        assertThat(strings(node(graph, "layer1_gemm"), 1)).containsExactly("a0", "W1", "b1");
        assertThat(strings(node(graph, "layer1_sigmoid"), 2)).containsExactly("logits");
        assertThat(strings(node(graph, "sigmoid"), 1)).containsExactly("logits");
        assertThat(strings(node(graph, "sigmoid"), 2)).containsExactly("probabilities");
        // Gemm: attribute transB (name 1) = 1 (i 3), type INT = 2 (field 20)
        List<Field> transB = one(node(graph, "layer1_gemm"), 5).message();
        assertThat(one(transB, 1).string()).isEqualTo("transB");
        assertThat(one(transB, 3).value()).isEqualTo(1);
        assertThat(one(transB, 20).value()).isEqualTo(2);

        // initializers: dims, DOUBLE = 11, raw_data the little-endian bits of W row by row
        List<String> names = new ArrayList<>();
        for (Field t : all(graph, 5)) names.add(one(t.message(), 8).string());
        assertThat(names).containsExactly("mean", "std", "W0", "b0", "slope0", "zero", "W1", "b1");
        List<Field> w0 = initializer(graph, "W0").message();
        assertThat(all(w0, 1).stream().map(Field::value)).containsExactly(4L, 3L);
        assertThat(one(w0, 2).value()).isEqualTo(11);
        ByteBuffer raw = ByteBuffer.wrap(one(w0, 9).bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw.remaining()).isEqualTo(4 * 3 * 8);
        for (int o = 0; o < 4; o++) for (int i = 0; i < 3; i++) assertThat(raw.getDouble()).as("W0[%d][%d]", o, i).isEqualTo(W0[o][i]);
        List<Field> slope = initializer(graph, "slope0").message();
        assertThat(all(slope, 1)).as("a scalar: no dims").isEmpty();
        assertThat(ByteBuffer.wrap(one(slope, 9).bytes()).order(ByteOrder.LITTLE_ENDIAN).getDouble()).isEqualTo(0.01);
        ByteBuffer std = ByteBuffer.wrap(one(initializer(graph, "std").message(), 9).bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new double[] {std.getDouble(), std.getDouble(), std.getDouble()}).containsExactly(2.0, 0.25, 3.0);

        // input x (N, 3) and outputs logits, probabilities (N, 2), all DOUBLE
        List<Field> input = one(graph, 11).message();
        assertThat(one(input, 1).string()).isEqualTo("x");
        assertThat(type(input)).isEqualTo("elem_type 11 shape N 3");
        List<Field> outputs = all(graph, 12);
        assertThat(outputs).hasSize(2);
        assertThat(one(outputs.get(0).message(), 1).string()).isEqualTo("logits");
        assertThat(one(outputs.get(1).message(), 1).string()).isEqualTo("probabilities");
        assertThat(type(outputs.get(1).message())).isEqualTo("elem_type 11 shape N 2");
        assertThat(one(outputs.get(1).message(), 3).string()).as("doc_string names the tasks").endsWith("columns: t1, t2");
    }

    @Test
    void toBytes_float32_castsEveryValueAndUsesLeakyRelu() throws Exception {
        List<Field> model = parse(OnnxExport.toBytes(model(), "m.json", true, "9.9.9"));
        List<Field> graph = one(model, 7).message();
        assertThat(opTypes(graph)).containsExactly("Sub", "Div", "Gemm", "LeakyRelu", "Gemm", "Sigmoid", "Sigmoid");
        List<Field> alpha = one(node(graph, "layer0_leaky_relu"), 5).message();
        assertThat(one(alpha, 1).string()).isEqualTo("alpha");
        assertThat(one(alpha, 2).wire()).isEqualTo(5);
        assertThat((int) one(alpha, 2).value()).isEqualTo(Float.floatToRawIntBits(0.01f));
        assertThat(one(alpha, 20).value()).as("type FLOAT").isEqualTo(1);
        List<Field> w1 = initializer(graph, "W1").message();
        assertThat(one(w1, 2).value()).as("FLOAT").isEqualTo(1);
        ByteBuffer raw = ByteBuffer.wrap(one(w1, 9).bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw.remaining()).isEqualTo(2 * 4 * 4);
        for (int o = 0; o < 2; o++) for (int i = 0; i < 4; i++) assertThat(raw.getFloat()).as("W1[%d][%d]", o, i).isEqualTo((float) W1[o][i]);
        assertThat(type(one(graph, 11).message())).isEqualTo("elem_type 1 shape N 3");
        List<String> meta = new ArrayList<>();
        for (Field e : all(model, 14)) meta.add(one(e.message(), 1).string() + "=" + one(e.message(), 2).string());
        assertThat(meta).contains("precision=float32");
    }

    @Test
    void toBytes_softmaxAndSquaredError_outputs() throws Exception {
        Network net = new Network(new Dense(W0, B0, Activation.TANH), new Dense(W1, B1, Activation.IDENTITY));
        List<Field> softmax = one(parse(OnnxExport.toBytes(new ModelFile(net, new SoftmaxCrossEntropy(), List.of("a", "b", "c"), List.of("c=0", "c=1")), "m.json", false, "1")), 7).message();
        assertThat(opTypes(softmax)).as("no standardize, identity head has no node").containsExactly("Gemm", "Tanh", "Gemm", "Softmax");
        assertThat(strings(node(softmax, "layer1_gemm"), 2)).containsExactly("logits");
        List<Field> axis = one(node(softmax, "softmax"), 5).message();
        assertThat(one(axis, 1).string()).isEqualTo("axis");
        assertThat(one(axis, 3).value()).isEqualTo(1);
        assertThat(all(softmax, 12)).hasSize(2);
        List<Field> mse = one(parse(OnnxExport.toBytes(new ModelFile(net, new MeanSquaredError(), List.of("a", "b", "c"), List.of("y1", "y2")), "m.json", false, "1")), 7).message();
        assertThat(opTypes(mse)).containsExactly("Gemm", "Tanh", "Gemm");
        assertThat(all(mse, 12)).as("logits only").hasSize(1);
    }

    @Test
    void toBytes_float32_refusesValuesTheCastMakesInfiniteOrZero() {
        double[][] big = {W1[0].clone(), W1[1].clone()};
        big[0][2] = 1e300;
        assertThatThrownBy(() -> OnnxExport.toBytes(model(big, new double[] {1, -2, 0.5}, new double[] {2, 0.25, 3}), "m.json", true, "1"))
            .isInstanceOf(FormatException.class).hasMessageStartingWith("m.json: field layers[1].W[0][2]: expected a number within the float32 range").hasMessageContaining("1.0E300");
        assertThatThrownBy(() -> OnnxExport.toBytes(model(W1, new double[] {1, -2, 0.5}, new double[] {2, 1e-50, 3}), "m.json", true, "1"))
            .isInstanceOf(FormatException.class).hasMessageStartingWith("m.json: field standardize.std[1]: expected a number that stays > 0 in float32").hasMessageContaining("1.0E-50");
        assertThatThrownBy(() -> OnnxExport.toBytes(model(W1, new double[] {-4e38, -2, 0.5}, new double[] {2, 0.25, 3}), "m.json", true, "1"))
            .isInstanceOf(FormatException.class).hasMessageStartingWith("m.json: field standardize.mean[0]:");
    }

    @Test
    void toBytes_float64_keepsValuesFloat32WouldRefuse() throws Exception {
        double[][] big = {W1[0].clone(), W1[1].clone()};
        big[0][2] = 1e300;
        List<Field> graph = one(parse(OnnxExport.toBytes(model(big, new double[] {1, -2, 0.5}, new double[] {2, 1e-50, 3}), "m.json", false, "1")), 7).message();
        ByteBuffer raw = ByteBuffer.wrap(one(initializer(graph, "W1").message(), 9).bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw.getDouble(2 * 8)).isEqualTo(1e300);
    }

    // ----------------------------------------------------------------------------------------
    // one group: the bytes of the export before groups existed

    static String sha256(byte[] bytes) throws Exception {
        StringBuilder h = new StringBuilder();
        for (byte b : java.security.MessageDigest.getInstance("SHA-256").digest(bytes)) h.append(String.format("%02x", b));
        return h.toString();
    }

    /**
     * Every activation in a hidden layer (an identity one among them), each loss, with and without
     * standardize, float64 and float32: the SHA-256 of each export as the exporter wrote it before
     * model file version 2 existed (commit 67a76f1, producer version "0.0.0"). A model of one group
     * is exported as before, byte for byte.
     */
    @Test
    void toBytes_oneGroup_bytesAsBeforeGroups() throws Exception {
        plainnet.Rng rng = new plainnet.Rng(7);
        Network net = new Network(new Dense(3, 5, Activation.RELU, rng), new Dense(5, 4, Activation.IDENTITY, rng), new Dense(4, 4, Activation.SIGMOID, rng),
            new Dense(4, 4, Activation.TANH, rng), new Dense(4, 3, Activation.leakyRelu(0.2), rng), new Dense(3, 2, Activation.IDENTITY, rng));
        Standardization s = new Standardization(new double[] {1, -2, 0.5}, new double[] {2, 0.25, 3});
        plainnet.Loss[] losses = {new SoftmaxCrossEntropy(), new BinaryCrossEntropy(), new MeanSquaredError()};
        String[] expected = {
            "b2f11bc54659c899c56b63e2226b34f6e55cd877c0daa67d1aaf8295334ba032", "16495b3a057eb62f6b81454793eb340f944ac740916ec13f8fc692fbd55080aa",
            "449511643c2f3d7ca1c7856b0e97151ee5b6cc4eecd4bf4137018fc20e940a63", "b7d6de6d39b018c400ef1adc51b6350c2a8bcd30e63cecd57b28a789878ea6c6",
            "50428f9cbd036b3972d039b7433a4085d7802ff4508ddf57e797c94b402cac00", "e870d8990f051ead0cfdea3345e9089b3436714ec9878cffd47789073e2d2daa",
            "4a944b9277dbbb29bfdf0d35f39051366d44d3eee1742dc37e1d8f7e90d913c3", "d62b159d0bbfd461fb6b81000afcd5cee92b222a52b6bc593b389d6a8903c749",
            "2a771f5500e697ffc8b99a29be77aea8051fa6e49d07a6293a2134c7abd6e9df", "bf26e0998b9108fc9f778bf91abfded04e1665d28f46c26483746893608be60c",
            "f8cdbd26b3054ff297f2233c8bbf651be1780a458c2d03ed5d60b8ce772ec9e3", "d4209a2f65e4dc03d932b6eeffa0f9ee1c81964edd9c8a24b720b4e1b0adf7a7"};
        int j = 0;
        for (plainnet.Loss loss : losses) {
            for (Standardization st : new Standardization[] {s, null}) {
                for (boolean float32 : new boolean[] {false, true}) {
                    ModelFile m = new ModelFile(net, loss, List.of("a", "b", "c"), List.of("t=1", "t=2"), st);
                    assertThat(sha256(OnnxExport.toBytes(m, "m.json", float32, "0.0.0"))).as(loss.name() + (st != null ? " standardized" : "") + (float32 ? " float32" : " float64"))
                        .isEqualTo(expected[j++]);
                }
            }
        }
        String[][] files = {
            {"v1_bce", "a48082160bf624381811d3c01883952c08d1557ca60d175eefb64dd10a56276e", "3954b3896949194f80eb9ce572b006dd52c483995b255cff2a142a5263511597"},
            {"v1_mse", "6dde0b044787276ab32ccf56266fbacf5e1dd6fd8e3e4e2297259552f2f58177", "a3379dff814fa6dd156ad6bdff21b5cd9105bca88e349409fd58c37cefe15996"},
            {"v1_softmax", "46542adf54dee4c56a399c21089127af590cebb260098ae380d9bbd03802bf80", "aaeb83204d7e27b8bd10e48387fe6eed5a2b99194ed41832d0c205a4ec0cd33f"}};
        for (String[] f : files) {
            ModelFile m = ModelFile.load(Path.of("test-data/models/" + f[0] + ".json"));
            assertThat(sha256(OnnxExport.toBytes(m, "m.json", false, "0.0.0"))).as(f[0] + " float64").isEqualTo(f[1]);
            assertThat(sha256(OnnxExport.toBytes(m, "m.json", true, "0.0.0"))).as(f[0] + " float32").isEqualTo(f[2]);
        }
    }

    @Test
    void toBytes_taskNetworkOfOneGroup_sameBytesAsItsPlainNetwork() throws Exception {
        Dense d0 = new Dense(W0, B0, Activation.leakyRelu(0.01)), d1 = new Dense(W1, B1, Activation.SIGMOID);
        Standardization s = new Standardization(new double[] {1, -2, 0.5}, new double[] {2, 0.25, 3});
        TaskNetwork tn = new TaskNetwork(new Network(d0), List.of(new Group("tasks", 2, new BinaryCrossEntropy())), List.of(new Network(d1)));
        byte[] viaTasks = OnnxExport.toBytes(new ModelFile(tn, List.of("a", "b", "c"), List.of("t1", "t2"), s), "m.json", false, "1");
        assertThat(viaTasks).isEqualTo(OnnxExport.toBytes(model(), "m.json", false, "1"));
    }

    // ----------------------------------------------------------------------------------------
    // several groups: the trunk once, each tower with its outputs NAME_logits and NAME

    /**
     * 3 standardized inputs → trunk 4 relu → 3 leaky_relu(0.01); group "digit" softmax over 2
     * classes with a tower 2 tanh → 2 identity; "odd" binary cross-entropy, one identity layer
     * of 1 output; "size" squared error, one sigmoid layer of 2 outputs.
     */
    static ModelFile groupsModel(String... names) {
        plainnet.Rng rng = new plainnet.Rng(11);
        Network trunk = new Network(new Dense(3, 4, Activation.RELU, rng), new Dense(4, 3, Activation.leakyRelu(0.01), rng));
        List<Group> groups = List.of(new Group(names[0], 2, new SoftmaxCrossEntropy()), new Group(names[1], 1, new BinaryCrossEntropy(), 0.5),
            new Group(names[2], 2, new MeanSquaredError(), 2.0));
        List<Network> towers = List.of(new Network(new Dense(3, 2, Activation.TANH, rng), new Dense(2, 2, Activation.IDENTITY, rng)),
            new Network(new Dense(3, 1, Activation.IDENTITY, rng)), new Network(new Dense(3, 2, Activation.SIGMOID, rng)));
        Standardization s = new Standardization(new double[] {1.0, -2.0, 0.5}, new double[] {2.0, 0.25, 3.0});
        return new ModelFile(new TaskNetwork(trunk, groups, towers), List.of("a", "b", "c"), List.of("digit=0", "digit=1", "odd", "width", "height"), s);
    }

    static ModelFile groupsModel() {
        return groupsModel("digit", "odd", "size");
    }

    @Test
    void toBytes_groups_trunkOnceThenEachTowerWithItsNamedOutputs() throws Exception {
        ModelFile m = groupsModel();
        List<Field> model = parse(OnnxExport.toBytes(m, "m.json", false, "9.9.9"));
        List<Field> graph = one(model, 7).message();
        assertThat(opTypes(graph)).containsExactly("Sub", "Div", "Gemm", "Relu", "Gemm", "Greater", "Mul", "Where",
            "Gemm", "Tanh", "Gemm", "Softmax", "Gemm", "Sigmoid", "Gemm", "Sigmoid", "Identity");
        // the trunk: x → standardize → trunk layer 0 → relu → trunk layer 1 → leaky relu = trunk_a1
        assertThat(strings(node(graph, "trunk_layer0_gemm"), 1)).containsExactly("x_standardized", "trunk_W0", "trunk_b0");
        assertThat(strings(node(graph, "trunk_layer0_relu"), 2)).containsExactly("trunk_a0");
        assertThat(strings(node(graph, "trunk_layer1_gemm"), 1)).containsExactly("trunk_a0", "trunk_W1", "trunk_b1");
        assertThat(strings(node(graph, "trunk_layer1_scaled"), 1)).containsExactly("trunk_z1", "trunk_slope1");
        assertThat(strings(node(graph, "trunk_layer1_leaky_relu"), 2)).containsExactly("trunk_a1");
        // every tower reads trunk_a1, the trunk runs once
        assertThat(strings(node(graph, "tower0_layer0_gemm"), 1)).containsExactly("trunk_a1", "tower0_W0", "tower0_b0");
        assertThat(strings(node(graph, "tower0_layer1_gemm"), 1)).containsExactly("tower0_a0", "tower0_W1", "tower0_b1");
        assertThat(strings(node(graph, "tower0_layer1_gemm"), 2)).as("identity head: the Gemm's output is the logits").containsExactly("digit_logits");
        assertThat(strings(node(graph, "tower0_softmax"), 1)).containsExactly("digit_logits");
        assertThat(strings(node(graph, "tower0_softmax"), 2)).containsExactly("digit");
        assertThat(one(one(node(graph, "tower0_softmax"), 5).message(), 3).value()).as("softmax axis").isEqualTo(1);
        assertThat(strings(node(graph, "tower1_layer0_gemm"), 1)).containsExactly("trunk_a1", "tower1_W0", "tower1_b0");
        assertThat(strings(node(graph, "tower1_sigmoid"), 1)).containsExactly("odd_logits");
        assertThat(strings(node(graph, "tower1_sigmoid"), 2)).containsExactly("odd");
        assertThat(strings(node(graph, "tower2_layer0_gemm"), 1)).containsExactly("trunk_a1", "tower2_W0", "tower2_b0");
        assertThat(strings(node(graph, "tower2_layer0_sigmoid"), 2)).as("the sigmoid layer's output is the logits").containsExactly("size_logits");
        assertThat(strings(node(graph, "tower2_identity"), 1)).containsExactly("size_logits");
        assertThat(strings(node(graph, "tower2_identity"), 2)).containsExactly("size");

        List<String> names = new ArrayList<>();
        for (Field t : all(graph, 5)) names.add(one(t.message(), 8).string());
        assertThat(names).containsExactly("mean", "std", "trunk_W0", "trunk_b0", "trunk_W1", "trunk_b1", "trunk_slope1", "zero",
            "tower0_W0", "tower0_b0", "tower0_W1", "tower0_b1", "tower1_W0", "tower1_b0", "tower2_W0", "tower2_b0");
        Dense w = m.taskNet.tower(0).layer(1);
        ByteBuffer raw = ByteBuffer.wrap(one(initializer(graph, "tower0_W1").message(), 9).bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int o = 0; o < 2; o++) for (int i = 0; i < 2; i++) assertThat(raw.getDouble()).as("tower0_W1[%d][%d]", o, i).isEqualTo(w.W[o][i]);

        List<Field> outputs = all(graph, 12);
        List<String> outNames = new ArrayList<>(), types = new ArrayList<>();
        for (Field o : outputs) {
            outNames.add(one(o.message(), 1).string());
            types.add(type(o.message()));
        }
        assertThat(outNames).containsExactly("digit_logits", "digit", "odd_logits", "odd", "size_logits", "size");
        assertThat(types).containsExactly("elem_type 11 shape N 2", "elem_type 11 shape N 2", "elem_type 11 shape N 1", "elem_type 11 shape N 1",
            "elem_type 11 shape N 2", "elem_type 11 shape N 2");
        assertThat(one(outputs.get(1).message(), 3).string()).endsWith("columns: digit=0, digit=1");
        assertThat(one(outputs.get(5).message(), 3).string()).endsWith("columns: width, height");

        List<String> meta = new ArrayList<>();
        for (Field e : all(model, 14)) meta.add(one(e.message(), 1).string() + "=" + one(e.message(), 2).string());
        assertThat(meta).containsExactly("features=[\"a\", \"b\", \"c\"]", "tasks=[\"digit=0\", \"digit=1\", \"odd\", \"width\", \"height\"]",
            "groups=[\"digit\", \"odd\", \"size\"]", "losses=[\"softmax_cross_entropy\", \"binary_cross_entropy\", \"squared_error\"]",
            "group_tasks=[[\"digit=0\", \"digit=1\"], [\"odd\"], [\"width\", \"height\"]]", "precision=float64");
    }

    @Test
    void toBytes_groupsFloat32_namesTheModelFilesFields() {
        ModelFile m = groupsModel();
        m.taskNet.trunk().layer(1).W[2][1] = 1e300;
        assertThatThrownBy(() -> OnnxExport.toBytes(m, "g.json", true, "1")).isInstanceOf(FormatException.class)
            .hasMessageStartingWith("g.json: field trunk[1].W[2][1]: expected a number within the float32 range");
        m.taskNet.trunk().layer(1).W[2][1] = 0.5;
        m.taskNet.tower(2).layer(0).b[1] = -1e300;
        assertThatThrownBy(() -> OnnxExport.toBytes(m, "g.json", true, "1")).isInstanceOf(FormatException.class)
            .hasMessageStartingWith("g.json: field groups[2].tower[0].b[1]: expected a number within the float32 range");
    }

    @Test
    void toBytes_groupNameThatIsAlreadyAGraphName_refusedNamingTheGroup() {
        assertThatThrownBy(() -> OnnxExport.toBytes(groupsModel("digit", "x", "size"), "g.json", false, "1")).isInstanceOf(FormatException.class)
            .hasMessage("g.json: field groups[1].name: expected a name whose graph outputs x and x_logits are not already names of the graph, found \"x\" (the graph already has x); rename the group");
        assertThatThrownBy(() -> OnnxExport.toBytes(groupsModel("digit", "tower2_W0", "size"), "g.json", false, "1")).isInstanceOf(FormatException.class)
            .hasMessageStartingWith("g.json: field groups[1].name: ").hasMessageContaining("found \"tower2_W0\"");
        assertThatThrownBy(() -> OnnxExport.toBytes(groupsModel("a", "a_logits", "size"), "g.json", false, "1")).isInstanceOf(FormatException.class)
            .hasMessageStartingWith("g.json: field groups[0].name: ").hasMessageContaining("(the graph already has a_logits)");
    }

    // ----------------------------------------------------------------------------------------
    // onnx.checker, where installed

    private static boolean onnxAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import onnx").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void toBytes_everyVariant_passesOnnxChecker(@TempDir Path dir) throws Exception {
        boolean available = onnxAvailable();
        if (!available) System.out.println("OnnxExportTest: checker skipped: python3 with the onnx package is not installed here");
        assumeTrue(available, "python3 with the onnx package is not installed: skipping onnx.checker");
        Network net = new Network(new Dense(W0, B0, Activation.RELU), new Dense(W1, B1, Activation.IDENTITY));
        List<String> files = new ArrayList<>();
        for (boolean float32 : new boolean[] {false, true}) {
            ModelFile[] models = {model(), new ModelFile(net, new SoftmaxCrossEntropy(), List.of("a", "b", "c"), List.of("c=0", "c=1")),
                new ModelFile(net, new MeanSquaredError(), List.of("a", "b", "c"), List.of("y1", "y2")), groupsModel(),
                ModelFile.load(Path.of("test-data/models/v2_groups.json"))};
            for (int j = 0; j < models.length; j++) {
                Path f = dir.resolve("m" + j + (float32 ? "_32" : "_64") + ".onnx");
                Files.write(f, OnnxExport.toBytes(models[j], "m.json", float32, "1"));
                files.add(f.toString());
            }
        }
        List<String> command = new ArrayList<>(List.of("python3", "-c",
            "import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint('checked', len(sys.argv) - 1)"));
        command.addAll(files);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("checked 10");
    }
}
