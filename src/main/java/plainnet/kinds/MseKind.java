package plainnet.kinds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import plainnet.Loss;
import plainnet.MeanSquaredError;
import plainnet.Reduction;
import plainnet.Targets;

/**
 * The mse kind: squared error with one identity output per numeric label column, any finite
 * label, per-column weights; the mean squared error per column (in a model of several groups
 * also RMSE and MAE). See SPEC.md §8.3, §27.7.
 */
final class MseKind implements Kind {

    @Override
    public String name() {
        return "mse";
    }

    @Override
    public String fileName() {
        return MeanSquaredError.NAME;
    }

    @Override
    public boolean owns(Loss loss) {
        return loss instanceof MeanSquaredError;
    }

    @Override
    public String taskWeightField() {
        return "weight";
    }

    @Override
    public String posWeightField() {
        return null;
    }

    @Override
    public Loss loss(Reduction r, double[] taskWeight, double[] posWeight) {
        if (posWeight != null) throw new IllegalArgumentException("squared error: expected no positive-class weights, found some");
        return new MeanSquaredError(r, taskWeight);
    }

    @Override
    public double[] taskWeight(Loss loss) {
        return ((MeanSquaredError) loss).weight();
    }

    @Override
    public double[] posWeight(Loss loss) {
        return null;
    }

    @Override
    public boolean oneLabelColumn() {
        return false;
    }

    /** Any finite number (the data reader refuses the others). */
    @Override
    public boolean accepts(double v, int classes) {
        return true;
    }

    @Override
    public String expectedLabel(int classes) {
        return "a finite number";
    }

    @Override
    public String hint(double v, int columns, Function<String, String> option) {
        return "";
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

    /**
     * Per column over its labeled entries: the mean squared error Σ e²/count (e = z − y), and in
     * a group's table also RMSE = √(Σ e²/count) and MAE = Σ |e|/count (n ascending).
     */
    @Override
    public String table(Loss loss, double[][] z, Targets t, List<String> names, boolean group) {
        int width = Kinds.width(names);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-" + width + "s %8s %12s" + (group ? " %12s %12s" : "") + "%n", group
            ? new Object[] {"output", "labeled", "mean sq err", "rmse", "mae"} : new Object[] {"output", "labeled", "mean sq err"}));
        for (int k = 0; k < names.size(); k++) {
            double sum = 0.0, abs = 0.0;
            int count = 0;
            for (int n = 0; n < z.length; n++) {
                if (!t.labeled[n][k]) continue;
                double e = z[n][k] - t.y[n][k];
                sum += e * e;
                abs += Math.abs(e);
                count++;
            }
            double mse = count == 0 ? Double.NaN : sum / count;
            s.append(String.format(Locale.ROOT, "%-" + width + "s %8d %12s", names.get(k), count, Kinds.num(mse)));
            if (group) s.append(String.format(Locale.ROOT, " %12s %12s", Kinds.num(StrictMath.sqrt(mse)), Kinds.num(count == 0 ? Double.NaN : abs / count)));
            s.append('\n');
        }
        return s.toString();
    }

    /** Mean of (z − y)² over the labeled entries of every column. */
    @Override
    public double metric(double[][] z, Targets t) {
        double sum = 0.0;
        long count = 0;
        for (int n = 0; n < z.length; n++) {
            for (int k = 0; k < z[n].length; k++) {
                if (!t.labeled[n][k]) continue;
                double d = z[n][k] - t.y[n][k];
                sum += d * d;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    @Override
    public String metricName() {
        return "mse";
    }

    @Override
    public boolean metricLowerIsBetter() {
        return true;
    }

    @Override
    public boolean inProgressLine() {
        return false;
    }

    @Override
    public double[] predict(double[] z) {
        return z.clone();
    }

    @Override
    public boolean classColumn() {
        return false;
    }

    @Override
    public String onnxOp() {
        return "Identity";
    }

    @Override
    public String onnxMeaning() {
        return "the outputs themselves (squared error: no output function)";
    }
}
