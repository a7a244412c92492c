package plainnet;

/**
 * Everything that exists only for speed, kept out of the math files (Dense, Network, Optimizer,
 * Trainer) so that those read as their formulas. See SPEC.md, section "Fast kernels and threads".
 *
 * <p>A speed file: it knows arrays, {@link Activation}, {@link Kernels} and {@link Parallel}, and
 * nothing above them (no layer, network, optimizer or targets), so that the math files depend on
 * it and never the other way round ({@code CoreImportsTest} checks it).
 *
 * <ul>
 * <li>One call per product, every array passed as an argument: {@link #forward},
 *     {@link #activationBackward}, {@link #weights}, {@link #input}. Each runs the naive kernels
 *     of {@link Kernels} when {@code reference} is set, else the fast ones split over the threads
 *     of a {@link Parallel}; the bits are the same either way.
 * <li>{@link Work}: the scratch of one caller: Wᵀ for the plain forward, dzᵀ for the Vector API
 *     weights product, and the thread-job objects, made once so that a call allocates nothing.
 * <li>{@link Buffers}: a network's arrays for one batch size, from its layer widths, cached for
 *     its most recent sizes.
 * </ul>
 *
 * <p>Index letters as in Dense: N rows of the batch (n), I inputs (i), O outputs (o); L layers (l).
 */
final class FastPath {

    private FastPath() {}

    // ----------------------------------------------------------------------------------------
    // the products of a dense layer

    /**
     * z = x·Wᵀ + b, then a = f(z) (SPEC.md §4). Shapes are the caller's to check: z, a (N, O),
     * x (N, I), W (O, I), b (O).
     */
    static void forward(double[][] z, double[][] a, double[][] x, double[][] W, double[] b, Activation f,
                        boolean reference, Parallel p, Work w) {
        int N = x.length, I = W[0].length, O = W.length;
        if (reference) {
            Kernels.forwardNaive(z, x, W, b, 0, N);
            f.forward(a, z, 0, N);
            return;
        }
        w.z = z;
        w.a = a;
        w.x = x;
        w.W = W;
        w.b = b;
        w.f = f;
        if (O <= Kernels.FEW_OUTPUTS || N < Kernels.FEW_ROWS) {
            p.run(w.fewJob, N, (long) N * O * I); // z, then a = f(z), row by row
        } else if (Kernels.WIDE != null && N >= Kernels.WIDE_ROWS) {
            // Parts of the rows n, one per thread: z = b, z += x·Wᵀ (Wᵀ packed a block at a time), a = f(z).
            p.run(w.forwardPartsJob, w.parts(p, N, I, O), (long) N * O * I);
        } else {
            // WT = Wᵀ (I, O), by rows i; then rows n: z = b, z += x·WT streaming rows of WT, a = f(z).
            if (w.WT == null) w.WT = new double[I][O]; // a Work serves one layer: I and O never change
            p.run(w.transposeJob, I, (long) I * O);
            p.run(w.forwardJob, N, (long) N * O * I);
        }
        w.clear();
    }

    /** dz = da ⊙ f'(z) (SPEC.md §3): dz, da, z, a (N, O). */
    static void activationBackward(double[][] dz, double[][] da, double[][] z, double[][] a, Activation f,
                                   boolean reference, Parallel p, Work w) {
        int N = z.length;
        if (reference) {
            f.backward(dz, da, z, a, 0, N);
            return;
        }
        w.dz = dz;
        w.da = da;
        w.z = z;
        w.a = a;
        w.f = f;
        p.run(w.activationJob, N, (long) N * z[0].length);
        w.clear();
    }

    /** dW += dzᵀ·x, db += Σₙ dz (SPEC.md §4): dW (O, I), db (O), dz (N, O), x (N, I). */
    static void weights(double[][] dW, double[] db, double[][] dz, double[][] x, boolean reference, Parallel p, Work w) {
        int O = dW.length;
        if (reference) {
            Kernels.weightsNaive(dW, db, dz, x, 0, O);
            return;
        }
        w.dW = dW;
        w.db = db;
        w.dz = dz;
        w.x = x;
        if (Kernels.WIDE != null && O >= Kernels.WIDE_ROWS) {
            if (w.dzT == null || w.dzT.length != O || w.dzT[0].length < dz.length) w.dzT = new double[O][dz.length];
            p.run(w.weightsPartsJob, w.parts(p, O, dz.length, x[0].length), (long) O * dz.length * x[0].length);
        } else {
            p.run(w.weightsJob, O, (long) O * dz.length * x[0].length);
        }
        w.clear();
    }

    /** dx = dz·W (SPEC.md §4): dx (N, I), dz (N, O), W (O, I). */
    static void input(double[][] dx, double[][] dz, double[][] W, boolean reference, Parallel p, Work w) {
        int N = dz.length;
        if (reference) {
            Kernels.inputNaive(dx, dz, W, 0, N);
            return;
        }
        w.dx = dx;
        w.dz = dz;
        w.W = W;
        if (Kernels.WIDE != null && N >= Kernels.WIDE_ROWS) {
            p.run(w.inputPartsJob, w.parts(p, N, W.length, W[0].length), (long) N * W.length * W[0].length);
        } else {
            p.run(w.inputJob, N, (long) N * W.length * W[0].length);
        }
        w.clear();
    }

    // ----------------------------------------------------------------------------------------

    /**
     * The scratch of one caller (a network keeps one per layer; a layer used on its own keeps
     * one per calling thread): Wᵀ, dzᵀ, and the arguments of the current call in fields, read by thread jobs made once, so that a call allocates nothing.
     * Serves one call at a time.
     */
    static final class Work {
        /** Wᵀ (I, O) of the layer, for the plain forward; made at the first call. */
        private double[][] WT;

        // The Vector API kernels' product in progress, out (R, J) += A (R, K)·B (K, J), its rows
        // cut into `parts`; dzT (O, ≥ N), dz transposed for the weights product (A = dzᵀ), grown
        // when a batch needs more columns, so that a step allocates nothing after warm-up.
        private double[][] dzT;
        private int K, J, R, parts;

        // The arguments of the current call; null between calls.
        private double[][] z, a, x, W, dz, da, dx, dW; // (N, O), (N, O), (N, I), (O, I), (N, O), (N, O), (N, I), (O, I)
        private double[] b, db;                         // (O)
        private Activation f;

        private final Parallel.Range transposeJob = this::transposeRows;
        private final Parallel.Range forwardJob = this::forwardRows;
        private final Parallel.Range fewJob = this::fewRows;
        private final Parallel.Range activationJob = this::activationRows;
        private final Parallel.Range weightsJob = this::weightRows;
        private final Parallel.Range inputJob = this::inputRows;
        private final Parallel.Range forwardPartsJob = this::forwardParts;
        private final Parallel.Range weightsPartsJob = this::weightsParts;
        private final Parallel.Range inputPartsJob = this::inputParts;

        /**
         * Sets up the product out (R, J) += A (R, K)·B (K, J) and returns the number of parts its
         * rows are cut into: one per thread (each part packs every block of B once, so fewer,
         * larger parts pack less), whole tiles each.
         */
        private int parts(Parallel p, int R, int K, int J) {
            this.K = K;
            this.J = J;
            this.R = R;
            parts = Math.min((R + Kernels.TILE - 1) / Kernels.TILE, p.threads);
            return parts;
        }

        /** The first row of part q: whole tiles, the parts as even as they can be. */
        private int row(int q) {
            int tiles = (R + Kernels.TILE - 1) / Kernels.TILE;
            return Math.min(R, (int) ((long) tiles * q / parts) * Kernels.TILE);
        }

        // Each of the next three takes the parts [from, to) of the rows of its output and adds the
        // product onto them.

        private void forwardParts(int from, int to) {  // rows n of z
            int r0 = row(from), r1 = row(to);
            for (int n = r0; n < r1; n++) System.arraycopy(b, 0, z[n], 0, J);  // z_no starts at b_o
            Kernels.WIDE.product(z, x, W, false, K, J, r0, r1);                  // z += x·Wᵀ: A = x, B_io = W_oi
            f.forward(a, z, r0, r1);
        }

        private void weightsParts(int from, int to) {  // rows o of dW
            int r0 = row(from), r1 = row(to);
            Kernels.bias(db, dz, r0, r1);
            Kernels.transpose(dzT, dz, r0, r1);                                  // dzT_on = dz_no for these o
            Kernels.WIDE.product(dW, dzT, x, true, K, J, r0, r1);                // dW += dzᵀ·x: A = dzT, B_ni = x_ni
        }

        private void inputParts(int from, int to) {  // rows n of dx
            int r0 = row(from), r1 = row(to);
            for (int n = r0; n < r1; n++) java.util.Arrays.fill(dx[n], 0, J, 0.0); // dx_ni starts at +0.0
            Kernels.WIDE.product(dx, dz, W, true, K, J, r0, r1);                  // dx += dz·W: A = dz, B_oi = W_oi
        }

        private void transposeRows(int from, int to) {
            Kernels.transpose(WT, W, from, to);                  // WT_io = W_oi, rows i
        }

        private void forwardRows(int from, int to) {
            Kernels.forwardPlain(z, x, WT, b, from, to);         // z = b + x·WT, rows n
            f.forward(a, z, from, to);
        }

        private void fewRows(int from, int to) {
            Kernels.forwardFew(z, x, W, b, from, to);
            f.forward(a, z, from, to);
        }

        private void activationRows(int from, int to) {
            f.backward(dz, da, z, a, from, to);
        }

        private void weightRows(int from, int to) {
            Kernels.bias(db, dz, from, to);
            Kernels.weightsPlain(dW, dz, x, from, to);
        }

        private void inputRows(int from, int to) {
            Kernels.inputPlain(dx, dz, W, from, to);
        }

        /** Drops the references to the caller's arrays. */
        private void clear() {
            z = a = x = W = dz = da = dx = dW = null;
            b = db = null;
            f = null;
        }
    }

    // ----------------------------------------------------------------------------------------
    // a network's arrays

    /**
     * A network's arrays for one batch size N, from its widths (L + 1): widths[0] = I, the
     * network's inputs, and widths[l + 1] = O_l, the outputs of layer l.
     */
    static final class Buffers {
        final int N;
        final double[][][] z, a, dz, da; // [l] (N, O_l); da[L−1] is null (the last layer takes dout)
        final double[][] dx;             // (N, I)
        long lastUse;

        Buffers(int N, int[] widths) {
            int L = widths.length - 1;
            this.N = N;
            z = new double[L][][];
            a = new double[L][][];
            dz = new double[L][][];
            da = new double[L][][];
            for (int l = 0; l < L; l++) {
                int O = widths[l + 1];
                z[l] = new double[N][O];
                a[l] = new double[N][O];
                dz[l] = new double[N][O];
                da[l] = l < L - 1 ? new double[N][O] : null;
            }
            dx = new double[N][widths[0]];
        }

        boolean owns(double[][] m) {
            if (m == dx) return true;
            for (int l = 0; l < z.length; l++) if (m == z[l] || m == a[l] || m == dz[l] || m == da[l]) return true;
            return false;
        }
    }

    /**
     * Buffer sets for a network's last few batch sizes, so that alternating sizes (full batches,
     * the last smaller batch of an epoch, a validation set) allocate nothing after the first use.
     * Serves one network of fixed widths: {@link #clear} after a change of its layers.
     */
    static final class BufferCache {
        static final int SIZES = 3;
        private final Buffers[] sets = new Buffers[SIZES];
        private long uses;

        /**
         * The buffers of batch size N: a cached set, or a new one of these widths (L + 1: I, then
         * O_l of every layer; see {@link Buffers}) replacing the least recently used.
         */
        Buffers forRows(int N, int[] widths) {
            uses++;
            Buffers use = null;
            int victim = 0;
            for (int c = 0; c < SIZES; c++) {
                Buffers s = sets[c];
                if (s != null && s.N == N) use = s;
                if (s == null || (sets[victim] != null && s.lastUse < sets[victim].lastUse)) victim = c;
            }
            if (use == null) {
                use = new Buffers(N, widths);
                sets[victim] = use;
            }
            use.lastUse = uses;
            return use;
        }

        /** True when m is one of the cached arrays (a reference comparison). */
        boolean owns(double[][] m) {
            for (Buffers s : sets) if (s != null && s.owns(m)) return true;
            return false;
        }

        /** Forgets every set (after a change of the layers). */
        void clear() {
            java.util.Arrays.fill(sets, null);
        }
    }
}
