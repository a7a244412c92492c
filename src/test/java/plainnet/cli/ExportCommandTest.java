package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Group;
import plainnet.Loss;
import plainnet.MeanSquaredError;
import plainnet.Network;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Standardization;
import plainnet.TaskNetwork;
import plainnet.io.ModelFile;

/**
 * {@code plainnet export --format onnx} (SPEC.md, "ONNX export"): the exported files run in
 * onnxruntime (examples/onnx/run_onnx.py, skipped with a message where python3, numpy or
 * onnxruntime cannot be imported) on the digits and agree with {@code plainnet predict} and with
 * {@code Network.forward}: to 1e-12 absolute + 1e-12 relative in float64, and within a
 * first-order error bound computed here for float32; and every bad input is one line, exit 2,
 * nothing written.
 */
class ExportCommandTest {

    static final Path DIGITS = Path.of("test-data/digits/digits.csv").toAbsolutePath();
    static final double TOL64 = 1e-12;
    /** The unit roundoff of float32. */
    static final double U32 = 0x1p-24;

    @TempDir
    static Path dir;
    static Cli cli;
    /** The multi-task data: the 64 pixels of digits.csv and the six tasks of digits_multitask_train.csv (about half unlabeled). */
    static Path multitask;

    @BeforeAll
    static void data() throws Exception {
        cli = new Cli(dir);
        List<String> digits = Files.readAllLines(DIGITS, StandardCharsets.UTF_8);
        List<String> tasks = Files.readAllLines(Path.of("test-data/digits/digits_multitask_train.csv"), StandardCharsets.UTF_8);
        String pixels = digits.get(0).substring(0, digits.get(0).lastIndexOf(','));
        StringBuilder s = new StringBuilder(pixels + tasks.get(0).substring(tasks.get(0).indexOf(',')) + "\n");
        for (String line : tasks.subList(1, tasks.size())) {
            int row = Integer.parseInt(line.substring(0, line.indexOf(',')));
            String d = digits.get(row + 1);
            s.append(d, 0, d.lastIndexOf(',')).append(line.substring(line.indexOf(','))).append('\n');
        }
        multitask = dir.resolve("mt.csv");
        Files.writeString(multitask, s);
    }

    // ----------------------------------------------------------------------------------------
    // onnxruntime agrees with predict and Network.forward

    private static boolean runtimeAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy, onnxruntime").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** A model to export: its file (trained here, or written from Java) and the data it runs on. */
    record Case(String name, Path data) {}

    /** Rows of numbers of a CSV file with a header, skipping the first {@code skip} columns. */
    static double[][] numbers(Path file, int skip) throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        double[][] out = new double[lines.size() - 1][];
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).split(",", -1);
            out[n - 1] = new double[f.length - skip];
            for (int k = skip; k < f.length; k++) out[n - 1][k - skip] = Double.parseDouble(f[k]);
        }
        return out;
    }

    /** The model's feature columns of the data file, as predict reads them (N, I). */
    static double[][] features(Path data, List<String> names) throws Exception {
        List<String> lines = Files.readAllLines(data, StandardCharsets.UTF_8);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        double[][] x = new double[lines.size() - 1][names.size()];
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).split(",", -1);
            for (int i = 0; i < names.size(); i++) x[n - 1][i] = Double.parseDouble(f[header.indexOf(names.get(i))]);
        }
        return x;
    }

    /** The largest |actual − expected| / (abs + rel·|expected|), which must be ≤ 1, naming the worst entry when it is not. */
    static double assertClose(String what, double[][] expected, double[][] actual, double abs, double rel) {
        assertThat(actual.length).as(what + ": rows").isEqualTo(expected.length);
        double worst = 0;
        String where = "";
        for (int n = 0; n < expected.length; n++) {
            assertThat(actual[n].length).as(what + ": columns of row " + n).isEqualTo(expected[n].length);
            for (int k = 0; k < expected[n].length; k++) {
                double r = Math.abs(actual[n][k] - expected[n][k]) / (abs + rel * Math.abs(expected[n][k]));
                if (!(r <= worst)) {
                    worst = r;
                    where = "[" + n + "][" + k + "]: expected " + expected[n][k] + ", found " + actual[n][k];
                }
            }
        }
        System.out.printf(Locale.ROOT, "ExportCommandTest: %-44s worst error / tolerance %.3g %s%n", what, worst, where);
        assertThat(worst).as(what + ": worst " + where).isLessThanOrEqualTo(1.0);
        return worst;
    }

    /** {@link #assertClose} against a bound per entry. */
    static double assertWithin(String what, double[][] expected, double[][] actual, double[][] bound) {
        double worst = 0;
        String where = "";
        for (int n = 0; n < expected.length; n++) {
            for (int k = 0; k < expected[n].length; k++) {
                double r = Math.abs(actual[n][k] - expected[n][k]) / bound[n][k];
                if (!(r <= worst)) {
                    worst = r;
                    where = "[" + n + "][" + k + "]: expected " + expected[n][k] + ", found " + actual[n][k] + ", bound " + bound[n][k];
                }
            }
        }
        System.out.printf(Locale.ROOT, "ExportCommandTest: %-44s worst error / bound %.3g %s%n", what, worst, where);
        assertThat(worst).as(what + ": worst " + where).isLessThanOrEqualTo(1.0);
        return worst;
    }

    /**
     * A first-order bound on |float32 graph − double model| for every logit and probability
     * (SPEC.md, "ONNX export", float32), from the double forward pass: u = 2⁻²⁴; the input cast
     * e = u·|x|; standardization e' = (e + u·|mean|)/std + 3u·|x'|; a layer
     * e_z = Σᵢ |W_oi|·e_i + (γ_{I+1} + u)·(Σᵢ |W_oi|·|a_i| + |b_o|), γ_n = n·u/(1 − n·u), for any
     * order of the sum (the cast of W and b is the extra u); an activation
     * e_a = L·e_z + r with L = 1 (identity, relu, leaky_relu, tanh) or 1/4 (sigmoid) and r = 0
     * (identity, relu), 2u·s·|z| (leaky_relu: alpha and the product rounded), 8u (sigmoid, tanh:
     * onnxruntime's float approximations, measured within 4.6u on [−30, 30]); sigmoid outputs
     * e_z/4 + 8u; softmax q_k·(2·max_j e_j + u·(|z_k − max z| + K + 16)).
     *
     * @return {logits bound (N, K), probabilities bound (N, K)}
     */
    static double[][][] float32Bounds(ModelFile m, double[][] raw) {
        double[][][] ae = inputBounds(m, raw);
        ae = layerBounds(m.net, ae[0], ae[1]);
        return outputBounds(m.loss, ae[0], ae[1]);
    }

    /** The layer-0 input x' (N, I) in double (standardized where the model says) and its float32 error bound: {x', e}. */
    static double[][][] inputBounds(ModelFile m, double[][] raw) {
        int N = raw.length;
        double[][] a = new double[N][];   // (N, I) the layer's input in double
        double[][] e = new double[N][];   // (N, I) its error bound in float32
        for (int n = 0; n < N; n++) {
            a[n] = raw[n].clone();
            e[n] = new double[raw[n].length];
            for (int i = 0; i < raw[n].length; i++) e[n][i] = U32 * Math.abs(raw[n][i]);
        }
        if (m.standardize != null) {
            m.standardize.apply(a);
            for (int n = 0; n < N; n++) {
                for (int i = 0; i < a[n].length; i++) {
                    e[n][i] = (e[n][i] + U32 * Math.abs(m.standardize.mean[i])) / m.standardize.std[i] + 3 * U32 * Math.abs(a[n][i]);
                }
            }
        }
        return new double[][][] {a, e};
    }

    /** The layers of a network (a copy of it runs) from input a (N, I) with error bound e: {output (N, O), its bound}. */
    static double[][][] layerBounds(Network network, double[][] a, double[][] e) {
        int N = a.length;
        Network net = network.copy();
        net.forward(a);
        for (int l = 0; l < net.size(); l++) {
            Dense d = net.layer(l);
            double gamma = (d.I + 1) * U32 / (1 - (d.I + 1) * U32);
            double[][] z = net.preActivation(l), act = net.activation(l);
            double[][] next = new double[N][d.O];
            for (int n = 0; n < N; n++) {
                for (int o = 0; o < d.O; o++) {
                    double s = Math.abs(d.b[o]), p = 0;
                    for (int i = 0; i < d.I; i++) {
                        s += Math.abs(d.W[o][i]) * Math.abs(a[n][i]);
                        p += Math.abs(d.W[o][i]) * e[n][i];
                    }
                    double ez = p + (gamma + U32) * s;
                    next[n][o] = switch (d.f.kind) {
                        case IDENTITY, RELU -> ez;
                        case LEAKY_RELU -> ez + 2 * U32 * d.f.slope * Math.abs(z[n][o]);
                        case SIGMOID -> ez / 4 + 8 * U32;
                        case TANH -> ez + 8 * U32;
                    };
                }
            }
            a = new double[N][];
            for (int n = 0; n < N; n++) a[n] = act[n].clone();
            e = next;
        }
        return new double[][][] {a, e};
    }

    /** From the last layer's output a (N, K) and its bound e: {logits bound, probabilities bound} (N, K) for the loss's kind. */
    static double[][][] outputBounds(Loss loss, double[][] a, double[][] e) {
        int N = a.length, K = a[0].length;
        double[][] logits = new double[N][K], probabilities = new double[N][K];
        for (int n = 0; n < N; n++) {
            double maxE = 0, maxZ = Double.NEGATIVE_INFINITY, lse = SoftmaxCrossEntropy.logSumExp(a[n]);
            for (int k = 0; k < K; k++) {
                maxE = Math.max(maxE, e[n][k]);
                maxZ = Math.max(maxZ, a[n][k]);
            }
            for (int k = 0; k < K; k++) {
                logits[n][k] = e[n][k] + TOL64;
                if (loss instanceof BinaryCrossEntropy) {
                    probabilities[n][k] = e[n][k] / 4 + 8 * U32 + TOL64;
                } else if (loss instanceof SoftmaxCrossEntropy) {
                    double q = StrictMath.exp(a[n][k] - lse);
                    probabilities[n][k] = q * (2 * maxE + U32 * (Math.abs(a[n][k] - maxZ) + K + 16)) + TOL64;
                } else {
                    probabilities[n][k] = logits[n][k]; // Identity
                }
            }
        }
        return new double[][][] {logits, probabilities};
    }

    @Test
    void export_digitsModels_agreeWithPredictInOnnxruntime() throws Exception {
        boolean available = runtimeAvailable();
        if (!available) System.out.println("ExportCommandTest: skipped: python3 with numpy and onnxruntime is not installed here");
        assumeTrue(available, "python3 with numpy and onnxruntime is not installed: skipping the onnxruntime comparison");
        String d = DIGITS.toString();
        // Every loss, every activation (leaky_relu with the default and another slope), with and without standardize.
        assertThat(cli.run("train", "--data", d, "--features", "pixel_0_0..pixel_7_7", "--labels", "digit", "--loss", "softmax", "--hidden", "16:relu,12:leaky_relu", "--standardize",
            "--epochs", "1", "--quiet", "--out", "@softmax_std.json")).as(cli.err).isZero();
        assertThat(cli.run("train", "--data", d, "--features", "pixel_0_0..pixel_7_7", "--labels", "digit", "--loss", "softmax", "--hidden", "12:tanh,10:leaky_relu(0.2)",
            "--epochs", "1", "--quiet", "--out", "@softmax_raw.json")).as(cli.err).isZero();
        assertThat(cli.run("train", "--data", multitask.toString(), "--features", "pixel_0_0..pixel_7_7", "--labels", "last:6", "--loss", "bce", "--hidden", "16:sigmoid,8:identity", "--standardize",
            "--epochs", "1", "--quiet", "--out", "@bce_std.json")).as(cli.err).isZero();
        assertThat(cli.run("train", "--data", d, "--features", "pixel_0_0..pixel_7_7", "--labels", "digit", "--loss", "mse", "--hidden", "8:tanh",
            "--epochs", "1", "--quiet", "--out", "@mse_raw.json")).as(cli.err).isZero();
        // A head that is not identity (tanh), written from Java: the logits are then a_{L−1}.
        List<String> pixels = Arrays.asList(Files.readAllLines(DIGITS, StandardCharsets.UTF_8).get(0).split(",")).subList(0, 64);
        Rng rng = new Rng(3);
        double[] mean = new double[64], std = new double[64];
        for (int i = 0; i < 64; i++) {
            mean[i] = i / 8.0;
            std[i] = 1 + i / 16.0;
        }
        new ModelFile(new Network(new Dense(64, 6, Activation.SIGMOID, rng), new Dense(6, 3, Activation.TANH, rng)), new MeanSquaredError(),
            pixels, List.of("y1", "y2", "y3"), new Standardization(mean, std)).save(dir.resolve("mse_tanh_head.json"));
        List<Case> cases = List.of(new Case("softmax_std", DIGITS), new Case("softmax_raw", DIGITS), new Case("bce_std", multitask),
            new Case("mse_raw", DIGITS), new Case("mse_tanh_head", DIGITS));

        List<String> command = new ArrayList<>(List.of("python3", "examples/onnx/run_onnx.py"));
        for (Case c : cases) {
            for (String bits : new String[] {"64", "32"}) {
                List<String> args = new ArrayList<>(List.of("export", "--model", "@" + c.name() + ".json", "--format", "onnx", "--out", "@" + c.name() + bits + ".onnx"));
                if (bits.equals("32")) args.add("--float32");
                assertThat(cli.run(args.toArray(new String[0]))).as(cli.err).isZero();
                assertThat(cli.out).startsWith("wrote ").contains("float" + bits);
                command.addAll(List.of(dir.resolve(c.name() + bits + ".onnx").toString(), c.data().toString(), dir.resolve(c.name() + bits).toString()));
            }
            assertThat(cli.run("predict", "--model", "@" + c.name() + ".json", "--data", c.data().toString(), "--out", "@" + c.name() + ".predict.csv")).as(cli.err).isZero();
        }
        Process p = new ProcessBuilder(command).directory(new File(".")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        for (Case c : cases) {
            ModelFile m = ModelFile.load(dir.resolve(c.name() + ".json"));
            boolean mse = m.loss instanceof MeanSquaredError;
            double[][] raw = features(c.data(), m.features);
            double[][] x = new double[raw.length][];
            for (int n = 0; n < raw.length; n++) x[n] = raw[n].clone();
            if (m.standardize != null) m.standardize.apply(x);
            double[][] forward = Setup.outputs(m.net, x);                      // (N, K) what predict computes before σ/softmax
            double[][] predict = numbers(dir.resolve(c.name() + ".predict.csv"), 1); // (N, K) predict's output
            assertThat(predict.length).as("predict rows").isEqualTo(raw.length);

            double[][] logits64 = numbers(dir.resolve(c.name() + "64.logits.csv"), 0);
            assertClose(c.name() + " float64 logits vs forward", forward, logits64, TOL64, TOL64);
            assertClose(c.name() + " float64 " + (mse ? "logits" : "probabilities") + " vs predict", predict,
                mse ? logits64 : numbers(dir.resolve(c.name() + "64.probabilities.csv"), 0), TOL64, TOL64);
            assertThat(Files.exists(dir.resolve(c.name() + "64.probabilities.csv"))).as("probabilities output").isEqualTo(!mse);

            double[][][] bound = float32Bounds(m, raw);
            double[][] logits32 = numbers(dir.resolve(c.name() + "32.logits.csv"), 0);
            assertWithin(c.name() + " float32 logits vs forward", forward, logits32, bound[0]);
            if (!mse) assertWithin(c.name() + " float32 probabilities vs predict", predict, numbers(dir.resolve(c.name() + "32.probabilities.csv"), 0), bound[1]);
            // The float32 graph really is float32: its logits are not the double ones.
            double differ = 0;
            for (int n = 0; n < forward.length; n++) for (int k = 0; k < forward[n].length; k++) differ = Math.max(differ, Math.abs(logits32[n][k] - forward[n][k]));
            assertThat(differ).as(c.name() + ": float32 logits differ from the double ones").isGreaterThan(1e-9);
        }
    }

    /** Group g's columns of z (N, K). */
    static double[][] columns(double[][] z, int from, int K) {
        double[][] out = new double[z.length][];
        for (int n = 0; n < z.length; n++) out[n] = Arrays.copyOfRange(z[n], from, from + K);
        return out;
    }

    /**
     * What a group's output NAME must hold, computed here from its logits (N, K_g) by SPEC §25
     * independently of the graph: softmax exp(z_k − log Σ_j exp z_j), sigmoid 1/(1 + exp(−z)),
     * or z itself.
     */
    static double[][] expectedOutput(Loss loss, double[][] z) {
        double[][] out = new double[z.length][];
        for (int n = 0; n < z.length; n++) {
            out[n] = z[n].clone();
            double lse = SoftmaxCrossEntropy.logSumExp(z[n]);
            for (int k = 0; k < z[n].length; k++) {
                if (loss instanceof SoftmaxCrossEntropy) out[n][k] = StrictMath.exp(z[n][k] - lse);
                else if (loss instanceof BinaryCrossEntropy) out[n][k] = 1 / (1 + StrictMath.exp(-z[n][k]));
            }
        }
        return out;
    }

    @Test
    void export_modelsOfSeveralGroups_agreeWithForwardInOnnxruntime() throws Exception {
        boolean available = runtimeAvailable();
        if (!available) System.out.println("ExportCommandTest: skipped: python3 with numpy and onnxruntime is not installed here");
        assumeTrue(available, "python3 with numpy and onnxruntime is not installed: skipping the onnxruntime comparison");
        // test-data's version-2 model (standardized, a frozen trunk layer, a leaky_relu tower, a sigmoid head), on 300 rows
        Files.copy(Path.of("test-data/models/v2_groups.json"), dir.resolve("groups_file.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Rng draw = new Rng(12);
        StringBuilder rows = new StringBuilder("x0,x1,x2\n");
        for (int n = 0; n < 300; n++) rows.append(4 * draw.nextGaussian()).append(',').append(4 * draw.nextGaussian()).append(',').append(4 * draw.nextGaussian()).append('\n');
        Path small = dir.resolve("x3.csv");
        Files.writeString(small, rows);
        // on the digits: a standardized trunk 16 relu → 12 leaky_relu(0.01); digit softmax over 10 classes with a
        // tower 8 tanh → 10; three yes/no attributes (sigmoid), one layer; two numbers (squared error) with a tanh head
        List<String> pixels = Arrays.asList(Files.readAllLines(DIGITS, StandardCharsets.UTF_8).get(0).split(",")).subList(0, 64);
        Rng rng = new Rng(4);
        double[] mean = new double[64], std = new double[64];
        for (int i = 0; i < 64; i++) {
            mean[i] = i / 10.0;
            std[i] = 1 + i / 20.0;
        }
        Network trunk = new Network(new Dense(64, 16, Activation.RELU, rng), new Dense(16, 12, Activation.leakyRelu(0.01), rng));
        List<Group> groups = List.of(new Group("digit", 10, new SoftmaxCrossEntropy()), new Group("attributes", 3, new BinaryCrossEntropy(), 0.5),
            new Group("size", 2, new MeanSquaredError()));
        List<Network> towers = List.of(new Network(new Dense(12, 8, Activation.TANH, rng), new Dense(8, 10, Activation.IDENTITY, rng)),
            new Network(new Dense(12, 3, Activation.IDENTITY, rng)), new Network(new Dense(12, 2, Activation.TANH, rng)));
        List<String> tasks = new ArrayList<>();
        for (int c = 0; c < 10; c++) tasks.add("digit=" + c);
        tasks.addAll(List.of("round", "tall", "wide", "width", "height"));
        new ModelFile(new TaskNetwork(trunk, groups, towers), pixels, tasks, new Standardization(mean, std)).save(dir.resolve("groups_digits.json"));
        List<Case> cases = List.of(new Case("groups_file", small), new Case("groups_digits", DIGITS));

        List<String> command = new ArrayList<>(List.of("python3", "examples/onnx/run_onnx.py"));
        for (Case c : cases) {
            for (String bits : new String[] {"64", "32"}) {
                List<String> args = new ArrayList<>(List.of("export", "--model", "@" + c.name() + ".json", "--format", "onnx", "--out", "@" + c.name() + bits + ".onnx"));
                if (bits.equals("32")) args.add("--float32");
                assertThat(cli.run(args.toArray(new String[0]))).as(cli.err).isZero();
                command.addAll(List.of(dir.resolve(c.name() + bits + ".onnx").toString(), c.data().toString(), dir.resolve(c.name() + bits).toString()));
            }
        }
        assertThat(cli.out).contains("float32").endsWith("input x (N, 64), outputs digit_logits (N, 10), digit (N, 10), attributes_logits (N, 3), attributes (N, 3), size_logits (N, 2), size (N, 2)\n");
        Process p = new ProcessBuilder(command).directory(new File(".")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        for (Case c : cases) {
            ModelFile m = ModelFile.load(dir.resolve(c.name() + ".json"));
            assertThat(m.groupCount()).isEqualTo(3);
            double[][] raw = features(c.data(), m.features);
            double[][][] input = inputBounds(m, raw);
            double[][] forward = m.forward(input[0]);                          // (N, K) plainnet's own forward, all groups
            double[][][] h = layerBounds(m.taskNet.trunk(), input[0], input[1]); // the trunk's output and its float32 bound
            for (int g = 0; g < m.groupCount(); g++) {
                Group group = m.group(g);
                String name = c.name() + " " + group.name;
                double[][] z = columns(forward, m.columnStart(g), group.K);     // (N, K_g)
                double[][] logits64 = numbers(dir.resolve(c.name() + "64." + group.name + "_logits.csv"), 0);
                assertThat(Files.readAllLines(dir.resolve(c.name() + "64." + group.name + ".csv")).get(0)).as("header: the group's tasks")
                    .isEqualTo(String.join(",", m.groupTasks(g)));
                assertClose(name + " float64 logits vs forward", z, logits64, TOL64, TOL64);
                assertClose(name + " float64 output vs forward", expectedOutput(group.loss, z), numbers(dir.resolve(c.name() + "64." + group.name + ".csv"), 0), TOL64, TOL64);

                double[][][] tower = layerBounds(m.taskNet.tower(g), h[0], h[1]);
                double[][][] bound = outputBounds(group.loss, tower[0], tower[1]);
                double[][] logits32 = numbers(dir.resolve(c.name() + "32." + group.name + "_logits.csv"), 0);
                assertWithin(name + " float32 logits vs forward", z, logits32, bound[0]);
                assertWithin(name + " float32 output vs forward", expectedOutput(group.loss, z), numbers(dir.resolve(c.name() + "32." + group.name + ".csv"), 0), bound[1]);
                double differ = 0;
                for (int n = 0; n < z.length; n++) for (int k = 0; k < z[n].length; k++) differ = Math.max(differ, Math.abs(logits32[n][k] - z[n][k]));
                assertThat(differ).as(name + ": float32 logits differ from the double ones").isGreaterThan(1e-9);
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // bad input: one line, exit 2, nothing written or overwritten

    /** A small valid model file's text (3 inputs, a leaky_relu layer, 2 bce outputs). */
    static String modelText() {
        Network net = new Network(new Dense(3, 4, Activation.leakyRelu(0.1), new Rng(1)), new Dense(4, 2, Activation.IDENTITY, new Rng(2)));
        return new ModelFile(net, new BinaryCrossEntropy(), List.of("a", "b", "c"), List.of("t1", "t2")).toJson();
    }

    /** Runs export on a model file with this text; the --out file exists with "old" and must keep it. Returns standard error. */
    static String refused(String name, String text, String... more) throws Exception {
        Files.writeString(dir.resolve(name + ".json"), text);
        Files.writeString(dir.resolve(name + ".onnx"), "old");
        List<String> args = new ArrayList<>(List.of("export", "--model", "@" + name + ".json", "--format", "onnx", "--out", "@" + name + ".onnx"));
        args.addAll(List.of(more));
        int code = cli.run(args.toArray(new String[0]));
        assertThat(code).as(cli.err).isEqualTo(2);
        assertThat(cli.err).as("one line").endsWith("\n").doesNotContain("Exception").hasLineCount(1);
        assertThat(Files.readString(dir.resolve(name + ".onnx"))).as("--out untouched").isEqualTo("old");
        return cli.err;
    }

    @Test
    void export_unknownActivation_namesFileFieldAndActivation() throws Exception {
        String err = refused("act", modelText().replace("\"identity\"", "\"gelu\""));
        assertThat(err).contains("act.json").contains("layers[1].activation").contains("gelu");
    }

    @Test
    void export_unknownLoss_namesFileFieldAndLoss() throws Exception {
        String err = refused("loss", modelText().replace("\"binary_cross_entropy\"", "\"hinge\""));
        assertThat(err).contains("loss.json").contains("loss.kind").contains("hinge");
    }

    @Test
    void export_nonFiniteWeight_refused() throws Exception {
        String text = modelText();
        int w = text.indexOf("\"W\"");
        int start = text.indexOf('[', text.indexOf('[', w) + 1) + 1; // W[0][0]
        int end = text.indexOf(',', start);
        String err = refused("inf", text.substring(0, start) + "1e400" + text.substring(end));
        assertThat(err).contains("inf.json:").contains("1e400");
        err = refused("nan", text.substring(0, start) + "NaN" + text.substring(end));
        assertThat(err).contains("nan.json:").contains("NaN");
        // Finite in double, infinite in float: only --float32 refuses it, naming the entry.
        err = refused("big", text.substring(0, start) + "1e300" + text.substring(end), "--float32");
        assertThat(err).contains("big.json: field layers[0].W[0][0]: expected a number within the float32 range").contains("1.0E300");
        assertThat(cli.run("export", "--model", "@big.json", "--format", "onnx", "--out", "@big.onnx")).as(cli.err).isZero();
    }

    @Test
    void export_outIsAFolder_refused() throws Exception {
        Files.writeString(dir.resolve("ok.json"), modelText());
        Files.createDirectories(dir.resolve("folder.onnx"));
        assertThat(cli.run("export", "--model", "@ok.json", "--format", "onnx", "--out", "@folder.onnx")).isEqualTo(2);
        assertThat(cli.err).contains("folder.onnx").contains("found a folder").hasLineCount(1);
        assertThat(Files.isDirectory(dir.resolve("folder.onnx"))).isTrue();
    }

    @Test
    void export_outIsTheModel_refusedAndModelKept() throws Exception {
        String text = modelText();
        Files.writeString(dir.resolve("same.json"), text);
        assertThat(cli.run("export", "--model", "@same.json", "--format", "onnx", "--out", "@./same.json")).isEqualTo(2);
        assertThat(cli.err).contains("same.json").contains("differ from the input --model").hasLineCount(1);
        assertThat(Files.readString(dir.resolve("same.json"))).isEqualTo(text);
    }

    @Test
    void export_unknownFormat_namesTheFormats() throws Exception {
        Files.writeString(dir.resolve("fmt.json"), modelText());
        assertThat(cli.run("export", "--model", "@fmt.json", "--format", "torch", "--out", "@fmt.onnx")).isEqualTo(2);
        assertThat(cli.err).contains("--format expected one of onnx, found 'torch'").hasLineCount(1);
        assertThat(cli.run("export", "--model", "@fmt.json", "--out", "@fmt.onnx")).isEqualTo(2);
        assertThat(cli.err).contains("option --format is required").hasLineCount(1);
        assertThat(Files.exists(dir.resolve("fmt.onnx"))).isFalse();
    }

    @Test
    void export_missingModel_refused() throws Exception {
        assertThat(cli.run("export", "--format", "onnx", "--out", "@none.onnx")).isEqualTo(2);
        assertThat(cli.err).contains("option --model is required").hasLineCount(1);
        assertThat(cli.run("export", "--model", "@absent.json", "--format", "onnx", "--out", "@none.onnx")).isEqualTo(2);
        assertThat(cli.err).contains("absent.json").contains("no such file").hasLineCount(1);
        assertThat(Files.exists(dir.resolve("none.onnx"))).isFalse();
    }

    @Test
    void export_help_listsOptions() {
        assertThat(cli.run("export", "--help")).isZero();
        assertThat(cli.out).contains("--model").contains("--format").contains("--out").contains("--float32");
    }
}
