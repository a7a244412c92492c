package plainnet;

/**
 * One output group (a task): K_g consecutive output columns of a network, with their own loss
 * (its own reduction, SPEC.md §9) and a task weight w_g ≥ 0. A network's groups, in order, cover
 * its output columns: group g holds the columns c_g … c_g + K_g − 1, with c_0 = 0 and
 * c_{g+1} = c_g + K_g. See SPEC.md §27, "Output groups and task towers".
 *
 * <p>The targets of a group are its columns of the one {@link Targets} (N, K) of all groups, stored
 * as its loss reads them: a softmax group holds a one-hot row of its K_g classes (an unlabeled row
 * has its K_g mask entries false, as {@link Targets#ofClasses} makes), a binary cross-entropy or
 * squared-error group one column per output.
 *
 * <p>Immutable.
 */
public final class Group {

    /** The group's name (a task's name in files and on the command line): not empty. */
    public final String name;
    /** K_g, the group's number of output columns, ≥ 1. */
    public final int K;
    /** The group's loss J_g, with its own reduction. */
    public final Loss loss;
    /** The task weight w_g, finite and ≥ 0: the group adds w_g · J_g to J. */
    public final double weight;

    /**
     * A group with task weight 1.
     *
     * @param name the group's name, not empty
     * @param K    its number of output columns, ≥ 1
     * @param loss its loss J_g
     * @throws IllegalArgumentException on an empty name, K &lt; 1, or a null loss or a {@link GroupedLoss}
     */
    public Group(String name, int K, Loss loss) {
        this(name, K, loss, 1.0);
    }

    /**
     * A group.
     *
     * @param name   the group's name, not empty
     * @param K      its number of output columns, ≥ 1
     * @param loss   its loss J_g
     * @param weight the task weight w_g, finite and ≥ 0
     * @throws IllegalArgumentException on an empty name, K &lt; 1, a null loss or a {@link GroupedLoss}, or a bad weight
     */
    public Group(String name, int K, Loss loss, double weight) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("group name: expected a non-empty name, found " + (name == null ? "null" : "\"\""));
        }
        Check.size("group " + name + ": number of columns K", K);
        if (loss == null) throw new IllegalArgumentException("group " + name + ": expected a loss, found null");
        if (loss instanceof GroupedLoss) {
            throw new IllegalArgumentException("group " + name + ": expected the loss of one group, found a GroupedLoss (list its groups instead)");
        }
        Check.positive("group " + name + ": task weight", weight, false);
        this.name = name;
        this.K = K;
        this.loss = loss;
        this.weight = weight;
    }

    @Override
    public String toString() {
        String kind;
        try {
            kind = loss.name();
        } catch (IllegalArgumentException e) {
            kind = loss.getClass().getSimpleName();
        }
        return "Group(" + name + ", " + K + " columns, " + kind + ", " + loss.reduction().fileName()
            + (weight == 1.0 ? "" : ", weight " + weight) + ")";
    }
}
