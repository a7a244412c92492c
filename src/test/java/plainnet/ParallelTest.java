package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Parallel's rules for splitting a job (SPEC.md §23): small jobs inline, every row exactly once. */
class ParallelTest {

    /**
     * The threads that ran some part of a job over [0, total), checking that every row ran exactly
     * once. When {@code share} is set, the calling thread's chunks wait until some other thread has
     * run a chunk, so a job that is handed to the workers is shared whatever the scheduler does;
     * otherwise each of its chunks takes 1 ms.
     */
    private static Set<Thread> run(Parallel p, int total, long work, boolean share) {
        Thread caller = Thread.currentThread();
        Set<Thread> who = Collections.synchronizedSet(new HashSet<Thread>());
        CountDownLatch workerRan = new CountDownLatch(1);
        AtomicInteger[] seen = new AtomicInteger[total];
        for (int r = 0; r < total; r++) seen[r] = new AtomicInteger();
        p.run((from, to) -> {
            who.add(Thread.currentThread());
            for (int r = from; r < to; r++) seen[r].incrementAndGet();
            if (Thread.currentThread() != caller) {
                workerRan.countDown();
                return;
            }
            try {
                // shared: wait for a worker's chunk; else 1 ms per chunk, time for a worker to take one
                // if the job were wrongly split
                if (share) workerRan.await(30, TimeUnit.SECONDS);
                else Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, total, work);
        for (int r = 0; r < total; r++) assertThat(seen[r].get()).as("row " + r + " runs once").isEqualTo(1);
        return who;
    }

    @Test
    void jobBelowMinWork_runsOnTheCallingThreadAlone() {
        Parallel p = new Parallel(2);
        try {
            assertThat(run(p, 64, Parallel.MIN_WORK - 1, false)).containsExactly(Thread.currentThread());
        } finally {
            p.close();
        }
    }

    @Test
    @Timeout(120)
    void jobAtMinWork_isShared_andMinWorkZeroSplitsTinyJobs() {
        Parallel p = new Parallel(2), always = new Parallel(2, 0);
        try {
            // a worker ran part of it (the caller's chunks wait for that; the worker may even take all)
            assertThat(run(p, 64, Parallel.MIN_WORK, true)).anyMatch(t -> t != Thread.currentThread());
            assertThat(run(always, 64, 1, true)).anyMatch(t -> t != Thread.currentThread());
        } finally {
            p.close();
            always.close();
        }
    }

    @Test
    @Timeout(120)
    void manyJobs_withPausesThatLetTheWorkersPark_eachRowOnce() throws InterruptedException {
        // A pause every 50 jobs outlasts the spin (about 0.1 ms), so the workers park and must be
        // woken for the next job: a lost wake-up hangs here, a job run twice fails the count.
        Parallel p = new Parallel(3, 0);
        try {
            for (int j = 0; j < 2000; j++) {
                run(p, 64, 1, false);
                if (j % 50 == 0) Thread.sleep(1);
            }
        } finally {
            p.close();
        }
    }
}
