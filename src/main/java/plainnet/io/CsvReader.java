package plainnet.io;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Streams a CSV text one record at a time (the grammar of SPEC.md, section "Data file"), so that a
 * large file is never held in memory as text or as one String per field: the current record sits
 * in a char buffer, its fields are ranges of that buffer (quoted fields unescaped in place), and
 * {@link #number} turns a field into a double without creating a String in the common case.
 *
 * <p>Buffer picture: {@code buf[recordStart .. end)} holds the current record and what has been
 * read after it; field j is {@code buf[recordStart + from[j] .. recordStart + to[j])}. Before a
 * refill the unfinished record is moved to the front of the buffer (which grows when one record
 * is longer than the whole buffer), so offsets are kept relative to {@code recordStart}.
 */
final class CsvReader {

    /** The name used in error messages. */
    final String file;
    /** The file line on which the current record starts (1-based). */
    int recordLine;
    /** The number of fields of the current record. */
    int fields;

    private final Reader in;
    private char[] buf = new char[1 << 16];
    private int pos, end, recordStart;
    private boolean eof;
    private int line = 1; // the line of buf[pos]
    private int[] from = new int[64], to = new int[64];

    // Loading progress (SPEC.md, "Command line"): null when not reported.
    private final FileChannel channel;
    private final PrintStream progress;
    private final long size;
    private final long started = System.nanoTime();
    private int tenths;

    /**
     * @param channel  the file being read, for its position in progress lines, or null
     * @param progress where to print a line at every tenth of the file and at the end, or null
     * @param size     the file's size in bytes (for progress lines)
     */
    CsvReader(Reader in, String file, FileChannel channel, PrintStream progress, long size) throws IOException {
        this.in = in;
        this.file = file;
        this.channel = channel;
        this.progress = progress;
        this.size = size;
        if (more() && buf[pos] == '\uFEFF') pos++; // a byte-order mark is not part of the first name
    }

    // ----------------------------------------------------------------------------------------
    // the buffer

    /** True when a char is available at buf[pos], reading more if needed. */
    private boolean more() throws IOException {
        return pos < end || fill();
    }

    /** Moves the current record to the front, reads more chars after it; false at the end of the text. */
    private boolean fill() throws IOException {
        if (eof) return false;
        if (recordStart > 0) {
            System.arraycopy(buf, recordStart, buf, 0, end - recordStart);
            end -= recordStart;
            pos -= recordStart;
            recordStart = 0;
        }
        if (end == buf.length) buf = Arrays.copyOf(buf, 2 * buf.length);
        int n;
        try {
            n = in.read(buf, end, buf.length - end);
        } catch (CharacterCodingException e) {
            // The decoder does not say where: read the file again to name the line and column.
            FormatException where = channel == null ? null : TextFiles.notUtf8(java.nio.file.Paths.get(file));
            throw where != null ? where : new FormatException(file, 0, 0, "expected UTF-8 text, found bytes that are not UTF-8");
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        if (progress != null && channel != null && size > 0) {
            int t = (int) (10 * channel.position() / size);
            if (t > tenths && t < 10) {
                tenths = t;
                progress.printf(Locale.ROOT, "plainnet: reading %s: %d %% (%.1f of %.1f MB)%n", file, 10 * t, channel.position() / 1e6, size / 1e6);
            }
        }
        return true;
    }

    /** Prints the closing progress line (rows, size, time, MB/s), when progress is reported. */
    void finished(int rows) {
        if (progress == null) return;
        double seconds = (System.nanoTime() - started) / 1e9;
        progress.printf(Locale.ROOT, "plainnet: read %s: %,d rows, %.1f MB in %.1f s (%.0f MB/s)%n", file, rows, size / 1e6, seconds, size / 1e6 / Math.max(seconds, 1e-9));
    }

    void close() throws IOException {
        in.close();
    }

    // ----------------------------------------------------------------------------------------
    // records

    /**
     * Reads the next record; false at the end of the text (a text ending in a line break has no
     * empty record after it).
     *
     * @throws FormatException for an unclosed quote, text after a closing quote, or a quote
     *                         inside an unquoted field
     */
    boolean next() throws IOException {
        recordStart = pos;
        if (!more()) return false;
        recordLine = line;
        fields = 0;
        while (field()) {
            // one field per turn; false after the last field of the record
        }
        return true;
    }

    /**
     * Reads the next data record of a file whose header has {@code columns} names, skipping one
     * empty last line; false at the end.
     *
     * @throws FormatException for a record with another field count, or an empty line that is
     *                         not the last (unless the file has one column)
     */
    boolean nextRow(int columns) throws IOException {
        if (!next()) return false;
        if (fields == 1 && from[0] == to[0]) {
            if (!more()) return false; // one empty last line (also in a one-column file)
            if (columns > 1) throw new FormatException(file, recordLine, 0, "expected " + columns + " fields, found an empty line");
        }
        if (fields != columns) throw new FormatException(file, recordLine, 0, "expected " + columns + " fields (as the header), found " + fields);
        return true;
    }

    /** Reads one field; true when a ',' ended it (more fields follow), false at the end of the line or text. */
    private boolean field() throws IOException {
        int start = pos - recordStart;
        if (!more()) {
            add(start, start);
            return false;
        }
        if (buf[pos] == '"') {
            pos++;
            return quoted();
        }
        while (true) {
            // The hot loop: skip the ordinary chars of the field with the buffer in locals.
            char[] b = buf;
            int p = pos, e = end;
            while (p < e) {
                char c = b[p];
                // one comparison for digits, letters and '.': the four stop chars are all ≤ ','
                if (c <= ',' && (c == ',' || c == '\n' || c == '\r' || c == '"')) break;
                p++;
            }
            pos = p;
            if (pos == end && !fill()) {
                add(start, pos - recordStart);
                return false;
            }
            char c = buf[pos++];
            if (c == ',') {
                add(start, pos - 1 - recordStart);
                return true;
            } else if (c == '\n') {
                add(start, pos - 1 - recordStart);
                line++;
                return false;
            } else if (c == '\r') {
                int stop = pos - 1 - recordStart;
                if (more() && buf[pos] == '\n') {
                    pos++;
                    add(start, stop);
                    line++;
                    return false;
                }
                // a lone CR is an ordinary character
            } else if (c == '"') {
                throw new FormatException(file, line, 0, "expected no '\"' inside an unquoted field (quote the whole field and double the quote), found one in \""
                    + new String(buf, recordStart + start, pos - 1 - recordStart - start) + "\"");
            }
        }
    }

    /** The rest of a field after its opening quote: "" stands for ", written in place (never longer than the raw text). */
    private boolean quoted() throws IOException {
        int start = pos - recordStart, w = start; // w: where the next unescaped char goes
        while (true) {
            if (pos == end && !fill()) throw new FormatException(file, recordLine, 0, "expected a closing '\"' for the quoted field, found the end of the file");
            char c = buf[pos++];
            if (c == '"') {
                if (more() && buf[pos] == '"') {
                    pos++;
                    buf[recordStart + w++] = '"';
                    continue;
                }
                break;
            }
            if (c == '\n') line++;
            buf[recordStart + w++] = c;
        }
        add(start, w);
        if (!more()) return false;
        char c = buf[pos++];
        if (c == ',') return true;
        if (c == '\n') {
            line++;
            return false;
        }
        if (c == '\r' && more() && buf[pos] == '\n') {
            pos++;
            line++;
            return false;
        }
        throw new FormatException(file, line, 0, "expected ',' or the end of the line after a closing '\"', found '" + c + "'");
    }

    private void add(int start, int stop) {
        if (fields == from.length) {
            from = Arrays.copyOf(from, 2 * fields);
            to = Arrays.copyOf(to, 2 * fields);
        }
        from[fields] = start;
        to[fields] = stop;
        fields++;
    }

    // ----------------------------------------------------------------------------------------
    // fields of the current record

    /** Field j as text (untrimmed). */
    String text(int j) {
        return new String(buf, recordStart + from[j], to[j] - from[j]);
    }

    /** The fields of the current record as text. */
    String[] strings() {
        String[] s = new String[fields];
        for (int j = 0; j < fields; j++) s[j] = text(j);
        return s;
    }

    /** True when field j, trimmed as by String.trim, is empty or {@code ?} (an unlabeled label). */
    boolean unlabeled(int j) {
        int s = first(j), e = last(j, s);
        return s == e || (e - s == 1 && buf[s] == '?');
    }

    /** The start of field j without its leading chars ≤ ' ' (String.trim). */
    private int first(int j) {
        int s = recordStart + from[j], e = recordStart + to[j];
        while (s < e && buf[s] <= ' ') s++;
        return s;
    }

    /** The end of field j without its trailing chars ≤ ' ', given its trimmed start s. */
    private int last(int j, int s) {
        int e = recordStart + to[j];
        while (e > s && buf[e - 1] <= ' ') e--;
        return e;
    }

    /**
     * Field j (trimmed) as a double, exactly {@code Double.parseDouble} of its text, when it is a
     * decimal number of SPEC.md section "Data file"; NaN when it is not (an infinite result stays
     * infinite: the caller rejects both).
     */
    double number(int j) {
        int s = first(j);
        return parse(buf, s, last(j, s));
    }

    /** Exact powers of ten 10^0 … 10^22: every one is a double. */
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * The decimal number {@code [+-]?(digits[.[digits]]|.digits)([eE][+-]?digits)?} in
     * c[s, e), or NaN for any other text. Fast path (Clinger 1990): with at most 15 significant
     * digits the digits form an integer m &lt; 2^53 and 10^|p| for |p| ≤ 22 is a double, both
     * exact, so the one rounding of m·10^p or m/10^|p| is the correctly rounded value, which is
     * what Double.parseDouble returns. Every other number goes to Double.parseDouble.
     */
    static double parse(char[] c, int s, int e) {
        int i = s;
        boolean negative = false;
        if (i < e && (c[i] == '+' || c[i] == '-')) negative = c[i++] == '-';
        long m = 0;
        int significant = 0, digits = 0, p = 0;
        boolean exact = true;
        for (; i < e && c[i] >= '0' && c[i] <= '9'; i++, digits++) {
            if (m == 0 && c[i] == '0') continue; // a leading zero
            if (significant < 15) {
                m = 10 * m + (c[i] - '0');
                significant++;
            } else {
                exact = false;
            }
        }
        if (i < e && c[i] == '.') {
            for (i++; i < e && c[i] >= '0' && c[i] <= '9'; i++, digits++) {
                if (m == 0 && c[i] == '0') {
                    p--;
                    continue;
                }
                if (significant < 15) {
                    m = 10 * m + (c[i] - '0');
                    significant++;
                    p--;
                } else {
                    exact = false;
                }
            }
        }
        if (digits == 0) return Double.NaN;
        if (i < e && (c[i] == 'e' || c[i] == 'E')) {
            i++;
            boolean minus = false;
            if (i < e && (c[i] == '+' || c[i] == '-')) minus = c[i++] == '-';
            int x = 0, xDigits = 0;
            for (; i < e && c[i] >= '0' && c[i] <= '9'; i++, xDigits++) x = Math.min(10 * x + (c[i] - '0'), 1_000_000);
            if (xDigits == 0) return Double.NaN;
            if (x == 1_000_000) exact = false; // capped: the exponent is not known exactly, so Double.parseDouble decides
            p += minus ? -x : x;
        }
        if (i != e) return Double.NaN;
        if (m == 0 && exact) return negative ? -0.0 : 0.0;
        if (exact && p >= -22 && p <= 22) {
            double v = p >= 0 ? m * POW10[p] : m / POW10[-p];
            return negative ? -v : v;
        }
        return Double.parseDouble(new String(c, s, e - s));
    }
}
