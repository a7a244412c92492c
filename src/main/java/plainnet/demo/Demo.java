package plainnet.demo;

import static plainnet.demo.Lab.mean;
import static plainnet.demo.Lab.noise;
import static plainnet.demo.Lab.pm;
import static plainnet.demo.Lab.pmDiff;
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
 * bundled handwritten digits. Four experiments, each repeated R times; every repeat draws its
 * own validation split from the training rows, its own training rows and label mask, and its own
 * seeds. Reported as mean ± standard error of test accuracy (599 test rows):
 *
 * <ol>
 *   <li>Transfer A → B ({@link Transfer}): A = the 10 digit classes; B = one binary attribute of
 *       the digit with only N labeled rows. Scratch vs. retraining the new last layer, the last
 *       two layers, or the last layer and then everything (fine-tuning), as the CLI offers them.</li>
 *   <li>Multi-task ({@link MultiTask}): one network with six sigmoid outputs and the masked loss vs. six separate
 *       networks, with about half the labels missing, at two hidden sizes; and the scarce case
 *       where one task has 20 labels.</li>
 *   <li>Negative control ({@link NegativeControl}): A = digits 0–4, B = digits 5–9 with N rows per class.</li>
 *   <li>Mixed tasks ({@link MixedTasks}): the digit (softmax) and the six attributes (sigmoid) on one
 *       trunk with a tower per task vs separate networks and the all-sigmoid network; then a seventh
 *       task with 20 labels added to the trained network vs trained alone.</li>
 * </ol>
 *
 * Every run is deterministic (its own seeds), so the tables are the same on every machine and
 * for any number of threads. Networks: tanh hidden layers, identity output; Adam with coupled L2
 * 1e-4 on W; batch 32; at most about {@link Settings#steps} steps per run; every compared arm
 * tries the same few learning rates and keeps the rate and epoch with the lowest validation loss;
 * inputs = pixels / 16 (the recipe and what the experiments share are in {@link Lab}). This class
 * runs the four in turn, prints the report and derives the verdicts from the tables.
 */
public final class Demo {

    /** What to run; the defaults are {@code make demo}'s. */
    public static final class Settings {
        /** The folder of the digits files (train.csv, test.csv). */
        public Path data = Paths.get("test-data/digits");
        /** The folder for the report and its SVG figures. */
        public Path out = Paths.get("target/demo");
        /** R, the repeats of every setting (2–100); each draws its own split, rows, mask and seeds. */
        public int repeats = 5;
        /** About how many training steps each run takes. */
        public int steps = 1500;
        /** Threads running the independent runs (the results do not depend on it). */
        public int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        /** The labeled-row counts N of task B in the transfer experiment; {@link Demo#ALL} for every row. */
        public int[] transferSizes = {10, 20, 50, 100, ALL};
        /** Rows per class of task B in the negative control. */
        public int[] controlSizes = {5, 20};
        /** The hidden-layer widths of the multi-task experiment. */
        public int[] hiddenSizes = {8, 32};

        /** The settings of {@code make demo}. */
        public Settings() {}
    }

    /** N meaning "every training row". */
    public static final int ALL = Integer.MAX_VALUE;

    private Demo() {}

    /**
     * Runs the whole demo (SPEC.md §20) and writes the report and figures into {@code s.out}.
     *
     * @param s   what to run
     * @param out where the report is printed
     * @param log where progress is printed
     * @return the report text that was printed
     * @throws IOException if the digits cannot be read or the report cannot be written
     */
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
            for (int H : s.hiddenSizes) ms.add(MultiTask.run(lab, false, "about 50 % of the labels missing", H));
            MultiTask scarce = MultiTask.run(lab, true, "closed_loop has only " + MultiTask.SCARCE + " labels", s.hiddenSizes[s.hiddenSizes.length - 1]);
            for (MultiTask m : ms) print(out, report, m.table());
            print(out, report, scarce.table());
            write(s.out.resolve("multitask.svg"), ms.get(ms.size() - 1).chart());
            write(s.out.resolve("scarce.svg"), scarce.chart());

            NegativeControl c = NegativeControl.run(lab);
            print(out, report, c.table());

            MixedTasks mixed = MixedTasks.run(lab);
            print(out, report, mixed.table());
            write(s.out.resolve("mixed.svg"), mixed.chart());

            print(out, report, verdicts(t, ms, scarce, c) + mixed.verdicts());
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

    /** Repeats are seeded r = 0 … R − 1 within blocks of seeds 1000 apart (the separate networks use 10·r + k). */
    static final int MAX_REPEATS = 100;

    /**
     * Checks that the standard error exists (R ≥ 2), that the seed blocks of the experiments do not
     * overlap (R ≤ MAX_REPEATS), and that every transfer size fits in the training rows outside the
     * validation split.
     *
     * @throws IllegalArgumentException naming the limit
     */
    static void checkRepeats(Settings s, DigitsData d) {
        if (s.repeats < 2 || s.repeats > MAX_REPEATS) {
            throw new IllegalArgumentException("--repeats: expected at most " + MAX_REPEATS + " (beyond, the experiments' seed blocks overlap) and at least 2"
                + " (for a standard error), found " + s.repeats);
        }
        int train = 0;
        for (int r = 0; r < d.x.length; r++) if (d.train[r]) train++;
        for (int N : s.transferSizes) {
            if (N != ALL && N > train - Lab.VALIDATION) {
                throw new IllegalArgumentException("transfer size: expected at most " + (train - Lab.VALIDATION) + " (the training rows outside the "
                    + Lab.VALIDATION + " validation rows), found " + N);
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
        StringBuilder v = new StringBuilder("\nWhat the numbers say (test accuracy of what validation chose; ≈ = within noise, SPEC.md section 20)\n\n");
        int small = 0, large = t.sizes.length - 1;
        double[] scratch = t.acc[Strategy.SCRATCH.ordinal()][small];
        Strategy chosenSmall = t.chosen(small);
        double[] a = t.acc[chosenSmall.ordinal()][small];
        boolean smallOk = (chosenSmall == Strategy.LAST_LAYER || chosenSmall == Strategy.LAST_TWO) && mean(a) > mean(scratch) && !noise(a, scratch);
        v.append(String.format(Locale.ROOT, "- Little data for B (N = %s): validation chose \"%s\"%s: %s vs scratch %s (%s%s). Lecture: retrain only the last layer(s): %s.%n",
            sizeName(t.sizes[small]), chosenSmall.label, choice(t, small), pm(a), pm(scratch), pmDiff(a, scratch), noise(a, scratch) ? " ≈" : "",
            smallOk ? "CONFIRMED" : "NOT confirmed"));
        // With much data the lecture retrains more than the head: "maybe you can retrain all the
        // parameters". Confirmed when validation chose a strategy that retrains more than the last
        // layer and it beats retraining the last layer only by more than the noise.
        Strategy chosenLarge = t.chosen(large);
        double[] b = t.acc[chosenLarge.ordinal()][large], lastOnly = t.acc[Strategy.LAST_LAYER.ordinal()][large];
        boolean largeOk = chosenLarge != Strategy.LAST_LAYER && mean(b) > mean(lastOnly) && !noise(b, lastOnly);
        v.append(String.format(Locale.ROOT, "- Much data for B (N = %s): validation chose \"%s\"%s: %s vs last layer only %s (%s%s). Lecture: retrain more, up to all parameters: %s.%n",
            sizeName(t.sizes[large]), chosenLarge.label, choice(t, large), pm(b), pm(lastOnly), pmDiff(b, lastOnly), noise(b, lastOnly) ? " ≈" : "",
            largeOk ? "CONFIRMED" : "NOT confirmed"));
        for (MultiTask m : ms) {
            double[] mm = m.taskMean(m.multi), sm = m.taskMean(m.separate);
            double diff = mean(mm) - mean(sm);
            v.append(String.format(Locale.ROOT, "- Multi-task vs separate, H = %d, %s: mean difference %s%s. Lecture: sharing should rarely hurt if the network is big enough: %s.%n",
                m.H, m.what, pmDiff(mm, sm), noise(mm, sm) ? " ≈" : "", diff >= -0.01 ? "CONFIRMED (no loss beyond 0.01)" : "sharing HURT here (difference below -0.01)"));
        }
        int cl = index("closed_loop");
        double[] sm = scarce.multi[cl], ss = scarce.separate[cl];
        boolean scarceOk = mean(sm) - mean(ss) > 0.01 && !noise(sm, ss);
        v.append(String.format(Locale.ROOT, "- Scarce task (closed_loop, %.0f labels): multi-task %s vs separate %s (%s%s). Shared features help a task with few labels: %s.%n",
            scarce.labeled[cl], pm(sm), pm(ss), pmDiff(sm, ss), noise(sm, ss) ? " ≈" : "", scarceOk ? "CONFIRMED" : "NOT confirmed"));
        v.append("  (closed_loop is a function of the other five labels, which fix the digit: the best case for sharing.)\n");
        boolean controlNoGain = true;
        for (int j = 0; j < c.sizes.length; j++) if (mean(c.acc[1][j]) > mean(c.acc[0][j]) + 0.01) controlNoGain = false;
        v.append(controlNoGain
            ? "- Negative control (digits 0-4 -> 5-9): transfer gave no gain, as expected when A's features are no better than the raw pixels.\n"
            : "- Negative control (digits 0-4 -> 5-9): transfer DID give a gain (unexpected for this control).\n");
        return v.toString();
    }

    /** " (≈ runner-up)" when validation cannot tell its choice at size index j from the runner-up, else "". */
    private static String choice(Transfer t, int j) {
        return t.choiceInNoise(j) ? " (≈ \"" + t.runnerUp(j).label + "\")" : "";
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
