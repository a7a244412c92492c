package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core package plainnet (not its subpackages such as plainnet.cli or plainnet.io) depends on
 * java.lang and java.util only: no file or network I/O, nothing from the command line or file
 * formats. Checks every import line and every fully qualified name in the code (comments and
 * string literals are ignored).
 *
 * <p>Allowed: {@code java.util.*} and its subpackages (java.util.concurrent, ...), and classes of
 * {@code java.lang} itself (java.lang.Math, static imports of its members), not subpackages of
 * java.lang such as java.lang.reflect. Forbidden: every other {@code java.*}, {@code javax.*},
 * {@code jdk.*}, {@code sun.*}, and any subpackage of plainnet.
 *
 * <p>Inside the core, the layering of SPEC.md §23: the speed files (FastPath, Kernels, Parallel
 * and the optional src/vector/java/plainnet/VectorKernels) refer to each other and to Activation
 * only, never to a class above them; and Dense.java compiled alone pulls in at most
 * {@link #DENSE_ALONE} classes, so that the core's files can be copied one by one.
 */
class CoreImportsTest {

    private static final Path CORE = Paths.get("src", "main", "java", "plainnet");
    private static final Path VECTOR = Paths.get("src", "vector", "java", "plainnet");

    /** The speed files, and the classes of the package they may refer to (each other and Activation). */
    private static final List<Path> SPEED_FILES = Arrays.asList(
        CORE.resolve("FastPath.java"), CORE.resolve("Kernels.java"), CORE.resolve("Parallel.java"),
        VECTOR.resolve("VectorKernels.java"));
    private static final Set<String> SPEED_MAY_USE = new TreeSet<String>(Arrays.asList(
        "FastPath", "Kernels", "Parallel", "VectorKernels", "Activation"));

    /**
     * The most top-level classes that compiling Dense.java alone may produce (SPEC.md §23): Dense,
     * Activation, Check, Init, Rng and the speed files FastPath, Kernels, Parallel. Nested classes
     * (Dense$..., FastPath$Work) are not counted: they come with their file.
     */
    static final int DENSE_ALONE = 8;

    private static final Pattern WORD = Pattern.compile("\\b[A-Za-z_$][\\w$]*\\b");
    private static final Pattern PLAINNET_QUALIFIED = Pattern.compile("\\bplainnet\\s*\\.\\s*([A-Za-z_$][\\w$]*)");

    @TempDir
    Path tmp;

    /** A qualified name starting at a word boundary: java.x.y, javax..., jdk..., sun..., plainnet.x */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(?:java|javax|jdk|sun|plainnet)(?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)+");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w$.\\s]+?)(?:\\s*\\.\\s*\\*)?\\s*;");

    @Test
    void coreFiles_everyImportAndQualifiedName_onlyJavaLangAndJavaUtil() throws IOException {
        assertThat(CORE.resolve("Network.java")).as("the core sources, relative to the Maven base directory").exists();
        List<String> violations = new ArrayList<String>();
        int files = 0;
        try (Stream<Path> list = Files.list(CORE)) { // the package directory only, not subfolders
            for (Path p : (Iterable<Path>) list.sorted()::iterator) {
                if (!Files.isRegularFile(p) || !p.getFileName().toString().endsWith(".java")) continue;
                files++;
                String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                violations.addAll(scan(p.getFileName().toString(), text));
            }
        }
        assertThat(files).as("core .java files found").isGreaterThanOrEqualTo(10);
        assertThat(violations).as("references outside java.lang / java.util in the core package").isEmpty();
    }

    @Test
    void scan_forbiddenImportsAndNames_reportsFileAndLine() {
        String src = String.join("\n",
            "package plainnet;",                                     // 1
            "import java.util.List;",                                // 2 ok
            "import java.util.concurrent.atomic.AtomicLong;",        // 3 ok (java.util subpackage)
            "import static java.lang.Math.max;",                     // 4 ok
            "import java.io.File;",                                  // 5 bad
            "import java.nio.file.*;",                               // 6 bad
            "import plainnet.cli.Main;",                             // 7 bad
            "import java.lang.reflect.Method;",                      // 8 bad (java.lang subpackage)
            "/* java.io.File in a comment is fine */",               // 9 ok
            "class X { String s = \"java.io.File\"; // plainnet.io",  // 10 ok (string, comment)
            "  Object o = new java.io.File(\"f\");",                 // 11 bad
            "  Object p = plainnet.io.Csv.read();",                  // 12 bad
            "  long t = java.lang.System.nanoTime();",               // 13 ok
            "  Object q = java.util.Locale.ROOT; char c = '\"';",    // 14 ok
            "  Object r = javax.swing.JFrame.class; }");             // 15 bad
        List<String> v = scan("X.java", src);
        assertThat(v).hasSize(7);
        assertThat(v).anySatisfy(s -> assertThat(s).contains("X.java:5").contains("java.io.File"));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("X.java:6").contains("java.nio.file"));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("X.java:7").contains("plainnet.cli"));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("X.java:8").contains("java.lang.reflect"));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("X.java:11").contains("java.io.File"));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("X.java:12").contains("plainnet.io"));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("X.java:15").contains("javax.swing"));
    }

    @Test
    void scan_multiLineCommentAndTextAcrossLines_keepsLineNumbers() {
        String src = "package plainnet;\n/*\n * java.io\n */\nclass Y {\n  java.net.URL u;\n}\n";
        assertThat(scan("Y.java", src)).containsExactly("Y.java:6: java.net.URL");
    }

    @Test
    void speedFiles_referToEachOtherAndActivationOnly() throws IOException {
        Set<String> classes = packageClasses();
        assertThat(classes).as("top-level classes of package plainnet").contains("Dense", "Network", "Optimizer", "Targets", "Trainer");
        List<String> violations = new ArrayList<String>();
        for (Path p : SPEED_FILES) {
            assertThat(p).as("a speed file, relative to the Maven base directory").exists();
            String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
            violations.addAll(scanLayering(p.getFileName().toString(), text, classes));
        }
        assertThat(violations).as("references from a speed file to a class above it (SPEC.md §23: allowed are "
            + SPEED_MAY_USE + ", java.*)").isEmpty();
    }

    @Test
    void scanLayering_classAboveOrSubpackage_reportsFileLineAndName() {
        Set<String> classes = new TreeSet<String>(Arrays.asList("Activation", "Dense", "FastPath", "Kernels", "Optimizer", "Parallel", "Targets"));
        String src = String.join("\n",
            "package plainnet;",                                          // 1 ok
            "import java.util.List;",                                     // 2 ok
            "import plainnet.io.Csv;",                                    // 3 bad (subpackage)
            "/** Kept out of Dense and Optimizer ({@link Dense}). */",    // 4 ok (comment)
            "final class FastPath {",                                     // 5 ok (itself)
            "  static void f(Activation g, Kernels.Wide k, Parallel p) {}", // 6 ok
            "  static void u(Optimizer opt, Dense layer) {}",             // 7 bad ×2
            "  String s = \"Targets\"; // Targets",                      // 8 ok (string, comment)
            "  Object t = Targets.view(null, null);",                     // 9 bad
            "  int Densely = 0; Object q = plainnet.Dense.class;",       // 10 bad (qualified Dense, once)
            "}");
        List<String> v = scanLayering("FastPath.java", src, classes);
        assertThat(v).containsExactly(
            "FastPath.java:3: plainnet.io",
            "FastPath.java:7: Optimizer",
            "FastPath.java:7: Dense",
            "FastPath.java:9: Targets",
            "FastPath.java:10: Dense");
    }

    @Test
    void denseAlone_compiledWithSourcepath_pullsInAtMostEightTopLevelClasses() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("the JDK's compiler (tests run on a JDK)").isNotNull();
        // As SPEC.md §23 shows it: javac --release 8 -sourcepath src/main/java -d DIR src/main/java/plainnet/Dense.java,
        // with an empty class path: the test's own class path holds the compiled core, which javac would use instead.
        Path out = Files.createDirectory(tmp.resolve("out")), empty = Files.createDirectory(tmp.resolve("empty"));
        int rc = javac.run(null, null, null, "--release", "8", "-Xlint:-options", "-encoding", "UTF-8", "-implicit:class", "-proc:none",
            "-classpath", empty.toString(), "-sourcepath", Paths.get("src", "main", "java").toString(), "-d", out.toString(),
            CORE.resolve("Dense.java").toString());
        assertThat(rc).as("javac's exit status for Dense.java alone").isZero();
        Set<String> topLevel = new TreeSet<String>();
        try (Stream<Path> list = Files.list(out.resolve("plainnet"))) {
            list.map(p -> p.getFileName().toString())
                .filter(f -> f.endsWith(".class") && !f.contains("$")) // nested classes come with their file
                .forEach(f -> topLevel.add(f.substring(0, f.length() - ".class".length())));
        }
        assertThat(topLevel).as("top-level classes compiled for Dense.java alone").contains("Dense", "FastPath", "Kernels", "Parallel");
        assertThat(topLevel.size()).as("top-level classes compiled for Dense.java alone: " + topLevel
            + " (SPEC.md §23 allows " + DENSE_ALONE + ")").isLessThanOrEqualTo(DENSE_ALONE);
    }

    /** The top-level class names of package plainnet: one per .java file of the core and the vector folder. */
    private static Set<String> packageClasses() throws IOException {
        Set<String> names = new TreeSet<String>();
        for (Path folder : Arrays.asList(CORE, VECTOR)) {
            try (Stream<Path> list = Files.list(folder)) {
                list.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".java"))
                    .forEach(f -> names.add(f.substring(0, f.length() - ".java".length())));
            }
        }
        return names;
    }

    /**
     * References of a speed file to classes of the package other than {@link #SPEED_MAY_USE}, as
     * "file:line: Name" (each name once per line; comments and literals ignored), and to any
     * subpackage of plainnet, as "file:line: plainnet.sub".
     */
    static List<String> scanLayering(String file, String text, Set<String> packageClasses) {
        String[] lines = stripCommentsAndLiterals(text).split("\n", -1);
        List<String> out = new ArrayList<String>();
        for (int j = 0; j < lines.length; j++) {
            if (lines[j].trim().startsWith("package ")) continue;
            Set<String> seen = new TreeSet<String>();
            Matcher q = PLAINNET_QUALIFIED.matcher(lines[j]);
            while (q.find()) {
                String next = q.group(1);
                if (!packageClasses.contains(next) && seen.add("plainnet." + next)) out.add(file + ":" + (j + 1) + ": plainnet." + next);
            }
            Matcher w = WORD.matcher(lines[j]);
            while (w.find()) {
                String name = w.group();
                if (packageClasses.contains(name) && !SPEED_MAY_USE.contains(name) && seen.add(name)) {
                    out.add(file + ":" + (j + 1) + ": " + name);
                }
            }
        }
        return out;
    }

    /** Violations as "file:line: name". */
    static List<String> scan(String file, String text) {
        String code = stripCommentsAndLiterals(text);
        String[] lines = code.split("\n", -1);
        List<String> out = new ArrayList<String>();
        for (int j = 0; j < lines.length; j++) {
            String line = lines[j];
            Matcher imp = IMPORT.matcher(line);
            if (imp.find()) {
                String name = imp.group(1).replaceAll("\\s", "");
                if (!allowed(name)) out.add(file + ":" + (j + 1) + ": " + name);
                continue;
            }
            if (line.trim().startsWith("package ")) continue;
            Matcher m = QUALIFIED.matcher(line);
            while (m.find()) {
                String name = m.group().replaceAll("\\s", "");
                if (!allowed(name)) out.add(file + ":" + (j + 1) + ": " + name);
            }
        }
        return out;
    }

    /** java.util[.anything], java.lang.ClassName[...], plainnet.ClassName[...]. */
    static boolean allowed(String name) {
        String[] part = name.split("\\.");
        if (part[0].equals("java") && part.length >= 2) {
            if (part[1].equals("util")) return true;
            if (part[1].equals("lang")) return part.length >= 3 && Character.isUpperCase(part[2].charAt(0));
            return false;
        }
        if (part[0].equals("plainnet")) return part.length >= 2 && Character.isUpperCase(part[1].charAt(0));
        return false; // javax, jdk, sun
    }

    /**
     * The text with comments, string literals and char literals replaced by spaces, newlines kept,
     * so that line numbers stay right.
     */
    static String stripCommentsAndLiterals(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int j = 0, n = s.length();
        while (j < n) {
            char c = s.charAt(j);
            char d = j + 1 < n ? s.charAt(j + 1) : '\0';
            if (c == '/' && d == '/') {
                while (j < n && s.charAt(j) != '\n') { b.append(' '); j++; }
            } else if (c == '/' && d == '*') {
                b.append("  ");
                j += 2;
                while (j < n && !(s.charAt(j) == '*' && j + 1 < n && s.charAt(j + 1) == '/')) {
                    b.append(s.charAt(j) == '\n' ? '\n' : ' ');
                    j++;
                }
                b.append("  ");
                j += 2;
            } else if (c == '"' || c == '\'') {
                b.append(' ');
                j++;
                while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
                    if (s.charAt(j) == '\\') { b.append(' '); j++; }
                    if (j < n) { b.append(s.charAt(j) == '\n' ? '\n' : ' '); j++; }
                }
                b.append(' ');
                j++;
            } else {
                b.append(c);
                j++;
            }
        }
        return b.toString();
    }
}
