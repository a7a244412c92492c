package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.io.Json;

/**
 * Issue 11, item 3: target/PlainNet.java, generated from the core sources, compiles alone with
 * --release 8 and reproduces the committed golden vectors bit for bit. The expected values are
 * the vector files (written by the package's own classes, checked by VectorsTest and by the
 * independent hand and finite-difference tests); a driver compiled against PlainNet alone feeds
 * each vector's inputs to PlainNet.Dense, PlainNet.Network, the losses, PlainNet.Optimizer,
 * PlainNet.Rng and PlainNet.Init, and its results must have the same bits.
 *
 * <p>Issue 20, item 3: target/PlainNetIO.java, generated from plainnet.io, compiles against
 * PlainNet.java alone and reads and writes the jar's files: the same model built from the same
 * seed is saved to the same bytes by both, a file the jar wrote is saved again unchanged, data
 * files read to the same bits, and a bad file gets the jar's message (its literals are untouched).
 * Issue 18: the same for model file version 2 (a task network of several groups): the same bytes
 * from the same seed, test-data/models/v2_groups.json saved again unchanged, its forward outputs
 * the jar's bit for bit, and bad version-2 files refused with the jar's message.
 */
class SingleFileTest {

    @TempDir
    static Path dir;

    private static Path classes;
    private static ClassLoader loader;

    /** Inputs of a vector case handed to the driver; outputs flattened in the order of {@link #expectedNetwork}. */
    private static final String DRIVER = """
        import java.util.ArrayList;
        import java.util.List;

        public final class Driver {

            public static double[] network(double[][][] W, double[][] b, String[] activation, double[] slope, boolean[] trainable,
                                           double[] lrScale, double[][] x, double[][] y, boolean[][] labeled, String lossKind,
                                           String reduction, double[] taskWeight, double[] posWeight, String optKind, double[] opt,
                                           boolean decoupled, int steps, double[][][] anchors) {
                int L = W.length;
                List<PlainNet.Dense> layers = new ArrayList<PlainNet.Dense>();
                for (int l = 0; l < L; l++) {
                    PlainNet.Activation f = activation[l].equals("leaky_relu") ? PlainNet.Activation.leakyRelu(slope[l]) : PlainNet.Activation.parse(activation[l]);
                    PlainNet.Dense d = new PlainNet.Dense(W[l], b[l], f);
                    d.setTrainable(trainable[l]);
                    d.setLrScale(lrScale[l]);
                    layers.add(d);
                }
                PlainNet.Network net = new PlainNet.Network(layers);
                PlainNet.Targets t = new PlainNet.Targets(y, labeled);
                PlainNet.Reduction r = PlainNet.Reduction.parse(reduction);
                PlainNet.Loss loss = lossKind.equals(PlainNet.BinaryCrossEntropy.NAME) ? new PlainNet.BinaryCrossEntropy(r, taskWeight, posWeight)
                    : lossKind.equals(PlainNet.SoftmaxCrossEntropy.NAME) ? new PlainNet.SoftmaxCrossEntropy(r)
                    : new PlainNet.MeanSquaredError(r, taskWeight);
                List<double[]> out = new ArrayList<double[]>();

                double[][] output = net.forward(x);
                for (int l = 0; l < L; l++) add(out, net.preActivation(l));
                for (int l = 0; l < L; l++) add(out, net.activation(l));
                out.add(new double[] {loss.forward(output, t)});
                double[][] dout = new double[output.length][output[0].length];
                loss.backward(dout, output, t);
                net.zeroGrad();
                double[][] dx = net.backwardToInput(dout);
                add(out, dout);
                for (int l = 0; l < L; l++) if (net.layer(l).isTrainable()) add(out, net.layer(l).dW);
                for (int l = 0; l < L; l++) if (net.layer(l).isTrainable()) out.add(net.layer(l).db.clone());
                add(out, dx);

                if (optKind != null) {
                    PlainNet.Optimizer o = optKind.equals("sgd") ? PlainNet.Optimizer.sgd(opt[0])
                        : optKind.equals("momentum") ? PlainNet.Optimizer.momentum(opt[0], opt[1])
                        : PlainNet.Optimizer.adam(opt[0], opt[2], opt[3], opt[4]);
                    if (opt[5] != 0.0 || decoupled) o = o.withWeightDecay(opt[5], decoupled);
                    if (opt[6] != 1.0) o = o.withLrDecay(opt[6]);
                    if (opt[7] != 0.0) {
                        List<PlainNet.Dense> anchored = new ArrayList<PlainNet.Dense>();
                        List<double[][]> W0 = new ArrayList<double[][]>();
                        for (int l = 0; l < L; l++) {
                            if (anchors[l] == null) continue;
                            anchored.add(net.layer(l));
                            W0.add(anchors[l]);
                        }
                        o = o.withL2SP(opt[7], anchored.toArray(new PlainNet.Dense[0]), W0.toArray(new double[0][][]));
                    }
                    for (int s = 0; s < steps; s++) {
                        double[][] a = net.forward(x);
                        loss.backward(dout, a, t);
                        net.zeroGrad();
                        net.backward(dout);
                        o.step(net);
                    }
                    for (int l = 0; l < L; l++) add(out, net.layer(l).W);
                    for (int l = 0; l < L; l++) out.add(net.layer(l).b.clone());
                }
                int size = 0;
                for (double[] v : out) size += v.length;
                double[] flat = new double[size];
                int i = 0;
                for (double[] v : out) for (double e : v) flat[i++] = e;
                return flat;
            }

            private static void add(List<double[]> out, double[][] m) {
                for (double[] row : m) out.add(row.clone());
            }

            public static long[] nextLong(long seed) {
                PlainNet.Rng r = new PlainNet.Rng(seed);
                return new long[] {r.nextLong(), r.nextLong(), r.nextLong()};
            }

            /** next_double ×3, next_gaussian ×3, next_int(10) ×5, shuffle of 0..9, each from a fresh Rng(seed). */
            public static double[] draws(long seed) {
                double[] v = new double[21];
                PlainNet.Rng r = new PlainNet.Rng(seed);
                for (int j = 0; j < 3; j++) v[j] = r.nextDouble();
                r = new PlainNet.Rng(seed);
                for (int j = 0; j < 3; j++) v[3 + j] = r.nextGaussian();
                r = new PlainNet.Rng(seed);
                for (int j = 0; j < 5; j++) v[6 + j] = r.nextInt(10);
                int[] perm = new int[10];
                for (int j = 0; j < 10; j++) perm[j] = j;
                new PlainNet.Rng(seed).shuffle(perm);
                for (int j = 0; j < 10; j++) v[11 + j] = perm[j];
                return v;
            }

            /** W (4, 3) filled by the initialisation of that file name from Rng(seed), flattened. */
            public static double[] init(String name, long seed) {
                for (PlainNet.Init kind : PlainNet.Init.values()) {
                    if (!kind.fileName().equals(name)) continue;
                    double[][] W = new double[4][3];
                    kind.fill(W, new double[4], new PlainNet.Rng(seed));
                    double[] flat = new double[12];
                    for (int o = 0; o < 4; o++) for (int i = 0; i < 3; i++) flat[3 * o + i] = W[o][i];
                    return flat;
                }
                throw new IllegalArgumentException("no initialisation named " + name);
            }
        }
        """;

    /**
     * Issue 20, item 3: the copy of plainnet.io, compiled against PlainNet alone. Builds the same
     * model as {@link #jarModel}, from PlainNet's classes, and saves it with PlainNetIO; loads a
     * model file and saves it again; reads a data file; returns a model file's error message.
     */
    private static final String IO_DRIVER = """
        import java.nio.file.Paths;

        public final class IoDriver {

            public static void build(long seed, String out) throws Exception {
                PlainNet.Rng rng = new PlainNet.Rng(seed);
                PlainNet.Network net = new PlainNet.Network(
                    new PlainNet.Dense(3, 4, PlainNet.Activation.leakyRelu(0.2), rng),
                    new PlainNet.Dense(4, 2, PlainNet.Activation.IDENTITY, rng));
                net.layer(0).setTrainable(false);
                net.layer(1).setLrScale(0.5);
                PlainNet.Loss loss = new PlainNet.BinaryCrossEntropy(PlainNet.Reduction.MEAN_LABELED, new double[] {1.0, 2.5}, null);
                PlainNet.Standardization s = new PlainNet.Standardization(new double[] {0.1, -2.0, 1e-300}, new double[] {1.0, 3.0, 0.25});
                new PlainNetIO.ModelFile(net, loss, java.util.Arrays.asList("a", "b", "c"), java.util.Arrays.asList("p", "q"), s).save(Paths.get(out));
            }

            public static void buildGroups(long seed, String out) throws Exception {
                PlainNet.Rng rng = new PlainNet.Rng(seed);
                PlainNet.Network trunk = new PlainNet.Network(new PlainNet.Dense(3, 4, PlainNet.Activation.TANH, rng));
                java.util.List<PlainNet.Group> groups = java.util.Arrays.asList(
                    new PlainNet.Group("digit", 3, new PlainNet.SoftmaxCrossEntropy(PlainNet.Reduction.MEAN_LABELED)),
                    new PlainNet.Group("even", 1, new PlainNet.BinaryCrossEntropy(PlainNet.Reduction.SUM, null, new double[] {2.0}), 0.5));
                java.util.List<PlainNet.Network> towers = java.util.Arrays.asList(
                    new PlainNet.Network(new PlainNet.Dense(4, 5, PlainNet.Activation.RELU, rng), new PlainNet.Dense(5, 3, PlainNet.Activation.IDENTITY, rng)),
                    new PlainNet.Network(new PlainNet.Dense(4, 1, PlainNet.Activation.IDENTITY, rng)));
                PlainNet.TaskNetwork net = new PlainNet.TaskNetwork(trunk, groups, towers);
                trunk.layer(0).setTrainable(false);
                new PlainNetIO.ModelFile(net, java.util.Arrays.asList("a", "b", "c"), java.util.Arrays.asList("digit=0", "digit=1", "digit=2", "even"), null).save(Paths.get(out));
            }

            public static double[][] forward(String file, double[][] x) throws Exception {
                double[][] z = PlainNetIO.ModelFile.load(Paths.get(file)).forward(x);
                double[][] copy = new double[z.length][];
                for (int n = 0; n < z.length; n++) copy[n] = z[n].clone();
                return copy;
            }

            public static void resave(String in, String out) throws Exception {
                PlainNetIO.ModelFile.load(Paths.get(in)).save(Paths.get(out));
            }

            public static Object[] data(String file, String features, String labels) throws Exception {
                PlainNetIO.Dataset d = PlainNetIO.Dataset.load(Paths.get(file), features, labels);
                return new Object[] {d.x, d.t.y, d.t.labeled};
            }

            public static String error(String file) {
                try {
                    PlainNetIO.ModelFile.load(Paths.get(file));
                    return "loaded";
                } catch (Exception e) {
                    return e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
        }
        """;

    @BeforeAll
    static void generateAndCompile() throws Exception {
        Path single = dir.resolve("single");
        Files.createDirectories(single);
        Files.writeString(single.resolve("PlainNet.java"), SingleFile.generate(Paths.get("src/main/java/plainnet")));
        Files.writeString(single.resolve("PlainNetIO.java"), SingleFile.generateIo(Paths.get("src/main/java/plainnet/io"), Paths.get("src/main/java/plainnet")));
        classes = dir.resolve("classes");
        Files.createDirectories(classes);
        // PlainNet.java alone, then PlainNetIO.java against it alone, then the drivers.
        compile(single.resolve("PlainNet.java"), List.of());
        compile(single.resolve("PlainNetIO.java"), List.of("-classpath", classes.toString()));
        Path driver = dir.resolve("driver");
        Files.createDirectories(driver);
        Files.writeString(driver.resolve("Driver.java"), DRIVER);
        compile(driver.resolve("Driver.java"), List.of("-classpath", classes.toString()));
        Files.writeString(driver.resolve("IoDriver.java"), IO_DRIVER);
        compile(driver.resolve("IoDriver.java"), List.of("-classpath", classes.toString()));
        loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
    }

    private static void compile(Path source, List<String> extra) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = new ArrayList<>(List.of("--release", "8", "-Xlint:all", "-Xlint:-options", "-Werror", "-encoding", "UTF-8", "-d", classes.toString()));
            options.addAll(extra);
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjects(source.toFile());
            boolean ok = javac.getTask(null, fm, diagnostics, options, null, units).call();
            assertThat(ok).as("javac --release 8 %s: %s", source.getFileName(), diagnostics.getDiagnostics()).isTrue();
        }
    }

    @Test
    void generated_hasEveryCoreClassNestedAndNoPackageLine() throws Exception {
        String text = SingleFile.generate(Paths.get("src/main/java/plainnet"));
        assertThat(text).doesNotContain("package plainnet;").contains("public final class PlainNet {");
        try (Stream<Path> files = Files.list(Paths.get("src/main/java/plainnet"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java")).toList();
            assertThat(names).hasSizeGreaterThan(10);
            for (String n : names) {
                String type = n.substring(0, n.length() - ".java".length());
                assertThat(classes.resolve("PlainNet$" + type + ".class")).as(type).exists();
            }
        }
    }

    @Test
    void folderWithoutTopLevelDeclaration_isRefusedNamingTheFile() throws Exception {
        Path src = dir.resolve("bad");
        Files.createDirectories(src);
        Files.writeString(src.resolve("X.java"), "package plainnet;\n\n  final class X {}\n");
        assertThatThrownBy(() -> SingleFile.generate(src)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage(src.resolve("X.java") + ": expected a top-level class, enum or interface declared at column 0, found none");
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertThatThrownBy(() -> SingleFile.generate(empty)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage(empty + ": expected .java files, found none");
    }

    /** The model of IoDriver.build, made by the package's own classes and saved by plainnet.io. */
    private static void jarModel(long seed, Path out) throws Exception {
        plainnet.Rng rng = new plainnet.Rng(seed);
        plainnet.Network net = new plainnet.Network(
            new plainnet.Dense(3, 4, plainnet.Activation.leakyRelu(0.2), rng),
            new plainnet.Dense(4, 2, plainnet.Activation.IDENTITY, rng));
        net.layer(0).setTrainable(false);
        net.layer(1).setLrScale(0.5);
        plainnet.Loss loss = new plainnet.BinaryCrossEntropy(plainnet.Reduction.MEAN_LABELED, new double[] {1.0, 2.5}, null);
        plainnet.Standardization s = new plainnet.Standardization(new double[] {0.1, -2.0, 1e-300}, new double[] {1.0, 3.0, 0.25});
        new plainnet.io.ModelFile(net, loss, List.of("a", "b", "c"), List.of("p", "q"), s).save(out);
    }

    @Test
    void generatedIo_hasEveryIoClassNestedAndNoPlainnetReference() throws Exception {
        String text = SingleFile.generateIo(Paths.get("src/main/java/plainnet/io"), Paths.get("src/main/java/plainnet"));
        assertThat(text).contains("public final class PlainNetIO {").doesNotContainPattern("(?m)^package ").doesNotContain("import plainnet")
            .doesNotContain("plainnet.io.").doesNotContainPattern("\\bplainnet\\.[A-Z]");
        try (Stream<Path> files = Files.list(Paths.get("src/main/java/plainnet/io"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java")).toList();
            assertThat(names).contains("ModelFile.java", "Dataset.java", "Json.java");
            for (String n : names) {
                String type = n.substring(0, n.length() - ".java".length());
                assertThat(classes.resolve("PlainNetIO$" + type + ".class")).as(type).exists();
            }
        }
    }

    @Test
    void copyOfIo_savesTheSameBytesAsTheJar() throws Exception {
        Class<?> io = loader.loadClass("IoDriver");
        for (long seed : new long[] {1, 42, -7}) {
            Path jar = dir.resolve("jar-" + seed + ".json"), copy = dir.resolve("copy-" + seed + ".json");
            jarModel(seed, jar);
            io.getMethod("build", long.class, String.class).invoke(null, seed, copy.toString());
            assertThat(Files.readAllBytes(copy)).as("model of seed %d saved by PlainNetIO vs plainnet.io", seed).isEqualTo(Files.readAllBytes(jar));
            // A file the jar wrote, loaded and saved again by the copy: the same bytes (SPEC §16).
            Path again = dir.resolve("again-" + seed + ".json");
            io.getMethod("resave", String.class, String.class).invoke(null, jar.toString(), again.toString());
            assertThat(Files.readAllBytes(again)).as("jar's model of seed %d loaded and saved by PlainNetIO", seed).isEqualTo(Files.readAllBytes(jar));
        }
    }

    /** The model of IoDriver.buildGroups (model file version 2), made by the package's own classes and saved by plainnet.io. */
    private static void jarGroupsModel(long seed, Path out) throws Exception {
        plainnet.Rng rng = new plainnet.Rng(seed);
        plainnet.Network trunk = new plainnet.Network(new plainnet.Dense(3, 4, plainnet.Activation.TANH, rng));
        List<plainnet.Group> groups = List.of(
            new plainnet.Group("digit", 3, new plainnet.SoftmaxCrossEntropy(plainnet.Reduction.MEAN_LABELED)),
            new plainnet.Group("even", 1, new plainnet.BinaryCrossEntropy(plainnet.Reduction.SUM, null, new double[] {2.0}), 0.5));
        List<plainnet.Network> towers = List.of(
            new plainnet.Network(new plainnet.Dense(4, 5, plainnet.Activation.RELU, rng), new plainnet.Dense(5, 3, plainnet.Activation.IDENTITY, rng)),
            new plainnet.Network(new plainnet.Dense(4, 1, plainnet.Activation.IDENTITY, rng)));
        plainnet.TaskNetwork net = new plainnet.TaskNetwork(trunk, groups, towers);
        trunk.layer(0).setTrainable(false);
        new plainnet.io.ModelFile(net, List.of("a", "b", "c"), List.of("digit=0", "digit=1", "digit=2", "even"), null).save(out);
    }

    @Test
    void copyOfIo_version2_sameBytesAsTheJarAndTheSameForwardBits() throws Exception {
        Class<?> io = loader.loadClass("IoDriver");
        for (long seed : new long[] {1, 42}) {
            Path jar = dir.resolve("jar-groups-" + seed + ".json"), copy = dir.resolve("copy-groups-" + seed + ".json");
            jarGroupsModel(seed, jar);
            io.getMethod("buildGroups", long.class, String.class).invoke(null, seed, copy.toString());
            assertThat(Files.readString(jar)).contains("\"version\": 2,");
            assertThat(Files.readAllBytes(copy)).as("version-2 model of seed %d saved by PlainNetIO vs plainnet.io", seed).isEqualTo(Files.readAllBytes(jar));
        }
        // The version-2 model of test-data, loaded and saved again by the copy: the same bytes; and
        // its outputs from the copy's classes are the jar's, bit for bit.
        Path v2 = Paths.get("test-data/models/v2_groups.json"), again = dir.resolve("again-v2.json");
        io.getMethod("resave", String.class, String.class).invoke(null, v2.toString(), again.toString());
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(v2));
        double[][] x = {{0.5, -1.0, 2.0}, {3.0, 0.25, -0.75}, {0.0, 0.0, 0.0}};
        double[][] got = (double[][]) io.getMethod("forward", String.class, double[][].class).invoke(null, v2.toString(), x);
        double[][] want = plainnet.io.ModelFile.load(v2).forward(x);
        assertThat(got.length).isEqualTo(3);
        for (int n = 0; n < x.length; n++) assertBits("v2 forward row " + n, got[n], want[n]);
    }

    @Test
    void copyOfIo_readsDataFilesToTheSameBits() throws Exception {
        Class<?> io = loader.loadClass("IoDriver");
        String[][] cases = {
            {"test-data/digits/digits_multitask_train.csv", "row", "even..straight_strokes_only"},
            {"test-data/digits/digits.csv", "pixel_0_0..pixel_7_7", "digit"},
        };
        for (String[] c : cases) {
            Object[] got = (Object[]) io.getMethod("data", String.class, String.class, String.class).invoke(null, (Object[]) c);
            plainnet.io.Dataset want = plainnet.io.Dataset.load(Paths.get(c[0]), c[1], c[2]);
            assertThat(((double[][]) got[0]).length).as(c[0]).isEqualTo(want.size()).isGreaterThan(1000);
            assertThat(got[0]).as("%s x", c[0]).isEqualTo(want.x);
            assertThat(got[1]).as("%s y", c[0]).isEqualTo(want.t.y);
            assertThat(got[2]).as("%s labeled", c[0]).isEqualTo(want.t.labeled);
        }
        // The mask is really there: the multi-task file leaves about half of the labels empty.
        Object[] tasks = (Object[]) io.getMethod("data", String.class, String.class, String.class).invoke(null, (Object[]) cases[0]);
        long unlabeled = Stream.of((boolean[][]) tasks[2]).mapToLong(m -> { int u = 0; for (boolean b : m) if (!b) u++; return u; }).sum();
        assertThat(unlabeled).isGreaterThan(3000);
    }

    @Test
    void copyOfIo_refusesABadModelFileWithTheJarsMessage() throws Exception {
        Path good = dir.resolve("good.json");
        jarModel(3, good);
        String text = Files.readString(good);
        String v2 = Files.readString(Paths.get("test-data/models/v2_groups.json"));
        String[] bad = {text.replace("\"lr_scale\": 0.5", "\"lr_scale\": -0.5"), text.replace("\"format\"", "\"formt\""), text.substring(0, 40),
            v2.replace("\"version\": 2", "\"version\": 3"), v2.replace("\"name\": \"size\"", "\"name\": \"digit\""), v2.replace("\"weight\": 0.5", "\"weight\": -0.5"),
            v2.replace("\"trunk\"", "\"layers\"")};
        Method error = loader.loadClass("IoDriver").getMethod("error", String.class);
        for (int i = 0; i < bad.length; i++) {
            assertThat(bad[i]).isNotEqualTo(text);
            Path file = dir.resolve("bad-" + i + ".json");
            Files.writeString(file, bad[i]);
            String jar;
            try {
                plainnet.io.ModelFile.load(file);
                jar = "loaded";
            } catch (Exception e) {
                jar = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            assertThat(jar).startsWith("FormatException: " + file);
            assertThat(error.invoke(null, file.toString())).as("message of bad file %d", i).isEqualTo(jar);
        }
    }

    @Test
    void qualify_rewritesCodeAndCommentsButNoLiteral() {
        List<String> core = List.of("Network", "Rng");
        boolean[] inComment = {false};
        assertThat(SingleFile.qualify("Network n = new Network(\"Network\", 'N'); // a Network", core, inComment))
            .isEqualTo("PlainNet.Network n = new PlainNet.Network(\"Network\", 'N'); // a PlainNet.Network");
        assertThat(SingleFile.qualify("char q = '\"'; Rng r = plainnet.Rng.of(\"\\\" Rng\"); x.Rng = NetworkX;", core, inComment))
            .isEqualTo("char q = '\"'; PlainNet.Rng r = PlainNet.Rng.of(\"\\\" Rng\"); x.Rng = NetworkX;");
        assertThat(SingleFile.qualify("plainnet.io.Json.parse(s, \"plainnet.io.Json\"); // {@link plainnet.io.Csv}", core, inComment))
            .isEqualTo("Json.parse(s, \"plainnet.io.Json\"); // {@link Csv}");
        assertThat(SingleFile.qualify("/** it's a {@link Network}", core, inComment)).isEqualTo("/** it's a {@link PlainNet.Network}");
        assertThat(inComment[0]).as("block comment still open").isTrue();
        assertThat(SingleFile.qualify(" * \"Rng\" */ \"Rng\" Rng", core, inComment)).isEqualTo(" * \"PlainNet.Rng\" */ \"Rng\" PlainNet.Rng");
        assertThat(inComment[0]).isFalse();
    }

    @Test
    void ioFileImportingOtherPackages_isRefusedNamingTheFileAndLine() throws Exception {
        Path src = dir.resolve("badio");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Y.java"), "package plainnet.io;\n\nimport plainnet.cli.Main;\n\npublic final class Y {}\n");
        assertThatThrownBy(() -> SingleFile.generateIo(src, Paths.get("src/main/java/plainnet"))).isInstanceOf(IllegalArgumentException.class)
            .hasMessage(src.resolve("Y.java") + ":3: expected an import of java.* or of a core type, found \"import plainnet.cli.Main;\"");
    }

    @Test
    void packagePrivateClasses_stayPackagePrivate() throws Exception {
        int modifiers = loader.loadClass("PlainNet$Kernels").getModifiers();
        assertThat(java.lang.reflect.Modifier.isPublic(modifiers)).isFalse();
        assertThat(java.lang.reflect.Modifier.isPublic(loader.loadClass("PlainNet$Dense").getModifiers())).isTrue();
    }

    @Test
    void everyGoldenVector_reproducedBitForBit() throws Exception {
        Class<?> driver = loader.loadClass("Driver");
        List<Path> vectors;
        try (Stream<Path> files = Files.list(Paths.get("test-data/vectors"))) {
            vectors = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(vectors).hasSizeGreaterThan(30);
        int compared = 0;
        for (Path file : vectors) {
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) Json.parse(Files.readString(file), file.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> expected = (Map<String, Object>) v.get("expected");
            if (v.containsKey("seeds")) {
                compared += generator(driver, file, v, expected);
            } else {
                compared += network(driver, file, v, expected);
            }
        }
        assertThat(compared).as("numbers compared").isGreaterThan(1000);
    }

    @SuppressWarnings("unchecked")
    private static int network(Class<?> driver, Path file, Map<String, Object> v, Map<String, Object> expected) throws Exception {
        List<Object> layers = (List<Object>) v.get("layers");
        int L = layers.size();
        double[][][] W = new double[L][][];
        double[][] b = new double[L][];
        String[] activation = new String[L];
        double[] slope = new double[L];
        boolean[] trainable = new boolean[L];
        double[] lrScale = new double[L];
        for (int l = 0; l < L; l++) {
            Map<String, Object> d = (Map<String, Object>) layers.get(l);
            W[l] = matrix(d.get("W"));
            b[l] = vector(d.get("b"));
            activation[l] = (String) d.get("activation");
            slope[l] = d.containsKey("slope") ? (Double) d.get("slope") : 0.0;
            trainable[l] = (Boolean) d.get("trainable");
            lrScale[l] = (Double) d.get("lr_scale");
        }
        double[][] x = matrix(v.get("x"));
        List<Object> yRows = (List<Object>) v.get("y");
        double[][] y = new double[yRows.size()][];
        boolean[][] labeled = new boolean[yRows.size()][];
        for (int n = 0; n < y.length; n++) {
            List<Object> row = (List<Object>) yRows.get(n);
            y[n] = new double[row.size()];
            labeled[n] = new boolean[row.size()];
            for (int k = 0; k < row.size(); k++) {
                labeled[n][k] = row.get(k) != null;
                y[n][k] = labeled[n][k] ? (Double) row.get(k) : 0.0;
            }
        }
        Map<String, Object> loss = (Map<String, Object>) v.get("loss");
        String kind = (String) loss.get("kind");
        double[] taskWeight = loss.get("task_weight") != null ? vector(loss.get("task_weight")) : loss.get("weight") != null ? vector(loss.get("weight")) : null;
        double[] posWeight = loss.get("pos_weight") != null ? vector(loss.get("pos_weight")) : null;
        Map<String, Object> o = (Map<String, Object>) v.get("optimizer");
        String optKind = o == null ? null : (String) o.get("kind");
        double[] opt = new double[8];
        boolean decoupled = false;
        int steps = 0;
        double[][][] anchors = new double[L][][]; // L2-SP's W⁰ per layer, null where none
        if (o != null) {
            String[] keys = {"lr", "momentum", "beta1", "beta2", "eps", "weight_decay"};
            for (int j = 0; j < keys.length; j++) opt[j] = o.containsKey(keys[j]) ? (Double) o.get(keys[j]) : 0.0;
            decoupled = (Boolean) o.get("decoupled");
            steps = (int) (double) (Double) o.get("steps");
            // the optional keys of the transfer strategies (SPEC.md §22.1), absent = off
            opt[6] = o.containsKey("lr_decay") ? (Double) o.get("lr_decay") : 1.0;
            if (o.containsKey("l2_sp")) {
                Map<String, Object> sp = (Map<String, Object>) o.get("l2_sp");
                opt[7] = (Double) sp.get("alpha");
                for (Object a : (List<Object>) sp.get("anchors")) {
                    Map<String, Object> anchor = (Map<String, Object>) a;
                    anchors[(int) (double) (Double) anchor.get("layer")] = matrix(anchor.get("W0"));
                }
            }
        }
        Method m = driver.getMethod("network", double[][][].class, double[][].class, String[].class, double[].class, boolean[].class,
            double[].class, double[][].class, double[][].class, boolean[][].class, String.class, String.class, double[].class,
            double[].class, String.class, double[].class, boolean.class, int.class, double[][][].class);
        double[] got = (double[]) m.invoke(null, W, b, activation, slope, trainable, lrScale, x, y, labeled, kind,
            (String) loss.get("reduction"), taskWeight, posWeight, optKind, opt, decoupled, steps, anchors);
        double[] want = expectedNetwork(expected);
        assertBits(file + " (forward, loss, backward, update)", got, want);
        return want.length;
    }

    /** z_l, a_l of every layer, the loss, dout, dW_l and db_l of the trainable layers, dx, then W_l, b_l after the steps. */
    @SuppressWarnings("unchecked")
    private static double[] expectedNetwork(Map<String, Object> expected) {
        List<Double> flat = new ArrayList<>();
        Map<String, Object> forward = (Map<String, Object>) expected.get("forward");
        for (Object z : (List<Object>) forward.get("z")) flatten(z, flat);
        for (Object a : (List<Object>) forward.get("a")) flatten(a, flat);
        flat.add((Double) expected.get("loss"));
        Map<String, Object> backward = (Map<String, Object>) expected.get("backward");
        flatten(backward.get("dout"), flat);
        for (Object dW : (List<Object>) backward.get("dW")) if (dW != null) flatten(dW, flat);
        for (Object db : (List<Object>) backward.get("db")) if (db != null) flatten(db, flat);
        flatten(backward.get("dx"), flat);
        Map<String, Object> update = (Map<String, Object>) expected.get("update");
        if (update != null) {
            for (Object W : (List<Object>) update.get("W")) flatten(W, flat);
            for (Object b : (List<Object>) update.get("b")) flatten(b, flat);
        }
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @SuppressWarnings("unchecked")
    private static int generator(Class<?> driver, Path file, Map<String, Object> v, Map<String, Object> expected) throws Exception {
        List<Object> seeds = (List<Object>) v.get("seeds");
        Map<String, Object> g = (Map<String, Object>) expected.get("generator");
        int compared = 0;
        for (int s = 0; s < seeds.size(); s++) {
            long seed = (long) (double) (Double) seeds.get(s);
            long[] longs = (long[]) driver.getMethod("nextLong", long.class).invoke(null, seed);
            List<Object> hex = (List<Object>) ((List<Object>) g.get("next_long")).get(s);
            for (int j = 0; j < 3; j++) {
                assertThat(String.format(Locale.ROOT, "%016x", longs[j])).as("%s next_long seed %d draw %d", file, seed, j).isEqualTo(hex.get(j));
            }
            List<Double> want = new ArrayList<>();
            for (String key : new String[] {"next_double", "next_gaussian", "next_int_10", "shuffle_10"}) {
                flatten(((List<Object>) g.get(key)).get(s), want);
            }
            double[] got = (double[]) driver.getMethod("draws", long.class).invoke(null, seed);
            assertBits(file + " draws of seed " + seed, got, want.stream().mapToDouble(Double::doubleValue).toArray());
            compared += 3 + want.size();
        }
        long first = (long) (double) (Double) seeds.get(0);
        Map<String, Object> init = (Map<String, Object>) expected.get("init");
        assertThat(init).hasSize(4);
        for (Map.Entry<String, Object> e : init.entrySet()) {
            List<Double> want = new ArrayList<>();
            flatten(e.getValue(), want);
            double[] got = (double[]) driver.getMethod("init", String.class, long.class).invoke(null, e.getKey(), first);
            assertBits(file + " init " + e.getKey(), got, want.stream().mapToDouble(Double::doubleValue).toArray());
            compared += want.size();
        }
        return compared;
    }

    private static void assertBits(String what, double[] got, double[] want) {
        assertThat(got.length).as(what + ": number of values").isEqualTo(want.length);
        for (int i = 0; i < want.length; i++) {
            assertThat(Double.doubleToRawLongBits(got[i])).as("%s: value %d is %s, expected %s", what, i, got[i], want[i])
                .isEqualTo(Double.doubleToRawLongBits(want[i]));
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(Object value, List<Double> out) {
        if (value instanceof List) for (Object e : (List<Object>) value) flatten(e, out);
        else out.add((Double) value);
    }

    private static double[] vector(Object value) {
        List<Double> flat = new ArrayList<>();
        flatten(value, flat);
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @SuppressWarnings("unchecked")
    private static double[][] matrix(Object value) {
        List<Object> rows = (List<Object>) value;
        double[][] m = new double[rows.size()][];
        for (int n = 0; n < m.length; n++) m[n] = vector(rows.get(n));
        return m;
    }
}
