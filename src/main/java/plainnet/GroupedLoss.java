package plainnet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The loss of a network whose output columns are split into groups (tasks), each with its own
 * loss, reduction and task weight. See SPEC.md §27, "Output groups and task towers".
 *
 * <pre>
 *   columns     group g holds z[:, c_g … c_g + K_g − 1],  c_0 = 0,  c_{g+1} = c_g + K_g,  K = Σ_g K_g
 *   loss        J = +0.0 + w_0·J_0 + w_1·J_1 + …           (g ascending; J_g = loss_g(z_g, t_g))
 *   gradient    dz[:, c_g + k] = w_g · dJ_g/dz_g[:, k]     (product, as written)
 * </pre>
 *
 * Each J_g is its loss's own S_g / D_g with its own reduction and unlabeled entries (SPEC.md §8,
 * §9); a group with nothing labeled in the batch has J_g = +0.0 and dJ_g/dz_g = +0.0, so it adds
 * exactly +0.0 to J and to every gradient. With one group of weight 1 this is that group's loss,
 * bit for bit (1·J_0 = J_0 and +0.0 + J_0 = J_0 for J_0 ≥ 0).
 *
 * <p>It is a {@link Loss} over all K columns, so a plain {@link Network} whose last layer has K
 * outputs trains on it with {@link Trainer} and is checked by {@link GradCheck} as it is. Targets
 * are one {@link Targets} (N, K) of all columns, each group's columns as its loss reads them (see
 * {@link Group}). Immutable. Each call copies every group's columns of z and of the targets
 * (O(N·K), small beside a network's forward), so, unlike a plain loss, it allocates per batch.
 *
 * <p>Index letters: N rows (n), K columns of all groups, G groups (g), K_g columns of group g (k).
 */
public final class GroupedLoss implements Loss {

    private final Group[] groups; // (G)
    private final int[] start;    // (G + 1) c_g; start[G] = K

    /**
     * The loss of the given groups, in column order.
     *
     * @param groups at least one group, names distinct
     * @throws IllegalArgumentException when there is no group, a group is null, or two share a name
     */
    public GroupedLoss(Group... groups) {
        this(groups == null ? null : Arrays.asList(groups));
    }

    /**
     * The loss of the given groups, in column order; see {@link #GroupedLoss(Group...)}.
     *
     * @param groups at least one group, names distinct
     * @throws IllegalArgumentException when there is no group, a group is null, or two share a name
     */
    public GroupedLoss(List<Group> groups) {
        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException("groups: expected at least 1 group, found none");
        }
        int G = groups.size();
        this.groups = new Group[G];
        this.start = new int[G + 1];
        for (int g = 0; g < G; g++) {
            Group group = groups.get(g);
            if (group == null) throw new IllegalArgumentException("groups: expected a group at position " + g + ", found null");
            for (int h = 0; h < g; h++) {
                if (this.groups[h].name.equals(group.name)) {
                    throw new IllegalArgumentException("groups: expected distinct names, found \"" + group.name + "\" at positions " + h + " and " + g);
                }
            }
            this.groups[g] = group;
            start[g + 1] = start[g] + group.K;
        }
    }

    // ----------------------------------------------------------------------------------------
    // structure

    /**
     * Number of groups.
     *
     * @return G
     */
    public int groupCount() {
        return groups.length;
    }

    /**
     * Group g.
     *
     * @param g the group index, 0 ≤ g &lt; G
     * @return the group
     * @throws IllegalArgumentException unless 0 ≤ g &lt; G
     */
    public Group group(int g) {
        checkGroup(g);
        return groups[g];
    }

    /**
     * The groups, in column order.
     *
     * @return an unmodifiable list of the G groups
     */
    public List<Group> groups() {
        return Collections.unmodifiableList(new ArrayList<Group>(Arrays.asList(groups)));
    }

    /**
     * The first column of group g.
     *
     * @param g the group index, 0 ≤ g ≤ G (c_G = K)
     * @return c_g = Σ_{h &lt; g} K_h
     * @throws IllegalArgumentException unless 0 ≤ g ≤ G
     */
    public int columnStart(int g) {
        if (g < 0 || g > groups.length) {
            throw new IllegalArgumentException("group index: expected 0 <= g <= " + groups.length + ", found " + g);
        }
        return start[g];
    }

    /**
     * Number of columns of all groups.
     *
     * @return K = Σ_g K_g
     */
    public int columns() {
        return start[groups.length];
    }

    /**
     * The index of the group with this name.
     *
     * @param name a group name
     * @return g, or −1 when no group has that name
     */
    public int indexOf(String name) {
        for (int g = 0; g < groups.length; g++) if (groups[g].name.equals(name)) return g;
        return -1;
    }

    /**
     * The reduction, when every group has the same one (for reports of the whole loss); each
     * group's own is {@code group(g).loss.reduction()}.
     *
     * @return the groups' common reduction
     * @throws IllegalStateException when the groups' reductions differ
     */
    @Override
    public Reduction reduction() {
        Reduction r = groups[0].loss.reduction();
        for (Group group : groups) {
            if (group.loss.reduction() != r) {
                throw new IllegalStateException("grouped loss: the groups have different reductions ("
                    + groups[0].name + " " + r.fileName() + ", " + group.name + " " + group.loss.reduction().fileName() + "); ask each group");
            }
        }
        return r;
    }

    // ----------------------------------------------------------------------------------------
    // forward and backward

    /**
     * J = Σ_g w_g · J_g (the class comment; SPEC.md §27).
     *
     * @param z network output (N, K), not modified
     * @param t targets (N, K): every group's columns
     * @return J, +0.0 when nothing is labeled in any group
     * @throws IllegalArgumentException on a shape mismatch or a label a group's loss refuses (the
     *         message names the group)
     */
    @Override
    public double forward(double[][] z, Targets t) {
        return forward(z, t, null);
    }

    /**
     * J, and each group's J_g (before its weight) in {@code Jg}.
     *
     * @param z  network output (N, K), not modified
     * @param t  targets (N, K)
     * @param Jg output (G), overwritten with J_0 … J_{G−1}; or null
     * @return J = Σ_g w_g · J_g
     * @throws IllegalArgumentException as {@link #forward(double[][], Targets)}, or when Jg is not (G)
     */
    public double forward(double[][] z, Targets t, double[] Jg) {
        check(z, t, Jg);
        int N = z.length;
        double J = 0.0;
        for (int g = 0; g < groups.length; g++) {
            double Jgroup;
            try {
                Jgroup = groups[g].loss.forward(columns(z, g, N), columnsOf(t, g));
            } catch (IllegalArgumentException e) {
                throw named(g, e);
            }
            if (Jg != null) Jg[g] = Jgroup;
            J += groups[g].weight * Jgroup;
        }
        return J;
    }

    /**
     * dz = ∂J/∂z (N, K), overwritten: group g's columns hold w_g · ∂J_g/∂z_g, exactly +0.0 at
     * unlabeled entries.
     *
     * @param dz output (N, K), overwritten; not z and sharing no row with it
     * @param z  network output (N, K), not modified
     * @param t  targets (N, K)
     * @throws IllegalArgumentException as {@link #forward(double[][], Targets)}, when dz is not
     *         (N, K), or when dz is z or dz[n] is z[n]
     */
    @Override
    public void backward(double[][] dz, double[][] z, Targets t) {
        forwardBackward(dz, z, t, null);
    }

    /**
     * J and dz together, with the bits of {@link #forward} and {@link #backward}.
     *
     * @param dz output (N, K), overwritten with ∂J/∂z; not z and sharing no row with it
     * @param z  network output (N, K), not modified
     * @param t  targets (N, K)
     * @return J
     * @throws IllegalArgumentException as {@link #backward}
     */
    @Override
    public double forwardBackward(double[][] dz, double[][] z, Targets t) {
        return forwardBackward(dz, z, t, null);
    }

    /**
     * J and dz together, and each group's J_g (before its weight) in {@code Jg}.
     *
     * @param dz output (N, K), overwritten with ∂J/∂z; not z and sharing no row with it
     * @param z  network output (N, K), not modified
     * @param t  targets (N, K)
     * @param Jg output (G), overwritten with J_0 … J_{G−1}; or null
     * @return J = Σ_g w_g · J_g
     * @throws IllegalArgumentException as {@link #backward}, or when Jg is not (G)
     */
    public double forwardBackward(double[][] dz, double[][] z, Targets t, double[] Jg) {
        check(z, t, Jg);
        int N = z.length;
        Check.shape("dz", dz, N, columns());
        Check.notSame(dz, z);
        double J = 0.0;
        for (int g = 0; g < groups.length; g++) {
            Group group = groups[g];
            double[][] dzg = new double[N][group.K]; // (N, K_g) ∂J_g/∂z_g
            double Jgroup;
            try {
                Jgroup = group.loss.forwardBackward(dzg, columns(z, g, N), columnsOf(t, g));
            } catch (IllegalArgumentException e) {
                throw named(g, e);
            }
            if (Jg != null) Jg[g] = Jgroup;
            // J = Σ_g w_g·J_g  ⇒  ∂J/∂z_g = w_g · ∂J_g/∂z_g  (an unlabeled entry's +0.0 stays +0.0: w_g ≥ 0)
            J += group.weight * Jgroup;
            int c = start[g];
            for (int n = 0; n < N; n++) {
                for (int k = 0; k < group.K; k++) dz[n][c + k] = group.weight * dzg[n][k];
            }
        }
        return J;
    }

    // ----------------------------------------------------------------------------------------
    // the columns of a group

    /**
     * Group g's columns of the targets: labels and mask (N, K_g), copied.
     *
     * @param t targets (N, K) of all groups
     * @param g the group index
     * @return the targets of group g (N, K_g)
     * @throws IllegalArgumentException when t is not (·, K) or g is out of range
     */
    public Targets targets(Targets t, int g) {
        checkGroup(g);
        if (t == null || t.columns() != columns()) {
            throw new IllegalArgumentException("targets: expected " + columns() + " columns (all groups), found "
                + (t == null ? "null" : String.valueOf(t.columns())));
        }
        return columnsOf(t, g);
    }

    /** Columns c_g … c_g + K_g − 1 of z (N, K), copied: (N, K_g). */
    private double[][] columns(double[][] z, int g, int N) {
        double[][] zg = new double[N][];
        for (int n = 0; n < N; n++) zg[n] = Arrays.copyOfRange(z[n], start[g], start[g + 1]);
        return zg;
    }

    /** The same columns of the targets (rows already checked): (N, K_g). */
    private Targets columnsOf(Targets t, int g) {
        int N = t.rows();
        double[][] y = new double[N][];
        boolean[][] m = new boolean[N][];
        for (int n = 0; n < N; n++) {
            y[n] = Arrays.copyOfRange(t.y[n], start[g], start[g + 1]);
            m[n] = Arrays.copyOfRange(t.labeled[n], start[g], start[g + 1]);
        }
        return Targets.view(y, m);
    }

    private void check(double[][] z, Targets t, double[] Jg) {
        if (t == null) throw new IllegalArgumentException("targets: expected labels and a mask, found null");
        if (t.columns() != columns()) {
            throw new IllegalArgumentException("targets: expected " + columns() + " columns (the groups' " + describe() + "), found " + t.columns());
        }
        Targets.checkLogits(z, t);
        if (Jg != null && Jg.length != groups.length) {
            throw new IllegalArgumentException("Jg: expected " + groups.length + " entries (one per group), found " + Jg.length);
        }
    }

    /** A group's loss error, prefixed with the group's name and columns. */
    private IllegalArgumentException named(int g, IllegalArgumentException e) {
        return new IllegalArgumentException("group " + groups[g].name + " (columns " + start[g] + ".." + (start[g + 1] - 1)
            + ", k counted within the group): " + e.getMessage(), e);
    }

    private String describe() {
        StringBuilder s = new StringBuilder();
        for (int g = 0; g < groups.length; g++) s.append(g == 0 ? "" : " + ").append(groups[g].name).append(' ').append(groups[g].K);
        return s.toString();
    }

    private void checkGroup(int g) {
        if (g < 0 || g >= groups.length) {
            throw new IllegalArgumentException("group index: expected 0 <= g < " + groups.length + ", found " + g);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("GroupedLoss(");
        for (int g = 0; g < groups.length; g++) s.append(g == 0 ? "" : ", ").append(groups[g]);
        return s.append(")").toString();
    }
}
