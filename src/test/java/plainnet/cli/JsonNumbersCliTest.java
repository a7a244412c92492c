package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, item 9: every reader of JSON (info, export, compute, verify) reads any valid number
 * literal, in time linear in its length, and names the file, line and column of a bad one.
 */
class JsonNumbersCliTest {

    @TempDir
    Path dir;

    private Cli cli;
    private String model; // the text of a trained m.json

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(dir);
        cli.data();
        assertThat(cli.model("m.json")).isZero();
        model = Files.readString(dir.resolve("m.json"));
    }

    /** Writes text with its first {@code "version": 1} replaced by {@code "version": literal}; returns the place "FILE:LINE:COLUMN" of the literal. */
    private String withVersion(String text, String literal, String name) throws Exception {
        String field = "\"version\": 1,";
        int at = text.indexOf(field);
        assertThat(at).as("the file has a version field").isPositive();
        String changed = text.substring(0, at) + "\"version\": " + literal + "," + text.substring(at + field.length());
        Files.writeString(dir.resolve(name), changed);
        int start = at + "\"version\": ".length();
        int line = 1 + (int) text.substring(0, start).chars().filter(c -> c == '\n').count();
        int column = start - text.lastIndexOf('\n', start - 1);
        return dir.resolve(name) + ":" + line + ":" + column;
    }

    @Test
    void info_zeroWithHugeExponent_readAsZero() throws Exception {
        // The first weight of layer 0 becomes a zero written with an exponent no int or long holds.
        int w = model.indexOf("\"W\": [");
        int first = model.indexOf('[', model.indexOf('[', w) + 1) + 1;
        int end = model.indexOf(',', first);
        Files.writeString(dir.resolve("z.json"), model.substring(0, first) + "0.0e4999999523447794" + model.substring(end));
        assertThat(cli.run("info", "--model", "@z.json")).as(cli.err).isZero();
        assertThat(cli.run("export", "--model", "@z.json", "--format", "onnx", "--out", "@z.onnx")).as(cli.err).isZero();
    }

    @Test
    void info_wholeNumberOfAMillionDigits_readsIt() throws Exception {
        int n = 1_000_000;
        withVersion(model, "1" + "0".repeat(n) + "e-" + n, "big.json");
        assertThat(cli.run("info", "--model", "@big.json")).as(cli.err).isZero();
        assertThat(cli.out).startsWith("model " + dir.resolve("big.json") + ": 2 layers");
    }

    @Test
    void info_badNumbers_nameFileLineAndColumn() throws Exception {
        String[][] cases = {
            {"1e400", "expected a number within the double range (|x| <= 1.7976931348623157E308), found 1e400"},
            {"1e-400", "expected 0 or a number that rounds to a nonzero double (|x| > 2.4703282292062328E-324, half the smallest double 4.9E-324), found 1e-400, which would read as 0"},
            {"7e-99999999999999999999", "expected 0 or a number that rounds to a nonzero double"},
            {"9007199254740993", "expected a number that a double holds exactly (whole numbers up to 2^53 = 9007199254740992), found 9007199254740993, which would read as 9007199254740992"},
            {"01", "expected no leading zero in a number, found 01", "1"},
            {"NaN", "expected a value (object, array, string, number, true, false or null), found 'NaN'"},
            {"1.e5", "expected a digit after '.', found 'e5'", "2"},
        };
        for (String[] c : cases) {
            String place = withVersion(model, c[0], "bad.json");
            if (c.length > 2) { // the error points at the character after the literal's start
                int colon = place.lastIndexOf(':');
                place = place.substring(0, colon + 1) + (Integer.parseInt(place.substring(colon + 1)) + Integer.parseInt(c[2]));
            }
            assertThat(cli.run("info", "--model", "@bad.json")).as(c[0]).isEqualTo(2);
            assertThat(cli.err).as(c[0]).startsWith("plainnet info: " + place + ": " + c[1]).endsWith("\n").hasLineCount(1);
        }
    }

    @Test
    void exportComputeVerify_badNumbers_nameFileLineAndColumn() throws Exception {
        String place = withVersion(model, "1" + "0".repeat(99_999) + "1e-100000", "m2.json");
        assertThat(cli.run("export", "--model", "@m2.json", "--format", "onnx", "--out", "@m.onnx")).isEqualTo(2);
        assertThat(cli.err).isEqualTo("plainnet export: " + place + ": expected a number that a double holds exactly (whole numbers up to 2^53 = 9007199254740992), found "
            + "10000000000000000000… (a number of 100009 characters), which would read as 1\n");
        assertThat(Files.exists(dir.resolve("m.onnx"))).isFalse();

        String vector = Files.readString(Paths.get("test-data/vectors/bce_per_example.json"));
        place = withVersion(vector, "0.0e4999999523447794", "v.json");
        assertThat(cli.run("compute", "@v.json")).isEqualTo(2);
        assertThat(cli.err).as("a zero version is read as 0 and refused as a version, not as a number")
            .startsWith("plainnet compute: " + dir.resolve("v.json") + ": ").contains("version").doesNotContain("exponent digits");
        place = withVersion(vector, "1e-400", "v.json");
        assertThat(cli.run("compute", "@v.json")).isEqualTo(2);
        assertThat(cli.err).startsWith("plainnet compute: " + place + ": expected 0 or a number that rounds to a nonzero double");
        assertThat(cli.run("verify", "@v.json", "test-data/vectors/bce_per_example.json")).isEqualTo(2);
        assertThat(cli.err).startsWith("plainnet verify: " + place + ": expected 0 or a number that rounds to a nonzero double");
    }
}
