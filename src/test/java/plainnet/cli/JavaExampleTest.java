package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Network;
import plainnet.io.ModelFile;

/**
 * Issue 20, item 3: the Java example program examples/java/TrainSaveLoad.java (data with
 * unlabeled entries → mini-batch training → save → load → predict) compiles and runs against the
 * library's classes (the jar's content) and, with its import lines changed as README says, against
 * the single-file copies PlainNet.java and PlainNetIO.java alone (--release 8). Both runs must
 * print the same lines and write the same model file, byte for byte; the expectations come from
 * the data (a trained network beats each task's majority answer on the held-out rows by far) and
 * from the jar's own reader (the file loads and predicts), not from a recorded output.
 */
class JavaExampleTest {

    private static final Path EXAMPLE = Paths.get("examples/java/TrainSaveLoad.java");

    @TempDir
    Path dir;

    @Test
    void example_runsAgainstTheJarAndTheSingleFileCopy_withTheSameOutputAndModelBytes() throws Exception {
        // Against the library's classes (as `javac -cp target/plainnet.jar`).
        Path library = Paths.get(Network.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jarClasses = Files.createDirectories(dir.resolve("jar-classes"));
        compile(List.of(EXAMPLE), List.of("-classpath", library.toString(), "-d", jarClasses.toString()));
        Path jarRun = Files.createDirectories(dir.resolve("jar-run"));
        String jarOut = run(jarRun, library + File.pathSeparator + jarClasses);

        // Against the copies: each file with "package example;" on top, and the example's imports
        // plainnet.X → example.PlainNet.X, plainnet.io.X → example.PlainNetIO.X (README's sed).
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.writeString(copy.resolve("PlainNet.java"), "package example;\n" + SingleFile.generate(Paths.get("src/main/java/plainnet")));
        Files.writeString(copy.resolve("PlainNetIO.java"), "package example;\n"
            + SingleFile.generateIo(Paths.get("src/main/java/plainnet/io"), Paths.get("src/main/java/plainnet")));
        List<String> original = Files.readAllLines(EXAMPLE, StandardCharsets.UTF_8);
        List<String> changed = new ArrayList<>();
        for (String line : original) {
            String c = line.replaceFirst("^import plainnet\\.io\\.", "import example.PlainNetIO.").replaceFirst("^import plainnet\\.", "import example.PlainNet.");
            assertThat(c.equals(line) || line.startsWith("import plainnet.")).as("only import lines change: %s", line).isTrue();
            changed.add(c);
        }
        assertThat(changed).isNotEqualTo(original);
        Files.write(copy.resolve("TrainSaveLoad.java"), changed, StandardCharsets.UTF_8);
        Path copyClasses = Files.createDirectories(dir.resolve("copy-classes"));
        compile(List.of(copy.resolve("PlainNet.java"), copy.resolve("PlainNetIO.java"), copy.resolve("TrainSaveLoad.java")),
            List.of("--release", "8", "-Xlint:all", "-Xlint:-options", "-Werror", "-d", copyClasses.toString()));
        Path copyRun = Files.createDirectories(dir.resolve("copy-run"));
        String copyOut = run(copyRun, copyClasses.toString());

        assertThat(copyOut).as("the copy's output").isEqualTo(jarOut);
        assertThat(Files.readAllBytes(copyRun.resolve("model.json"))).as("the model file written by the copy")
            .isEqualTo(Files.readAllBytes(jarRun.resolve("model.json")));

        // What the program says it did, checked against the data and the jar's reader.
        assertThat(jarOut).contains("data: 1198 rows, 64 features, 6 tasks, ", "loaded: predictions bit-identical to the trained network's: true",
            "saved model.json (" + Files.size(jarRun.resolve("model.json")) + " bytes)");
        assertThat(jarOut.lines().filter(l -> l.startsWith("epoch ")).count()).isEqualTo(15);
        Matcher known = Pattern.compile("(\\d+) of 7188 labels known").matcher(jarOut);
        assertThat(known.find()).isTrue();
        assertThat(Integer.parseInt(known.group(1))).as("labels known: about half of 1198 × 6").isBetween(3000, 4200);
        ModelFile model = ModelFile.load(jarRun.resolve("model.json"));
        assertThat(model.tasks).containsExactly("even", "greater_than_4", "closed_loop", "prime", "multiple_of_3", "straight_strokes_only");
        assertThat(model.features).hasSize(64).startsWith("pixel_0_0").endsWith("pixel_7_7");
        assertThat(model.standardize).isNotNull();
        // Majority answers on these tasks are right 50-70 % of the time; a trained network on the
        // pixels is right on most held-out rows of every task.
        Matcher accuracy = Pattern.compile("(?m)^(\\w+) +accuracy ([0-9.]+) on (\\d+) labeled held-out rows$").matcher(jarOut);
        int tasks = 0;
        while (accuracy.find()) {
            tasks++;
            assertThat(Double.parseDouble(accuracy.group(2))).as("held-out accuracy of %s", accuracy.group(1)).isGreaterThan(0.85);
            assertThat(Integer.parseInt(accuracy.group(3))).as("labeled held-out rows of %s (240 held out, about half labeled)", accuracy.group(1)).isBetween(80, 160);
        }
        assertThat(tasks).isEqualTo(6);
    }

    @Test
    void readme_showsTheExampleAndTheSingleFileSteps() throws Exception {
        String readme = Files.readString(Paths.get("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains("examples/java/TrainSaveLoad.java",
            "javac -cp target/plainnet.jar -d target/example examples/java/TrainSaveLoad.java",
            "java -cp target/plainnet.jar" + ":" + "target/example example.TrainSaveLoad",
            "make single-file",
            "sed -e 's/^import plainnet\\.io\\./import example.PlainNetIO./' -e 's/^import plainnet\\./import example.PlainNet./'");
    }

    private static String run(Path workDir, String classpath) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", classpath, "example.TrainSaveLoad",
            Paths.get("test-data/digits").toAbsolutePath().toString(), "model.json")
            .directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit code of the example in %s; its output:%n%s", workDir, out).isZero();
        return out;
    }

    private static void compile(List<Path> sources, List<String> options) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> all = new ArrayList<>(options);
            all.addAll(List.of("-encoding", "UTF-8"));
            boolean ok = javac.getTask(null, fm, diagnostics, all, null, fm.getJavaFileObjectsFromPaths(sources)).call();
            assertThat(ok).as("javac %s: %s", options, diagnostics.getDiagnostics()).isTrue();
        }
    }
}
