package plainnet.io;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader and writer (RFC 8259), with no dependency. See SPEC.md §15,
 * "JSON".
 *
 * <p>Values map to Java as: object → {@code LinkedHashMap<String, Object>} (keys in file order),
 * array → {@code ArrayList<Object>}, string → {@code String}, number → {@code Double}, true/false →
 * {@code Boolean}, null → {@code null}.
 *
 * <p>Strict: rejects NaN and Infinity literals, numbers outside the double range (and nonzero
 * numbers that would read as 0), leading zeros,
 * trailing commas, duplicate keys, unescaped control characters, invalid escapes, anything after
 * the top-level value, nesting deeper than {@link #MAX_DEPTH}, and an integer that a double does
 * not hold exactly (below). Every error is a {@link FormatException} naming the file, the line and
 * the column (1-based, counted in UTF-16 chars). Numbers are parsed with
 * {@code Double.parseDouble} (correctly rounded) and written with {@code Double.toString}, so a
 * written double reads back to the same bits; any number literal is read in time linear in its
 * length.
 */
public final class Json {

    /** The deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private final String file;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Json(String text, String file) {
        this.text = text;
        this.file = file;
    }

    // ----------------------------------------------------------------------------------------
    // reading

    /**
     * Parses one JSON value that fills the whole text (surrounding white space allowed).
     *
     * @param text the whole content of the file
     * @param file the name used in error messages
     * @return the value, of the Java types in the class comment
     * @throws FormatException naming file, line, column, what was expected and what was found
     */
    public static Object parse(String text, String file) throws FormatException {
        Json p = new Json(text, file);
        p.skipSpace();
        Object value = p.value(0);
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("expected the end of the file after the top-level value", p.found());
        }
        return value;
    }

    private Object value(int depth) throws FormatException {
        if (pos >= text.length()) throw error("expected a value", "the end of the file");
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("expected a value (object, array, string, number, true, false or null)", found());
        }
    }

    private Map<String, Object> object(int depth) throws FormatException {
        checkDepth(depth);
        Map<String, Object> map = new LinkedHashMap<String, Object>();
        pos++; // '{'
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') throw error("expected a string key", found());
            int keyLine = line, keyColumn = pos - lineStart + 1;
            String key = string();
            if (map.containsKey(key)) {
                throw new FormatException(file, keyLine, keyColumn, "expected each key once in an object, found the key \"" + key + "\" again");
            }
            skipSpace();
            if (peek() != ':') throw error("expected ':' after the key \"" + key + "\"", found());
            pos++;
            skipSpace();
            map.put(key, value(depth));
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') return map;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in an object", found());
            }
        }
    }

    private List<Object> array(int depth) throws FormatException {
        checkDepth(depth);
        List<Object> list = new ArrayList<Object>();
        pos++; // '['
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth));
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') return list;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in an array", found());
            }
        }
    }

    private String string() throws FormatException {
        pos++; // opening quote
        StringBuilder s = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("expected '\"' to close the string", "the end of the file");
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return s.toString();
            }
            if (c < 0x20) throw error("expected a character or an escape in a string", describe(c));
            if (c != '\\') {
                s.append(c);
                pos++;
                continue;
            }
            pos++;
            if (pos >= text.length()) throw error("expected an escape after '\\'", "the end of the file");
            char e = text.charAt(pos);
            switch (e) {
                case '"': s.append('"'); break;
                case '\\': s.append('\\'); break;
                case '/': s.append('/'); break;
                case 'b': s.append('\b'); break;
                case 'f': s.append('\f'); break;
                case 'n': s.append('\n'); break;
                case 'r': s.append('\r'); break;
                case 't': s.append('\t'); break;
                case 'u':
                    if (pos + 4 >= text.length()) throw error("expected 4 hex digits after \\u", "the end of the file");
                    int code = 0;
                    for (int j = 1; j <= 4; j++) {
                        char h = text.charAt(pos + j);
                        int d = h < 128 ? Character.digit(h, 16) : -1; // ASCII hex digits only (RFC 8259)
                        if (d < 0) {
                            pos += j;
                            throw error("expected 4 hex digits after \\u", found());
                        }
                        code = code * 16 + d;
                    }
                    s.append((char) code);
                    pos += 4;
                    break;
                default:
                    pos--; // point at the backslash
                    throw error("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", "\\" + e);
            }
            pos++;
        }
    }

    private Double number() throws FormatException {
        int start = pos;
        int startColumn = pos - lineStart + 1;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) throw error("expected no leading zero in a number", text.substring(start, pos + 1));
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("expected a digit in a number", found());
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) throw error("expected a digit after '.'", found());
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("expected a digit in the exponent", found());
            while (isDigit(peek())) pos++;
        }
        String literal = text.substring(start, pos);
        double v = Double.parseDouble(literal); // correctly rounded, in time linear in the literal's length
        if (Double.isInfinite(v)) {
            throw new FormatException(file, line, startColumn, "expected a number within the double range (|x| <= 1.7976931348623157E308), found " + shown(literal));
        }
        // An underflow is refused as an overflow is: a nonzero literal must not read as 0 without a
        // word (1e-400). A zero reads as 0 whatever its exponent (0.0e4999999523447794).
        if (v == 0.0 && !denotes(literal, v)) {
            throw new FormatException(file, line, startColumn, "expected 0 or a number that rounds to a nonzero double (|x| > 2.4703282292062328E-324, half the smallest"
                + " double 4.9E-324), found " + shown(literal) + ", which would read as 0");
        }
        // An integer (a count, a size, a seed) must not be replaced by a neighbour without a word:
        // 9007199254740993 reads as 2^53. So an integer literal, and any literal read as a whole
        // number up to 2^53, must denote exactly the double read; other literals round as usual
        // (0.1). A literal of at most 15 characters has at most 15 significant digits and always
        // passes: as an integer it is below 10^15 < 2^53, and a non-integer with f fraction digits
        // lies 10^−f or more from every integer, more than half an ulp of a double below 10^(15−f)
        // (and a nonzero one that reads as 0 was refused above).
        boolean integerLiteral = literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0;
        boolean wholeUpTo2p53 = v == Math.rint(v) && Math.abs(v) <= 0x1p53;
        if (literal.length() > 15 && (integerLiteral || wholeUpTo2p53) && !denotes(literal, v)) {
            throw new FormatException(file, line, startColumn, "expected a number that a double holds exactly (whole numbers up to 2^53 = 9007199254740992), found "
                + shown(literal) + ", which would read as " + new BigDecimal(v).toPlainString());
        }
        return v;
    }

    /**
     * True when a number literal (of the JSON grammar) denotes exactly the finite double v. Linear
     * in the literal's length: the literal is ±S·10^q with S its digits without leading and
     * trailing zeros, and v is U·10^−scale with U its exact decimal digits (at most 767 of them,
     * {@code BigDecimal(v)}, without trailing zeros); they are equal when S = U and q = −scale. So
     * a literal of a million digits costs no big-number arithmetic (a BigDecimal of the literal
     * would cost time growing with the square of its length).
     */
    static boolean denotes(String literal, double v) {
        StringBuilder digits = new StringBuilder(); // S, then trailing zeros
        int fractionDigits = 0, j = literal.startsWith("-") ? 1 : 0;
        boolean fraction = false;
        for (; j < literal.length(); j++) {
            char c = literal.charAt(j);
            if (c == '.') {
                fraction = true;
                continue;
            }
            if (c == 'e' || c == 'E') break;
            if (digits.length() > 0 || c != '0') digits.append(c); // leading zeros do not count
            if (fraction) fractionDigits++;
        }
        // The exponent, saturated at ±10^12: beyond it no double's scale (|scale| <= 1074) can be reached
        // by q = exponent − fractionDigits + trailing zeros (fractionDigits < 2^31).
        long exponent = 0;
        boolean minus = false;
        if (j < literal.length()) {
            j++;
            if (literal.charAt(j) == '+' || literal.charAt(j) == '-') minus = literal.charAt(j++) == '-';
            for (; j < literal.length(); j++) exponent = Math.min(10 * exponent + (literal.charAt(j) - '0'), 1_000_000_000_000L);
        }
        int end = digits.length();
        while (end > 0 && digits.charAt(end - 1) == '0') end--;
        if (end == 0) return v == 0.0; // the literal is a zero
        if (v == 0.0) return false;
        long q = (minus ? -exponent : exponent) - fractionDigits + (digits.length() - end);
        BigDecimal exact = new BigDecimal(Math.abs(v)).stripTrailingZeros();
        String u = exact.unscaledValue().toString();
        return end == u.length() && q == -(long) exact.scale() && digits.substring(0, end).equals(u);
    }

    /** A literal for a message: as it is up to 40 characters, else its first 20 and its length. */
    private static String shown(String literal) {
        return literal.length() <= 40 ? literal : literal.substring(0, 20) + "… (a number of " + literal.length() + " characters)";
    }

    private Object literal(String word, Object value) throws FormatException {
        if (!text.startsWith(word, pos)) throw error("expected a value (object, array, string, number, true, false or null)", found());
        pos += word.length();
        return value;
    }

    private void checkDepth(int depth) throws FormatException {
        if (depth > MAX_DEPTH) throw error("expected nesting of at most " + MAX_DEPTH + " arrays and objects", "deeper nesting");
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** What stands at the current position, for an error message. */
    private String found() {
        if (pos >= text.length()) return "the end of the file";
        int end = pos;
        while (end < text.length() && end - pos < 20 && !Character.isWhitespace(text.charAt(end))
            && ",:[]{}".indexOf(text.charAt(end)) < 0) end++;
        if (end == pos) end = pos + 1;
        String token = text.substring(pos, end);
        return token.length() == 1 ? describe(token.charAt(0)) : "'" + token + "'";
    }

    private static String describe(char c) {
        return c < 0x20 ? String.format("the control character U+%04X", (int) c) : "'" + c + "'";
    }

    private FormatException error(String expected, String found) {
        return new FormatException(file, line, pos - lineStart + 1, expected + ", found " + found);
    }

    // ----------------------------------------------------------------------------------------
    // writing

    /**
     * Writes a value as JSON: maps (String keys), lists, arrays of double and double[][],
     * strings, numbers, booleans and null. Doubles must be finite. Objects and arrays of arrays
     * are indented by two spaces per level; arrays of numbers stay on one line.
     *
     * @param value the value to write
     * @return the JSON text, ending with a newline
     * @throws IllegalArgumentException for a non-finite double or an unsupported type
     */
    public static String write(Object value) {
        StringBuilder s = new StringBuilder();
        write(s, value, 0);
        return s.append('\n').toString();
    }

    private static void write(StringBuilder s, Object v, int indent) {
        if (v == null) {
            s.append("null");
        } else if (v instanceof String) {
            quote(s, (String) v);
        } else if (v instanceof Boolean) {
            s.append(v.toString());
        } else if (v instanceof Double || v instanceof Float) {
            number(s, ((Number) v).doubleValue());
        } else if (v instanceof Integer || v instanceof Long) {
            s.append(v.toString());
        } else if (v instanceof double[]) {
            double[] a = (double[]) v;
            s.append('[');
            for (int j = 0; j < a.length; j++) {
                if (j > 0) s.append(", ");
                number(s, a[j]);
            }
            s.append(']');
        } else if (v instanceof double[][]) {
            double[][] a = (double[][]) v;
            List<Object> rows = new ArrayList<Object>();
            for (double[] row : a) rows.add(row);
            write(s, rows, indent);
        } else if (v instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) v;
            if (map.isEmpty()) {
                s.append("{}");
                return;
            }
            s.append("{\n");
            int j = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String)) throw new IllegalArgumentException("JSON object keys must be strings, found " + e.getKey());
                pad(s, indent + 1);
                quote(s, (String) e.getKey());
                s.append(": ");
                write(s, e.getValue(), indent + 1);
                s.append(++j < map.size() ? ",\n" : "\n");
            }
            pad(s, indent);
            s.append('}');
        } else if (v instanceof List) {
            List<?> list = (List<?>) v;
            boolean flat = true;
            for (Object item : list) if (item instanceof Map || item instanceof List || item instanceof double[] || item instanceof double[][]) flat = false;
            if (flat) {
                s.append('[');
                for (int j = 0; j < list.size(); j++) {
                    if (j > 0) s.append(", ");
                    write(s, list.get(j), indent);
                }
                s.append(']');
                return;
            }
            s.append("[\n");
            for (int j = 0; j < list.size(); j++) {
                pad(s, indent + 1);
                write(s, list.get(j), indent + 1);
                s.append(j + 1 < list.size() ? ",\n" : "\n");
            }
            pad(s, indent);
            s.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
        }
    }

    private static void number(StringBuilder s, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON has no NaN or Infinity: expected a finite number, found " + d);
        }
        s.append(Double.toString(d));
    }

    private static void quote(StringBuilder s, String str) {
        s.append('"');
        for (int j = 0; j < str.length(); j++) {
            char c = str.charAt(j);
            switch (c) {
                case '"': s.append("\\\""); break;
                case '\\': s.append("\\\\"); break;
                case '\n': s.append("\\n"); break;
                case '\r': s.append("\\r"); break;
                case '\t': s.append("\\t"); break;
                default:
                    if (c < 0x20) s.append(String.format("\\u%04x", (int) c));
                    else s.append(c);
            }
        }
        s.append('"');
    }

    private static void pad(StringBuilder s, int indent) {
        for (int j = 0; j < indent; j++) s.append("  ");
    }
}
