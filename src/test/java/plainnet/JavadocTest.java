package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 4: {@code javadoc -Xdoclint:all} is clean. Runs the JDK's javadoc (the same
 * options as `make javadoc`) on every file of src/main/java and fails listing every warning and
 * error: a missing comment, {@code @param}, {@code @return} or {@code @throws}, broken HTML, a bad
 * {@code {@link}}.
 */
class JavadocTest {

    @TempDir
    Path out;

    @Test
    void javadoc_doclintAll_reportsNothing() throws Exception {
        Path root = Paths.get("src", "main", "java");
        List<Path> sources;
        try (Stream<Path> s = Files.walk(root)) {
            sources = s.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        assertThat(sources).as("sources under " + root).hasSizeGreaterThan(10);
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<JavaFileObject>();
        boolean ok;
        try (StandardJavaFileManager files = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "8", "-Xdoclint:all", "-Xmaxwarns", "100000", "-quiet", "-encoding", "UTF-8", "-d", out.toString());
            ok = javadoc.getTask(null, files, diagnostics, null, options, files.getJavaFileObjectsFromPaths(sources)).call();
        }
        List<String> problems = new ArrayList<String>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.NOTE || d.getKind() == Diagnostic.Kind.OTHER) continue;
            String file = d.getSource() == null ? "" : root.toAbsolutePath().relativize(Paths.get(d.getSource().toUri()).toAbsolutePath()).toString().replace('\\', '/');
            problems.add(file + ":" + d.getLineNumber() + ": " + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT));
        }
        assertThat(problems).as("javadoc -Xdoclint:all on src/main/java, %d problems:%n%s", problems.size(), String.join("\n", problems)).isEmpty();
        assertThat(ok).as("javadoc finished").isTrue();
        assertThat(out.resolve("index.html")).exists();
    }
}
