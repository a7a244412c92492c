package plainnet;

/**
 * Labels Y (N, K) with a mask saying which entries are labeled. An unlabeled entry is skipped by
 * every loss: it adds exactly zero to the loss and exactly zero to the gradient, whatever value
 * its slot in Y holds. See SPEC.md §7, "Labels and the mask".
 *
 * <p>Index letters: N rows (n), K label columns (k): one per task for the binary cross-entropy
 * and the squared error, one per class for the softmax cross-entropy.
 */
public final class Targets {

    /** Labels (N, K). The value of an unlabeled entry never enters a loss or a gradient. Not to be modified. */
    public final double[][] y;
    /** Mask (N, K): true where the entry is labeled. Not to be modified. */
    public final boolean[][] labeled;

    /**
     * Labels and a mask, both copied. Every labeled entry must be finite; an unlabeled entry may
     * hold anything, NaN included.
     *
     * @param y       labels (N, K), N ≥ 1, K ≥ 1
     * @param labeled mask (N, K): true where y[n][k] is a label
     * @throws IllegalArgumentException on a shape mismatch or a non-finite labeled entry
     */
    public Targets(double[][] y, boolean[][] labeled) {
        if (y == null || y.length == 0) {
            throw new IllegalArgumentException("labels y: expected at least 1 row, found " + (y == null ? "null" : "an empty batch (0 rows)"));
        }
        if (y[0] == null || y[0].length == 0) {
            throw new IllegalArgumentException("labels y[0]: expected at least 1 column, found " + (y[0] == null ? "null" : "0"));
        }
        int N = y.length;
        int K = y[0].length;
        Check.shape("labels y", y, N, K);
        if (labeled == null || labeled.length != N) {
            throw new IllegalArgumentException("mask labeled: expected " + N + " rows (as y), found " + (labeled == null ? "null" : String.valueOf(labeled.length)));
        }
        this.y = new double[N][];
        this.labeled = new boolean[N][];
        for (int n = 0; n < N; n++) {
            if (labeled[n] == null || labeled[n].length != K) {
                throw new IllegalArgumentException("mask labeled[" + n + "]: expected " + K + " columns (as y), found "
                    + (labeled[n] == null ? "null" : String.valueOf(labeled[n].length)));
            }
            for (int k = 0; k < K; k++) {
                double v = y[n][k];
                if (labeled[n][k] && (Double.isNaN(v) || Double.isInfinite(v))) {
                    throw new IllegalArgumentException("labels y[" + n + "][" + k + "]: expected a finite number for a labeled entry, found " + v
                        + " (mark the entry unlabeled in the mask instead)");
                }
            }
            this.y[n] = y[n].clone();
            this.labeled[n] = labeled[n].clone();
        }
    }

    /** The rows already checked by the public constructor: shared, not copied. */
    private Targets(double[][] y, boolean[][] labeled, int rows) {
        this.y = y;
        this.labeled = labeled;
    }

    /**
     * The rows index[from], …, index[to − 1] of these targets, in that order. The rows are
     * shared, not copied (targets are never modified), so taking a mini-batch costs no copy.
     *
     * @param index row indices, each in [0, N)
     * @param from  first position of {@code index} to take
     * @param to    one past the last position, from &lt; to ≤ index.length
     * @return targets of (to − from, K)
     * @throws IllegalArgumentException if the range is empty or out of bounds, or an index is not a row
     */
    public Targets rows(int[] index, int from, int to) {
        if (from < 0 || to > index.length || from >= to) {
            throw new IllegalArgumentException("rows: expected 0 <= from < to <= " + index.length + ", found [" + from + ", " + to + ")");
        }
        double[][] ys = new double[to - from][];
        boolean[][] ms = new boolean[to - from][];
        for (int j = from; j < to; j++) {
            if (index[j] < 0 || index[j] >= y.length) {
                throw new IllegalArgumentException("rows: expected row indices in [0, " + y.length + "), found " + index[j]);
            }
            ys[j - from] = y[index[j]];
            ms[j - from] = labeled[index[j]];
        }
        return new Targets(ys, ms, to - from);
    }

    /**
     * Targets over row arrays the caller keeps filling with rows of checked targets (the training
     * loop's mini-batch view, which then allocates nothing per batch). Package-private: the rows
     * must come from Targets that were checked.
     */
    static Targets view(double[][] y, boolean[][] labeled) {
        return new Targets(y, labeled, y.length);
    }

    /**
     * Targets with every entry labeled.
     *
     * @param y labels (N, K), N ≥ 1, K ≥ 1, finite; copied
     * @return the targets, mask all true
     * @throws IllegalArgumentException if y is empty, ragged or holds a non-finite number
     */
    public static Targets of(double[][] y) {
        if (y == null || y.length == 0 || y[0] == null) {
            return new Targets(y, null); // reports the problem
        }
        boolean[][] all = new boolean[y.length][];
        for (int n = 0; n < y.length; n++) {
            all[n] = new boolean[y[n] == null ? 0 : y[n].length];
            java.util.Arrays.fill(all[n], true);
        }
        return new Targets(y, all);
    }

    /**
     * One-hot rows for single-label classification: row n is e_{c[n]}, or an unlabeled row when
     * c[n] = −1.
     *
     * @param c class index per row (N), in [0, K) or −1
     * @param K number of classes
     * @return targets (N, K) for the softmax cross-entropy (SPEC.md §8.2)
     * @throws IllegalArgumentException if a class index is out of range
     */
    public static Targets ofClasses(int[] c, int K) {
        if (c == null || c.length == 0) {
            throw new IllegalArgumentException("classes c: expected at least 1 row, found " + (c == null ? "null" : "an empty batch (0 rows)"));
        }
        Check.size("number of classes K", K);
        double[][] y = new double[c.length][K];
        boolean[][] m = new boolean[c.length][K];
        for (int n = 0; n < c.length; n++) {
            if (c[n] < -1 || c[n] >= K) {
                throw new IllegalArgumentException("classes c[" + n + "]: expected a class in [0, " + (K - 1) + "] or -1 for unlabeled, found " + c[n]);
            }
            if (c[n] >= 0) {
                y[n][c[n]] = 1.0;
                java.util.Arrays.fill(m[n], true);
            }
        }
        return new Targets(y, m);
    }

    /**
     * Number of rows N.
     *
     * @return N
     */
    public int rows() {
        return y.length;
    }

    /**
     * Number of columns K.
     *
     * @return K
     */
    public int columns() {
        return y[0].length;
    }

    /**
     * Number of labeled entries: the divisor D of the mean_labeled reduction for the element-wise
     * losses (SPEC.md §9).
     *
     * @return the count of true entries of the mask, 0 … N·K
     */
    public int labeledCount() {
        int count = 0;
        for (boolean[] row : labeled) for (boolean m : row) if (m) count++;
        return count;
    }

    // ----------------------------------------------------------------------------------------
    // the label checks of the losses and the metrics (called once per public call)

    /** z has the shape of the targets, (N, K). Values of z are not read: a diverged NaN passes through. */
    static void checkLogits(double[][] z, Targets t) {
        if (t == null) {
            throw new IllegalArgumentException("targets: expected labels and a mask, found null");
        }
        Check.shape("logits z", z, t.rows(), t.columns());
    }

    /** The number of columns K equals the loss's weight count, when it has weights. */
    void checkColumns(String name, double[] w) {
        if (w != null && w.length != columns()) {
            throw new IllegalArgumentException(name + ": the loss has " + w.length + " weights, but the targets have "
                + columns() + " columns");
        }
    }

    /** Every labeled y lies in [lo, hi]. */
    void checkRange(double lo, double hi, String lossName) {
        for (int n = 0; n < rows(); n++) {
            for (int k = 0; k < columns(); k++) {
                double v = y[n][k];
                if (labeled[n][k] && !(v >= lo && v <= hi)) {
                    throw new IllegalArgumentException("labels y[" + n + "][" + k + "]: expected a number in [" + lo + ", " + hi
                        + "] for " + lossName + ", found " + v);
                }
            }
        }
    }

    /**
     * Rows for the softmax cross-entropy: each row labeled or unlabeled as a whole, and each
     * labeled row's labels summing to 1 within {@code tolerance}. Returns the number of labeled rows.
     */
    int checkSoftmaxRows(double tolerance) {
        int labeledRows = 0;
        for (int n = 0; n < rows(); n++) {
            boolean[] m = labeled[n];
            double sum = 0.0;
            for (int k = 0; k < m.length; k++) {
                if (m[k] != m[0]) {
                    throw new IllegalArgumentException("mask labeled[" + n + "]: expected a row labeled or unlabeled as a whole for the softmax cross-entropy, found a mixed row");
                }
                sum += y[n][k];
            }
            if (m[0]) {
                labeledRows++;
                if (!(Math.abs(sum - 1.0) <= tolerance)) {
                    throw new IllegalArgumentException("labels y[" + n + "]: expected a labeled row summing to 1 for the softmax cross-entropy, found a sum of " + sum);
                }
            }
        }
        return labeledRows;
    }
}
