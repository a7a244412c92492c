package plainnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the full default demo (about 25 s on 2 cores) and checks that README.md shows exactly the
 * tables it prints and that the committed charts are the ones it writes, so the README's numbers
 * are computed, not typed.
 */
class DemoReadmeTest {

    @TempDir
    Path dir;

    @Test
    void readme_demoSection_equalsAFreshRun() throws Exception {
        Demo.Settings s = new Demo.Settings();
        s.out = dir;
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String report = Demo.run(s, quiet, quiet);
        String tables = report.substring(0, report.indexOf("\nDemo finished")).strip();

        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("<!-- demo:report");
        assertThat(start).as("README has the demo:report marker").isPositive();
        int open = readme.indexOf("```\n", start) + 4;
        int close = readme.indexOf("\n```", open);
        assertThat(readme.substring(open, close).strip()).isEqualTo(tables);

        for (String chart : new String[] {"transfer.svg", "scarce.svg"}) {
            assertThat(Files.readString(Path.of("examples/demo").resolve(chart))).as(chart).isEqualTo(Files.readString(dir.resolve(chart)));
        }
    }
}
