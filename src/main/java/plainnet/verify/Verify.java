package plainnet.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import plainnet.io.FormatException;

/**
 * Compares a result with a vector's expected values. See SPEC.md §22.3, "Comparison".
 *
 * <p>The expected section is walked in the order of the stages generator, init, forward, loss,
 * group_losses, backward, update; every numeric array (a number, a vector or a matrix) is compared as a unit.
 * An entry passes when |r − e| ≤ abs + rel·|e|. For each array the report gives the largest
 * absolute error max|r − e| and the largest relative error max|r − e|/|e| over e ≠ 0. A null
 * expected value (the gradient of a frozen layer) must be null in the result. The arrays of a group
 * without a single label (its loss, dout and tower gradients) must be exactly 0: a correct masking
 * gives 0 whatever the order of its sums, so anything else, however small, is a leak through the
 * mask. A missing key, a wrong shape or a wrong type is a malformed result (exit 2), not a failed
 * comparison.
 */
public final class Verify {

    /** The stages, in the order a computation goes through them. */
    public static final String[] STAGES = {"generator", "init", "forward", "loss", "group_losses", "backward", "update"};

    /**
     * Keys that hold one array per layer: always compared layer by layer, named e.g. backward.dW[1]
     * or, in a task case, backward.trunk.dW[1] and backward.towers.NAME.dW[0] (a group name has no dot).
     */
    private static final java.util.regex.Pattern PER_LAYER = java.util.regex.Pattern.compile(
        "(forward(\\.trunk|\\.towers\\.[^.]+)?\\.(z|a)|backward(\\.trunk|\\.towers\\.[^.]+)?\\.(dW|db)|update(\\.trunk|\\.towers\\.[^.]+)?\\.(W|b))");

    private Verify() {}

    /** One compared array. */
    public static final class Line {
        /** The array's name: stage.key, with the layer for per-layer arrays, e.g. {@code backward.dW[1]}. */
        public final String name;
        /** max|r − e| over the array's entries. */
        public final double maxAbs;
        /** max|r − e| / |e| over the entries with e ≠ 0. */
        public final double maxRel;
        /** Whether every entry is within abs + rel·|e|. */
        public final boolean passed;
        /** For a failed array: the first failing index, e.g. "[2][1]"; "" when passed. */
        public final String firstIndex;
        /** For a failed array: the expected value at {@link #firstIndex}; "" when passed. */
        public final String expected;
        /** For a failed array: the result's value at {@link #firstIndex}; "" when passed. */
        public final String found;
        /** The group without labels whose array this is, which must be exactly 0; null for an array compared within the tolerances. */
        public final String unlabeledGroup;

        Line(String name, double maxAbs, double maxRel, boolean passed, String firstIndex, String expected, String found, String unlabeledGroup) {
            this.unlabeledGroup = unlabeledGroup;
            this.name = name;
            this.maxAbs = maxAbs;
            this.maxRel = maxRel;
            this.passed = passed;
            this.firstIndex = firstIndex;
            this.expected = expected;
            this.found = found;
        }
    }

    /** The comparison of one result with one vector. */
    public static final class Report {
        /** The vector's name. */
        public final String vector;
        /** One line per compared array, in stage order. */
        public final List<Line> lines = new ArrayList<Line>();

        Report(String vector) {
            this.vector = vector;
        }

        /**
         * Whether the result matches the vector.
         *
         * @return true when every line passed
         */
        public boolean passed() {
            for (Line l : lines) if (!l.passed) return false;
            return true;
        }

        /**
         * The stage of the first failing array: where another implementation first goes wrong.
         *
         * @return one of {@link Verify#STAGES}, or null when everything passed
         */
        public String earliestFailingStage() {
            for (Line l : lines) if (!l.passed) return l.name.substring(0, l.name.contains(".") ? l.name.indexOf('.') : l.name.length());
            return null;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("vector " + vector + "\n");
            int width = 10;
            for (Line l : lines) width = Math.max(width, l.name.length());
            boolean firstFailureShown = false;
            for (Line l : lines) {
                s.append(String.format(Locale.ROOT, "  %-" + width + "s  max abs %9.3e  max rel %9.3e  %s%s%n", l.name, l.maxAbs, l.maxRel, l.passed ? "PASS" : "FAIL",
                    l.unlabeledGroup == null ? "" : "  (exactly 0: group " + l.unlabeledGroup + " has no label)"));
                if (!l.passed && !firstFailureShown) {
                    s.append(String.format(Locale.ROOT, "  %-" + width + "s  first difference at %s: expected %s, found %s%n", "", l.firstIndex, l.expected, l.found));
                    firstFailureShown = true;
                }
            }
            String stage = earliestFailingStage();
            s.append(stage == null ? "PASS " + vector + "\n" : "FAIL " + vector + ": earliest failing stage: " + stage + "\n");
            return s.toString();
        }
    }

    /**
     * Compares a parsed result (the JSON value of the result file) with a vector's parsed
     * expected section.
     *
     * @param c          the vector's case: its name (which the result's "vector" field must equal),
     *                   its tolerances, and its groups without labels, whose arrays must be exactly 0
     * @param expected   the vector file's "expected" object
     * @param result     the whole result file (format plainnet-result, version 1, SPEC.md §22.2)
     * @param resultFile the result's file name, for messages
     * @return the report, one line per array
     * @throws FormatException when the result lacks a key, has a wrong shape or a wrong type
     */
    public static Report compare(Case c, Map<?, ?> expected, Map<?, ?> result, String resultFile) throws FormatException {
        String vector = c.name;
        Object format = result.get("format");
        if (!"plainnet-result".equals(format)) throw malformed(resultFile, "format", "expected \"plainnet-result\", found " + describe(format));
        Object version = result.get("version");
        if (!(version instanceof Double) || (Double) version != 1.0) throw malformed(resultFile, "version", "expected 1, found " + describe(version));
        if (!vector.equals(result.get("vector"))) throw malformed(resultFile, "vector", "expected \"" + vector + "\", found " + describe(result.get("vector")));
        Report report = new Report(vector);
        for (String stage : STAGES) {
            if (!expected.containsKey(stage)) continue;
            if (!result.containsKey(stage)) throw malformed(resultFile, stage, "expected a key \"" + stage + "\", found none");
            walk(report, stage, expected.get(stage), result.get(stage), c.abs, c.rel, c.unlabeledGroups(), resultFile);
        }
        return report;
    }

    /**
     * The group of an array that must be exactly 0 (SPEC.md §22.3): group_losses.NAME,
     * backward.dout.NAME and backward.towers.NAME.dW[l], .db[l] of a group without labels; else null.
     */
    private static String unlabeledGroup(String name, List<String> unlabeled) {
        for (String g : unlabeled) {
            if (name.equals("group_losses." + g) || name.equals("backward.dout." + g)
                || name.startsWith("backward.towers." + g + ".dW[") || name.startsWith("backward.towers." + g + ".db[")) return g;
        }
        return null;
    }

    private static void walk(Report report, String name, Object e, Object r, double abs, double rel, List<String> unlabeled, String file) throws FormatException {
        if (e instanceof Map) {
            if (!(r instanceof Map)) throw malformed(file, name, "expected an object, found " + kind(r));
            Map<?, ?> em = (Map<?, ?>) e, rm = (Map<?, ?>) r;
            for (Map.Entry<?, ?> entry : em.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (!rm.containsKey(key)) throw malformed(file, name + "." + key, "expected a key \"" + key + "\", found none");
                walk(report, name + "." + key, entry.getValue(), rm.get(key), abs, rel, unlabeled, file);
            }
            return;
        }
        if (e == null) {
            // The gradient of a frozen layer: plainnet computes none.
            boolean ok = r == null;
            report.lines.add(new Line(name, 0.0, 0.0, ok, "", "null (a frozen layer has no gradient)", ok ? "null" : "an array", null));
            return;
        }
        if (e instanceof List && (PER_LAYER.matcher(name).matches() || !isNumeric(e))) {
            // A list of arrays, such as dW per layer: compare each element as its own array.
            List<?> el = (List<?>) e;
            if (!(r instanceof List)) throw malformed(file, name, "expected an array of " + el.size() + " entries, found " + kind(r));
            List<?> rl = (List<?>) r;
            if (rl.size() != el.size()) throw malformed(file, name, "expected " + el.size() + " entries, found " + rl.size());
            for (int j = 0; j < el.size(); j++) walk(report, name + "[" + j + "]", el.get(j), rl.get(j), abs, rel, unlabeled, file);
            return;
        }
        Array ea = Array.of(e), ra = Array.of(r);
        if (ea == null) throw new FormatException("the vector", 0, 0, "expected " + name + ": expected numbers, strings or arrays of them, found " + describe(e));
        if (ra == null) throw malformed(file, name, "expected shape " + ea.shape() + ", found " + describe(r));
        if (!ea.shape().equals(ra.shape())) throw malformed(file, name, "expected shape " + ea.shape() + ", found " + ra.shape());
        // A group without labels adds exactly nothing (SPEC.md §27.1): masked terms are 0, and sums and
        // products of zeros are 0 in any order, so its arrays are compared exactly, not within abs.
        String group = unlabeledGroup(name, unlabeled);
        double maxAbs = 0.0, maxRel = 0.0;
        int first = -1;
        for (int j = 0; j < ea.values.size(); j++) {
            Object ev = ea.values.get(j), rv = ra.values.get(j);
            boolean ok;
            double d = 0.0;
            if ((ev instanceof String) != (rv instanceof String)) {
                throw malformed(file, name + (ea.cols < 0 ? "" : ea.index(j)), "expected " + (ev instanceof String ? "a string" : "a number") + ", found " + describe(rv));
            }
            if (ev instanceof String) {
                ok = ev.equals(rv);
            } else {
                double x = (Double) ev, y = (Double) rv;
                d = Math.abs(y - x);
                ok = group != null ? y == 0.0 : d <= abs + rel * Math.abs(x);
                maxAbs = Math.max(maxAbs, d);
                if (x != 0.0) maxRel = Math.max(maxRel, d / Math.abs(x));
            }
            if (!ok && first < 0) first = j;
        }
        String expected = group == null ? "" : " exactly (group " + group + " has no label in the batch, so it adds exactly nothing: SPEC.md 27.1)";
        report.lines.add(first < 0
            ? new Line(name, maxAbs, maxRel, true, "", "", "", group)
            : new Line(name, maxAbs, maxRel, false, ea.index(first), ea.values.get(first) + expected, String.valueOf(ra.values.get(first)), group));
    }

    /** True for a number, a string, or an array of numbers/strings, or an array of such arrays. */
    private static boolean isNumeric(Object v) {
        return Array.of(v) != null;
    }

    /** A number, vector or matrix flattened row-major, with its shape. */
    private static final class Array {
        final List<Object> values = new ArrayList<Object>();
        int rows = -1, cols = -1; // -1, -1 for a scalar; -1, n for a vector

        static Array of(Object v) {
            Array a = new Array();
            if (v instanceof Double || v instanceof String) {
                a.values.add(v);
                return a;
            }
            if (!(v instanceof List)) return null;
            List<?> list = (List<?>) v;
            if (list.isEmpty() || scalar(list.get(0))) {
                for (Object item : list) {
                    if (!scalar(item)) return null;
                    a.values.add(item);
                }
                a.cols = list.size();
                return a;
            }
            a.rows = list.size();
            for (Object row : list) {
                if (!(row instanceof List)) return null;
                List<?> r = (List<?>) row;
                if (a.cols < 0) a.cols = r.size();
                if (r.size() != a.cols) return null;
                for (Object item : r) {
                    if (!scalar(item)) return null;
                    a.values.add(item);
                }
            }
            return a;
        }

        private static boolean scalar(Object v) {
            return v instanceof Double || v instanceof String;
        }

        String shape() {
            return rows >= 0 ? "(" + rows + ", " + cols + ")" : cols >= 0 ? "(" + cols + ")" : "a single value";
        }

        String index(int j) {
            return rows >= 0 ? "[" + (j / Math.max(1, cols)) + "][" + (j % Math.max(1, cols)) + "]" : cols >= 0 ? "[" + j + "]" : "(the value)";
        }
    }

    private static FormatException malformed(String file, String name, String message) {
        return new FormatException(file, 0, 0, "result " + name + ": " + message);
    }

    /** The shape or kind of a value, for a message. */
    private static String describe(Object v) {
        if (v instanceof String) return "\"" + v + "\"";
        if (v instanceof Double) return String.valueOf(v);
        if (v instanceof List) {
            List<?> list = (List<?>) v;
            List<String> parts = new ArrayList<String>();
            for (Object item : list) parts.add(item instanceof List ? String.valueOf(((List<?>) item).size()) : kind(item));
            return list.size() + " rows of lengths or kinds " + parts;
        }
        return kind(v);
    }

    private static String kind(Object v) {
        if (v == null) return "null";
        if (v instanceof List) return "an array of " + ((List<?>) v).size() + " entries";
        if (v instanceof Map) return "an object";
        if (v instanceof String) return "a string";
        if (v instanceof Double) return "a number";
        if (v instanceof Boolean) return v.toString();
        return "a value of an unknown kind";
    }
}
