package plainnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/pytorch/model_file.py (the Python port of the model reader, standard library only)
 * reads version 2 (SPEC.md §16.1) as {@link ModelFile} does: it accepts the model files of
 * test-data/models and writes the version-2 one back to the same bytes, and refuses every
 * malformed version-2 file of {@link ModelFileGroupsTest} with plainnet's own message. Skipped
 * where python3 cannot be run, except under CI=true (.ci/run has python3), where that fails.
 */
class ModelFilePythonTest {

    @TempDir
    Path dir;

    static final String PYTHON = System.getenv("PLAINNET_PYTHON") == null || System.getenv("PLAINNET_PYTHON").isEmpty() ? "python3" : System.getenv("PLAINNET_PYTHON");

    static final String DRIVER = String.join("\n",
        "import sys",
        "sys.path.insert(0, 'examples/pytorch')",
        "import model_file",
        "def whole(v):",
        "    # the parsed file holds every number as a float; plainnet writes these fields as integers",
        "    if isinstance(v, dict):",
        "        return {k: int(e) if k in ('version', 'inputs', 'outputs') else whole(e) for k, e in v.items()}",
        "    return [whole(e) for e in v] if isinstance(v, list) else v",
        "for path in sys.argv[1:]:",
        "    try:",
        "        model = model_file.read_model(path)",
        "        same = model_file.model_json(whole(model)) == open(path, encoding='utf-8').read()",
        "        print('=== ' + path + '\\nOK ' + ('same bytes' if same else 'other bytes'))",
        "    except model_file.BadInput as e:",
        "        print('=== ' + path + '\\n' + str(e))",
        "");

    private static boolean pythonRuns() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import sys").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs the driver on the files; the answer for each: "OK same bytes", "OK other bytes" or the message. */
    private Map<String, String> python(List<Path> files) throws Exception {
        Path driver = dir.resolve("driver.py");
        Files.writeString(driver, DRIVER);
        List<String> command = new ArrayList<>(List.of(PYTHON, driver.toString()));
        for (Path f : files) command.add(f.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> answers = new LinkedHashMap<>();
        for (String section : out.split("=== ")) {
            if (section.isEmpty()) continue;
            int nl = section.indexOf('\n');
            answers.put(section.substring(0, nl), section.substring(nl + 1).trim());
        }
        return answers;
    }

    @Test
    @SuppressWarnings("unchecked")
    void modelFilePy_version2_readsWhatPlainnetReadsAndRefusesWithItsMessages() throws Exception {
        boolean runs = pythonRuns();
        if (!runs && "true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError("CI=true, but " + PYTHON + " cannot be run");
        assumeTrue(runs, PYTHON + " cannot be run: skipping the Python model reader");

        List<Path> files = new ArrayList<>();
        try (var s = Files.list(ModelFileGroupsTest.MODELS)) {
            s.sorted().forEach(files::add);
        }
        int good = files.size();
        assertThat(good).isGreaterThanOrEqualTo(4);
        for (Map.Entry<String, Object[]> e : ModelFileGroupsTest.broken().entrySet()) {
            Path f = dir.resolve(e.getKey() + ".json");
            Files.writeString(f, ModelFileGroupsTest.brokenText((Consumer<Map<String, Object>>) e.getValue()[0]));
            files.add(f);
        }
        Map<String, String> answers = python(files);
        for (int j = 0; j < files.size(); j++) {
            Path f = files.get(j);
            String answer = answers.get(f.toString());
            String plain;
            try {
                ModelFile.load(f);
                plain = null;
            } catch (FormatException e) {
                plain = e.getMessage();
            }
            if (j < good) {
                assertThat(plain).as(f + " is a good model").isNull();
                assertThat(answer).as(f.toString()).isEqualTo("OK same bytes");
            } else {
                assertThat(plain).as(f + " is refused by plainnet").isNotNull();
                assertThat(answer).as(f.toString()).isEqualTo(plain);
            }
        }
    }
}
