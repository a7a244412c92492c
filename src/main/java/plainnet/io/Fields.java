package plainnet.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Typed access to one parsed JSON object, for the file readers (model, vector and result files). Every failure is a
 * {@link FormatException} naming the file and the field by its path (for example
 * {@code layers[1].W[3]}), what was expected and what was found.
 */
public final class Fields {

    private final Map<?, ?> map;
    private final String file;
    private final String path; // "" for the root, else e.g. "layers[1]" (no trailing dot)

    private Fields(Map<?, ?> map, String file, String path) {
        this.map = map;
        this.file = file;
        this.path = path;
    }

    /**
     * The top-level object of a parsed file.
     *
     * @param value the result of {@link Json#parse}
     * @param file  the file name, for messages
     * @return the fields of the object, with the empty path
     * @throws FormatException if the value is not a JSON object
     */
    public static Fields root(Object value, String file) throws FormatException {
        if (!(value instanceof Map)) throw new FormatException(file, 0, 0, "expected a JSON object at the top level, found " + kind(value));
        return new Fields((Map<?, ?>) value, file, "");
    }

    /**
     * The full path of a key of this object, for messages.
     *
     * @param key a key of this object
     * @return for example {@code layers[1].W}; the key itself at the root
     */
    public String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * The error to throw for a field whose value is wrong.
     *
     * @param key     the field's key in this object
     * @param message what was expected and what was found
     * @return {@code file: field PATH: message}, not thrown
     */
    public FormatException error(String key, String message) {
        return new FormatException(file, 0, 0, "field " + name(key) + ": " + message);
    }

    private Object get(String key) throws FormatException {
        if (!map.containsKey(key)) throw new FormatException(file, 0, 0, "expected a field " + name(key) + ", found none");
        return map.get(key);
    }

    /**
     * A string field.
     *
     * @param key the key
     * @return its value
     * @throws FormatException if the field is absent or not a string
     */
    public String string(String key) throws FormatException {
        Object v = get(key);
        if (!(v instanceof String)) throw error(key, "expected a string, found " + kind(v));
        return (String) v;
    }

    /**
     * A true/false field.
     *
     * @param key the key
     * @return its value
     * @throws FormatException if the field is absent or not true or false
     */
    public boolean bool(String key) throws FormatException {
        Object v = get(key);
        if (!(v instanceof Boolean)) throw error(key, "expected true or false, found " + kind(v));
        return (Boolean) v;
    }

    /**
     * A number field.
     *
     * @param key the key
     * @return its value (JSON numbers are finite: SPEC.md §15)
     * @throws FormatException if the field is absent or not a number
     */
    public double number(String key) throws FormatException {
        Object v = get(key);
        if (!(v instanceof Double)) throw error(key, "expected a number, found " + kind(v));
        return (Double) v;
    }

    /**
     * A whole-number field.
     *
     * @param key the key
     * @return its value as an int
     * @throws FormatException if the field is absent, not a number, has a fraction or is outside the int range
     */
    public int integer(String key) throws FormatException {
        double d = number(key);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw error(key, "expected a whole number, found " + d);
        return (int) d;
    }

    /**
     * An object field.
     *
     * @param key the key
     * @return its fields, with this path plus the key
     * @throws FormatException if the field is absent or not an object
     */
    public Fields object(String key) throws FormatException {
        Object v = get(key);
        if (!(v instanceof Map)) throw error(key, "expected an object, found " + kind(v));
        return new Fields((Map<?, ?>) v, file, name(key));
    }

    /**
     * An array of objects.
     *
     * @param key the key
     * @return the fields of each element, with paths {@code key[j]}
     * @throws FormatException if the field is absent, not an array, or an element is not an object
     */
    public List<Fields> objects(String key) throws FormatException {
        List<?> list = list(key);
        List<Fields> out = new ArrayList<Fields>();
        for (int j = 0; j < list.size(); j++) {
            Object v = list.get(j);
            if (!(v instanceof Map)) throw error(key, "expected an object at index " + j + ", found " + kind(v));
            out.add(new Fields((Map<?, ?>) v, file, name(key) + "[" + j + "]"));
        }
        return out;
    }

    /**
     * An array of strings.
     *
     * @param key the key
     * @return its elements in order
     * @throws FormatException if the field is absent, not an array, or an element is not a string
     */
    public List<String> strings(String key) throws FormatException {
        List<?> list = list(key);
        List<String> out = new ArrayList<String>();
        for (int j = 0; j < list.size(); j++) {
            Object v = list.get(j);
            if (!(v instanceof String)) throw error(key, "expected a string at index " + j + ", found " + kind(v));
            out.add((String) v);
        }
        return out;
    }

    private List<?> list(String key) throws FormatException {
        Object v = get(key);
        if (!(v instanceof List)) throw error(key, "expected an array, found " + kind(v));
        return (List<?>) v;
    }

    /**
     * An array of exactly n numbers.
     *
     * @param key the key
     * @param n   the required length
     * @return the numbers (n)
     * @throws FormatException if the field is absent, not an array, of another length, or holds a non-number
     */
    public double[] vector(String key, int n) throws FormatException {
        return vector(key, list(key), n, name(key));
    }

    /**
     * A field that must be present and is null for "not given", else an array of exactly n numbers.
     *
     * @param key the key
     * @param n   the required length
     * @return null, or the numbers (n)
     * @throws FormatException if the field is absent, or not null and not n numbers
     */
    public double[] optionalVector(String key, int n) throws FormatException {
        if (!map.containsKey(key)) throw new FormatException(file, 0, 0, "expected a field " + name(key) + " (null for none), found none");
        if (map.get(key) == null) return null;
        return vector(key, n);
    }

    /**
     * An array of exactly rows arrays of exactly cols numbers, such as a weight matrix W (O, I).
     *
     * @param key  the key
     * @param rows the required number of rows
     * @param cols the required length of every row
     * @return the matrix (rows, cols)
     * @throws FormatException naming the first row or entry of the wrong shape or kind
     */
    public double[][] matrix(String key, int rows, int cols) throws FormatException {
        List<?> list = list(key);
        if (list.size() != rows) throw error(key, "expected " + rows + " rows, found " + list.size());
        double[][] a = new double[rows][];
        for (int r = 0; r < rows; r++) {
            Object row = list.get(r);
            String rowName = name(key) + "[" + r + "]";
            if (!(row instanceof List)) throw new FormatException(file, 0, 0, "field " + rowName + ": expected an array of " + cols + " numbers, found " + kind(row));
            a[r] = vector(key, (List<?>) row, cols, rowName);
        }
        return a;
    }

    private double[] vector(String key, List<?> list, int n, String fullName) throws FormatException {
        if (list.size() != n) throw new FormatException(file, 0, 0, "field " + fullName + ": expected " + n + " numbers, found " + list.size());
        double[] a = new double[n];
        for (int j = 0; j < n; j++) {
            Object v = list.get(j);
            if (!(v instanceof Double)) throw new FormatException(file, 0, 0, "field " + fullName + "[" + j + "]: expected a number, found " + kind(v));
            a[j] = (Double) v;
        }
        return a;
    }

    /**
     * Fails on a key not in the list, so that a misspelt field is never silently ignored.
     *
     * @param allowed every key this object may have
     * @throws FormatException naming the first other key
     */
    public void noOtherKeys(String... allowed) throws FormatException {
        List<String> ok = Arrays.asList(allowed);
        for (Object key : map.keySet()) {
            if (!ok.contains(key)) throw new FormatException(file, 0, 0, "unexpected field " + name(String.valueOf(key)) + "; expected only " + ok);
        }
    }

    /**
     * Whether the object has the key.
     *
     * @param key the key
     * @return true when present, even with the value null
     */
    public boolean has(String key) {
        return map.containsKey(key);
    }

    /**
     * Whether the key is absent or null.
     *
     * @param key the key
     * @return true when the key is absent or its value is null
     */
    public boolean isNull(String key) {
        return map.get(key) == null;
    }

    /**
     * The raw parsed value of a key (see {@link Json#parse} for the Java types).
     *
     * @param key the key
     * @return the value, possibly null
     * @throws FormatException if the key is absent
     */
    public Object value(String key) throws FormatException {
        return get(key);
    }

    /**
     * A matrix of exactly rows × cols entries that are numbers or null; null entries come back as
     * NaN with {@code present} false (the unlabeled entries of a vector file's labels, SPEC.md §22.1).
     *
     * @param key     the key
     * @param rows    the required number of rows
     * @param cols    the required length of every row
     * @param present (rows, cols), written: true where the entry is a number
     * @return the matrix (rows, cols), NaN at the nulls
     * @throws FormatException naming the first row or entry of the wrong shape or kind
     */
    public double[][] matrixWithNulls(String key, int rows, int cols, boolean[][] present) throws FormatException {
        List<?> list = list(key);
        if (list.size() != rows) throw error(key, "expected " + rows + " rows, found " + list.size());
        double[][] a = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            Object row = list.get(r);
            String rowName = name(key) + "[" + r + "]";
            if (!(row instanceof List)) throw new FormatException(file, 0, 0, "field " + rowName + ": expected an array of " + cols + " numbers or nulls, found " + kind(row));
            List<?> items = (List<?>) row;
            if (items.size() != cols) throw new FormatException(file, 0, 0, "field " + rowName + ": expected " + cols + " entries, found " + items.size());
            for (int c = 0; c < cols; c++) {
                Object v = items.get(c);
                if (v == null) {
                    a[r][c] = Double.NaN;
                    present[r][c] = false;
                } else if (v instanceof Double) {
                    a[r][c] = (Double) v;
                    present[r][c] = true;
                } else {
                    throw new FormatException(file, 0, 0, "field " + rowName + "[" + c + "]: expected a number or null, found " + kind(v));
                }
            }
        }
        return a;
    }

    /**
     * The number of entries of an array field.
     *
     * @param key the key
     * @return the array's length
     * @throws FormatException if the field is absent or not an array
     */
    public int length(String key) throws FormatException {
        return list(key).size();
    }

    /**
     * A parsed value as a message says it: the string "…", the number …, true, an array, an object, null.
     *
     * @param v a value from {@link Json#parse}
     * @return its description for the "found …" part of a message
     */
    public static String kind(Object v) {
        if (v == null) return "null";
        if (v instanceof String) return "the string \"" + v + "\"";
        if (v instanceof Double) return "the number " + v;
        if (v instanceof Boolean) return v.toString();
        if (v instanceof List) return "an array";
        if (v instanceof Map) return "an object";
        return v.getClass().getSimpleName();
    }
}
