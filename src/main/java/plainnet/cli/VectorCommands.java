package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import plainnet.io.Fields;
import plainnet.io.FormatException;
import plainnet.io.Json;
import plainnet.io.TextFiles;
import plainnet.verify.Case;
import plainnet.verify.Compute;
import plainnet.verify.Vectors;
import plainnet.verify.Verify;

/**
 * {@code plainnet vectors}, {@code compute} and {@code verify}: the golden test vectors and the
 * check of another implementation's results against them. See SPEC.md, section "Test vectors".
 */
final class VectorCommands {

    private VectorCommands() {}

    static int vectors(String[] args, PrintStream out) throws UsageException, IOException {
        Options o = new Options("vectors", "Regenerate the whole set of test vectors (deterministic: the same bytes every time).");
        o.value("out", "DIR", "test-data/vectors", "the folder to write NAME.json files into");
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        TextFiles.checkFolder(Paths.get(o.get("out")), "--out");
        int n = Vectors.write(Paths.get(o.get("out")));
        out.println("wrote " + n + " vectors to " + o.get("out"));
        return 0;
    }

    static int compute(String[] args, PrintStream out) throws UsageException, IOException {
        Options o = new Options("compute", "Compute plainnet's results for a vector (or every vector in a folder) in the result format.");
        o.value("vector", "FILE|DIR", null, "a vector file, or a folder of them (or the first plain argument)");
        o.value("out", "FILE|DIR", null, "where to write the result (a folder when --vector is a folder; default: standard output for one file)");
        o.positional("vector");
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        Path in = Paths.get(o.required("vector"));
        if (Files.isDirectory(in)) {
            Path dir = Paths.get(o.required("out"));
            if (Files.isDirectory(dir) && Files.isSameFile(in, dir)) {
                throw new UsageException("option --out expected a folder other than the --vector folder " + in + ", found the same folder (the results would replace the vectors)");
            }
            TextFiles.checkFolder(dir, "--out"); // a file, or a path under one, named as vectors and demo do
            Files.createDirectories(dir);
            List<Path> files = jsonFiles(in);
            // Each result is saved atomically, as a single --out file is (SPEC.md, "Model file").
            for (Path f : files) TextFiles.writeAtomically(dir.resolve(f.getFileName()), resultJson(f));
            out.println("wrote " + files.size() + " results to " + dir);
            return 0;
        }
        if (o.get("out") != null) TextFiles.checkOutput(Paths.get(o.get("out")), "--out", "--vector", in.toString());
        String json = resultJson(in);
        if (o.get("out") == null) out.print(json);
        else TextFiles.writeAtomically(Paths.get(o.get("out")), json);
        return 0;
    }

    static int verify(String[] args, PrintStream out) throws UsageException, IOException {
        Options o = new Options("verify", "Compare result files with the vectors' expected values, array by array, using each vector's tolerances.\n"
            + "Exit 0 when everything passes, 1 when any array fails, 2 when a file is malformed.");
        o.value("vector", "FILE|DIR", null, "a vector file, or a folder of them (or the first plain argument)");
        o.value("result", "FILE|DIR", null, "the result file, or a folder holding one result per vector under the same file name (or the second plain argument)");
        o.positional("vector", "result");
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        Path vectors = Paths.get(o.required("vector")), results = Paths.get(o.required("result"));
        if (Files.isDirectory(vectors)) {
            if (!Files.isDirectory(results)) throw new UsageException("--vector is a folder, so --result must be a folder too, found " + results);
            int passed = 0, failed = 0, malformed = 0;
            for (Path v : jsonFiles(vectors)) {
                try {
                    Verify.Report r = verifyOne(v, results.resolve(v.getFileName().toString()));
                    out.print(r);
                    if (r.passed()) passed++;
                    else failed++;
                } catch (FormatException e) {
                    // A malformed or missing file fails its vector; the others are still checked.
                    out.println("MALFORMED " + v.getFileName() + ": " + e.getMessage());
                    malformed++;
                }
            }
            out.println(passed + " passed, " + (failed + malformed) + " failed" + (malformed > 0 ? " (" + malformed + " malformed)" : ""));
            return malformed > 0 ? 2 : failed == 0 ? 0 : 1;
        }
        Verify.Report r = verifyOne(vectors, results);
        out.print(r);
        out.println(r.passed() ? "1 passed, 0 failed" : "0 passed, 1 failed");
        return r.passed() ? 0 : 1;
    }

    private static Verify.Report verifyOne(Path vectorFile, Path resultFile) throws IOException {
        Object vector = parse(vectorFile);
        Fields root = Fields.root(vector, vectorFile.toString());
        Case c = Case.parse(root);
        String stem = vectorFile.getFileName().toString().replaceAll("\\.json$", "");
        if (!c.name.equals(stem)) throw root.error("name", "expected \"" + stem + "\" (the file name), found \"" + c.name + "\"");
        Object expected = root.value("expected");
        if (!(expected instanceof Map)) throw root.error("expected", "expected an object, found " + Fields.kind(expected));
        // The expected section must hold exactly the stages of this kind of case (SPEC.md 22.2), so that a vector always compares something.
        List<String> stages = c.stages();
        if (!((Map<?, ?>) expected).keySet().equals(new java.util.HashSet<Object>(stages))) {
            throw root.error("expected", "expected the keys " + stages + ", found " + ((Map<?, ?>) expected).keySet());
        }
        Object result = parse(resultFile);
        if (!(result instanceof Map)) throw new FormatException(resultFile.toString(), 0, 0, "expected a JSON object (the result format), found " + Fields.kind(result));
        return Verify.compare(c, (Map<?, ?>) expected, (Map<?, ?>) result, resultFile.toString());
    }

    /** The result file of a vector: format, version, the vector's name, then the computed sections. */
    private static String resultJson(Path vectorFile) throws IOException {
        Case c = Case.parse(Fields.root(parse(vectorFile), vectorFile.toString()));
        Map<String, Object> root = new LinkedHashMap<String, Object>();
        root.put("format", "plainnet-result");
        root.put("version", 1);
        root.put("vector", c.name);
        try {
            root.putAll(Compute.run(c));
        } catch (IllegalArgumentException e) {
            // A value the core rejects (for example a label outside [0, 1]): name the vector file.
            throw new FormatException(vectorFile.toString(), 0, 0, e.getMessage());
        }
        return Json.write(root);
    }

    private static Object parse(Path p) throws IOException {
        return Json.parse(TextFiles.read(p, "a JSON file"), p.toString());
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<Path>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
        }
        if (files.isEmpty()) throw new FormatException(dir.toString(), 0, 0, "expected .json files in the folder, found none");
        return files;
    }
}
