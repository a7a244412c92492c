package plainnet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Finite-difference gradient check of a network, a loss and a batch: compares the gradient from
 * backward with central differences, for every parameter of every trainable layer and for the
 * input. See SPEC.md §13, "Gradient check".
 *
 * <pre>
 *   objective    J(θ) = loss(net(x), Y) + (λ/2)·Σ_{trainable l} Σ W_l²         (λ = coupled L2, may be 0)
 *                       [+ (α/2)·Σ_{trainable l} Σ (W_l − W⁰_l)²]            (L2-SP of an optimizer, SPEC.md §10.1)
 *   numeric      ĝ_j = (J(θ + ε·e_j) − J(θ − ε·e_j)) / (2ε)
 *   analytic     g_j from backward (+ λ·W for weights) [+ α·(W − W⁰), as the optimizer computes it]
 *   per array    r = ‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂)      (r = 0 when both norms are 0)
 *   passes when  r &lt; threshold, or
 *                r &lt; ROUNDOFF_MAX_RELATIVE and maxⱼ |g_j − ĝ_j| ≤ ROUNDOFF_ULPS · ulp(max(1, |J|)) / (2ε)
 * </pre>
 *
 * The second rule exists because ĝ carries an absolute rounding error of a few ulp(J)/(2ε),
 * whatever the array, while r divides by the array's own norm: an array whose gradient is about
 * a millionth of J misses 1e-7 from rounding alone. Such an array is reported as passed "within
 * roundoff". A wrong gradient shows r of the order of its relative error, far above
 * ROUNDOFF_MAX_RELATIVE.
 *
 * Kinks: when the network has a relu or leaky_relu layer, an entry whose ±ε perturbation moves
 * any pre-activation of such a layer across 0 (compared with the unperturbed pass) is skipped,
 * because the one-sided slopes differ there and ĝ is meaningless; the report counts skipped
 * entries. Every perturbed value is restored to its exact original bits.
 */
public final class GradCheck {

    /** Default step ε. */
    public static final double EPS = 1e-5;
    /** Default pass threshold on the relative difference r of each array. */
    public static final double THRESHOLD = 1e-7;
    /** The rounding allowance of the second pass rule, in ulp(max(1, |J|)) / (2ε). */
    public static final double ROUNDOFF_ULPS = 8.0;
    /** The second pass rule still requires r below this. */
    public static final double ROUNDOFF_MAX_RELATIVE = 1e-5;

    private GradCheck() {}

    /** The result for one array (a W, a b, or the input x). */
    public static final class ArrayReport {
        /** For example "layer 1 W (6x4)", "layer 1 b (6)", "input x (3x4)". */
        public final String name;
        /** r = ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖). */
        public final double relativeDifference;
        /** Row and column of the entry with the largest |g − ĝ| (for the vector b: its index and column 0), −1 if none. */
        public final int worstRow, worstColumn;
        /** g and ĝ at the worst entry. */
        public final double worstAnalytic, worstNumeric;
        /** Entries compared and entries skipped for a kink. */
        public final int checked, skipped;
        /** True when r &lt; threshold, or when the array passed by the roundoff rule. */
        public final boolean passed;
        /** True when the array missed the threshold and passed by the roundoff rule. */
        public final boolean withinRoundoff;

        ArrayReport(String name, double r, int worstRow, int worstColumn, double worstAnalytic, double worstNumeric,
                    int checked, int skipped, boolean passed, boolean withinRoundoff) {
            this.name = name;
            this.relativeDifference = r;
            this.worstRow = worstRow;
            this.worstColumn = worstColumn;
            this.worstAnalytic = worstAnalytic;
            this.worstNumeric = worstNumeric;
            this.checked = checked;
            this.skipped = skipped;
            this.passed = passed;
            this.withinRoundoff = withinRoundoff;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%-22s r = %.3e  worst [%d][%d] analytic %.10e numeric %.10e  checked %d skipped %d  %s",
                name, relativeDifference, worstRow, worstColumn, worstAnalytic, worstNumeric, checked, skipped,
                withinRoundoff ? "PASS (within roundoff)" : passed ? "PASS" : "FAIL");
        }
    }

    /** The result of one check: one entry per array, lowest layer first, input last. */
    public static final class Report {
        /** One entry per checked array: W and b of each trainable layer from layer 0 up, then the input x. Unmodifiable. */
        public final List<ArrayReport> arrays;

        Report(List<ArrayReport> arrays) {
            this.arrays = Collections.unmodifiableList(arrays);
        }

        /**
         * Whether every array passed.
         *
         * @return true when {@link ArrayReport#passed} holds for all of {@link #arrays}
         */
        public boolean passed() {
            for (ArrayReport a : arrays) if (!a.passed) return false;
            return true;
        }

        /**
         * The largest r over all arrays.
         *
         * @return maxₐ r_a, 0 when there is no array
         */
        public double worst() {
            double r = 0.0;
            for (ArrayReport a : arrays) r = Math.max(r, a.relativeDifference);
            return r;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (ArrayReport a : arrays) s.append(a).append('\n');
            return s.append(passed() ? "gradient check passed" : "gradient check FAILED").toString();
        }
    }

    /**
     * {@link #run(Network, Loss, double[][], Targets, double, double, double)} with λ = 0 and the
     * default ε ({@link #EPS}) and threshold ({@link #THRESHOLD}).
     *
     * @param net  the network; its parameters end bit-identical
     * @param loss the loss on the network's output
     * @param x    the batch inputs (N, I), not modified
     * @param t    the targets (N, K)
     * @return the report, one entry per array
     * @throws IllegalArgumentException as the full form
     */
    public static Report run(Network net, Loss loss, double[][] x, Targets t) {
        return run(net, loss, x, t, 0.0, EPS, THRESHOLD);
    }

    /**
     * Checks the gradients of {@code net} under {@code loss} on one batch. Afterwards the dW and db
     * of the trainable layers hold the analytic gradient of the batch (without the L2 term) and
     * those of the frozen layers are left as they were (zero, unless code wrote into them: see
     * {@link Dense#setTrainable}); the parameters end bit-identical to how they started;
     * x is not modified.
     *
     * @param net       the network; its parameters end bit-identical
     * @param loss      the loss on the network's output
     * @param x         the batch inputs (N, I), not modified
     * @param t         the targets (N, K)
     * @param l2        coupled L2 strength λ ≥ 0 added to the objective, as the optimizer's coupled decay
     * @param eps       the finite-difference step ε &gt; 0
     * @param threshold the pass threshold on r, &gt; 0
     * @return the report, one entry per array
     * @throws IllegalArgumentException if an argument is null, x is not (N, I) for the network, t
     *                                  has not N rows, or λ, ε or the threshold is out of range
     */
    public static Report run(Network net, Loss loss, double[][] x, Targets t, double l2, double eps, double threshold) {
        return run(net, loss, x, t, l2, null, eps, threshold);
    }

    /**
     * Checks the gradient that the optimizer {@code opt} steps along: the objective adds the
     * penalties of opt's coupled steps, (λ/2)·Σ W² when its weight decay is coupled and L2-SP's
     * (α/2)·Σ (W − W⁰)² (SPEC.md §10.1), and the analytic gradient of W is the optimizer's own
     * dW + α·(W − W⁰), plus λ·W. Decoupled decay is no gradient and is left out. Otherwise as
     * {@link #run(Network, Loss, double[][], Targets, double, double, double)}.
     *
     * @param net       the network; its parameters end bit-identical
     * @param loss      the loss on the network's output
     * @param x         the batch inputs (N, I), not modified
     * @param t         the targets (N, K)
     * @param opt       the optimizer whose penalties enter the objective; its state is not touched
     * @param eps       the finite-difference step ε &gt; 0
     * @param threshold the pass threshold on r, &gt; 0
     * @return the report, one entry per array
     * @throws IllegalArgumentException as the other form, or when opt is null
     */
    public static Report run(Network net, Loss loss, double[][] x, Targets t, Optimizer opt, double eps, double threshold) {
        if (opt == null) throw new IllegalArgumentException("gradient check: expected an optimizer, found null");
        return run(net, loss, x, t, 0.0, opt, eps, threshold);
    }

    private static Report run(Network net, Loss loss, double[][] x, Targets t, double l2, Optimizer opt, double eps, double threshold) {
        if (net == null || loss == null) {
            throw new IllegalArgumentException("gradient check: expected a network and a loss, found null");
        }
        Check.matrix("input x", x, -1, net.inputs());
        if (t == null || t.rows() != x.length) {
            throw new IllegalArgumentException("gradient check: expected targets with " + x.length + " rows (as x), found "
                + (t == null ? "null" : String.valueOf(t.rows())));
        }
        Check.positive("L2 strength", l2, false);
        Check.positive("gradient-check eps", eps, true);
        Check.positive("gradient-check threshold", threshold, true);

        double[][] xc = copy(x); // (N, I) perturbed in place, so the caller's x stays untouched
        int L = net.size();

        // Analytic gradients.
        net.zeroGrad();
        double[][] out = net.forward(xc);
        double[][] dout = new double[out.length][out[0].length]; // (N, K)
        loss.backward(dout, out, t);
        double[][] dx = copy(net.backwardToInput(dout));          // (N, I)
        boolean[][][] base = kinkSides(net);                      // sign pattern of z at θ
        double J = objective(net, loss, xc, t, l2, opt);
        double roundoff = ROUNDOFF_ULPS * Math.ulp(Math.max(1.0, Math.abs(J))) / (2.0 * eps);

        List<ArrayReport> reports = new ArrayList<ArrayReport>();
        for (int l = 0; l < L; l++) {
            Dense layer = net.layer(l);
            if (!layer.isTrainable()) continue;
            double[][] gW = copy(layer.dW);
            if (opt != null && opt.l2sp != 0.0) opt.l2spGradient(gW, layer); // dW + α·(W − W⁰), the optimizer's own code
            double lambda = l2 + (opt != null && !opt.decoupled ? opt.lambda : 0.0);
            for (int o = 0; o < layer.O; o++) {
                for (int i = 0; i < layer.I; i++) gW[o][i] += lambda * layer.W[o][i];
            }
            reports.add(compare("layer " + l + " W (" + layer.O + "x" + layer.I + ")", layer.W, gW, false, net, loss, xc, t, l2, opt, eps, threshold, roundoff, base));
            reports.add(compare("layer " + l + " b (" + layer.O + ")", new double[][] {layer.b}, new double[][] {layer.db.clone()}, true,
                net, loss, xc, t, l2, opt, eps, threshold, roundoff, base));
        }
        reports.add(compare("input x (" + xc.length + "x" + xc[0].length + ")", xc, dx, false, net, loss, xc, t, l2, opt, eps, threshold, roundoff, base));

        // Leave dW, db holding the analytic gradient of the batch, as documented.
        net.zeroGrad();
        out = net.forward(xc);
        loss.backward(dout, out, t);
        net.backward(dout);
        return new Report(reports);
    }

    /**
     * Perturbs every entry of theta (rows × cols) by ±ε and compares ĝ with g. A vector is passed
     * as one row and reported with its index as the row.
     */
    private static ArrayReport compare(String name, double[][] theta, double[][] g, boolean vector, Network net, Loss loss, double[][] x,
                                       Targets t, double l2, Optimizer opt, double eps, double threshold, double roundoff, boolean[][][] base) {
        double diff2 = 0.0, g2 = 0.0, num2 = 0.0, worst = -1.0;
        int worstRow = -1, worstCol = -1, checked = 0, skipped = 0;
        double worstG = 0.0, worstNum = 0.0;
        for (int r = 0; r < theta.length; r++) {
            for (int c = 0; c < theta[r].length; c++) {
                double saved = theta[r][c];
                theta[r][c] = saved + eps;
                double plus = objective(net, loss, x, t, l2, opt);
                boolean crossed = crossesKink(net, base);
                theta[r][c] = saved - eps;
                double minus = objective(net, loss, x, t, l2, opt);
                crossed |= crossesKink(net, base);
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
        boolean byRoundoff = !strict && rel < ROUNDOFF_MAX_RELATIVE && worst <= roundoff;
        if (vector && worstRow >= 0) {
            worstRow = worstCol;
            worstCol = 0;
        }
        return new ArrayReport(name, rel, worstRow, worstCol, worstG, worstNum, checked, skipped, strict || byRoundoff, byRoundoff);
    }

    /** loss(net(x), Y) + (λ/2)·Σ over trainable layers of Σ W², plus the penalties of opt's coupled steps when opt is given. */
    private static double objective(Network net, Loss loss, double[][] x, Targets t, double l2, Optimizer opt) {
        double J = loss.forward(net.forward(x), t);
        if (opt != null) J += opt.penalty(net);
        if (l2 == 0.0) return J;
        double s = 0.0;
        for (int l = 0; l < net.size(); l++) {
            Dense layer = net.layer(l);
            if (!layer.isTrainable()) continue;
            for (double[] row : layer.W) for (double w : row) s += w * w;
        }
        return J + 0.5 * l2 * s;
    }

    /** For each relu/leaky_relu layer, z &gt; 0 per entry of the last forward; null for other layers. */
    private static boolean[][][] kinkSides(Network net) {
        boolean[][][] sides = new boolean[net.size()][][];
        for (int l = 0; l < net.size(); l++) {
            if (!net.layer(l).f.hasKink()) continue;
            double[][] z = net.preActivation(l);
            sides[l] = new boolean[z.length][z[0].length];
            for (int n = 0; n < z.length; n++) for (int o = 0; o < z[n].length; o++) sides[l][n][o] = z[n][o] > 0.0;
        }
        return sides;
    }

    /** True when some kinked pre-activation of the last forward lies on the other side of 0 than in {@code base}. */
    private static boolean crossesKink(Network net, boolean[][][] base) {
        for (int l = 0; l < base.length; l++) {
            if (base[l] == null) continue;
            double[][] z = net.preActivation(l);
            for (int n = 0; n < z.length; n++) for (int o = 0; o < z[n].length; o++) if ((z[n][o] > 0.0) != base[l][n][o]) return true;
        }
        return false;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int n = 0; n < a.length; n++) c[n] = a[n].clone();
        return c;
    }
}
