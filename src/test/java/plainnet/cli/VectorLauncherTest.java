package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fastest path by default (SPEC.md, section 23): a plain {@code java ... plainnet.cli.Main}
 * runs the kernels on the Vector API where the JDK has it, with the same bits and no warning,
 * and {@code -Dplainnet.vector=false} keeps the plain kernels. Real JVMs, started as a user does.
 */
class VectorLauncherTest {

    @TempDir
    Path dir;

    private static String copy(String stderr) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(out, true, "UTF-8");
        VectorLauncher.copyErrors(new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8)), err);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void copyErrors_incubatorWarningFirst_dropsThatLineOnly() throws IOException {
        String w = "WARNING: Using incubator modules: jdk.incubator.vector\n";
        assertThat(copy(w + "plainnet train: epoch 1/5\n" + w)).isEqualTo("plainnet train: epoch 1/5\n" + w);
        assertThat(copy(w)).isEmpty();
        assertThat(copy("WARNING: Using incubator modules: jdk.incubator.vector\r\nx\n")).isEqualTo("x\n");
    }

    @Test
    void copyErrors_optionNotesBeforeWarning_dropsNotesAndWarning() throws IOException {
        String w = "WARNING: Using incubator modules: jdk.incubator.vector\n";
        String note = "NOTE: Picked up JDK_JAVA_OPTIONS: -Xss2m -Dx=" + "y".repeat(200) + "\n";
        String tool = "Picked up JAVA_TOOL_OPTIONS: -Xmx1g\n";
        assertThat(copy(note + w + "a\n")).isEqualTo("a\n");
        assertThat(copy(note + tool + w + "a\n" + note)).isEqualTo("a\n" + note);
        assertThat(copy(note + "other\n" + w)).isEqualTo("other\n" + w);
        assertThat(copy("NOTE: Picked up JDK_JAVA_OPTIONS: cut")).isEqualTo("NOTE: Picked up JDK_JAVA_OPTIONS: cut");
    }

    @Test
    void copyErrors_otherText_copiedByteForByte() throws IOException {
        assertThat(copy("")).isEmpty();
        assertThat(copy("no newline")).isEqualTo("no newline");
        assertThat(copy("WARNING: Using incubator modules: jdk.incubator.vector and more\n")).isEqualTo("WARNING: Using incubator modules: jdk.incubator.vector and more\n");
        assertThat(copy("WARNING: Using incubator modules")).isEqualTo("WARNING: Using incubator modules");
        String longLine = "é".repeat(100) + "\n" + "second\n";
        assertThat(copy(longLine)).isEqualTo(longLine);
    }

    @Test
    void commandLine_argumentsNotThisJvms_refusesToGuess() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux reads /proc/self/cmdline");
        assertThat(VectorLauncher.commandLine(new String[] {"train", "--not-this-jvms-argument"})).isNull();
    }

    /** What a command printed and returned. */
    private record Result(int code, String out, String err) {}

    private Result main(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Arrays.asList(args));
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("finished within 300 s").isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static final String CLASSES = Path.of("target/classes").toAbsolutePath().toString();

    private static void assumeVectorApi() {
        assumeTrue(ModuleFinder.ofSystem().find(VectorLauncher.MODULE).isPresent(), "this JDK has jdk.incubator.vector");
        assumeTrue(Files.exists(Path.of(CLASSES, "plainnet", "VectorKernels.class")), "the Vector API kernels are compiled (JDK 17+)");
    }

    @Test
    void main_jdkWithVectorApi_benchRunsVectorKernelsWithoutWarning() throws Exception {
        assumeVectorApi();
        Result r = main("-cp", CLASSES, "plainnet.cli.Main", "bench", "--cases", "16-8-3/4", "--seconds", "0.05");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\nkernels: vector (").doesNotContain("WARNING").contains("from the first JVM, which started this one");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void main_vectorFalse_benchRunsPlainKernelsInOneJvm() throws Exception {
        assumeVectorApi();
        Result r = main("-Dplainnet.vector=false", "-cp", CLASSES, "plainnet.cli.Main", "bench", "--cases", "16-8-3/4", "--seconds", "0.05");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\nkernels: plain\n").doesNotContain("first JVM");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void main_eitherPath_sameModelBitsSameOutput() throws Exception {
        assumeVectorApi();
        Path data = Path.of("test-data/digits/digits.csv").toAbsolutePath();
        String[] train = {"train", "--data", data.toString(), "--features", "pixel_0_0..pixel_7_7", "--labels", "digit", "--loss", "softmax", "--hidden", "16:relu", "--epochs", "1",
            "--split", "0.2", "--seed", "7", "--out"};
        List<String> fast = new ArrayList<>(List.of("-cp", CLASSES, "plainnet.cli.Main"));
        fast.addAll(Arrays.asList(train));
        fast.add("fast.json");
        List<String> plain = new ArrayList<>(List.of("-Dplainnet.vector=false", "-cp", CLASSES, "plainnet.cli.Main"));
        plain.addAll(Arrays.asList(train));
        plain.add("plain.json");
        Result f = main(fast.toArray(new String[0]));
        Result p = main(plain.toArray(new String[0]));
        assertThat(f.code()).as(f.err()).isZero();
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(f.out()).contains("saved fast.json").isEqualTo(p.out().replace("plain.json", "fast.json"));
        assertThat(f.err()).doesNotContain("WARNING").contains("\nplainnet: training: 1438 rows, validation 359 rows\nepoch 1/1");
        assertThat(Files.readAllBytes(dir.resolve("fast.json"))).isEqualTo(Files.readAllBytes(dir.resolve("plain.json")));
        Result fp = main("-cp", CLASSES, "plainnet.cli.Main", "predict", "--model", "fast.json", "--data", data.toString());
        Result pp = main("-Dplainnet.vector=false", "-cp", CLASSES, "plainnet.cli.Main", "predict", "--model", "fast.json", "--data", data.toString());
        assertThat(fp.code()).as(fp.err()).isZero();
        assertThat(fp.out()).isNotEmpty().isEqualTo(pp.out());
    }

    @Test
    void main_badInput_sameExitCodeAndOneLineMessageThroughTheLauncher() throws Exception {
        assumeVectorApi();
        Result r = main("-cp", CLASSES, "plainnet.cli.Main", "train", "--data", "missing.csv", "--labels", "y", "--out", "m.json");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("plainnet train: ").doesNotContain("WARNING").hasLineCount(1);
    }
}
