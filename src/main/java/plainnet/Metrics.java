package plainnet;

import java.util.Arrays;

/**
 * Evaluation metrics computed on labeled entries only. See SPEC.md §18, "Metrics".
 *
 * <p>Binary (one per sigmoid output k, over the rows n where entry (n, k) is labeled): the
 * prediction is positive when z ≥ 0 (σ(z) ≥ 0.5) and the label is positive when y ≥ 0.5.
 * accuracy = (TP + TN) / count, precision = TP / (TP + FP), recall = TP / (TP + FN),
 * F1 = 2·TP / (2·TP + FP + FN), ROC AUC by the rank-sum (Mann–Whitney) formula with tied scores
 * given their average rank. A metric whose denominator is 0 is NaN ("undefined").
 *
 * <p>Softmax: over labeled rows, the prediction is the first k with the largest z, the label the
 * first k with the largest y; accuracy and the confusion matrix C[label][prediction].
 *
 * <p>Index letters: N rows (n), K outputs (k).
 */
public final class Metrics {

    private Metrics() {}

    /** The metrics of one binary output. */
    public static final class Binary {
        /** Labeled entries of the output. */
        public final int count;
        /** Labeled entries whose label is positive (y ≥ 0.5): TP + FN. */
        public final int positives;
        /** True positives: z ≥ 0 and y ≥ 0.5. */
        public final int tp;
        /** False positives: z ≥ 0 and y &lt; 0.5. */
        public final int fp;
        /** True negatives: z &lt; 0 and y &lt; 0.5. */
        public final int tn;
        /** False negatives: z &lt; 0 and y ≥ 0.5. */
        public final int fn;
        /** (TP + TN) / count; NaN when nothing is labeled. */
        public final double accuracy;
        /** TP / (TP + FP); NaN when nothing is predicted positive. */
        public final double precision;
        /** TP / (TP + FN); NaN when no label is positive. */
        public final double recall;
        /** 2·TP / (2·TP + FP + FN); NaN when there is no positive label and no positive prediction. */
        public final double f1;
        /** ROC AUC of the scores z (see {@link Metrics#auc}); NaN when one class is absent. */
        public final double auc;

        Binary(int tp, int fp, int tn, int fn, double auc) {
            this.tp = tp;
            this.fp = fp;
            this.tn = tn;
            this.fn = fn;
            this.count = tp + fp + tn + fn;
            this.positives = tp + fn;
            this.accuracy = ratio(tp + tn, count);
            this.precision = ratio(tp, tp + fp);
            this.recall = ratio(tp, tp + fn);
            this.f1 = ratio(2 * tp, 2 * tp + fp + fn);
            this.auc = auc;
        }
    }

    /**
     * Metrics of every column k of z (N, K) against the labeled entries of t, for sigmoid outputs.
     *
     * @param z logits (N, K); a prediction is positive when z ≥ 0, i.e. σ(z) ≥ 0.5
     * @param t targets (N, K); a label is positive when y ≥ 0.5
     * @return K metrics, one per column
     * @throws IllegalArgumentException if z is not of t's shape (N, K)
     */
    public static Binary[] binary(double[][] z, Targets t) {
        Targets.checkLogits(z, t);
        int N = t.rows(), K = t.columns();
        Binary[] out = new Binary[K];
        for (int k = 0; k < K; k++) {
            int tp = 0, fp = 0, tn = 0, fn = 0;
            double[] score = new double[N];   // (count) scores of labeled rows
            boolean[] pos = new boolean[N];   // (count) their labels
            int c = 0;
            for (int n = 0; n < N; n++) {
                if (!t.labeled[n][k]) continue;
                boolean p = z[n][k] >= 0.0;
                boolean y = t.y[n][k] >= 0.5;
                if (p && y) tp++;
                else if (p) fp++;
                else if (y) fn++;
                else tn++;
                score[c] = z[n][k];
                pos[c] = y;
                c++;
            }
            out[k] = new Binary(tp, fp, tn, fn, auc(Arrays.copyOf(score, c), Arrays.copyOf(pos, c)));
        }
        return out;
    }

    /**
     * ROC AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊·n₋), where R₊ is the sum of the ranks (1-based, in
     * ascending score order, ties given their average rank) of the positives; NaN when either
     * class is absent. Equals the probability that a random positive scores above a random
     * negative, ties counting one half.
     *
     * @param score    (M) the scores of M labeled entries
     * @param positive (M) their labels
     * @return the AUC in [0, 1], or NaN
     * @throws IllegalArgumentException if the two arrays are null or of different lengths
     */
    public static double auc(double[] score, boolean[] positive) {
        if (score == null || positive == null || score.length != positive.length) {
            throw new IllegalArgumentException("auc: expected scores and labels of the same length, found "
                + (score == null ? "null" : String.valueOf(score.length)) + " and " + (positive == null ? "null" : String.valueOf(positive.length)));
        }
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Arrays.sort(order, (p, q) -> Double.compare(score[p], score[q]));
        double rankSum = 0.0;
        long nPos = 0;
        int j = 0;
        while (j < n) {
            int end = j;
            while (end + 1 < n && score[order[end + 1]] == score[order[j]]) end++;
            double rank = (j + 1 + end + 1) / 2.0; // average of ranks j+1 .. end+1
            for (int r = j; r <= end; r++) {
                if (positive[order[r]]) {
                    rankSum += rank;
                    nPos++;
                }
            }
            j = end + 1;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) return Double.NaN;
        return (rankSum - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }

    /** Softmax metrics: accuracy over labeled rows and the confusion matrix. */
    public static final class Classes {
        /** Labeled rows. */
        public final int count;
        /** Labeled rows whose prediction is their label: the trace of {@link #confusion}. */
        public final int correct;
        /** correct / count; NaN when no row is labeled. */
        public final double accuracy;
        /** C[label][prediction], (K, K). */
        public final int[][] confusion;

        Classes(int[][] confusion) {
            int count = 0, correct = 0;
            for (int k = 0; k < confusion.length; k++) {
                for (int j = 0; j < confusion.length; j++) {
                    count += confusion[k][j];
                    if (k == j) correct += confusion[k][j];
                }
            }
            this.count = count;
            this.correct = correct;
            this.accuracy = ratio(correct, count);
            this.confusion = confusion;
        }
    }

    /**
     * Softmax metrics of z (N, K) against the labeled rows of t: prediction argmaxₖ z_nk, label
     * argmaxₖ y_nk, the first index on ties.
     *
     * @param z logits (N, K)
     * @param t targets (N, K), each row labeled or unlabeled as a whole
     * @return accuracy and the confusion matrix (K, K)
     * @throws IllegalArgumentException if z is not of t's shape (N, K)
     */
    public static Classes classes(double[][] z, Targets t) {
        Targets.checkLogits(z, t);
        int K = t.columns();
        int[][] confusion = new int[K][K];
        for (int n = 0; n < t.rows(); n++) {
            if (!t.labeled[n][0]) continue;
            confusion[argmax(t.y[n])][argmax(z[n])]++;
        }
        return new Classes(confusion);
    }

    /**
     * The first index of the largest value: the predicted class of a row of softmax outputs.
     *
     * @param v the values, at least one
     * @return the index of the largest (the first on a tie)
     */
    public static int argmax(double[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) if (v[k] > v[best]) best = k;
        return best;
    }

    private static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
