package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code plainnet bench --warmup} (SPEC.md, section 24): its own warm-up length, validated like --seconds. */
class BenchWarmupTest {

    private String out, err;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void bench_warmupZero_runsTheTimedSlices() {
        assertThat(run("bench", "--cases", "6-5-3/4", "--seconds", "0.02", "--warmup", "0")).as(err).isZero();
        assertThat(out).contains("\"sizes\": \"6-5-3\"").contains("kernels: ");
    }

    @Test
    void bench_badWarmup_oneLineError() {
        assertThat(run("bench", "--cases", "6-5-3/4", "--warmup", "-1")).isEqualTo(2);
        assertThat(err).isEqualTo("plainnet bench: option --warmup expected a number >= 0.0, found '-1'\n");
        assertThat(run("bench", "--cases", "6-5-3/4", "--warmup", "3601")).isEqualTo(2);
        assertThat(err).isEqualTo("plainnet bench: option --warmup expected at most 3600.0, found 3601\n");
    }
}
