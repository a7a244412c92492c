package plainnet;

import java.util.ArrayList;
import java.util.List;

/**
 * Finite-difference gradient check of a {@link TaskNetwork} under its {@link GroupedLoss}: the
 * rules of {@link GradCheck} (SPEC.md §13) for every W and b of every trainable layer of the trunk
 * and of every tower, and for the input x. See SPEC.md §27.
 *
 * <pre>
 *   objective    J(θ) = Σ_g w_g·J_g(net(x), t) + (λ/2)·Σ_{trainable layers} Σ W²
 *   numeric      ĝ_j = (J(θ + ε·e_j) − J(θ − ε·e_j)) / (2ε)
 *   per array    r = ‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂), passing as in {@link GradCheck}
 * </pre>
 *
 * Entries whose ±ε crosses a kink of a relu or leaky_relu layer of the trunk or of a tower are
 * skipped, as in {@link GradCheck}. Every perturbed value is restored to its exact bits.
 */
public final class TaskGradCheck {

    private TaskGradCheck() {}

    /**
     * {@link #run(TaskNetwork, double[][], Targets, double, double, double)} with λ = 0 and the
     * defaults {@link GradCheck#EPS}, {@link GradCheck#THRESHOLD}.
     *
     * @param net the network; its parameters end bit-identical
     * @param x   the batch inputs (N, I), not modified
     * @param t   the targets (N, K) of all groups
     * @return the report: trunk arrays first, then each tower's (g ascending), input last
     * @throws IllegalArgumentException as the full form
     */
    public static GradCheck.Report run(TaskNetwork net, double[][] x, Targets t) {
        return run(net, x, t, 0.0, GradCheck.EPS, GradCheck.THRESHOLD);
    }

    /**
     * Checks the gradients of {@code net} under {@code net.loss()} on one batch. Afterwards the
     * trainable layers' dW, db hold the analytic gradient of the batch (without the L2 term).
     *
     * @param net       the network; its parameters end bit-identical
     * @param x         the batch inputs (N, I), not modified
     * @param t         the targets (N, K) of all groups
     * @param l2        coupled L2 strength λ ≥ 0 added to the objective
     * @param eps       the finite-difference step ε &gt; 0
     * @param threshold the pass threshold on r, &gt; 0
     * @return the report: trunk arrays first, then each tower's (g ascending), input last
     * @throws IllegalArgumentException if an argument is null, x is not (N, I), t has not N rows
     *         and K columns, or λ, ε or the threshold is out of range
     */
    public static GradCheck.Report run(TaskNetwork net, double[][] x, Targets t, double l2, double eps, double threshold) {
        if (net == null) throw new IllegalArgumentException("gradient check: expected a network, found null");
        Check.matrix("input x", x, -1, net.inputs());
        if (t == null || t.rows() != x.length || t.columns() != net.outputs()) {
            throw new IllegalArgumentException("gradient check: expected targets with " + x.length + " rows and " + net.outputs()
                + " columns, found " + (t == null ? "null" : t.rows() + " rows and " + t.columns() + " columns"));
        }
        Check.positive("L2 strength", l2, false);
        Check.positive("gradient-check eps", eps, true);
        Check.positive("gradient-check threshold", threshold, true);

        double[][] xc = new double[x.length][]; // (N, I) perturbed in place
        for (int n = 0; n < x.length; n++) xc[n] = x[n].clone();
        List<Network> nets = networks(net);     // trunk, then the towers

        // Analytic gradients.
        net.zeroGrad();
        double[][] z = net.forward(xc);
        double[][] dz = new double[z.length][z[0].length]; // (N, K)
        net.loss().backward(dz, z, t);
        double[][] dx = copy(net.backwardToInput(dz));      // (N, I)
        boolean[][][][] base = kinkSides(nets);
        double J = objective(net, xc, t, l2);
        double roundoff = GradCheck.ROUNDOFF_ULPS * Math.ulp(Math.max(1.0, Math.abs(J))) / (2.0 * eps);

        List<GradCheck.ArrayReport> reports = new ArrayList<GradCheck.ArrayReport>();
        for (int m = 0; m < nets.size(); m++) {
            Network part = nets.get(m);
            String prefix = m == 0 ? "trunk" : "tower " + net.group(m - 1).name;
            for (int l = 0; l < part.size(); l++) {
                Dense layer = part.layer(l);
                if (!layer.isTrainable()) continue;
                double[][] gW = copy(layer.dW); // (O, I)
                for (int o = 0; o < layer.O; o++) for (int i = 0; i < layer.I; i++) gW[o][i] += l2 * layer.W[o][i];
                reports.add(compare(prefix + " layer " + l + " W (" + layer.O + "x" + layer.I + ")", layer.W, gW, false,
                    net, nets, xc, t, l2, eps, threshold, roundoff, base));
                reports.add(compare(prefix + " layer " + l + " b (" + layer.O + ")", new double[][] {layer.b}, new double[][] {layer.db.clone()}, true,
                    net, nets, xc, t, l2, eps, threshold, roundoff, base));
            }
        }
        reports.add(compare("input x (" + xc.length + "x" + xc[0].length + ")", xc, dx, false, net, nets, xc, t, l2, eps, threshold, roundoff, base));

        // Leave dW, db holding the analytic gradient of the batch.
        net.zeroGrad();
        z = net.forward(xc);
        net.loss().backward(dz, z, t);
        net.backward(dz);
        return new GradCheck.Report(reports);
    }

    /** Perturbs every entry of theta by ±ε and compares ĝ with g (the rules of {@link GradCheck}). */
    private static GradCheck.ArrayReport compare(String name, double[][] theta, double[][] g, boolean vector, TaskNetwork net, List<Network> nets,
                                                 double[][] x, Targets t, double l2, double eps, double threshold, double roundoff, boolean[][][][] base) {
        double diff2 = 0.0, g2 = 0.0, num2 = 0.0, worst = -1.0, worstG = 0.0, worstNum = 0.0;
        int worstRow = -1, worstCol = -1, checked = 0, skipped = 0;
        for (int r = 0; r < theta.length; r++) {
            for (int c = 0; c < theta[r].length; c++) {
                double saved = theta[r][c];
                theta[r][c] = saved + eps;
                double plus = objective(net, x, t, l2);
                boolean crossed = crossesKink(nets, base);
                theta[r][c] = saved - eps;
                double minus = objective(net, x, t, l2);
                crossed |= crossesKink(nets, base);
                theta[r][c] = saved; // exact restore
                if (crossed) {
                    skipped++;
                    continue;
                }
                double numeric = (plus - minus) / (2.0 * eps);
                double d = g[r][c] - numeric;
                diff2 += d * d;
                g2 += g[r][c] * g[r][c];
                num2 += numeric * numeric;
                checked++;
                if (Math.abs(d) > worst) {
                    worst = Math.abs(d);
                    worstRow = r;
                    worstCol = c;
                    worstG = g[r][c];
                    worstNum = numeric;
                }
            }
        }
        double denominator = Math.sqrt(g2) + Math.sqrt(num2);
        double rel = denominator == 0.0 ? 0.0 : Math.sqrt(diff2) / denominator;
        boolean strict = rel < threshold;
        boolean byRoundoff = !strict && rel < GradCheck.ROUNDOFF_MAX_RELATIVE && worst <= roundoff;
        if (vector && worstRow >= 0) {
            worstRow = worstCol;
            worstCol = 0;
        }
        return new GradCheck.ArrayReport(name, rel, worstRow, worstCol, worstG, worstNum, checked, skipped, strict || byRoundoff, byRoundoff);
    }

    /** J + (λ/2)·Σ over the trainable layers of the trunk and the towers of Σ W². */
    private static double objective(TaskNetwork net, double[][] x, Targets t, double l2) {
        double J = net.loss().forward(net.forward(x), t);
        if (l2 == 0.0) return J;
        double s = 0.0;
        for (Dense layer : net.layers()) {
            if (!layer.isTrainable()) continue;
            for (double[] row : layer.W) for (double w : row) s += w * w;
        }
        return J + 0.5 * l2 * s;
    }

    private static List<Network> networks(TaskNetwork net) {
        List<Network> nets = new ArrayList<Network>();
        nets.add(net.trunk());
        for (int g = 0; g < net.groupCount(); g++) nets.add(net.tower(g));
        return nets;
    }

    /** [network][layer] z &gt; 0 per entry of the last forward, for relu/leaky_relu layers; null for others. */
    private static boolean[][][][] kinkSides(List<Network> nets) {
        boolean[][][][] sides = new boolean[nets.size()][][][];
        for (int m = 0; m < nets.size(); m++) {
            Network part = nets.get(m);
            sides[m] = new boolean[part.size()][][];
            for (int l = 0; l < part.size(); l++) {
                if (!part.layer(l).f.hasKink()) continue;
                double[][] z = part.preActivation(l); // (N, O_l)
                sides[m][l] = new boolean[z.length][z[0].length];
                for (int n = 0; n < z.length; n++) for (int o = 0; o < z[n].length; o++) sides[m][l][n][o] = z[n][o] > 0.0;
            }
        }
        return sides;
    }

    private static boolean crossesKink(List<Network> nets, boolean[][][][] base) {
        for (int m = 0; m < nets.size(); m++) {
            for (int l = 0; l < base[m].length; l++) {
                if (base[m][l] == null) continue;
                double[][] z = nets.get(m).preActivation(l);
                for (int n = 0; n < z.length; n++) for (int o = 0; o < z[n].length; o++) if ((z[n][o] > 0.0) != base[m][l][n][o]) return true;
            }
        }
        return false;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int n = 0; n < a.length; n++) c[n] = a[n].clone();
        return c;
    }
}
