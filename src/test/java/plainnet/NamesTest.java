package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import plainnet.io.Dataset;

/** One name per type (SPEC.md sections 3, 8, 9) and the one validation split (section 17). */
class NamesTest {

    @Test
    void activation_parseOfEachSpecName_givesThatActivation() {
        // The names of SPEC §3's table, written here by hand.
        assertThat(Activation.parse("identity")).isEqualTo(Activation.IDENTITY);
        assertThat(Activation.parse("relu")).isEqualTo(Activation.RELU);
        assertThat(Activation.parse("leaky_relu")).isEqualTo(Activation.leakyRelu(0.01));
        assertThat(Activation.parse("sigmoid")).isEqualTo(Activation.SIGMOID);
        assertThat(Activation.parse("tanh")).isEqualTo(Activation.TANH);
        for (Activation f : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU, Activation.SIGMOID, Activation.TANH}) {
            assertThat(Activation.parse(f.name())).isEqualTo(f);
        }
    }

    @Test
    void activation_parseOfAnAliasOrOtherCase_refused() {
        // Files take only the names of the table; the command line's aliases are not file names.
        for (String s : new String[] {"Tanh", "leaky_relu(0.2)", "linear", "", " relu"}) {
            assertThatThrownBy(() -> Activation.parse(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected one of identity, relu, leaky_relu, sigmoid, tanh, found \"" + s + "\"");
        }
    }

    @Test
    void reduction_parseOfEachSpecName_roundTrips() {
        assertThat(Reduction.parse("per_example")).isEqualTo(Reduction.PER_EXAMPLE);
        assertThat(Reduction.parse("mean_labeled")).isEqualTo(Reduction.MEAN_LABELED);
        assertThat(Reduction.parse("mean_all")).isEqualTo(Reduction.MEAN_ALL);
        assertThat(Reduction.parse("sum")).isEqualTo(Reduction.SUM);
        for (Reduction r : Reduction.values()) assertThat(Reduction.parse(r.fileName())).isEqualTo(r);
        assertThatThrownBy(() -> Reduction.parse("PER_EXAMPLE")).hasMessageContaining("found \"PER_EXAMPLE\"");
    }

    @Test
    void loss_namesAreTheFileNamesOfSection16() {
        assertThat(new BinaryCrossEntropy().name()).isEqualTo("binary_cross_entropy");
        assertThat(new SoftmaxCrossEntropy().name()).isEqualTo("softmax_cross_entropy");
        assertThat(new MeanSquaredError().name()).isEqualTo("squared_error");
    }

    @Test
    void splitRows_isTheShuffleRuleOfSection17() {
        // SPEC §17: shuffle 0 … N−1 with Rng(seed); the first round(f·N) are held out, the rest train.
        for (int N : new int[] {2, 3, 10, 37, 1000}) {
            for (double f : new double[] {0.1, 0.25, 0.5, 0.9}) {
                int held = (int) Math.round(f * N);
                if (held < 1 || held > N - 1) {
                    final int n = N;
                    assertThatThrownBy(() -> Dataset.splitRows(n, f, 7)).isInstanceOf(IllegalArgumentException.class);
                    continue;
                }
                int[] order = new int[N];
                for (int n = 0; n < N; n++) order[n] = n;
                new Rng(7).shuffle(order);
                int[][] parts = Dataset.splitRows(N, f, 7);
                assertThat(parts[1]).as("held out, N=%d f=%s", N, f).containsExactly(Arrays.copyOfRange(order, 0, held));
                assertThat(parts[0]).as("train, N=%d f=%s", N, f).containsExactly(Arrays.copyOfRange(order, held, N));
                Set<Integer> all = new HashSet<>();
                for (int[] p : parts) for (int n : p) assertThat(all.add(n)).isTrue();
                assertThat(all).hasSize(N);
            }
        }
    }
}
