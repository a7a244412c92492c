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
import plainnet.MeanSquaredError;
import plainnet.Network;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Standardization;
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
                new ModelFile(net, new MeanSquaredError(), List.of("a", "b", "c"), List.of("y1", "y2"))};
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
        assertThat(out).contains("checked 6");
    }
}
