package plainnet.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import plainnet.Rng;
import plainnet.Targets;

/**
 * Examples read from a CSV file: features x (N, I) and labels y (N, K) with a mask, where an
 * empty label field or {@code ?} means unlabeled. See SPEC.md §17, "Data file".
 *
 * <p>Columns are chosen by a spec: a comma-separated list of items, each a column name, a range
 * {@code FIRST..LAST} of names (inclusive, in header order), or {@code last:k} for the last k
 * columns. By default the labels are the last column and the features every other column.
 */
public final class Dataset {

    /** Features (N, I), finite. */
    public final double[][] x;
    /** Labels (N, K) and mask; null for data read without labels ({@link #features}). */
    public final Targets t;
    /** Feature column names (I), in the order of x's columns. */
    public final List<String> features;
    /** Label column names (K), in the order of y's columns; empty for data read without labels. */
    public final List<String> labels;
    /** The file line of each row (N), for messages. */
    public final int[] lines;

    Dataset(double[][] x, Targets t, List<String> features, List<String> labels, int[] lines) {
        this.x = x;
        this.t = t;
        this.features = features;
        this.labels = labels;
        this.lines = lines;
    }

    /**
     * Number of rows N.
     *
     * @return N
     */
    public int size() {
        return x.length;
    }

    /**
     * Reads a CSV file.
     *
     * @param path        the data file
     * @param featureSpec the feature columns, or null for every column that is not a label
     * @param labelSpec   the label columns, or null for the last column
     * @return the rows: x (N, I), t (N, K)
     * @throws FormatException for an unreadable file, a bad spec, a missing column or a bad field,
     *                         naming the file, line and column
     * @throws IOException     for a failure of the file system while reading the records
     */
    public static Dataset load(Path path, String featureSpec, String labelSpec) throws IOException {
        return from(Csv.open(path, null, Long.MAX_VALUE), featureSpec, labelSpec);
    }

    /**
     * Builds a data set from CSV (its records are read once); see {@link #load}.
     *
     * @param csv         an opened or parsed CSV file
     * @param featureSpec the feature columns, or null (or {@code all}) for every column that is not a label
     * @param labelSpec   the label columns, or null for the last column
     * @return the rows: x (N, I), t (N, K)
     * @throws FormatException for a bad spec, a missing column or a bad field
     * @throws IOException     for a failure of the file system while reading the records
     */
    public static Dataset from(Csv csv, String featureSpec, String labelSpec) throws IOException {
        List<String> labels = labelSpec == null ? csv.header.subList(csv.header.size() - 1, csv.header.size()) : select(csv, labelSpec, "--labels");
        return fromColumns(csv, selectFeatures(csv, featureSpec, labels), labels);
    }

    /**
     * Resolves a feature spec: null or the word {@code all} (the whole spec) stands for every
     * column that is not one of the labels, in header order; anything else is a column spec
     * ({@link #select}). A column named {@code all} is chosen by the range {@code all..all}.
     *
     * @param csv         the file whose header the spec names
     * @param featureSpec the feature columns, or null or {@code all}
     * @param labels      the label columns, left out by null and {@code all}
     * @return the feature column names, in order
     * @throws FormatException as {@link #select}
     */
    public static List<String> selectFeatures(Csv csv, String featureSpec, List<String> labels) throws FormatException {
        if (featureSpec != null && !featureSpec.trim().equals(ALL)) return select(csv, featureSpec, "--features");
        List<String> features = new ArrayList<String>();
        Set<String> isLabel = new HashSet<String>(labels);
        for (String name : csv.header) if (!isLabel.contains(name)) features.add(name);
        return features;
    }

    /** The feature spec that stands for every column that is not a label ({@link #selectFeatures}). */
    public static final String ALL = "all";

    /**
     * A check of each row's labels while the records stream in, so that a label the caller cannot
     * use is reported at its line before the rest of the file is read (SPEC.md §17, "Reading").
     */
    public interface LabelCheck {
        /**
         * Checks one row's labels.
         *
         * @param file    the data file, for the message
         * @param line    the file line of the row
         * @param y       the row's labels (K); 0 where unlabeled
         * @param labeled the row's mask (K): false where the field is empty or {@code ?}
         * @throws FormatException naming the file, the line and the column when a label does not fit
         */
        void row(String file, int line, double[] y, boolean[] labeled) throws FormatException;
    }

    /**
     * Builds a data set from the named columns, in the given order (for example the feature names
     * stored in a model file). Every name must be a column of the header.
     *
     * @param csv      an opened or parsed CSV file
     * @param features the feature column names (I), I ≥ 1
     * @param labels   the label column names (K), K ≥ 1, none of them a feature
     * @return the rows: x (N, I), t (N, K)
     * @throws FormatException for a missing column, a column in both lists, an empty list or a bad field
     * @throws IOException     for a failure of the file system while reading the records
     */
    public static Dataset fromColumns(Csv csv, List<String> features, List<String> labels) throws IOException {
        return fromColumns(csv, features, labels, null);
    }

    /**
     * Builds a data set from the named columns, as {@link #fromColumns(Csv, List, List)}, checking
     * each row's labels with {@code check} as soon as the row is read.
     *
     * @param csv      an opened or parsed CSV file
     * @param features the feature column names (I), I ≥ 1
     * @param labels   the label column names (K), K ≥ 1, none of them a feature
     * @param check    the check of each row's labels, or null for none
     * @return the rows: x (N, I), t (N, K)
     * @throws FormatException for a missing column, a column in both lists, an empty list, a bad
     *                         field or a label the check refuses, whichever comes first in the file
     * @throws IOException     for a failure of the file system while reading the records
     */
    public static Dataset fromColumns(Csv csv, List<String> features, List<String> labels, LabelCheck check) throws IOException {
        for (String name : features) if (csv.column(name) < 0) throw missing(csv, name, "feature");
        for (String name : labels) if (csv.column(name) < 0) throw missing(csv, name, "label");
        if (labels.isEmpty()) throw new FormatException(csv.file, 1, 0, "expected at least one label column, found none");
        Set<String> isLabel = new HashSet<String>(labels);
        for (String name : features) {
            if (isLabel.contains(name)) throw new FormatException(csv.file, 1, 0, "expected feature and label columns to differ, found \"" + name + "\" in both");
        }
        if (features.isEmpty()) throw new FormatException(csv.file, 1, 0, "expected at least one feature column, found none");
        return read(csv, features, labels, check);
    }

    /**
     * Reads the records of csv into x (N, I) and, when labels are named, y (N, K) with the mask:
     * each row's numbers go straight from the record into its own arrays (SPEC.md, "Data file").
     */
    private static Dataset read(Csv csv, List<String> features, List<String> labels, LabelCheck check) throws IOException {
        int I = features.size(), K = labels.size();
        int[] featureColumn = new int[I], labelColumn = new int[K];
        for (int i = 0; i < I; i++) featureColumn[i] = csv.column(features.get(i));
        for (int k = 0; k < K; k++) labelColumn[k] = csv.column(labels.get(k));
        List<double[]> xs = new ArrayList<double[]>();
        List<double[]> ys = new ArrayList<double[]>();
        List<boolean[]> ms = new ArrayList<boolean[]>();
        int[] lines = new int[1024];
        CsvReader r = csv.records();
        try {
            while (r.nextRow(csv.header.size())) {
                int n = xs.size();
                if (n == lines.length) lines = java.util.Arrays.copyOf(lines, 2 * n);
                lines[n] = r.recordLine;
                double[] x = new double[I]; // (I)
                for (int i = 0; i < I; i++) {
                    x[i] = r.number(featureColumn[i]);
                    if (Double.isNaN(x[i]) || Double.isInfinite(x[i])) throw bad(r, featureColumn[i], features.get(i), "a finite number (features cannot be unlabeled)");
                }
                xs.add(x);
                if (K == 0) continue;
                double[] y = new double[K];   // (K)
                boolean[] m = new boolean[K]; // (K)
                for (int k = 0; k < K; k++) {
                    if (r.unlabeled(labelColumn[k])) continue;
                    y[k] = r.number(labelColumn[k]);
                    if (Double.isNaN(y[k]) || Double.isInfinite(y[k])) throw bad(r, labelColumn[k], labels.get(k), "a finite number, or an empty field or ? for unlabeled");
                    m[k] = true;
                }
                if (check != null) check.row(csv.file, r.recordLine, y, m);
                ys.add(y);
                ms.add(m);
            }
        } finally {
            r.close();
        }
        if (xs.isEmpty()) throw new FormatException(csv.file, 2, 0, "expected at least one data row after the header, found none");
        r.finished(xs.size());
        Targets t = K == 0 ? null : new Targets(ys.toArray(new double[0][]), ms.toArray(new boolean[0][]));
        return new Dataset(xs.toArray(new double[0][]), t, features, labels, java.util.Arrays.copyOf(lines, xs.size()));
    }

    private static FormatException bad(CsvReader r, int j, String column, String expected) {
        return new FormatException(r.file, r.recordLine, 0, "column " + column + ": expected " + expected + ", found \"" + r.text(j).trim() + "\"");
    }

    private static FormatException missing(Csv csv, String name, String role) {
        return new FormatException(csv.file, 1, 0, "expected a " + role + " column \"" + name + "\" in the header, found none (columns: " + abbreviate(csv.header) + ")");
    }

    /**
     * The named feature columns of every row, for prediction where no labels are needed: a data
     * set with no label columns and t null.
     *
     * @param csv      an opened or parsed CSV file
     * @param features the feature column names (I)
     * @return x (N, I); t null
     * @throws FormatException for a missing column or a field that is not a finite number
     * @throws IOException     for a failure of the file system while reading the records
     */
    public static Dataset features(Csv csv, List<String> features) throws IOException {
        for (String name : features) if (csv.column(name) < 0) throw missing(csv, name, "feature");
        return read(csv, features, new ArrayList<String>(), null);
    }

    /**
     * Resolves a column spec (names, FIRST..LAST ranges, last:k) against the header.
     *
     * @param csv    the file whose header the spec names
     * @param spec   comma-separated items: NAME, FIRST..LAST or last:k
     * @param option the option name used in messages, e.g. "--labels"
     * @return the column names, in the spec's order, each once
     * @throws FormatException for an empty item, an unknown name (with a "did you mean"), a reversed
     *                         range, a bad last:k or a column chosen twice
     */
    public static List<String> select(Csv csv, String spec, String option) throws FormatException {
        List<String> out = new ArrayList<String>();
        Set<String> chosen = new HashSet<String>();
        for (String raw : spec.split(",", -1)) {
            String item = raw.trim();
            if (item.isEmpty()) throw new FormatException(csv.file, 1, 0, option + " " + spec + ": expected a column name, a range A..B or last:k, found an empty item");
            List<String> cols = new ArrayList<String>();
            if (item.startsWith("last:")) {
                int k;
                try {
                    k = Integer.parseInt(item.substring(5));
                } catch (NumberFormatException e) {
                    k = -1;
                }
                if (k < 1 || k > csv.header.size()) {
                    throw new FormatException(csv.file, 1, 0, option + ": expected last:k with 1 <= k <= " + csv.header.size() + ", found \"" + item + "\"");
                }
                cols.addAll(csv.header.subList(csv.header.size() - k, csv.header.size()));
            } else if (item.contains("..")) {
                String a = item.substring(0, item.indexOf("..")).trim(), b = item.substring(item.indexOf("..") + 2).trim();
                int ia = column(csv, a, option), ib = column(csv, b, option);
                if (ia > ib) throw new FormatException(csv.file, 1, 0, option + ": expected a range FIRST..LAST in header order, found \"" + item + "\" (" + b + " comes before " + a + ")");
                cols.addAll(csv.header.subList(ia, ib + 1));
            } else {
                cols.add(csv.header.get(column(csv, item, option)));
            }
            for (String c : cols) {
                if (!chosen.add(c)) throw new FormatException(csv.file, 1, 0, option + ": expected each column once, found \"" + c + "\" twice");
                out.add(c);
            }
        }
        return out;
    }

    private static int column(Csv csv, String name, String option) throws FormatException {
        int j = csv.column(name);
        if (j < 0) {
            String near = csv.closest(name);
            throw new FormatException(csv.file, 1, 0, option + ": expected a column of the header, found \"" + name + "\""
                + (near == null ? "" : "; did you mean \"" + near + "\"?") + " (columns: " + abbreviate(csv.header) + ")");
        }
        return j;
    }

    /**
     * Column names for a message: all of them up to 8, else the first three, …, the last three.
     *
     * @param names column names
     * @return them joined with ", "
     */
    public static String abbreviate(List<String> names) {
        if (names.size() <= 8) return String.join(", ", names);
        return String.join(", ", names.subList(0, 3)) + ", …, " + String.join(", ", names.subList(names.size() - 3, names.size()));
    }

    /**
     * A column spec that selects exactly the given columns, written compactly: each run of
     * columns that are neighbours in the header as one range {@code FIRST..LAST}, a run of one as
     * its name; e.g. {@code pixel_0_0..pixel_7_7, even..prime} (with ", " between items, so it
     * pastes as a spec). Beyond 8 items, the first three, …, the last three.
     *
     * @param csv     the file whose header the columns come from
     * @param columns column names of that header
     * @return the spec
     */
    public static String ranges(Csv csv, List<String> columns) {
        List<String> items = new ArrayList<String>();
        int j = 0;
        while (j < columns.size()) {
            int first = j;
            while (j + 1 < columns.size() && csv.column(columns.get(j)) >= 0 && csv.column(columns.get(j + 1)) == csv.column(columns.get(j)) + 1) j++;
            items.add(j == first ? columns.get(first) : columns.get(first) + ".." + columns.get(j));
            j++;
        }
        return abbreviate(items);
    }

    /**
     * The rows at the given indices, in that order; the row arrays are shared, not copied.
     *
     * @param index row indices, each in [0, N); a data set with labels only
     * @return a data set of index.length rows
     */
    public Dataset rows(int[] index) {
        double[][] xs = new double[index.length][];
        double[][] ys = new double[index.length][];
        boolean[][] ms = new boolean[index.length][];
        int[] ls = new int[index.length];
        for (int j = 0; j < index.length; j++) {
            xs[j] = x[index[j]];
            ys[j] = t.y[index[j]];
            ms[j] = t.labeled[index[j]];
            ls[j] = lines[index[j]];
        }
        return new Dataset(xs, new Targets(ys, ms), features, labels, ls);
    }

    /**
     * Splits into (train, held out), the rows of {@link #splitRows}.
     *
     * @param fraction the share of rows held out, in (0, 1)
     * @param seed     the seed of the shuffle
     * @return {train, held out}
     * @throws IllegalArgumentException as {@link #splitRows}
     */
    public Dataset[] split(double fraction, long seed) {
        int[][] parts = splitRows(size(), fraction, seed);
        return new Dataset[] {rows(parts[0]), rows(parts[1])};
    }

    /**
     * The row indices of a split of N rows into (train, held out): the indices 0..N−1 are
     * shuffled with {@link Rng#shuffle} from {@code seed}; the first round(fraction·N) shuffled
     * rows are held out (in shuffled order), the rest are the training rows (in shuffled order).
     * The one validation split of SPEC.md §17, "Data file", also behind {@code train --split}.
     *
     * @param N        the number of rows
     * @param fraction the share of rows held out, in (0, 1)
     * @param seed     the seed of the shuffle
     * @return {train indices, held-out indices}
     * @throws IllegalArgumentException unless 0 &lt; fraction &lt; 1 and both parts are non-empty
     */
    public static int[][] splitRows(int N, double fraction, long seed) {
        int held = (int) Math.round(fraction * N);
        if (!(fraction > 0.0 && fraction < 1.0) || held < 1 || held > N - 1) {
            throw new IllegalArgumentException("split fraction: expected a number in (0, 1) leaving at least one row on each side of "
                + N + " rows, found " + fraction);
        }
        int[] order = new int[N];
        for (int n = 0; n < N; n++) order[n] = n;
        new Rng(seed).shuffle(order);
        int[] test = java.util.Arrays.copyOfRange(order, 0, held);
        int[] train = java.util.Arrays.copyOfRange(order, held, N);
        return new int[][] {train, test};
    }
}
