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
 * <li>{@link Work}: the scratch of one caller: the transposed chunk buffers of the forward and
 *     the thread-job objects, made once so that a call allocates nothing.
 * <li>{@link Buffers}: a network's arrays for one batch size, from its layer widths, cached for
 *     its most recent sizes.
 * </ul>
 *
 * <p>Index letters as in Dense: N rows of the batch (n), I inputs (i), O outputs (o); C columns
 * of a chunk of the batch (c); L layers (l).
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
        } else {
            // Chunks of at most COLS rows: xT and zT stay small however large the batch.
            int cols = Math.min(N, Kernels.COLS);
            if (w.xT == null || w.xT.length != I || w.zT.length != O || w.xT[0].length < cols) {
                w.xT = new double[I][cols];
                w.zT = new double[O][cols];
            }
            for (w.n0 = 0; w.n0 < N; w.n0 += w.C) {
                w.C = Math.min(Kernels.COLS, N - w.n0);
                // Each phase writes whole rows of its own output, so threads never share a row.
                p.run(w.transposeInJob, I, (long) I * w.C);
                p.run(w.forwardJob, O, (long) O * I * w.C);
                p.run(w.transposeOutJob, w.C, (long) O * w.C); // z, then a = f(z), row by row
            }
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
        p.run(w.weightsJob, O, (long) O * dz.length * x[0].length);
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
        p.run(w.inputJob, N, (long) N * W.length * W[0].length);
        w.clear();
    }

    // ----------------------------------------------------------------------------------------

    /**
     * The scratch of one caller (a network keeps one per layer; a layer used on its own keeps
     * one per calling thread): the forward's transposed chunk of the batch, and the arguments of the
     * current call in fields, read by thread jobs made once, so that a call allocates nothing.
     * Serves one call at a time.
     */
    static final class Work {
        /** A chunk of the batch transposed: xT (I, ≥ C), zT (O, ≥ C) of the layer last run; a chunk uses the first C columns. */
        private double[][] xT, zT;
        private int n0, C; // the current chunk: rows n0 … n0 + C − 1 of the batch

        // The arguments of the current call; null between calls.
        private double[][] z, a, x, W, dz, da, dx, dW; // (N, O), (N, O), (N, I), (O, I), (N, O), (N, O), (N, I), (O, I)
        private double[] b, db;                         // (O)
        private Activation f;

        private final Parallel.Range transposeInJob = this::transposeInRows;
        private final Parallel.Range forwardJob = this::forwardRows;
        private final Parallel.Range transposeOutJob = this::transposeOutRows;
        private final Parallel.Range fewJob = this::fewRows;
        private final Parallel.Range activationJob = this::activationRows;
        private final Parallel.Range weightsJob = this::weightRows;
        private final Parallel.Range inputJob = this::inputRows;

        private void transposeInRows(int from, int to) {
            Kernels.transpose(xT, x, n0, 0, C, from, to);   // xT_ic = x_(n0+c)i, rows i
        }

        private void forwardRows(int from, int to) {
            Kernels.forwardFast(zT, xT, W, b, C, from, to);  // zT = W·xT + b, rows o
        }

        private void transposeOutRows(int from, int to) {  // rows n0 + from … n0 + to − 1 of z
            Kernels.transpose(z, zT, 0, n0, W.length, n0 + from, n0 + to);   // z_no = zT_o(n−n0)
            f.forward(a, z, n0 + from, n0 + to);
        }

        private void fewRows(int from, int to) {
            Kernels.forwardFew(z, x, W, b, from, to);
            f.forward(a, z, from, to);
        }

        private void activationRows(int from, int to) {
            f.backward(dz, da, z, a, from, to);
        }

        private void weightRows(int from, int to) {
            Kernels.weightsFast(dW, db, dz, x, from, to);
        }

        private void inputRows(int from, int to) {
            Kernels.inputFast(dx, dz, W, from, to);
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
