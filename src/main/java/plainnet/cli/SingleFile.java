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
 * Writes the core package (src/main/java/plainnet/*.java) as one compilable file, PlainNet.java:
 * each top-level type becomes a type nested in {@code public final class PlainNet}, in the order
 * of the file names. See README, "Copying plainnet into your project".
 *
 * <pre>
 *   package plainnet;              dropped (PlainNet.java has no package line: add yours)
 *   import …;                      merged, sorted, once each, at the top
 *   public final class X           public static final class X
 *   final class X                  static final class X       (package-private stays so)
 *   public enum / interface X      unchanged (nested enums and interfaces are static)
 *   plainnet.X in code or comments X
 *   everything else                unchanged, indented by 4 spaces
 * </pre>
 *
 * Run by {@code make single-file}: {@code java -cp target/plainnet.jar plainnet.cli.SingleFile
 * src/main/java/plainnet target/PlainNet.java}.
 */
public final class SingleFile {

    private SingleFile() {}

    /** A top-level declaration: at column 0, an optional "public ", then "final class", "class", "enum" or "interface". */
    private static final Pattern DECLARATION = Pattern.compile("^(public )?(final class|class|enum|interface) ");
    /** A qualified reference to a core type: plainnet.X with X capitalised (plainnet.io etc. are not core). */
    private static final Pattern QUALIFIED = Pattern.compile("\\bplainnet\\.(?=[A-Z])");

    /**
     * {@code make single-file}: writes the generated file; exit 2 with a one-line message for a
     * wrong argument count, a missing source folder or an output that is a folder.
     *
     * @param args the core source folder (src/main/java/plainnet) and the output file (target/PlainNet.java)
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("plainnet: usage: SingleFile SOURCE_FOLDER OUT_FILE (expected 2 arguments, found " + args.length + ")");
            System.exit(2);
        }
        Path folder = Paths.get(args[0]), out = Paths.get(args[1]);
        if (!Files.isDirectory(folder)) {
            System.err.println("plainnet: " + folder + ": expected a folder of .java files, found " + (Files.exists(folder) ? "a file" : "nothing"));
            System.exit(2);
        }
        if (Files.isDirectory(out)) {
            System.err.println("plainnet: " + out + ": expected the name of the file to write, found a folder");
            System.exit(2);
        }
        try {
            String text = generate(folder);
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path part = parent.resolve(out.getFileName() + ".part");
            Files.write(part, text.getBytes(StandardCharsets.UTF_8));
            Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IllegalArgumentException e) {
            System.err.println("plainnet: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("plainnet: " + out + ": could not read the sources or write the file: " + e);
            System.exit(2);
        }
        System.out.println("wrote " + out);
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
        List<Path> files = new ArrayList<Path>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*.java")) {
            for (Path p : ds) files.add(p);
        }
        if (files.isEmpty()) throw new IllegalArgumentException(folder + ": expected .java files, found none");
        Collections.sort(files);

        TreeSet<String> imports = new TreeSet<String>();
        StringBuilder body = new StringBuilder();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            StringBuilder type = new StringBuilder();
            boolean declared = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!declared && line.startsWith("package ")) continue;
                if (!declared && line.startsWith("import ")) {
                    imports.add(line);
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
                line = QUALIFIED.matcher(line).replaceAll("");
                type.append(line.isEmpty() ? "" : "    " + line).append('\n');
            }
            if (!declared) {
                throw new IllegalArgumentException(file + ": expected a top-level class, enum or interface declared at column 0, found none");
            }
            body.append('\n').append(type);
        }

        StringBuilder out = new StringBuilder();
        out.append("// Generated by `make single-file` from src/main/java/plainnet/*.java: do not edit; edit those\n");
        out.append("// sources and run it again. Add your package line above the imports.\n");
        for (String imp : imports) out.append(imp).append('\n');
        out.append('\n');
        out.append("/**\n");
        out.append(" * The core of plainnet in one file: each class of the package plainnet is a nested type here\n");
        out.append(" * (PlainNet.Dense, PlainNet.Network, PlainNet.Rng, …). Compiles with the JDK alone, --release 8.\n");
        out.append(" */\n");
        out.append("public final class PlainNet {\n\n");
        out.append("    private PlainNet() {}\n");
        out.append(body);
        out.append("}\n");
        return out.toString();
    }
}
