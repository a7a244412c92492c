package plainnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming CSV reader: its number parser against Double.parseDouble, records across buffer refills, loading progress. */
class CsvReaderTest {

    @TempDir
    Path dir;

    /** The grammar of SPEC §17, written independently of the parser, with String.trim around it. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** What SPEC §17 says a field means: Double.parseDouble of the trimmed text when it matches the grammar, else not a number. */
    private static double reference(String field) {
        String t = field.trim();
        return DECIMAL.matcher(t).matches() ? Double.parseDouble(t) : Double.NaN;
    }

    private static void assertSameAsReference(String field) {
        char[] c = field.toCharArray();
        int s = 0, e = c.length;
        while (s < e && c[s] <= ' ') s++;
        while (e > s && c[e - 1] <= ' ') e--;
        double expected = reference(field), actual = CsvReader.parse(c, s, e);
        assertThat(Double.doubleToRawLongBits(actual)).as("\"%s\": expected %s, found %s", field, expected, actual)
            .isEqualTo(Double.doubleToRawLongBits(expected));
    }

    @Test
    void parse_edgeCases_sameBitsAsDoubleParseDouble() {
        String[] cases = {"0", "-0", "+0", "0.0", "-0.0", "00", "0e0", "-0e999", "0.000e-400", "1", "-1", "1.", ".5", "-.5", "+.5e3", "1.e5", "1e22", "1e23",
            "9007199254740993", "9007199254740992", "123456789012345", "1234567890123456", "0.1", "0.3", "2.2250738585072014E-308",
            "2.2250738585072011e-308", "4.9e-324", "2e-324", "3e-324", "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "1e-400",
            "123.456e-5", "0.000001234567890123", "255", "  7 ", "\t3.5", "1e", "1e+", "e5", ".", "-", "+", "", "1.2.3", "1,5", "0x10", "NaN",
            "Infinity", "-Infinity", "1d", "1f", "1_000", " 1 2", "--1", "+-1", "1e5.5", "١", "1E-22", "1E22", "99999999999999999999e-20",
            "0.30000000000000004", "12345678901234567890", "1e-22", "123456789012345e-22", "123456789012345e22", "1e0000000000000000000001", "?"};
        for (String s : cases) assertSameAsReference(s);
    }

    @Test
    void parse_exponentBeyondTheCapWithManyLeadingZeros_sameBitsAsDoubleParseDouble() {
        // 999,990 fraction zeros move the decimal point back by 999,991 places; an exponent of
        // 1,000,012 (above the reader's cap of 1,000,000) moves it forward again: the value is 1e21.
        // A capped exponent must not reach the fast path, which would read 1e9.
        String zeros = "0".repeat(999_990);
        assertSameAsReference("0." + zeros + "1e1000012");
        assertSameAsReference("0." + zeros + "1e+1000000");
        assertSameAsReference("1e-1000001");
        assertSameAsReference("0e1000001");
    }

    @Test
    void parse_randomDecimals_sameBitsAsDoubleParseDouble() {
        Random r = new Random(12);
        for (int t = 0; t < 200_000; t++) {
            StringBuilder s = new StringBuilder();
            if (r.nextInt(4) == 0) s.append(r.nextBoolean() ? '-' : '+');
            int intDigits = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 4 : 20);
            for (int i = 0; i < intDigits; i++) s.append((char) ('0' + r.nextInt(10)));
            if (r.nextBoolean() || intDigits == 0) {
                s.append('.');
                int frac = (intDigits == 0 ? 1 : 0) + r.nextInt(r.nextBoolean() ? 6 : 20);
                for (int i = 0; i < frac; i++) s.append((char) ('0' + r.nextInt(10)));
            }
            if (r.nextInt(3) == 0) s.append(r.nextBoolean() ? 'e' : 'E').append(r.nextInt(3) == 0 ? "-" : "").append(r.nextInt(r.nextBoolean() ? 30 : 330));
            assertSameAsReference(s.toString());
            // and the shortest text of a random double, the way most files are written
            double v = Double.longBitsToDouble(r.nextLong());
            if (!Double.isNaN(v) && !Double.isInfinite(v)) assertSameAsReference(Double.toString(v));
            assertSameAsReference(String.format(Locale.ROOT, "%.6f", r.nextGaussian() * 100));
        }
    }

    /** Hands out the text a few chars at a time, so that every field and line break sooner or later falls on a refill. */
    private static Reader trickle(String text, long seed) {
        Random r = new Random(seed);
        StringReader in = new StringReader(text);
        return new Reader() {
            @Override
            public int read(char[] b, int off, int len) throws java.io.IOException {
                return in.read(b, off, Math.min(len, 1 + r.nextInt(7)));
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void next_randomRecordsInSmallPieces_fieldsAsWritten() throws Exception {
        Random r = new Random(3);
        String alphabet = "ab,\"\n\r 1.-?";
        List<String[]> records = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int n = 0; n < 2000; n++) {
            String[] fields = new String[1 + r.nextInt(5)];
            for (int j = 0; j < fields.length; j++) {
                StringBuilder f = new StringBuilder();
                int len = r.nextInt(8);
                for (int i = 0; i < len; i++) f.append(alphabet.charAt(r.nextInt(alphabet.length())));
                fields[j] = f.toString();
                if (fields.length == 1 && fields[j].isEmpty()) fields[j] = "x"; // an empty one-field record is an empty line
                // RFC 4180: quote a field with a comma, quote, CR or LF (or, at random, any field), doubling its quotes
                boolean quote = fields[j].matches("(?s).*[,\"\r\n].*") || r.nextInt(5) == 0;
                text.append(quote ? "\"" + fields[j].replace("\"", "\"\"") + "\"" : fields[j]).append(j + 1 < fields.length ? "," : "");
            }
            text.append(r.nextBoolean() ? "\n" : "\r\n");
            records.add(fields);
        }
        CsvReader reader = new CsvReader(trickle(text.toString(), 9), "f.csv", null, null, 0);
        for (int n = 0; n < records.size(); n++) {
            assertThat(reader.next()).as("record %d", n).isTrue();
            assertThat(reader.strings()).as("record %d", n).containsExactly(records.get(n));
        }
        assertThat(reader.next()).isFalse();
    }

    @Test
    void next_recordLongerThanTheBuffer_read() throws Exception {
        int I = 50_000; // about 300,000 chars, several times the initial buffer
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < I; i++) text.append(i == 0 ? "" : ",").append(i).append(".25");
        text.append("\n7,8\n");
        CsvReader reader = new CsvReader(new StringReader(text.toString()), "f.csv", null, null, 0);
        assertThat(reader.next()).isTrue();
        assertThat(reader.fields).isEqualTo(I);
        for (int i = 0; i < I; i++) assertThat(reader.number(i)).isEqualTo(i + 0.25);
        assertThat(reader.next()).isTrue();
        assertThat(reader.strings()).containsExactly("7", "8");
        assertThat(reader.recordLine).isEqualTo(2);
    }

    @Test
    void open_sameDataAsParsedText_andErrorsNameTheLine() throws Exception {
        String text = "\uFEFFa,\"b\",y\n1.5, -2 ,1\n\"3\",4e-3,?\n5,6,\n";
        Path p = Files.writeString(dir.resolve("d.csv"), text);
        Dataset streamed = Dataset.from(Csv.open(p, null, 0), null, null);
        assertThat(streamed.x).isDeepEqualTo(new double[][] {{1.5, -2}, {3, 0.004}, {5, 6}});
        assertThat(streamed.t.labeled).isDeepEqualTo(new boolean[][] {{true}, {false}, {false}});
        assertThat(streamed.lines).containsExactly(2, 3, 4);
        Dataset parsed = Dataset.from(Csv.parse(text, p.toString()), null, null);
        assertThat(parsed.x).isDeepEqualTo(streamed.x);

        Path bad = Files.writeString(dir.resolve("bad.csv"), "a,y\n1,0\n\"multi\nline\",1\n2,x\n");
        assertThatThrownBy(() -> Dataset.from(Csv.open(bad, null, 0), null, null)).isInstanceOf(FormatException.class)
            .hasMessage(bad + ":3: column a: expected a finite number (features cannot be unlabeled), found \"multi\nline\"");
        Path bad2 = Files.writeString(dir.resolve("bad2.csv"), "a,y\n1,0\n\"2\nz\",1\n2,x\n");
        assertThatThrownBy(() -> Dataset.from(Csv.open(bad2, null, 0), "y", "a")).isInstanceOf(FormatException.class)
            .hasMessageStartingWith(bad2 + ":3: column a: expected a finite number, or an empty field or ? for unlabeled");
        Path bad3 = Files.writeString(dir.resolve("bad3.csv"), "a,y\n1,0\n3,1\n2,x\n");
        assertThatThrownBy(() -> Dataset.from(Csv.open(bad3, null, 0), null, null)).isInstanceOf(FormatException.class)
            .hasMessage(bad3 + ":4: column y: expected a finite number, or an empty field or ? for unlabeled, found \"x\"");
    }

    @Test
    void open_badUtf8AfterManyRecords_namesTheFileLineAndColumn() throws Exception {
        StringBuilder text = new StringBuilder("a,y\n");
        for (int n = 0; n < 30_000; n++) text.append(n).append(",1\n"); // far past the first buffer
        byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(good, good.length + 4);
        bytes[good.length] = '7';
        bytes[good.length + 1] = (byte) 0xc3; // a lead byte followed by no continuation byte
        bytes[good.length + 2] = ',';
        bytes[good.length + 3] = '1';
        Path p = Files.write(dir.resolve("u.csv"), bytes);
        assertThatThrownBy(() -> Dataset.from(Csv.open(p, null, 0), null, null)).isInstanceOf(FormatException.class)
            .hasMessage(p + ":30002:2: expected UTF-8 text, found the byte 0xc3, which is not UTF-8 here"); // header line 1, records 2..30001, then "7" and the bad byte
    }

    @Test
    void open_largeFile_reportsEachTenthThenTheTotal_smallFileSilent() throws Exception {
        StringBuilder text = new StringBuilder("a,b,y\n");
        for (int n = 0; n < 40_000; n++) text.append(n).append(",0.5,").append(n % 2).append('\n');
        Path p = Files.writeString(dir.resolve("big.csv"), text);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream progress = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Dataset d = Dataset.from(Csv.open(p, progress, text.length()), null, null);
        assertThat(d.size()).isEqualTo(40_000);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        // One line when a read passes a tenth of the file (a large read may pass two at once), then the total.
        assertThat(lines.length).isBetween(4, 10);
        int previous = 0;
        for (int j = 0; j < lines.length - 1; j++) {
            java.util.regex.Matcher m = Pattern.compile("plainnet: reading " + Pattern.quote(p.toString()) + ": (\\d+) % \\([0-9.]+ of 0\\.5 MB\\)").matcher(lines[j]);
            assertThat(m.matches()).as(lines[j]).isTrue();
            int percent = Integer.parseInt(m.group(1));
            assertThat(percent % 10 == 0 && percent > previous && percent < 100).as(lines[j]).isTrue();
            previous = percent;
        }
        assertThat(lines[lines.length - 1]).startsWith("plainnet: read " + p + ": 40,000 rows, 0.5 MB in ").endsWith(" MB/s)");

        bytes.reset();
        Dataset.from(Csv.open(p, progress, text.length() + 1), null, null);
        assertThat(bytes.size()).as("a file below the threshold prints nothing").isZero();
    }
}
