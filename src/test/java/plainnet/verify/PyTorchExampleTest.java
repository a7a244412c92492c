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
import java.util.Set;
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
import plainnet.Reduction;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Standardization;
import plainnet.Targets;
import plainnet.TaskNetwork;
import plainnet.io.ModelFile;

/**
 * Runs examples/pytorch/to_torch.py and from_torch.py (SPEC.md §22.5) where PyTorch is installed
 * ({@code $PLAINNET_PYTHON}, else python3); skipped, with a message, where it is missing, except under
 * {@code CI=true} (set by .ci/run, which installs torch), where that is a failure.
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
 * naming the module or layer, exit 2, and an existing --out file is left untouched. So is a
 * {@code to_torch.py --save} over the model file or into a folder, a {@code from_torch.py --out}
 * over its input, and a bad data file for {@code --predict} (the messages of {@code plainnet
 * predict}, {@link #BAD_CSV}). A negative control: with one PyTorch weight moved by 1e−9, --check
 * fails; and --check's bound rel·max(1, max|expected|) is tried on its own.
 *
 * <p>Issue 20: a pickle whose {@code __reduce__} runs a command is not run without
 * {@code --trust-pickle} (and, as the control, is run with it); a whole pickled module needs the flag,
 * a state dict {@code --activations}; models plainnet refuses are never written by from_torch.py
 * (a Linear(3, 0), an unknown loss kind, lr_scale −1, task weight −5, …) and are refused by
 * to_torch.py with plainnet's own message (42 mutations of a model file, each compared with
 * {@code ModelFile.load}); --save and --out refuse a FIFO, a link to nothing and a missing folder
 * with {@code plainnet predict --out}'s message; a full disk (a 64 KiB tmpfs as root, else a writer
 * failing with ENOSPC) is one line and keeps the old files.
 *
 * <p>Several groups (model file version 2): {@code to_torch.py --check} of two such models
 * compares every array of {@code plainnet compute}'s result with towers, listed here from the model
 * in SPEC §22.3's names and order (each trunk and tower layer's z, a, dW, db; J, each J_g, each
 * group's dout, dh, dx), and fails naming the tower first when one of its weights moves by 1e−9; a
 * plainnet reading the vector's trunk and towers only as "layers" (from before the model file's words) is asked so;
 * {@code --predict} gives {@code plainnet predict}'s header (written out from SPEC §27.7), the same
 * class columns and the values within {@link #PREDICT_REL}.
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

    /**
     * Bad data files for {@code to_torch.py bce.json --predict} (the model reads f0 … f3): the file's
     * text (null: no such file; a name of a folder) and the message SPEC §17 asks for, written out
     * here by hand; plainnet predict must give the same message.
     */
    static final Map<String, String[]> BAD_CSV = new LinkedHashMap<>();
    static {
        BAD_CSV.put("missing.csv", new String[] {null, "missing.csv: expected a data file, found no such file"});
        BAD_CSV.put("folder.json", new String[] {null, "folder.json: expected a data file, found a folder"});
        BAD_CSV.put("empty_file.csv", new String[] {"", "empty_file.csv:1: expected a header line, found an empty file"});
        BAD_CSV.put("header_only.csv", new String[] {"f0,f1,f2,f3\n", "header_only.csv:2: expected at least one data row after the header, found none"});
        BAD_CSV.put("empty_cell.csv", new String[] {"f0,f1,f2,f3\n1,2,3,4\n1,,3,4\n", "empty_cell.csv:3: column f1: expected a finite number (features cannot be unlabeled), found \"\""});
        BAD_CSV.put("question.csv", new String[] {"f0,f1,f2,f3\n1,2,3,?\n", "question.csv:2: column f3: expected a finite number (features cannot be unlabeled), found \"?\""});
        BAD_CSV.put("text.csv", new String[] {"f3,f2,note,f1,f0\n1,2,\"a\nb\",3,4\n1, x ,c,3,4\n", "text.csv:4: column f2: expected a finite number (features cannot be unlabeled), found \"x\""});
        BAD_CSV.put("nan.csv", new String[] {"f0,f1,f2,f3\n1,2,NaN,4\n", "nan.csv:2: column f2: expected a finite number (features cannot be unlabeled), found \"NaN\""});
        BAD_CSV.put("overflow.csv", new String[] {"f0,f1,f2,f3\n1,2,3,1e999\n", "overflow.csv:2: column f3: expected a finite number (features cannot be unlabeled), found \"1e999\""});
        BAD_CSV.put("underscore.csv", new String[] {"f0,f1,f2,f3\n1_0,2,3,4\n", "underscore.csv:2: column f0: expected a finite number (features cannot be unlabeled), found \"1_0\""});
        BAD_CSV.put("fields.csv", new String[] {"f0,f1,f2,f3\n1,2,3,4\n1,2,3\n", "fields.csv:3: expected 4 fields (as the header), found 3"});
        BAD_CSV.put("empty_line.csv", new String[] {"f0,f1,f2,f3\n1,2,3,4\n\n1,2,3,4\n", "empty_line.csv:3: expected 4 fields, found an empty line"});
        BAD_CSV.put("quote.csv", new String[] {"f0,f1,f2,f3\n1,2,3,\"4\n", "quote.csv:2: expected a closing '\"' for the quoted field, found the end of the file"});
        BAD_CSV.put("twice.csv", new String[] {"f0,f1,f2,f1\n1,2,3,4\n", "twice.csv:1: expected each column name once in the header, found \"f1\" again"});
        BAD_CSV.put("no_column.csv", new String[] {"f0,f1,zzz,f3\n1,2,3,4\n", "no_column.csv:1: expected a column \"f2\" in the header, as the model bce.json reads 4 feature columns (f0, f1, f2, f3), found none; did you mean \"f0\"? (columns: f0, f1, zzz, f3); give data with the model's columns"});
        BAD_CSV.put("case_column.csv", new String[] {"f0,f1,F2,f3\n1,2,3,4\n", "case_column.csv:1: expected a column \"f2\" in the header, as the model bce.json reads 4 feature columns (f0, f1, f2, f3), found none; did you mean \"F2\"? (columns: f0, f1, F2, f3); give data with the model's columns"});
        BAD_CSV.put("latin1.csv", new String[] {"f0,f1,f2,f3\n1,2,3,4\n1,2,\u00e9,4\n", "latin1.csv:3:5: expected UTF-8 text, found the byte 0xe9, which is not UTF-8 here"});
    }

    @TempDir
    static Path dir;

    static String pythonOut;
    static boolean torchAvailable;

    /** The Python that runs the examples: $PLAINNET_PYTHON (set by .ci/run when it installs Debian's torch), else python3. */
    static final String PYTHON = System.getenv("PLAINNET_PYTHON") == null || System.getenv("PLAINNET_PYTHON").isEmpty() ? "python3" : System.getenv("PLAINNET_PYTHON");

    /**
     * Skips a test without its Python tool, except under CI=true, where it fails: a test that
     * always skips in CI can rot unseen, and .ci/run installs the tool.
     *
     * @param available whether the tool can be imported
     * @param ci        the CI environment variable, or null
     * @param what      the tool, for the message
     */
    static void requireTool(boolean available, String ci, String what) {
        if (available) return;
        if ("true".equalsIgnoreCase(ci)) {
            throw new AssertionError("CI=true, but " + what + " cannot be imported by " + PYTHON + ": .ci/run installs it (pip, else Debian's python3-torch with PLAINNET_PYTHON=/usr/bin/python3)");
        }
        assumeTrue(false, what + " is not installed: skipping the PyTorch example");
    }

    private static boolean torchAvailable() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, numpy").redirectErrorStream(true).start();
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

    /**
     * A model of three groups on 4 standardized inputs: a trunk 4-6 tanh (frozen) - 5 relu; "cls"
     * softmax over 3 classes (mean_labeled) with a tower 5-4 leaky_relu(0.2) (lr_scale 0.5) - 3;
     * "attr" binary cross-entropy over 2 tasks with task and positive-class weights, a frozen
     * one-layer tower, weight 0.5; "size" squared error over 2 columns with column weights, a
     * sigmoid head, weight 2.
     */
    private static ModelFile groupsModel() {
        Rng rng = new Rng(21);
        Network trunk = new Network(new Dense(4, 6, Activation.TANH, rng), new Dense(6, 5, Activation.RELU, rng));
        List<Network> towers = List.of(new Network(new Dense(5, 4, Activation.leakyRelu(0.2), rng), new Dense(4, 3, Activation.IDENTITY, rng)),
            new Network(new Dense(5, 2, Activation.IDENTITY, rng)), new Network(new Dense(5, 2, Activation.SIGMOID, rng)));
        for (Network t : towers) for (int l = 0; l < t.size(); l++) for (int o = 0; o < t.layer(l).O; o++) t.layer(l).b[o] = 0.1 * rng.nextGaussian();
        trunk.freeze(0, 1);
        towers.get(0).layer(0).setLrScale(0.5);
        towers.get(1).freeze(0, 1);
        List<Group> groups = List.of(new Group("cls", 3, new SoftmaxCrossEntropy(Reduction.MEAN_LABELED)),
            new Group("attr", 2, new BinaryCrossEntropy(Reduction.PER_EXAMPLE, new double[] {1.0, 0.5}, new double[] {3.0, 0.25}), 0.5),
            new Group("size", 2, new MeanSquaredError(Reduction.SUM, new double[] {1.0, 0.25}), 2.0));
        return new ModelFile(new TaskNetwork(trunk, groups, towers), List.of("f0", "f1", "f2", "f3"), List.of("cls=a", "cls=b", "cls=c", "round", "tall", "width", "height"),
            new Standardization(new double[] {1.5, -2.0, 0.25, 10.0}, new double[] {2.0, 0.5, 1.25, 3.0}));
    }

    @BeforeAll
    static void runPython() throws Exception {
        torchAvailable = torchAvailable();
        if (!torchAvailable) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) requireTool(false, "true", "python3 with torch and numpy"); // fails every test
            System.out.println("PyTorchExampleTest: skipped: " + PYTHON + " with torch and numpy is not installed here");
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
        groupsModel().save(dir.resolve("groups.json"));
        Files.copy(Path.of("test-data/models/v2_groups.json"), dir.resolve("v2file.json"));
        // 12 rows for predict: the features in another order than the model's, beside a text column
        for (String m : new String[] {"groups", "v2file"}) {
            List<String> features = ModelFile.load(dir.resolve(m + ".json")).features;
            List<String> header = new ArrayList<>(features);
            java.util.Collections.reverse(header);
            StringBuilder csv = new StringBuilder("note,").append(String.join(",", header)).append('\n');
            Rng rng = new Rng(30 + m.length());
            for (int n = 0; n < 12; n++) {
                csv.append("row ").append(n);
                for (int i = 0; i < header.size(); i++) csv.append(',').append(Math.round(rng.nextGaussian() * 4000) / 1000.0);
                csv.append('\n');
            }
            Files.writeString(dir.resolve(m + ".csv"), csv.toString());
        }
        StringBuilder x7 = new StringBuilder("x0,x1,x2,x3,x4,x5,x6\n");
        for (int n = 0; n < 3; n++) x7.append(n).append(",1,-2,0.5,3,-1,0.25\n");
        Files.writeString(dir.resolve("torch.csv"), x7.toString());
        Files.writeString(dir.resolve("keep.json"), "keep me\n");
        Files.createDirectories(dir.resolve("folder.json"));
        Files.createLink(dir.resolve("bce.hard.json"), dir.resolve("bce.json"));
        for (Map.Entry<String, String[]> e : BAD_CSV.entrySet()) {
            if (e.getValue()[0] != null) Files.write(dir.resolve(e.getKey()), e.getValue()[0].getBytes(StandardCharsets.ISO_8859_1));
        }

        String driver = """
            import sys, os
            sys.path.insert(0, "examples/pytorch")
            import torch
            from torch import nn
            import to_torch, from_torch
            d, jar = sys.argv[1], sys.argv[2]
            import shutil, traceback
            def run(name, module, args):
                print("=== " + name, flush=True)
                try:
                    rc = module.main(args)
                except Exception:
                    traceback.print_exc(file=sys.stdout)
                    rc = 99
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
            # a whole pickled module loads only with --trust-pickle; its state dict with --activations
            run("torch pickle default", from_torch, [os.path.join(d, "torch.pt"), "--out", os.path.join(d, "keep.json"), "--loss", "mse"])
            run("torch", from_torch, [os.path.join(d, "torch.pt"), "--out", os.path.join(d, "torch.json"), "--loss", "mse", "--trust-pickle"])
            torch.save(net.state_dict(), os.path.join(d, "torch_sd.pt"))
            run("torch sd", from_torch, [os.path.join(d, "torch_sd.pt"), "--out", os.path.join(d, "torch_sd.json"), "--loss", "mse",
                                         "--activations", "leaky_relu(0.3),tanh,identity,sigmoid,identity"])
            run("torch sd no activations", from_torch, [os.path.join(d, "torch_sd.pt"), "--out", os.path.join(d, "keep.json"), "--loss", "mse"])
            bad = {"dropout": nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.5), nn.Linear(4, 2)),
                   "conv": nn.Sequential(nn.Conv2d(1, 2, 3), nn.Linear(4, 2)),
                   "nan": nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))}
            with torch.no_grad(): bad["nan"][2].weight[1, 2] = float("nan")
            for name, b in bad.items():
                torch.save(b, os.path.join(d, name + ".pt"))
                run("bad " + name, from_torch, [os.path.join(d, name + ".pt"), "--out", os.path.join(d, "keep.json"), "--loss", "bce", "--trust-pickle"])
            run("bad folder", from_torch, [os.path.join(d, "torch.pt"), "--out", os.path.join(d, "folder.json"), "--loss", "bce", "--trust-pickle"])
            # never over its own input: the model file (by its path or a hard link), NET.pt; never into a folder
            bce = os.path.join(d, "bce.json")
            run("save model", to_torch, [bce, "--save", bce])
            run("save hard link", to_torch, [bce, "--save", os.path.join(d, "bce.hard.json")])
            run("save folder", to_torch, [bce, "--save", os.path.join(d, "folder.json")])
            shutil.copyfile(os.path.join(d, "bce.pt"), os.path.join(d, "self.pt"))
            run("out input", from_torch, [os.path.join(d, "self.pt"), "--out", os.path.join(d, "self.pt")])
            for name in sys.argv[3].split(","):
                run("predict " + name, to_torch, [bce, "--predict", os.path.join(d, name)])
            # a pickle whose __reduce__ runs a command: not run by default, run with --trust-pickle (the control)
            import shlex, warnings, subprocess, errno
            warnings.filterwarnings("ignore")
            marker = os.path.join(d, "MARKER")
            class Evil:
                def __reduce__(self):
                    return (os.system, ("echo ran > " + shlex.quote(marker),))
            torch.save({"0.weight": torch.zeros(2, 3), "payload": Evil()}, os.path.join(d, "evil.pt"))
            run("evil default", from_torch, [os.path.join(d, "evil.pt"), "--out", os.path.join(d, "keep.json"), "--loss", "bce"])
            print("=== marker after default\\n%s\\n=== exit 0" % os.path.exists(marker), flush=True)
            run("evil trusted", from_torch, [os.path.join(d, "evil.pt"), "--out", os.path.join(d, "keep.json"), "--loss", "bce", "--trust-pickle"])
            print("=== marker after trust\\n%s\\n=== exit 0" % os.path.exists(marker), flush=True)
            # from_torch never writes a model plainnet refuses
            def saved(name, net, meta):
                net.plainnet = meta
                with open(os.path.join(d, name + ".pt"), "wb") as f:
                    f.write(to_torch.save_bytes(net))
                return os.path.join(d, name + ".pt")
            def small():
                return nn.Sequential(nn.Linear(3, 4, dtype=torch.float64), nn.ReLU(), nn.Linear(4, 2, dtype=torch.float64))
            mse = {"kind": "squared_error", "reduction": "sum", "weight": None}
            never = {"kind": (saved("kind", small(), {"loss": {"kind": "hinge", "reduction": "sum"}}), []),
                     "lr_scale": (saved("lr_scale", small(), {"loss": mse, "lr_scale": [-1.0, 1.0]}), []),
                     "task_weight": (saved("task_weight", small(), {"loss": {"kind": "binary_cross_entropy", "reduction": "sum", "task_weight": [-5.0, 1.0], "pos_weight": None}}), []),
                     "pos_weight": (saved("pos_weight", small(), {"loss": {"kind": "binary_cross_entropy", "reduction": "sum", "task_weight": None, "pos_weight": [1.0, 0.0]}}), []),
                     "features": (saved("features", small(), {"loss": mse, "features": ["a", "b"]}), []),
                     "std": (saved("std", nn.Sequential(to_torch.Standardize([0.0, 0.0, 0.0], [1.0, 0.0, 1.0]), *small()), {"loss": mse}), [])}
            torch.save(nn.Sequential(nn.Linear(3, 0)).state_dict(), os.path.join(d, "linear0_sd.pt"))
            torch.save(nn.Sequential(nn.Linear(3, 0)), os.path.join(d, "linear0.pt"))
            never["linear0 sd"] = (os.path.join(d, "linear0_sd.pt"), ["--loss", "bce", "--activations", "identity"])
            never["linear0 trusted"] = (os.path.join(d, "linear0.pt"), ["--loss", "bce", "--trust-pickle"])
            open(os.path.join(d, "garbage.pt"), "w").write("not a torch file")
            torch.save(["not", "a", "net"], os.path.join(d, "list.pt"))
            never["garbage"] = (os.path.join(d, "garbage.pt"), ["--loss", "bce"])
            never["list"] = (os.path.join(d, "list.pt"), ["--loss", "bce"])
            never["missing"] = (os.path.join(d, "missing.pt"), ["--loss", "bce"])
            never["activations"] = (os.path.join(d, "torch_sd.pt"), ["--loss", "bce", "--activations", "relu,leaky_relu(5),identity,tanh,relu"])
            for name, (path, extra) in never.items():
                run("never " + name, from_torch, [path, "--out", os.path.join(d, "keep.json")] + extra)
            # outputs: never over a FIFO, through a link to nothing, or into a missing folder
            os.mkfifo(os.path.join(d, "fifo"))
            os.symlink("nowhere", os.path.join(d, "dangling"))
            run("save fifo", to_torch, [bce, "--save", os.path.join(d, "fifo")])
            run("out fifo", from_torch, [os.path.join(d, "bce.pt"), "--out", os.path.join(d, "fifo")])
            run("save dangling", to_torch, [bce, "--save", os.path.join(d, "dangling")])
            run("save nodir", to_torch, [bce, "--save", os.path.join(d, "nodir", "x.pt")])
            run("rows 0", to_torch, [bce, "--check", "--rows", "0"])
            # a full disk: a 64 KiB tmpfs where one can be mounted (as root), else a writer that fails as one does
            import random
            random.seed(1)
            big = {"format": "plainnet-model", "version": 1, "layers": [{"inputs": 100, "outputs": 100, "activation": "tanh", "trainable": True, "lr_scale": 1.0,
                   "W": [[random.random() for i in range(100)] for o in range(100)], "b": [0.0] * 100}],
                   "loss": {"kind": "squared_error", "reduction": "sum", "weight": None},
                   "features": ["f%d" % i for i in range(100)], "tasks": ["t%d" % k for k in range(100)]}
            import model_file
            open(os.path.join(d, "big.json"), "w").write(model_file.model_json(big))
            run("big save", to_torch, [os.path.join(d, "big.json"), "--save", os.path.join(d, "big.pt")])
            full = os.path.join(d, "full")
            os.mkdir(full)
            real = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full], capture_output=True).returncode == 0
            if not real:
                opened = to_torch._new_temporary
                class Full:
                    def __init__(self, f): self.f = f
                    def __enter__(self): return self
                    def __exit__(self, *a): self.f.close()
                    def write(self, b): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    def flush(self): pass
                    def fileno(self): return self.f.fileno()
                    def close(self): self.f.close()
                to_torch._new_temporary = lambda target: (lambda t, f: (t, Full(f)))(*opened(target))
            try:
                for name in ("net.pt", "m.json"):
                    open(os.path.join(full, name), "w").write("keep me\\n")
                run("full save", to_torch, [os.path.join(d, "big.json"), "--save", os.path.join(full, "net.pt")])
                run("full out", from_torch, [os.path.join(d, "big.pt"), "--out", os.path.join(full, "m.json")])
                print("=== full disk\\n%s %s %s %s\\n=== exit 0" % ("real" if real else "simulated", open(os.path.join(full, "net.pt")).read() == "keep me\\n",
                      open(os.path.join(full, "m.json")).read() == "keep me\\n", sorted(os.listdir(full))), flush=True)
            finally:
                if real:
                    subprocess.run(["umount", full])
                else:
                    to_torch._new_temporary = opened
            # model files plainnet refuses: to_torch refuses them with plainnet's message (the Java side compares)
            corpus = os.path.join(d, "corpus")
            os.mkdir(corpus)
            text = open(bce).read()
            mutations = {"transposed W": ('"inputs": 4,', '"inputs": 6,', '"outputs": 6,', '"outputs": 4,'),
                         "nan": ('"lr_scale": 0.5', '"lr_scale": NaN'), "infinity": ('"lr_scale": 0.5', '"lr_scale": Infinity'),
                         "minus infinity": ('"lr_scale": 0.5', '"lr_scale": -Infinity'), "1e400": ('"lr_scale": 0.5', '"lr_scale": 1e400'),
                         "underflow": ('"lr_scale": 0.5', '"lr_scale": 1e-400'), "long literal": ('"version": 1', '"version": 9007199254740993' + '0' * 40),
                         "std 0": ('"std": [2.0,', '"std": [0.0,'), "std negative": ('"std": [2.0,', '"std": [-2.0,'),
                         "slope 5": ('"slope": 0.2', '"slope": 5.0'), "slope 0": ('"slope": 0.2', '"slope": 0.0'), "slope missing": ('"slope": 0.2,', ''),
                         "no layers": ('"layers": [', '"layers": [], "old": ['), "duplicate key": ('"version": 1,', '"version": 1, "version": 1,'),
                         "duplicate inner key": ('"trainable": false,', '"trainable": false, "trainable": false,'),
                         "activation": ('"tanh"', '"gelu"'), "lr_scale": ('"lr_scale": 0.5', '"lr_scale": -1.0'), "lr_scale 0": ('"lr_scale": 0.5', '"lr_scale": -0.0'),
                         "task weight": ('"task_weight": [1.0', '"task_weight": [-5.0'), "pos weight": ('"pos_weight": [3.0', '"pos_weight": [0.0'),
                         "loss kind": ('"binary_cross_entropy"', '"hinge"'), "reduction": ('"per_example"', '"mean"'),
                         "inputs fraction": ('"inputs": 4,', '"inputs": 4.5,'), "version": ('"version": 1', '"version": 2'),
                         "inexact integer": ('"version": 1', '"version": 9007199254740993'), "leading zero": ('"lr_scale": 0.5', '"lr_scale": 00.5'),
                         "trailing comma": ('"t2"]', '"t2",]'), "unknown field": ('"version": 1,', '"version": 1, "comment": "x",'),
                         "format": ('"plainnet-model"', '"plainnet-vector"'), "features": ('"f2", "f3"]', '"f2"]'), "tasks": ('"t2"]', '"t2", "t3"]'),
                         "b short": ('"b": [', '"b": [1.0, '), "string number": ('"lr_scale": 0.5', '"lr_scale": "0.5"'), "tru": ("true", "tru"),
                         "control character": ('"t0"', '"t' + chr(9) + '0"'), "bad escape": ('"t0"', '"t' + chr(92) + 'x0"'),
                         "after the value": (None, " x"), "top-level array": (None, "array"), "empty": (None, "empty"),
                         "standardize array": ('"standardize": {', '"standardize": [], "x": {'), "deep": (None, "deep")}
            for name, m in mutations.items():
                if m[0] is None:
                    bad = {"after the value": text + m[1], "top-level array": "[1, 2]", "empty": "", "deep": "[" * 70 + "]" * 70}[name]
                else:
                    bad = text
                    for a, b in zip(m[0::2], m[1::2]):
                        assert a in bad, name
                        bad = bad.replace(a, b, 1)
                path = os.path.join(corpus, name.replace(" ", "_") + ".json")
                open(path, "w", encoding="utf-8").write(bad)
                run("model " + name.replace(" ", "_"), to_torch, [path, "--save", os.path.join(d, "corpus.pt")])
            open(os.path.join(corpus, "latin1.json"), "wb").write(text.replace('"t0"', '"t' + chr(233) + '"').encode("latin-1"))
            run("model latin1", to_torch, [os.path.join(corpus, "latin1.json"), "--save", os.path.join(d, "corpus.pt")])
            # compare's bound: rel·max(1, max|expected|)
            print("=== compare", flush=True)
            for e, t in (([0.0, 0.0], [1e-17, 0.0]), ([0.0], [1e-9]), ([100.0], [100.0 + 5e-11]), ([100.0], [100.0 + 2e-10])):
                print("compare %r" % to_torch.compare("c", e, t, 1e-12))
            print("=== exit 0", flush=True)
            # several groups: a TaskNet both ways, and autograd of the grouped loss, which the Java side compares with TaskNetwork
            import json, numpy as np
            def case(model, rows, seed, unlabeled_group):
                rng = np.random.default_rng(seed)
                x = np.round(rng.normal(size=(rows, model["trunk"][0]["inputs"])), 3).tolist()
                y = [[] for n in range(rows)]
                for g, group in enumerate(model["groups"]):
                    K, kind = group["tower"][-1]["outputs"], group["loss"]["kind"]
                    for n in range(rows):
                        if g == unlabeled_group:
                            y[n] += [None] * K
                        elif kind == "softmax_cross_entropy":
                            c = int(rng.integers(0, K))
                            y[n] += [None] * K if n == 1 else [1.0 if k == c else 0.0 for k in range(K)]
                        else:
                            for k in range(K):
                                v = float(rng.integers(0, 2)) if kind == "binary_cross_entropy" else round(float(rng.normal()), 3)
                                y[n].append(None if n > 0 and rng.random() < 0.25 else v)
                return x, y
            def results(name, model, net, x, y):
                r = to_torch.task_results(net, model, x, y)
                r.update({"x": x, "y": y, "requires_grad": [[m.weight.requires_grad for m in part if isinstance(m, nn.Linear)] for part in [net.trunk] + list(net.heads)],
                          "keys": sorted(net.state_dict().keys())})
                print("=== " + name)
                print(json.dumps(r))
                print("=== exit 0", flush=True)
            for name in ("groups", "v2file"):
                p = os.path.join(d, name)
                run(name + " save", to_torch, [p + ".json", "--save", p + ".pt"])
                run(name + " back", from_torch, [p + ".pt", "--out", p + ".back.json"])
                run(name + " check", to_torch, [p + ".json", "--check", "--jar", jar])
                run(name + " check seed 5", to_torch, [p + ".json", "--check", "--jar", jar, "--rows", "4", "--seed", "5"])
                run(name + " predict", to_torch, [p + ".json", "--predict", p + ".csv"])
                model = to_torch.load_model(p + ".json")
                for seed, unlabeled in ((3, None), (4, 1)):
                    x, y = case(model, 5, seed, unlabeled)
                    results("%s results %d" % (name, seed), model, to_torch.to_tasknet(model, standardize=False), x, y)
                net = to_torch.load_saved(p + ".pt")
                print("=== %s forward\\n%s\\n=== exit 0" % (name, type(net).__name__ + " " + " ".join("%s:%s" % (k, tuple(v.shape)) for k, v in net(torch.zeros(2, model["trunk"][0]["inputs"], dtype=torch.float64)).items())), flush=True)
            # a plainnet from before the model file's words in vectors, reading "layers" for the trunk and towers: --check asks it with that
            real_compute = to_torch._run_compute
            asked = []
            def only_layers_spelling(jar, vector):
                asked.append("trunk" if "trunk" in vector else "layers")
                if "trunk" in vector:
                    return 2, "", "compute: field groups[0]: expected layers or outputs, found tower"
                rc, out, err = real_compute(jar, vector)
                if rc == 0:
                    return rc, out, err
                new = {k: v for k, v in vector.items() if k != "layers"}   # the jar under test reads "trunk": spell it so
                new["trunk"] = vector["layers"]
                new["groups"] = [{("tower" if k == "layers" else k): v for k, v in g.items()} for g in vector["groups"]]
                return real_compute(jar, new)
            to_torch._run_compute = only_layers_spelling
            run("groups check old spelling", to_torch, [os.path.join(d, "groups.json"), "--check", "--jar", jar])
            print("=== groups check asked\\n%s\\n=== exit 0" % ",".join(asked), flush=True)
            to_torch._run_compute = lambda jar, vector: (2, "", "compute: a refusal")
            run("groups check refused", to_torch, [os.path.join(d, "groups.json"), "--check", "--jar", jar])
            to_torch._run_compute = real_compute
            model = to_torch.load_model(os.path.join(d, "groups.json"))
            net = to_torch.to_tasknet(model, standardize=False)
            with torch.no_grad():
                net.heads[2][0].weight[0, 0] += 1e-9
            x, y = case(model, 5, 3, None)
            results("groups moved results", model, net, x, y)
            # TaskNets from_torch refuses: a Dropout in a head, a head that does not read the trunk, --loss, no groups in net.plainnet
            def tasknet(head1):
                t = to_torch.TaskNet(nn.Sequential(nn.Linear(3, 4, dtype=torch.float64), nn.ReLU()), [nn.Sequential(nn.Linear(4, 2, dtype=torch.float64)), head1], ["a", "b"])
                t.plainnet = {"groups": [{"name": "a", "loss": mse, "weight": 1.0}, {"name": "b", "loss": mse, "weight": 0.5}]}
                return t
            bad_nets = {"dropout": (tasknet(nn.Sequential(nn.Linear(4, 1), nn.Dropout(0.5))), ["--trust-pickle"]),
                        "head inputs": (tasknet(nn.Sequential(nn.Linear(5, 1, dtype=torch.float64))), []),
                        "loss": (tasknet(nn.Sequential(nn.Linear(4, 1, dtype=torch.float64))), ["--loss", "bce"])}
            nogroups = tasknet(nn.Sequential(nn.Linear(4, 1, dtype=torch.float64)))
            nogroups.plainnet = {}
            bad_nets["no groups"] = (nogroups, [])
            for name, (net, extra) in bad_nets.items():
                path = os.path.join(d, "tasknet_" + name.replace(" ", "_") + ".pt")
                if "--trust-pickle" in extra:
                    torch.save(net, path)
                else:
                    open(path, "wb").write(to_torch.save_bytes(net))
                run("tasknet " + name, from_torch, [path, "--out", os.path.join(d, "keep.json")] + extra)
            # negative control: one weight of the PyTorch copy moved by 1e-9, which --check must notice
            exact = to_torch.torch_results
            def moved(net, model, x, y):
                with torch.no_grad():
                    net[0].weight[0, 0] += 1e-9
                return exact(net, model, x, y)
            to_torch.torch_results = moved
            run("moved check", to_torch, [os.path.join(d, "bce.json"), "--check", "--jar", jar, "--rows", "6", "--seed", "2"])
            # the same for a model of several groups: one weight of the size tower moved by 1e-9
            exact_task = to_torch.task_torch_results
            def moved_task(net, model, x, y):
                with torch.no_grad():
                    net.heads[2][0].weight[0, 0] += 1e-9
                return exact_task(net, model, x, y)
            to_torch.task_torch_results = moved_task
            run("groups moved check", to_torch, [os.path.join(d, "groups.json"), "--check", "--jar", jar])
            """;
        Files.writeString(dir.resolve("driver.py"), driver);
        pythonOut = run(List.of(PYTHON, dir.resolve("driver.py").toString(), dir.toString(), "target/plainnet.jar", String.join(",", BAD_CSV.keySet())));
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
        requireTool(torchAvailable, System.getenv("CI"), "python3 with torch and numpy");
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
    void taskNet_plainnetToTorchToPlainnet_givesTheSameBytes() throws Exception {
        skipWithoutTorch();
        for (String m : new String[] {"groups", "v2file"}) {
            assertThat(exit(section(m + " save"))).as(section(m + " save")).isZero();
            assertThat(exit(section(m + " back"))).as(section(m + " back")).isZero();
            assertThat(Files.readString(dir.resolve(m + ".back.json"))).as(m).isEqualTo(Files.readString(dir.resolve(m + ".json")));
        }
        assertThat(Files.readString(dir.resolve("groups.back.json"))).contains("\"version\": 2", "\"name\": \"attr\"", "\"weight\": 0.5", "\"trainable\": false", "\"lr_scale\": 0.5",
            "\"pos_weight\": [3.0, 0.25]");
        // the saved TaskNet loads without running code and returns one output per group, in group order
        assertThat(body(section("groups forward")).trim()).isEqualTo("TaskNet cls:(2, 3) attr:(2, 2) size:(2, 2)");
        assertThat(body(section("v2file forward")).trim()).isEqualTo("TaskNet digit:(2, 3) even:(2, 1) size:(2, 2)");
    }

    /** The §22.3 bound of one array: max |torch − plainnet| / (1e−12·max(1, max |plainnet|)); infinite when one side is null and the other not. */
    private static double ratio(String what, Object torch, double[] plainnet, StringBuilder report) {
        if (torch == null || plainnet == null) {
            double r = torch == null && plainnet == null ? 0 : Double.POSITIVE_INFINITY;
            report.append(what).append(torch == null ? " null" : " array").append(" in PyTorch, ").append(plainnet == null ? "null" : "array").append(" in plainnet\n");
            return r;
        }
        List<Double> t = new ArrayList<>();
        flatten(torch, t);
        assertThat(t).as(what + ": entries").hasSize(plainnet.length);
        double scale = 1, err = 0;
        for (int j = 0; j < plainnet.length; j++) {
            scale = Math.max(scale, Math.abs(plainnet[j]));
            err = Math.max(err, Math.abs(t.get(j) - plainnet[j]));
        }
        double r = err / (1e-12 * scale);
        report.append(String.format(java.util.Locale.ROOT, "%-22s max |diff| %.2e  bound %.2e  ratio %.3g%n", what, err, 1e-12 * scale, r));
        return r;
    }

    private static void flatten(Object v, List<Double> out) {
        if (v instanceof List<?> list) for (Object e : list) flatten(e, out);
        else out.add((Double) v);
    }

    private static double[] flat(double[][] a) {
        return Arrays.stream(a).flatMapToDouble(Arrays::stream).toArray();
    }

    /**
     * The worst §22.3 ratio over every array of a driver's "results" section against plainnet's
     * TaskNetwork on the same x and labels: each group's output, J, each J_g, dW and db of every
     * layer of the trunk and the towers (null on both sides for a frozen layer), dx.
     */
    @SuppressWarnings("unchecked")
    private static double worstRatio(String section, Path modelFile, StringBuilder report) throws Exception {
        String s = section(section);
        assertThat(exit(s)).as(s).isZero();
        Map<String, Object> r = (Map<String, Object>) plainnet.io.Json.parse(body(s), section);
        ModelFile m = ModelFile.load(modelFile);
        TaskNetwork net = m.taskNet;
        List<List<Object>> xs = (List<List<Object>>) r.get("x"), ys = (List<List<Object>>) r.get("y");
        int N = xs.size(), K = m.outputs();
        double[][] x = new double[N][];
        double[][] y = new double[N][K];
        boolean[][] labeled = new boolean[N][K];
        for (int n = 0; n < N; n++) {
            x[n] = xs.get(n).stream().mapToDouble(v -> (Double) v).toArray();
            for (int k = 0; k < K; k++) {
                labeled[n][k] = ys.get(n).get(k) != null;
                y[n][k] = labeled[n][k] ? (Double) ys.get(n).get(k) : 0.0;
            }
        }
        // the frozen flags became requires_grad
        List<List<Object>> flags = (List<List<Object>>) r.get("requires_grad");
        for (int part = 0; part <= net.groupCount(); part++) {
            Network p = part == 0 ? net.trunk() : net.tower(part - 1);
            for (int l = 0; l < p.size(); l++) assertThat(flags.get(part).get(l)).as(section + " part " + part + " layer " + l).isEqualTo(p.layer(l).isTrainable());
        }
        net.zeroGrad();
        double[][] z = net.forward(x);                                   // (N, K)
        double[][] dz = new double[N][K];
        double[] Jg = new double[net.groupCount()];
        double J = net.loss().forwardBackward(dz, z, new Targets(y, labeled), Jg);
        double[][] zCopy = new double[N][];
        for (int n = 0; n < N; n++) zCopy[n] = z[n].clone();
        double[][] dx = net.backwardToInput(dz);
        double worst = 0;
        List<Object> outputs = (List<Object>) r.get("outputs");
        for (int g = 0; g < net.groupCount(); g++) {
            int c = m.columnStart(g), Kg = m.group(g).K;
            double[][] zg = new double[N][];
            for (int n = 0; n < N; n++) zg[n] = Arrays.copyOfRange(zCopy[n], c, c + Kg);
            worst = Math.max(worst, ratio("output " + m.group(g).name, outputs.get(g), flat(zg), report));
        }
        worst = Math.max(worst, ratio("loss", r.get("loss"), new double[] {J}, report));
        List<Object> groupLosses = (List<Object>) r.get("group_losses");
        for (int g = 0; g < net.groupCount(); g++) worst = Math.max(worst, ratio("loss " + m.group(g).name, groupLosses.get(g), new double[] {Jg[g]}, report));
        for (int part = 0; part <= net.groupCount(); part++) {
            Network p = part == 0 ? net.trunk() : net.tower(part - 1);
            Map<String, Object> grads = part == 0 ? (Map<String, Object>) r.get("trunk") : ((List<Map<String, Object>>) r.get("towers")).get(part - 1);
            String where = part == 0 ? "trunk" : "tower " + m.group(part - 1).name;
            for (int l = 0; l < p.size(); l++) {
                Dense d = p.layer(l);
                worst = Math.max(worst, ratio(where + " dW[" + l + "]", ((List<Object>) grads.get("dW")).get(l), d.isTrainable() ? flat(d.dW) : null, report));
                worst = Math.max(worst, ratio(where + " db[" + l + "]", ((List<Object>) grads.get("db")).get(l), d.isTrainable() ? d.db : null, report));
            }
        }
        worst = Math.max(worst, ratio("dx", r.get("dx"), flat(dx), report));
        return worst;
    }

    @Test
    void taskNet_outputsGroupLossesAndGradients_agreeWithTaskNetwork() throws Exception {
        skipWithoutTorch();
        for (String m : new String[] {"groups", "v2file"}) {
            for (int seed : new int[] {3, 4}) {
                StringBuilder report = new StringBuilder();
                double worst = worstRatio(m + " results " + seed, dir.resolve(m + ".json"), report);
                System.out.print("PyTorchExampleTest: " + m + " results " + seed + ", worst ratio " + worst + "\n" + report);
                assertThat(worst).as(m + " seed " + seed + ":\n" + report).isLessThanOrEqualTo(1.0);
                // every array was compared: 3 outputs, J, 3 J_g, dW and db of the 6 layers (2 trunk, 2 + 1 + 1 tower layers), dx
                assertThat(report.toString().split("\n")).hasSize(3 + 1 + 3 + 2 * 6 + 1);
            }
        }
        // seed 4 leaves group 1 unlabeled: its J_g is 0 in PyTorch too (and equal to plainnet's, above)
        for (String m : new String[] {"groups", "v2file"}) {
            Map<?, ?> r = (Map<?, ?>) plainnet.io.Json.parse(body(section(m + " results 4")), m);
            assertThat(((List<?>) r.get("group_losses")).get(1)).as(m + ": the unlabeled group's loss").isEqualTo(0.0);
        }
        // state dict keys of the TaskNet: trunk.N.NAME and heads.G.N.NAME (module 1 of the trunk is its Tanh)
        assertThat(body(section("groups results 3"))).contains("\"heads.0.2.weight\"", "\"trunk.2.weight\"");
    }

    @Test
    void taskNet_weightMovedBy1e9_failsTheComparison() throws Exception {
        skipWithoutTorch();
        StringBuilder report = new StringBuilder();
        assertThat(worstRatio("groups moved results", dir.resolve("groups.json"), report)).as(report.toString()).isGreaterThan(1.0);
        assertThat(report.toString()).containsPattern("output size +max \\|diff\\| [0-9.e+-]+ +bound [0-9.e+-]+ +ratio [1-9][0-9]+");
    }

    @Test
    void taskNet_badInput_oneLineExit2() {
        skipWithoutTorch();
        assertOneLineExit2("tasknet dropout", "from_torch.py: ", "head 1 (b) module 1 (Dropout): unsupported module");
        assertOneLineExit2("tasknet head inputs", "from_torch.py: ", "head 1 (b) layer 0 (module 0, Linear): expected 4 inputs (the outputs of the trunk), found 5");
        assertOneLineExit2("tasknet loss", "from_torch.py: ", "--loss: expected no --loss for a TaskNet");
        assertOneLineExit2("tasknet no groups", "from_torch.py: ", "field plainnet.groups: expected 2 objects (name, loss, weight, lr_scale: one per head), found None");
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

    /**
     * The arrays --check must compare for a model of several groups, in SPEC §22.3's stage order and
     * with its names, made here from the model (not from the script): z and a of every trunk and
     * tower layer, J, each J_g, each group's dout, every tower layer's dW and db, dh, every trunk
     * layer's dW and db, dx.
     */
    private static List<String> taskArrays(ModelFile m) {
        TaskNetwork net = m.taskNet;
        List<String> names = new ArrayList<>();
        for (String key : new String[] {"z", "a"}) for (int l = 0; l < net.trunk().size(); l++) names.add("forward.trunk." + key + "[" + l + "]");
        for (int g = 0; g < net.groupCount(); g++) {
            for (String key : new String[] {"z", "a"}) for (int l = 0; l < net.tower(g).size(); l++) names.add("forward.towers." + m.group(g).name + "." + key + "[" + l + "]");
        }
        names.add("loss");
        for (int g = 0; g < net.groupCount(); g++) names.add("group_losses." + m.group(g).name);
        for (int g = 0; g < net.groupCount(); g++) names.add("backward.dout." + m.group(g).name);
        for (int g = 0; g < net.groupCount(); g++) {
            for (String key : new String[] {"dW", "db"}) for (int l = 0; l < net.tower(g).size(); l++) names.add("backward.towers." + m.group(g).name + "." + key + "[" + l + "]");
        }
        names.add("backward.dh");
        for (String key : new String[] {"dW", "db"}) for (int l = 0; l < net.trunk().size(); l++) names.add("backward.trunk." + key + "[" + l + "]");
        names.add("backward.dx");
        return names;
    }

    /** The first word of every comparison line of a --check section: the arrays it compared, in order. */
    private static List<String> comparedArrays(String section) {
        List<String> names = new ArrayList<>();
        for (String line : section.split("\n")) if (line.endsWith("PASS") || line.endsWith("FAIL")) names.add(line.split(" +")[0]);
        return names;
    }

    @Test
    void checkMode_taskNet_everyArrayOfEveryGroupAgreesWithCompute() throws Exception {
        skipWithoutTorch();
        for (String m : new String[] {"groups", "v2file"}) {
            List<String> expected = taskArrays(ModelFile.load(dir.resolve(m + ".json")));
            assertThat(expected).hasSize(33); // 24 per-layer arrays of 6 layers, J, 3 J_g, 3 dout, dh, dx
            for (String run : new String[] {m + " check", m + " check seed 5"}) {
                String s = section(run);
                assertThat(exit(s)).as(s).isZero();
                assertThat(comparedArrays(s)).as(s).isEqualTo(expected);
                assertThat(s.split("PASS", -1).length - 1).as(s).isEqualTo(expected.size() + 1); // and the summary line
                assertThat(s).doesNotContain("FAIL").contains("PASS: PyTorch", "3 groups");
            }
        }
        // the frozen trunk layer and the frozen tower have no gradient on either side
        String s = section("groups check");
        assertThat(s).containsPattern("backward.trunk.dW\\[0\\] +null in plainnet, null in PyTorch  PASS")
            .containsPattern("backward.towers.attr.db\\[0\\] +null in plainnet, null in PyTorch  PASS")
            .containsPattern("backward.towers.cls.dW\\[1\\] +max \\|diff\\| [0-9.e+-]+ ")
            .containsPattern("backward.dh +max \\|diff\\| [0-9.e+-]+ ");
    }

    @Test
    void checkMode_taskNet_plainnetReadingEitherSpellingOfTheVectorKeys() {
        skipWithoutTorch();
        // a plainnet that refuses "trunk"/"tower" (one from before the model file's words in vectors) is asked again with "layers"
        String s = section("groups check old spelling");
        assertThat(exit(s)).as(s).isZero();
        assertThat(body(section("groups check asked")).trim()).isEqualTo("trunk,layers");
        assertThat(comparedArrays(s)).hasSize(33);
        // one that refuses both: one line naming the jar and its first message, exit 2
        assertOneLineExit2("groups check refused", "to_torch.py: ", "target/plainnet.jar: plainnet compute failed: compute: a refusal");
    }

    @Test
    void checkMode_taskNet_weightMovedBy1e9_failsNamingTheGroupAndArray() {
        skipWithoutTorch();
        String s = section("groups moved check");
        assertThat(exit(s)).as(s).isEqualTo(1);
        assertThat(s).contains("FAIL: PyTorch");
        // the weight is in tower "size": the trunk's and the other towers' forward arrays still pass ...
        assertThat(s).containsPattern("forward.trunk.z\\[1\\] .*PASS").containsPattern("forward.towers.cls.a\\[1\\] .*PASS")
            .containsPattern("forward.towers.attr.z\\[0\\] .*PASS");
        // ... and the first failing array is that tower's output, then its gradients, dh and the trunk's
        List<String> failed = new ArrayList<>();
        for (String line : s.split("\n")) if (line.endsWith("FAIL")) failed.add(line.split(" +")[0]);
        assertThat(failed).as(s).startsWith("forward.towers.size.z[0]", "forward.towers.size.a[0]")
            .contains("group_losses.size", "backward.dout.size", "backward.towers.size.db[0]", "backward.dh", "backward.dx")
            .doesNotContain("group_losses.cls", "backward.dout.attr");
    }

    @Test
    void predict_taskNet_columnsAndValuesOfPlainnetPredict() throws Exception {
        skipWithoutTorch();
        for (String name : new String[] {"groups", "v2file"}) {
            ModelFile m = ModelFile.load(dir.resolve(name + ".json"));
            String t = section(name + " predict");
            assertThat(exit(t)).as(t).isZero();
            String plainText = run(List.of("java", "-jar", "target/plainnet.jar", "predict", "--model", dir.resolve(name + ".json").toString(), "--data", dir.resolve(name + ".csv").toString()));
            // the header, written out from SPEC §27.7: line, each group's task names, a softmax group's name after its columns
            StringBuilder header = new StringBuilder("line");
            List<Integer> classColumns = new ArrayList<>();
            List<Boolean> mse = new ArrayList<>();
            int softmaxK = 0;
            for (int g = 0; g < m.groupCount(); g++) {
                for (String task : m.groupTasks(g)) {
                    header.append(',').append(task);
                    mse.add(m.group(g).loss instanceof MeanSquaredError);
                }
                if (m.group(g).loss instanceof SoftmaxCrossEntropy) {
                    header.append(',').append(m.group(g).name);
                    classColumns.add(mse.size());
                    mse.add(false);
                    softmaxK = m.group(g).K;
                }
            }
            assertThat(classColumns).as(name).hasSize(1);
            assertThat(body(t).split("\n")[0]).isEqualTo(header.toString());
            assertThat(plainText.split("\n")[0]).isEqualTo(header.toString());
            double[][] torch = csvNumbers(body(t)), plain = csvNumbers(plainText);
            assertThat(torch.length).isEqualTo(12);
            assertThat(plain.length).isEqualTo(12);
            // the line column: the data's lines 2 .. 13
            for (int n = 0; n < 12; n++) assertThat(body(t).split("\n")[n + 1]).startsWith((n + 2) + ",");
            Set<Double> classes = new java.util.TreeSet<>();
            for (int n = 0; n < 12; n++) {
                assertThat(torch[n]).hasSize(mse.size());
                assertThat(plain[n]).hasSize(mse.size());
                for (int k = 0; k < mse.size(); k++) {
                    if (classColumns.contains(k)) {
                        // the class is exactly plainnet's, and the first largest of the softmax columns before it
                        assertThat(torch[n][k]).as(name + " row " + n + " class").isEqualTo(plain[n][k]);
                        int c = (int) plain[n][k], K = softmaxK;
                        for (int j = 0; j < K; j++) assertThat(plain[n][k - K + c]).isGreaterThanOrEqualTo(plain[n][k - K + j]);
                        classes.add(plain[n][k]);
                        continue;
                    }
                    double scale = 0;
                    for (double[] row : plain) scale = Math.max(scale, Math.abs(row[k]));
                    double ref = mse.get(k) ? scale : Math.abs(plain[n][k]);
                    assertThat(Math.abs(torch[n][k] - plain[n][k])).as(name + " row " + n + " column " + k + ": " + torch[n][k] + " vs " + plain[n][k])
                        .isLessThanOrEqualTo(PREDICT_REL * ref);
                }
            }
            assertThat(classes).as(name + ": the rows predict more than one class").hasSizeGreaterThan(1);
        }
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

    /** Asserts that a driver section is exit 2 and one line, no traceback, starting with prefix and containing what. */
    private static void assertOneLineExit2(String name, String prefix, String what) {
        String s = section(name);
        assertThat(exit(s)).as(s).isEqualTo(2);
        String message = body(s);
        assertThat(message).as(name).doesNotContain("Traceback");
        assertThat(message.trim().split("\n")).as(message).hasSize(1);
        assertThat(message).as(name).startsWith(prefix).contains(what);
    }

    private static void assertNoTemporaryFile() throws Exception {
        try (var s = Files.list(dir)) {
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void toTorchSave_overTheModelOrIntoAFolder_oneLineExit2AndTheModelUntouched() throws Exception {
        skipWithoutTorch();
        assertOneLineExit2("save model", "to_torch.py: ", "bce.json: expected --save to differ from the input " + dir.resolve("bce.json")
            + ", found the same file (writing it would replace the input); give another --save");
        assertOneLineExit2("save hard link", "to_torch.py: ", "bce.hard.json: expected --save to differ from the input");
        assertOneLineExit2("save folder", "to_torch.py: ", "folder.json: expected a file to write to, found a folder; give a file name in it, e.g. ");
        // the model still loads and writes the same text: it was not replaced by a torch zip
        Path model = dir.resolve("bce.json");
        assertThat(ModelFile.load(model).toJson()).isEqualTo(Files.readString(model));
        assertThat(Files.isSameFile(model, dir.resolve("bce.hard.json"))).isTrue();
        assertThat(dir.resolve("folder.json")).isDirectory();
        try (var s = Files.list(dir.resolve("folder.json"))) {
            assertThat(s).isEmpty();
        }
        assertNoTemporaryFile();
    }

    @Test
    void fromTorch_outIsTheInput_oneLineExit2AndTheInputUntouched() throws Exception {
        skipWithoutTorch();
        assertOneLineExit2("out input", "from_torch.py: ", "self.pt: expected --out to differ from the input " + dir.resolve("self.pt") + ", found the same file");
        assertThat(Files.readAllBytes(dir.resolve("self.pt"))).isEqualTo(Files.readAllBytes(dir.resolve("bce.pt")));
        assertNoTemporaryFile();
    }

    @Test
    void toTorchPredict_badDataFile_theMessageOfPlainnetPredictExit2() throws Exception {
        skipWithoutTorch();
        String model = dir.resolve("bce.json").toString();
        String modelText = Files.readString(dir.resolve("bce.json"));
        for (Map.Entry<String, String[]> e : BAD_CSV.entrySet()) {
            String data = dir.resolve(e.getKey()).toString();
            String expected = e.getValue()[1].replace("bce.json", model);
            assertOneLineExit2("predict " + e.getKey(), "to_torch.py: ", dir + "/" + expected);
            assertThat(body(section("predict " + e.getKey())).trim()).isEqualTo("to_torch.py: " + dir + "/" + expected);
            Process p = new ProcessBuilder("java", "-jar", "target/plainnet.jar", "predict", "--model", model, "--data", data).redirectErrorStream(true).start();
            String plain = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(plain).isEqualTo(2);
            assertThat(plain.trim()).as(e.getKey()).isEqualTo("plainnet predict: " + dir + "/" + expected);
            if (e.getValue()[0] != null) assertThat(Files.readAllBytes(dir.resolve(e.getKey()))).isEqualTo(e.getValue()[0].getBytes(StandardCharsets.ISO_8859_1));
        }
        assertThat(Files.readString(dir.resolve("bce.json"))).isEqualTo(modelText);
        assertNoTemporaryFile();
    }

    @Test
    void compare_boundIsRelativeAbove1AndAbsoluteBelow() {
        skipWithoutTorch();
        String s = section("compare");
        // all-zero expected (a dW behind dead ReLUs): 1e-17 passes, 1e-9 fails; scale 100: 5e-11 passes, 2e-10 fails
        assertThat(s.split("\n")).filteredOn(line -> line.startsWith("compare ")).containsExactly("compare True", "compare False", "compare True", "compare False");
    }

    @Test
    void fromTorch_badInput_oneLineNamingTheModuleExit2AndNothingOverwritten() throws Exception {
        skipWithoutTorch();
        Map<String, String[]> expected = new LinkedHashMap<>();
        expected.put("bad dropout", new String[] {"module 1 (Dropout): unsupported module"});
        expected.put("bad conv", new String[] {"module 0 (Conv2d): unsupported module"});
        expected.put("bad nan", new String[] {"layer 1 (module 2, Linear) weight[1][2]: expected a finite number, found nan"});
        expected.put("bad folder", new String[] {"folder.json: expected a file to write to, found a folder"});
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

    // ---------------------------------------------------------------------------------------------
    // issue 20: safe loading, output files, plainnet's input checks, CI

    @Test
    void requireTool_missingUnderCi_failsInsteadOfSkipping() {
        // under CI a missing tool is a failure (a test that always skips in CI rots unseen) ...
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> requireTool(false, "true", "torch"))
            .isInstanceOf(AssertionError.class).hasMessageContaining("CI=true").hasMessageContaining("torch");
        // ... elsewhere a skip, and nothing at all when the tool is there
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> requireTool(false, null, "torch"))
            .isInstanceOf(org.opentest4j.TestAbortedException.class);
        requireTool(true, "true", "torch");
    }

    @Test
    void fromTorch_picklThatRunsCode_notRunByDefaultOnlyWithTrustPickle() {
        skipWithoutTorch();
        assertOneLineExit2("evil default", "from_torch.py: ", "evil.pt: expected a state dict or a file of to_torch.py --save, which load without running code, found a pickle that runs code to load");
        assertThat(body(section("evil default"))).contains("system").contains("give --trust-pickle to load it anyway");
        assertThat(body(section("marker after default")).trim()).as("the pickle's command ran without --trust-pickle").isEqualTo("False");
        // the control: the same file with the flag does run the command, so the pickle above was live
        assertThat(body(section("marker after trust")).trim()).isEqualTo("True");
        assertThat(exit(section("evil trusted"))).isEqualTo(2);
    }

    @Test
    void fromTorch_wholeModule_needsTrustPickle_stateDictNeedsActivations() throws Exception {
        skipWithoutTorch();
        assertOneLineExit2("torch pickle default", "from_torch.py: ", "torch.pt: expected a state dict or a file of to_torch.py --save");
        assertThat(body(section("torch pickle default"))).contains("torch.nn.modules.container.Sequential", "--trust-pickle");
        assertOneLineExit2("torch sd no activations", "from_torch.py: ", "torch_sd.pt: expected --activations for a state dict");
        assertThat(exit(section("torch sd"))).as(section("torch sd")).isZero();
        // the state dict gives the pickled module's file, except that a state dict holds no requires_grad
        String pickled = Files.readString(dir.resolve("torch.json"));
        String fromStateDict = Files.readString(dir.resolve("torch_sd.json"));
        assertThat(pickled).containsOnlyOnce("\"trainable\": false");
        assertThat(fromStateDict).isEqualTo(pickled.replace("\"trainable\": false", "\"trainable\": true"));
        assertThat(ModelFile.load(dir.resolve("torch_sd.json")).toJson()).isEqualTo(fromStateDict);
        assertThat(Files.readString(dir.resolve("keep.json"))).isEqualTo("keep me\n");
    }

    @Test
    void fromTorch_aModelPlainnetRefuses_isNeverWritten() {
        skipWithoutTorch();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("kind", "kind.pt: field plainnet.loss.kind: expected one of binary_cross_entropy, softmax_cross_entropy, squared_error, found \"hinge\"");
        expected.put("lr_scale", "lr_scale.pt: field plainnet.lr_scale[0]: expected a finite number > 0, found -1.0");
        expected.put("task_weight", "task_weight.pt: field plainnet.loss.task_weight: expected numbers >= 0, found -5.0 at index 0");
        expected.put("pos_weight", "pos_weight.pt: field plainnet.loss.pos_weight: expected numbers > 0, found 0.0 at index 1");
        expected.put("features", "features.pt: field plainnet.features: expected 3 names (one per input of layer 0), found 2");
        expected.put("std", "std.pt: module 0 (Standardize) std[1]: expected a number > 0, found 0.0");
        expected.put("linear0 sd", "linear0_sd.pt: state_dict[0.weight]: expected at least 1 input and 1 output (plainnet has no empty layer), found Linear(3, 0)");
        expected.put("linear0 trusted", "linear0.pt: layer 0 (module 0, Linear): expected at least 1 input and 1 output (plainnet has no empty layer), found Linear(3, 0)");
        expected.put("garbage", "garbage.pt: expected a file written by torch.save, found a file torch.load(weights_only=True) cannot read");
        expected.put("list", "list.pt: expected a state dict of an nn.Sequential or a file of to_torch.py --save, found list");
        expected.put("missing", "missing.pt: expected a file written by torch.save, found no such file");
        expected.put("activations", "--activations: expected one of identity, relu, leaky_relu(SLOPE) with 0 < SLOPE < 1, sigmoid, tanh at item 2, found \"leaky_relu(5)\"");
        for (Map.Entry<String, String> e : expected.entrySet()) assertOneLineExit2("never " + e.getKey(), "from_torch.py: ", e.getValue());
        assertThat(dir.resolve("keep.json")).hasContent("keep me");
    }

    /** plainnet's own message for an --out, from {@code plainnet predict --out OUT} (after "plainnet predict: "). */
    private static String plainnetOutMessage(Path out) throws Exception {
        Process p = new ProcessBuilder("java", "-jar", "target/plainnet.jar", "predict", "--model", dir.resolve("bce.json").toString(),
            "--data", dir.resolve("bce.csv").toString(), "--out", out.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(text).isEqualTo(2);
        assertThat(text).startsWith("plainnet predict: ");
        return text.substring("plainnet predict: ".length());
    }

    @Test
    void outputs_fifoLinkToNothingOrNoFolder_refusedWithPlainnetsMessageAndLeftAsTheyWere() throws Exception {
        skipWithoutTorch();
        Path fifo = dir.resolve("fifo");
        String plainFifo = plainnetOutMessage(fifo);
        assertThat(body(section("save fifo")).trim()).isEqualTo("to_torch.py: " + plainFifo.replace("--out", "--save"));
        assertThat(body(section("out fifo")).trim()).isEqualTo("from_torch.py: " + plainFifo);
        assertThat(plainFifo).contains("expected a regular file to write to, found a device, pipe or other special file");
        assertThat(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther())
            .as("the FIFO is still a FIFO").isTrue();
        Path dangling = dir.resolve("dangling");
        assertThat(body(section("save dangling")).trim()).isEqualTo("to_torch.py: " + plainnetOutMessage(dangling).replace("--out", "--save"));
        assertThat(Files.isSymbolicLink(dangling) && !Files.exists(dangling)).isTrue();
        assertThat(body(section("save nodir")).trim()).isEqualTo("to_torch.py: " + plainnetOutMessage(dir.resolve("nodir").resolve("x.pt")));
        for (String name : List.of("save fifo", "out fifo", "save dangling", "save nodir")) assertThat(exit(section(name))).isEqualTo(2);
        assertOneLineExit2("rows 0", "to_torch.py: ", "--rows: expected a whole number >= 1, found 0");
        assertNoTemporaryFile();
    }

    @Test
    void fullDisk_oneLineErrorExit2AndTheOldFilesKept() {
        skipWithoutTorch();
        assertThat(exit(section("big save"))).as(section("big save")).isZero();
        assertOneLineExit2("full save", "to_torch.py: ", "net.pt: cannot write the file: No space left on device; the previous file, if any, is unchanged");
        assertOneLineExit2("full out", "from_torch.py: ", "m.json: cannot write the file: No space left on device; the previous file, if any, is unchanged");
        String full = body(section("full disk")).trim();
        System.out.println("PyTorchExampleTest: full disk " + (full.startsWith("real") ? "on a 64 KiB tmpfs" : "simulated by a writer that raises ENOSPC (no tmpfs could be mounted)"));
        // both old files kept, and no temporary file left on the full disk
        assertThat(full).matches("(real|simulated) True True \\['m.json', 'net.pt'\\]");
    }

    @Test
    void toTorch_aModelFilePlainnetRefuses_refusedWithPlainnetsMessage() throws Exception {
        skipWithoutTorch();
        List<Path> files;
        try (var s = Files.list(dir.resolve("corpus"))) {
            files = s.sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(40);
        for (Path f : files) {
            String name = f.getFileName().toString().replace(".json", "");
            String plain;
            try {
                ModelFile.load(f);
                plain = null;
            } catch (plainnet.io.FormatException e) {
                plain = e.getMessage();
            }
            assertThat(plain).as(name + ": every mutation is one plainnet refuses").isNotNull();
            String s = section("model " + name);
            assertThat(exit(s)).as(s).isEqualTo(2);
            assertThat(body(s).trim()).as(name).isEqualTo("to_torch.py: " + plain);
        }
        // by hand, the cases of the issue: a transposed W, NaN, a std of 0, a leaky slope of 5, no layers, a key twice
        String corpus = dir.resolve("corpus") + "/";
        assertThat(body(section("model transposed_W")).trim()).isEqualTo("to_torch.py: " + corpus + "transposed_W.json: field layers[0].W: expected 4 rows, found 6");
        assertThat(body(section("model nan"))).contains("expected a value (object, array, string, number, true, false or null), found 'NaN'");
        assertThat(body(section("model std_0"))).contains("std_0.json: field standardize.std: expected numbers > 0, found 0.0 at index 0");
        assertThat(body(section("model slope_5"))).contains("slope_5.json: field layers[1].slope: expected a number in (0, 1), found 5.0");
        assertThat(body(section("model no_layers"))).contains("no_layers.json: field layers: expected at least 1 layer, found none");
        assertThat(body(section("model duplicate_key"))).contains("duplicate_key.json:3:").contains(": expected each key once in an object, found the key \"version\" again");
        // and plainnet's command line says the same
        Process p = new ProcessBuilder("java", "-jar", "target/plainnet.jar", "info", "--model", corpus + "transposed_W.json").redirectErrorStream(true).start();
        String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(info).isEqualTo("plainnet info: " + corpus + "transposed_W.json: field layers[0].W: expected 4 rows, found 6");
    }
}
