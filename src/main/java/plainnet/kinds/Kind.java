package plainnet.kinds;

import java.util.List;
import java.util.function.Function;
import plainnet.Loss;
import plainnet.Reduction;
import plainnet.Targets;

/**
 * Everything a loss kind (softmax, bce, mse) means outside the core: its names, building its loss,
 * reading and checking its labels, its metrics, its predict columns and its ONNX output node. A
 * group's kind decides all of these through this one door, so a new kind is one new file beside
 * {@link SoftmaxKind}, {@link BceKind} and {@link MseKind} plus its entry in {@link Kinds}. See
 * SPEC.md §27.7.
 *
 * <p>Index letters: N rows (n), K_g the kind's output columns of one group (k), C classes.
 * Every method takes the group's own columns: z (N, K_g), targets (N, K_g).
 */
public interface Kind {

    /**
     * The command-line name, as {@code --loss} and {@code --group NAME:KIND:…} take it.
     *
     * @return "bce", "softmax" or "mse"
     */
    String name();

    /**
     * The name in model files and SPEC.md (the loss's {@link Loss#name()}).
     *
     * @return e.g. "binary_cross_entropy"
     */
    String fileName();

    /**
     * Whether a loss is of this kind.
     *
     * @param loss a loss of one group (not a {@code GroupedLoss})
     * @return true when the loss is this kind's class
     */
    boolean owns(Loss loss);

    // ----------------------------------------------------------------------------------------
    // building the loss

    /**
     * The model file's field of the per-column weights ({@code --task-weight} on the command line).
     *
     * @return "task_weight" (bce), "weight" (mse), or null when the kind has none
     */
    String taskWeightField();

    /**
     * The model file's field of the positive-class weights ({@code --pos-weight}).
     *
     * @return "pos_weight" (bce) or null when the kind has none
     */
    String posWeightField();

    /**
     * Builds the kind's loss.
     *
     * @param r          the reduction
     * @param taskWeight one weight ≥ 0 per column, or null (only when {@link #taskWeightField()} is not null)
     * @param posWeight  one weight &gt; 0 per column, or null (only when {@link #posWeightField()} is not null)
     * @return the loss
     * @throws IllegalArgumentException for weights out of range, or weights the kind does not take
     */
    Loss loss(Reduction r, double[] taskWeight, double[] posWeight);

    /**
     * The loss's per-column weights, as its {@link #taskWeightField()} holds them.
     *
     * @param loss a loss this kind {@link #owns}
     * @return the weights (K_g), or null
     */
    double[] taskWeight(Loss loss);

    /**
     * The loss's positive-class weights, as its {@link #posWeightField()} holds them.
     *
     * @param loss a loss this kind {@link #owns}
     * @return the weights (K_g), or null
     */
    double[] posWeight(Loss loss);

    // ----------------------------------------------------------------------------------------
    // labels

    /**
     * Whether the kind reads exactly one label column (softmax: the class index), whatever its
     * number of outputs.
     *
     * @return true for one class column, false for one column per output
     */
    boolean oneLabelColumn();

    /**
     * Whether a labeled value fits the kind.
     *
     * @param v       the label, finite
     * @param classes the number of classes (softmax), or 0 when the data decides
     * @return true when v is a label of this kind
     */
    boolean accepts(double v, int classes);

    /**
     * What a label of this kind is, for messages ("expected " + this + " for …, found …").
     *
     * @param classes the number of classes (softmax), or 0 when the data decides
     * @return e.g. "a label in [0, 1] (or empty or ? for unlabeled)"
     */
    String expectedLabel(int classes);

    /**
     * The hint after a refused label, pointing at the kind that fits, or "".
     *
     * @param v       the refused label
     * @param columns the number of label columns read for this kind
     * @param option  how the command line names a kind: e.g. {@code k -> "--loss " + k}
     * @return e.g. "; did you mean --loss softmax? (the column looks like class indices 0, 1, 2, …)"
     */
    String hint(double v, int columns, Function<String, String> option);

    /**
     * The number of outputs K_g for the checked labels (N, label columns): C for softmax, given or
     * the largest class index + 1; the number of label columns otherwise.
     *
     * @param raw     the checked labels, one column per label column
     * @param classes the number of classes (softmax), or 0 when the data decides
     * @return K_g
     */
    int outputs(Targets raw, int classes);

    /**
     * The fewest outputs the kind trains with.
     *
     * @return 2 for softmax (two classes), 1 otherwise
     */
    int minOutputs();

    /**
     * The targets the loss reads (N, K_g) from the checked labels: one-hot rows for softmax, the
     * labels themselves otherwise.
     *
     * @param raw the checked labels (N, label columns)
     * @param K   K_g from {@link #outputs}
     * @return the targets (N, K_g)
     */
    Targets targets(Targets raw, int K);

    /**
     * The output names (K_g): "COLUMN=k" for softmax, the label columns otherwise.
     *
     * @param labels the label columns
     * @param K      K_g
     * @return the names, as the model file's "tasks" holds them
     */
    List<String> outputNames(List<String> labels, int K);

    /**
     * The label columns that output names were made from (the inverse of {@link #outputNames}).
     *
     * @param outputs the output names (K_g)
     * @return the label columns
     */
    List<String> labelColumns(List<String> outputs);

    // ----------------------------------------------------------------------------------------
    // metrics

    /**
     * Whether the loss counts rows (softmax: a row is labeled as a whole) rather than entries.
     *
     * @return true for rows
     */
    boolean countsRows();

    /**
     * The metrics table printed under the loss line by {@code evaluate} and after training.
     *
     * @param loss  the group's loss, of this kind
     * @param z     outputs (N, K_g)
     * @param t     targets (N, K_g)
     * @param names the output names (K_g)
     * @param group true in a model of several groups (the mse table then adds RMSE and MAE)
     * @return the table's lines, each ending in a newline
     */
    String table(Loss loss, double[][] z, Targets t, List<String> names, boolean group);

    /**
     * The validation metric of the progress line and the history file: accuracy (softmax; bce: the
     * mean over the tasks that have labels), mean squared error (mse).
     *
     * @param z outputs (N, K_g)
     * @param t targets (N, K_g)
     * @return the metric, NaN when nothing is labeled
     */
    double metric(double[][] z, Targets t);

    /**
     * The history file's name of {@link #metric}.
     *
     * @return "accuracy" or "mse"
     */
    String metricName();

    /**
     * Whether a lower {@link #metric} is better (an error, such as mse) rather than a higher one (an
     * accuracy): the comparisons' choice, ≈ and hurt flags read the metric's direction here.
     *
     * @return true for an error metric
     */
    boolean metricLowerIsBetter();

    /**
     * Whether the progress line of an epoch shows {@link #metric} (as "val acc").
     *
     * @return true for the accuracies
     */
    boolean inProgressLine();

    // ----------------------------------------------------------------------------------------
    // predict and export

    /**
     * The values {@code predict} writes for one row: probabilities (σ per column for bce, the
     * softmax for softmax) or the outputs themselves (mse).
     *
     * @param z one row's outputs (K_g), not modified
     * @return a new array (K_g)
     */
    double[] predict(double[] z);

    /**
     * Whether {@code predict} adds a column with the predicted class (softmax, in a model of
     * several groups).
     *
     * @return true for softmax
     */
    boolean classColumn();

    /**
     * The ONNX operator of the group's named output (SPEC.md §25).
     *
     * @return "Softmax", "Sigmoid" or "Identity"
     */
    String onnxOp();

    /**
     * What the ONNX output holds, for its description.
     *
     * @return e.g. "sigmoid of each logit, one column per task"
     */
    String onnxMeaning();
}
