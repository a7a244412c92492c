package plainnet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.cli.Main;

/** The committed vectors regenerate byte for byte; compute passes verify; corrupted results fail as documented. */
class VectorsTest {

    private static final Path COMMITTED = Path.of("test-data/vectors");

    @TempDir
    Path dir;

    private String out, err;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    private static List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void vectors_regenerated_byteIdenticalToCommitted() throws Exception {
        assertThat(run("vectors", "--out", dir.toString())).isZero();
        assertThat(names(dir)).isEqualTo(names(COMMITTED)).hasSizeGreaterThanOrEqualTo(30);
        for (String name : names(COMMITTED)) {
            assertThat(Files.readString(dir.resolve(name))).as(name + " (run 'make vectors' after an intended change)")
                .isEqualTo(Files.readString(COMMITTED.resolve(name)));
        }
    }

    @Test
    void computeThenVerify_everyCommittedVector_passes() {
        assertThat(run("compute", "--vector", COMMITTED.toString(), "--out", dir.toString())).as(err).isZero();
        assertThat(run("verify", "--vector", COMMITTED.toString(), "--result", dir.toString())).as(out).isZero();
        assertThat(out).endsWith("44 passed, 0 failed\n");
        // The same with plain arguments: plainnet verify VECTOR RESULT.
        assertThat(run("verify", COMMITTED.toString(), dir.toString())).as(out).isZero();
        assertThat(out).endsWith("44 passed, 0 failed\n");
        assertThat(run("compute", COMMITTED.resolve("bce_sum.json").toString())).isZero();
        assertThat(out).startsWith("{\n  \"format\": \"plainnet-result\"");
        assertThat(run("verify", COMMITTED.toString(), dir.toString(), "extra")).isEqualTo(2);
        assertThat(err).contains("unexpected argument 'extra'");
    }

    private Path result(String vector) throws Exception {
        Path r = dir.resolve(vector + ".result.json");
        assertThat(run("compute", "--vector", COMMITTED.resolve(vector + ".json").toString(), "--out", r.toString())).isZero();
        return r;
    }

    private int verify(String vector, Path result) {
        return run("verify", "--vector", COMMITTED.resolve(vector + ".json").toString(), "--result", result.toString());
    }

    @Test
    void verify_oneGradientEntryChanged_failsNamingArrayIndexAndStage() throws Exception {
        Path r = result("bce_per_example");
        String text = Files.readString(r);
        // The first number of backward.dW[1]: find "dW" then the first row of the second layer.
        int dw = text.indexOf("\"dW\"");
        int second = text.indexOf("[\n", text.indexOf("]\n", text.indexOf("[\n", text.indexOf("[", dw) + 1)) + 1);
        int start = text.indexOf("[", text.indexOf("[", second) + 1) + 1;
        int end = text.indexOf(",", start);
        String original = text.substring(start, end);
        Files.writeString(r, text.substring(0, start) + "0.123456" + text.substring(end));
        assertThat(verify("bce_per_example", r)).isEqualTo(1);
        assertThat(out).contains("backward.dW[1]", "FAIL", "first difference at [0][0]: expected " + Double.parseDouble(original) + ", found 0.123456",
            "earliest failing stage: backward", "0 passed, 1 failed");
        assertThat(out).contains("forward.z[0]").doesNotContain("forward.z[0]  max abs 1");
    }

    @Test
    void verify_arrayMissing_malformedExitTwoNamingKey() throws Exception {
        Path r = result("bce_per_example");
        Files.writeString(r, Files.readString(r).replace("\"dx\"", "\"dX\""));
        assertThat(verify("bce_per_example", r)).isEqualTo(2);
        assertThat(err).contains("result backward.dx: expected a key \"dx\", found none");
    }

    @Test
    void verify_wrongShape_malformedExitTwoNamingShapes() throws Exception {
        Path r = result("labels_unlabeled_row");
        String text = Files.readString(r);
        int dout = text.indexOf("\"dout\"");
        int row = text.indexOf("[", text.indexOf("[", dout) + 1);
        int close = text.indexOf("]", row);
        Files.writeString(r, text.substring(0, row) + "[1.0]" + text.substring(close + 1));
        assertThat(verify("labels_unlabeled_row", r)).isEqualTo(2);
        assertThat(err).contains("result backward.dout: expected shape (4, 2), found");
    }

    @Test
    void verify_unlabeledEntryGivenGradient_fails() throws Exception {
        // Row 1 of labels_unlabeled_row has no label, so its dout row must be exactly 0.
        Path r = result("labels_unlabeled_row");
        String text = Files.readString(r);
        int dout = text.indexOf("\"dout\"");
        int row1 = text.indexOf("[", text.indexOf("]", text.indexOf("[", text.indexOf("[", dout) + 1)) + 1);
        int end = text.indexOf(",", row1);
        assertThat(text.substring(row1 + 1, end)).isEqualTo("0.0");
        Files.writeString(r, text.substring(0, row1 + 1) + "1.0E-6" + text.substring(end));
        assertThat(verify("labels_unlabeled_row", r)).isEqualTo(1);
        assertThat(out).contains("backward.dout", "first difference at [1][0]: expected 0.0, found 1.0E-6", "earliest failing stage: backward");
    }

    @Test
    void verify_wrongForward_earliestStageIsForward() throws Exception {
        Path r = result("activation_tanh");
        String text = Files.readString(r);
        int z = text.indexOf("\"z\"");
        int start = text.indexOf("[", text.indexOf("[", text.indexOf("[", z) + 1) + 1) + 1;
        int end = text.indexOf(",", start);
        Files.writeString(r, text.substring(0, start) + "42.0" + text.substring(end));
        assertThat(verify("activation_tanh", r)).isEqualTo(1);
        assertThat(out).contains("earliest failing stage: forward");
    }

    @Test
    void verify_frozenLayerGivenGradient_fails() throws Exception {
        Path r = result("freeze_bottom");
        String text = Files.readString(r);
        assertThat(text).contains("\"dW\": [\n      null,");
        Files.writeString(r, text.replace("\"dW\": [\n      null,", "\"dW\": [\n      [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],"));
        assertThat(verify("freeze_bottom", r)).isEqualTo(1);
        assertThat(out).contains("backward.dW[0]", "expected null (a frozen layer has no gradient), found an array");
    }

    @Test
    void malformedVectorFiles_clearErrors() throws Exception {
        Path v = dir.resolve("v.json");
        String good = Files.readString(COMMITTED.resolve("bce_sum.json"));
        Files.writeString(v, good.replace("\"plainnet-vector\"", "\"plainnet-model\""));
        assertThat(run("compute", "--vector", v.toString())).isEqualTo(2);
        assertThat(err).contains("v.json: field format: expected \"plainnet-vector\", found \"plainnet-model\"");
        Files.writeString(v, good.replace("\"x\": [\n    [", "\"x\": [\n    [1.0, "));
        assertThat(run("compute", "--vector", v.toString())).isEqualTo(2);
        assertThat(err).contains("field x[0]: expected 4 numbers, found 5");
        Files.writeString(v, good.substring(0, 100));
        assertThat(run("compute", "--vector", v.toString())).isEqualTo(2);
        assertThat(err).contains("v.json:");
        assertThat(run("verify", "--vector", v.toString(), "--result", dir.resolve("none.json").toString())).isEqualTo(2);
        assertThat(run("verify", "--vector", COMMITTED.resolve("bce_sum.json").toString(), "--result", dir.resolve("none.json").toString())).isEqualTo(2);
        assertThat(err).contains("none.json: expected a JSON file, found no such file");
    }

    /**
     * A seed is an integer s with |s| < 2^53 (SPEC.md 22.1), so that the seed read is the seed
     * written: 2^53 itself is refused by the range, 2^53 + 1 (which a double cannot hold; it would
     * read as 2^53) by the JSON reader, 7.5 as not whole; 2^53 − 1 and 7.0 are accepted.
     */
    @Test
    void compute_seedOutsideRangeOrNotInteger_exitTwoNamingFileAndField() throws Exception {
        Path v = dir.resolve("generator.json");
        String good = Files.readString(COMMITTED.resolve("generator.json"));
        assertThat(good).contains("\"seeds\": [7, 0, 1, 42]");
        String[][] bad = {
            {"9007199254740992", "generator.json: field seeds: expected integers s with |s| < 2^53 = 9007199254740992, found 9007199254740992 at index 1"},
            {"-9007199254740992", "generator.json: field seeds: expected integers s with |s| < 2^53 = 9007199254740992, found -9007199254740992 at index 1"},
            {"1e300", "generator.json: field seeds: expected integers s with |s| < 2^53"},
            {"7.5", "generator.json: field seeds: expected integers s with |s| < 2^53 = 9007199254740992, found 7.5 at index 1"},
            {"9007199254740993", "generator.json:10:16: expected a number that a double holds exactly (whole numbers up to 2^53 = 9007199254740992), found 9007199254740993, which would read as 9007199254740992"},
            {"\"0\"", "generator.json: field seeds[1]: expected a number, found the string \"0\""},
        };
        for (String[] c : bad) {
            Files.writeString(v, good.replace("\"seeds\": [7, 0, 1, 42]", "\"seeds\": [7, " + c[0] + ", 1, 42]"));
            assertThat(run("compute", "--vector", v.toString())).as(c[0]).isEqualTo(2);
            assertThat(err).as(c[0]).contains(c[1]).doesNotContain("Exception").doesNotContain("\tat ");
        }
        for (String ok : new String[] {"9007199254740991", "-9007199254740991", "7.0", "0"}) {
            Files.writeString(v, good.replace("\"seeds\": [7, 0, 1, 42]", "\"seeds\": [7, " + ok + ", 1, 42]"));
            assertThat(run("compute", "--vector", v.toString())).as(ok + ": " + err).isZero();
        }
    }

    /**
     * A softmax row in a vector file is what the loss accepts (SPEC.md 8.2, 22.1): labels in [0, 1]
     * summing to 1 (one-hot or soft), or all null. A soft row [0.25, 0, 0.75, 0] is read and changes
     * the loss; a row summing to 1.1 and a partly null row are refused with exit 2.
     */
    @Test
    void compute_softmaxRows_softAcceptedNonSummingAndPartlyNullRefused() throws Exception {
        Path v = dir.resolve("softmax_sum.json");
        String good = Files.readString(COMMITTED.resolve("softmax_sum.json"));
        String row = "    [1.0, 0.0, 0.0, 0.0],\n";
        assertThat(good).contains(row);
        assertThat(run("compute", "--vector", COMMITTED.resolve("softmax_sum.json").toString())).isZero();
        String oneHot = out;
        Files.writeString(v, good.replace(row, "    [0.25, 0.0, 0.75, 0.0],\n"));
        assertThat(run("compute", "--vector", v.toString())).as(err).isZero();
        assertThat(out).isNotEqualTo(oneHot).contains("\"loss\"");
        Files.writeString(v, good.replace(row, "    [0.5, 0.0, 0.6, 0.0],\n"));
        assertThat(run("compute", "--vector", v.toString())).isEqualTo(2);
        assertThat(err).contains("softmax_sum.json: field y: ").contains("summing to 1").contains("1.1").doesNotContain("\tat ");
        Files.writeString(v, good.replace(row, "    [1.0, null, 0.0, 0.0],\n"));
        assertThat(run("compute", "--vector", v.toString())).isEqualTo(2);
        assertThat(err).contains("softmax_sum.json: field y: ").contains("mixed row").doesNotContain("\tat ");
    }

    /** Every optimizer key of SPEC.md 22.1 is required: none has a default in a vector file. */
    @Test
    void compute_optimizerKeyMissing_exitTwoNamingTheKey() throws Exception {
        Path v = dir.resolve("optimizer_momentum.json");
        String good = Files.readString(COMMITTED.resolve("optimizer_momentum.json"));
        for (String line : new String[] {"    \"momentum\": 0.9,\n", "    \"weight_decay\": 0.0,\n", "    \"decoupled\": false,\n"}) {
            assertThat(good).contains(line);
            Files.writeString(v, good.replace(line, ""));
            String key = line.substring(5, line.indexOf("\"", 5));
            assertThat(run("compute", "--vector", v.toString())).as(key).isEqualTo(2);
            assertThat(err).contains("optimizer_momentum.json: expected a field optimizer." + key + ", found none");
        }
    }

    /**
     * An invariant of the expected values alone: for an identity output layer that is trainable,
     * db of the top layer is Σₙ dout (z = a there, and ∂z_no/∂b_o = 1). It caught a vector writer
     * that stored the dout buffer by reference and let the optimizer steps overwrite it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void committedVectors_topBiasGradientIsTheSumOfDout() throws Exception {
        int checked = 0;
        for (String name : names(COMMITTED)) {
            java.util.Map<String, Object> v = (java.util.Map<String, Object>) plainnet.io.Json.parse(Files.readString(COMMITTED.resolve(name)), name);
            if (!v.containsKey("layers") && !v.containsKey("trunk")) continue;
            java.util.Map<String, Object> backward = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) v.get("expected")).get("backward");
            List<java.util.Map<String, Object>> groups = (List<java.util.Map<String, Object>>) v.get("groups");
            if (v.containsKey("trunk")) {
                // a task case: each tower's top layer against its group's columns of dout
                for (java.util.Map<String, Object> g : groups) {
                    String group = (String) g.get("name");
                    java.util.Map<String, Object> grads = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) backward.get("towers")).get(group);
                    if (topBiasIsSumOfDout(name + " tower " + group, (List<Object>) g.get("tower"), (List<List<Double>>) ((java.util.Map<String, Object>) backward.get("dout")).get(group), (List<Object>) grads.get("db"))) checked++;
                }
                continue;
            }
            List<List<Double>> dout;
            if (groups == null) {
                dout = (List<List<Double>>) backward.get("dout");
            } else {
                // output groups: the groups' columns side by side are the whole dout
                dout = new java.util.ArrayList<List<Double>>();
                java.util.Map<String, Object> byGroup = (java.util.Map<String, Object>) backward.get("dout");
                for (java.util.Map<String, Object> g : groups) {
                    List<List<Double>> dg = (List<List<Double>>) byGroup.get((String) g.get("name"));
                    for (int n = 0; n < dg.size(); n++) {
                        if (dout.size() <= n) dout.add(new java.util.ArrayList<Double>());
                        dout.get(n).addAll(dg.get(n));
                    }
                }
            }
            if (topBiasIsSumOfDout(name, (List<Object>) v.get("layers"), dout, (List<Object>) backward.get("db"))) checked++;
        }
        assertThat(checked).isGreaterThan(29);
    }

    /** Checks db of the top layer against the column sums of dout when that layer is identity and trainable; returns whether it did. */
    @SuppressWarnings("unchecked")
    private static boolean topBiasIsSumOfDout(String what, List<Object> layers, List<List<Double>> dout, List<Object> db) {
        java.util.Map<String, Object> top = (java.util.Map<String, Object>) layers.get(layers.size() - 1);
        if (!top.get("activation").equals("identity") || !(Boolean) top.get("trainable")) return false;
        List<Double> dbTop = (List<Double>) db.get(db.size() - 1);
        assertThat(dbTop).as(what).hasSize(dout.get(0).size());
        for (int k = 0; k < dbTop.size(); k++) {
            double sum = 0.0;
            for (List<Double> row : dout) sum += row.get(k);
            assertThat(Math.abs(sum - dbTop.get(k))).as(what + " db[top][" + k + "]").isLessThan(1e-12 + 1e-9 * Math.abs(sum));
        }
        return true;
    }

    @Test
    void verify_stringForNumberOrWrongResultHeader_malformed() throws Exception {
        Path r = result("bce_sum");
        String text = Files.readString(r);
        int loss = text.indexOf("\"loss\": ") + 8;
        int end = text.indexOf(",", loss);
        Files.writeString(r, text.substring(0, loss) + "\"" + text.substring(loss, end) + "\"" + text.substring(end));
        assertThat(verify("bce_sum", r)).isEqualTo(2);
        assertThat(err).contains("result loss: expected a number, found \"");
        Files.writeString(r, text.replace("\"plainnet-result\"", "\"other\""));
        assertThat(verify("bce_sum", r)).isEqualTo(2);
        assertThat(err).contains("result format: expected \"plainnet-result\", found \"other\"");
    }

    @Test
    void verify_vectorThatComparesNothingOrIsMisnamed_malformed() throws Exception {
        Path v = dir.resolve("bce_sum.json");
        String good = Files.readString(COMMITTED.resolve("bce_sum.json"));
        int e = good.indexOf("\"expected\": ");
        Files.writeString(v, good.substring(0, e) + "\"expected\": {}\n}\n");
        Path r = result("bce_sum");
        assertThat(run("verify", "--vector", v.toString(), "--result", r.toString())).isEqualTo(2);
        assertThat(err).contains("field expected: expected the keys [forward, loss, backward], found []");
        Path w = dir.resolve("renamed.json");
        Files.writeString(w, good);
        assertThat(run("verify", "--vector", w.toString(), "--result", r.toString())).isEqualTo(2);
        assertThat(err).contains("field name: expected \"renamed\" (the file name), found \"bce_sum\"");
    }

    @Test
    void verify_folderWithOneMalformedResult_checksTheRestAndCounts() throws Exception {
        Path results = dir.resolve("results");
        assertThat(run("compute", "--vector", COMMITTED.toString(), "--out", results.toString())).isZero();
        Files.delete(results.resolve("mse_sum.json"));
        assertThat(run("verify", "--vector", COMMITTED.toString(), "--result", results.toString())).isEqualTo(2);
        assertThat(out).contains("MALFORMED mse_sum.json", "PASS wide_shallow").endsWith("43 passed, 1 failed (1 malformed)\n");
    }

    @Test
    void verify_perLayerArrays_namedByLayerEvenWhenShapesAgree() throws Exception {
        assertThat(verify("softmax_extreme_logits", result("softmax_extreme_logits"))).isZero();
        assertThat(out).contains("backward.db[0]", "forward.z[0]");
    }

    @Test
    void verify_resultThatIsNotUtf8_malformed() throws Exception {
        Path r = result("bce_sum");
        byte[] bytes = Files.readAllBytes(r);
        bytes[bytes.length - 3] = (byte) 0xff;
        Files.write(r, bytes);
        assertThat(verify("bce_sum", r)).isEqualTo(2);
        assertThat(err).contains("expected UTF-8 text, found the byte 0xff, which is not UTF-8 here");
    }
}
