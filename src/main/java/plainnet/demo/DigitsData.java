package plainnet.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import plainnet.io.Csv;
import plainnet.io.FormatException;

/**
 * The bundled handwritten-digits data (test-data/digits/, CC BY 4.0), joined by row id:
 * pixels scaled to [0, 1] (÷16), the digit, the fixed train/test split, the {@code order} and
 * {@code rank_in_class} columns, the six binary task labels, and the two multi-task training
 * files with their unlabeled entries. See test-data/README.md.
 */
final class DigitsData {

    static final String[] TASKS = {"even", "greater_than_4", "closed_loop", "prime", "multiple_of_3", "straight_strokes_only"};

    /** Pixels / 16 (R, 64), digit (R), split (R, true = train), order (R), rank_in_class (R), task labels (R, 6); R = 1797 rows. */
    final double[][] x;
    final int[] digit, order, rankInClass;
    final boolean[] train;
    final double[][] tasks;
    /** Multi-task training files: row ids (1198) and labels (1198, 6), NaN where unlabeled. */
    final int[] multiRows;
    final double[][] multi, scarce;

    DigitsData(Path dir) throws IOException {
        Csv raw = read(dir.resolve("digits.csv"));
        Csv meta = read(dir.resolve("digits_tasks.csv"));
        int R = raw.rows.size();
        if (meta.rows.size() != R) {
            throw new FormatException(meta.file, 0, 0, "expected " + R + " rows (as digits.csv), found " + meta.rows.size());
        }
        x = new double[R][64];
        digit = new int[R];
        order = new int[R];
        rankInClass = new int[R];
        train = new boolean[R];
        tasks = new double[R][TASKS.length];
        for (int r = 0; r < R; r++) {
            String[] f = raw.rows.get(r);
            for (int i = 0; i < 64; i++) x[r][i] = integer(raw, r, i, 0, 16) / 16.0;
            digit[r] = integer(raw, r, 64, 0, 9);
            String[] m = meta.rows.get(r);
            if (integer(meta, r, meta.column("row"), 0, R - 1) != r) {
                throw new FormatException(meta.file, meta.lines.get(r), 0, "column row: expected " + r + ", found \"" + m[meta.column("row")] + "\"");
            }
            String split = m[meta.column("split")];
            if (!split.equals("train") && !split.equals("test")) {
                throw new FormatException(meta.file, meta.lines.get(r), 0, "column split: expected train or test, found \"" + split + "\"");
            }
            train[r] = split.equals("train");
            order[r] = integer(meta, r, meta.column("order"), 0, R);
            rankInClass[r] = integer(meta, r, meta.column("rank_in_class"), 0, R);
            for (int k = 0; k < TASKS.length; k++) tasks[r][k] = integer(meta, r, column(meta, TASKS[k]), 0, 1);
            if (f.length != 65) throw new FormatException(raw.file, raw.lines.get(r), 0, "expected 65 fields, found " + f.length);
        }
        Csv m1 = read(dir.resolve("digits_multitask_train.csv"));
        Csv m2 = read(dir.resolve("digits_multitask_scarce_train.csv"));
        multiRows = new int[m1.rows.size()];
        multi = labels(m1, multiRows);
        int[] rows2 = new int[m2.rows.size()];
        scarce = labels(m2, rows2);
        if (!java.util.Arrays.equals(multiRows, rows2)) {
            throw new FormatException(m2.file, 0, 0, "expected the same rows as " + m1.file + ", found others");
        }
    }

    private static Csv read(Path p) throws IOException {
        if (!Files.exists(p)) throw new FormatException(p.toString(), 0, 0, "expected the bundled digits file, found no such file");
        return Csv.parse(new String(Files.readAllBytes(p), StandardCharsets.UTF_8), p.toString());
    }

    private static int column(Csv csv, String name) throws FormatException {
        int j = csv.column(name);
        if (j < 0) throw new FormatException(csv.file, 1, 0, "expected a column " + name + ", found none");
        return j;
    }

    private static int integer(Csv csv, int r, int j, int lo, int hi) throws FormatException {
        String s = csv.rows.get(r)[j].trim();
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            v = Integer.MIN_VALUE;
        }
        if (v < lo || v > hi) {
            throw new FormatException(csv.file, csv.lines.get(r), 0, "column " + csv.header.get(j) + ": expected a whole number in [" + lo + ", " + hi + "], found \"" + s + "\"");
        }
        return v;
    }

    private double[][] labels(Csv csv, int[] rows) throws FormatException {
        double[][] y = new double[csv.rows.size()][TASKS.length];
        int rowColumn = column(csv, "row");
        for (int n = 0; n < csv.rows.size(); n++) {
            rows[n] = integer(csv, n, rowColumn, 0, x.length - 1);
            for (int k = 0; k < TASKS.length; k++) {
                String s = csv.rows.get(n)[column(csv, TASKS[k])].trim();
                y[n][k] = s.isEmpty() ? Double.NaN : integer(csv, n, column(csv, TASKS[k]), 0, 1);
                if (!Double.isNaN(y[n][k]) && y[n][k] != tasks[rows[n]][k]) {
                    throw new FormatException(csv.file, csv.lines.get(n), 0, "column " + TASKS[k] + ": expected the label of digits_tasks.csv (" + (int) tasks[rows[n]][k] + "), found " + s);
                }
            }
        }
        return y;
    }

    /** Indices of the rows that satisfy a condition, in row order. */
    int[] rows(IntPredicate test) {
        List<Integer> out = new ArrayList<Integer>();
        for (int r = 0; r < x.length; r++) if (test.test(r)) out.add(r);
        int[] a = new int[out.size()];
        for (int j = 0; j < a.length; j++) a[j] = out.get(j);
        return a;
    }
}
