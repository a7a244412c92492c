package plainnet.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import plainnet.BinaryCrossEntropy;
import plainnet.Group;
import plainnet.GroupedLoss;
import plainnet.MeanSquaredError;
import plainnet.Reduction;
import plainnet.SoftmaxCrossEntropy;
import plainnet.Targets;

/** The loss-kind door: lookups, the package's imports, and each kind's label, name and predict rules against hand values. */
class KindsTest {

    @Test
    void of_eachLoss_givesItsKindAndNames() {
        assertThat(Kinds.of(new BinaryCrossEntropy())).isSameAs(Kinds.BCE);
        assertThat(Kinds.of(new SoftmaxCrossEntropy())).isSameAs(Kinds.SOFTMAX);
        assertThat(Kinds.of(new MeanSquaredError())).isSameAs(Kinds.MSE);
        assertThat(Kinds.names()).containsExactly("bce", "softmax", "mse");
        for (Kind k : Kinds.ALL) {
            assertThat(Kinds.named(k.name())).isSameAs(k);
            assertThat(Kinds.byFileName(k.fileName())).isSameAs(k);
            assertThat(k.loss(Reduction.PER_EXAMPLE, null, null).name()).isEqualTo(k.fileName());
        }
        assertThat(Kinds.named("softmx")).isNull();
        assertThat(Kinds.taking(false)).isEqualTo("bce and mse");
        assertThat(Kinds.taking(true)).isEqualTo("bce");
    }

    @Test
    void metricDirection_accuracyHigherIsBetter_mseLowerIsBetter() {
        // accuracy (softmax, bce) is a score, mse an error: the comparisons choose the highest score or the lowest error
        assertThat(Kinds.SOFTMAX.metricLowerIsBetter()).isFalse();
        assertThat(Kinds.BCE.metricLowerIsBetter()).isFalse();
        assertThat(Kinds.MSE.metricLowerIsBetter()).isTrue();
        for (Kind k : new Kind[] {Kinds.SOFTMAX, Kinds.BCE, Kinds.MSE}) assertThat(k.metricLowerIsBetter()).isEqualTo(k.metricName().equals("mse"));
    }

    @Test
    void of_groupedLoss_isRefused() {
        GroupedLoss g = new GroupedLoss(new Group("a", 1, new BinaryCrossEntropy()));
        assertThatThrownBy(() -> Kinds.of(g)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GroupedLoss");
    }

    @Test
    void package_importsOnlyCoreAndJava() throws Exception {
        Pattern imp = Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);
        try (Stream<Path> files = Files.list(Path.of("src/main/java/plainnet/kinds"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = imp.matcher(Files.readString(p));
                while (m.find()) {
                    String name = m.group(2);
                    boolean core = name.startsWith("plainnet.") && name.indexOf('.', "plainnet.".length()) < 0;
                    assertThat(core || name.startsWith("java.")).as(p + " imports " + name).isTrue();
                }
            }
        }
    }

    @Test
    void labels_eachKind_acceptsItsOwnAndHintsAtTheOther() {
        assertThat(Kinds.BCE.accepts(0.5, 0)).isTrue();
        assertThat(Kinds.BCE.accepts(2.0, 0)).isFalse();
        assertThat(Kinds.BCE.hint(2.0, 1, k -> "--loss " + k)).isEqualTo("; did you mean --loss softmax? (the column looks like class indices 0, 1, 2, …)");
        assertThat(Kinds.BCE.hint(-3.5, 1, k -> "--loss " + k)).isEqualTo("; for numbers outside [0, 1] use --loss mse");
        assertThat(Kinds.SOFTMAX.accepts(2.0, 0)).isTrue();
        assertThat(Kinds.SOFTMAX.accepts(2.0, 2)).isFalse();
        assertThat(Kinds.SOFTMAX.accepts(0.5, 0)).isFalse();
        assertThat(Kinds.SOFTMAX.expectedLabel(3)).isEqualTo("a class index 0..2");
        assertThat(Kinds.SOFTMAX.hint(0.5, 1, k -> "--loss " + k)).isEqualTo("; did you mean --loss bce? (a label in [0, 1] that is not a class index)");
        assertThat(Kinds.MSE.accepts(-1e300, 0)).isTrue();
    }

    @Test
    void softmax_targetsAndNames_oneHotFromTheClassColumn() {
        // a class column 2, unlabeled, 0 → C = 3 from the data; names digit=0..2 and back to the column
        Targets raw = new Targets(new double[][] {{2}, {0}, {0}}, new boolean[][] {{true}, {false}, {true}});
        int K = Kinds.SOFTMAX.outputs(raw, 0);
        assertThat(K).isEqualTo(3);
        assertThat(Kinds.SOFTMAX.outputs(raw, 5)).isEqualTo(5);
        Targets t = Kinds.SOFTMAX.targets(raw, K);
        assertThat(t.y[0]).containsExactly(0, 0, 1);
        assertThat(t.labeled[1]).containsExactly(false, false, false);
        assertThat(t.y[2]).containsExactly(1, 0, 0);
        List<String> names = Kinds.SOFTMAX.outputNames(List.of("digit"), K);
        assertThat(names).containsExactly("digit=0", "digit=1", "digit=2");
        assertThat(Kinds.SOFTMAX.labelColumns(names)).containsExactly("digit");
        assertThat(Kinds.BCE.labelColumns(List.of("a", "b"))).containsExactly("a", "b");
    }

    @Test
    void predict_eachKind_handValues() {
        // σ(0) = 1/2, σ(ln 3) = 3/4; softmax of (0, ln 3) = (1/4, 3/4); mse: z itself
        double ln3 = Math.log(3);
        assertThat(Kinds.BCE.predict(new double[] {0, ln3})).containsExactly(new double[] {0.5, 0.75}, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(Kinds.SOFTMAX.predict(new double[] {0, ln3})).containsExactly(new double[] {0.25, 0.75}, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(Kinds.MSE.predict(new double[] {-2.5, 7})).containsExactly(-2.5, 7);
        assertThat(Kinds.SOFTMAX.onnxOp()).isEqualTo("Softmax");
        assertThat(Kinds.BCE.onnxOp()).isEqualTo("Sigmoid");
        assertThat(Kinds.MSE.onnxOp()).isEqualTo("Identity");
    }

    @Test
    void mseTable_inAGroup_addsRmseAndMaeOverLabeledEntriesOnly() {
        // errors 3 and −4 labeled, a third entry unlabeled with a huge error: mse 12.5, rmse √12.5, mae 3.5
        double[][] z = {{4}, {-4}, {1e9}};
        Targets t = new Targets(new double[][] {{1}, {0}, {0}}, new boolean[][] {{true}, {true}, {false}});
        String s = Kinds.MSE.table(new MeanSquaredError(), z, t, List.of("price"), true);
        assertThat(s.split("\n")[0].trim().split(" +")).containsExactly("output", "labeled", "mean", "sq", "err", "rmse", "mae");
        assertThat(s.split("\n")[1].trim().split(" +")).containsExactly("price", "2", "12.5000", String.format(java.util.Locale.ROOT, "%.4f", Math.sqrt(12.5)), "3.5000");
        assertThat(Kinds.MSE.table(new MeanSquaredError(), z, t, List.of("price"), false)).doesNotContain("rmse");
        assertThat(Kinds.MSE.metric(z, t)).isEqualTo(12.5);
    }
}
