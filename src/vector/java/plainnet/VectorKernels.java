package plainnet;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast kernels of {@link Kernels} written on the JDK's Vector API (jdk.incubator.vector, JDK
 * 17 and later), with the same sums in the same order, so the same bits (KernelsTest). Lives in
 * its own source folder: compiled only where the JDK has the module, loaded by Kernels only when
 * the module is present at run time ({@code java --add-modules jdk.incubator.vector …}). See
 * SPEC.md, section "Fast kernels and threads".
 *
 * <p>All three products are out_rj += Σₖ A_rk·B_kj over k ascending, each output element
 * out_rj its own sum (the forward: out = zT, A = W, B = xT, from b; weights: out = dW, A = dzᵀ,
 * B = x, onto dW; input: out = dx, A = dz, B = W, from +0.0). Lanes are different columns j;
 * each lane adds its own terms with a separate {@code mul} and {@code add} (never {@code fma},
 * whose single rounding would change the bits). A tile of 4 rows × 2 vectors of accumulators
 * stays in registers across a block of k, so a term costs 2 vector loads and 4 scalars for 8
 * multiplies and 8 adds, instead of a load and a store of every accumulator. With V lanes
 * (4 for 256-bit vectors, 8 for 512-bit):
 *
 * <pre>
 *              columns j … j+2V−1 (2 vectors)
 *            ┌────────────┬────────────┐
 *   row r    │  s00       │  s01       │      for k = k0, k0+1, …, k1−1:
 *   row r+1  │  s10       │  s11       │        b0, b1 = B_k,j… (2 vector loads)
 *   row r+2  │  s20       │  s21       │        g0…g3  = A_rk … A_(r+3)k (4 scalars)
 *   row r+3  │  s30       │  s31       │        s_t0 = s_t0 + b0·g_t,  s_t1 = s_t1 + b1·g_t
 *            └────────────┴────────────┘      then store the 8 accumulators into out
 * </pre>
 *
 * Loops: columns j in blocks of {@link #COLS}; inside, k in blocks of {@link #BLOCK}; inside,
 * tiles of 4 rows; inside, tiles of 2V columns; innermost k (so the block of B stays in the L1
 * cache while the rows pass over it). A tile loads its accumulators from out at the start of a
 * block of k and stores them at its end, and blocks go in ascending k, so each element's chain
 * of additions is the one of SPEC.md. Columns left over (fewer than 2V) and rows left over
 * (fewer than 4) go one row at a time, one vector and then one column at a time, in the same
 * order.
 *
 * <p>Index letters as in Kernels: N rows of the batch (n), I inputs (i), O outputs (o), C rows of
 * a transposed chunk (c); here r, j, k for the rows, columns and summed index of a product.
 */
final class VectorKernels implements Kernels.Wide {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int V = S.length();
    /**
     * Blocks of B: {@code BLOCK} terms (rows of B) × {@code COLS} columns, 16 × 256 doubles = 32 KB,
     * stay in the L1 cache while every tile of 4 rows passes over them (as the plain kernels'
     * ROWS × COLS). Measured at 1024 → 1024, batch 256: 128 terms × all columns was up to 1.3×
     * slower (a tile then reads its 2 vectors from 128 rows of B far apart, in as many memory pages).
     */
    static final int BLOCK = 16, COLS = 256;

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + "-bit)";
    }

    /** As {@link Kernels#forwardFast}: zT_oc starts at b_o and adds W_oi·xT_ic for i ascending. */
    @Override
    public void forward(double[][] zT, double[][] xT, double[][] W, double[] b, int C, int from, int to) {
        for (int o = from; o < to; o++) java.util.Arrays.fill(zT[o], 0, C, b[o]);
        addProduct(zT, W, xT, W[0].length, C, from, to);
    }

    /** As {@link Kernels#weightsFast} without db: dW_oi adds dz_no·x_ni for n ascending. */
    @Override
    public void weights(double[][] dW, double[][] dz, double[][] x, int from, int to) {
        addTransposedProduct(dW, dz, x, dz.length, dW[0].length, from, to);
    }

    /** As {@link Kernels#inputFast}: dx_ni starts at +0.0 and adds dz_no·W_oi for o ascending. */
    @Override
    public void input(double[][] dx, double[][] dz, double[][] W, int from, int to) {
        int I = W[0].length;
        for (int n = from; n < to; n++) java.util.Arrays.fill(dx[n], 0, I, 0.0);
        addProduct(dx, dz, W, W.length, I, from, to);
    }

    /**
     * out_rj += Σₖ A_rk·B_kj for k ascending, rows r in [from, to), columns j in [0, J). out (≥ to,
     * ≥ J), A (≥ to, ≥ K), B (K, ≥ J). The forward (out = zT, A = W, B = xT) and the input
     * product (out = dx, A = dz, B = W).
     */
    private static void addProduct(double[][] out, double[][] A, double[][] B, int K, int J, int from, int to) {
        for (int j0 = 0; j0 < J; j0 += COLS) {
            int j1 = Math.min(J, j0 + COLS);
            for (int k0 = 0; k0 < K; k0 += BLOCK) {
                int k1 = Math.min(K, k0 + BLOCK);
                int r = from;
                for (; r + 3 < to; r += 4) {
                    double[] o0 = out[r], o1 = out[r + 1], o2 = out[r + 2], o3 = out[r + 3];
                    double[] a0 = A[r], a1 = A[r + 1], a2 = A[r + 2], a3 = A[r + 3];
                    int j = j0;
                    for (; j + 2 * V <= j1; j += 2 * V) {
                        DoubleVector s00 = DoubleVector.fromArray(S, o0, j), s01 = DoubleVector.fromArray(S, o0, j + V);
                        DoubleVector s10 = DoubleVector.fromArray(S, o1, j), s11 = DoubleVector.fromArray(S, o1, j + V);
                        DoubleVector s20 = DoubleVector.fromArray(S, o2, j), s21 = DoubleVector.fromArray(S, o2, j + V);
                        DoubleVector s30 = DoubleVector.fromArray(S, o3, j), s31 = DoubleVector.fromArray(S, o3, j + V);
                        for (int k = k0; k < k1; k++) {
                            double[] bk = B[k];
                            DoubleVector b0 = DoubleVector.fromArray(S, bk, j), b1 = DoubleVector.fromArray(S, bk, j + V);
                            double g0 = a0[k], g1 = a1[k], g2 = a2[k], g3 = a3[k];
                            s00 = s00.add(b0.mul(g0));
                            s01 = s01.add(b1.mul(g0));
                            s10 = s10.add(b0.mul(g1));
                            s11 = s11.add(b1.mul(g1));
                            s20 = s20.add(b0.mul(g2));
                            s21 = s21.add(b1.mul(g2));
                            s30 = s30.add(b0.mul(g3));
                            s31 = s31.add(b1.mul(g3));
                        }
                        s00.intoArray(o0, j);
                        s01.intoArray(o0, j + V);
                        s10.intoArray(o1, j);
                        s11.intoArray(o1, j + V);
                        s20.intoArray(o2, j);
                        s21.intoArray(o2, j + V);
                        s30.intoArray(o3, j);
                        s31.intoArray(o3, j + V);
                    }
                    for (int R = r; R < r + 4; R++) addRow(out[R], A[R], B, k0, k1, j, j1);
                }
                for (int R = r; R < to; R++) addRow(out[R], A[R], B, k0, k1, j0, j1);
            }
        }
    }

    /** out_j += Σₖ a_k·B_kj for k in [k0, k1) ascending, columns j in [j0, j1): one vector at a time, then one column. */
    private static void addRow(double[] out, double[] a, double[][] B, int k0, int k1, int j0, int j1) {
        int j = j0;
        for (; j + V <= j1; j += V) {
            DoubleVector s = DoubleVector.fromArray(S, out, j);
            for (int k = k0; k < k1; k++) s = s.add(DoubleVector.fromArray(S, B[k], j).mul(a[k]));
            s.intoArray(out, j);
        }
        for (; j < j1; j++) {
            double s = out[j];
            for (int k = k0; k < k1; k++) s += a[k] * B[k][j];
            out[j] = s;
        }
    }

    /**
     * out_rj += Σₖ AT_kr·B_kj for k ascending, rows r in [from, to), columns j in [0, J): as
     * {@link #addProduct} with A read transposed. out (≥ to, ≥ J), AT (K, ≥ to), B (K, ≥ J).
     * The weights product (out = dW, AT = dz, B = x).
     */
    private static void addTransposedProduct(double[][] out, double[][] AT, double[][] B, int K, int J, int from, int to) {
        for (int j0 = 0; j0 < J; j0 += COLS) {
            int j1 = Math.min(J, j0 + COLS);
            for (int k0 = 0; k0 < K; k0 += BLOCK) {
                int k1 = Math.min(K, k0 + BLOCK);
                int r = from;
                for (; r + 3 < to; r += 4) {
                    double[] o0 = out[r], o1 = out[r + 1], o2 = out[r + 2], o3 = out[r + 3];
                    int j = j0;
                    for (; j + 2 * V <= j1; j += 2 * V) {
                        DoubleVector s00 = DoubleVector.fromArray(S, o0, j), s01 = DoubleVector.fromArray(S, o0, j + V);
                        DoubleVector s10 = DoubleVector.fromArray(S, o1, j), s11 = DoubleVector.fromArray(S, o1, j + V);
                        DoubleVector s20 = DoubleVector.fromArray(S, o2, j), s21 = DoubleVector.fromArray(S, o2, j + V);
                        DoubleVector s30 = DoubleVector.fromArray(S, o3, j), s31 = DoubleVector.fromArray(S, o3, j + V);
                        for (int k = k0; k < k1; k++) {
                            double[] bk = B[k];
                            DoubleVector b0 = DoubleVector.fromArray(S, bk, j), b1 = DoubleVector.fromArray(S, bk, j + V);
                            double[] ak = AT[k];
                            double g0 = ak[r], g1 = ak[r + 1], g2 = ak[r + 2], g3 = ak[r + 3];
                            s00 = s00.add(b0.mul(g0));
                            s01 = s01.add(b1.mul(g0));
                            s10 = s10.add(b0.mul(g1));
                            s11 = s11.add(b1.mul(g1));
                            s20 = s20.add(b0.mul(g2));
                            s21 = s21.add(b1.mul(g2));
                            s30 = s30.add(b0.mul(g3));
                            s31 = s31.add(b1.mul(g3));
                        }
                        s00.intoArray(o0, j);
                        s01.intoArray(o0, j + V);
                        s10.intoArray(o1, j);
                        s11.intoArray(o1, j + V);
                        s20.intoArray(o2, j);
                        s21.intoArray(o2, j + V);
                        s30.intoArray(o3, j);
                        s31.intoArray(o3, j + V);
                    }
                    for (int R = r; R < r + 4; R++) addTransposedRow(out[R], AT, R, B, k0, k1, j, j1);
                }
                for (int R = r; R < to; R++) addTransposedRow(out[R], AT, R, B, k0, k1, j0, j1);
            }
        }
    }

    /** out_j += Σₖ AT_kr·B_kj for k in [k0, k1) ascending, columns j in [j0, j1). */
    private static void addTransposedRow(double[] out, double[][] AT, int r, double[][] B, int k0, int k1, int j0, int j1) {
        int j = j0;
        for (; j + V <= j1; j += V) {
            DoubleVector s = DoubleVector.fromArray(S, out, j);
            for (int k = k0; k < k1; k++) s = s.add(DoubleVector.fromArray(S, B[k], j).mul(AT[k][r]));
            s.intoArray(out, j);
        }
        for (; j < j1; j++) {
            double s = out[j];
            for (int k = k0; k < k1; k++) s += AT[k][r] * B[k][j];
            out[j] = s;
        }
    }
}
