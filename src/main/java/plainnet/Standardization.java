package plainnet;

/**
 * Per-feature standardization of the network input, x'_ni = (x_ni − mean_i) / std_i, applied
 * before layer 0. See SPEC.md §17.1, "Standardization".
 *
 * <p>Index letters: N rows (n), I features (i).
 */
public final class Standardization {

    /** The mean of each feature (I), finite. */
    public final double[] mean;
    /** The standard deviation of each feature (I), finite and &gt; 0. */
    public final double[] std;

    /**
     * Given statistics, both copied.
     *
     * @param mean the mean of each feature (I)
     * @param std  the standard deviation of each feature (I)
     * @throws IllegalArgumentException unless mean and std have the same length ≥ 1, every mean
     *                                  is finite and every std finite and &gt; 0
     */
    public Standardization(double[] mean, double[] std) {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("standardization: expected a mean and a std of the same length >= 1, found "
                + (mean == null ? "null" : String.valueOf(mean.length)) + " and " + (std == null ? "null" : String.valueOf(std.length)));
        }
        for (int i = 0; i < mean.length; i++) {
            if (Double.isNaN(mean[i]) || Double.isInfinite(mean[i])) throw new IllegalArgumentException("standardization: expected a finite mean, found " + mean[i] + " at index " + i);
            if (!(std[i] > 0.0) || Double.isInfinite(std[i])) throw new IllegalArgumentException("standardization: expected a finite std > 0, found " + std[i] + " at index " + i);
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * The statistics of x (N, I): mean_i = (Σ_n x_ni) / N and the population standard deviation
     * std_i = sqrt((Σ_n (x_ni − mean_i)²) / N), both sums from +0.0 with n ascending. A constant
     * feature (every x_ni equal) gets mean_i = that value and std_i = 1, so that x'_ni = 0 exactly.
     *
     * @param x rows (N, I), N ≥ 1, finite; not modified
     * @return the statistics, of size I
     * @throws IllegalArgumentException if x has no row, ragged rows or a non-finite entry
     */
    public static Standardization fit(double[][] x) {
        int I = x != null && x.length > 0 && x[0] != null ? x[0].length : 1;
        Check.matrix("standardization data x", x, -1, I);
        int N = x.length;
        double[] mean = new double[I], std = new double[I]; // (I), (I)
        for (int i = 0; i < I; i++) {
            double sum = 0.0;
            boolean constant = true;
            for (int n = 0; n < N; n++) {
                sum += x[n][i];
                constant &= x[n][i] == x[0][i];
            }
            if (constant) {
                mean[i] = x[0][i];
                std[i] = 1.0;
                continue;
            }
            mean[i] = sum / N;
            double squares = 0.0;
            for (int n = 0; n < N; n++) {
                double d = x[n][i] - mean[i];
                squares += d * d;
            }
            std[i] = Math.sqrt(squares / N);
        }
        return new Standardization(mean, std);
    }

    /**
     * Number of features I.
     *
     * @return I, the length of {@link #mean} and {@link #std}
     */
    public int size() {
        return mean.length;
    }

    /**
     * Standardizes x (N, I) in place: x_ni ← (x_ni − mean_i) / std_i (one subtraction and one
     * division, each rounded), so that the data is held once.
     *
     * @param x rows (N, I), overwritten with the standardized values
     * @throws IllegalArgumentException if x is not (N, I) for this I, or holds a non-finite entry
     */
    public void apply(double[][] x) {
        Check.matrix("standardized inputs x", x, -1, mean.length);
        for (double[] row : x) {
            for (int i = 0; i < row.length; i++) row[i] = (row[i] - mean[i]) / std[i];
        }
    }
}
