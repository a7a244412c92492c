package plainnet;

/**
 * The three products of a dense layer, each twice: the naive reference kernel, which is SPEC.md's
 * formula written as loops, and a fast kernel beside it that adds in exactly the same order, so
 * both give the same bits (KernelsTest proves it). See SPEC.md, sections "Dense layer" and
 * "Fast kernels and threads".
 *
 * <pre>
 *   forward   z_no  = b_o + Σᵢ x_ni·W_oi      (from b_o, i ascending)
 *   weights   dW_oi += Σₙ dz_no·x_ni          (onto dW_oi, n ascending);   db_o += Σₙ dz_no
 *   input     dx_ni = Σₒ dz_no·W_oi           (from +0.0, o ascending)
 * </pre>
 *
 * Why the fast kernels are faster: Java never reorders a floating-point sum, so the naive forward
 * (a dot product, {@code s += x[i]*w[i]}) is one long chain of dependent additions and never
 * vectorises. The plain fast kernels instead stream a whole row ({@code c[j] += a*r[j]}), which
 * the JIT turns into vector instructions; they keep each element's own order of additions, and
 * only interleave the work on different elements. A pass handles 2 rows × 2 terms (forward and
 * input, {@link #addRows}) or 4 rows × 2 terms (weights): the second term is added after the
 * first ({@code c[j] = c[j] + a0*r0[j] + a1*r1[j]} evaluates left to right), so the order is that
 * of two separate passes, while each load of r0, r1 serves several rows:
 *
 * <pre>
 *   one pass, for every j of the block (one vector of j's at a time):
 *     c0[j] = c0[j] + a00·r0[j] + a01·r1[j]        c0, c1:  output rows (loaded and stored once)
 *     c1[j] = c1[j] + a10·r0[j] + a11·r1[j]        r0, r1:  2 rows of the streamed operand,
 *                                                           terms k and k+1 of the summed index
 *                                                  a_rt:    scalars, the other operand
 * </pre>
 *
 * The streamed rows are at least a block of outputs or inputs long (up to {@link #COLS}), never
 * the batch: HotSpot 17 with 512-bit vectors vectorised a 64-long loop in some runs and not in
 * others. Rows and terms left over go one at a time, in the same order. The streamed operand is
 * visited in blocks that fit the L1 cache ({@link #ROWS} × {@link #COLS}); blocks of the summed
 * index go in ascending order, so blocking does not change any element's order either. Where
 * the JVM has the Vector API, {@link #WIDE} runs the products instead (same bits): a register
 * tile of sums over blocks of the other operand packed by {@link #pack}.
 *
 * <p>Every kernel works on a range of rows [from, to) so that threads can split the work without
 * changing any element's sum (SPEC.md, "Fast kernels and threads"). Index letters: N rows (n), I
 * inputs (i), O outputs (o). Layout: row arrays; WT (I, O) is W transposed, dzT (O, N) dz.
 */
final class Kernels {

    private Kernels() {}

    // ----------------------------------------------------------------------------------------
    // which fast kernels run

    /**
     * The fast kernels on the JDK's Vector API (VectorKernels, in its own source folder
     * src/vector/java), implemented there; named here so that this file never imports
     * jdk.incubator.vector and still compiles with --release 8. In the single-file copy of the
     * core (target/PlainNet.java, made by plainnet.cli.SingleFile) this interface and
     * {@link Kernels#WIDE} are inert: that file holds no vector class, so the lookup below always fails
     * there and the plain kernels run.
     */
    interface Wide {
        /**
         * out_rj += Σₖ A_rk·B_kj for k ascending (k in [0, K)), for the rows [from, to) of out
         * and its columns [0, J): A_rk = A[r][k]; B_kj = B[k][j] (bKFirst) or B[j][k], packed by
         * {@link #pack} a block at a time. Each element's sum starts from its value in out.
         */
        void product(double[][] out, double[][] A, double[][] B, boolean bKFirst, int K, int J, int from, int to);

        /** "vector (B-bit)". */
        String name();
    }

    /**
     * The Vector API kernels, or null when they cannot run: on Java 8 (the class was compiled for
     * 17, or not at all), without {@code --add-modules jdk.incubator.vector} (the class cannot
     * link), or when switched off with {@code -Dplainnet.vector=false}. Looked up once, by name,
     * so that the plain kernels need nothing beyond java.lang. (In the single-file copy of the
     * core, target/PlainNet.java, the name is rewritten to an unqualified VectorKernels, which
     * that file does not contain: the lookup never succeeds there, WIDE is null, and the plain
     * kernels run.)
     */
    static final Wide WIDE = wide();

    private static Wide wide() {
        try {
            if ("false".equals(System.getProperty("plainnet.vector"))) return null;
            return (Wide) Class.forName("plainnet.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null; // no such class, no such module, or no permission: the plain kernels
        }
    }

    /**
     * The fast kernels in effect in this JVM: "vector (256-bit)" (or the width in use) when the
     * Vector API kernels run, else "plain". Results have the same bits either way (SPEC.md,
     * section "Fast kernels and threads"). Public as {@link Network#kernels}, which
     * {@code plainnet bench} prints.
     */
    static String path() {
        return WIDE == null ? "plain" : WIDE.name();
    }

    // ----------------------------------------------------------------------------------------
    // naive reference kernels

    /** z = x·Wᵀ + b for rows [from, to). z (N, O), x (N, I), W (O, I), b (O). */
    static void forwardNaive(double[][] z, double[][] x, double[][] W, double[] b, int from, int to) {
        int O = W.length, I = W[0].length;
        for (int n = from; n < to; n++) {
            double[] xn = x[n];
            double[] zn = z[n];
            for (int o = 0; o < O; o++) {
                double[] Wo = W[o];
                double s = b[o];
                for (int i = 0; i < I; i++) s += xn[i] * Wo[i];
                zn[o] = s;
            }
        }
    }

    /** dW += dzᵀ·x and db += Σₙ dz for the output rows [from, to). dW (O, I), db (O), dz (N, O), x (N, I). */
    static void weightsNaive(double[][] dW, double[] db, double[][] dz, double[][] x, int from, int to) {
        int N = dz.length, I = dW[0].length;
        for (int n = 0; n < N; n++) {
            double[] xn = x[n];
            double[] dzn = dz[n];
            for (int o = from; o < to; o++) {
                double g = dzn[o];
                db[o] += g;
                double[] dWo = dW[o];
                for (int i = 0; i < I; i++) dWo[i] += g * xn[i];
            }
        }
    }

    /** dx = dz·W for rows [from, to). dx (N, I), dz (N, O), W (O, I). */
    static void inputNaive(double[][] dx, double[][] dz, double[][] W, int from, int to) {
        int O = W.length, I = W[0].length;
        for (int n = from; n < to; n++) {
            double[] dxn = dx[n];
            double[] dzn = dz[n];
            for (int i = 0; i < I; i++) dxn[i] = 0.0;
            for (int o = 0; o < O; o++) {
                double g = dzn[o];
                double[] Wo = W[o];
                for (int i = 0; i < I; i++) dxn[i] += g * Wo[i];
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // fast kernels: the same sums in the same order

    /**
     * t = mᵀ for the rows [from, to) of t: t_rc = m_cr for c in [0, M), M = m.length. t (≥ to, ≥ M),
     * m (M, ≥ to). Used for Wᵀ (the plain forward) and dzᵀ (the Vector API weights product). Eight
     * rows of m are read side by side, so each row of t gets 8 contiguous entries per visit and
     * every row of m is read in order (1.5–3× faster than 8 × 8 tiles here).
     */
    static void transpose(double[][] t, double[][] m, int from, int to) {
        int cols = m.length;
        int c = 0;
        for (; c + 7 < cols; c += 8) {
            double[] m_0 = m[c], m_1 = m[c + 1], m_2 = m[c + 2], m_3 = m[c + 3];
            double[] m_4 = m[c + 4], m_5 = m[c + 5], m_6 = m[c + 6], m_7 = m[c + 7];
            for (int r = from; r < to; r++) {
                double[] tr = t[r];
                tr[c] = m_0[r];
                tr[c + 1] = m_1[r];
                tr[c + 2] = m_2[r];
                tr[c + 3] = m_3[r];
                tr[c + 4] = m_4[r];
                tr[c + 5] = m_5[r];
                tr[c + 6] = m_6[r];
                tr[c + 7] = m_7[r];
            }
        }
        for (; c < cols; c++) {
            double[] m_0 = m[c];
            for (int r = from; r < to; r++) t[r][c] = m_0[r];
        }
    }

    /**
     * Layers with at most FEW_OUTPUTS outputs, and batches of fewer than FEW_ROWS rows, use the
     * interleaved dot products of {@link #forwardFew}: rows that short are not worth streaming
     * (measured at 256-256: the dot products are 5× faster for 1 row, even at 8 rows).
     */
    static final int FEW_OUTPUTS = 16, FEW_ROWS = 8;

    /**
     * Block sizes of the plain fast kernels: a block of {@code ROWS} rows of the streamed operand,
     * each cut to {@code COLS} columns (16 × 256 doubles = 32 KB, of 48 KB of L1 here), stays in
     * the L1 cache while every pass of output rows passes over it, instead of being fetched again
     * from L2 for each pass. (The one measurement, 784-256 at batch 64, is from earlier 2-row
     * passes: 9 → 11 GFLOP/s.) Blocks are visited with the summed index ascending, so each element
     * still adds its terms in order.
     */
    static final int ROWS = 16, COLS = 256;

    /**
     * As {@link #forwardNaive}, streaming rows of Wᵀ: z_n starts at b and adds x_ni·WT_i for i
     * ascending, for the rows [from, to) of z. z (N, O), x (N, I), WT (I, O) = W transposed (the
     * caller makes it with {@link #transpose}), b (O). The loops are those of
     * {@link #inputPlain}: the innermost runs over a block of up to COLS outputs o, long enough
     * for the JIT's 512-bit vector loops. (The earlier forward streamed a transposed chunk of
     * the batch, N ≤ 256 columns: at N = 64 HotSpot 17 with 512-bit vectors vectorised that loop
     * in some runs and not in others, 0.8 against 2.3 ms for 784 → 256, which made the
     * frozen-base step slower than the full one.)
     */
    static void forwardPlain(double[][] z, double[][] x, double[][] WT, double[] b, int from, int to) {
        for (int n = from; n < to; n++) System.arraycopy(b, 0, z[n], 0, b.length);
        addRows(z, x, WT, from, to);
    }

    /**
     * As {@link #forwardNaive}, for few outputs (O ≤ {@link #FEW_OUTPUTS}, a head of 10 classes,
     * say) or few rows (N &lt; {@link #FEW_ROWS}), where the transpose of W in {@link #forwardPlain}
     * would cost more than it saves: four outputs' dot products at once. Each is still its own sum from b_o in i order; four
     * independent chains keep the adder busy instead of waiting on one chain.
     */
    static void forwardFew(double[][] z, double[][] x, double[][] W, double[] b, int from, int to) {
        int O = W.length, I = W[0].length;
        for (int n = from; n < to; n++) {
            double[] xn = x[n], zn = z[n];
            int o = 0;
            for (; o + 3 < O; o += 4) {
                double[] w0 = W[o], w1 = W[o + 1], w2 = W[o + 2], w3 = W[o + 3];
                double s0 = b[o], s1 = b[o + 1], s2 = b[o + 2], s3 = b[o + 3];
                for (int i = 0; i < I; i++) {
                    double xi = xn[i];
                    s0 += xi * w0[i];
                    s1 += xi * w1[i];
                    s2 += xi * w2[i];
                    s3 += xi * w3[i];
                }
                zn[o] = s0;
                zn[o + 1] = s1;
                zn[o + 2] = s2;
                zn[o + 3] = s3;
            }
            for (; o < O; o++) {
                double[] w0 = W[o];
                double s0 = b[o];
                for (int i = 0; i < I; i++) s0 += xn[i] * w0[i];
                zn[o] = s0;
            }
        }
    }

    /** db_o += Σₙ dz_no (n ascending, onto db_o) for the outputs [from, to): the db part of {@link #weightsNaive}. db (O), dz (N, O). */
    static void bias(double[] db, double[][] dz, int from, int to) {
        int N = dz.length;
        for (int o = from; o < to; o++) {
            double s = db[o];
            for (int n = 0; n < N; n++) s += dz[n][o];
            db[o] = s;
        }
    }

    /**
     * As the dW part of {@link #weightsNaive}: dW_o streams rows of x, n ascending onto dW.
     * Loops: columns i in blocks of COLS; inside, rows n of x in blocks of ROWS; inside, 4 o's;
     * inside, pairs of n; innermost i, streaming. Passes of 4 rows o × 2 terms n over a block of
     * columns i.
     */
    static void weightsPlain(double[][] dW, double[][] dz, double[][] x, int from, int to) {
        int N = dz.length, I = dW[0].length;
        for (int i0 = 0; i0 < I; i0 += COLS) {
            int i1 = Math.min(I, i0 + COLS);
            for (int n0 = 0; n0 < N; n0 += ROWS) {
                int n1 = Math.min(N, n0 + ROWS);
                int o = from;
                for (; o + 3 < to; o += 4) {
                    double[] d0 = dW[o], d1 = dW[o + 1], d2 = dW[o + 2], d3 = dW[o + 3];
                    int n = n0;
                    for (; n + 1 < n1; n += 2) {
                        double[] x0 = x[n], x1 = x[n + 1], g0 = dz[n], g1 = dz[n + 1];
                        double a00 = g0[o], a01 = g1[o], a10 = g0[o + 1], a11 = g1[o + 1];
                        double a20 = g0[o + 2], a21 = g1[o + 2], a30 = g0[o + 3], a31 = g1[o + 3];
                        for (int i = i0; i < i1; i++) {
                            double r0 = x0[i], r1 = x1[i];
                            d0[i] = d0[i] + a00 * r0 + a01 * r1;
                            d1[i] = d1[i] + a10 * r0 + a11 * r1;
                            d2[i] = d2[i] + a20 * r0 + a21 * r1;
                            d3[i] = d3[i] + a30 * r0 + a31 * r1;
                        }
                    }
                    if (n < n1) {
                        double[] x0 = x[n], g0 = dz[n];
                        double a0 = g0[o], a1 = g0[o + 1], a2 = g0[o + 2], a3 = g0[o + 3];
                        for (int i = i0; i < i1; i++) {
                            double r0 = x0[i];
                            d0[i] = d0[i] + a0 * r0;
                            d1[i] = d1[i] + a1 * r0;
                            d2[i] = d2[i] + a2 * r0;
                            d3[i] = d3[i] + a3 * r0;
                        }
                    }
                }
                for (; o < to; o++) {
                    double[] d0 = dW[o];
                    for (int n = n0; n < n1; n++) {
                        double[] x0 = x[n];
                        double a0 = dz[n][o];
                        for (int i = i0; i < i1; i++) d0[i] = d0[i] + a0 * x0[i];
                    }
                }
            }
        }
    }

    /**
     * As {@link #inputNaive}: dx_n streams rows of W, o ascending from +0.0. Loops: columns i in
     * blocks of COLS; inside, rows o of W in blocks of ROWS; inside, 4 n's; inside, pairs of o;
     * innermost i, streaming. Passes of 4 rows n × 2 terms o over a block of columns i.
     */
    static void inputPlain(double[][] dx, double[][] dz, double[][] W, int from, int to) {
        for (int n = from; n < to; n++) java.util.Arrays.fill(dx[n], 0.0);
        addRows(dx, dz, W, from, to);
    }

    /**
     * out_r += Σₖ A_rk·B_k (k ascending, onto out_r) for the rows [from, to): out (≥ to, J),
     * A (≥ to, K), B (K, J), the form of {@link #inputPlain} and {@link #forwardPlain}. Loops:
     * columns j in blocks of COLS; inside, rows k of B in blocks of ROWS; inside, 4 r's; inside,
     * pairs of k; innermost j, streaming.
     */
    private static void addRows(double[][] out, double[][] A, double[][] B, int from, int to) {
        int K = B.length, J = B[0].length;
        for (int j0 = 0; j0 < J; j0 += COLS) {
            int j1 = Math.min(J, j0 + COLS);
            for (int k0 = 0; k0 < K; k0 += ROWS) {
                int k1 = Math.min(K, k0 + ROWS);
                int r = from;
                for (; r + 1 < to; r += 2) {
                    double[] e0 = out[r], e1 = out[r + 1], g0 = A[r], g1 = A[r + 1];
                    int k = k0;
                    for (; k + 1 < k1; k += 2) {
                        double[] w0 = B[k], w1 = B[k + 1];
                        double a00 = g0[k], a01 = g0[k + 1], a10 = g1[k], a11 = g1[k + 1];
                        for (int j = j0; j < j1; j++) {
                            double r0 = w0[j], r1 = w1[j];
                            e0[j] = e0[j] + a00 * r0 + a01 * r1;
                            e1[j] = e1[j] + a10 * r0 + a11 * r1;
                        }
                    }
                    if (k < k1) { // the last term of an odd block
                        addRow(e0, g0[k], B[k], j0, j1);
                        addRow(e1, g1[k], B[k], j0, j1);
                    }
                }
                for (; r < to; r++) for (int k = k0; k < k1; k++) addRow(out[r], A[r][k], B[k], j0, j1);
            }
        }
    }

    /** e_j += a·w_j for j in [j0, j1). */
    private static void addRow(double[] e, double a, double[] w, int j0, int j1) {
        for (int j = j0; j < j1; j++) e[j] = e[j] + a * w[j];
    }

    // ----------------------------------------------------------------------------------------
    // packed operands, for the Vector API kernels (WIDE)

    /** Rows of a register tile of the Vector API product ({@link Wide#product}). */
    static final int TILE = 4;

    /**
     * Products with fewer output rows than this (a head of 10 outputs' dW, a batch of a few rows)
     * run on the plain kernels even where {@link #WIDE} is loaded: each block of B that the
     * Vector API product packs serves too few tiles of rows to repay the packing (measured: the
     * head's dW at 256 → 10, batch 64, took 4× as long packed).
     */
    static final int WIDE_ROWS = 16;

    /**
     * Packs a panel of one operand of a product out_rj += Σₖ A_rk·B_kj (both operands have this
     * form: A_rk with r as j) into P, k-major and contiguous, as BLAS libraries do, so that the
     * product reads it in order:
     *
     * <pre>
     *   P[off + (k − k0)·w + q] = B_k(j0+q)    for k in [k0, k1), q in [0, w)
     *   B_kj = M[k][j] (kFirst: M (K, ≥ J))  or  M[j][k] (M (≥ J, K));  +0.0 where j0 + q ≥ J
     * </pre>
     *
     * P (≥ off + (k1 − k0)·w). Only copies numbers: the sums are unchanged. B of the forward is Wᵀ
     * (columns o), of weights x (columns i), of input W (columns i).
     */
    static void pack(double[] P, int off, double[][] M, boolean kFirst, int k0, int k1, int j0, int J, int w) {
        int cols = Math.min(w, J - j0);
        if (kFirst) {
            for (int k = k0, d = off; k < k1; k++, d += w) {
                double[] m = M[k];
                for (int q = 0; q < cols; q++) P[d + q] = m[j0 + q];
            }
        } else {
            int q = 0;
            for (; q + 3 < cols; q += 4) { // four rows of M side by side: four numbers in a row of P per k
                double[] m0 = M[j0 + q], m1 = M[j0 + q + 1], m2 = M[j0 + q + 2], m3 = M[j0 + q + 3];
                for (int k = k0, d = off + q; k < k1; k++, d += w) {
                    P[d] = m0[k];
                    P[d + 1] = m1[k];
                    P[d + 2] = m2[k];
                    P[d + 3] = m3[k];
                }
            }
            for (; q < cols; q++) {
                double[] m0 = M[j0 + q];
                for (int k = k0, d = off + q; k < k1; k++, d += w) P[d] = m0[k];
            }
        }
        if (cols < w) for (int k = k0, d = off; k < k1; k++, d += w) java.util.Arrays.fill(P, d + cols, d + w, 0.0);
    }
}
