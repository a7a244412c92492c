package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final double TOL = 1e-15;

    @Test
    void auc_textbookExample_threeQuarters() {
        // Scores 0.1, 0.4, 0.35, 0.8 with labels 0, 0, 1, 1: of the 4 (positive, negative) pairs,
        // 3 rank the positive higher (0.35 < 0.4 is the one miss), so AUC = 3/4.
        Assert.assertClose("auc", 0.75, Metrics.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), TOL);
    }

    @Test
    void auc_ties_countHalf() {
        // One positive and one negative with the same score: the pair counts 1/2.
        Assert.assertClose("auc tie", 0.5, Metrics.auc(new double[] {2.0, 2.0}, new boolean[] {true, false}), TOL);
        // Positives {3, 1}, negatives {1, 0}: pairs (3,1) win, (3,0) win, (1,1) tie, (1,0) win → 3.5/4.
        Assert.assertClose("auc mixed", 0.875, Metrics.auc(new double[] {3, 1, 1, 0}, new boolean[] {true, true, false, false}), TOL);
    }

    @Test
    void auc_oneClassOnly_undefined() {
        assertThat(Metrics.auc(new double[] {1, 2}, new boolean[] {true, true})).isNaN();
        assertThat(Metrics.auc(new double[0], new boolean[0])).isNaN();
    }

    @Test
    void binary_countsOnlyLabeledEntries() {
        double[][] z = {{2.0, -1.0}, {-0.5, 3.0}, {1.0, 0.0}, {-2.0, 5.0}};
        double[][] y = {{1, 0}, {1, 1}, {0, Double.NaN}, {0, 1}};
        boolean[][] m = {{true, true}, {true, true}, {true, false}, {true, true}};
        Metrics.Binary[] r = Metrics.binary(z, new Targets(y, m));
        // Task 0: predictions +,-,+,- vs labels 1,1,0,0 → TP 1, FN 1, FP 1, TN 1.
        assertThat(new int[] {r[0].tp, r[0].fn, r[0].fp, r[0].tn, r[0].count, r[0].positives}).containsExactly(1, 1, 1, 1, 4, 2);
        Assert.assertClose("accuracy", 0.5, r[0].accuracy, TOL);
        Assert.assertClose("precision", 0.5, r[0].precision, TOL);
        Assert.assertClose("recall", 0.5, r[0].recall, TOL);
        Assert.assertClose("f1", 0.5, r[0].f1, TOL);
        // Scores 2, -0.5 (positives) vs 1, -2 (negatives): pairs won (2,1), (2,-2), (-0.5,-2) → 3/4.
        Assert.assertClose("auc", 0.75, r[0].auc, TOL);
        // Task 1: row 2 unlabeled; z -1, 3, 5 vs labels 0, 1, 1 → all correct; no negative predicted positive.
        assertThat(r[1].count).isEqualTo(3);
        Assert.assertClose("accuracy 1", 1.0, r[1].accuracy, TOL);
        Assert.assertClose("auc 1", 1.0, r[1].auc, TOL);
    }

    @Test
    void binary_noPositivePredictions_precisionUndefined() {
        Metrics.Binary[] r = Metrics.binary(new double[][] {{-1.0}, {-2.0}}, Targets.of(new double[][] {{0}, {1}}));
        assertThat(r[0].precision).isNaN();
        Assert.assertClose("recall", 0.0, r[0].recall, TOL);
    }

    @Test
    void classes_confusionOverLabeledRows() {
        double[][] z = {{3, 1, 0}, {0, 2, 1}, {0, 0, 9}, {5, 0, 0}};
        Targets t = Targets.ofClasses(new int[] {0, 2, -1, 0}, 3);
        Metrics.Classes c = Metrics.classes(z, t);
        assertThat(c.count).isEqualTo(3);
        assertThat(c.correct).isEqualTo(2);
        Assert.assertClose("accuracy", 2.0 / 3.0, c.accuracy, TOL);
        assertThat(c.confusion).isDeepEqualTo(new int[][] {{2, 0, 0}, {0, 0, 0}, {0, 1, 0}});
    }
}
