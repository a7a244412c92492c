package plainnet.io;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict CSV reader (RFC 4180): comma-separated fields, fields in double quotes may hold
 * commas, line breaks and doubled quotes ({@code ""}); lines end in LF or CRLF; a final empty
 * line is ignored. The first record is the header. See SPEC.md §17, "Data file".
 *
 * <p>{@link #parse} keeps the records of a text as strings; {@link #open} reads only a file's
 * header and leaves its records to be streamed by {@link Dataset} ({@link CsvReader}).
 */
public final class Csv {

    /** Column names, from the header. */
    public final List<String> header;
    /** The records after the header, each with exactly header.size() fields; null for an opened file. */
    public final List<String[]> rows;
    /** The file line on which each record starts (1-based; the header is line 1); null for an opened file. */
    public final List<Integer> lines;
    /** The name used in error messages. */
    public final String file;
    /** Column name → index in the header: a hashed lookup, so that a header of a million columns costs linear time. */
    private final Map<String, Integer> index;

    private String text;           // the parsed text, or null for an opened file
    private Path path;             // an opened file, or null
    private PrintStream progress;  // where an opened file reports its loading, or null
    private long minBytes;         // the smallest file size whose loading is reported
    private CsvReader stream;      // a pipe's reader, open at its first record, or null
    private volatile CsvReader reading; // the reader of the records, once they are read (for line())

    private Csv(List<String> header, List<String[]> rows, List<Integer> lines, String file) {
        this.header = Collections.unmodifiableList(header);
        this.index = new HashMap<String, Integer>();
        for (int j = 0; j < header.size(); j++) index.put(header.get(j), j);
        this.rows = rows;
        this.lines = lines;
        this.file = file;
    }

    /**
     * Parses CSV text, keeping every record as strings (for small files; {@link #open} streams a
     * large one).
     *
     * @param text the whole file
     * @param file the name used in error messages
     * @return the header and every record, with its line
     * @throws FormatException for an empty file, an unclosed quote, text after a closing quote,
     *                         an empty or repeated column name, or a record whose field count
     *                         differs from the header's — naming the file, line and what was found
     */
    public static Csv parse(String text, String file) throws FormatException {
        try {
            CsvReader reader = new CsvReader(new StringReader(text), file, null, null, 0);
            List<String> header = header(reader, file);
            List<String[]> rows = new ArrayList<String[]>();
            List<Integer> lines = new ArrayList<Integer>();
            while (reader.nextRow(header.size())) {
                rows.add(reader.strings());
                lines.add(reader.recordLine);
            }
            Csv csv = new Csv(header, rows, lines, file);
            csv.text = text;
            return csv;
        } catch (FormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a String cannot fail", e);
        }
    }

    /**
     * Reads a data file's header; the records are then read in a stream, once, by
     * {@link Dataset}. {@link #rows} and {@link #lines} are null for such a file. A regular file is
     * closed after its header and opened again for its records, so that nothing stays open on a
     * header or column error; a pipe, FIFO or other stream cannot be read twice, so its reader stays
     * open at its first record and {@link Dataset} continues from there.
     *
     * @param path     the data file, or a pipe
     * @param progress where to report loading progress (SPEC.md §21, "Command line"), or null
     * @param minBytes the smallest file size whose loading is reported
     * @return the header; {@link #rows} and {@link #lines} are null, the records stay in the file
     * @throws FormatException for a missing file, a folder, bytes that are not UTF-8, or a bad header
     */
    public static Csv open(Path path, PrintStream progress, long minBytes) throws IOException {
        boolean regular = Files.isRegularFile(path);
        CsvReader reader = reader(path, regular ? null : progress, regular ? 0 : minBytes);
        boolean keep = false;
        try {
            Csv csv = new Csv(header(reader, path.toString()), null, null, path.toString());
            csv.path = path;
            csv.progress = progress;
            csv.minBytes = minBytes;
            if (!regular) {
                csv.stream = reader;
                keep = true;
            }
            return csv;
        } finally {
            if (!keep) reader.close();
        }
    }

    /** A reader of the file at its first record (a file is closed between its header and its records, so that nothing stays open on an error). */
    private static CsvReader reader(Path path, PrintStream progress, long minBytes) throws IOException {
        String file = path.toString();
        if (Files.isDirectory(path)) throw new FormatException(file, 0, 0, "expected a data file, found a folder");
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new FormatException(file, 0, 0, "expected a data file, found no such file");
        }
        long size = channel.size();
        Reader in = new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        try {
            return new CsvReader(in, file, channel, size >= minBytes ? progress : null, size);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** A reader of the records after the header: of the parsed text, or of the file again. The caller closes it. */
    CsvReader records() throws IOException {
        if (stream != null) {
            // a pipe or FIFO: continue after the header that open read (it cannot be read again)
            CsvReader r = stream;
            stream = null;
            reading = r;
            return r;
        }
        if (text == null && !Files.isRegularFile(path)) {
            throw new FormatException(file, 0, 0, "expected a file that can be read again, found a pipe or stream whose records were read already");
        }
        CsvReader r = text != null ? new CsvReader(new StringReader(text), file, null, null, 0) : reader(path, progress, minBytes);
        try {
            r.next(); // the header, checked already
            reading = r;
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private static List<String> header(CsvReader reader, String file) throws IOException {
        if (!reader.next()) throw new FormatException(file, 1, 0, "expected a header line, found an empty file");
        String[] head = reader.strings();
        List<String> header = new ArrayList<String>();
        Set<String> seen = new HashSet<String>();
        for (int j = 0; j < head.length; j++) {
            String name = head[j].trim();
            if (name.isEmpty()) throw new FormatException(file, 1, 0, "expected a name for column " + (j + 1) + " in the header, found an empty field");
            if (!seen.add(name)) throw new FormatException(file, 1, 0, "expected each column name once in the header, found \"" + name + "\" again");
            header.add(name);
        }
        return header;
    }

    /**
     * The file line of the record being read (the last one started; 1 before the records), for a
     * message when the reading is interrupted (SPEC.md §21, "Interruption"). Another thread may
     * call it: it then sees a line reached, possibly a record behind.
     *
     * @return the 1-based line
     */
    public int line() {
        CsvReader r = reading;
        return r == null ? 1 : r.recordLine;
    }

    /**
     * The index of a column by name.
     *
     * @param name a column name, exactly as in the header (after trimming)
     * @return its 0-based index, or −1 if there is no such column
     */
    public int column(String name) {
        Integer j = index.get(name);
        return j == null ? -1 : j;
    }

    /**
     * The column name closest to {@code name}: the same name in other letter case, else the one
     * within min(2, length / 2) edits (insert, delete or replace a character), or null. For "did
     * you mean" hints; short names get no guess (any one-letter name is one edit from "c").
     *
     * @param name a name that is not a column
     * @return the closest column name, or null
     */
    public String closest(String name) {
        String best = null;
        int bestDistance = Math.min(2, name.length() / 2) + 1;
        for (String h : header) {
            if (h.equalsIgnoreCase(name)) return h;
            if (Math.abs(h.length() - name.length()) >= bestDistance) continue;
            int d = distance(name, h);
            if (d < bestDistance) {
                best = h;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * The edit distance (Levenshtein) of a and b; also behind the command line's "did you mean" hints.
     *
     * @param a one string
     * @param b the other
     * @return the fewest single-character inserts, deletes and replacements that turn a into b
     */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
