package plainnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data file that can be read only once (a FIFO, a pipe, {@code --data <(zcat d.csv.gz)}): every
 * row arrives, and nothing waits for a second writer. SPEC.md, "Data file".
 */
class CsvPipeTest {

    @TempDir
    Path dir;

    @Test
    void load_fromAFifo_readsEveryRowOnce() throws Exception {
        Path fifo = dir.resolve("d.csv");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
        // 20,000 rows: far more than one buffer, so a second open (or a lost first buffer) would show.
        int N = 20_000;
        StringBuilder text = new StringBuilder("a,y\n");
        for (int n = 0; n < N; n++) text.append(n).append(',').append(n % 2).append('\n');
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, bytes); // one writer, once: a reader that opens the FIFO again waits forever
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        writer.setDaemon(true);
        writer.start();
        // A hang guard, not a speed goal: reading the FIFO a second time would wait forever.
        Dataset d = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Dataset.load(fifo, "a", "y"));
        assertThat(d.size()).isEqualTo(N);
        for (int n = 0; n < N; n++) {
            assertThat(d.x[n][0]).as("row %d", n).isEqualTo(n);
            assertThat(d.lines[n]).as("line of row %d", n).isEqualTo(n + 2);
        }
        writer.join(10_000);
        assertThat(writer.isAlive()).as("the writer finished").isFalse();
    }
}
