package plainnet;

import static org.assertj.core.api.Assertions.fail;

/** Shared test helpers: closeness with a report of the worst entry, bit equality, random arrays. */
final class Assert {

    private Assert() {}

    /** |expected − actual| ≤ tol. */
    static void assertClose(String name, double expected, double actual, double tol) {
        if (!(Math.abs(expected - actual) <= tol)) {
            fail(name + ": expected " + expected + ", found " + actual + " (difference " + Math.abs(expected - actual) + " > tolerance " + tol + ")");
        }
    }

    /** Element-wise |expected − actual| ≤ tol; on failure names the worst index and both values. */
    static void assertClose(String name, double[][] expected, double[][] actual, double tol) {
        if (expected.length != actual.length) fail(name + ": expected " + expected.length + " rows, found " + actual.length);
        double worst = -1;
        int wn = -1, wk = -1;
        for (int n = 0; n < expected.length; n++) {
            if (expected[n].length != actual[n].length) fail(name + "[" + n + "]: expected " + expected[n].length + " columns, found " + actual[n].length);
            for (int k = 0; k < expected[n].length; k++) {
                double d = Math.abs(expected[n][k] - actual[n][k]);
                if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;
                if (d > worst) { worst = d; wn = n; wk = k; }
            }
        }
        if (worst > tol) {
            fail(name + ": worst difference " + worst + " > tolerance " + tol + " at [" + wn + "][" + wk + "]: expected "
                + expected[wn][wk] + ", found " + actual[wn][wk]);
        }
    }

    /** Bit-for-bit equality, naming the first differing index. */
    static void assertSameBits(String name, double[][] expected, double[][] actual) {
        if (expected.length != actual.length) fail(name + ": expected " + expected.length + " rows, found " + actual.length);
        for (int n = 0; n < expected.length; n++) {
            if (expected[n].length != actual[n].length) fail(name + "[" + n + "]: expected " + expected[n].length + " columns, found " + actual[n].length);
            for (int k = 0; k < expected[n].length; k++) {
                if (Double.doubleToRawLongBits(expected[n][k]) != Double.doubleToRawLongBits(actual[n][k])) {
                    fail(name + ": bits differ at [" + n + "][" + k + "]: expected " + expected[n][k] + ", found " + actual[n][k]);
                }
            }
        }
    }

    static void assertSameBits(String name, double[] expected, double[] actual) {
        assertSameBits(name, new double[][] {expected}, new double[][] {actual});
    }

    /** An (rows, cols) matrix of standard normals from rng, times scale. */
    static double[][] gaussian(Rng rng, int rows, int cols, double scale) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) for (int j = 0; j < cols; j++) row[j] = scale * rng.nextGaussian();
        return a;
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int n = 0; n < a.length; n++) c[n] = a[n].clone();
        return c;
    }
}
