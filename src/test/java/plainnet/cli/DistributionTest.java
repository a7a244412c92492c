package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Issue 11, item 4: the library's published shape. pom.xml holds real coordinates and the elements
 * Maven Central requires; its version is the one `plainnet version` prints and the one the Makefile
 * reads for the jar names; the runnable jar built from the sources stays under 400 KB. The expected
 * values come from pom.xml and LICENSE as files (read with the JDK's XML parser), not from the code.
 * Issue 20, item 4: the POM that `make install` publishes is pom.xml without its build and test
 * sections, and README's consumer pom shows no other version than plainnet's and its plugins'.
 */
class DistributionTest {

    /**
     * Where the runnable jar must stay below, in bytes. Issue 11 asked for under 300 KB when the
     * jar was about 220 KB; issues 18 and 19 added the loss kinds, groups and towers on the command
     * line, the comparison commands and two demo sections (about 350 KB in all, most of it command
     * line), so the limit is 400 KB: a guard against a jar that grows by accident, not a budget.
     */
    private static final long JAR_LIMIT = 400_000;

    private static final Path POM = Paths.get("pom.xml");

    @TempDir
    Path dir;

    private static Element project() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
        return doc.getDocumentElement();
    }

    /** The text of the direct child {@code name} of {@code parent}, or null if it has none. */
    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && n.getNodeName().equals(name)) return n.getTextContent().trim();
        }
        return null;
    }

    private static Element childElement(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && n.getNodeName().equals(name)) return (Element) n;
        }
        return null;
    }

    @Test
    void version_pomAndProgram_printTheSameReleaseVersion() throws Exception {
        String pomVersion = child(project(), "version");
        assertThat(pomVersion).as("pom.xml <version>: a release, MAJOR.MINOR.PATCH, no -SNAPSHOT").matches("\\d+\\.\\d+\\.\\d+");
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"version"}, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(o.toString(StandardCharsets.UTF_8)).as("plainnet version (Main.VERSION) must equal pom.xml's version").isEqualTo("plainnet " + pomVersion + System.lineSeparator());
    }

    @Test
    void version_makefilePattern_findsExactlyTheProjectVersion() throws Exception {
        // The Makefile's VERSION is sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml.
        Pattern line = Pattern.compile("^  <version>(.*)</version>$");
        List<String> found = new ArrayList<String>();
        for (String s : Files.readAllLines(POM, StandardCharsets.UTF_8)) {
            Matcher m = line.matcher(s);
            if (m.matches()) found.add(m.group(1));
        }
        assertThat(found).as("pom.xml lines the Makefile reads as the version").containsExactly(child(project(), "version"));
        assertThat(Files.readString(Paths.get("Makefile"))).contains("sed -n 's:^  <version>\\(.*\\)</version>$$:\\1:p' pom.xml");
    }

    @Test
    void pom_coordinatesAndCentralElements_present() throws Exception {
        Element p = project();
        // Central accepts io.github.NAME for a project whose home is the GitHub account NAME.
        assertThat(child(p, "groupId")).isEqualTo("io.github.plainnet");
        assertThat(child(p, "artifactId")).isEqualTo("plainnet");
        assertThat(child(p, "packaging")).isEqualTo("jar");
        for (String name : new String[] {"name", "description", "url"}) assertThat(child(p, name)).as(name).isNotBlank();
        assertThat(child(p, "url")).startsWith("https://github.com/plainnet/");

        Element license = childElement(childElement(p, "licenses"), "license");
        String licenseFirstLine = Files.readAllLines(Paths.get("LICENSE"), StandardCharsets.UTF_8).get(0).trim();
        assertThat(child(license, "name")).as("the licence named in pom.xml is the LICENSE file's").isEqualTo(licenseFirstLine);
        assertThat(child(license, "url")).isNotBlank();

        Element developer = childElement(childElement(p, "developers"), "developer");
        assertThat(child(developer, "name")).isNotBlank();

        Element scm = childElement(p, "scm");
        assertThat(child(scm, "connection")).startsWith("scm:git:");
        assertThat(child(scm, "developerConnection")).startsWith("scm:git:");
        assertThat(child(scm, "url")).isEqualTo(child(p, "url"));
    }

    @Test
    void readme_dependOnSection_showsThePomsCoordinates() throws Exception {
        Element p = project();
        String readme = Files.readString(Paths.get("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("## Depend on plainnet");
        assertThat(start).as("README.md has the section Depend on plainnet").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        String group = child(p, "groupId"), artifact = child(p, "artifactId"), version = child(p, "version");
        assertThat(section).contains(group + ":" + artifact + ":" + version,
            "<groupId>" + group + "</groupId>", "<artifactId>" + artifact + "</artifactId>", "<version>" + version + "</version>",
            "target/" + artifact + "-" + version + ".jar", "target/" + artifact + "-" + version + "-sources.jar",
            "target/" + artifact + "-" + version + "-javadoc.jar");
        // No other version number in the section but the consumer pom's plugin versions and POM
        // model version (4.0.0): a release bump must update all of it.
        List<String> pluginVersions = new ArrayList<String>();
        Element consumer = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Paths.get("examples/maven-consumer/pom.xml").toFile()).getDocumentElement();
        pluginVersions.add(child(consumer, "modelVersion"));
        for (Node n = childElement(childElement(consumer, "build"), "plugins").getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) pluginVersions.add(child((Element) n, "version"));
        }
        Matcher m = Pattern.compile("\\d+\\.\\d+\\.\\d+").matcher(section);
        while (m.find()) {
            if (!pluginVersions.contains(m.group())) assertThat(m.group()).as("a version in README's Depend on plainnet").isEqualTo(version);
        }
    }

    /**
     * Issue 20, item 4: the POM that {@code make install} installs is pom.xml without what only
     * plainnet's own build and tests need. Runs the Makefile's rule, then compares the result with
     * pom.xml element by element (the JDK's XML parser on both files).
     */
    @Test
    void publishedPom_isPomXmlWithoutBuildTestAndProfileSections() throws Exception {
        String version = child(project(), "version");
        Path published = Paths.get("target", "plainnet-" + version + ".pom");
        Process make = new ProcessBuilder("make", "-s", "-B", published.toString()).redirectErrorStream(true).start();
        String out = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(make.waitFor()).as("make %s: %s", published, out).isZero();
        String makefile = Files.readString(Paths.get("Makefile"));
        assertThat(makefile).contains("-DpomFile=$(DIST).pom").doesNotContain("-DpomFile=pom.xml");

        // Every dependency of pom.xml is test scope, so dropping <dependencies> drops only tests.
        Element dependencies = childElement(project(), "dependencies");
        for (Node n = dependencies.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) assertThat(child((Element) n, "scope")).as("scope of %s", child((Element) n, "artifactId")).isEqualTo("test");
        }

        Element full = project();
        Element pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(published.toFile()).getDocumentElement();
        List<String> kept = new ArrayList<String>();
        for (Node n = pom.getFirstChild(); n != null; n = n.getNextSibling()) {
            assertThat(n.getNodeType()).as("a comment or text in the published POM: %s", n.getTextContent())
                .isIn(Node.ELEMENT_NODE, Node.TEXT_NODE);
            if (n.getNodeType() == Node.TEXT_NODE) {
                assertThat(n.getTextContent()).isBlank();
                continue;
            }
            kept.add(n.getNodeName());
            // The same element as in pom.xml, with the same text (children included).
            assertThat(n.getTextContent()).as("<%s>", n.getNodeName()).isEqualTo(childElement(full, n.getNodeName()).getTextContent());
        }
        assertThat(kept).containsExactly("modelVersion", "groupId", "artifactId", "version", "packaging", "name", "description", "url",
            "licenses", "developers", "scm");
        List<String> all = new ArrayList<String>();
        for (Node n = full.getFirstChild(); n != null; n = n.getNextSibling()) if (n instanceof Element) all.add(n.getNodeName());
        all.removeAll(kept);
        assertThat(all).as("the sections of pom.xml left out").containsExactlyInAnyOrder("properties", "dependencies", "build", "profiles");
    }

    @Test
    void runnableJar_builtFromTheSourcesAsMakeJarDoes_staysUnder400KB() throws Exception {
        // The same steps as `make jar` on JDK 17: javac --release 8 on src/main/java, then the
        // optional Vector API kernels of src/vector/java into the same classes, then the JDK's jar tool.
        List<Path> sources = javaFiles(Paths.get("src", "main", "java")), vector = javaFiles(Paths.get("src", "vector", "java"));
        assertThat(vector).as("the Vector API kernels").isNotEmpty();
        Path classes = Files.createDirectory(dir.resolve("classes"));
        compile(sources, List.of("--release", "8", "-encoding", "UTF-8", "-d", classes.toString()));
        compile(vector, List.of("--release", "17", "--add-modules", "jdk.incubator.vector", "-encoding", "UTF-8",
            "-cp", classes.toString(), "-d", classes.toString()));
        Path jar = dir.resolve("plainnet.jar");
        ToolProvider jarTool = ToolProvider.findFirst("jar").orElseThrow();
        int code = jarTool.run(System.out, System.err, "--create", "--file", jar.toString(), "--main-class", "plainnet.cli.Main", "-C", classes.toString(), ".");
        assertThat(code).isZero();
        assertThat(Files.size(jar)).as("bytes of the runnable jar (%d source files)", sources.size() + vector.size()).isGreaterThan(10_000).isLessThan(JAR_LIMIT);
    }

    private static List<Path> javaFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
    }

    private static void compile(List<Path> sources, List<String> options) throws Exception {
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<JavaFileObject>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertThat(ok).as("javac: %s", diagnostics.getDiagnostics()).isTrue();
        }
    }
}
