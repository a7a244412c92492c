package plainnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 13, item 3: the header's column lookup is hashed, so a header of a million columns is read in linear time. */
class CsvHeaderTest {

    private static final int COLUMNS = 1_300_000;

    private static String header(int columns) {
        StringBuilder s = new StringBuilder(columns * 9);
        for (int j = 0; j < columns; j++) s.append(j == 0 ? "" : ",").append('c').append(j);
        return s.append('\n').toString();
    }

    @Test
    void parse_headerOf1300000Columns_readsAndFindsEveryColumn() {
        // The old list lookups cost C²/2 ≈ 8e11 string compares here (hours); a hashed lookup
        // costs about a second. The timeout only stops a hang: it is far above either.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Csv csv = Csv.parse(header(COLUMNS), "wide.csv");
            assertThat(csv.header).hasSize(COLUMNS);
            for (int j = 0; j < COLUMNS; j += 9973) assertThat(csv.column("c" + j)).isEqualTo(j);
            assertThat(csv.column("c" + COLUMNS)).isEqualTo(-1);
            // Every column but the last, by a range: each name of it is checked once for repeats.
            List<String> features = Dataset.select(csv, "c0..c" + (COLUMNS - 2), "--features");
            assertThat(features).hasSize(COLUMNS - 1);
            assertThat(features.get(COLUMNS - 2)).isEqualTo("c" + (COLUMNS - 2));
        });
    }

    @Test
    void parse_repeatedNameFarApart_stillFound() {
        String h = header(50_000);
        FormatException e = org.junit.jupiter.api.Assertions.assertThrows(FormatException.class, () -> Csv.parse(h.trim() + ",c17\n", "r.csv"));
        assertThat(e.getMessage()).isEqualTo("r.csv:1: expected each column name once in the header, found \"c17\" again");
    }

    @Test
    void closest_caseOrUpToTwoEdits_shortNamesNotGuessed() throws Exception {
        Csv csv = Csv.parse("pixel_3_4,Label,t1,c\n1,2,3,4\n", "f.csv");
        assertThat(csv.closest("pixel_34")).isEqualTo("pixel_3_4");
        assertThat(csv.closest("label")).isEqualTo("Label");
        assertThat(csv.closest("t3")).isEqualTo("t1");
        assertThat(csv.closest("b")).isNull();
        assertThat(csv.closest("zzzzzz")).isNull();
        List<String> none = Dataset.select(csv, "t1", "--labels");
        assertThat(none).containsExactly("t1");
    }
}
