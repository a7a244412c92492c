package plainnet.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict CSV reader (RFC 4180): comma-separated fields, fields in double quotes may hold
 * commas, line breaks and doubled quotes ({@code ""}); lines end in LF or CRLF; a final empty
 * line is ignored. The first record is the header. See SPEC.md, section "Data file".
 */
public final class Csv {

    /** Column names, from the header. */
    public final List<String> header;
    /** The records after the header, each with exactly header.size() fields. */
    public final List<String[]> rows;
    /** The file line on which each record starts (1-based; the header is line 1). */
    public final List<Integer> lines;
    /** The name used in error messages. */
    public final String file;
    /** Column name → index in the header: a hashed lookup, so that a header of a million columns costs linear time. */
    private final Map<String, Integer> index;

    private Csv(List<String> header, Map<String, Integer> index, List<String[]> rows, List<Integer> lines, String file) {
        this.header = header;
        this.index = index;
        this.rows = rows;
        this.lines = lines;
        this.file = file;
    }

    /**
     * Parses CSV text.
     *
     * @throws FormatException for an empty file, an unclosed quote, text after a closing quote,
     *                         an empty or repeated column name, or a record whose field count
     *                         differs from the header's — naming the file, line and what was found
     */
    public static Csv parse(String text, String file) throws FormatException {
        List<String[]> records = new ArrayList<String[]>();
        List<Integer> starts = new ArrayList<Integer>();
        int pos = 0, line = 1;
        if (text.startsWith("\uFEFF")) pos = 1; // a byte-order mark is not part of the first name
        while (pos < text.length()) {
            int start = line;
            List<String> fields = new ArrayList<String>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false, afterQuote = false;
            while (true) {
                if (pos >= text.length()) {
                    if (quoted) throw new FormatException(file, start, 0, "expected a closing '\"' for the quoted field, found the end of the file");
                    fields.add(field.toString());
                    break;
                }
                char c = text.charAt(pos++);
                if (quoted) {
                    if (c == '"') {
                        if (pos < text.length() && text.charAt(pos) == '"') {
                            field.append('"');
                            pos++;
                        } else {
                            quoted = false;
                            afterQuote = true;
                        }
                    } else {
                        if (c == '\n') line++;
                        field.append(c);
                    }
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    afterQuote = false;
                } else if (c == '\n' || (c == '\r' && pos < text.length() && text.charAt(pos) == '\n')) {
                    if (c == '\r') pos++;
                    line++;
                    fields.add(field.toString());
                    break;
                } else if (c == '"' && field.length() == 0 && !afterQuote) {
                    quoted = true;
                } else if (afterQuote) {
                    throw new FormatException(file, line, 0, "expected ',' or the end of the line after a closing '\"', found '" + c + "'");
                } else if (c == '"') {
                    throw new FormatException(file, line, 0, "expected no '\"' inside an unquoted field (quote the whole field and double the quote), found one in \"" + field + "\"");
                } else {
                    field.append(c);
                }
            }
            records.add(fields.toArray(new String[0]));
            starts.add(start);
        }
        if (records.isEmpty()) throw new FormatException(file, 1, 0, "expected a header line, found an empty file");
        String[] head = records.get(0);
        List<String> header = new ArrayList<String>();
        Map<String, Integer> index = new HashMap<String, Integer>();
        for (int j = 0; j < head.length; j++) {
            String name = head[j].trim();
            if (name.isEmpty()) throw new FormatException(file, 1, 0, "expected a name for column " + (j + 1) + " in the header, found an empty field");
            if (index.put(name, j) != null) throw new FormatException(file, 1, 0, "expected each column name once in the header, found \"" + name + "\" again");
            header.add(name);
        }
        List<String[]> rows = new ArrayList<String[]>();
        List<Integer> lines = new ArrayList<Integer>();
        for (int r = 1; r < records.size(); r++) {
            String[] rec = records.get(r);
            if (rec.length == 1 && rec[0].isEmpty() && r == records.size() - 1) {
                continue; // one empty last line (also in a one-column file)
            }
            if (rec.length == 1 && rec[0].isEmpty() && header.size() > 1) {
                throw new FormatException(file, starts.get(r), 0, "expected " + header.size() + " fields, found an empty line");
            }
            if (rec.length != header.size()) {
                throw new FormatException(file, starts.get(r), 0, "expected " + header.size() + " fields (as the header), found " + rec.length);
            }
            rows.add(rec);
            lines.add(starts.get(r));
        }
        return new Csv(Collections.unmodifiableList(header), index, rows, lines, file);
    }

    /** The index of a column by name, or −1. */
    public int column(String name) {
        Integer j = index.get(name);
        return j == null ? -1 : j;
    }

    /**
     * The column name closest to {@code name}: the same name in other letter case, else the one
     * within min(2, length / 2) edits (insert, delete or replace a character), or null. For "did
     * you mean" hints; short names get no guess (any one-letter name is one edit from "c").
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

    /** The edit distance (Levenshtein) of a and b. */
    private static int distance(String a, String b) {
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
