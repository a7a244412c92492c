package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Parallel's rules for splitting a job (SPEC.md §23): small jobs inline, every row exactly once. */
class ParallelTest {

    /** The threads that ran some part of a job over [0, total), checking that every row ran exactly once. */
    private static Set<Thread> run(Parallel p, int total, long work) {
        Set<Thread> who = Collections.synchronizedSet(new HashSet<Thread>());
        AtomicInteger[] seen = new AtomicInteger[total];
        for (int r = 0; r < total; r++) seen[r] = new AtomicInteger();
        p.run((from, to) -> {
            who.add(Thread.currentThread());
            for (int r = from; r < to; r++) seen[r].incrementAndGet();
            // long enough that the worker, once woken, finds chunks left
            long until = System.nanoTime() + 2_000_000L;
            while (System.nanoTime() < until) { /* work */ }
        }, total, work);
        for (int r = 0; r < total; r++) assertThat(seen[r].get()).as("row " + r + " runs once").isEqualTo(1);
        return who;
    }

    @Test
    void jobBelowMinWork_runsOnTheCallingThreadAlone() {
        Parallel p = new Parallel(2);
        try {
            assertThat(run(p, 64, Parallel.MIN_WORK - 1)).containsExactly(Thread.currentThread());
        } finally {
            p.close();
        }
    }

    @Test
    void jobAtMinWork_isShared_andMinWorkZeroSplitsTinyJobs() {
        Parallel p = new Parallel(2), always = new Parallel(2, 0);
        try {
            // 64 rows in 16 chunks of 2 ms each: the worker takes some of them
            assertThat(run(p, 64, Parallel.MIN_WORK)).hasSize(2);
            assertThat(run(always, 64, 1)).hasSize(2);
        } finally {
            p.close();
            always.close();
        }
    }
}
