package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

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
 */
class CoreImportsTest {

    private static final Path CORE = Paths.get("src", "main", "java", "plainnet");

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
