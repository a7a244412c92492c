package plainnet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import plainnet.io.Fields;
import plainnet.io.FormatException;
import plainnet.io.Json;

/**
 * The vectors of the transfer strategies (SPEC.md §10.1, §22.1): their optional optimizer keys
 * {@code lr_decay} and {@code l2_sp} are read, change the update (so an implementation that
 * ignores them fails), and a bad value is reported naming the field.
 */
class StrategyVectorsTest {

    private static final Path DIR = Path.of("test-data/vectors");

    private static String text(String name) throws Exception {
        return new String(Files.readAllBytes(DIR.resolve(name + ".json")), StandardCharsets.UTF_8);
    }

    private static Case parse(String text) throws FormatException {
        return Case.parse(Fields.root(Json.parse(text, "v.json"), "v.json"));
    }

    @SuppressWarnings("unchecked")
    private static double[][] updatedW(Map<String, Object> result, int l) {
        return (double[][]) ((List<Object>) ((Map<String, Object>) result.get("update")).get("W")).get(l);
    }

    @Test
    void l2spVector_readsAlphaAndAnchors_andTheyChangeTheUpdate() throws Exception {
        String t = text("transfer_l2_sp");
        Case c = parse(t);
        assertThat(c.opt.l2sp).isEqualTo(0.5);
        assertThat(c.opt.anchor(c.net.layer(0))).isNotNull();
        assertThat(c.opt.anchor(c.net.layer(2))).as("the new head: W0 = 0").isNull();
        Case off = parse(t.replace("\"alpha\": 0.5", "\"alpha\": 0.0"));
        assertThat(updatedW(Compute.run(c), 2)[0][0]).isNotEqualTo(updatedW(Compute.run(off), 2)[0][0]);
        assertThat(updatedW(Compute.run(c), 0)[0][0]).as("anchored layer").isNotEqualTo(updatedW(Compute.run(off), 0)[0][0]);
    }

    @Test
    void lrDecayVector_readsTheFactor_andItChangesTheLowerLayersOnly() throws Exception {
        String t = text("transfer_lr_decay");
        Case c = parse(t);
        assertThat(c.opt.lrDecay).isEqualTo(2.6);
        Case off = parse(t.replace("\"lr_decay\": 2.6", "\"lr_decay\": 1.0"));
        Map<String, Object> on = Compute.run(c), none = Compute.run(off);
        assertThat(updatedW(on, 0)[0][0]).isNotEqualTo(updatedW(none, 0)[0][0]);
        // The top layer's own step is lr·lr_scale either way, but it sees different lower layers
        // from step 2 on; after one step it is the same:
        Case one = parse(t.replace("\"steps\": 3", "\"steps\": 1")), oneOff = parse(t.replace("\"steps\": 3", "\"steps\": 1").replace("\"lr_decay\": 2.6", "\"lr_decay\": 1.0"));
        assertThat(updatedW(Compute.run(one), 2)).isDeepEqualTo(updatedW(Compute.run(oneOff), 2));
    }

    @Test
    void badStrategyKeys_refusedNamingTheField() throws Exception {
        assertThatThrownBy(() -> parse(text("transfer_lr_decay").replace("\"lr_decay\": 2.6", "\"lr_decay\": 0.5")))
            .isInstanceOf(FormatException.class).hasMessageContaining("field optimizer").hasMessageContaining("expected a finite number >= 1");
        assertThatThrownBy(() -> parse(text("transfer_l2_sp").replace("\"layer\": 1", "\"layer\": 7")))
            .isInstanceOf(FormatException.class).hasMessageContaining("optimizer.l2_sp.anchors[1].layer: expected a layer index 0 to 2, found 7");
        assertThatThrownBy(() -> parse(text("transfer_l2_sp").replace("\"layer\": 1", "\"layer\": 0")))
            .isInstanceOf(FormatException.class).hasMessageContaining("optimizer.l2_sp.anchors[1].W0: expected 6 rows, found 5");
    }
}
