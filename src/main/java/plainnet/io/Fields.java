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

    public static Fields root(Object value, String file) throws FormatException {
        if (!(value instanceof Map)) throw new FormatException(file, 0, 0, "expected a JSON object at the top level, found " + kind(value));
        return new Fields((Map<?, ?>) value, file, "");
    }

    public String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public FormatException error(String key, String message) {
        return new FormatException(file, 0, 0, "field " + name(key) + ": " + message);
    }

    private Object get(String key) throws FormatException {
        if (!map.containsKey(key)) throw new FormatException(file, 0, 0, "expected a field " + name(key) + ", found none");
        return map.get(key);
    }

    public String string(String key) throws FormatException {
        Object v = get(key);
        if (!(v instanceof String)) throw error(key, "expected a string, found " + kind(v));
        return (String) v;
    }

    public boolean bool(String key) throws FormatException {
        Object v = get(key);
        if (!(v instanceof Boolean)) throw error(key, "expected true or false, found " + kind(v));
        return (Boolean) v;
    }

    public double number(String key) throws FormatException {
        Object v = get(key);
        if (!(v instanceof Double)) throw error(key, "expected a number, found " + kind(v));
        return (Double) v;
    }

    public int integer(String key) throws FormatException {
        double d = number(key);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw error(key, "expected a whole number, found " + d);
        return (int) d;
    }

    public Fields object(String key) throws FormatException {
        Object v = get(key);
        if (!(v instanceof Map)) throw error(key, "expected an object, found " + kind(v));
        return new Fields((Map<?, ?>) v, file, name(key));
    }

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

    /** An array of exactly n numbers. */
    public double[] vector(String key, int n) throws FormatException {
        return vector(key, list(key), n, name(key));
    }

    /** null (or absent) for "not given", else an array of exactly n numbers. */
    public double[] optionalVector(String key, int n) throws FormatException {
        if (!map.containsKey(key)) throw new FormatException(file, 0, 0, "expected a field " + name(key) + " (null for none), found none");
        if (map.get(key) == null) return null;
        return vector(key, n);
    }

    /** An array of exactly rows arrays of exactly cols numbers. */
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

    /** Fails on a key not in the list, so that a misspelt field is never silently ignored. */
    public void noOtherKeys(String... allowed) throws FormatException {
        List<String> ok = Arrays.asList(allowed);
        for (Object key : map.keySet()) {
            if (!ok.contains(key)) throw new FormatException(file, 0, 0, "unexpected field " + name(String.valueOf(key)) + "; expected only " + ok);
        }
    }

    /** True when the object has the key (its value may be null). */
    public boolean has(String key) {
        return map.containsKey(key);
    }

    /** True when the key is absent or its value is null. */
    public boolean isNull(String key) {
        return map.get(key) == null;
    }

    /** The raw parsed value of a key (see {@link Json}), failing when the key is absent. */
    public Object value(String key) throws FormatException {
        return get(key);
    }

    /**
     * A matrix of exactly rows × cols entries that are numbers or null; null entries come back as
     * NaN with {@code present} false.
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

    /** The number of entries of an array field. */
    public int length(String key) throws FormatException {
        return list(key).size();
    }

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
