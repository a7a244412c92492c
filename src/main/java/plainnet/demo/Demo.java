package plainnet.demo;

import static plainnet.demo.Lab.mean;
import static plainnet.demo.Lab.sizeName;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import plainnet.demo.Transfer.Strategy;

/**
 * {@code make demo}: the lecture's claims about transfer and multi-task learning, measured on the
 * bundled handwritten digits. Three experiments, each repeated over seeds and disjoint data
 * windows, reported as mean ± standard deviation of test accuracy (599 test rows):
 *
 * <ol>
 *   <li>Transfer A → B ({@link Transfer}): A = the 10 digit classes (all 1198 training rows); B = one binary
 *       attribute of the digit with only N labeled rows. Scratch vs. retraining the new last
 *       layer, the last two layers, or everything (fine-tuning) from A's weights.</li>
 *   <li>Multi-task ({@link MultiTask}): one network with six sigmoid outputs and the masked loss vs. six separate
 *       networks, with about half the labels missing, at two hidden sizes; and the scarce case
 *       where one task has 20 labels.</li>
 *   <li>Negative control ({@link NegativeControl}): A = digits 0–4, B = digits 5–9 with N rows per class.</li>
 * </ol>
 *
 * Every run is deterministic (its own seeds), so the tables are the same on every machine and
 * for any number of threads. Networks: tanh hidden layers, identity output; Adam (lr 0.005) with
 * coupled L2 1e-4 on W; batch 32; about {@link Settings#steps} steps per run; inputs = pixels / 16
 * (the recipe and what the experiments share are in {@link Lab}). This class runs the three in
 * turn, prints the report and derives the verdicts from the tables.
 */
public final class Demo {

    /** What to run; the defaults are {@code make demo}'s. */
    public static final class Settings {
        public Path data = Paths.get("test-data/digits");
        public Path out = Paths.get("target/demo");
        public int repeats = 5;
        public int steps = 1500;
        public int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        public int[] transferSizes = {10, 20, 50, 100, ALL};
        public int[] controlSizes = {5, 20};
        public int[] hiddenSizes = {8, 32};
    }

    /** N meaning "every training row". */
    public static final int ALL = Integer.MAX_VALUE;

    private Demo() {}

    /** Runs the whole demo; returns the report text that was printed. */
    public static String run(Settings s, PrintStream out, PrintStream log) throws IOException {
        long start = System.nanoTime();
        DigitsData d = new DigitsData(s.data);
        checkRepeats(s, d);
        ExecutorService pool = Executors.newFixedThreadPool(s.threads);
        try {
            Lab lab = new Lab(s, d, log, pool);
            StringBuilder report = new StringBuilder();
            Files.createDirectories(s.out);

            writeCsvFiles(lab);
            Transfer t = Transfer.run(lab, "closed_loop");
            print(out, report, t.table());
            write(s.out.resolve("transfer.svg"), t.chart());

            List<MultiTask> ms = new ArrayList<MultiTask>();
            for (int H : s.hiddenSizes) ms.add(MultiTask.run(lab, d.multi, "about 50 % of the labels missing", H));
            MultiTask scarce = MultiTask.run(lab, d.scarce, "closed_loop has only 20 labels", s.hiddenSizes[s.hiddenSizes.length - 1]);
            for (MultiTask m : ms) print(out, report, m.table());
            print(out, report, scarce.table());
            write(s.out.resolve("multitask.svg"), ms.get(ms.size() - 1).chart());
            write(s.out.resolve("scarce.svg"), scarce.chart());

            NegativeControl c = NegativeControl.run(lab);
            print(out, report, c.table());

            print(out, report, verdicts(t, ms, scarce, c));
            print(out, report, String.format(Locale.ROOT, "%nDemo finished in %.1f s on %d thread(s); charts and report.txt in %s%n",
                (System.nanoTime() - start) / 1e9, s.threads, s.out));
            write(s.out.resolve("report.txt"), report.toString());
            return report.toString();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Writes the joined digits files for trying the command line (README, "Command line"):
     * pixels ÷ 16 with the digit and the six tasks, for the train and the test rows; and the
     * multi-task training files with empty fields for unlabeled entries.
     */
    static void writeCsvFiles(Lab lab) throws IOException {
        Path dir = lab.s.out;
        DigitsData d = lab.d;
        write(dir.resolve("digits_train.csv"), joined(d, lab.trainRows, null));
        write(dir.resolve("digits_test.csv"), joined(d, lab.testRows, null));
        write(dir.resolve("digits_multitask_train.csv"), joined(d, d.multiRows, d.multi));
        write(dir.resolve("digits_scarce_train.csv"), joined(d, d.multiRows, d.scarce));
    }

    /** CSV of the given rows: 64 pixel columns, then digit and the tasks (complete), or the tasks of {@code labels} (NaN = empty). */
    private static String joined(DigitsData d, int[] rowIds, double[][] labels) {
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < 64; i++) c.append("pixel_").append(i / 8).append('_').append(i % 8).append(',');
        c.append(labels == null ? "digit," : "");
        c.append(String.join(",", DigitsData.TASKS)).append('\n');
        for (int j = 0; j < rowIds.length; j++) {
            int r = rowIds[j];
            for (int i = 0; i < 64; i++) c.append(d.x[r][i]).append(',');
            if (labels == null) c.append(d.digit[r]).append(',');
            for (int k = 0; k < DigitsData.TASKS.length; k++) {
                double v = labels == null ? d.tasks[r][k] : labels[j][k];
                if (!Double.isNaN(v)) c.append((int) v);
                c.append(k + 1 < DigitsData.TASKS.length ? "," : "\n");
            }
        }
        return c.toString();
    }

    /**
     * Every repeat needs its own disjoint window of training rows: N·repeats rows for each
     * transfer size N, and N·repeats rows of every digit 5–9 for each control size.
     *
     * @throws IllegalArgumentException naming the limit when there are too many repeats
     */
    static void checkRepeats(Settings s, DigitsData d) {
        int train = 0;
        int[] perClass = new int[10];
        for (int r = 0; r < d.x.length; r++) {
            if (!d.train[r]) continue;
            train++;
            perClass[d.digit[r]]++;
        }
        for (int N : s.transferSizes) {
            if (N != ALL && (long) N * s.repeats > train) {
                throw new IllegalArgumentException("--repeats: expected at most " + train / N + " (disjoint windows of " + N + " of the " + train
                    + " training rows), found " + s.repeats);
            }
        }
        int fewest = Integer.MAX_VALUE;
        for (int c = 5; c < 10; c++) fewest = Math.min(fewest, perClass[c]);
        for (int N : s.controlSizes) {
            if ((long) N * s.repeats > fewest) {
                throw new IllegalArgumentException("--repeats: expected at most " + fewest / N + " (disjoint windows of " + N
                    + " rows of each digit 5-9, the rarest has " + fewest + " training rows), found " + s.repeats);
            }
        }
    }

    /** Prints a piece of the report as soon as it is ready and keeps it. */
    private static void print(PrintStream out, StringBuilder report, String text) {
        out.print(text);
        out.flush();
        report.append(text);
    }

    // ----------------------------------------------------------------------------------------
    // verdicts: what was and was not confirmed, computed from the tables above

    static String verdicts(Transfer t, List<MultiTask> ms, MultiTask scarce, NegativeControl c) {
        StringBuilder v = new StringBuilder("\nWhat the numbers say\n\n");
        int small = 0, large = t.sizes.length - 1;
        Strategy bestSmall = t.best(small), bestLarge = t.best(large);
        boolean smallOk = bestSmall == Strategy.LAST_LAYER || bestSmall == Strategy.LAST_TWO;
        v.append(String.format(Locale.ROOT, "- Little data for B (N = %s): best is \"%s\" (%.3f vs scratch %.3f). Lecture: retrain only the last layer(s): %s.%n",
            sizeName(t.sizes[small]), bestSmall.label, mean(t.acc[bestSmall.ordinal()][small]), mean(t.acc[0][small]), smallOk ? "CONFIRMED" : "NOT confirmed"));
        // With much data the lecture retrains more than the head: "maybe you can retrain all the
        // parameters". Confirmed when the best strategy retrains more than the last layer and
        // beats retraining the last layer only.
        double lastOnly = mean(t.acc[Strategy.LAST_LAYER.ordinal()][large]);
        boolean largeOk = bestLarge != Strategy.LAST_LAYER && mean(t.acc[bestLarge.ordinal()][large]) > lastOnly;
        v.append(String.format(Locale.ROOT, "- Much data for B (N = %s): best is \"%s\" (%.3f; fine-tune all %.3f; last layer only %.3f). Lecture: retrain more, up to all parameters: %s.%n",
            sizeName(t.sizes[large]), bestLarge.label, mean(t.acc[bestLarge.ordinal()][large]), mean(t.acc[Strategy.FINE_TUNE.ordinal()][large]), lastOnly,
            largeOk ? "CONFIRMED" : "NOT confirmed"));
        for (MultiTask m : ms) {
            double diff = mean(m.taskMean(m.multi)) - mean(m.taskMean(m.separate));
            v.append(String.format(Locale.ROOT, "- Multi-task vs separate, H = %d, %s: mean difference %+.3f. Lecture: sharing should rarely hurt if the network is big enough: %s.%n",
                m.H, m.what, diff, diff >= -0.01 ? "CONFIRMED (no loss beyond 0.01)" : "sharing HURT here (difference below -0.01)"));
        }
        int cl = index("closed_loop");
        double sd = mean(scarce.multi[cl]) - mean(scarce.separate[cl]);
        v.append(String.format(Locale.ROOT, "- Scarce task (closed_loop, %d labels): multi-task %.3f vs separate %.3f (%+.3f). Shared features help a task with few labels: %s.%n",
            scarce.labeled[cl], mean(scarce.multi[cl]), mean(scarce.separate[cl]), sd, sd > 0.01 ? "CONFIRMED" : "NOT confirmed"));
        boolean controlNoGain = true;
        for (int j = 0; j < c.sizes.length; j++) if (mean(c.acc[1][j]) > mean(c.acc[0][j]) + 0.01) controlNoGain = false;
        v.append(controlNoGain
            ? "- Negative control (digits 0-4 -> 5-9): transfer gave no gain, as expected when A's features are no better than the raw pixels.\n"
            : "- Negative control (digits 0-4 -> 5-9): transfer DID give a gain (unexpected for this control).\n");
        return v.toString();
    }

    /** The column of a task in {@link DigitsData#TASKS}. */
    static int index(String task) {
        for (int k = 0; k < DigitsData.TASKS.length; k++) if (DigitsData.TASKS[k].equals(task)) return k;
        throw new IllegalArgumentException("task: expected one of " + String.join(", ", DigitsData.TASKS) + ", found " + task);
    }

    private static void write(Path p, String text) throws IOException {
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
    }
}
