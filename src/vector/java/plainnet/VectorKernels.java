package plainnet;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The packed product of {@link Kernels} written on the JDK's Vector API (jdk.incubator.vector, JDK
 * 17 and later), with the same sums in the same order, so the same bits (KernelsTest). Lives in
 * its own source folder: compiled only where the JDK has the module, loaded by Kernels only when
 * the module is present at run time ({@code java --add-modules jdk.incubator.vector …}). See
 * SPEC.md, section "Fast kernels and threads".
 *
 * <p>All three products of a dense layer are out_rj += Σₖ A_rk·B_kj over k ascending, each output
 * element out_rj its own sum (forward: out = z, A = x, B = Wᵀ, from b; weights: out = dW, A = dzᵀ,
 * B = x, onto dW; input: out = dx, A = dz, B = W, from +0.0). B is packed by {@link Kernels#pack}
 * one block at a time, {@link #KC} terms × {@link #NR} columns, k-major and contiguous, into a
 * buffer of the calling thread, so the innermost loop reads it in order from the L1 cache; A is
 * read where it is, a row at a time. A tile of 4 rows × 4 vectors of sums (16 registers of the
 * 32 that AVX-512 has; 4 rows × 2 vectors for vectors of fewer than 8 lanes, AVX2's 16
 * registers) stays in registers while k runs over the block; each term is a separate
 * {@code mul} and then {@code add} (never {@code fma}, whose single
 * rounding would change the bits). With V lanes (8 for 512-bit vectors):
 *
 * <pre>
 *              columns j … j+4V−1 (one panel of B)
 *            ┌──────┬──────┬──────┬──────┐
 *   row r    │ s00  │ s01  │ s02  │ s03  │      for k = k0, k0+1, …, k0+KC−1:
 *   row r+1  │ s10  │ s11  │ s12  │ s13  │        b0 … b3 = B_k,j…  (4 vector loads, in order)
 *   row r+2  │ s20  │ s21  │ s22  │ s23  │        g0 … g3 = A_rk … A_(r+3)k  (4 scalars, in order)
 *   row r+3  │ s30  │ s31  │ s32  │ s33  │        s_tv = s_tv + b_v·g_t
 *            └──────┴──────┴──────┴──────┘      then store the 16 sums into out
 * </pre>
 *
 * Loops: k in blocks of KC (ascending); inside, blocks of NR columns (pack the block of B, KC × NR
 * numbers, 32 KB at 512 bits); inside, tiles of 4 rows; innermost k. A tile loads its
 * sums from out at the start of a block and stores them at its end, so each element's chain of
 * additions is the one of SPEC.md. A last block narrower than NR and a last tile of fewer than 4
 * rows go one vector of 4 rows, then one vector of one row, then one column at a time, in the same
 * order.
 *
 * <p>Index letters as in Kernels; here r, j, k for the rows, columns and summed index of a product.
 */
final class VectorKernels implements Kernels.Wide {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int V = S.length();
    /**
     * Vectors per row of a tile: 4 where vectors have 8 lanes or more (AVX-512: 16 sums of 32
     * registers), else 2 (AVX2: 8 sums of 16 registers; a 4 × 4 tile of 4-lane vectors spills, 0.8×
     * the speed of the earlier 4 × 2 kernels, measured with HotSpot held to AVX2).
     */
    static final int NV = V >= 8 ? 4 : 2;
    /** Columns of a tile and of a packed block of B: NV vectors. */
    static final int NR = NV * V;
    /** Rows of a tile of A (as {@link Kernels#TILE}). */
    static final int MR = Kernels.TILE;
    /**
     * Terms per block: a block of one panel of B, KC × NR numbers (32 KB with 512-bit vectors, of
     * 48 KB of L1 on the machine measured), stays in L1 while every tile of rows passes over it.
     */
    static final int KC = 128;

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + "-bit)";
    }

    /**
     * The block of B in use, per thread: KC terms × NR columns, packed k-major (32 KB at 512 bits),
     * so that it stays in L1 while every tile of rows passes over it. Made at a thread's first
     * product, then reused: a product allocates nothing after that.
     */
    private static final ThreadLocal<double[]> BLOCK = ThreadLocal.withInitial(() -> new double[KC * NR]);

    @Override
    public void product(double[][] out, double[][] A, double[][] B, boolean bKFirst, int K, int J, int from, int to) {
        double[] Bp = BLOCK.get();
        for (int k0 = 0; k0 < K; k0 += KC) {
            int kc = Math.min(KC, K - k0);
            for (int j = 0; j < J; j += NR) {
                int w = Math.min(NR, J - j);
                Kernels.pack(Bp, 0, B, bKFirst, k0, k0 + kc, j, J, NR);  // B_k0…k0+kc−1, j…j+NR−1
                int r = from;
                if (w == NR && NV == 4) for (; r + MR <= to; r += MR) tile(out[r], out[r + 1], out[r + 2], out[r + 3], j, A[r], A[r + 1], A[r + 2], A[r + 3], k0, Bp, kc);
                if (w == NR && NV == 2) for (; r + MR <= to; r += MR) tile2(out[r], out[r + 1], out[r + 2], out[r + 3], j, A[r], A[r + 1], A[r + 2], A[r + 3], k0, Bp, kc);
                for (; r < to; r += MR) edge(out, A, r, Math.min(to, r + MR), j, w, k0, Bp, kc);
            }
        }
    }

    /** out rows o0 … o3, columns j … j + NR − 1: add the terms k0 … k0 + kc − 1 of A's rows a0 … a3 times the packed block Bp (NR per term). */
    private static void tile(double[] o0, double[] o1, double[] o2, double[] o3, int j, double[] a0, double[] a1, double[] a2, double[] a3,
                             int k0, double[] Bp, int kc) {
        DoubleVector s00 = DoubleVector.fromArray(S, o0, j), s01 = DoubleVector.fromArray(S, o0, j + V);
        DoubleVector s02 = DoubleVector.fromArray(S, o0, j + 2 * V), s03 = DoubleVector.fromArray(S, o0, j + 3 * V);
        DoubleVector s10 = DoubleVector.fromArray(S, o1, j), s11 = DoubleVector.fromArray(S, o1, j + V);
        DoubleVector s12 = DoubleVector.fromArray(S, o1, j + 2 * V), s13 = DoubleVector.fromArray(S, o1, j + 3 * V);
        DoubleVector s20 = DoubleVector.fromArray(S, o2, j), s21 = DoubleVector.fromArray(S, o2, j + V);
        DoubleVector s22 = DoubleVector.fromArray(S, o2, j + 2 * V), s23 = DoubleVector.fromArray(S, o2, j + 3 * V);
        DoubleVector s30 = DoubleVector.fromArray(S, o3, j), s31 = DoubleVector.fromArray(S, o3, j + V);
        DoubleVector s32 = DoubleVector.fromArray(S, o3, j + 2 * V), s33 = DoubleVector.fromArray(S, o3, j + 3 * V);
        for (int k = k0, b = 0; k < k0 + kc; k++, b += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, Bp, b), b1 = DoubleVector.fromArray(S, Bp, b + V);
            DoubleVector b2 = DoubleVector.fromArray(S, Bp, b + 2 * V), b3 = DoubleVector.fromArray(S, Bp, b + 3 * V);
            double g = a0[k];
            s00 = s00.add(b0.mul(g));
            s01 = s01.add(b1.mul(g));
            s02 = s02.add(b2.mul(g));
            s03 = s03.add(b3.mul(g));
            g = a1[k];
            s10 = s10.add(b0.mul(g));
            s11 = s11.add(b1.mul(g));
            s12 = s12.add(b2.mul(g));
            s13 = s13.add(b3.mul(g));
            g = a2[k];
            s20 = s20.add(b0.mul(g));
            s21 = s21.add(b1.mul(g));
            s22 = s22.add(b2.mul(g));
            s23 = s23.add(b3.mul(g));
            g = a3[k];
            s30 = s30.add(b0.mul(g));
            s31 = s31.add(b1.mul(g));
            s32 = s32.add(b2.mul(g));
            s33 = s33.add(b3.mul(g));
        }
        s00.intoArray(o0, j);
        s01.intoArray(o0, j + V);
        s02.intoArray(o0, j + 2 * V);
        s03.intoArray(o0, j + 3 * V);
        s10.intoArray(o1, j);
        s11.intoArray(o1, j + V);
        s12.intoArray(o1, j + 2 * V);
        s13.intoArray(o1, j + 3 * V);
        s20.intoArray(o2, j);
        s21.intoArray(o2, j + V);
        s22.intoArray(o2, j + 2 * V);
        s23.intoArray(o2, j + 3 * V);
        s30.intoArray(o3, j);
        s31.intoArray(o3, j + V);
        s32.intoArray(o3, j + 2 * V);
        s33.intoArray(o3, j + 3 * V);
    }

    /** As {@link #tile} with 2 vectors per row (NV = 2, vectors of fewer than 8 lanes). */
    private static void tile2(double[] o0, double[] o1, double[] o2, double[] o3, int j, double[] a0, double[] a1, double[] a2, double[] a3,
                              int k0, double[] Bp, int kc) {
        DoubleVector s00 = DoubleVector.fromArray(S, o0, j), s01 = DoubleVector.fromArray(S, o0, j + V);
        DoubleVector s10 = DoubleVector.fromArray(S, o1, j), s11 = DoubleVector.fromArray(S, o1, j + V);
        DoubleVector s20 = DoubleVector.fromArray(S, o2, j), s21 = DoubleVector.fromArray(S, o2, j + V);
        DoubleVector s30 = DoubleVector.fromArray(S, o3, j), s31 = DoubleVector.fromArray(S, o3, j + V);
        for (int k = k0, b = 0; k < k0 + kc; k++, b += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, Bp, b), b1 = DoubleVector.fromArray(S, Bp, b + V);
            double g = a0[k];
            s00 = s00.add(b0.mul(g));
            s01 = s01.add(b1.mul(g));
            g = a1[k];
            s10 = s10.add(b0.mul(g));
            s11 = s11.add(b1.mul(g));
            g = a2[k];
            s20 = s20.add(b0.mul(g));
            s21 = s21.add(b1.mul(g));
            g = a3[k];
            s30 = s30.add(b0.mul(g));
            s31 = s31.add(b1.mul(g));
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

    /**
     * As {@link #tile} for a tile cut short: rows [r, r1) (at most 4), columns j … j + w − 1
     * (w ≤ NR): one vector of 4 rows at a time, then one vector of one row, then one column.
     */
    private static void edge(double[][] out, double[][] A, int r, int r1, int j, int w, int k0, double[] Bp, int kc) {
        int q = 0, k1 = k0 + kc;
        if (r1 - r == MR) {
            double[] o0 = out[r], o1 = out[r + 1], o2 = out[r + 2], o3 = out[r + 3];
            double[] a0 = A[r], a1 = A[r + 1], a2 = A[r + 2], a3 = A[r + 3];
            for (; q + V <= w; q += V) {
                DoubleVector s0 = DoubleVector.fromArray(S, o0, j + q), s1 = DoubleVector.fromArray(S, o1, j + q);
                DoubleVector s2 = DoubleVector.fromArray(S, o2, j + q), s3 = DoubleVector.fromArray(S, o3, j + q);
                for (int k = k0, b = q; k < k1; k++, b += NR) {
                    DoubleVector bv = DoubleVector.fromArray(S, Bp, b);
                    s0 = s0.add(bv.mul(a0[k]));
                    s1 = s1.add(bv.mul(a1[k]));
                    s2 = s2.add(bv.mul(a2[k]));
                    s3 = s3.add(bv.mul(a3[k]));
                }
                s0.intoArray(o0, j + q);
                s1.intoArray(o1, j + q);
                s2.intoArray(o2, j + q);
                s3.intoArray(o3, j + q);
            }
        }
        for (int t = r; t < r1; t++) {
            double[] o = out[t], at = A[t];
            int c = q;
            for (; c + V <= w; c += V) {
                DoubleVector s = DoubleVector.fromArray(S, o, j + c);
                for (int k = k0, b = c; k < k1; k++, b += NR) s = s.add(DoubleVector.fromArray(S, Bp, b).mul(at[k]));
                s.intoArray(o, j + c);
            }
            for (; c < w; c++) {
                double s = o[j + c];
                for (int k = k0, b = c; k < k1; k++, b += NR) s += at[k] * Bp[b];
                o[j + c] = s;
            }
        }
    }
}
