package plainnet.kinds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Loss;
import plainnet.Metrics;
import plainnet.Reduction;
import plainnet.Targets;

/**
 * The bce kind: binary cross-entropy with one sigmoid output per label column, labels in [0, 1],
 * per-column task and positive-class weights; per-task accuracy, precision, recall, F1 and AUC.
 * See SPEC.md §8.1, §27.7.
 */
final class BceKind implements Kind {

    @Override
    public String name() {
        return "bce";
    }

    @Override
    public String fileName() {
        return BinaryCrossEntropy.NAME;
    }

    @Override
    public boolean owns(Loss loss) {
        return loss instanceof BinaryCrossEntropy;
    }

    @Override
    public String taskWeightField() {
        return "task_weight";
    }

    @Override
    public String posWeightField() {
        return "pos_weight";
    }

    @Override
    public Loss loss(Reduction r, double[] taskWeight, double[] posWeight) {
        return new BinaryCrossEntropy(r, taskWeight, posWeight);
    }

    @Override
    public double[] taskWeight(Loss loss) {
        return ((BinaryCrossEntropy) loss).taskWeight();
    }

    @Override
    public double[] posWeight(Loss loss) {
        return ((BinaryCrossEntropy) loss).posWeight();
    }

    @Override
    public boolean oneLabelColumn() {
        return false;
    }

    @Override
    public boolean accepts(double v, int classes) {
        return v >= 0.0 && v <= 1.0;
    }

    @Override
    public String expectedLabel(int classes) {
        return "a label in [0, 1] (or empty or ? for unlabeled)";
    }

    @Override
    public String hint(double v, int columns, Function<String, String> option) {
        boolean index = SoftmaxKind.isClassIndex(v);
        return index && columns == 1 ? "; did you mean " + option.apply("softmax") + "? (the column looks like class indices 0, 1, 2, …)"
            : index ? "; for class indices use " + option.apply("softmax") + " with one label column" : "; for numbers outside [0, 1] use " + option.apply("mse");
    }

    @Override
    public int outputs(Targets raw, int classes) {
        return raw.columns();
    }

    @Override
    public int minOutputs() {
        return 1;
    }

    @Override
    public Targets targets(Targets raw, int K) {
        return raw;
    }

    @Override
    public List<String> outputNames(List<String> labels, int K) {
        return new ArrayList<String>(labels);
    }

    @Override
    public List<String> labelColumns(List<String> outputs) {
        return new ArrayList<String>(outputs);
    }

    @Override
    public boolean countsRows() {
        return false;
    }

    @Override
    public String table(Loss loss, double[][] z, Targets t, List<String> names, boolean group) {
        int width = Kinds.width(names);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-" + width + "s %8s %9s %8s %8s %9s %8s %8s %8s%n", "task", "labeled", "positives", "loss", "accuracy", "precision", "recall", "f1", "auc"));
        Metrics.Binary[] m = Metrics.binary(z, t); // (K)
        double[] pw = posWeight(loss); // (K), or null
        for (int k = 0; k < m.length; k++) {
            // The task's own loss: the mean of ℓ over its labeled entries (pos_weight included, task weight not).
            double sum = 0.0;
            for (int n = 0; n < z.length; n++) if (t.labeled[n][k]) sum += BinaryCrossEntropy.term(z[n][k], t.y[n][k], pw == null ? 1.0 : pw[k]);
            s.append(String.format(Locale.ROOT, "%-" + width + "s %8d %9d %8s %8s %9s %8s %8s %8s%n", names.get(k), m[k].count, m[k].positives,
                Kinds.num(m[k].count == 0 ? Double.NaN : sum / m[k].count), Kinds.num(m[k].accuracy), Kinds.num(m[k].precision), Kinds.num(m[k].recall),
                Kinds.num(m[k].f1), Kinds.num(m[k].auc)));
        }
        s.append("(a task's loss is the mean over its labeled entries, pos_weight included, task weight not)\n");
        return s.toString();
    }

    /** The mean over the tasks of the binary accuracies (tasks without labels left out). */
    @Override
    public double metric(double[][] z, Targets t) {
        double sum = 0.0;
        int count = 0;
        for (Metrics.Binary b : Metrics.binary(z, t)) {
            if (b.count == 0) continue;
            sum += b.accuracy;
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    @Override
    public String metricName() {
        return "accuracy";
    }

    @Override
    public boolean metricLowerIsBetter() {
        return false;
    }

    @Override
    public boolean inProgressLine() {
        return true;
    }

    @Override
    public double[] predict(double[] z) {
        double[] p = new double[z.length]; // (K)
        for (int k = 0; k < z.length; k++) p[k] = Activation.sigmoid(z[k]);
        return p;
    }

    @Override
    public boolean classColumn() {
        return false;
    }

    @Override
    public String onnxOp() {
        return "Sigmoid";
    }

    @Override
    public String onnxMeaning() {
        return "sigmoid of each logit, one column per task";
    }
}
