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
 * <p>A job of less than {@link #MIN_WORK} multiply-adds runs on the calling thread alone: handing it
 * to a worker (an unpark, a wake-up, the wait for the last chunk) costs tens of microseconds,
 * more than such a job takes (measured at 64-32-10, batch 32: two threads were 15× slower than one
 * before this rule). Waiting threads first spin for about {@link #SPIN} checks, because the next
 * job of a training step usually follows within microseconds, and only then park (at once when
 * there are more threads than processors).
 *
 * <p>No allocation per job: the workers are started once and wait for the next job; the job
 * object is one the caller made once. Plain {@code java.util.concurrent}, daemon threads.
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
    /** Jobs of fewer multiply-adds (or moved numbers) than this run on the calling thread alone. */
    static final long MIN_WORK = 1L << 17;
    /** Checks a waiting thread spins through before it parks. */
    static final int SPIN = 1 << 17;
    /** Chunks per thread: more chunks balance uneven threads, fewer cost less coordination. */
    static final int CHUNKS_PER_THREAD = 8;

    final int threads;
    /** The smallest job (in multiply-adds) split over the threads: {@link #MIN_WORK}, or 0 in tests. */
    final long minWork;
    /** SPIN, or 0 (park at once) when there are more threads than processors: a spinning thread would take the CPU from one with work. */
    private final int spinLimit;
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
        this(threads, MIN_WORK);
    }

    /** As {@link #Parallel(int)}; minWork 0 splits every job of at least {@link #MIN_ROWS} rows (tests use it). */
    Parallel(int threads, long minWork) {
        if (threads < 1) throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
        this.threads = threads;
        this.minWork = minWork;
        this.spinLimit = threads <= Runtime.getRuntime().availableProcessors() ? SPIN : 0;
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

    /**
     * Runs job over [0, total) on all threads and returns when every part is done; a job of less
     * than {@link #minWork} in {@code work} (its multiply-adds, or numbers moved) runs inline.
     */
    void run(Range job, int total, long work) {
        if (threads == 1 || total < MIN_ROWS || work < minWork) {
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
        for (int spin = 0; pending.get() > 0; spin++) {
            if (spin >= spinLimit) LockSupport.parkNanos(this, 10_000L);
        }
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
        int spin = 0;
        while (!closed) {
            long g = generation;
            if (g == seen) {
                if (++spin >= spinLimit) LockSupport.park(this);
                continue;
            }
            spin = 0;
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
