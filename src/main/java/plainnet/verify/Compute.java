package plainnet.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import plainnet.Dense;
import plainnet.GroupedLoss;
import plainnet.Init;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Rng;
import plainnet.TaskNetwork;

/**
 * plainnet's results for a case, in the result format: the same keys as a vector's "expected"
 * section. See SPEC.md, section "Test vectors".
 *
 * <pre>
 * network case:
 *   forward   {"z": [z_0, …, z_{L−1}], "a": [a_0, …, a_{L−1}]}           each (N, O_l)
 *   loss      J
 *   backward  {"dout": ∂J/∂a_{L−1} (N, K), "dW": [dW_l or null if frozen], "db": [db_l or null], "dx": ∂J/∂x (N, I)}
 *   update    {"W": [W_l], "b": [b_l]} after the optimizer's k steps       (optimizer cases only)
 * with output groups (SPEC.md §27.1), also
 *   group_losses {NAME: J_g, …}                                             each before its weight
 *   and backward.dout is {NAME: (N, K_g), …}: each group's columns of ∂J/∂z
 * task case (a trunk and towers, SPEC.md §27.2):
 *   forward   {"trunk": {"z": [..], "a": [..]}, "towers": {NAME: {"z": [..], "a": [..]}, …}}
 *   loss, group_losses as above
 *   backward  {"dout": {NAME: (N, K_g)}, "towers": {NAME: {"dW": [..], "db": [..]}}, "dh": ∂J/∂h (N, H),
 *              "trunk": {"dW": [..], "db": [..]}, "dx": (N, I)}
 *   update    {"trunk": {"W": [..], "b": [..]}, "towers": {NAME: {"W", "b"}}, "outputs": {NAME: z_g (N, K_g) after the steps}}
 * generator case:
 *   generator {"next_long": [[3 hex strings] per seed], "next_double": [[3]], "next_gaussian": [[3]],
 *              "next_int_10": [[5]], "shuffle_10": [[10]]}
 *   init      {"he_normal": W (4, 3), "he_uniform": …, "xavier_normal": …, "xavier_uniform": …}   from Rng(first seed)
 * </pre>
 */
public final class Compute {

    private Compute() {}

    /**
     * plainnet's results for a case, the sections of the table above.
     *
     * @param c the case; not modified (a network case is computed on a copy of its network)
     * @return the "expected" object of a vector file, the same shape as a result file's sections
     */
    public static Map<String, Object> run(Case c) {
        return c.isGenerator() ? generator(c.seeds) : c.taskNet != null ? task(c) : network(c);
    }

    private static Map<String, Object> network(Case c) {
        Network net = c.net.copy(); // computing leaves the case untouched
        int L = net.size();
        Map<String, Object> out = new LinkedHashMap<String, Object>();

        double[][] output = net.forward(c.x);
        out.put("forward", activations(net));

        loss(out, c, output);

        double[][] dout = new double[output.length][output[0].length]; // (N, K)
        c.loss.backward(dout, output, c.t);
        net.zeroGrad();
        double[][] dx = copy(net.backwardToInput(dout));
        Map<String, Object> backward = new LinkedHashMap<String, Object>();
        backward.put("dout", dout(c, dout)); // a copy: the optimizer steps below reuse the buffer
        backward.putAll(gradients(net)); // dW, db
        backward.put("dx", dx);
        out.put("backward", backward);

        if (c.opt != null) {
            Optimizer opt = c.opt.withWeightDecay(c.opt.lambda, c.opt.decoupled); // fresh state
            if (c.opt.l2sp != 0.0) {
                // L2-SP's anchors belong to the case's layers: give them to the copies stepped here
                List<Dense> layers = new ArrayList<Dense>();
                List<double[][]> W0 = new ArrayList<double[][]>();
                for (int l = 0; l < L; l++) {
                    double[][] anchor = c.opt.anchor(c.net.layer(l));
                    if (anchor == null) continue;
                    layers.add(net.layer(l));
                    W0.add(anchor);
                }
                opt = opt.withL2SP(c.opt.l2sp, layers.toArray(new Dense[0]), W0.toArray(new double[0][][]));
            }
            for (int s = 0; s < c.steps; s++) {
                double[][] o = net.forward(c.x);
                c.loss.backward(dout, o, c.t);
                net.zeroGrad();
                net.backward(dout);
                opt.step(net);
            }
            out.put("update", parameters(net));
        }
        return out;
    }

    /** A task case: the trunk once, the towers on its output, the groups' loss, backward through all, the optimizer's steps. */
    private static Map<String, Object> task(Case c) {
        TaskNetwork net = c.taskNet.copy(); // computing leaves the case untouched
        Network trunk = net.trunk();
        int G = net.groupCount();
        Map<String, Object> out = new LinkedHashMap<String, Object>();

        double[][] output = copy(net.forward(c.x)); // (N, K)
        Map<String, Object> towers = new LinkedHashMap<String, Object>();
        for (int g = 0; g < G; g++) towers.put(net.group(g).name, activations(net.tower(g)));
        Map<String, Object> forward = new LinkedHashMap<String, Object>();
        forward.put("trunk", activations(trunk));
        forward.put("towers", towers);
        out.put("forward", forward);

        loss(out, c, output);

        double[][] dout = new double[output.length][output[0].length]; // (N, K)
        c.loss.backward(dout, output, c.t);
        net.zeroGrad();
        double[][] dx = copy(net.backwardToInput(dout));
        Map<String, Object> towerGrads = new LinkedHashMap<String, Object>();
        for (int g = 0; g < G; g++) towerGrads.put(net.group(g).name, gradients(net.tower(g)));
        Map<String, Object> backward = new LinkedHashMap<String, Object>();
        backward.put("dout", dout(c, dout));
        backward.put("towers", towerGrads);
        backward.put("dh", copy(net.trunkGradient()));
        backward.put("trunk", gradients(trunk));
        backward.put("dx", dx);
        out.put("backward", backward);

        if (c.opt != null) {
            Optimizer opt = c.opt.withWeightDecay(c.opt.lambda, c.opt.decoupled); // fresh state (no lr_decay, no L2-SP in a task case)
            for (int s = 0; s < c.steps; s++) {
                double[][] z = net.forward(c.x);
                c.loss.backward(dout, z, c.t);
                net.zeroGrad();
                net.backward(dout);
                net.step(opt);
            }
            Map<String, Object> towerParams = new LinkedHashMap<String, Object>(), outputs = new LinkedHashMap<String, Object>();
            for (int g = 0; g < G; g++) towerParams.put(net.group(g).name, parameters(net.tower(g)));
            net.forward(c.x);
            for (int g = 0; g < G; g++) outputs.put(net.group(g).name, copy(net.output(g)));
            Map<String, Object> update = new LinkedHashMap<String, Object>();
            update.put("trunk", parameters(trunk));
            update.put("towers", towerParams);
            update.put("outputs", outputs);
            out.put("update", update);
        }
        return out;
    }

    /** "loss": J; with groups also "group_losses": {NAME: J_g} (before the weights). */
    private static void loss(Map<String, Object> out, Case c, double[][] output) {
        if (!c.isGrouped()) {
            out.put("loss", c.loss.forward(output, c.t));
            return;
        }
        GroupedLoss gl = (GroupedLoss) c.loss;
        double[] Jg = new double[gl.groupCount()];
        out.put("loss", gl.forward(output, c.t, Jg));
        Map<String, Object> groups = new LinkedHashMap<String, Object>();
        for (int g = 0; g < Jg.length; g++) groups.put(gl.group(g).name, Jg[g]);
        out.put("group_losses", groups);
    }

    /** A copy of dout (N, K); with groups, {NAME: its columns (N, K_g)}. */
    private static Object dout(Case c, double[][] dout) {
        if (!c.isGrouped()) return copy(dout);
        GroupedLoss gl = (GroupedLoss) c.loss;
        Map<String, Object> groups = new LinkedHashMap<String, Object>();
        for (int g = 0; g < gl.groupCount(); g++) {
            int c0 = gl.columnStart(g), K = gl.group(g).K;
            double[][] d = new double[dout.length][K]; // (N, K_g)
            for (int n = 0; n < dout.length; n++) System.arraycopy(dout[n], c0, d[n], 0, K);
            groups.put(gl.group(g).name, d);
        }
        return groups;
    }

    /** {"z": [z_l], "a": [a_l]} of a network's last forward. */
    private static Map<String, Object> activations(Network net) {
        List<Object> z = new ArrayList<Object>(), a = new ArrayList<Object>();
        for (int l = 0; l < net.size(); l++) {
            z.add(copy(net.preActivation(l)));
            a.add(copy(net.activation(l)));
        }
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("z", z);
        m.put("a", a);
        return m;
    }

    /** {"dW": [dW_l or null], "db": [db_l or null]}: null for a frozen layer. */
    private static Map<String, Object> gradients(Network net) {
        List<Object> dW = new ArrayList<Object>(), db = new ArrayList<Object>();
        for (int l = 0; l < net.size(); l++) {
            Dense d = net.layer(l);
            dW.add(d.isTrainable() ? copy(d.dW) : null);
            db.add(d.isTrainable() ? d.db.clone() : null);
        }
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("dW", dW);
        m.put("db", db);
        return m;
    }

    /** {"W": [W_l], "b": [b_l]}. */
    private static Map<String, Object> parameters(Network net) {
        List<Object> W = new ArrayList<Object>(), b = new ArrayList<Object>();
        for (int l = 0; l < net.size(); l++) {
            W.add(copy(net.layer(l).W));
            b.add(net.layer(l).b.clone());
        }
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("W", W);
        m.put("b", b);
        return m;
    }

    private static Map<String, Object> generator(long[] seeds) {
        List<Object> longs = new ArrayList<Object>(), doubles = new ArrayList<Object>(), gaussians = new ArrayList<Object>(),
            ints = new ArrayList<Object>(), shuffles = new ArrayList<Object>();
        for (long seed : seeds) {
            Rng r = new Rng(seed);
            List<Object> l = new ArrayList<Object>();
            for (int j = 0; j < 3; j++) l.add(String.format(Locale.ROOT, "%016x", r.nextLong()));
            longs.add(l);
            r = new Rng(seed);
            doubles.add(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()});
            r = new Rng(seed);
            gaussians.add(new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()});
            r = new Rng(seed);
            double[] ni = new double[5];
            for (int j = 0; j < 5; j++) ni[j] = r.nextInt(10);
            ints.add(ni);
            int[] perm = new int[10];
            for (int j = 0; j < 10; j++) perm[j] = j;
            new Rng(seed).shuffle(perm);
            double[] p = new double[10];
            for (int j = 0; j < 10; j++) p[j] = perm[j];
            shuffles.add(p);
        }
        Map<String, Object> g = new LinkedHashMap<String, Object>();
        g.put("next_long", longs);
        g.put("next_double", doubles);
        g.put("next_gaussian", gaussians);
        g.put("next_int_10", ints);
        g.put("shuffle_10", shuffles);
        Map<String, Object> init = new LinkedHashMap<String, Object>();
        for (Init kind : Init.values()) {
            double[][] W = new double[4][3];
            kind.fill(W, new double[4], new Rng(seeds[0]));
            init.put(kind.fileName(), W);
        }
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        out.put("generator", g);
        out.put("init", init);
        return out;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int n = 0; n < a.length; n++) c[n] = a[n].clone();
        return c;
    }
}
