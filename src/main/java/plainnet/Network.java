package plainnet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An ordered stack of dense layers: a_{−1} = x, a_l = f_l(a_{l−1}·W_lᵀ + b_l) for l = 0..L−1,
 * output a_{L−1}. See SPEC.md, sections "Network" and "Freezing".
 *
 * <p>Index letters: N rows of the batch (n), I inputs of the network, K outputs of the network
 * (one per task or class), l the layer index, counted from 0 in code (layer 0 reads x).
 *
 * <p>The network owns work buffers for its three most recent batch sizes: z_l and a_l of every
 * layer from the last {@link #forward}, and the backward buffers (they, the per-layer work of
 * the fast kernels and the threads are kept in package-private {@code FastPath}, so that
 * this file reads as the math). Arrays returned by
 * {@link #forward} and {@link #backwardToInput} are these buffers: read them before the next
 * call. A network is not thread-safe: one call at a time (its kernels may use several threads
 * inside a call, see {@link #setThreads}); give each thread its own {@link #copy}.
 *
 * <p>Freezing: backward walks from the last layer down to the lowest trainable layer and stops
 * there (no dx is computed below it), unless the input gradient is asked for with
 * {@link #backwardToInput}. A frozen layer in between passes the gradient through to the layers
 * below it but adds nothing to its own dW, db.
 */
public final class Network {

    private final ArrayList<Dense> layers = new ArrayList<Dense>();

    // The arrays of the last forward: those of its batch size N, one of the cached sets.
    private double[][] x;                 // (N, I)  the input of the last forward (the caller's array)
    private FastPath.Buffers buffers;     // z_l, a_l (N, O_l), dz_l, da_l, dx of batch size N
    private final FastPath.BufferCache cache = new FastPath.BufferCache();
    private int[] widths;                 // (L + 1) I, then O_l of every layer: the buffers' widths
    private final ArrayList<FastPath.Work> work = new ArrayList<FastPath.Work>(); // one per layer

    /** The threads of the kernels (SPEC.md, "Fast kernels and threads"); one by default. */
    private Parallel parallel = Parallel.SERIAL;

    /**
     * A network of the given layers, in order (SPEC.md, "Network").
     *
     * @param layers the layers, bottom (reads x) first; each layer object at most once
     * @throws IllegalArgumentException if there is no layer or adjacent sizes do not match
     */
    public Network(Dense... layers) {
        this(Arrays.asList(layers == null ? new Dense[0] : layers));
    }

    /**
     * A network of the given layers, in order; see {@link #Network(Dense...)}.
     *
     * @param layers the layers, bottom (reads x) first; each layer object at most once
     * @throws IllegalArgumentException if there is no layer, a layer is null, or adjacent sizes do not match
     */
    public Network(List<Dense> layers) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("Network: expected at least 1 layer, found none");
        }
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) == null) {
                throw new IllegalArgumentException("Network: expected a layer at position " + l + ", found null");
            }
            append(layers.get(l));
        }
    }

    // ----------------------------------------------------------------------------------------
    // forward

    /**
     * Runs every layer on x and returns the network output a_{L−1} (N, K).
     *
     * @param x input (N, I), finite; kept by reference until the next forward (backward reads it),
     *          so it must not be one of the network's own buffers
     * @return a_{L−1} (N, K), a buffer owned by the network
     * @throws IllegalArgumentException if x is empty, has the wrong width or holds NaN/Inf
     */
    public double[][] forward(double[][] x) {
        Check.matrix("input x", x, -1, inputs());
        if (ownsBuffer(x)) {
            throw new IllegalArgumentException("input x: expected an array of the caller's, found one of the network's own buffers (copy it first)");
        }
        return forwardChecked(x);
    }

    /**
     * {@link #forward} on an input already checked: (N, I), finite, not one of this network's
     * buffers (the training loop's mini-batches, rows of data it checked once at its start).
     */
    double[][] forwardChecked(double[][] x) {
        buffers = cache.forRows(x.length, widths);
        this.x = x;
        double[][] in = x;
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(buffers.z[l], buffers.a[l], in, parallel, work.get(l));
            in = buffers.a[l];
        }
        return in;
    }

    // ----------------------------------------------------------------------------------------
    // backward

    /**
     * Backpropagates dout = ∂J/∂a_{L−1} through the layers from the last one down to the lowest
     * trainable one, adding each trainable layer's gradient to its dW, db. Does nothing when no
     * layer is trainable.
     *
     * @param dout (N, K), the gradient of the objective with respect to the output of the last
     *             {@link #forward}; not modified
     */
    public void backward(double[][] dout) {
        backward(dout, lowestTrainable(), false);
    }

    /**
     * Like {@link #backward} but continues through every layer, frozen or not, down to the input,
     * and returns dx = ∂J/∂x (N, I), a buffer owned by the network.
     *
     * @param dout (N, K), the gradient of the objective with respect to the output of the last
     *             {@link #forward}; not modified
     * @return dx (N, I), a buffer owned by the network: read it before the next call
     * @throws IllegalStateException before the first forward
     * @throws IllegalArgumentException if dout is not (N, K) or is one of the network's buffers
     */
    public double[][] backwardToInput(double[][] dout) {
        backward(dout, 0, true);
        return buffers.dx;
    }

    /**
     * Backward from layer L−1 down to layer lo; layer 0 writes dx only when toInput. Package-private
     * for {@link TaskNetwork}, which runs a tower down to its layer 0 (lo = 0, no dx) and sums the
     * towers' input gradients itself (SPEC.md §27).
     */
    void backward(double[][] dout, int lo, boolean toInput) {
        checkForward("backward");
        Check.shape("dout", dout, buffers.N, outputs());
        if (ownsBuffer(dout)) {
            throw new IllegalArgumentException("dout: expected an array of the caller's, found one of the network's own buffers (copy it first)");
        }
        if (lo < 0) {
            return; // every layer is frozen: there is nothing to compute
        }
        FastPath.Buffers m = buffers;
        double[][] grad = dout;
        for (int l = layers.size() - 1; l >= lo; l--) {
            double[][] in = l == 0 ? x : m.a[l - 1];
            // Layers below lo take no gradient, so layer lo computes no dx (the freezing rule).
            double[][] below = l > lo ? m.da[l - 1] : (toInput ? m.dx : null);
            layers.get(l).backward(below, m.dz[l], grad, in, m.z[l], m.a[l], parallel, work.get(l));
            grad = below;
        }
    }

    // ----------------------------------------------------------------------------------------
    // structure

    /** The layers, bottom first: the network's own list, for reading in the package (not to be changed). */
    List<Dense> layers() {
        return layers;
    }

    /**
     * Number of layers.
     *
     * @return L
     */
    public int size() {
        return layers.size();
    }

    /**
     * Layer l, 0 ≤ l &lt; L.
     *
     * @param l the layer index, from 0 (the layer that reads x)
     * @return the layer itself (not a copy)
     * @throws IllegalArgumentException unless 0 ≤ l &lt; L
     */
    public Dense layer(int l) {
        checkIndex("layer index", l, layers.size());
        return layers.get(l);
    }

    /**
     * Number of inputs.
     *
     * @return I, the inputs of layer 0
     */
    public int inputs() {
        return layers.get(0).I;
    }

    /**
     * Number of outputs.
     *
     * @return K, the outputs of the last layer
     */
    public int outputs() {
        return layers.get(layers.size() - 1).O;
    }

    /**
     * The pre-activation z_l of the last forward pass.
     *
     * @param l the layer index
     * @return z_l (N, O_l), a buffer owned by the network
     * @throws IllegalArgumentException unless 0 ≤ l &lt; L
     * @throws IllegalStateException before the first forward
     */
    public double[][] preActivation(int l) {
        checkIndex("layer index", l, layers.size());
        checkForward("preActivation");
        return buffers.z[l];
    }

    /**
     * The activation a_l of the last forward pass.
     *
     * @param l the layer index
     * @return a_l (N, O_l), a buffer owned by the network
     * @throws IllegalArgumentException unless 0 ≤ l &lt; L
     * @throws IllegalStateException before the first forward
     */
    public double[][] activation(int l) {
        checkIndex("layer index", l, layers.size());
        checkForward("activation");
        return buffers.a[l];
    }

    /** dz_l (N, O_l) of the last backward that reached layer l, a buffer owned by the network (for {@link TaskNetwork}). */
    double[][] preActivationGradient(int l) {
        return buffers.dz[l];
    }

    private void checkForward(String what) {
        if (x == null) {
            throw new IllegalStateException(what + ": expected a forward pass first (after the last change of layers), found none");
        }
    }

    /** True when m is one of the arrays this network owns (a reference comparison). */
    boolean ownsBuffer(double[][] m) {
        return cache.owns(m);
    }

    /**
     * The lowest trainable layer: backward stops there (SPEC.md, "Freezing").
     *
     * @return its index, or −1 when every layer is frozen
     */
    public int lowestTrainable() {
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).isTrainable()) return l;
        }
        return -1;
    }

    /**
     * Sets dW and db of every trainable layer to zero. A frozen layer is skipped: its gradient was
     * set to zero when it was frozen and nothing writes it since (SPEC.md, "Freezing"), so
     * clearing it again would only cost time. {@link Dense#zeroGrad} clears one layer, frozen or not.
     */
    public void zeroGrad() {
        for (int l = 0; l < layers.size(); l++) { // indexed: an iterator would allocate in a training step
            Dense layer = layers.get(l);
            if (layer.isTrainable()) layer.zeroGrad();
        }
    }

    /**
     * Number of parameters of all layers.
     *
     * @return Σ_l (O_l·I_l + O_l)
     */
    public long parameterCount() {
        long count = 0;
        for (Dense layer : layers) count += layer.parameterCount();
        return count;
    }

    /**
     * Number of parameters of the trainable layers.
     *
     * @return Σ over trainable l of (O_l·I_l + O_l)
     */
    public long trainableParameterCount() {
        long count = 0;
        for (Dense layer : layers) if (layer.isTrainable()) count += layer.parameterCount();
        return count;
    }

    /**
     * Appends a layer on top; its input count must equal the current output count.
     *
     * @param layer the new last layer
     * @throws IllegalArgumentException on a size mismatch or a layer already in this network
     */
    public void append(Dense layer) {
        if (layer == null) {
            throw new IllegalArgumentException("append: expected a layer, found null");
        }
        if (!layers.isEmpty() && layer.I != outputs()) {
            throw new IllegalArgumentException("append: expected a layer with " + outputs()
                + " inputs (the outputs of layer " + (layers.size() - 1) + "), found " + layer.I);
        }
        for (Dense existing : layers) {
            if (existing == layer) {
                throw new IllegalArgumentException("append: this layer object is already in the network");
            }
        }
        layers.add(layer);
        work.add(new FastPath.Work());
        invalidate();
    }

    /**
     * Removes the last k layers (the head, for transfer learning).
     *
     * @param k the number of layers to remove
     * @throws IllegalArgumentException unless 0 ≤ k &lt; L (at least one layer must remain)
     */
    public void removeLast(int k) {
        if (k < 0 || k >= layers.size()) {
            throw new IllegalArgumentException("removeLast: expected k in [0, " + (layers.size() - 1)
                + "] for a network of " + layers.size() + " layers, found " + k);
        }
        for (int j = 0; j < k; j++) {
            layers.remove(layers.size() - 1);
            work.remove(work.size() - 1);
        }
        invalidate();
    }

    /**
     * Freezes layers from ≤ l &lt; to (SPEC.md, "Freezing"); see {@link Dense#setTrainable}.
     *
     * @param from the first layer
     * @param to   one past the last layer
     * @throws IllegalArgumentException unless 0 ≤ from ≤ to ≤ L
     */
    public void freeze(int from, int to) {
        setTrainable(from, to, false);
    }

    /**
     * Unfreezes layers from ≤ l &lt; to (SPEC.md, "Freezing").
     *
     * @param from the first layer
     * @param to   one past the last layer
     * @throws IllegalArgumentException unless 0 ≤ from ≤ to ≤ L
     */
    public void unfreeze(int from, int to) {
        setTrainable(from, to, true);
    }

    private void setTrainable(int from, int to, boolean trainable) {
        if (from < 0 || to > layers.size() || from > to) {
            throw new IllegalArgumentException((trainable ? "unfreeze" : "freeze")
                + ": expected a layer range 0 <= from <= to <= " + layers.size() + ", found [" + from + ", " + to + ")");
        }
        for (int l = from; l < to; l++) layers.get(l).setTrainable(trainable);
    }

    /**
     * A deep copy: new layers with copies of W and b and the same activations, trainable flags and
     * learning-rate multipliers; no gradients, no buffers, one thread. For keeping a pre-trained
     * network while transferring from a copy of it.
     *
     * @return the copy
     */
    public Network copy() {
        List<Dense> copies = new ArrayList<Dense>();
        for (int l = 0; l < layers.size(); l++) {
            Dense s = layers.get(l);
            Dense c = new Dense(s.W, s.b, s.f);
            c.setTrainable(s.isTrainable());
            c.setLrScale(s.lrScale());
            copies.add(c);
        }
        return new Network(copies);
    }

    /**
     * Redraws layer l's weights with {@code init} from {@code rng}; see {@link Dense#initialise}.
     *
     * @param l    the layer index
     * @param init how W is drawn
     * @param rng  the generator W is drawn from
     * @throws IllegalArgumentException unless 0 ≤ l &lt; L, or if an argument is null
     */
    public void reinitialise(int l, Init init, Rng rng) {
        layer(l).initialise(init, rng);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Network(");
        for (int l = 0; l < layers.size(); l++) {
            s.append(l == 0 ? "" : ", ").append(layers.get(l));
        }
        return s.append(")").toString();
    }

    // ----------------------------------------------------------------------------------------

    /**
     * Splits the work of every product over {@code threads} threads (default 1). Each output
     * element is still computed by one thread in the SPEC order, so the results are bit-identical
     * for any count. The worker threads are daemon threads that wait for work; setThreads(1) stops
     * them, so call it when a multi-threaded network is no longer needed.
     *
     * @param threads the number of threads, 1 to {@link #MAX_THREADS}
     * @throws IllegalArgumentException if threads &lt; 1
     */
    public void setThreads(int threads) {
        setThreads(threads, Parallel.MIN_WORK);
    }

    /** As {@link #setThreads(int)}; minWork 0 splits even the smallest jobs over the threads (tests of the threads use it). */
    void setThreads(int threads, long minWork) {
        Check.size("threads", threads);
        if (threads > MAX_THREADS) throw new IllegalArgumentException("threads: expected at most " + MAX_THREADS + ", found " + threads);
        if (threads == parallel.threads && minWork == parallel.minWork) return;
        Parallel next = threads == 1 ? Parallel.SERIAL : new Parallel(threads, minWork); // before closing the old one: this may fail
        if (parallel != Parallel.SERIAL) parallel.close();
        parallel = next;
    }

    /** The most threads setThreads accepts. */
    public static final int MAX_THREADS = 256;

    /**
     * The number of threads of the kernels.
     *
     * @return the count set by {@link #setThreads}, 1 by default
     */
    public int threads() {
        return parallel.threads;
    }

    /**
     * Which fast kernels run in this JVM (SPEC.md §23): {@code "plain"} (plain Java), or
     * {@code "vector (256-bit)"} (with the width in use) when the Vector API kernels are compiled,
     * the JVM runs with {@code --add-modules jdk.incubator.vector} and {@code -Dplainnet.vector}
     * is not false. Every path gives the same bits; this only says which one runs, for reports
     * such as {@code plainnet bench}. Read-only: it is fixed when the JVM loads the kernels.
     *
     * @return "plain" or "vector (B-bit)"
     */
    public static String kernels() {
        return Kernels.path();
    }

    /** The threads of this network, for the optimizer's step. */
    Parallel parallel() {
        return parallel;
    }

    /** Uses the naive reference kernels (true) or the fast ones (false, the default) in every layer; the bits are the same. */
    void setReference(boolean reference) {
        for (Dense layer : layers) layer.reference = reference;
    }

    /** Drops the buffers and the remembered input after a change of the layer list, and records its widths (I, then O_l) for new buffers. */
    private void invalidate() {
        x = null;
        buffers = null;
        cache.clear();
        widths = new int[layers.size() + 1];
        widths[0] = layers.get(0).I;
        for (int l = 0; l < layers.size(); l++) widths[l + 1] = layers.get(l).O;
    }

    private static void checkIndex(String name, int l, int size) {
        if (l < 0 || l >= size) {
            throw new IllegalArgumentException(name + ": expected 0 <= l < " + size + ", found " + l);
        }
    }
}
