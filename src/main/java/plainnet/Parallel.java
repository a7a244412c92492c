package plainnet;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Deterministic threads for the kernels: a job over the rows [0, total) is cut into chunks of
 * consecutive rows, which the calling thread and the workers take one after another until none is
 * left (so a slower thread takes fewer chunks). Each output element is computed by exactly one
 * thread, with the same order of additions as with one thread, so results are bit-identical for
 * any thread count and any assignment of chunks. See SPEC.md, section "Fast kernels and threads".
 *
 * <p>No allocation per job: the workers are started once and wait (parked) for the next job; the
 * job object is one the caller made once. Plain {@code java.util.concurrent}, daemon threads.
 * One caller at a time (the network that owns it).
 */
final class Parallel {

    /** Work on the rows [from, to). */
    interface Range {
        void run(int from, int to);
    }

    /** One thread: runs every job inline. */
    static final Parallel SERIAL = new Parallel(1);

    /** Jobs smaller than this many rows run on the calling thread alone. */
    static final int MIN_ROWS = 2;
    /** Chunks per thread: more chunks balance uneven threads, fewer cost less coordination. */
    static final int CHUNKS_PER_THREAD = 8;

    final int threads;
    private final Thread[] workers;       // threads − 1 workers
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger nextChunk = new AtomicInteger();
    private volatile int chunk;            // rows per chunk of the current job
    private volatile Range job;
    private volatile int total;
    private volatile long generation;      // incremented for every job; workers wait for a change
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;

    Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        try {
            for (int p = 0; p < workers.length; p++) {
                final int part = p + 1;
                workers[p] = new Thread(this::work, "plainnet-worker-" + part);
                workers[p].setDaemon(true);
                workers[p].start();
            }
        } catch (RuntimeException | Error e) {
            close(); // stop the workers that did start
            throw e;
        }
    }

    /** Runs job over [0, total) on all threads and returns when every part is done. */
    void run(Range job, int total) {
        if (threads == 1 || total < MIN_ROWS) {
            job.run(0, total);
            return;
        }
        this.job = job;
        this.total = total;
        this.chunk = Math.max(1, (total + threads * CHUNKS_PER_THREAD - 1) / (threads * CHUNKS_PER_THREAD));
        this.caller = Thread.currentThread();
        this.failure = null;
        nextChunk.set(0);
        pending.set(workers.length);
        generation++;
        for (Thread w : workers) LockSupport.unpark(w);
        Throwable own = null;
        try {
            takeChunks(job, total, chunk);
        } catch (RuntimeException | Error e) {
            own = e;
        }
        while (pending.get() > 0) LockSupport.parkNanos(this, 10_000L);
        this.job = null;
        if (own != null) rethrow(own);
        if (failure != null) rethrow(failure);
    }

    /** Runs chunks [c·size, (c+1)·size) of the job for c = 0, 1, … taken from the shared counter until none is left. */
    private void takeChunks(Range r, int n, int size) {
        int c;
        while ((c = nextChunk.getAndIncrement()) * (long) size < n) {
            int from = c * size;
            r.run(from, Math.min(n, from + size));
        }
    }

    private void work() {
        long seen = 0;
        while (!closed) {
            long g = generation;
            if (g == seen) {
                LockSupport.park(this);
                continue;
            }
            seen = g;
            Range r = job;
            int n = total, size = chunk;
            try {
                takeChunks(r, n, size);
            } catch (Throwable e) {
                failure = e;
            } finally {
                if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
            }
        }
    }

    /** Stops the workers. */
    void close() {
        closed = true;
        for (Thread w : workers) if (w != null) LockSupport.unpark(w);
    }

    private static void rethrow(Throwable e) {
        if (e instanceof RuntimeException) throw (RuntimeException) e;
        if (e instanceof Error) throw (Error) e;
        throw new IllegalStateException(e);
    }
}
