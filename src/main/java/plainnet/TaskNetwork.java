package plainnet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * A multi-task network: a shared trunk and, per output group (task), a tower, the group's own
 * layers (its hidden layers, then its output layer) reading the trunk's output. See SPEC.md §27,
 * "Output groups and task towers".
 *
 * <pre>
 *   forward     h = trunk(x)                         (N, H)   the trunk runs once
 *               z_g = tower_g(h)                     (N, K_g) g ascending
 *               z = [z_0 | z_1 | … | z_{G−1}]        (N, K)   group g in columns c_g … c_g + K_g − 1
 *   loss        J = Σ_g w_g · J_g(z_g, t_g)          ({@link GroupedLoss})
 *   backward    tower g from dz_g = dz[:, c_g …] down to its layer 0 (its dz^g_0, no dx)
 *               dh_ni = +0.0 + Σ_g Σ_o dz^g_0[n][o] · W^g_0[o][i]     (g ascending, then o ascending)
 *               trunk.backward(dh)
 * </pre>
 *
 * The trunk's gradient dh is the sum a wide layer made of the towers' layer-0 rows stacked in
 * group order would compute, in that layer's order; so towers of one layer each are the plain
 * network whose last layer has those rows (the same bits), and one group is the plain network of
 * the trunk's layers and the tower's layers. When no trunk layer is trainable, dh is not computed
 * and each tower stops at its own lowest trainable layer (SPEC.md §6, rule 4).
 *
 * <p>Freezing and the learning-rate multiplier are per layer ({@link Dense#setTrainable},
 * {@link Dense#setLrScale}): freeze a tower with {@code tower(g).freeze(0, tower(g).size())}.
 * Arrays returned by {@link #forward}, {@link #output} and {@link #backwardToInput} are buffers
 * owned by this object or its networks: read them before the next call. Not thread-safe.
 *
 * <p>Index letters: N rows (n), I inputs, H outputs of the trunk (i in the trunk's gradient),
 * G groups (g), K_g outputs of group g, K = Σ_g K_g, o the outputs of a tower's layer 0.
 */
public final class TaskNetwork {

    private final Network trunk;
    private final ArrayList<Group> groups = new ArrayList<Group>();   // (G)
    private final ArrayList<Network> towers = new ArrayList<Network>(); // (G) tower g: H → K_g
    private GroupedLoss loss;

    // The last forward: its input, and whether it started from the trunk's output (features).
    private double[][] x;         // (N, I), or (N, H) cached trunk outputs when fromFeatures
    private boolean fromFeatures;
    private double[][] z;         // (N, K) the outputs of all groups, side by side
    private double[][][] dz;      // [g] (N, K_g) the columns of dout of group g
    private double[][] dh;        // (N, H) ∂J/∂h, the trunk's output gradient
    private boolean dhComputed;   // whether dh belongs to the last forward

    /**
     * A trunk and one tower per group, in column order.
     *
     * @param trunk  the shared layers (I → H)
     * @param groups the groups (tasks), names distinct
     * @param towers tower g (H → K_g) for group g; each layer object in one place only
     * @throws IllegalArgumentException when an argument is null or empty, the counts differ, a
     *         tower's sizes do not fit, or a layer object appears twice
     */
    public TaskNetwork(Network trunk, List<Group> groups, List<Network> towers) {
        if (trunk == null) throw new IllegalArgumentException("TaskNetwork: expected a trunk, found null");
        if (groups == null || towers == null || groups.isEmpty() || groups.size() != towers.size()) {
            throw new IllegalArgumentException("TaskNetwork: expected one tower per group and at least one group, found "
                + (groups == null ? "null" : String.valueOf(groups.size())) + " groups and "
                + (towers == null ? "null" : String.valueOf(towers.size())) + " towers");
        }
        this.trunk = trunk;
        for (int g = 0; g < groups.size(); g++) addTask(groups.get(g), towers.get(g));
    }

    // ----------------------------------------------------------------------------------------
    // forward

    /**
     * Runs the trunk once and every tower on its output.
     *
     * @param x input (N, I), finite; not one of this object's buffers
     * @return z (N, K): group g's outputs in columns c_g … c_g + K_g − 1; a buffer owned by this object
     * @throws IllegalArgumentException if x is empty, has the wrong width, holds NaN/Inf, or is z,
     *         a tower's buffer (such as {@link #output}) or the trunk's
     */
    public double[][] forward(double[][] x) {
        // The towers overwrite z and their own buffers after the trunk keeps x for its backward:
        // x must be none of them (output(g) returns a tower's buffer, forward returns z).
        boolean own = x == z;
        for (Network tower : towers) own |= tower.ownsBuffer(x);
        if (own) throw new IllegalArgumentException("input x: expected an array of the caller's, found one of the task network's own buffers (copy it first)");
        double[][] h = trunk.forward(x); // checks x
        this.x = x;
        fromFeatures = false;
        dhComputed = false;
        return towers(h);
    }

    /**
     * The towers on trunk outputs computed earlier (cached features of a frozen trunk, SPEC.md
     * §27): the rows are not checked, and the following backward does not reach the trunk.
     */
    double[][] forwardFeatures(double[][] h) {
        this.x = h;
        fromFeatures = true;
        dhComputed = false;
        return towers(h);
    }

    /** z_g = tower_g(h) for g ascending, copied side by side into z (N, K). */
    private double[][] towers(double[][] h) {
        int N = h.length;
        if (z == null || z.length != N) allocate(N);
        for (int g = 0; g < towers.size(); g++) {
            double[][] zg = towers.get(g).forwardChecked(h); // (N, K_g); h is the trunk's, checked or finite by construction
            int c = loss.columnStart(g);
            for (int n = 0; n < N; n++) System.arraycopy(zg[n], 0, z[n], c, zg[n].length);
        }
        return z;
    }

    /**
     * Group g's outputs of the last forward.
     *
     * @param g the group index
     * @return z_g (N, K_g), a buffer owned by tower g
     * @throws IllegalArgumentException unless 0 ≤ g &lt; G
     * @throws IllegalStateException before the first forward
     */
    public double[][] output(int g) {
        checkGroup(g);
        checkForward("output");
        return towers.get(g).activation(towers.get(g).size() - 1);
    }

    // ----------------------------------------------------------------------------------------
    // backward

    /**
     * Backpropagates dout = ∂J/∂z through the towers and the trunk (the class comment), adding
     * each trainable layer's gradient to its dW, db. The trunk's gradient dh is computed only when
     * a trunk layer is trainable.
     *
     * @param dout (N, K), the gradient with respect to the output of the last {@link #forward}; not modified
     * @throws IllegalStateException before the first forward
     * @throws IllegalArgumentException if dout is not (N, K)
     */
    public void backward(double[][] dout) {
        checkForward("backward");
        boolean toTrunk = !fromFeatures && trunk.lowestTrainable() >= 0;
        backward(dout, toTrunk, false);
    }

    /**
     * Like {@link #backward} but continues through every layer, frozen or not, down to the input.
     *
     * @param dout (N, K), the gradient with respect to the output of the last {@link #forward}; not modified
     * @return dx = ∂J/∂x (N, I), a buffer owned by the trunk
     * @throws IllegalStateException before the first forward
     * @throws IllegalArgumentException if dout is not (N, K)
     */
    public double[][] backwardToInput(double[][] dout) {
        checkForward("backwardToInput");
        if (fromFeatures) throw new IllegalStateException("backwardToInput: expected a forward from x, found one from cached trunk features");
        return backward(dout, true, true);
    }

    private double[][] backward(double[][] dout, boolean toTrunk, boolean toInput) {
        int N = z.length;
        Check.shape("dout", dout, N, outputs());
        // dz_g = the columns c_g … c_g + K_g − 1 of dout
        for (int g = 0; g < towers.size(); g++) {
            int c = loss.columnStart(g);
            for (int n = 0; n < N; n++) System.arraycopy(dout[n], c, dz[g][n], 0, dz[g][n].length);
        }
        for (int g = 0; g < towers.size(); g++) {
            // To feed the trunk, a tower runs down to its layer 0 (frozen layers pass the gradient
            // through, SPEC.md §6 rule 3); otherwise it stops at its own lowest trainable layer.
            if (toTrunk) towers.get(g).backward(dz[g], 0, false);
            else towers.get(g).backward(dz[g]);
        }
        if (!toTrunk) return null;
        // z^g_0 = h·W^g_0ᵀ + b^g_0 for every g  ⇒  dh_ni = Σ_g Σ_o dz^g_0[n][o]·W^g_0[o][i]
        // (from +0.0, g ascending, then o ascending: the order of one wide layer of the stacked rows)
        for (int n = 0; n < N; n++) {
            double[] dhn = dh[n];                                 // (H)
            java.util.Arrays.fill(dhn, 0.0);
            for (int g = 0; g < towers.size(); g++) {
                double[] dzn = towers.get(g).preActivationGradient(0)[n]; // (O) of tower g's layer 0
                double[][] W = towers.get(g).layer(0).W;                  // (O, H)
                for (int o = 0; o < dzn.length; o++) {
                    double d = dzn[o];
                    double[] Wo = W[o];                                   // (H)
                    for (int i = 0; i < dhn.length; i++) dhn[i] += d * Wo[i];
                }
            }
        }
        dhComputed = true;
        if (toInput) return trunk.backwardToInput(dh);
        trunk.backward(dh);
        return null;
    }

    /**
     * The trunk's output gradient dh = ∂J/∂h of the last backward that reached the trunk: every
     * {@link #backwardToInput}, and a {@link #backward} when a trunk layer is trainable (SPEC.md
     * §27.2). {@code plainnet compute} reports it (§22.2, {@code backward.dh}).
     *
     * @return dh (N, H), a buffer owned by this object: read it before the next call
     * @throws IllegalStateException when the last forward has had no such backward
     */
    public double[][] trunkGradient() {
        if (!dhComputed) throw new IllegalStateException("trunkGradient: expected a backward that reached the trunk after the last forward, found none");
        return dh;
    }

    /** Sets dW and db of every trainable layer of the trunk and the towers to zero. */
    public void zeroGrad() {
        trunk.zeroGrad();
        for (int g = 0; g < towers.size(); g++) towers.get(g).zeroGrad();
    }

    /**
     * One optimizer update of the trunk, then of the towers in group order (each layer has its
     * own state in the optimizer, so the order changes no bit); frozen layers are skipped.
     *
     * @param opt the optimizer
     * @throws IllegalArgumentException if opt is null
     */
    public void step(Optimizer opt) {
        if (opt == null) throw new IllegalArgumentException("step: expected an optimizer, found null");
        opt.step(trunk);
        for (int g = 0; g < towers.size(); g++) opt.step(towers.get(g));
    }

    // ----------------------------------------------------------------------------------------
    // tasks

    /**
     * Adds a group (task) with its tower after the existing ones: its columns come last. The
     * other groups, the trunk and the towers are not touched, so their outputs keep their bits.
     *
     * @param group the new group; its name must be new
     * @param tower its tower (H → K_g), with layers of its own (fresh, e.g. drawn from an explicit {@link Rng})
     * @throws IllegalArgumentException when an argument is null, the name is taken, the tower's
     *         sizes do not fit, or one of its layer objects is already in this network
     */
    public void addTask(Group group, Network tower) {
        if (group == null || tower == null) throw new IllegalArgumentException("addTask: expected a group and a tower, found null");
        if (indexOf(group.name) >= 0) throw new IllegalArgumentException("addTask: expected a new task name, found \"" + group.name + "\", which exists");
        if (tower.inputs() != trunk.outputs()) {
            throw new IllegalArgumentException("addTask: tower of " + group.name + ": expected " + trunk.outputs()
                + " inputs (the trunk's outputs), found " + tower.inputs());
        }
        if (tower.outputs() != group.K) {
            throw new IllegalArgumentException("addTask: tower of " + group.name + ": expected " + group.K
                + " outputs (the group's columns), found " + tower.outputs());
        }
        IdentityHashMap<Dense, String> seen = new IdentityHashMap<Dense, String>();
        for (int l = 0; l < trunk.size(); l++) seen.put(trunk.layer(l), "the trunk");
        for (int g = 0; g < towers.size(); g++) for (int l = 0; l < towers.get(g).size(); l++) seen.put(towers.get(g).layer(l), "the tower of " + groups.get(g).name);
        for (int l = 0; l < tower.size(); l++) {
            String where = seen.put(tower.layer(l), "this tower");
            if (where != null) {
                throw new IllegalArgumentException("addTask: tower of " + group.name + ": its layer " + l + " is already in " + where + " (give it a layer of its own)");
            }
        }
        List<Group> next = new ArrayList<Group>(groups);
        next.add(group);
        GroupedLoss nextLoss = new GroupedLoss(next); // checks before anything changes
        groups.add(group);
        towers.add(tower);
        loss = nextLoss;
        invalidate();
    }

    /**
     * Removes a group (task) and its tower; the columns of the groups after it move left by K_g.
     * The trunk and the other towers are not touched, so their outputs keep their bits.
     *
     * @param name the group's name
     * @return the removed tower
     * @throws IllegalArgumentException when no group has that name, or it is the only one
     */
    public Network removeTask(String name) {
        int g = indexOf(name);
        if (g < 0) throw new IllegalArgumentException("removeTask: expected one of the tasks " + names() + ", found \"" + name + "\"");
        if (groups.size() == 1) throw new IllegalArgumentException("removeTask: expected another task to remain, found \"" + name + "\" the only one");
        groups.remove(g);
        Network tower = towers.remove(g);
        loss = new GroupedLoss(groups);
        invalidate();
        return tower;
    }

    // ----------------------------------------------------------------------------------------
    // structure

    /**
     * The shared trunk.
     *
     * @return the trunk itself (not a copy)
     */
    public Network trunk() {
        return trunk;
    }

    /**
     * Tower g.
     *
     * @param g the group index
     * @return the tower itself (not a copy)
     * @throws IllegalArgumentException unless 0 ≤ g &lt; G
     */
    public Network tower(int g) {
        checkGroup(g);
        return towers.get(g);
    }

    /**
     * Group g.
     *
     * @param g the group index
     * @return the group
     * @throws IllegalArgumentException unless 0 ≤ g &lt; G
     */
    public Group group(int g) {
        checkGroup(g);
        return groups.get(g);
    }

    /**
     * Number of groups.
     *
     * @return G
     */
    public int groupCount() {
        return groups.size();
    }

    /**
     * The index of the group with this name.
     *
     * @param name a group name
     * @return g, or −1 when no group has that name
     */
    public int indexOf(String name) {
        for (int g = 0; g < groups.size(); g++) if (groups.get(g).name.equals(name)) return g;
        return -1;
    }

    /**
     * The loss of the groups, over the K columns of {@link #forward}'s output.
     *
     * @return J = Σ_g w_g · J_g as a {@link GroupedLoss}
     */
    public GroupedLoss loss() {
        return loss;
    }

    /**
     * Number of inputs.
     *
     * @return I, the trunk's inputs
     */
    public int inputs() {
        return trunk.inputs();
    }

    /**
     * Number of outputs of all groups.
     *
     * @return K = Σ_g K_g
     */
    public int outputs() {
        return loss.columns();
    }

    /**
     * Number of parameters of the trunk and the towers.
     *
     * @return the sum of their {@link Network#parameterCount}
     */
    public long parameterCount() {
        long count = trunk.parameterCount();
        for (Network tower : towers) count += tower.parameterCount();
        return count;
    }

    /**
     * Number of parameters of the trainable layers of the trunk and the towers.
     *
     * @return the sum of their {@link Network#trainableParameterCount}
     */
    public long trainableParameterCount() {
        long count = trunk.trainableParameterCount();
        for (Network tower : towers) count += tower.trainableParameterCount();
        return count;
    }

    /**
     * The trunk's and the towers' layers: the trunk's from layer 0 up, then each tower's, g ascending.
     *
     * @return an unmodifiable list of the layer objects
     */
    public List<Dense> layers() {
        List<Dense> all = new ArrayList<Dense>();
        for (int l = 0; l < trunk.size(); l++) all.add(trunk.layer(l));
        for (Network tower : towers) for (int l = 0; l < tower.size(); l++) all.add(tower.layer(l));
        return Collections.unmodifiableList(all);
    }

    /**
     * A deep copy ({@link Network#copy} of the trunk and of every tower; the same groups).
     *
     * @return the copy
     */
    public TaskNetwork copy() {
        List<Network> copies = new ArrayList<Network>();
        for (Network tower : towers) copies.add(tower.copy());
        return new TaskNetwork(trunk.copy(), groups, copies);
    }

    /**
     * Sets the kernels' threads of the trunk and of every tower (SPEC.md §23); the bits do not depend on it.
     *
     * @param threads the number of threads, 1 to {@link Network#MAX_THREADS}
     * @throws IllegalArgumentException if threads is out of range
     */
    public void setThreads(int threads) {
        trunk.setThreads(threads);
        for (Network tower : towers) tower.setThreads(threads);
    }

    private String names() {
        StringBuilder s = new StringBuilder();
        for (int g = 0; g < groups.size(); g++) s.append(g == 0 ? "" : ", ").append(groups.get(g).name);
        return s.toString();
    }

    private void allocate(int N) {
        z = new double[N][outputs()];
        dz = new double[towers.size()][][];
        for (int g = 0; g < towers.size(); g++) dz[g] = new double[N][groups.get(g).K];
        dh = new double[N][trunk.outputs()];
    }

    private void invalidate() {
        x = null;
        dhComputed = false;
        z = null;
    }

    private void checkForward(String what) {
        if (x == null) throw new IllegalStateException(what + ": expected a forward pass first (after the last change of tasks), found none");
    }

    private void checkGroup(int g) {
        if (g < 0 || g >= groups.size()) {
            throw new IllegalArgumentException("group index: expected 0 <= g < " + groups.size() + ", found " + g);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TaskNetwork(trunk ").append(trunk);
        for (int g = 0; g < groups.size(); g++) s.append(", ").append(groups.get(g).name).append(": ").append(towers.get(g));
        return s.append(")").toString();
    }
}
