package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels give the same bits as the naive reference kernels, for any thread count; and a
 * training step allocates nothing after warm-up.
 */
class KernelsTest {

    private static final Activation[] ACTS = {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.2), Activation.SIGMOID, Activation.TANH};

    /** Widths 1..300 with extra weight on the small and odd ones, where the pair loops have tails. */
    private static int width(Rng rng) {
        int pick = rng.nextInt(4);
        return pick == 0 ? 1 + rng.nextInt(5) : pick == 1 ? 1 + rng.nextInt(40) : 1 + rng.nextInt(300);
    }

    private static Network network(long seed, int[] sizes, Activation f, int frozenPattern, boolean reference, int threads) {
        Rng rng = new Rng(seed);
        List<Dense> layers = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            Dense d = new Dense(sizes[l], sizes[l + 1], l + 2 < sizes.length ? f : Activation.IDENTITY, rng);
            for (int o = 0; o < d.O; o++) d.b[o] = 0.1 * rng.nextGaussian();
            layers.add(d);
        }
        Network net = new Network(layers);
        int L = net.size();
        switch (frozenPattern) {
            case 1: net.freeze(0, 1); break;                 // bottom
            case 2: if (L > 2) net.freeze(1, 2); break;      // a middle layer
            case 3: net.freeze(0, L - 1); break;              // all but the head
            default: break;
        }
        net.setReference(reference);
        net.setThreads(threads, 0); // split every job, however small, so that the threads really share the work
        return net;
    }

    /** Outputs, loss, every gradient, dx and the parameters after 2 Adam steps, for one configuration. */
    private static List<double[][]> run(long seed, int[] sizes, int N, Activation f, int lossKind, int frozen, boolean reference, int threads) {
        Network net = network(seed, sizes, f, frozen, reference, threads);
        Rng rng = new Rng(seed + 1);
        int K = sizes[sizes.length - 1];
        double[][] x = Assert.gaussian(rng, N, sizes[0], 1.0);
        Loss loss;
        Targets t;
        if (lossKind == 0 || K == 1) {
            double[][] y = new double[N][K];
            boolean[][] m = new boolean[N][K];
            for (int n = 0; n < N; n++) for (int k = 0; k < K; k++) { y[n][k] = rng.nextDouble() < 0.5 ? 1 : 0; m[n][k] = rng.nextDouble() < 0.7; }
            t = new Targets(y, m);
            loss = new BinaryCrossEntropy();
        } else if (lossKind == 1) {
            int[] c = new int[N];
            for (int n = 0; n < N; n++) c[n] = rng.nextDouble() < 0.2 ? -1 : rng.nextInt(K);
            t = Targets.ofClasses(c, K);
            loss = new SoftmaxCrossEntropy(Reduction.MEAN_LABELED);
        } else {
            t = Targets.of(Assert.gaussian(rng, N, K, 1.0));
            loss = new MeanSquaredError(Reduction.SUM);
        }
        List<double[][]> out = new ArrayList<>();
        double[][] z = net.forward(x);
        out.add(Assert.copy(z));
        out.add(new double[][] {{loss.forward(z, t)}});
        double[][] dz = new double[N][K];
        loss.backward(dz, z, t);
        net.zeroGrad();
        out.add(Assert.copy(net.backwardToInput(dz)));
        for (int l = 0; l < net.size(); l++) {
            out.add(Assert.copy(net.layer(l).dW));
            out.add(new double[][] {net.layer(l).db.clone()});
        }
        Optimizer opt = Optimizer.adam(0.01).withWeightDecay(0.01, false);
        for (int s = 0; s < 2; s++) {
            z = net.forward(x);
            loss.backward(dz, z, t);
            net.zeroGrad();
            net.backward(dz);
            opt.step(net);
        }
        for (int l = 0; l < net.size(); l++) {
            out.add(Assert.copy(net.layer(l).W));
            out.add(new double[][] {net.layer(l).b.clone()});
        }
        net.setThreads(1);
        return out;
    }

    @Test
    void fastKernels_randomShapes_sameBitsAsNaive() {
        Rng rng = new Rng(2024);
        for (int c = 0; c < 60; c++) {
            int L = 1 + rng.nextInt(3);
            int[] sizes = new int[L + 1];
            for (int l = 0; l <= L; l++) sizes[l] = width(rng);
            int N = rng.nextInt(3) == 0 ? 1 + rng.nextInt(4) : 1 + rng.nextInt(130);
            Activation f = ACTS[c % ACTS.length];
            int lossKind = c % 3, frozen = (c / 3) % 4;
            List<double[][]> naive = run(c, sizes, N, f, lossKind, frozen, true, 1);
            List<double[][]> fast = run(c, sizes, N, f, lossKind, frozen, false, 1);
            String what = "case " + c + " sizes " + java.util.Arrays.toString(sizes) + " N " + N + " " + f + " loss " + lossKind + " frozen " + frozen;
            for (int j = 0; j < naive.size(); j++) Assert.assertSameBits(what + " array " + j, naive.get(j), fast.get(j));
        }
    }

    /** Sizes around the block edges of the fast kernels (ROWS, COLS), and a random one up to 3 blocks. */
    private static int blockWidth(Rng rng, int block) {
        int pick = rng.nextInt(3);
        return pick == 0 ? Math.max(1, block - 1 + rng.nextInt(3)) : pick == 1 ? Math.max(1, 2 * block - 1 + rng.nextInt(3)) : 1 + rng.nextInt(3 * block);
    }

    @Test
    void fastKernels_shapesAcrossBlockEdges_sameBitsAsNaive() {
        Rng rng = new Rng(99);
        for (int c = 0; c < 40; c++) {
            // Each plain product streams one operand in blocks of ROWS rows × COLS columns (the
            // forward streams rows of Wᵀ, O columns).
            int N = c % 4 == 0 ? blockWidth(rng, Kernels.COLS) : c % 2 == 0 ? blockWidth(rng, Kernels.ROWS) : 1 + rng.nextInt(3 * Kernels.ROWS);
            int I = c % 3 == 0 ? blockWidth(rng, Kernels.COLS) : blockWidth(rng, Kernels.ROWS);
            int O = c % 3 == 1 ? blockWidth(rng, Kernels.COLS) : Kernels.FEW_OUTPUTS + blockWidth(rng, Kernels.ROWS);
            double[][] x = Assert.gaussian(rng, N, I, 1.0);   // (N, I)
            double[][] W = Assert.gaussian(rng, O, I, 1.0);   // (O, I)
            double[][] dz = Assert.gaussian(rng, N, O, 1.0);  // (N, O)
            double[] b = Assert.gaussian(rng, 1, O, 1.0)[0];  // (O)
            String what = "case " + c + " N " + N + " I " + I + " O " + O;

            // forward: the plain path on Wᵀ (with spare rows and columns in WT), the few-outputs
            // kernel, and every path
            double[][] z1 = new double[N][O], z2 = Assert.gaussian(rng, N, O, 1.0), z3 = new double[N][O];
            double[][] WT = new double[I][O];
            Kernels.forwardNaive(z1, x, W, b, 0, N);
            Kernels.transpose(WT, W, 0, I);
            Kernels.forwardPlain(z2, x, WT, b, 0, N);
            Kernels.forwardFew(z3, x, W, b, 0, N);
            Assert.assertSameBits(what + " z", z1, z2);
            Assert.assertSameBits(what + " z (few outputs)", z1, z3);
            for (Path path : PATHS) {
                double[][] z4 = Assert.gaussian(rng, N, O, 1.0);
                path.forward(z4, x, W, b, 0, N);
                Assert.assertSameBits(what + " z (" + path + ")", z1, z4);
            }

            // dW, db accumulate onto their current (non-zero) values
            double[][] dW1 = Assert.gaussian(rng, O, I, 1.0), dW2 = Assert.copy(dW1);
            double[][] db1 = Assert.gaussian(rng, 1, O, 1.0), db2 = Assert.copy(db1);
            double[][] dW0 = Assert.copy(dW1);
            Kernels.weightsNaive(dW1, db1[0], dz, x, 0, O);
            Kernels.bias(db2[0], dz, 0, O);
            Kernels.weightsPlain(dW2, dz, x, 0, O);
            Assert.assertSameBits(what + " dW", dW1, dW2);
            Assert.assertSameBits(what + " db", db1, db2);
            for (Path path : PATHS) {
                double[][] dW3 = Assert.copy(dW0);
                path.weights(dW3, dz, x, 0, O);
                Assert.assertSameBits(what + " dW (" + path + ")", dW1, dW3);
            }

            // dx is overwritten: start the outputs from different garbage
            double[][] dx1 = Assert.gaussian(rng, N, I, 1.0), dx2 = Assert.gaussian(rng, N, I, 1.0);
            Kernels.inputNaive(dx1, dz, W, 0, N);
            Kernels.inputPlain(dx2, dz, W, 0, N);
            Assert.assertSameBits(what + " dx", dx1, dx2);
            for (Path path : PATHS) {
                double[][] dx3 = Assert.gaussian(rng, N, I, 1.0);
                path.input(dx3, dz, W, 0, N);
                Assert.assertSameBits(what + " dx (" + path + ")", dx1, dx3);
            }
        }
    }

    @Test
    void fastKernels_rowSubRangesAndSwitchEdges_sameBitsAsNaive() {
        // Threads call the kernels on sub-ranges [from, to); the widths sit at the edges where
        // Dense switches kernels (FEW_OUTPUTS) and where blocks end (ROWS).
        Rng rng = new Rng(123);
        int[] widths = {Kernels.FEW_OUTPUTS - 1, Kernels.FEW_OUTPUTS, Kernels.FEW_OUTPUTS + 1, Kernels.ROWS + 1, 2 * Kernels.ROWS};
        for (int c = 0; c < 30; c++) {
            int N = 1 + rng.nextInt(40), I = widths[rng.nextInt(widths.length)], O = widths[c % widths.length];
            double[][] x = Assert.gaussian(rng, N, I, 1.0);   // (N, I)
            double[][] W = Assert.gaussian(rng, O, I, 1.0);   // (O, I)
            double[][] dz = Assert.gaussian(rng, N, O, 1.0);  // (N, O)
            double[] b = Assert.gaussian(rng, 1, O, 1.0)[0];  // (O)
            int nFrom = rng.nextInt(N), nTo = nFrom + 1 + rng.nextInt(N - nFrom);
            int oFrom = rng.nextInt(O), oTo = oFrom + 1 + rng.nextInt(O - oFrom);
            String what = "case " + c + " N " + N + " I " + I + " O " + O + " rows [" + nFrom + ", " + nTo + ") outputs [" + oFrom + ", " + oTo + ")";

            double[][] z1 = new double[N][O], z2 = new double[N][O], z3 = new double[N][O];
            Kernels.forwardNaive(z1, x, W, b, nFrom, nTo);
            Kernels.forwardFew(z2, x, W, b, nFrom, nTo);
            // the plain forward on Wᵀ, transposed in three ranges of rows i as threads do
            double[][] WT = new double[I][O];
            int iMid = rng.nextInt(I + 1);
            Kernels.transpose(WT, W, iMid, I);
            Kernels.transpose(WT, W, 0, iMid);
            Kernels.forwardPlain(z3, x, WT, b, nFrom, nTo);
            Assert.assertSameBits(what + " z (few)", z1, z2);
            Assert.assertSameBits(what + " z (plain, on Wᵀ)", z1, z3);
            for (Path path : PATHS) {
                double[][] z4 = new double[N][O];
                path.forward(z4, x, W, b, nFrom, nTo);
                Assert.assertSameBits(what + " z (" + path + ")", z1, z4);
            }

            double[][] dW1 = Assert.gaussian(rng, O, I, 1.0), dW2 = Assert.copy(dW1);
            double[][] db1 = Assert.gaussian(rng, 1, O, 1.0), db2 = Assert.copy(db1);
            double[][] dW0 = Assert.copy(dW1);
            Kernels.weightsNaive(dW1, db1[0], dz, x, oFrom, oTo);
            Kernels.bias(db2[0], dz, oFrom, oTo);
            Kernels.weightsPlain(dW2, dz, x, oFrom, oTo);
            Assert.assertSameBits(what + " dW", dW1, dW2);
            Assert.assertSameBits(what + " db", db1, db2);
            for (Path path : PATHS) {
                double[][] dW3 = Assert.copy(dW0);
                path.weights(dW3, dz, x, oFrom, oTo);
                Assert.assertSameBits(what + " dW (" + path + ")", dW1, dW3);
            }

            double[][] dx1 = new double[N][I], dx2 = new double[N][I];
            Kernels.inputNaive(dx1, dz, W, nFrom, nTo);
            Kernels.inputPlain(dx2, dz, W, nFrom, nTo);
            Assert.assertSameBits(what + " dx", dx1, dx2);
            for (Path path : PATHS) {
                double[][] dx3 = new double[N][I];
                path.input(dx3, dz, W, nFrom, nTo);
                Assert.assertSameBits(what + " dx (" + path + ")", dx1, dx3);
            }
        }
    }

    /**
     * The Vector API kernels are in effect exactly when the JVM has the module and they are not
     * switched off (Maven's test run adds the module, so there they must be loaded).
     */
    @Test
    void vectorPath_loadedExactlyWhenTheModuleIsPresent() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        boolean off = "false".equals(System.getProperty("plainnet.vector"));
        boolean compiled = Kernels.class.getResource("VectorKernels.class") != null;
        if (module && !off && compiled) {
            assertThat(Kernels.WIDE).as("the Vector API kernels").isNotNull();
            assertThat(Kernels.path()).matches("vector \\((128|256|512)-bit\\)");
        } else {
            assertThat(Kernels.WIDE).as("the Vector API kernels without the module, switched off, or not compiled").isNull();
            assertThat(Kernels.path()).isEqualTo("plain");
        }
        assertThat(Network.kernels()).as("the public name of the path").isEqualTo(Kernels.path());
        assertThat(Boolean.getBoolean("plainnet.expectVector") && !(module && compiled))
            .as("the test run asked for the Vector API (plainnet.expectVector) but the module or the class is missing").isFalse();
    }

    /**
     * Shapes at the edges of the tiles and blocks of both fast paths: plain, passes of 4 rows × 2
     * terms in blocks of 16 terms × 256 columns; vector, tiles of 4 rows × 4 vectors (16 or 32
     * columns for 4 or 8 lanes) in blocks of 128 terms.
     */
    @Test
    void everyPath_shapesAcrossTileEdges_sameBitsAsNaive() {
        Rng rng = new Rng(404);
        int[] rows = {1, 2, 3, 4, 5, 7, 8, 9, 13, 33};
        int[] terms = {1, 2, 3, 15, 16, 17, 31, 32, 33, 127, 128, 129, 257};
        int[] cols = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 257};
        for (int c = 0; c < 60; c++) {
            int N = c % 2 == 0 ? rows[rng.nextInt(rows.length)] : cols[rng.nextInt(cols.length)];
            int I = c % 3 == 0 ? terms[rng.nextInt(terms.length)] : cols[rng.nextInt(cols.length)];
            int O = c % 3 == 1 ? terms[rng.nextInt(terms.length)] : rows[rng.nextInt(rows.length)];
            double[][] x = Assert.gaussian(rng, N, I, 1.0);   // (N, I)
            double[][] W = Assert.gaussian(rng, O, I, 1.0);   // (O, I)
            double[][] dz = Assert.gaussian(rng, N, O, 1.0);  // (N, O)
            double[] b = Assert.gaussian(rng, 1, O, 1.0)[0];  // (O)
            String what = "case " + c + " N " + N + " I " + I + " O " + O;
            double[][] z1 = new double[N][O];
            Kernels.forwardNaive(z1, x, W, b, 0, N);
            double[][] dW1 = Assert.gaussian(rng, O, I, 1.0), dW0 = Assert.copy(dW1);
            Kernels.weightsNaive(dW1, new double[O], dz, x, 0, O);
            double[][] dx1 = new double[N][I];
            Kernels.inputNaive(dx1, dz, W, 0, N);
            for (Path path : PATHS) {
                double[][] z = Assert.gaussian(rng, N, O, 1.0);
                path.forward(z, x, W, b, 0, N);
                Assert.assertSameBits(what + " z (" + path + ")", z1, z);
                double[][] dW = Assert.copy(dW0);
                path.weights(dW, dz, x, 0, O);
                Assert.assertSameBits(what + " dW (" + path + ")", dW1, dW);
                double[][] dx = Assert.gaussian(rng, N, I, 1.0);
                path.input(dx, dz, W, 0, N);
                Assert.assertSameBits(what + " dx (" + path + ")", dx1, dx);
            }
        }
    }

    /**
     * A fast kernel path, on rows [from, to) of its output as FastPath's threads call it: the plain
     * Java kernels, or the Vector API product when loaded.
     */
    private interface Path {
        void forward(double[][] z, double[][] x, double[][] W, double[] b, int from, int to);

        void weights(double[][] dW, double[][] dz, double[][] x, int from, int to);

        void input(double[][] dx, double[][] dz, double[][] W, int from, int to);
    }

    /** Every fast path available in this JVM: plain always, vector when loaded. */
    private static final List<Path> PATHS = paths();

    private static List<Path> paths() {
        List<Path> p = new ArrayList<>();
        p.add(new Path() {
            @Override public void forward(double[][] z, double[][] x, double[][] W, double[] b, int from, int to) {
                double[][] WT = new double[W[0].length][W.length];
                Kernels.transpose(WT, W, 0, W[0].length);
                Kernels.forwardPlain(z, x, WT, b, from, to);
            }
            @Override public void weights(double[][] dW, double[][] dz, double[][] x, int from, int to) { Kernels.weightsPlain(dW, dz, x, from, to); }
            @Override public void input(double[][] dx, double[][] dz, double[][] W, int from, int to) { Kernels.inputPlain(dx, dz, W, from, to); }
            @Override public String toString() { return "plain"; }
        });
        Kernels.Wide w = Kernels.WIDE;
        if (w != null) {
            p.add(new Path() {
                @Override public void forward(double[][] z, double[][] x, double[][] W, double[] b, int from, int to) {
                    for (int n = from; n < to; n++) System.arraycopy(b, 0, z[n], 0, W.length);
                    w.product(z, x, W, false, W[0].length, W.length, from, to);
                }
                @Override public void weights(double[][] dW, double[][] dz, double[][] x, int from, int to) {
                    int N = dz.length;
                    double[][] dzT = Assert.gaussian(new Rng(1), dW.length, N + 2, 1.0); // spare columns, as FastPath's grown buffer has
                    Kernels.transpose(dzT, dz, from, to);
                    w.product(dW, dzT, x, true, N, dW[0].length, from, to);
                }
                @Override public void input(double[][] dx, double[][] dz, double[][] W, int from, int to) {
                    for (int n = from; n < to; n++) java.util.Arrays.fill(dx[n], 0.0);
                    w.product(dx, dz, W, true, W.length, W[0].length, from, to);
                }
                @Override public String toString() { return w.name(); }
            });
        }
        return p;
    }

    @Test
    void forward_batchesLargerThanOneChunk_sameBitsAsNaive_forAnyThreadCount() {
        // A network keeps its work arrays (Wᵀ, dzᵀ) from one batch to the next: batches of
        // several blocks of COLS rows, then smaller and larger ones through the same layers.
        Rng rng = new Rng(5);
        Network naive = network(5, new int[] {37, 41, 23}, Activation.TANH, 0, true, 1);
        Network fast = network(5, new int[] {37, 41, 23}, Activation.TANH, 0, false, 1);
        Network threaded = network(5, new int[] {37, 41, 23}, Activation.TANH, 0, false, 3);
        // starts small so that the buffers grow; then around the FEW_ROWS switch
        for (int N : new int[] {100, 2 * Kernels.COLS + 88, 50, Kernels.COLS, Kernels.COLS + 1, 3 * Kernels.COLS,
                Kernels.FEW_ROWS - 1, Kernels.FEW_ROWS, 1}) {
            double[][] x = Assert.gaussian(rng, N, 37, 1.0);
            double[][] expected = Assert.copy(naive.forward(x));
            Assert.assertSameBits("N " + N + " one thread", expected, fast.forward(x));
            Assert.assertSameBits("N " + N + " three threads", expected, threaded.forward(x));
            for (int l = 0; l < 2; l++) {
                Assert.assertSameBits("N " + N + " a_" + l, naive.activation(l), fast.activation(l));
                Assert.assertSameBits("N " + N + " z_" + l, naive.preActivation(l), threaded.preActivation(l));
            }
        }
        threaded.setThreads(1);
    }

    @Test
    void threads_anyCount_sameBitsAsOneThread() {
        Rng rng = new Rng(77);
        for (int c = 0; c < 12; c++) {
            int[] sizes = {width(rng), width(rng), width(rng)};
            int N = 1 + rng.nextInt(130);
            Activation f = ACTS[c % ACTS.length];
            List<double[][]> one = run(c, sizes, N, f, c % 3, c % 4, false, 1);
            for (int threads : new int[] {2, 3}) {
                List<double[][]> many = run(c, sizes, N, f, c % 3, c % 4, false, threads);
                for (int j = 0; j < one.size(); j++) Assert.assertSameBits("case " + c + " threads " + threads + " array " + j, one.get(j), many.get(j));
            }
        }
    }

    /**
     * Bytes the calling thread allocates in 500 calls of {@code call} after 2000 of warm-up: the
     * best of up to 20 rounds, since the JIT may allocate briefly while it compiles. Skips the
     * test on a JVM that cannot count them. The tests that call it carry the tag "allocation" and
     * run in a JVM of their own (pom.xml): JDK 17's StrictMath.pow allocates three small arrays
     * (96 bytes) per call until C2 compiles it, and Adam calls it twice per step; after thousands
     * of other tests in the same JVM that compilation came late enough to fail the check.
     */
    private static long allocatedBy500Calls(Runnable call) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean measurable = mx instanceof com.sun.management.ThreadMXBean && ((com.sun.management.ThreadMXBean) mx).isThreadAllocatedMemorySupported();
        if (!measurable) System.out.println("KernelsTest: skipped: this JVM cannot measure allocated bytes per thread");
        Assumptions.assumeTrue(measurable, "this JVM cannot measure allocated bytes per thread");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
        long tid = Thread.currentThread().getId();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 20 && best > 0; round++) {
            for (int s = 0; s < 2000; s++) call.run();
            long a0 = bean.getThreadAllocatedBytes(tid);
            for (int s = 0; s < 500; s++) call.run();
            long a1 = bean.getThreadAllocatedBytes(tid);
            long m = bean.getThreadAllocatedBytes(tid); // what reading the counter costs
            best = Math.min(best, (a1 - a0) - (m - a1));
        }
        return best;
    }

    /** The training loop's step (forwardChecked, forwardBackward, zeroGrad, backward, step) allocates nothing after warm-up, with each loss. */
    @Test
    @Tag("allocation")
    void trainingStep_afterWarmUp_allocatesNothing() {
        Rng rng = new Rng(3);
        Network net = new Network(new Dense(64, 48, Activation.RELU, rng), new Dense(48, 32, Activation.TANH, rng), new Dense(32, 10, Activation.IDENTITY, rng));
        double[][] x = Assert.gaussian(rng, 32, 64, 1.0);
        int[] c = new int[32];
        for (int n = 0; n < 32; n++) c[n] = rng.nextInt(10);
        double[][] y = new double[32][10];
        for (double[] row : y) for (int k = 0; k < 10; k++) row[k] = rng.nextDouble() < 0.5 ? 0 : 1;
        Loss[] losses = {new BinaryCrossEntropy(), new SoftmaxCrossEntropy(), new MeanSquaredError()};
        Targets[] targets = {Targets.of(y), Targets.ofClasses(c, 10), Targets.of(y)};
        Optimizer opt = Optimizer.adam(1e-3).withWeightDecay(1e-4, true);
        double[][] dz = new double[32][10];
        for (int j = 0; j < losses.length; j++) {
            Loss loss = losses[j];
            Targets t = targets[j];
            assertThat(allocatedBy500Calls(() -> step(net, loss, opt, x, t, dz))).as("bytes allocated by 500 training steps after warm-up with " + loss.name()).isLessThanOrEqualTo(0);
        }
    }

    /** With discriminative rates (withLrDecay) the training step also allocates nothing after warm-up: F^(−d) is not recomputed per step. */
    @Test
    @Tag("allocation")
    void trainingStep_withLrDecay_afterWarmUp_allocatesNothing() {
        Rng rng = new Rng(4);
        Network net = new Network(new Dense(64, 48, Activation.RELU, rng), new Dense(48, 32, Activation.TANH, rng), new Dense(32, 10, Activation.IDENTITY, rng));
        double[][] x = Assert.gaussian(rng, 32, 64, 1.0);
        int[] c = new int[32];
        for (int n = 0; n < 32; n++) c[n] = rng.nextInt(10);
        Loss loss = new SoftmaxCrossEntropy();
        Targets t = Targets.ofClasses(c, 10);
        Optimizer opt = Optimizer.adam(1e-3).withLrDecay(2.6);
        double[][] dz = new double[32][10];
        assertThat(allocatedBy500Calls(() -> step(net, loss, opt, x, t, dz))).as("bytes allocated by 500 training steps with lr decay after warm-up").isLessThanOrEqualTo(0);
    }

    /** As Trainer's step: the loss's J and dz in one pass. */
    private static void step(Network net, Loss loss, Optimizer opt, double[][] x, Targets t, double[][] dz) {
        double[][] z = net.forwardChecked(x);
        loss.forwardBackward(dz, z, t);
        net.zeroGrad();
        net.backward(dz);
        opt.step(net);
    }

    /** Threads calling one Dense at once, each with its own arrays, get the bits of one thread calling alone: they share no work arrays. */
    @Test
    void denseAlone_concurrentCalls_sameBitsAsOneThread() throws InterruptedException {
        Rng rng = new Rng(6);
        Dense layer = new Dense(40, 24, Activation.TANH, rng);
        int threads = 4;
        double[][][] x = new double[threads][][], expected = new double[threads][][], found = new double[threads][][];
        RuntimeException[] failed = new RuntimeException[threads];
        for (int j = 0; j < threads; j++) {
            x[j] = Assert.gaussian(rng, 300, 40, 1.0 + j);
            expected[j] = new double[300][24];
            layer.forward(new double[300][24], expected[j], x[j]);
        }
        Thread[] ts = new Thread[threads];
        for (int j = 0; j < threads; j++) {
            int me = j;
            ts[j] = new Thread(() -> {
                double[][] z = new double[300][24], a = new double[300][24];
                try {
                    for (int r = 0; r < 200; r++) {
                        layer.forward(z, a, x[me]);
                        if (!java.util.Arrays.deepEquals(a, expected[me])) break; // keep the first wrong result
                    }
                } catch (RuntimeException e) {
                    failed[me] = e; // e.g. another thread's chunk overran shared arrays
                }
                found[me] = a;
            });
            ts[j].start();
        }
        for (Thread t : ts) t.join();
        for (int j = 0; j < threads; j++) {
            assertThat(failed[j]).as("thread " + j + ": exception").isNull();
            Assert.assertSameBits("thread " + j + ": a", expected[j], found[j]);
        }
    }

    /** A Dense used on its own keeps its thread's work arrays: after warm-up its forward and backward allocate nothing. */
    @Test
    @Tag("allocation")
    void denseAlone_afterWarmUp_allocatesNothing() {
        Rng rng = new Rng(4);
        Dense layer = new Dense(40, 24, Activation.TANH, rng);
        for (int N : new int[] {300, 20, 3}) { // the Vector API path (where loaded), the plain one below WIDE_ROWS, and the few-rows path
            double[][] x = Assert.gaussian(rng, N, 40, 1.0);
            double[][] z = new double[N][24], a = new double[N][24], da = Assert.gaussian(rng, N, 24, 1.0), dz = new double[N][24], dx = new double[N][40];
            assertThat(allocatedBy500Calls(() -> layer.forward(z, a, x))).as("bytes allocated by 500 Dense.forward, N = " + N).isLessThanOrEqualTo(0);
            assertThat(allocatedBy500Calls(() -> layer.backward(dx, dz, da, x, z, a))).as("bytes allocated by 500 Dense.backward, N = " + N).isLessThanOrEqualTo(0);
        }
    }
}
