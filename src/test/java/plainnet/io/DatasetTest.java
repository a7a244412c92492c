package plainnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {

    @TempDir
    Path dir;

    @Test
    void parse_quotedFieldsCrlfAndTrailingEmptyLine_read() throws Exception {
        Csv csv = Csv.parse("a,\"b,c\",d\r\n1,\"x \"\"q\"\"\ny\",3\r\n4,5,6\r\n", "f.csv");
        assertThat(csv.header).containsExactly("a", "b,c", "d");
        assertThat(csv.rows).hasSize(2);
        assertThat(csv.rows.get(0)).containsExactly("1", "x \"q\"\ny", "3");
        assertThat(csv.lines).containsExactly(2, 4); // the quoted line break moves the second record to line 4
    }

    @Test
    void parse_malformed_namesFileLineExpectedFound() {
        assertCsvError("", "f.csv:1: expected a header line, found an empty file");
        assertCsvError("a,b\n1,2\n3\n", "f.csv:3: expected 2 fields (as the header), found 1");
        assertCsvError("a,b\n1,2,3\n", "f.csv:2: expected 2 fields (as the header), found 3");
        assertCsvError("a,b\n\"1,2\n", "f.csv:2: expected a closing '\"' for the quoted field, found the end of the file");
        assertCsvError("a,b\n\"1\"x,2\n", "f.csv:2: expected ',' or the end of the line after a closing '\"', found 'x'");
        assertCsvError("a,a\n1,2\n", "f.csv:1: expected each column name once in the header, found \"a\" again");
        assertCsvError("a,,c\n1,2,3\n", "f.csv:1: expected a name for column 2 in the header, found an empty field");
        assertCsvError("a,b\n1,2\n\n3,4\n", "f.csv:3: expected 2 fields, found an empty line");
    }

    private static void assertCsvError(String text, String message) {
        assertThatThrownBy(() -> Csv.parse(text, "f.csv")).isInstanceOf(FormatException.class).hasMessage(message);
    }

    @Test
    void from_defaultColumns_lastIsLabelAndUnlabeledMarksRead() throws Exception {
        Dataset d = Dataset.from(Csv.parse("x1,x2,y\n1,2,1\n3,4,\n5,6,?\n7,8, 0 \n", "f.csv"), null, null);
        assertThat(d.features).containsExactly("x1", "x2");
        assertThat(d.labels).containsExactly("y");
        assertThat(d.x).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}});
        assertThat(d.t.labeled).isDeepEqualTo(new boolean[][] {{true}, {false}, {false}, {true}});
        assertThat(d.t.y[0][0]).isEqualTo(1.0);
        assertThat(d.t.y[3][0]).isEqualTo(0.0);
        assertThat(d.lines).containsExactly(2, 3, 4, 5);
    }

    @Test
    void from_specs_rangesNamesAndLast() throws Exception {
        Csv csv = Csv.parse("id,a,b,c,t1,t2\n9,1,2,3,0,1\n", "f.csv");
        Dataset d = Dataset.from(csv, "a..c", "last:2");
        assertThat(d.features).containsExactly("a", "b", "c");
        assertThat(d.labels).containsExactly("t1", "t2");
        Dataset e = Dataset.from(csv, "c,a", "t2");
        assertThat(e.features).containsExactly("c", "a");
        assertThat(e.x[0]).containsExactly(3.0, 1.0);
    }

    @Test
    void from_badValuesAndSpecs_clearErrors() throws Exception {
        assertDataError("a,y\nfoo,1\n", null, null, "f.csv:2: column a: expected a finite number (features cannot be unlabeled), found \"foo\"");
        assertDataError("a,y\n,1\n", null, null, "f.csv:2: column a: expected a finite number (features cannot be unlabeled), found \"\"");
        assertDataError("a,y\nNaN,1\n", null, null, "f.csv:2: column a: expected a finite number");
        assertDataError("a,y\n1e999,1\n", null, null, "f.csv:2: column a: expected a finite number");
        assertDataError("a,y\n0x10,1\n", null, null, "f.csv:2: column a: expected a finite number");
        assertDataError("a,y\n1,yes\n", null, null, "f.csv:2: column y: expected a finite number, or an empty field or ? for unlabeled, found \"yes\"");
        assertDataError("a,y\n", null, null, "f.csv:2: expected at least one data row after the header, found none");
        assertDataError("a,y\n1,2\n", "a", "z", "f.csv:1: --labels: expected a column of the header, found \"z\" (columns: a, y)");
        assertDataError("a,y\n1,2\n", "a", "a", "f.csv:1: expected feature and label columns to differ, found \"a\" in both");
        assertDataError("a,b,y\n1,2,3\n", "b..a", null, "f.csv:1: --features: expected a range FIRST..LAST in header order");
        assertDataError("a,y\n1,2\n", null, "last:5", "f.csv:1: --labels: expected last:k with 1 <= k <= 2, found \"last:5\"");
        assertDataError("a,y\n1,2\n", "a,,", null, "f.csv:1: --features a,,: expected a column name, a range A..B or last:k, found an empty item");
    }

    private static void assertDataError(String text, String features, String labels, String messageStart) throws Exception {
        Csv csv = Csv.parse(text, "f.csv");
        assertThatThrownBy(() -> Dataset.from(csv, features, labels)).isInstanceOf(FormatException.class).hasMessageStartingWith(messageStart);
    }

    @Test
    void load_missingFile_namesIt() {
        Path p = dir.resolve("none.csv");
        assertThatThrownBy(() -> Dataset.load(p, null, null)).isInstanceOf(FormatException.class)
            .hasMessage(p + ": expected a data file, found no such file");
    }

    @Test
    void load_bundledDigits_shapesAndLabelsAsDocumented() throws Exception {
        Dataset d = Dataset.load(Path.of("test-data/digits/digits.csv"), null, null);
        assertThat(d.size()).isEqualTo(1797);
        assertThat(d.features).hasSize(64);
        assertThat(d.labels).containsExactly("digit");
        int[] count = new int[10];
        for (int n = 0; n < d.size(); n++) count[(int) d.t.y[n][0]]++;
        // Class counts documented with the data set (test-data/README.md source notes).
        assertThat(count).containsExactly(178, 182, 177, 183, 181, 182, 181, 179, 174, 180);
        Dataset m = Dataset.load(Path.of("test-data/digits/digits_multitask_train.csv"), "row", "last:6");
        assertThat(m.size()).isEqualTo(1198);
        int[] labeled = new int[6];
        for (boolean[] row : m.t.labeled) for (int k = 0; k < 6; k++) if (row[k]) labeled[k]++;
        // Labeled entries per task as documented: 593, 620, 591, 612, 618, 629.
        assertThat(labeled).containsExactly(593, 620, 591, 612, 618, 629);
    }

    @Test
    void split_sameSeed_sameRowsAndDisjointCover() throws Exception {
        Path p = dir.resolve("d.csv");
        StringBuilder s = new StringBuilder("a,y\n");
        for (int n = 0; n < 20; n++) s.append(n).append(",").append(n % 2).append("\n");
        Files.writeString(p, s);
        Dataset d = Dataset.load(p, null, null);
        Dataset[] one = d.split(0.25, 5), two = d.split(0.25, 5);
        assertThat(one[1].size()).isEqualTo(5);
        assertThat(one[0].size()).isEqualTo(15);
        assertThat(one[1].x).isDeepEqualTo(two[1].x);
        boolean[] seen = new boolean[20];
        for (Dataset part : one) for (double[] row : part.x) {
            assertThat(seen[(int) row[0]]).as("row %d appears once", (int) row[0]).isFalse();
            seen[(int) row[0]] = true;
        }
        assertThatThrownBy(() -> d.split(1.0, 5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 1.0");
    }

    @Test
    void parse_oneColumnWithEmptyLastLine_lastLineIgnored() throws Exception {
        Csv csv = Csv.parse("x\n1\n2\n\n", "f.csv");
        assertThat(csv.rows).hasSize(2);
    }
}
