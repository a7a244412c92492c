package plainnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Group;
import plainnet.GroupedLoss;
import plainnet.MeanSquaredError;
import plainnet.Network;
import plainnet.Reduction;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Standardization;
import plainnet.TaskNetwork;

/**
 * Model file version 2 (SPEC.md §16.1): a task network of several groups round-trips to the same
 * bytes and bits; a model of one group is version 1, byte for byte as before (the files in
 * test-data/models were written by plainnet before version 2 existed); the accessors answer the
 * same questions for both versions; every malformed version-2 file is refused naming the file,
 * the field, what was expected and what was found.
 */
class ModelFileGroupsTest {

    @TempDir
    Path dir;

    static final Path MODELS = Paths.get("test-data", "models");

    /** Trunk 3-4-4 (tanh, relu); digit: softmax, tower 4-5-3; even: bce, weight 0.5, tower 4-1; size: mse, tower 4-2. */
    static TaskNetwork taskNetwork() {
        Rng rng = new Rng(7);
        Network trunk = new Network(new Dense(3, 4, Activation.TANH, rng), new Dense(4, 4, Activation.RELU, rng));
        List<Group> groups = List.of(
            new Group("digit", 3, new SoftmaxCrossEntropy(Reduction.MEAN_LABELED)),
            new Group("even", 1, new BinaryCrossEntropy(Reduction.PER_EXAMPLE, new double[] {2.0}, new double[] {0.25}), 0.5),
            new Group("size", 2, new MeanSquaredError(Reduction.SUM, new double[] {1.0, 0.0}), 3.0));
        List<Network> towers = List.of(
            new Network(new Dense(4, 5, Activation.leakyRelu(0.1), rng), new Dense(5, 3, Activation.IDENTITY, rng)),
            new Network(new Dense(4, 1, Activation.IDENTITY, rng)),
            new Network(new Dense(4, 2, Activation.SIGMOID, rng)));
        TaskNetwork net = new TaskNetwork(trunk, groups, towers);
        for (Dense d : net.layers()) for (int o = 0; o < d.O; o++) d.b[o] = 0.1 * rng.nextGaussian(); // non-zero biases
        trunk.freeze(0, 1);
        net.tower(0).layer(1).setLrScale(0.25);
        net.tower(1).layer(0).b[0] = -0.0; // the sign of zero must survive
        net.tower(2).layer(0).W[1][3] = Double.MIN_VALUE;
        return net;
    }

    static final List<String> FEATURES = List.of("x0", "x1", "x2");
    static final List<String> TASKS = List.of("digit=0", "digit=1", "digit=2", "even", "width", "height");

    static ModelFile model() {
        return new ModelFile(taskNetwork(), FEATURES, TASKS, new Standardization(new double[] {1.0, -2.0, 0.5}, new double[] {2.0, 0.5, 4.0}));
    }

    static double[][] rows() {
        Rng rng = new Rng(3);
        double[][] x = new double[5][3];
        for (double[] r : x) for (int i = 0; i < 3; i++) r[i] = 2.0 * rng.nextGaussian();
        return x;
    }

    static void assertSameBits(String what, double[][] expected, double[][] actual) {
        assertThat(actual.length).as(what + " rows").isEqualTo(expected.length);
        for (int n = 0; n < expected.length; n++) {
            assertThat(actual[n].length).as(what + " row " + n).isEqualTo(expected[n].length);
            for (int k = 0; k < expected[n].length; k++) {
                assertThat(Double.doubleToRawLongBits(actual[n][k])).as("%s[%d][%d]: %s vs %s", what, n, k, actual[n][k], expected[n][k])
                    .isEqualTo(Double.doubleToRawLongBits(expected[n][k]));
            }
        }
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int n = 0; n < a.length; n++) c[n] = a[n].clone();
        return c;
    }

    // ----------------------------------------------------------------------------------------
    // version 2 round trip

    @Test
    void saveThenLoad_severalGroups_sameBytesSameBitsSameGroups() throws IOException {
        ModelFile m = model();
        double[][] z = copy(m.forward(rows()));
        Path p = dir.resolve("m.json");
        m.save(p);
        String text = Files.readString(p);
        ModelFile back = ModelFile.load(p);
        assertThat(back.toJson()).isEqualTo(text);
        assertThat(back.net).isNull();
        assertThat(back.taskNet).isNotNull();
        assertThat(back.loss).isInstanceOf(GroupedLoss.class);
        assertSameBits("z after load", z, back.forward(rows()));
        assertThat(back.groupCount()).isEqualTo(3);
        String[] names = {"digit", "even", "size"};
        int[] K = {3, 1, 2};
        double[] w = {1.0, 0.5, 3.0};
        for (int g = 0; g < 3; g++) {
            assertThat(back.group(g).name).isEqualTo(names[g]);
            assertThat(back.group(g).K).isEqualTo(K[g]);
            assertThat(back.group(g).weight).isEqualTo(w[g]);
            assertThat(back.group(g).loss.getClass()).isEqualTo(m.group(g).loss.getClass());
            assertThat(back.group(g).loss.reduction()).isEqualTo(m.group(g).loss.reduction());
        }
        assertThat(((BinaryCrossEntropy) back.group(1).loss).taskWeight()).containsExactly(2.0);
        assertThat(((BinaryCrossEntropy) back.group(1).loss).posWeight()).containsExactly(0.25);
        assertThat(((MeanSquaredError) back.group(2).loss).weight()).containsExactly(1.0, 0.0);
        assertThat(back.columnStart(0)).isEqualTo(0);
        assertThat(back.columnStart(1)).isEqualTo(3);
        assertThat(back.columnStart(2)).isEqualTo(4);
        assertThat(back.columnStart(3)).isEqualTo(6);
        assertThat(back.groupTasks(0)).containsExactly("digit=0", "digit=1", "digit=2");
        assertThat(back.groupTasks(1)).containsExactly("even");
        assertThat(back.groupTasks(2)).containsExactly("width", "height");
        assertThat(back.inputs()).isEqualTo(3);
        assertThat(back.outputs()).isEqualTo(6);
        assertThat(back.taskNetwork()).isSameAs(back.taskNet);
        List<Dense> layers = back.layers();
        assertThat(layers).hasSize(6);
        assertThat(layers.get(0).isTrainable()).isFalse();
        assertThat(layers.get(1).isTrainable()).isTrue();
        assertThat(layers.get(3).lrScale()).isEqualTo(0.25);
        assertThat(Double.doubleToRawLongBits(layers.get(4).b[0])).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(layers.get(5).W[1][3]).isEqualTo(Double.MIN_VALUE);
        assertThat(back.standardize.mean).containsExactly(1.0, -2.0, 0.5);
        assertThat(back.features).containsExactly("x0", "x1", "x2");
    }

    /**
     * A version-2 file written out by hand from SPEC.md §16.1 (the field order and the layout of
     * §15's writer): it reads to the network its numbers say, and writing it gives the same text.
     * x = (1, 1): h = 1·1 + 2·1 + 0.5 = 3.5; a = 2·h = 7; b = (−1·h + 1, 0·h + 0.25) = (−2.5, 0.25).
     */
    static final String HAND = String.join("\n",
        "{",
        "  \"format\": \"plainnet-model\",",
        "  \"version\": 2,",
        "  \"trunk\": [",
        "    {",
        "      \"inputs\": 2,",
        "      \"outputs\": 1,",
        "      \"activation\": \"identity\",",
        "      \"trainable\": true,",
        "      \"lr_scale\": 1.0,",
        "      \"W\": [",
        "        [1.0, 2.0]",
        "      ],",
        "      \"b\": [0.5]",
        "    }",
        "  ],",
        "  \"groups\": [",
        "    {",
        "      \"name\": \"a\",",
        "      \"loss\": {",
        "        \"kind\": \"squared_error\",",
        "        \"reduction\": \"mean_all\",",
        "        \"weight\": null",
        "      },",
        "      \"weight\": 1.0,",
        "      \"tower\": [",
        "        {",
        "          \"inputs\": 1,",
        "          \"outputs\": 1,",
        "          \"activation\": \"identity\",",
        "          \"trainable\": false,",
        "          \"lr_scale\": 1.0,",
        "          \"W\": [",
        "            [2.0]",
        "          ],",
        "          \"b\": [0.0]",
        "        }",
        "      ]",
        "    },",
        "    {",
        "      \"name\": \"b\",",
        "      \"loss\": {",
        "        \"kind\": \"binary_cross_entropy\",",
        "        \"reduction\": \"per_example\",",
        "        \"task_weight\": null,",
        "        \"pos_weight\": [1.5, 2.0]",
        "      },",
        "      \"weight\": 0.0,",
        "      \"tower\": [",
        "        {",
        "          \"inputs\": 1,",
        "          \"outputs\": 2,",
        "          \"activation\": \"identity\",",
        "          \"trainable\": true,",
        "          \"lr_scale\": 0.5,",
        "          \"W\": [",
        "            [-1.0],",
        "            [0.0]",
        "          ],",
        "          \"b\": [1.0, 0.25]",
        "        }",
        "      ]",
        "    }",
        "  ],",
        "  \"features\": [\"p\", \"q\"],",
        "  \"tasks\": [\"a\", \"b1\", \"b2\"]",
        "}",
        "");

    @Test
    void parse_handWrittenVersion2_theNetworkItsNumbersSay() throws FormatException {
        ModelFile m = ModelFile.parse(HAND, "hand.json");
        assertThat(m.forward(new double[][] {{1.0, 1.0}})[0]).containsExactly(7.0, -2.5, 0.25);
        assertThat(m.group(0).name).isEqualTo("a");
        assertThat(m.group(1).weight).isEqualTo(0.0);
        assertThat(m.group(1).loss).isInstanceOf(BinaryCrossEntropy.class);
        assertThat(m.layers().get(1).isTrainable()).isFalse();
        assertThat(m.layers().get(2).lrScale()).isEqualTo(0.5);
        assertThat(m.standardize).isNull();
        assertThat(m.toJson()).isEqualTo(HAND);
    }

    @Test
    void forward_afterSaveAndLoad_equalsTheTowersOnTheTrunkComputedLayerByLayer() throws IOException {
        // An independent forward: each layer's z = b + x·Wᵀ in SPEC.md §4's order and its activation,
        // trunk then each tower side by side (§27.2): the same bits.
        ModelFile m = model();
        Path p = dir.resolve("m.json");
        m.save(p);
        ModelFile back = ModelFile.load(p);
        double[][] x = rows();
        double[][] z = back.forward(x);
        for (int n = 0; n < x.length; n++) {
            double[] h = x[n];
            for (int l = 0; l < 2; l++) h = layer(back.layers().get(l), h);
            int c = 0;
            for (int g = 0; g < 3; g++) {
                double[] a = h;
                for (int l = 0; l < back.taskNet.tower(g).size(); l++) a = layer(back.taskNet.tower(g).layer(l), a);
                for (double v : a) assertThat(z[n][c++]).isEqualTo(v);
            }
        }
    }

    private static double[] layer(Dense d, double[] x) {
        double[] a = new double[d.O];
        for (int o = 0; o < d.O; o++) {
            double z = d.b[o]; // SPEC.md §4: from b_o, i ascending
            for (int i = 0; i < d.I; i++) z += x[i] * d.W[o][i];
            a[o] = d.f.apply(z);
        }
        return a;
    }

    // ----------------------------------------------------------------------------------------
    // version 1 stays as it was

    @Test
    void load_versionOneFilesWrittenBeforeVersion2_rewriteByteIdentically() throws IOException {
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(MODELS)) {
            s.filter(f -> f.getFileName().toString().startsWith("v1_")).sorted().forEach(files::add);
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        for (Path f : files) {
            ModelFile m = ModelFile.load(f);
            assertThat(m.taskNet).as(f.toString()).isNull();
            assertThat(m.toJson()).as(f.toString()).isEqualTo(Files.readString(f));
            // and through the task-network view and back: the same bytes
            if (m.net.size() >= 2) assertThat(new ModelFile(m.taskNetwork(), m.features, m.tasks, m.standardize).toJson()).as(f.toString()).isEqualTo(Files.readString(f));
        }
    }

    @Test
    void load_versionTwoFileInTestData_rewritesByteIdentically() throws IOException {
        Path f = MODELS.resolve("v2_groups.json");
        ModelFile m = ModelFile.load(f);
        assertThat(m.groupCount()).isEqualTo(3);
        assertThat(m.toJson()).isEqualTo(Files.readString(f));
    }

    @Test
    void taskNetworkOfOneGroup_writesVersionOne_sameBytesAsThePlainNetwork() {
        Rng rng = new Rng(5);
        Network trunk = new Network(new Dense(3, 4, Activation.TANH, rng));
        Network tower = new Network(new Dense(4, 4, Activation.RELU, rng), new Dense(4, 2, Activation.IDENTITY, rng));
        BinaryCrossEntropy bce = new BinaryCrossEntropy(Reduction.MEAN_ALL, null, new double[] {2.0, 1.0});
        TaskNetwork tn = new TaskNetwork(trunk, List.of(new Group("spam", 2, bce)), List.of(tower));
        ModelFile one = new ModelFile(tn, FEATURES, List.of("s1", "s2"), null);
        assertThat(one.taskNet).isNull();
        assertThat(one.net.size()).isEqualTo(3);
        assertThat(one.net.layer(0)).isSameAs(trunk.layer(0));
        assertThat(one.net.layer(2)).isSameAs(tower.layer(1));
        Network plain = new Network(trunk.layer(0), tower.layer(0), tower.layer(1));
        String expected = new ModelFile(plain, bce, FEATURES, List.of("s1", "s2")).toJson();
        assertThat(one.toJson()).isEqualTo(expected).contains("\"version\": 1,").doesNotContain("spam");
        // the file has no group name: a bce model's one group is "tasks"
        assertThat(one.group(0).name).isEqualTo("tasks");
    }

    @Test
    void taskNetworkOfOneGroup_weightOtherThanOne_versionOneWithoutIt() {
        // Version 1 has no task weight: one group's weight only scales J, and is not kept (SPEC.md §16.1).
        Rng rng = new Rng(5);
        Dense h = new Dense(3, 4, Activation.TANH, rng), o = new Dense(4, 1, Activation.IDENTITY, rng);
        BinaryCrossEntropy bce = new BinaryCrossEntropy();
        TaskNetwork tn = new TaskNetwork(new Network(h), List.of(new Group("spam", 1, bce, 2.0)), List.of(new Network(o)));
        ModelFile m = new ModelFile(tn, FEATURES, List.of("spam"), null);
        assertThat(m.toJson()).isEqualTo(new ModelFile(new Network(h, o), bce, FEATURES, List.of("spam")).toJson());
        assertThat(m.group(0).weight).isEqualTo(1.0);
        assertThat(m.group(0).name).isEqualTo("tasks");
    }

    @Test
    void versionOneAccessors_oneGroupNamedByTheLabelColumn_viewSharesLayers() throws IOException {
        ModelFile soft = ModelFile.load(MODELS.resolve("v1_softmax.json"));
        assertThat(soft.groupCount()).isEqualTo(1);
        Group g = soft.group(0);
        assertThat(g.name).isEqualTo("digit");
        assertThat(g.K).isEqualTo(4);
        assertThat(g.weight).isEqualTo(1.0);
        assertThat(g.loss).isSameAs(soft.loss);
        assertThat(soft.columnStart(0)).isEqualTo(0);
        assertThat(soft.columnStart(1)).isEqualTo(4);
        assertThat(soft.groupTasks(0)).containsExactly("digit=0", "digit=1", "digit=2", "digit=3");
        assertThat(soft.inputs()).isEqualTo(3);
        assertThat(soft.outputs()).isEqualTo(4);
        assertThat(soft.layers()).containsExactly(soft.net.layer(0), soft.net.layer(1));
        assertThatThrownBy(() -> soft.group(1)).isInstanceOf(IllegalArgumentException.class).hasMessage("group index: expected 0 <= g < 1, found 1");
        assertThatThrownBy(() -> soft.groupTasks(1)).isInstanceOf(IllegalArgumentException.class);

        TaskNetwork view = soft.taskNetwork();
        assertThat(view.trunk().size()).isEqualTo(1);
        assertThat(view.trunk().layer(0)).isSameAs(soft.net.layer(0));
        assertThat(view.tower(0).layer(0)).isSameAs(soft.net.layer(1));
        assertThat(view.group(0).name).isEqualTo("digit");
        double[][] x = rows();
        assertSameBits("view forward", copy(soft.forward(x)), view.forward(x));

        assertThat(ModelFile.load(MODELS.resolve("v1_bce.json")).group(0).name).isEqualTo("tasks");
        ModelFile oneLayer = ModelFile.load(MODELS.resolve("v1_mse.json"));
        assertThat(oneLayer.group(0).name).isEqualTo("tasks");
        assertThatThrownBy(oneLayer::taskNetwork).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("model: expected a network of at least 2 layers to split into a trunk and a tower, found 1 layer (it has no trunk)");
    }

    @Test
    void constructor_wrongNamesOrNull_refusedNamingExpectedAndFound() {
        assertThatThrownBy(() -> new ModelFile((TaskNetwork) null, FEATURES, TASKS, null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("model: expected a task network, found null");
        assertThatThrownBy(() -> new ModelFile(taskNetwork(), FEATURES, TASKS.subList(0, 5), null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("model: expected 6 task names (one per output), found 5");
        assertThatThrownBy(() -> new ModelFile(taskNetwork(), List.of("x0"), TASKS, null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("model: expected 3 feature names (one per input), found 1");
        assertThatThrownBy(() -> new ModelFile(taskNetwork(), FEATURES, TASKS, new Standardization(new double[] {0.0}, new double[] {1.0})))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("model: expected a standardization of 3 features (one per input), found 1");
        // a plain network with the loss of several groups is not a model file of either version
        Network plain = new Network(new Dense(3, 2, Activation.IDENTITY, new Rng(1)));
        GroupedLoss two = new GroupedLoss(new Group("a", 1, new BinaryCrossEntropy()), new Group("b", 1, new MeanSquaredError()));
        assertThatThrownBy(() -> new ModelFile(plain, two, FEATURES, List.of("a", "b"))).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("model: expected the loss of one group for a network, found a GroupedLoss (give a TaskNetwork for several groups)");
    }

    @Test
    void toJson_tasksOfTheTaskNetworkChangedAfterwards_refused() {
        ModelFile m = model();
        m.taskNet.removeTask("even");
        assertThatThrownBy(m::toJson).isInstanceOf(IllegalStateException.class).hasMessageContaining("make a new ModelFile");
    }

    // ----------------------------------------------------------------------------------------
    // malformed version-2 files

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    static Map<String, Object> group(Map<String, Object> root, int g) {
        return obj(list(root.get("groups")).get(g));
    }

    static Map<String, Object> towerLayer(Map<String, Object> root, int g, int l) {
        return obj(list(group(root, g).get("tower")).get(l));
    }

    /** The cases: a change to the parsed valid file, and the message plainnet must give (written out by hand). */
    static Map<String, Object[]> broken() {
        Map<String, Object[]> c = new LinkedHashMap<>();
        c.put("tower_inputs", new Object[] {(Consumer<Map<String, Object>>) r -> towerLayer(r, 1, 0).put("inputs", 3.0),
            "field groups[1].tower[0].inputs: expected 4 (the outputs of the trunk), found 3"});
        c.put("tasks_sum", new Object[] {(Consumer<Map<String, Object>>) r -> list(r.get("tasks")).remove(5),
            "field tasks: expected 6 names (one per output of the groups' towers: digit 3 + even 1 + size 2), found 5"});
        c.put("duplicate_name", new Object[] {(Consumer<Map<String, Object>>) r -> group(r, 2).put("name", "digit"),
            "field groups[2].name: expected a name no other group has, found \"digit\", the name of groups[0]"});
        c.put("negative_weight", new Object[] {(Consumer<Map<String, Object>>) r -> group(r, 1).put("weight", -1.0),
            "field groups[1].weight: expected a number >= 0, found -1.0"});
        c.put("string_weight", new Object[] {(Consumer<Map<String, Object>>) r -> group(r, 1).put("weight", "1"),
            "field groups[1].weight: expected a number, found the string \"1\""});
        c.put("empty_trunk", new Object[] {(Consumer<Map<String, Object>>) r -> list(r.get("trunk")).clear(),
            "field trunk: expected at least 1 layer, found none"});
        c.put("empty_tower", new Object[] {(Consumer<Map<String, Object>>) r -> list(group(r, 0).get("tower")).clear(),
            "field groups[0].tower: expected at least 1 layer, found none"});
        c.put("version_3", new Object[] {(Consumer<Map<String, Object>>) r -> r.put("version", 3.0),
            "field version: expected 1 or 2 (the model-file versions this plainnet reads), found 3"});
        c.put("version_0", new Object[] {(Consumer<Map<String, Object>>) r -> r.put("version", 0.0),
            "field version: expected 1 or 2 (the model-file versions this plainnet reads), found 0"});
        c.put("one_group", new Object[] {(Consumer<Map<String, Object>>) r -> list(r.get("groups")).subList(1, 3).clear(),
            "field groups: expected at least 2 groups (a model of one group is version 1), found 1"});
        c.put("empty_name", new Object[] {(Consumer<Map<String, Object>>) r -> group(r, 0).put("name", ""),
            "field groups[0].name: expected a non-empty name, found \"\""});
        c.put("loss_weight_length", new Object[] {(Consumer<Map<String, Object>>) r -> obj(group(r, 1).get("loss")).put("task_weight", new ArrayList<Object>(List.of(1.0, 2.0))),
            "field groups[1].loss.task_weight: expected 1 numbers, found 2"});
        c.put("loss_kind", new Object[] {(Consumer<Map<String, Object>>) r -> obj(group(r, 0).get("loss")).put("kind", "hinge"),
            "field groups[0].loss.kind: expected one of binary_cross_entropy, softmax_cross_entropy, squared_error, found \"hinge\""});
        c.put("layers_in_v2", new Object[] {(Consumer<Map<String, Object>>) r -> r.put("layers", new ArrayList<Object>()),
            "unexpected field layers; expected only [format, version, trunk, groups, features, tasks, standardize]"});
        c.put("group_extra_field", new Object[] {(Consumer<Map<String, Object>>) r -> group(r, 0).put("comment", "x"),
            "unexpected field groups[0].comment; expected only [name, loss, weight, tower]"});
        c.put("no_groups", new Object[] {(Consumer<Map<String, Object>>) r -> r.remove("groups"),
            "expected a field groups, found none"});
        c.put("group_not_object", new Object[] {(Consumer<Map<String, Object>>) r -> list(r.get("groups")).set(0, 1.0),
            "field groups: expected an object at index 0, found the number 1.0"});
        c.put("tower_chain", new Object[] {(Consumer<Map<String, Object>>) r -> towerLayer(r, 0, 1).put("inputs", 6.0),
            "field groups[0].tower[1].inputs: expected 5 (the outputs of the layer below), found 6"});
        c.put("tower_W", new Object[] {(Consumer<Map<String, Object>>) r -> list(list(towerLayer(r, 2, 0).get("W")).get(1)).set(0, "x"),
            "field groups[2].tower[0].W[1][0]: expected a number, found the string \"x\""});
        c.put("features", new Object[] {(Consumer<Map<String, Object>>) r -> list(r.get("features")).remove(2),
            "field features: expected 3 names (one per input of the first trunk layer), found 2"});
        c.put("trunk_missing", new Object[] {(Consumer<Map<String, Object>>) r -> r.remove("trunk"),
            "expected a field trunk, found none"});
        c.put("tower_missing", new Object[] {(Consumer<Map<String, Object>>) r -> group(r, 2).remove("tower"),
            "expected a field groups[2].tower, found none"});
        return c;
    }

    /** The valid file with one change applied. */
    @SuppressWarnings("unchecked")
    static String brokenText(Consumer<Map<String, Object>> change) throws FormatException {
        Map<String, Object> root = obj(Json.parse(model().toJson(), "m.json"));
        change.accept(root);
        return Json.write(root);
    }

    @Test
    @SuppressWarnings("unchecked")
    void parse_malformedVersion2_namesFileFieldExpectedAndFound() throws FormatException {
        Map<String, Object[]> cases = broken();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(12);
        for (Map.Entry<String, Object[]> e : cases.entrySet()) {
            String text = brokenText((Consumer<Map<String, Object>>) e.getValue()[0]);
            assertThatThrownBy(() -> ModelFile.parse(text, "m.json")).as(e.getKey())
                .isInstanceOf(FormatException.class).hasMessage("m.json: " + e.getValue()[1]);
        }
    }

    @Test
    void parse_versionOneFileMarkedVersion2_refusedForItsMissingTrunk() throws IOException {
        String v1 = Files.readString(MODELS.resolve("v1_bce.json")).replace("\"version\": 1", "\"version\": 2");
        assertThatThrownBy(() -> ModelFile.parse(v1, "m.json")).isInstanceOf(FormatException.class).hasMessage("m.json: expected a field trunk, found none");
    }
}
