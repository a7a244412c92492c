package plainnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Network;
import plainnet.Rng;
import plainnet.Standardization;

/** The optional "standardize" field of the model file (SPEC §16). */
class ModelFileStandardizationTest {

    @TempDir
    Path dir;

    private static ModelFile model(Standardization s) {
        Network net = new Network(new Dense(2, 1, Activation.IDENTITY, new Rng(3)));
        return new ModelFile(net, new BinaryCrossEntropy(), List.of("p", "q"), List.of("t"), s);
    }

    @Test
    void saveThenLoad_standardization_bitIdenticalAndSameText() throws Exception {
        ModelFile m = model(new Standardization(new double[] {127.5, -0.0}, new double[] {Double.MIN_VALUE, 0.1}));
        Path p = dir.resolve("m.json");
        m.save(p);
        ModelFile back = ModelFile.load(p);
        assertThat(Double.doubleToRawLongBits(back.standardize.mean[1])).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(back.standardize.mean[0]).isEqualTo(127.5);
        assertThat(back.standardize.std).containsExactly(Double.MIN_VALUE, 0.1);
        assertThat(back.toJson()).isEqualTo(m.toJson());
    }

    @Test
    void parse_withoutTheField_noStandardizationAndTextUnchanged() throws Exception {
        String old = model(null).toJson();
        assertThat(old).doesNotContain("standardize");
        ModelFile m = ModelFile.parse(old, "m.json");
        assertThat(m.standardize).isNull();
        assertThat(m.toJson()).isEqualTo(old);
        assertThat(ModelFile.parse(old.replaceFirst("\\}\\s*$", ", \"standardize\": null}"), "m.json").standardize).isNull();
    }

    @Test
    void parse_badStandardization_namesTheField() {
        String v = model(new Standardization(new double[] {1, 2}, new double[] {3, 4})).toJson();
        assertThatThrownBy(() -> ModelFile.parse(v.replaceFirst("\"std\": \\[\\s*3.0", "\"std\": [0.0"), "m.json")).isInstanceOf(FormatException.class)
            .hasMessage("m.json: field standardize.std: expected numbers > 0, found 0.0 at index 0");
        assertThatThrownBy(() -> ModelFile.parse(v.replaceFirst("\"mean\": \\[\\s*1.0,", "\"mean\": ["), "m.json")).isInstanceOf(FormatException.class)
            .hasMessage("m.json: field standardize.mean: expected 2 numbers, found 1");
        assertThatThrownBy(() -> ModelFile.parse(v.replaceFirst("\"mean\"", "\"median\""), "m.json")).isInstanceOf(FormatException.class)
            .hasMessageStartingWith("m.json: unexpected field standardize.median");
    }
}
