package plainnet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Loss;
import plainnet.MeanSquaredError;
import plainnet.Network;
import plainnet.Reduction;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Standardization;
import plainnet.io.ModelFile;

/**
 * Runs examples/pytorch/to_torch.py and from_torch.py (SPEC.md §22.5) where PyTorch is installed;
 * skipped, with a message, where python3 or torch is missing (CI has no torch).
 *
 * <p>Three models written by plainnet itself: a masked multi-task binary cross-entropy model with
 * task and positive-class weights, a frozen middle layer, an lr_scale and a standardization; a
 * softmax model; a squared-error model. For each:
 * <ul>
 *   <li>plainnet → PyTorch (torch.save) → plainnet gives back the model file byte for byte;</li>
 *   <li>{@code to_torch.py --predict} agrees with {@code plainnet predict} (standardization included)
 *       within {@link #PREDICT_REL} relative (see there);</li>
 *   <li>{@code to_torch.py --check}: forward z and a, J, dout, dW, db (null for the frozen layer),
 *       dx from autograd agree with {@code plainnet compute} within 1e-12 of each array's largest
 *       entry (the script's default; the sums are short: plainnet's and PyTorch's orders differ by a
 *       few ulp of the terms' magnitudes, about 1e-15 here).</li>
 * </ul>
 * A Sequential built in PyTorch (float32 and float64 layers, a frozen one) is written by
 * from_torch.py, and plainnet loads it and writes the same bytes again, and predicts from it. Bad
 * input to from_torch.py (Dropout, Conv2d, a NaN weight, an --out that is a folder) is one line
 * naming the module or layer, exit 2, and an existing --out file is left untouched. A negative
 * control: with one PyTorch weight moved by 1e−9, --check fails.
 *
 * <p>All Python runs in one process (importing torch takes seconds), driven by a script this test
 * writes, which calls the examples' main functions as their command lines do.
 */
class PyTorchExampleTest {

    /**
     * Forward outputs, probabilities of bce and softmax models: relative, per entry. PyTorch sums
     * z = x·Wᵀ + b in another order (blocked, with FMA) than plainnet (SPEC §4), so z differs by a
     * few ulp of Σ|W_oi·x_i| + |b_o|, about 1e−15 for these layers; σ and softmax turn an absolute
     * error Δz of the logit into a relative error of at most |Δz| in the probability. 1e−12 leaves a
     * factor of 1000. The squared-error model's outputs are z itself and can be near 0, where a
     * relative error is unbounded: there the bound is relative to the column's largest value.
     */
    static final double PREDICT_REL = 1e-12;

    @TempDir
    static Path dir;

    static String pythonOut;
    static boolean torchAvailable;

    private static boolean torchAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import torch, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(new File(".")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).as("timed out: " + command).isTrue();
        assertThat(p.exitValue()).as(command + ":\n" + out).isZero();
        return out;
    }

    /** A network of the given sizes and activations from Rng(seed), and its model file. */
    private static ModelFile model(long seed, int[] sizes, Activation[] f, Loss loss, List<String> tasks, Standardization st) {
        Rng rng = new Rng(seed);
        List<Dense> layers = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) layers.add(new Dense(sizes[l], sizes[l + 1], f[l], rng));
        Network net = new Network(layers);
        for (Dense d : layers) for (int o = 0; o < d.O; o++) d.b[o] = 0.1 * rng.nextGaussian(); // non-zero biases
        List<String> features = new ArrayList<>();
        for (int i = 0; i < sizes[0]; i++) features.add("f" + i);
        return st == null ? new ModelFile(net, loss, features, tasks) : new ModelFile(net, loss, features, tasks, st);
    }

    private static final String[] MODELS = {"bce", "softmax", "mse"};

    @BeforeAll
    static void runPython() throws Exception {
        torchAvailable = torchAvailable();
        if (!torchAvailable) {
            System.out.println("PyTorchExampleTest: skipped: python3 with torch and numpy is not installed here");
            return;
        }
        Process make = new ProcessBuilder("make", "-s", "jar").redirectErrorStream(true).start();
        String makeOut = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(make.waitFor(300, TimeUnit.SECONDS) && make.exitValue() == 0).as("make jar: " + makeOut).isTrue();

        // bce: 4-6-5-3, tanh, leaky_relu(0.2), identity; the middle layer frozen; layer 0 at lr_scale 0.5.
        ModelFile bce = model(3, new int[] {4, 6, 5, 3}, new Activation[] {Activation.TANH, Activation.leakyRelu(0.2), Activation.IDENTITY},
            new BinaryCrossEntropy(Reduction.PER_EXAMPLE, new double[] {1.0, 0.5, 2.0}, new double[] {3.0, 1.0, 0.25}),
            Arrays.asList("t0", "t1", "t2"), new Standardization(new double[] {1.5, -2.0, 0.25, 10.0}, new double[] {2.0, 0.5, 1.25, 3.0}));
        bce.net.freeze(1, 2);
        bce.net.layer(0).setLrScale(0.5);
        ModelFile softmax = model(4, new int[] {5, 8, 4}, new Activation[] {Activation.RELU, Activation.IDENTITY},
            new SoftmaxCrossEntropy(Reduction.MEAN_LABELED), Arrays.asList("c0", "c1", "c2", "c3"), null);
        ModelFile mse = model(5, new int[] {3, 4, 2}, new Activation[] {Activation.SIGMOID, Activation.IDENTITY},
            new MeanSquaredError(Reduction.MEAN_ALL, new double[] {1.0, 0.5}), Arrays.asList("v0", "v1"), null);
        ModelFile[] models = {bce, softmax, mse};
        for (int m = 0; m < 3; m++) {
            models[m].save(dir.resolve(MODELS[m] + ".json"));
            // 7 rows of the model's features, for predict
            Rng rng = new Rng(10 + m);
            StringBuilder csv = new StringBuilder(String.join(",", models[m].features)).append('\n');
            for (int n = 0; n < 7; n++) {
                for (int i = 0; i < models[m].features.size(); i++) csv.append(i == 0 ? "" : ",").append(Math.round(rng.nextGaussian() * 4000) / 1000.0);
                csv.append('\n');
            }
            Files.writeString(dir.resolve(MODELS[m] + ".csv"), csv.toString());
        }
        StringBuilder x7 = new StringBuilder("x0,x1,x2,x3,x4,x5,x6\n");
        for (int n = 0; n < 3; n++) x7.append(n).append(",1,-2,0.5,3,-1,0.25\n");
        Files.writeString(dir.resolve("torch.csv"), x7.toString());
        Files.writeString(dir.resolve("keep.json"), "keep me\n");
        Files.createDirectories(dir.resolve("folder.json"));

        String driver = """
            import sys, os
            sys.path.insert(0, "examples/pytorch")
            import torch
            from torch import nn
            import to_torch, from_torch
            d, jar = sys.argv[1], sys.argv[2]
            def run(name, module, args):
                print("=== " + name, flush=True)
                rc = module.main(args)
                sys.stdout.flush(); sys.stderr.flush()
                print("=== exit %d" % rc, flush=True)
            for m in ("bce", "softmax", "mse"):
                p = os.path.join(d, m)
                run(m + " check", to_torch, [p + ".json", "--check", "--jar", jar, "--rows", "6", "--seed", "2"])
                run(m + " predict", to_torch, [p + ".json", "--predict", p + ".csv"])
                run(m + " save", to_torch, [p + ".json", "--save", p + ".pt"])
                run(m + " back", from_torch, [p + ".pt", "--out", p + ".back.json"])
            torch.manual_seed(0)
            net = nn.Sequential(nn.Linear(7, 5), nn.LeakyReLU(0.3), nn.Linear(5, 4, dtype=torch.float64), nn.Tanh(),
                                nn.Linear(4, 3), nn.Identity(), nn.Linear(3, 2, dtype=torch.float64), nn.Sigmoid(), nn.Linear(2, 2))
            for q in net[2].parameters(): q.requires_grad_(False)
            torch.save(net, os.path.join(d, "torch.pt"))
            run("torch", from_torch, [os.path.join(d, "torch.pt"), "--out", os.path.join(d, "torch.json"), "--loss", "mse"])
            bad = {"dropout": nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.5), nn.Linear(4, 2)),
                   "conv": nn.Sequential(nn.Conv2d(1, 2, 3), nn.Linear(4, 2)),
                   "nan": nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))}
            with torch.no_grad(): bad["nan"][2].weight[1, 2] = float("nan")
            for name, b in bad.items():
                torch.save(b, os.path.join(d, name + ".pt"))
                run("bad " + name, from_torch, [os.path.join(d, name + ".pt"), "--out", os.path.join(d, "keep.json"), "--loss", "bce"])
            run("bad folder", from_torch, [os.path.join(d, "torch.pt"), "--out", os.path.join(d, "folder.json"), "--loss", "bce"])
            # negative control: one weight of the PyTorch copy moved by 1e-9, which --check must notice
            exact = to_torch.torch_results
            def moved(net, model, x, y):
                with torch.no_grad():
                    net[0].weight[0, 0] += 1e-9
                return exact(net, model, x, y)
            to_torch.torch_results = moved
            run("moved check", to_torch, [os.path.join(d, "bce.json"), "--check", "--jar", jar, "--rows", "6", "--seed", "2"])
            """;
        Files.writeString(dir.resolve("driver.py"), driver);
        pythonOut = run(List.of("python3", dir.resolve("driver.py").toString(), dir.toString(), "target/plainnet.jar"));
    }

    /** The output of the driver's run NAME and its exit code (the last line). */
    private static String section(String name) {
        int start = pythonOut.indexOf("=== " + name + "\n");
        assertThat(start).as("driver output:\n" + pythonOut).isGreaterThanOrEqualTo(0);
        int from = start + name.length() + 5;
        int end = pythonOut.indexOf("=== exit ", from);
        int eol = pythonOut.indexOf('\n', end);
        return pythonOut.substring(from, end) + pythonOut.substring(end + 9, eol);
    }

    private static void skipWithoutTorch() {
        assumeTrue(torchAvailable, "python3 with torch and numpy is not installed: skipping the PyTorch example");
    }

    private static int exit(String section) {
        String[] lines = section.split("\n");
        return Integer.parseInt(lines[lines.length - 1].trim());
    }

    private static String body(String section) {
        return section.substring(0, section.lastIndexOf('\n') + 1);
    }

    @Test
    void plainnetToTorchToPlainnet_everyModel_givesTheSameBytes() throws Exception {
        skipWithoutTorch();
        for (String m : MODELS) {
            assertThat(exit(section(m + " save"))).as(section(m + " save")).isZero();
            assertThat(exit(section(m + " back"))).as(section(m + " back")).isZero();
            assertThat(Files.readString(dir.resolve(m + ".back.json"))).as(m).isEqualTo(Files.readString(dir.resolve(m + ".json")));
        }
        // the file is not trivially the same: it has the frozen layer, lr_scale, weights and standardization
        assertThat(Files.readString(dir.resolve("bce.back.json"))).contains("\"trainable\": false", "\"lr_scale\": 0.5", "\"pos_weight\": [3.0, 1.0, 0.25]", "\"std\": [2.0, 0.5, 1.25, 3.0]");
    }

    @Test
    void checkMode_everyModel_forwardAndGradientsAgreeWithCompute() {
        skipWithoutTorch();
        int[] layers = {3, 2, 2};
        for (int m = 0; m < 3; m++) {
            String s = section(MODELS[m] + " check");
            assertThat(exit(s)).as(s).isZero();
            // every array of the result: z and a, dW and db per layer, loss, dout, dx
            assertThat(s.split("PASS", -1).length - 1).as(s).isEqualTo(4 * layers[m] + 3 + 1);
            assertThat(s).doesNotContain("FAIL");
        }
        assertThat(section("bce check")).contains("backward.dW[1]     null in plainnet, null in PyTorch  PASS");
        assertThat(section("bce check")).containsPattern("backward.dW\\[0\\] +max \\|diff\\| [0-9.e+-]+ ");
    }

    @Test
    void checkMode_weightMovedBy1e9_fails() {
        skipWithoutTorch();
        String s = section("moved check");
        assertThat(exit(s)).as(s).isEqualTo(1);
        assertThat(s).contains("forward.z[0]", "FAIL: PyTorch");
        assertThat(s).containsPattern("backward.dW\\[0\\] .*FAIL");
    }

    private static double[][] csvNumbers(String text) {
        String[] lines = text.trim().split("\n");
        double[][] v = new double[lines.length - 1][];
        for (int n = 1; n < lines.length; n++) {
            String[] f = lines[n].split(",");
            v[n - 1] = new double[f.length - 1];
            for (int k = 1; k < f.length; k++) v[n - 1][k - 1] = Double.parseDouble(f[k]);
        }
        return v;
    }

    @Test
    void predict_everyModel_torchAgreesWithPlainnetPredict() throws Exception {
        skipWithoutTorch();
        for (int m = 0; m < 3; m++) {
            String t = section(MODELS[m] + " predict");
            assertThat(exit(t)).as(t).isZero();
            double[][] torch = csvNumbers(body(t));
            double[][] plain = csvNumbers(run(List.of("java", "-jar", "target/plainnet.jar", "predict",
                "--model", dir.resolve(MODELS[m] + ".json").toString(), "--data", dir.resolve(MODELS[m] + ".csv").toString())));
            assertThat(torch.length).isEqualTo(7);
            assertThat(torch[0].length).isEqualTo(plain[0].length);
            for (int k = 0; k < plain[0].length; k++) {
                double scale = 0;
                for (double[] row : plain) scale = Math.max(scale, Math.abs(row[k]));
                for (int n = 0; n < plain.length; n++) {
                    double ref = MODELS[m].equals("mse") ? scale : Math.abs(plain[n][k]);
                    assertThat(Math.abs(torch[n][k] - plain[n][k])).as(MODELS[m] + " row " + n + " output " + k + ": " + torch[n][k] + " vs " + plain[n][k])
                        .isLessThanOrEqualTo(PREDICT_REL * ref);
                }
            }
        }
    }

    @Test
    void fromTorch_sequentialBuiltInTorch_plainnetLoadsAndRewritesTheSameBytes() throws Exception {
        skipWithoutTorch();
        assertThat(exit(section("torch"))).as(section("torch")).isZero();
        Path file = dir.resolve("torch.json");
        String text = Files.readString(file);
        ModelFile loaded = ModelFile.load(file);
        assertThat(loaded.toJson()).isEqualTo(text);
        assertThat(loaded.net.size()).isEqualTo(5);
        assertThat(loaded.net.layer(1).isTrainable()).isFalse();
        assertThat(loaded.net.layer(0).f.slope).isEqualTo(0.3);
        assertThat(text).contains("\"activation\": \"leaky_relu\"", "\"activation\": \"tanh\"", "\"activation\": \"sigmoid\"", "\"kind\": \"squared_error\"");
        String info = run(List.of("java", "-jar", "target/plainnet.jar", "info", "--model", file.toString()));
        assertThat(info).isNotEmpty();
        String predicted = run(List.of("java", "-jar", "target/plainnet.jar", "predict", "--model", file.toString(), "--data", dir.resolve("torch.csv").toString()));
        assertThat(predicted.trim().split("\n")).hasSize(4);
    }

    @Test
    void fromTorch_badInput_oneLineNamingTheModuleExit2AndNothingOverwritten() throws Exception {
        skipWithoutTorch();
        Map<String, String[]> expected = new LinkedHashMap<>();
        expected.put("bad dropout", new String[] {"module 1 (Dropout): unsupported module"});
        expected.put("bad conv", new String[] {"module 0 (Conv2d): unsupported module"});
        expected.put("bad nan", new String[] {"layer 1 (module 2, Linear) weight[1][2]: expected a finite number, found nan"});
        expected.put("bad folder", new String[] {"folder.json: expected a file to write, found a folder"});
        for (Map.Entry<String, String[]> e : expected.entrySet()) {
            String s = section(e.getKey());
            assertThat(exit(s)).as(s).isEqualTo(2);
            String message = body(s);
            assertThat(message.trim().split("\n")).as(message).hasSize(1);
            assertThat(message).startsWith("from_torch.py: ").contains(e.getValue());
        }
        assertThat(Files.readString(dir.resolve("keep.json"))).isEqualTo("keep me\n");
        assertThat(dir.resolve("folder.json")).isDirectory();
        try (var s = Files.list(dir)) {
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }
}
