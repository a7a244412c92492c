package plainnet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.cli.Main;
import plainnet.io.Fields;
import plainnet.io.FormatException;
import plainnet.io.Json;

/**
 * The vectors of output groups and task towers (SPEC.md §22, §27): a perturbed result fails naming
 * the group and the tower layer; the expected values agree with finite differences of the
 * vector's own loss and with the invariants of §27 (an unlabeled group adds exactly nothing,
 * frozen old tasks keep their outputs); a bad "groups" field is refused naming it. The numpy
 * example (NumpyExampleTest) computes the same vectors from its own code.
 */
class TaskVectorsTest {

    private static final Path DIR = Path.of("test-data/vectors");
    private static final String MIXED = "groups_mixed_masks", TOWERS = "towers_forward_backward", ADD = "towers_frozen_trunk_add_task",
        UNLABELED = "groups_all_unlabeled";

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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> vector(String name) throws Exception {
        return (Map<String, Object>) Json.parse(Files.readString(DIR.resolve(name + ".json")), name + ".json");
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object root, Object... path) {
        Object v = root;
        for (Object key : path) v = key instanceof Integer ? ((List<Object>) v).get((Integer) key) : ((Map<String, Object>) v).get(key);
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<List<Double>> matrix(Object root, Object... path) {
        return (List<List<Double>>) at(root, path);
    }

    private static Case parse(Object vector) throws FormatException {
        return Case.parse(Fields.root(vector, "v.json"));
    }

    // ----------------------------------------------------------------------------------------
    // verify names the group and the tower layer

    /** The result of compute with the entry [row][col] of the array at path (in the result) replaced by value. */
    @SuppressWarnings("unchecked")
    private Path perturbed(String name, double value, Object... path) throws Exception {
        Path r = dir.resolve(name + ".json");
        assertThat(run("compute", "--vector", DIR.resolve(name + ".json").toString(), "--out", r.toString())).as(err).isZero();
        Map<String, Object> result = (Map<String, Object>) Json.parse(Files.readString(r), "r");
        Object[] parent = java.util.Arrays.copyOf(path, path.length - 1);
        Object last = path[path.length - 1];
        Object container = at(result, parent);
        if (container instanceof Map) ((Map<String, Object>) container).put((String) last, value);
        else ((List<Object>) container).set((Integer) last, value);
        Files.writeString(r, Json.write(result));
        return r;
    }

    private int verify(String name, Path result) {
        return run("verify", DIR.resolve(name + ".json").toString(), result.toString());
    }

    @Test
    void verify_perturbedGroupOutput_failsNamingTheGroup() throws Exception {
        Path r = perturbed(MIXED, 0.5, "backward", "dout", "attrs", 2, 1);
        assertThat(verify(MIXED, r)).isEqualTo(1);
        assertThat(out).containsPattern("backward\\.dout\\.attrs +max abs .* FAIL")
            .contains("first difference at [2][1]", "FAIL groups_mixed_masks: earliest failing stage: backward")
            .containsPattern("backward\\.dout\\.kind +max abs .* PASS");

        r = perturbed(MIXED, 0.25, "group_losses", "size");
        assertThat(verify(MIXED, r)).isEqualTo(1);
        assertThat(out).containsPattern("group_losses\\.size +max abs .* FAIL").contains("earliest failing stage: group_losses");
    }

    @Test
    void verify_perturbedTowerGradient_failsNamingTheGroupAndTowerLayer() throws Exception {
        Path r = perturbed(TOWERS, 0.123456, "backward", "towers", "size", "dW", 1, 0, 2);
        assertThat(verify(TOWERS, r)).isEqualTo(1);
        assertThat(out).containsPattern("backward\\.towers\\.size\\.dW\\[1\\] +max abs .* FAIL")
            .contains("first difference at [0][2]", "found 0.123456", "earliest failing stage: backward")
            .containsPattern("backward\\.towers\\.size\\.dW\\[0\\] +max abs .* PASS");

        r = perturbed(TOWERS, 0.5, "backward", "dh", 1, 3);
        assertThat(verify(TOWERS, r)).isEqualTo(1);
        assertThat(out).containsPattern("backward\\.dh +max abs .* FAIL");

        r = perturbed(ADD, 0.5, "update", "outputs", "old_mse", 0, 0);
        assertThat(verify(ADD, r)).isEqualTo(1);
        assertThat(out).containsPattern("update\\.outputs\\.old_mse +max abs .* FAIL").contains("earliest failing stage: update");

        r = perturbed(TOWERS, 0.5, "forward", "towers", "kind", "a", 0, 1, 1);
        assertThat(verify(TOWERS, r)).isEqualTo(1);
        assertThat(out).containsPattern("forward\\.towers\\.kind\\.a\\[0\\] +max abs .* FAIL").contains("earliest failing stage: forward");
    }

    /**
     * A group without labels adds exactly nothing (SPEC.md §27.1), so its loss, dout and tower
     * gradients must be exactly 0 (§22.3): 1e−13 there fails naming the group, although it is far
     * inside abs = 1e−12; the same 1e−13 on a labeled group's dout passes; −0.0 passes; and the
     * vector's own expected section, written as a result, passes.
     */
    @Test
    @SuppressWarnings("unchecked")
    void verify_unlabeledGroupArrays_mustBeExactlyZero() throws Exception {
        assertThat(parse(vector(UNLABELED)).unlabeledGroups()).containsExactly("b");
        assertThat(parse(vector(ADD)).unlabeledGroups()).containsExactly("old_bce", "old_mse");
        assertThat(parse(vector(MIXED)).unlabeledGroups()).isEmpty();

        // the expected section as a result: passes, the exact arrays marked
        Map<String, Object> v = vector(UNLABELED);
        Map<String, Object> result = new java.util.LinkedHashMap<String, Object>();
        result.put("format", "plainnet-result");
        result.put("version", 1.0);
        result.put("vector", UNLABELED);
        result.putAll((Map<String, Object>) v.get("expected"));
        Path r = dir.resolve("expected.json");
        Files.writeString(r, Json.write(result));
        assertThat(verify(UNLABELED, r)).as(out + err).isZero();
        assertThat(out).containsPattern("group_losses\\.b +max abs .* PASS  \\(exactly 0: group b has no label\\)")
            .containsPattern("backward\\.dout\\.b +max abs .* PASS  \\(exactly 0: group b has no label\\)")
            .containsPattern("backward\\.towers\\.b\\.dW\\[1\\] +max abs .* PASS  \\(exactly 0: group b has no label\\)")
            .containsPattern("backward\\.dout\\.a +max abs .* PASS\n");

        // 1e-13 in each exact array fails, naming the group
        Object[][] paths = {{"group_losses", "b"}, {"backward", "dout", "b", 2, 1}, {"backward", "towers", "b", "dW", 1, 0, 2}, {"backward", "towers", "b", "db", 0, 1}};
        String[] names = {"group_losses.b", "backward.dout.b", "backward.towers.b.dW[1]", "backward.towers.b.db[0]"};
        for (int j = 0; j < paths.length; j++) {
            r = perturbed(UNLABELED, 1e-13, paths[j]);
            assertThat(verify(UNLABELED, r)).as(names[j] + "\n" + out).isEqualTo(1);
            assertThat(out).as(names[j]).containsPattern(java.util.regex.Pattern.quote(names[j]) + " +max abs 1\\.000e-13 .* FAIL  \\(exactly 0: group b has no label\\)")
                .contains("expected 0.0 exactly (group b has no label in the batch, so it adds exactly nothing: SPEC.md 27.1), found 1.0E-13")
                .contains("earliest failing stage: " + paths[j][0]);
        }
        // the old tasks of the frozen-trunk vector: no labels, so their dout is exact too
        r = perturbed(ADD, -1e-13, "backward", "dout", "old_mse", 0, 0);
        assertThat(verify(ADD, r)).isEqualTo(1);
        assertThat(out).contains("expected 0.0 exactly (group old_mse has no label in the batch");
        // a labeled group keeps the tolerance; a masked implementation's -0.0 is 0
        r = perturbed(UNLABELED, (Double) at(v, "expected", "backward", "dout", "a", 0, 0) + 1e-13, "backward", "dout", "a", 0, 0);
        assertThat(verify(UNLABELED, r)).as(out).isZero();
        r = perturbed(UNLABELED, -0.0, "backward", "dout", "b", 2, 1);
        assertThat(Files.readString(r)).contains("-0.0");
        assertThat(verify(UNLABELED, r)).as(out).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void verify_groupOrTowerMissingInResult_malformedNamingIt() throws Exception {
        Path r = dir.resolve("r.json");
        assertThat(run("compute", DIR.resolve(TOWERS + ".json").toString(), "--out", r.toString())).isZero();
        Map<String, Object> result = (Map<String, Object>) Json.parse(Files.readString(r), "r");
        ((Map<String, Object>) at(result, "backward", "towers")).remove("attrs");
        Files.writeString(r, Json.write(result));
        assertThat(verify(TOWERS, r)).isEqualTo(2);
        assertThat(err).contains("result backward.towers.attrs: expected a key \"attrs\", found none");
    }

    // ----------------------------------------------------------------------------------------
    // the expected values against finite differences of the vector's loss

    /** J of the vector with the number at path moved by h (plainnet's loss of the inputs, not the expected values). */
    @SuppressWarnings("unchecked")
    private static double lossAt(String name, double h, Object... path) throws Exception {
        Map<String, Object> v = vector(name);
        List<Object> row = (List<Object>) at(v, java.util.Arrays.copyOf(path, path.length - 1));
        int j = (Integer) path[path.length - 1];
        row.set(j, (Double) row.get(j) + h);
        return (Double) Compute.run(parse(v)).get("loss");
    }

    /** Central differences of J for every entry of the matrix (or vector) at inputPath, against the expected gradient at gradPath. */
    private static int checkGradient(String name, Object[] inputPath, Object[] gradPath) throws Exception {
        Map<String, Object> v = vector(name);
        Object grad = at(v, gradPath);
        Object input = at(v, inputPath);
        assertThat(grad).as(name + " " + java.util.Arrays.toString(gradPath)).isNotNull();
        int checked = 0;
        double eps = 1e-6;
        List<?> rows = (List<?>) input;
        boolean isMatrix = rows.get(0) instanceof List;
        for (int r = 0; r < rows.size(); r++) {
            int cols = isMatrix ? ((List<?>) rows.get(r)).size() : 1;
            for (int c = 0; c < cols; c++) {
                Object[] p = isMatrix ? append(inputPath, r, c) : append(inputPath, r);
                double fd = (lossAt(name, eps, p) - lossAt(name, -eps, p)) / (2 * eps);
                double expected = isMatrix ? (Double) at(grad, r, c) : (Double) at(grad, r);
                assertThat(Math.abs(fd - expected)).as(name + " " + java.util.Arrays.toString(gradPath) + " at " + r + "," + c + ": fd " + fd + " expected " + expected)
                    .isLessThan(1e-7 * Math.max(1.0, Math.abs(expected)));
                checked++;
            }
        }
        return checked;
    }

    private static Object[] append(Object[] a, Object... more) {
        Object[] r = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, r, a.length, more.length);
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void expectedGradients_agreeWithFiniteDifferencesOfTheLoss() throws Exception {
        int checked = 0;
        // output groups on one chain: every dW, db and dx
        for (int l = 0; l < 2; l++) {
            checked += checkGradient(MIXED, new Object[] {"layers", l, "W"}, new Object[] {"expected", "backward", "dW", l});
            checked += checkGradient(MIXED, new Object[] {"layers", l, "b"}, new Object[] {"expected", "backward", "db", l});
        }
        checked += checkGradient(MIXED, new Object[] {"x"}, new Object[] {"expected", "backward", "dx"});
        // towers: every layer of the trunk and of every tower, and dx
        for (String name : new String[] {TOWERS, UNLABELED, ADD}) {
            Map<String, Object> v = vector(name);
            List<Object> trunk = (List<Object>) v.get("trunk");
            for (int l = 0; l < trunk.size(); l++) {
                if (!(Boolean) at(trunk, l, "trainable")) continue;
                checked += checkGradient(name, new Object[] {"trunk", l, "W"}, new Object[] {"expected", "backward", "trunk", "dW", l});
                checked += checkGradient(name, new Object[] {"trunk", l, "b"}, new Object[] {"expected", "backward", "trunk", "db", l});
            }
            List<Object> groups = (List<Object>) v.get("groups");
            for (int g = 0; g < groups.size(); g++) {
                String group = (String) at(groups, g, "name");
                List<Object> tower = (List<Object>) at(groups, g, "tower");
                for (int l = 0; l < tower.size(); l++) {
                    if (!(Boolean) at(tower, l, "trainable")) continue;
                    checked += checkGradient(name, new Object[] {"groups", g, "tower", l, "W"}, new Object[] {"expected", "backward", "towers", group, "dW", l});
                    checked += checkGradient(name, new Object[] {"groups", g, "tower", l, "b"}, new Object[] {"expected", "backward", "towers", group, "db", l});
                }
            }
            checked += checkGradient(name, new Object[] {"x"}, new Object[] {"expected", "backward", "dx"});
        }
        assertThat(checked).isGreaterThan(300);
    }

    /** J = Σ_g w_g·J_g with the file's own weights and group losses; frozen layers have null gradients. */
    @Test
    @SuppressWarnings("unchecked")
    void expectedLoss_isTheWeightedSumOfTheGroupLosses() throws Exception {
        for (String name : new String[] {MIXED, TOWERS, ADD, UNLABELED}) {
            Map<String, Object> v = vector(name);
            double J = 0.0;
            for (Object g : (List<Object>) v.get("groups")) J += (Double) at(g, "weight") * (Double) at(v, "expected", "group_losses", at(g, "name"));
            assertThat((Double) at(v, "expected", "loss")).as(name).isCloseTo(J, org.assertj.core.data.Offset.offset(1e-15));
        }
    }

    // ----------------------------------------------------------------------------------------
    // the invariants of SPEC.md §27

    /**
     * groups_all_unlabeled: J_b = +0.0, b's dout columns and its tower's dW, db are exactly 0,
     * and J, dh, the trunk's gradients and dx are, bit for bit, those of the same vector without
     * group b (its group and its y columns removed).
     */
    @Test
    @SuppressWarnings("unchecked")
    void allUnlabeledGroup_addsExactlyNothing() throws Exception {
        Map<String, Object> v = vector(UNLABELED);
        assertThat(Double.doubleToRawLongBits((Double) at(v, "expected", "group_losses", "b"))).isZero();
        for (List<Double> row : matrix(v, "expected", "backward", "dout", "b")) for (double d : row) assertThat(Double.doubleToRawLongBits(d)).isZero();
        for (Object part : new String[] {"dW", "db"}) {
            for (Object layer : (List<Object>) at(v, "expected", "backward", "towers", "b", part)) {
                String flat = layer.toString();
                assertThat(flat.replaceAll("[\\[\\], ]+", " ").trim().split(" ")).allMatch(s -> s.equals("0.0"));
            }
        }
        // the same vector without group b: groups a and c, y columns 0, 1 and 5
        Map<String, Object> w = vector(UNLABELED);
        ((List<Object>) w.get("groups")).remove(1);
        for (Object row : (List<Object>) w.get("y")) {
            List<Object> r = (List<Object>) row;
            r.subList(2, 5).clear();
        }
        Map<String, Object> without = Compute.run(parse(w));
        Map<String, Object> with = Compute.run(parse(v));
        assertThat(with.get("loss")).isEqualTo(without.get("loss"));
        Map<String, Object> bw = (Map<String, Object>) with.get("backward"), bo = (Map<String, Object>) without.get("backward");
        assertThat((double[][]) bw.get("dh")).isDeepEqualTo((double[][]) bo.get("dh"));
        assertThat((double[][]) bw.get("dx")).isDeepEqualTo((double[][]) bo.get("dx"));
        assertThat((double[][]) ((List<Object>) at(bw, "trunk", "dW")).get(0)).isDeepEqualTo((double[][]) ((List<Object>) at(bo, "trunk", "dW")).get(0));
        assertThat((double[]) ((List<Object>) at(bw, "trunk", "db")).get(0)).isEqualTo(((List<Object>) at(bo, "trunk", "db")).get(0));
        // and the committed expected values are these (within the vector's tolerance)
        assertThat((Double) at(v, "expected", "loss")).isEqualTo((Double) without.get("loss"));
    }

    /**
     * towers_frozen_trunk_add_task: the frozen trunk and old towers have null gradients and keep
     * their W, b through the 3 steps, the old groups (unlabeled) have J_g = 0 and zero dout, and
     * the old tasks' outputs after the steps are their forward outputs, bit for bit; the new
     * tower's weights moved.
     */
    @Test
    @SuppressWarnings("unchecked")
    void frozenTrunkNewTask_oldOutputsUnchanged() throws Exception {
        Map<String, Object> v = vector(ADD);
        assertThat((List<Object>) at(v, "expected", "backward", "trunk", "dW")).containsOnlyNulls();
        for (String old : new String[] {"old_bce", "old_mse"}) {
            assertThat((List<Object>) at(v, "expected", "backward", "towers", old, "dW")).containsOnlyNulls();
            assertThat((Double) at(v, "expected", "group_losses", old)).isEqualTo(0.0);
            List<Object> a = (List<Object>) at(v, "expected", "forward", "towers", old, "a");
            assertThat(matrix(v, "expected", "update", "outputs", old)).as(old).isEqualTo(a.get(a.size() - 1));
        }
        assertThat(at(v, "expected", "update", "trunk", "W")).isEqualTo(((List<Object>) v.get("trunk")).stream().map(l -> at(l, "W")).toList());
        List<Object> groups = (List<Object>) v.get("groups");
        assertThat(at(groups, 2, "name")).isEqualTo("new");
        assertThat(at(v, "expected", "update", "towers", "new", "W", 0)).isNotEqualTo(at(groups, 2, "tower", 0, "W"));
        List<Object> a = (List<Object>) at(v, "expected", "forward", "towers", "new", "a");
        assertThat(matrix(v, "expected", "update", "outputs", "new")).isNotEqualTo(a.get(a.size() - 1));
    }

    /**
     * TaskNetwork.trunkGradient, which compute reports as backward.dh: the sum over the towers of
     * each tower's own input gradient (each tower run alone as a network, backwardToInput), and
     * refused when the last forward had no backward that reached the trunk.
     */
    @Test
    void trunkGradient_isTheSumOfTheTowersInputGradients_andOnlyAfterABackwardToTheTrunk() throws Exception {
        Case c = parse(vector(TOWERS));
        plainnet.TaskNetwork net = c.taskNet.copy();
        double[][] z = net.forward(c.x);
        double[][] dout = new double[z.length][z[0].length]; // (N, K)
        c.loss.backward(dout, z, c.t);
        assertThatThrownBy(net::trunkGradient).isInstanceOf(IllegalStateException.class).hasMessageContaining("trunkGradient: expected a backward");
        net.zeroGrad();
        net.backwardToInput(dout);
        double[][] dh = net.trunkGradient(); // (N, H)
        double[][] h = net.trunk().activation(net.trunk().size() - 1); // (N, H)
        double[][] sum = new double[h.length][h[0].length]; // (N, H)
        int c0 = 0;
        for (int g = 0; g < net.groupCount(); g++) {
            plainnet.Network tower = net.tower(g).copy();
            int K = net.group(g).K;
            double[][] dz = new double[z.length][K]; // (N, K_g)
            for (int n = 0; n < z.length; n++) System.arraycopy(dout[n], c0, dz[n], 0, K);
            tower.forward(h);
            double[][] dxg = tower.backwardToInput(dz); // (N, H)
            for (int n = 0; n < h.length; n++) for (int i = 0; i < h[0].length; i++) sum[n][i] += dxg[n][i];
            c0 += K;
        }
        for (int n = 0; n < h.length; n++) for (int i = 0; i < h[0].length; i++) assertThat(dh[n][i]).isCloseTo(sum[n][i], org.assertj.core.data.Offset.offset(1e-15));
        net.forward(c.x);
        assertThatThrownBy(net::trunkGradient).isInstanceOf(IllegalStateException.class);
        // a frozen trunk: backward stops in the towers and computes no dh
        net.trunk().freeze(0, net.trunk().size());
        net.forward(c.x);
        net.backward(dout);
        assertThatThrownBy(net::trunkGradient).isInstanceOf(IllegalStateException.class);
    }

    // ----------------------------------------------------------------------------------------
    // the "groups" field: errors name it

    @SuppressWarnings("unchecked")
    private static void refused(String name, java.util.function.Consumer<Map<String, Object>> change, String message) throws Exception {
        Map<String, Object> v = vector(name);
        change.accept(v);
        assertThatThrownBy(() -> parse(v)).as(message).isInstanceOf(FormatException.class).hasMessageContaining(message);
    }

    /**
     * A tower vector in the words of the files before the model file's version 2 ("layers" for the
     * trunk and for each tower) is refused, naming the words expected: "tower" and "trunk".
     */
    @Test
    @SuppressWarnings("unchecked")
    void towerVectorWithOldKeyLayers_refusedNamingTowerAndTrunk() throws Exception {
        String message = "field groups[0].layers: expected a group's tower as \"tower\" and the trunk as \"trunk\" (the model file's words, SPEC.md 16.1, 22.1), found \"layers\"";
        Map<String, Object> v = vector(TOWERS);
        v.put("layers", v.remove("trunk"));
        for (Object g : (List<Object>) v.get("groups")) ((Map<String, Object>) g).put("layers", ((Map<String, Object>) g).remove("tower"));
        assertThatThrownBy(() -> parse(v)).isInstanceOf(FormatException.class).hasMessage("v.json: " + message);
        // only the towers in the old word: the same message
        Map<String, Object> w = vector(TOWERS);
        for (Object g : (List<Object>) w.get("groups")) ((Map<String, Object>) g).put("layers", ((Map<String, Object>) g).remove("tower"));
        assertThatThrownBy(() -> parse(w)).isInstanceOf(FormatException.class).hasMessage("v.json: " + message);
        // on the command line: verify and compute exit 2 with the file named, and write nothing
        Path old = dir.resolve(TOWERS + ".json"), r = dir.resolve("r.json");
        Files.writeString(old, Json.write(v));
        assertThat(run("verify", old.toString(), old.toString())).isEqualTo(2);
        assertThat(err).contains(old + ": " + message).doesNotContain("Exception");
        assertThat(run("compute", "--vector", old.toString(), "--out", r.toString())).isEqualTo(2);
        assertThat(err).contains(old + ": " + message);
        assertThat(r).doesNotExist();
    }

    @Test
    @SuppressWarnings("unchecked")
    void badGroups_refusedNamingTheField() throws Exception {
        refused(MIXED, v -> ((Map<String, Object>) at(v, "groups", 2)).put("outputs", 3.0),
            "v.json: field groups: expected outputs summing to 7 (the last layer's outputs), found 8");
        refused(MIXED, v -> ((Map<String, Object>) at(v, "groups", 1)).put("name", "kind"),
            "field groups[1].name: expected a name no other group has, found \"kind\" again");
        refused(MIXED, v -> ((Map<String, Object>) at(v, "groups", 0)).put("name", "a.b"),
            "field groups[0].name: expected letters, digits, _ and - only, found \"a.b\"");
        refused(MIXED, v -> ((Map<String, Object>) at(v, "groups", 2)).put("weight", -1.0),
            "field groups[2].weight: expected a finite number >= 0, found -1.0");
        refused(MIXED, v -> v.put("loss", at(v, "groups", 0, "loss")),
            "field loss: expected no loss beside \"groups\" (each group has its own), found one");
        refused(MIXED, v -> ((Map<String, Object>) at(v, "groups", 1, "loss")).put("pos_weight", new ArrayList<Object>(List.of(1.0, 1.0, 1.0))),
            "groups[1].loss.pos_weight");
        refused(TOWERS, v -> ((Map<String, Object>) at(v, "groups", 1)).put("tower", new ArrayList<Object>(List.of(at(v, "trunk", 1)))), // 5 -> 4
            "v.json: field groups[1].tower[0].inputs: expected 4 (the outputs of the trunk), found 5");
        refused(TOWERS, v -> ((Map<String, Object>) at(v, "groups", 2)).remove("tower"),
            "v.json: field groups[2].tower: expected a tower (\"tower\") in every group of a case with a \"trunk\", found none");
        refused(TOWERS, v -> v.put("layers", at(v, "trunk")), "v.json: field layers: expected \"trunk\" (task towers) or \"layers\" (one chain), not both, found both");
        refused(TOWERS, v -> v.remove("groups"), "v.json: field groups: expected the groups and their towers beside \"trunk\", found none");
        refused(MIXED, v -> ((Map<String, Object>) at(v, "groups", 0)).put("tower", at(v, "layers")),
            "v.json: field layers: expected \"trunk\" in a case with towers (groups[0].tower is a tower), found \"layers\"");
        refused(TOWERS, v -> ((Map<String, Object>) at(v, "optimizer")).put("lr_decay", 2.0),
            "field optimizer.lr_decay: expected none in a case with towers");
        // a label the group's loss refuses: the group is named
        refused(TOWERS, v -> ((List<Object>) at(v, "y", 0)).set(3, 2.0), "field y: group attrs");
    }
}
