package plainnet;

/**
 * The training loop's mini-batch views (SPEC.md, "Training loop"): for a data set of N rows in
 * batches of B, one {@link Batch} for full batches and one for the smaller last batch, so that a
 * step allocates nothing: a batch's rows are the data's rows, not copies.
 *
 * <p>Index letters: N rows of the data, B rows of a batch, I inputs, K target columns.
 */
final class Batches {

    private final Batch full, last; // last is null when B divides N

    Batches(int N, int B, int K) {
        full = new Batch(Math.min(B, N), K);
        last = N % B == 0 ? null : new Batch(N % B, K);
    }

    /** The batch of rows order[from … to − 1] of (inputs, t): views of their rows. */
    Batch fill(int[] order, int from, int to, double[][] inputs, Targets t) {
        Batch b = to - from == full.x.length ? full : last;
        for (int j = 0; j < to - from; j++) {
            int n = order[from + j];
            b.x[j] = inputs[n];
            b.y[j] = t.y[n];
            b.m[j] = t.labeled[n];
        }
        return b;
    }

    /** One mini-batch of B rows: inputs x (B, I) and targets t (B, K) as views, and the loss gradient dz (B, K). */
    static final class Batch {
        final double[][] x;   // (B, I) rows of the data
        final Targets t;      // (B, K) rows of the data's targets
        final double[][] dz;  // (B, K) the loss gradient, written by the step
        private final double[][] y;
        private final boolean[][] m;

        Batch(int B, int K) {
            x = new double[B][];
            y = new double[B][];
            m = new boolean[B][];
            t = Targets.view(y, m);
            dz = new double[B][K];
        }
    }
}
