package plainnet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes two compilable files (README, "Copying plainnet into your project"): PlainNet.java, the
 * core package (src/main/java/plainnet/*.java), and PlainNetIO.java, the file formats
 * (src/main/java/plainnet/io/*.java: model files, CSV data files, JSON). In each, every top-level
 * type becomes a type nested in one {@code public final class}, in the order of the file names.
 * PlainNet.java compiles alone; PlainNetIO.java needs only PlainNet.java beside it (the same
 * package), as the package plainnet.io needs only the core.
 *
 * <pre>
 *   package plainnet; / plainnet.io;   dropped (the files have no package line: add yours)
 *   import java.…;                     merged, sorted, once each, at the top
 *   import plainnet.X;   (io only)     dropped; X in code and comments becomes PlainNet.X
 *   public final class X               public static final class X
 *   final class X                      static final class X       (package-private stays so)
 *   public enum / interface X          unchanged (nested enums and interfaces are static)
 *   plainnet.X in code or comments     X in PlainNet.java, PlainNet.X in PlainNetIO.java
 *   plainnet.io.X (io only)            X
 *   everything else                    unchanged, indented by 4 spaces
 * </pre>
 *
 * String and character literals are never rewritten in PlainNetIO.java, so its messages and the
 * files it writes are the jar's, byte for byte.
 *
 * <p>Run by {@code make single-file}: {@code java -cp target/plainnet.jar plainnet.cli.SingleFile
 * src/main/java/plainnet target}.
 */
public final class SingleFile {

    private SingleFile() {}

    /** The class that holds the core's types. */
    static final String CORE = "PlainNet";
    /** The class that holds the types of plainnet.io. */
    static final String IO = "PlainNetIO";

    /** A top-level declaration: at column 0, an optional "public ", then "final class", "class", "enum" or "interface". */
    private static final Pattern DECLARATION = Pattern.compile("^(public )?(final class|class|enum|interface) ");
    /** A qualified reference to a core type: plainnet.X with X capitalised (plainnet.io etc. are not core). */
    private static final Pattern QUALIFIED = Pattern.compile("\\bplainnet\\.(?=[A-Z])");
    /** A qualified reference to a type of plainnet.io or plainnet.kinds, within PlainNetIO: plainnet.io.X or plainnet.kinds.X with X capitalised. */
    private static final Pattern QUALIFIED_IO = Pattern.compile("\\bplainnet\\.(io|kinds)\\.(?=[A-Z])");
    /** An import of a plainnet.kinds type into plainnet.io: dropped, the kinds are nested in PlainNetIO too. */
    private static final Pattern KINDS_IMPORT = Pattern.compile("^import plainnet\\.kinds\\.[A-Z]\\w*;$");
    /** An import of a core type into plainnet.io: group 1 is the type's name, or * for all of them. */
    private static final Pattern CORE_IMPORT = Pattern.compile("^import plainnet\\.([A-Z]\\w*|\\*);$");

    /**
     * {@code make single-file}: writes OUT_FOLDER/PlainNet.java and OUT_FOLDER/PlainNetIO.java; exit 2
     * with a one-line message for a wrong argument count, a missing source folder or an output
     * folder that is a file.
     *
     * @param args the core source folder (src/main/java/plainnet, holding io/) and the output folder (target)
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("plainnet: usage: SingleFile SOURCE_FOLDER OUT_FOLDER (expected 2 arguments, found " + args.length + ")");
            System.exit(2);
        }
        Path folder = Paths.get(args[0]), out = Paths.get(args[1]);
        for (Path f : new Path[] {folder, folder.resolve("io")}) {
            if (!Files.isDirectory(f)) {
                System.err.println("plainnet: " + f + ": expected a folder of .java files, found " + (Files.exists(f) ? "a file" : "nothing"));
                System.exit(2);
            }
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            System.err.println("plainnet: " + out + ": expected the folder to write PlainNet.java and PlainNetIO.java into, found a file");
            System.exit(2);
        }
        try {
            String core = generate(folder);
            String io = generateIo(folder.resolve("io"), folder);
            Files.createDirectories(out);
            write(out.resolve(CORE + ".java"), core);
            write(out.resolve(IO + ".java"), io);
        } catch (IllegalArgumentException e) {
            System.err.println("plainnet: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("plainnet: " + out + ": could not read the sources or write the files: " + e);
            System.exit(2);
        }
        System.out.println("wrote " + out.resolve(CORE + ".java") + " and " + out.resolve(IO + ".java"));
    }

    /** Writes text to a temporary file beside path, then renames it over path. */
    private static void write(Path path, String text) throws IOException {
        Path part = path.toAbsolutePath().getParent().resolve(path.getFileName() + ".part");
        Files.write(part, text.getBytes(StandardCharsets.UTF_8));
        Files.move(part, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The text of PlainNet.java made from the *.java files directly in folder (not its subfolders).
     *
     * @param folder the core package's source folder
     * @return the Java source of class PlainNet, one nested static class per file
     * @throws IllegalArgumentException naming the file when one has no top-level declaration at column 0
     * @throws IOException              if the folder or a file cannot be read
     */
    static String generate(Path folder) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("// Generated by `make single-file` from src/main/java/plainnet/*.java: do not edit; edit those\n");
        out.append("// sources and run it again. Add your package line above the imports.\n");
        out.append(nest(folder, null, CORE,
            " * The core of plainnet in one file: each class of the package plainnet is a nested type here\n"
            + " * (PlainNet.Dense, PlainNet.Network, PlainNet.Rng, …). Compiles with the JDK alone, --release 8.\n"));
        return out.toString();
    }

    /**
     * The text of PlainNetIO.java made from the *.java files of the packages plainnet.io and
     * plainnet.kinds (the loss kinds, which the model file reads and writes through): they may
     * import java.*, each other and core types, whose names become PlainNet.X (outside string and
     * character literals).
     *
     * @param folder     the source folder of plainnet.io
     * @param coreFolder the core package's source folder, for the names of its types
     * @return the Java source of class PlainNetIO, one nested static class per file
     * @throws IllegalArgumentException naming the file for a file with no top-level declaration
     *                                  at column 0, an import of anything but java.* and core
     *                                  types, or a type whose name is also a core type's
     * @throws IOException              if a folder or a file cannot be read
     */
    static String generateIo(Path folder, Path coreFolder) throws IOException {
        List<String> coreTypes = new ArrayList<String>();
        for (Path p : javaFiles(coreFolder)) coreTypes.add(typeName(p));
        StringBuilder out = new StringBuilder();
        out.append("// Generated by `make single-file` from src/main/java/plainnet/io/*.java: do not edit; edit those\n");
        out.append("// sources and run it again. Needs PlainNet.java in the same package. Add your package line above the imports.\n");
        out.append(nest(folder, coreTypes, IO,
            " * The file formats of plainnet in one file: each class of the package plainnet.io is a nested\n"
            + " * type here (PlainNetIO.ModelFile reads and writes model files, PlainNetIO.Dataset reads CSV\n"
            + " * data files, …), writing the same bytes as the jar. Needs PlainNet.java beside it (the same\n"
            + " * package) and nothing else; compiles with --release 8.\n"));
        return out.toString();
    }

    /**
     * The imports and class {@code name} holding each *.java file of folder as a nested type.
     *
     * @param coreTypes null for the core; for plainnet.io (with plainnet.kinds nested beside it), the
     *                  core's type names (imports of them are dropped and their uses qualified with
     *                  PlainNet.; imports of plainnet.kinds are dropped too)
     */
    private static String nest(Path folder, List<String> coreTypes, String name, String doc) throws IOException {
        List<Path> files = javaFiles(folder);
        // PlainNetIO also holds the loss kinds (plainnet.kinds, beside io/), which the model file reads and writes through
        if (coreTypes != null && Files.isDirectory(folder.resolveSibling("kinds"))) files.addAll(javaFiles(folder.resolveSibling("kinds")));
        if (files.isEmpty()) throw new IllegalArgumentException(folder + ": expected .java files, found none");

        TreeSet<String> imports = new TreeSet<String>();
        StringBuilder body = new StringBuilder();
        for (Path file : files) {
            if (coreTypes != null && coreTypes.contains(typeName(file))) {
                throw new IllegalArgumentException(file + ": expected a type name unlike the core's, found " + typeName(file) + " in both");
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> imported = new ArrayList<String>(); // core types this file imports
            StringBuilder type = new StringBuilder();
            boolean declared = false;
            boolean[] inComment = {false};
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!declared && line.startsWith("package ")) continue;
                if (!declared && line.startsWith("import ")) {
                    Matcher core = CORE_IMPORT.matcher(line);
                    if (coreTypes != null && core.matches()) {
                        if (core.group(1).equals("*")) imported.addAll(coreTypes);
                        else imported.add(core.group(1));
                    } else if (coreTypes != null && KINDS_IMPORT.matcher(line).matches()) {
                        continue;
                    } else if (line.startsWith("import java.") || line.startsWith("import static java.")) {
                        imports.add(line);
                    } else {
                        throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected an import of java.*"
                            + (coreTypes == null ? "" : " or of a core type") + ", found \"" + line + "\"");
                    }
                    continue;
                }
                if (!declared && type.length() == 0 && line.trim().isEmpty()) continue; // blank lines around the header
                Matcher m = DECLARATION.matcher(line);
                if (!declared && m.find()) {
                    declared = true;
                    String kind = m.group(2);
                    if (kind.equals("final class") || kind.equals("class")) {
                        line = (m.group(1) == null ? "" : "public ") + "static " + line.substring(Math.max(m.end(1), 0));
                    }
                }
                if (coreTypes == null) {
                    line = QUALIFIED.matcher(line).replaceAll("");
                } else {
                    line = qualify(line, imported, inComment);
                }
                type.append(line.isEmpty() ? "" : "    " + line).append('\n');
            }
            if (!declared) {
                throw new IllegalArgumentException(file + ": expected a top-level class, enum or interface declared at column 0, found none");
            }
            body.append('\n').append(type);
        }

        StringBuilder out = new StringBuilder();
        for (String imp : imports) out.append(imp).append('\n');
        out.append('\n');
        out.append("/**\n").append(doc).append(" */\n");
        out.append("public final class ").append(name).append(" {\n\n");
        out.append("    private ").append(name).append("() {}\n");
        out.append(body);
        out.append("}\n");
        return out.toString();
    }

    /**
     * One line of a plainnet.io file with its references to core types qualified: plainnet.X and
     * each imported core name X become PlainNet.X, and plainnet.io.X becomes X (the nested type of
     * PlainNetIO), in code and comments but not inside string or
     * character literals (which a line never continues past, in Java 8 source).
     *
     * @param imported  the core type names the file imports
     * @param inComment whether a block comment is open at the start of the line; updated for the next line
     */
    static String qualify(String line, List<String> imported, boolean[] inComment) {
        Pattern names = imported.isEmpty() ? null
            : Pattern.compile("(?<![\\w.$])(" + String.join("|", imported) + ")\\b");
        StringBuilder out = new StringBuilder();
        int i = 0, n = line.length();
        while (i < n) {
            // [i, j) is code or comment (rewritten), [j, k) a literal (kept)
            int j = i;
            while (j < n) {
                char c = line.charAt(j);
                if (inComment[0]) {
                    if (line.startsWith("*/", j)) {
                        inComment[0] = false;
                        j += 2;
                    } else {
                        j++;
                    }
                } else if (line.startsWith("//", j)) {
                    j = n;
                } else if (line.startsWith("/*", j)) {
                    inComment[0] = true;
                    j += 2;
                } else if (c == '"' || c == '\'') {
                    break;
                } else {
                    j++;
                }
            }
            String part = QUALIFIED.matcher(QUALIFIED_IO.matcher(line.substring(i, j)).replaceAll("")).replaceAll(CORE + ".");
            out.append(names == null ? part : names.matcher(part).replaceAll(CORE + ".$1"));
            if (j == n) break;
            char quote = line.charAt(j);
            int k = j + 1;
            while (k < n && line.charAt(k) != quote) k += line.charAt(k) == '\\' ? 2 : 1;
            k = Math.min(k + 1, n);
            out.append(line, j, k);
            i = k;
        }
        return out.toString();
    }

    private static List<Path> javaFiles(Path folder) throws IOException {
        List<Path> files = new ArrayList<Path>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*.java")) {
            for (Path p : ds) files.add(p);
        }
        Collections.sort(files);
        return files;
    }

    private static String typeName(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - ".java".length());
    }
}
