package plainnet.verify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import plainnet.Group;
import plainnet.GroupedLoss;
import plainnet.Loss;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Targets;
import plainnet.TaskNetwork;
import plainnet.io.Fields;
import plainnet.io.FormatException;
import plainnet.io.Json;
import plainnet.io.ModelFile;

/**
 * The inputs of one test vector: a network case (layers, X, Y with nulls, a loss or output groups,
 * and for optimizer cases an optimizer and a step count), a task case (a trunk and one tower per
 * group, SPEC.md §27) or a generator case (seeds). See SPEC.md §22, "Test vectors", and §22.1 for
 * the file.
 */
public final class Case {

    /** The value of a vector file's "format" field. */
    public static final String FORMAT = "plainnet-vector";
    /** The value of a vector file's "version" field: the version of the file format (SPEC.md §22.1). */
    public static final int VERSION = 1;

    /** The vector's name, also its file name without ".json", e.g. {@code bce_per_example}. */
    public final String name;
    /** One line saying what the vector exercises. */
    public final String description;
    /** Network case: the network (I inputs, K outputs); else null. */
    public final Network net;
    /** Task case: the trunk and the towers (I inputs, K outputs); else null. */
    public final TaskNetwork taskNet;
    /** Network or task case: the inputs x (N, I); else null. */
    public final double[][] x;
    /** Network or task case: the targets (N, K), unlabeled entries null in the file; else null. */
    public final Targets t;
    /** Network or task case: the loss, a {@link GroupedLoss} when the file has "groups"; else null. */
    public final Loss loss;
    /** Optimizer case: the optimizer, with fresh state; else null. */
    public final Optimizer opt;
    /** Optimizer case: the number of optimizer steps; else 0. */
    public final int steps;
    /** Generator case: the seeds; else null. */
    public final long[] seeds;
    /** The verifier's absolute tolerance: an entry passes when |result − expected| ≤ abs + rel·|expected| (SPEC.md §22.3). */
    public final double abs;
    /** The verifier's relative tolerance (see {@link #abs}). */
    public final double rel;

    private Case(String name, String description, Network net, TaskNetwork taskNet, double[][] x, Targets t, Loss loss, Optimizer opt, int steps,
                 long[] seeds, double abs, double rel) {
        this.name = name;
        this.description = description;
        this.net = net;
        this.taskNet = taskNet;
        this.x = x;
        this.t = t;
        this.loss = loss;
        this.opt = opt;
        this.steps = steps;
        this.seeds = seeds;
        this.abs = abs;
        this.rel = rel;
    }

    /** A network case; opt may be null (then steps must be 0). */
    static Case network(String name, String description, Network net, double[][] x, Targets t, Loss loss, Optimizer opt, int steps,
                               double abs, double rel) {
        return new Case(name, description, net, null, x, t, loss, opt, steps, null, abs, rel);
    }

    /** A task case: a trunk and towers, the loss being the network's groups; opt may be null (then steps must be 0). */
    static Case task(String name, String description, TaskNetwork net, double[][] x, Targets t, Optimizer opt, int steps, double abs, double rel) {
        return new Case(name, description, null, net, x, t, net.loss(), opt, steps, null, abs, rel);
    }

    /** A generator case. */
    static Case generator(String name, String description, long[] seeds, double abs, double rel) {
        return new Case(name, description, null, null, null, null, null, null, 0, seeds.clone(), abs, rel);
    }

    /**
     * Whether this is a generator case (seeds) rather than a network case.
     *
     * @return true when {@link #seeds} is not null
     */
    public boolean isGenerator() {
        return seeds != null;
    }

    /**
     * Whether this case has output groups (a network case with "groups", or a task case).
     *
     * @return true when the loss is a {@link GroupedLoss}
     */
    public boolean isGrouped() {
        return loss instanceof GroupedLoss;
    }

    /**
     * The groups without a single labeled entry in y. Each adds exactly nothing (SPEC.md §27.1):
     * its J_g, its dout columns and its tower's dW and db are exactly 0 in any implementation that
     * masks, whatever its order of sums, so verify demands them exactly (§22.3).
     *
     * @return their names in group order; empty for a case without groups
     */
    public List<String> unlabeledGroups() {
        List<String> names = new ArrayList<String>();
        if (!isGrouped()) return names;
        GroupedLoss gl = (GroupedLoss) loss;
        for (int g = 0; g < gl.groupCount(); g++) if (gl.targets(t, g).labeledCount() == 0) names.add(gl.group(g).name);
        return names;
    }

    /**
     * The stages of this case's "expected" section and of its result, in order (SPEC.md §22.2).
     *
     * @return generator and init for a generator case; forward, loss, (group_losses with groups),
     *         backward, (update with an optimizer) otherwise
     */
    public List<String> stages() {
        List<String> s = new ArrayList<String>();
        if (isGenerator()) {
            s.add("generator");
            s.add("init");
            return s;
        }
        s.add("forward");
        s.add("loss");
        if (isGrouped()) s.add("group_losses");
        s.add("backward");
        if (opt != null) s.add("update");
        return s;
    }

    // ----------------------------------------------------------------------------------------
    // JSON

    /** The whole vector file: this case's inputs plus the expected results. */
    String toJson(Map<String, Object> expected) {
        Map<String, Object> root = new LinkedHashMap<String, Object>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("name", name);
        root.put("description", description);
        Map<String, Object> tol = new LinkedHashMap<String, Object>();
        tol.put("abs", abs);
        tol.put("rel", rel);
        root.put("tolerance", tol);
        if (isGenerator()) {
            List<Object> s = new ArrayList<Object>();
            for (long seed : seeds) s.add(seed);
            root.put("seeds", s);
        } else {
            // the model file's words (SPEC.md §16.1): a case with towers has a "trunk" and towers, one chain "layers"
            if (taskNet != null) root.put("trunk", ModelFile.layersToJson(taskNet.trunk()));
            else root.put("layers", ModelFile.layersToJson(net));
            if (isGrouped()) root.put("groups", groups());
            root.put("x", x);
            root.put("y", labels(t));
            if (!isGrouped()) root.put("loss", ModelFile.lossToMap(loss));
            root.put("optimizer", opt == null ? null : optimizer(opt, steps, net));
        }
        root.put("expected", expected);
        return Json.write(root);
    }

    /** The "groups" array: name, loss, weight, and the group's "tower" (task case) or its "outputs" K_g. */
    private List<Object> groups() {
        GroupedLoss gl = (GroupedLoss) loss;
        List<Object> list = new ArrayList<Object>();
        for (int g = 0; g < gl.groupCount(); g++) {
            Group group = gl.group(g);
            Map<String, Object> m = new LinkedHashMap<String, Object>();
            m.put("name", group.name);
            m.put("loss", ModelFile.lossToMap(group.loss));
            m.put("weight", group.weight);
            if (taskNet != null) m.put("tower", ModelFile.layersToJson(taskNet.tower(g)));
            else m.put("outputs", group.K);
            list.add(m);
        }
        return list;
    }

    /** Y (N, K) with null where unlabeled. */
    private static List<Object> labels(Targets t) {
        List<Object> rows = new ArrayList<Object>();
        for (int n = 0; n < t.rows(); n++) {
            List<Object> row = new ArrayList<Object>();
            for (int k = 0; k < t.columns(); k++) row.add(t.labeled[n][k] ? (Object) t.y[n][k] : null);
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, Object> optimizer(Optimizer o, int steps, Network net) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("kind", o.kind.name().toLowerCase(java.util.Locale.ROOT));
        m.put("lr", o.lr());
        if (o.kind == Optimizer.Kind.MOMENTUM) m.put("momentum", o.mu);
        if (o.kind == Optimizer.Kind.ADAM) {
            m.put("beta1", o.beta1);
            m.put("beta2", o.beta2);
            m.put("eps", o.eps);
        }
        m.put("weight_decay", o.lambda);
        m.put("decoupled", o.decoupled);
        m.put("steps", steps);
        // the transfer strategies (SPEC.md §10.1): written only when on, so the other files stay as they were
        if (o.lrDecay != 1.0) m.put("lr_decay", o.lrDecay);
        if (o.l2sp != 0.0) {
            List<Object> anchors = new ArrayList<Object>();
            for (int l = 0; l < net.size(); l++) {
                double[][] W0 = o.anchor(net.layer(l));
                if (W0 == null) continue;
                Map<String, Object> a = new LinkedHashMap<String, Object>();
                a.put("layer", l);
                a.put("W0", W0);
                anchors.add(a);
            }
            Map<String, Object> sp = new LinkedHashMap<String, Object>();
            sp.put("alpha", o.l2sp);
            sp.put("anchors", anchors);
            m.put("l2_sp", sp);
        }
        return m;
    }

    /**
     * Reads a vector file's inputs (its "expected" section is not read here).
     *
     * @param root the file's top-level object
     * @return the case
     * @throws FormatException naming the file and field
     */
    public static Case parse(Fields root) throws FormatException {
        String format = root.string("format");
        if (!format.equals(FORMAT)) throw root.error("format", "expected \"" + FORMAT + "\", found \"" + format + "\"");
        int version = root.integer("version");
        if (version != VERSION) throw root.error("version", "expected " + VERSION + ", found " + version);
        String name = root.string("name");
        String description = root.string("description");
        Fields tol = root.object("tolerance");
        double abs = tol.number("abs"), rel = tol.number("rel");
        if (!(abs >= 0) || !(rel >= 0)) throw root.error("tolerance", "expected abs >= 0 and rel >= 0, found " + abs + " and " + rel);
        if (root.has("seeds")) {
            int n = root.length("seeds");
            double[] s = root.vector("seeds", n);
            long[] seeds = new long[n];
            for (int j = 0; j < n; j++) {
                // |s| < 2^53: every such integer is a double, and the JSON reader refuses a literal that
                // rounds to one (9007199254740993 would read as 2^53), so the seed read is the seed written.
                if (s[j] != Math.rint(s[j]) || !(Math.abs(s[j]) < 0x1p53)) {
                    throw root.error("seeds", "expected integers s with |s| < 2^53 = 9007199254740992, found " + new java.math.BigDecimal(s[j]).toPlainString() + " at index " + j);
                }
                seeds[j] = (long) s[j];
            }
            return generator(name, description, seeds, abs, rel);
        }
        // A case with towers names its parts as the model file does (SPEC.md §16.1): "trunk", and each group's "tower".
        boolean withTowers = root.has("trunk");
        if (withTowers && root.has("layers")) throw root.error("layers", "expected \"trunk\" (task towers) or \"layers\" (one chain), not both, found both");
        if (!withTowers && !root.has("layers")) throw root.error("layers", "expected \"layers\" (a network), \"trunk\" (task towers) or \"seeds\" (the generator), found none of them");
        Network net = ModelFile.parseLayers(root, withTowers ? "trunk" : "layers", -1);
        TaskNetwork taskNet = null;
        Loss loss;
        if (withTowers && !root.has("groups")) throw root.error("groups", "expected the groups and their towers beside \"trunk\", found none");
        if (root.has("groups")) {
            if (root.has("loss")) throw root.error("loss", "expected no loss beside \"groups\" (each group has its own), found one");
            List<Network> towers = new ArrayList<Network>();
            List<Group> groups = groups(root, net, withTowers, towers);
            if (!withTowers) {
                loss = new GroupedLoss(groups);
            } else {
                taskNet = new TaskNetwork(net, groups, towers);
                loss = taskNet.loss();
                net = null;
            }
        } else {
            loss = ModelFile.loss(root.object("loss"), net.outputs());
        }
        int I = taskNet != null ? taskNet.inputs() : net.inputs(), K = taskNet != null ? taskNet.outputs() : net.outputs();
        int N = root.length("x");
        if (N < 1) throw root.error("x", "expected at least 1 row, found none");
        double[][] x = root.matrix("x", N, I);
        boolean[][] present = new boolean[N][K];
        double[][] y = root.matrixWithNulls("y", N, K, present);
        Targets t;
        try {
            t = new Targets(y, present);
        } catch (IllegalArgumentException e) {
            throw root.error("y", e.getMessage());
        }
        // The loss checks its labels (range, softmax rows summing to 1) at every call; call it once
        // here, on zero logits, so that a bad label is reported as a field of this file.
        try {
            loss.forward(new double[N][K], t);
        } catch (IllegalArgumentException e) {
            throw root.error("y", e.getMessage());
        }
        Optimizer opt = null;
        int steps = 0;
        if (!root.isNull("optimizer")) {
            Fields o = root.object("optimizer");
            String kind = o.string("kind");
            double lr = o.number("lr");
            try {
                if (kind.equals("sgd")) opt = Optimizer.sgd(lr);
                else if (kind.equals("momentum")) opt = Optimizer.momentum(lr, o.number("momentum"));
                else if (kind.equals("adam")) opt = Optimizer.adam(lr, o.number("beta1"), o.number("beta2"), o.number("eps"));
                else throw o.error("kind", "expected sgd, momentum or adam, found \"" + kind + "\"");
                double lambda = o.number("weight_decay");
                boolean decoupled = o.bool("decoupled");
                if (lambda != 0.0 || decoupled) opt = opt.withWeightDecay(lambda, decoupled);
                // A layer's depth (lr_decay) and index (l2_sp anchors) are defined along one chain of layers only.
                if (taskNet != null && (o.has("lr_decay") || o.has("l2_sp"))) {
                    throw o.error(o.has("lr_decay") ? "lr_decay" : "l2_sp", "expected none in a case with towers (SPEC.md 22.1), found one");
                }
                if (o.has("lr_decay")) opt = opt.withLrDecay(o.number("lr_decay"));
                if (o.has("l2_sp")) opt = l2sp(o.object("l2_sp"), opt, net);
            } catch (IllegalArgumentException e) {
                throw root.error("optimizer", e.getMessage());
            }
            steps = o.integer("steps");
            if (steps < 1) throw o.error("steps", "expected at least 1, found " + steps);
        }
        return taskNet != null ? task(name, description, taskNet, x, t, opt, steps, abs, rel)
            : network(name, description, net, x, t, loss, opt, steps, abs, rel);
    }

    /**
     * The "groups" array (SPEC.md 22.1): each group's name, loss and weight, and either its tower
     * ("tower", H → K_g, when the file has a "trunk", whose outputs are H) or its number of columns
     * ("outputs", when the file has "layers"; the groups split the last layer's outputs in order).
     * Towers are added to {@code towers}, which stays empty for groups without towers.
     */
    private static List<Group> groups(Fields root, Network layers, boolean withTowers, List<Network> towers) throws FormatException {
        List<Fields> list = root.objects("groups");
        if (list.isEmpty()) throw root.error("groups", "expected at least 1 group, found none");
        List<Group> groups = new ArrayList<Group>();
        Set<String> names = new HashSet<String>();
        int K = 0;
        for (Fields f : list) {
            String name = f.string("name");
            // Names become keys and array names of the result (backward.towers.NAME.dW[0]).
            if (!name.matches("[A-Za-z0-9_-]+")) throw f.error("name", "expected letters, digits, _ and - only, found \"" + name + "\"");
            if (!names.add(name)) throw f.error("name", "expected a name no other group has, found \"" + name + "\" again");
            // A group's tower is "tower", as in the model file; "layers" is the word of vector files before version 2 of the model file.
            if (f.has("layers")) {
                throw f.error("layers", "expected a group's tower as \"tower\" and the trunk as \"trunk\" (the model file's words, SPEC.md 16.1, 22.1), found \"layers\"");
            }
            if (f.has("tower") != withTowers) {
                throw withTowers ? f.error("tower", "expected a tower (\"tower\") in every group of a case with a \"trunk\", found none")
                    : root.error("layers", "expected \"trunk\" in a case with towers (" + f.name("tower") + " is a tower), found \"layers\"");
            }
            int Kg;
            if (withTowers) {
                f.noOtherKeys("name", "loss", "weight", "tower");
                Network tower = ModelFile.parseLayers(f, "tower", layers.outputs());
                towers.add(tower);
                Kg = tower.outputs();
            } else {
                f.noOtherKeys("name", "loss", "weight", "outputs");
                Kg = f.integer("outputs");
                if (Kg < 1) throw f.error("outputs", "expected at least 1, found " + Kg);
            }
            Loss loss = ModelFile.loss(f.object("loss"), Kg);
            double weight = f.number("weight");
            if (!(weight >= 0.0)) throw f.error("weight", "expected a finite number >= 0, found " + weight); // the JSON reader refuses infinities
            groups.add(new Group(name, Kg, loss, weight));
            K += Kg;
        }
        if (!withTowers && K != layers.outputs()) {
            throw root.error("groups", "expected outputs summing to " + layers.outputs() + " (the last layer's outputs), found " + K);
        }
        return groups;
    }

    /** opt with the L2-SP of the vector's "l2_sp" object: alpha, and anchors [{"layer": l, "W0": (O_l, I_l)}], each layer at most once. */
    private static Optimizer l2sp(Fields sp, Optimizer opt, Network net) throws FormatException {
        double alpha = sp.number("alpha");
        List<Fields> anchors = sp.objects("anchors");
        plainnet.Dense[] layers = new plainnet.Dense[anchors.size()];
        double[][][] W0 = new double[anchors.size()][][];
        for (int j = 0; j < layers.length; j++) {
            Fields a = anchors.get(j);
            int l = a.integer("layer");
            if (l < 0 || l >= net.size()) throw a.error("layer", "expected a layer index 0 to " + (net.size() - 1) + ", found " + l);
            layers[j] = net.layer(l);
            W0[j] = a.matrix("W0", layers[j].O, layers[j].I);
        }
        try {
            return opt.withL2SP(alpha, layers, W0);
        } catch (IllegalArgumentException e) {
            throw sp.error("anchors", e.getMessage());
        }
    }
}
