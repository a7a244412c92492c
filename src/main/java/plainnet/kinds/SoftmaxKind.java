package plainnet.kinds;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import plainnet.Loss;
import plainnet.Metrics;
import plainnet.Reduction;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Targets;

/**
 * The softmax kind: softmax cross-entropy over C outputs read from one label column of class
 * indices 0 … C−1 (the outputs named "COLUMN=k"); accuracy and the confusion matrix; predict
 * writes the C probabilities and, in a model of several groups, the predicted class. See SPEC.md
 * §8.2, §27.7.
 */
final class SoftmaxKind implements Kind {

    /** Whether v is a class index 0 … Kinds.MAX_CLASSES − 1. */
    static boolean isClassIndex(double v) {
        return v == Math.rint(v) && v >= 0 && v < Kinds.MAX_CLASSES;
    }

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public String fileName() {
        return SoftmaxCrossEntropy.NAME;
    }

    @Override
    public boolean owns(Loss loss) {
        return loss instanceof SoftmaxCrossEntropy;
    }

    @Override
    public String taskWeightField() {
        return null;
    }

    @Override
    public String posWeightField() {
        return null;
    }

    @Override
    public Loss loss(Reduction r, double[] taskWeight, double[] posWeight) {
        if (taskWeight != null || posWeight != null) throw new IllegalArgumentException("softmax: expected no per-column weights, found some");
        return new SoftmaxCrossEntropy(r);
    }

    @Override
    public double[] taskWeight(Loss loss) {
        return null;
    }

    @Override
    public double[] posWeight(Loss loss) {
        return null;
    }

    @Override
    public boolean oneLabelColumn() {
        return true;
    }

    @Override
    public boolean accepts(double v, int classes) {
        return isClassIndex(v) && !(classes > 0 && v >= classes);
    }

    @Override
    public String expectedLabel(int classes) {
        return "a class index 0.." + (classes > 0 ? String.valueOf(classes - 1) : String.valueOf(Kinds.MAX_CLASSES - 1));
    }

    @Override
    public String hint(double v, int columns, Function<String, String> option) {
        return isClassIndex(v) ? "" : v >= 0.0 && v <= 1.0 ? "; did you mean " + option.apply("bce") + "? (a label in [0, 1] that is not a class index)"
            : "; for numbers use " + option.apply("mse");
    }

    @Override
    public int outputs(Targets raw, int classes) {
        int max = -1;
        for (int n = 0; n < raw.rows(); n++) if (raw.labeled[n][0]) max = Math.max(max, (int) raw.y[n][0]);
        return classes > 0 ? classes : max + 1;
    }

    @Override
    public int minOutputs() {
        return 2;
    }

    @Override
    public Targets targets(Targets raw, int K) {
        int[] c = new int[raw.rows()]; // (N)
        for (int n = 0; n < c.length; n++) c[n] = raw.labeled[n][0] ? (int) raw.y[n][0] : -1; // a class index, checked by accepts
        return Targets.ofClasses(c, K);
    }

    @Override
    public List<String> outputNames(List<String> labels, int K) {
        List<String> names = new ArrayList<String>();
        for (int k = 0; k < K; k++) names.add(labels.get(0) + "=" + k);
        return names;
    }

    /** The part of the first name before its last '=' (the class column). */
    @Override
    public List<String> labelColumns(List<String> outputs) {
        String first = outputs.get(0);
        int eq = first.lastIndexOf('=');
        return Collections.singletonList(eq > 0 ? first.substring(0, eq) : first);
    }

    @Override
    public boolean countsRows() {
        return true;
    }

    @Override
    public String table(Loss loss, double[][] z, Targets t, List<String> names, boolean group) {
        int width = Kinds.width(names);
        StringBuilder s = new StringBuilder();
        Metrics.Classes c = Metrics.classes(z, t);
        s.append(String.format(Locale.ROOT, "accuracy %s (%d of %d labeled rows)%n", Kinds.num(c.accuracy), c.correct, c.count));
        s.append("confusion matrix (rows: label, columns: prediction)\n");
        s.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
        for (int k = 0; k < names.size(); k++) s.append(String.format(Locale.ROOT, " %6d", k));
        s.append('\n');
        for (int k = 0; k < names.size(); k++) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s", names.get(k)));
            for (int j = 0; j < names.size(); j++) s.append(String.format(Locale.ROOT, " %6d", c.confusion[k][j]));
            s.append('\n');
        }
        return s.toString();
    }

    @Override
    public double metric(double[][] z, Targets t) {
        return Metrics.classes(z, t).accuracy;
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

    /** The softmax p_k = exp(z_k − logsumexp(z)). */
    @Override
    public double[] predict(double[] z) {
        double[] p = new double[z.length]; // (C)
        double lse = SoftmaxCrossEntropy.logSumExp(z);
        for (int k = 0; k < z.length; k++) p[k] = StrictMath.exp(z[k] - lse);
        return p;
    }

    @Override
    public boolean classColumn() {
        return true;
    }

    @Override
    public String onnxOp() {
        return "Softmax";
    }

    @Override
    public String onnxMeaning() {
        return "softmax of the logits over axis 1 (the classes)";
    }
}
