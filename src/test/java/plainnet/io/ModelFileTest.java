package plainnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.MeanSquaredError;
import plainnet.Network;
import plainnet.Reduction;
import plainnet.Rng;
import plainnet.SoftmaxCrossEntropy;

class ModelFileTest {

    @TempDir
    Path dir;

    private static final List<String> F5 = List.of("f1", "f2", "f3", "f4", "f5");

    private static Network network() {
        Rng rng = new Rng(11);
        Network net = new Network(
            new Dense(5, 4, Activation.leakyRelu(0.2), rng),
            new Dense(4, 3, Activation.TANH, rng),
            new Dense(3, 2, Activation.IDENTITY, rng));
        net.freeze(0, 2);
        net.layer(2).setLrScale(0.25);
        net.layer(2).b[1] = -0.0; // the sign of zero must survive too
        net.layer(1).W[0][0] = Double.MIN_VALUE;
        return net;
    }

    private static void assertSameNetwork(Network expected, Network actual) {
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int l = 0; l < expected.size(); l++) {
            Dense e = expected.layer(l), a = actual.layer(l);
            assertThat(a.f).as("layer %d activation", l).isEqualTo(e.f);
            assertThat(a.isTrainable()).as("layer %d trainable", l).isEqualTo(e.isTrainable());
            assertThat(a.lrScale()).as("layer %d lr_scale", l).isEqualTo(e.lrScale());
            for (int o = 0; o < e.O; o++) {
                assertThat(Double.doubleToRawLongBits(a.b[o])).as("layer %d b[%d]", l, o).isEqualTo(Double.doubleToRawLongBits(e.b[o]));
                for (int i = 0; i < e.I; i++) {
                    assertThat(Double.doubleToRawLongBits(a.W[o][i])).as("layer %d W[%d][%d]", l, o, i).isEqualTo(Double.doubleToRawLongBits(e.W[o][i]));
                }
            }
        }
    }

    @Test
    void saveThenLoad_bitIdenticalWithFlags() throws IOException {
        Network net = network();
        BinaryCrossEntropy loss = new BinaryCrossEntropy(Reduction.MEAN_LABELED, new double[] {1.0, 0.5}, new double[] {3.0, 1.0});
        Path p = dir.resolve("m.json");
        new ModelFile(net, loss, List.of("f1", "f2", "f3", "f4", "f5"), List.of("even", "prime")).save(p);
        ModelFile back = ModelFile.load(p);
        assertSameNetwork(net, back.net);
        assertThat(back.tasks).containsExactly("even", "prime");
        assertThat(back.features).containsExactly("f1", "f2", "f3", "f4", "f5");
        assertThat(back.loss).isInstanceOf(BinaryCrossEntropy.class);
        assertThat(back.loss.reduction()).isEqualTo(Reduction.MEAN_LABELED);
        assertThat(((BinaryCrossEntropy) back.loss).taskWeight()).containsExactly(1.0, 0.5);
        assertThat(((BinaryCrossEntropy) back.loss).posWeight()).containsExactly(3.0, 1.0);
        // Writing the loaded model again gives the same text.
        assertThat(back.toJson()).isEqualTo(Files.readString(p));
    }

    @Test
    void saveThenLoad_otherLosses_kept() throws IOException {
        Network net = network();
        Path p = dir.resolve("m.json");
        new ModelFile(net, new SoftmaxCrossEntropy(Reduction.SUM), F5, List.of("a", "b")).save(p);
        assertThat(ModelFile.load(p).loss).isInstanceOf(SoftmaxCrossEntropy.class);
        new ModelFile(net, new MeanSquaredError(Reduction.MEAN_ALL, new double[] {2.0, 0.0}), F5, List.of("a", "b")).save(p);
        ModelFile back = ModelFile.load(p);
        assertThat(back.loss).isInstanceOf(MeanSquaredError.class);
        assertThat(((MeanSquaredError) back.loss).weight()).containsExactly(2.0, 0.0);
    }

    @Test
    void save_failingWrite_keepsPreviousFileAndLeavesNoTemporary() throws IOException {
        Path p = dir.resolve("m.json");
        new ModelFile(network(), new BinaryCrossEntropy(), F5, List.of("a", "b")).save(p);
        String before = Files.readString(p);
        Network broken = network();
        broken.layer(0).W[0][0] = Double.NaN; // cannot be written as JSON
        assertThatThrownBy(() -> new ModelFile(broken, new BinaryCrossEntropy(), F5, List.of("a", "b")).save(p))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThat(Files.readString(p)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("m.json");
        }
    }

    @Test
    void load_missingFile_namesIt() {
        Path p = dir.resolve("nope.json");
        assertThatThrownBy(() -> ModelFile.load(p)).isInstanceOf(FormatException.class)
            .hasMessage(p + ": expected a model file, found no such file");
    }

    private static String valid() {
        return new ModelFile(new Network(new Dense(new double[][] {{1.0, 2.0}}, new double[] {0.5}, Activation.IDENTITY)),
            new BinaryCrossEntropy(), List.of("p", "q"), List.of("t")).toJson();
    }

    @Test
    void parse_validText_roundTrips() throws FormatException {
        ModelFile m = ModelFile.parse(valid(), "m.json");
        assertThat(m.net.layer(0).W[0]).containsExactly(1.0, 2.0);
        assertThat(m.net.layer(0).b).containsExactly(0.5);
    }

    @Test
    void parse_malformed_namesFieldExpectedAndFound() {
        String v = valid();
        assertParseError(v.replace("\"plainnet-model\"", "\"other\""), "m.json: field format: expected \"plainnet-model\", found \"other\"");
        assertParseError(v.replace("\"version\": 1", "\"version\": 3"), "m.json: field version: expected 1 or 2 (the model-file versions this plainnet reads), found 3");
        assertParseError(v.replace("\"identity\"", "\"swish\""), "m.json: field layers[0].activation: expected one of identity, relu, leaky_relu, sigmoid, tanh, found \"swish\"");
        assertParseError(v.replace("[1.0, 2.0]", "[1.0]"), "m.json: field layers[0].W[0]: expected 2 numbers, found 1");
        assertParseError(v.replace("[1.0, 2.0]", "[1.0, \"x\"]"), "m.json: field layers[0].W[0][1]: expected a number, found the string \"x\"");
        assertParseError(v.replace("\"trainable\": true", "\"trainable\": 1"), "m.json: field layers[0].trainable: expected true or false, found the number 1.0");
        assertParseError(v.replace("\"trainable\": true", "\"trainabel\": true"), "m.json: unexpected field layers[0].trainabel; expected only [inputs, outputs, activation, trainable, lr_scale, W, b]");
        assertParseError(v.replace("\"lr_scale\": 1.0", "\"lr_scale\": 1.0, \"extra\": 3"), "m.json: unexpected field layers[0].extra");
        assertParseError(v.replace("\"lr_scale\": 1.0", "\"lr_scale\": 0.0"), "m.json: field layers[0].lr_scale: expected a number > 0, found 0.0");
        assertParseError(v.replace("\"per_example\"", "\"mean\""), "m.json: field loss.reduction: expected one of per_example, mean_labeled, mean_all, sum, found \"mean\"");
        assertParseError(v.replace("[\"t\"]", "[\"t\", \"u\"]"), "m.json: field tasks: expected 1 names (one per output of the last layer), found 2");
        assertParseError(v.replace("[\"p\", \"q\"]", "[\"p\"]"), "m.json: field features: expected 2 names (one per input of the first layer), found 1");
        assertParseError(v.replace("\"inputs\": 2", "\"inputs\": 3"), "m.json: field layers[0].W[0]: expected 3 numbers, found 2");
        assertParseError("[]", "m.json: expected a JSON object at the top level, found an array");
        assertParseError(v.replace("\"task_weight\": null,", ""), "m.json: expected a field loss.task_weight (null for none), found none");
        assertParseError(v.substring(0, v.length() / 2), "m.json:");
    }

    @Test
    void parse_layerSizesDoNotChain_namesLayer() {
        String two = new ModelFile(new Network(new Dense(new double[][] {{1.0}}, new double[] {0.0}, Activation.RELU),
            new Dense(new double[][] {{1.0}}, new double[] {0.0}, Activation.IDENTITY)), new BinaryCrossEntropy(), List.of("p"), List.of("t")).toJson();
        String broken = two.replaceFirst("\"outputs\": 1", "\"outputs\": 2").replaceFirst("\"W\": \\[\\s*\\[1.0\\]\\s*\\]", "\"W\": [[1.0], [1.0]]")
            .replaceFirst("\"b\": \\[0.0\\]", "\"b\": [0.0, 0.0]");
        assertParseError(broken, "m.json: field layers[1].inputs: expected 2 (the outputs of the layer below), found 1");
    }

    private static void assertParseError(String text, String messageStart) {
        assertThatThrownBy(() -> ModelFile.parse(text, "m.json")).isInstanceOf(FormatException.class).hasMessageStartingWith(messageStart);
    }
}
