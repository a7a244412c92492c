package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, item 10: a SIGTERM (as Ctrl-C's SIGINT, the same shutdown hooks) while a data file
 * loads prints one line naming the file and the line reached, and leaves --out as it was.
 *
 * <p>The data comes through a FIFO, so the moment is certain rather than a race with a big file:
 * the test writes 1 MB of rows and keeps the FIFO open, so plainnet has read most of them (a pipe
 * holds 64 KB and its reader's buffer 64 K chars; the write returns only when the rest was taken)
 * and waits for more when the signal comes.
 */
class InterruptReadingTest {

    @TempDir
    Path dir;

    @Test
    void sigterm_whileDataLoads_namesFileAndLine_outLeftAsItWas() throws Exception {
        Path fifo = dir.resolve("d.csv");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
        Path model = Files.writeString(dir.resolve("m.json"), "the previous model\n");
        Path log = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", Path.of("target/classes").toAbsolutePath().toString(), "plainnet.cli.Main", "train",
            "--data", fifo.toString(), "--features", "a", "--labels", "t", "--out", model.toString())
            .redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int rows = 100_000; // about 1 MB
        StringBuilder text = new StringBuilder("a,t\n");
        for (int n = 0; n < rows; n++) text.append(n).append(',').append(n % 2).append('\n');
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) { // waits for plainnet to open the FIFO
                out.write(bytes);
                out.flush();
                written.countDown();
                release.await(); // keep the FIFO open: plainnet waits for more rows
            } catch (Exception e) {
                // the process ended first; the assertions below say why
            }
        });
        writer.setDaemon(true);
        writer.start();
        try {
            assertThat(written.await(60, TimeUnit.SECONDS)).as("plainnet opened the FIFO and took the rows").isTrue();
            Thread.sleep(200); // let it reach the end of what was written (the line is checked loosely below)
            assertThat(p.isAlive()).as("plainnet waits for more rows").isTrue();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as("the JVM's code for SIGTERM").isEqualTo(143);
        String err = Files.readString(log);
        Matcher m = Pattern.compile("plainnet train: interrupted while reading " + Pattern.quote(fifo.toString()) + " \\(line (\\d+)\\); nothing was written\n").matcher(err);
        assertThat(m.find()).as(err).isTrue();
        int line = Integer.parseInt(m.group(1));
        // At least what neither the pipe (64 KB) nor the reader's buffer (64 K chars) can hold was read:
        // about 100,000 − 2 · 65,536 / 10 rows of about 10 bytes. At most the last line written.
        assertThat(line).isBetween(rows / 2, rows + 1);
        assertThat(Files.readString(model)).isEqualTo("the previous model\n");
    }

    /** A command that returns (here with an error) prints no interruption line: the hook speaks only while a file loads. */
    @Test
    void badData_commandReturns_noInterruptionLine() throws Exception {
        Files.writeString(dir.resolve("d.csv"), "a,t\n1,0\nx,1\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", Path.of("target/classes").toAbsolutePath().toString(), "plainnet.cli.Main", "train",
            "--data", dir.resolve("d.csv").toString(), "--features", "a", "--labels", "t", "--out", dir.resolve("m.json").toString())
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("d.csv:3: column a: expected a finite number").doesNotContain("interrupted");
    }
}
