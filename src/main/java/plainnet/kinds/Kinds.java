package plainnet.kinds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import plainnet.Loss;

/**
 * The loss kinds, in the order the command line lists them, and the number formats their tables
 * share. See SPEC.md §27.7.
 */
public final class Kinds {

    /** Binary cross-entropy: one sigmoid output per 0/1 label column. */
    public static final Kind BCE = new BceKind();
    /** Softmax cross-entropy: one class-index column, one output per class. */
    public static final Kind SOFTMAX = new SoftmaxKind();
    /** Squared error: one output per numeric label column. */
    public static final Kind MSE = new MseKind();

    /** Every kind, in the command line's order: bce, softmax, mse. */
    public static final List<Kind> ALL = Collections.unmodifiableList(Arrays.asList(BCE, SOFTMAX, MSE));

    /** The largest number of softmax classes accepted (a guard against a stray huge class index). */
    public static final int MAX_CLASSES = 100_000;

    private Kinds() {}

    /**
     * The kind of a loss.
     *
     * @param loss the loss of one group
     * @return its kind
     * @throws IllegalArgumentException for a loss of no kind here (e.g. a {@code GroupedLoss})
     */
    public static Kind of(Loss loss) {
        for (Kind k : ALL) if (k.owns(loss)) return k;
        throw new IllegalArgumentException("loss: expected one of plainnet's losses (" + String.join(", ", fileNames()) + "), found "
            + (loss == null ? "null" : loss.getClass().getName()));
    }

    /**
     * The kind of a command-line name.
     *
     * @param name "bce", "softmax" or "mse"
     * @return the kind, or null for another name
     */
    public static Kind named(String name) {
        for (Kind k : ALL) if (k.name().equals(name)) return k;
        return null;
    }

    /**
     * The kind of a model file's name.
     *
     * @param fileName e.g. "binary_cross_entropy"
     * @return the kind, or null for another name
     */
    public static Kind byFileName(String fileName) {
        for (Kind k : ALL) if (k.fileName().equals(fileName)) return k;
        return null;
    }

    /**
     * The command-line names.
     *
     * @return "bce", "softmax", "mse"
     */
    public static String[] names() {
        String[] s = new String[ALL.size()];
        for (int j = 0; j < s.length; j++) s[j] = ALL.get(j).name();
        return s;
    }

    /**
     * The file names.
     *
     * @return "binary_cross_entropy", "softmax_cross_entropy", "squared_error"
     */
    public static List<String> fileNames() {
        List<String> s = new ArrayList<String>();
        for (Kind k : ALL) s.add(k.fileName());
        return s;
    }

    /**
     * The command-line names of the kinds that take per-column weights, e.g. "bce and mse".
     *
     * @param pos true for positive-class weights, false for task weights
     * @return the names joined with ", " and a last " and "
     */
    public static String taking(boolean pos) {
        List<String> s = new ArrayList<String>();
        for (Kind k : ALL) if ((pos ? k.posWeightField() : k.taskWeightField()) != null) s.add(k.name());
        if (s.size() <= 1) return String.join("", s);
        return String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.get(s.size() - 1);
    }

    /**
     * A metric with 4 decimals, or "-" when undefined.
     *
     * @param v the value, NaN when undefined
     * @return the text
     */
    public static String num(double v) {
        return Double.isNaN(v) ? "-" : fixed(v, 4);
    }

    /**
     * A number with the given decimals, but in the short form 1.2346e+302 from 10⁶ on, so that a
     * blown-up loss prints a dozen characters, not 300 digits.
     *
     * @param v        the value
     * @param decimals the decimals below 10⁶
     * @return the text
     */
    public static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, Math.abs(v) >= 1e6 ? "%.4e" : "%." + decimals + "f", v);
    }

    /**
     * The width of a table's first column: its widest name, at least 4.
     *
     * @param names the row names
     * @return the width
     */
    static int width(List<String> names) {
        int width = 4;
        for (String n : names) width = Math.max(width, n.length());
        return width;
    }
}
