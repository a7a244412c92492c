package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StandardizationTest {

    @Test
    void fit_handComputed_populationStdAndConstantFeature() {
        // column 0: 1, 3, 5 → mean 3, squared deviations 4 + 0 + 4 = 8, std = sqrt(8/3)
        // column 1: constant 0.1 (its floating-point sum / 3 is not 0.1) → mean 0.1, std 1
        // column 2: 0.5, 1.5, 1.0 → mean 1, squared deviations 0.25 + 0.25 + 0 = 0.5, std = sqrt(1/6)
        double[][] x = {{1, 0.1, 0.5}, {3, 0.1, 1.5}, {5, 0.1, 1.0}};
        Standardization s = Standardization.fit(x);
        assertThat(s.mean).containsExactly(3.0, 0.1, 1.0);
        assertThat(s.std[0]).isCloseTo(1.632993161855452, within(1e-15));
        assertThat(s.std[1]).isEqualTo(1.0);
        assertThat(s.std[2]).isCloseTo(0.408248290463863, within(1e-15));
        s.apply(x);
        // (1 − 3)/sqrt(8/3) = −sqrt(3/2); (1.5 − 1)/sqrt(1/6) = sqrt(6)/2
        assertThat(x[0][0]).isCloseTo(-1.224744871391589, within(1e-15));
        assertThat(x[1][0]).isEqualTo(0.0);
        assertThat(x[2][0]).isCloseTo(1.224744871391589, within(1e-15));
        assertThat(new double[] {x[0][1], x[1][1], x[2][1]}).containsExactly(0.0, 0.0, 0.0);
        assertThat(x[1][2]).isCloseTo(1.224744871391589, within(1e-15));
    }

    @Test
    void fit_standardizedColumns_haveMeanZeroAndStdOne() {
        Rng rng = new Rng(4);
        double[][] x = new double[500][3];
        for (double[] row : x) {
            row[0] = 255 * rng.nextDouble();
            row[1] = 1e6 + 3e4 * rng.nextGaussian();
            row[2] = -7 + 0.01 * rng.nextGaussian();
        }
        Standardization.fit(x).apply(x);
        for (int i = 0; i < 3; i++) {
            double sum = 0, squares = 0;
            for (double[] row : x) sum += row[i];
            for (double[] row : x) squares += (row[i] - sum / x.length) * (row[i] - sum / x.length);
            assertThat(sum / x.length).as("mean of column %d", i).isCloseTo(0.0, within(1e-12));
            assertThat(Math.sqrt(squares / x.length)).as("std of column %d", i).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void constructorAndApply_badArguments_named() {
        assertThatThrownBy(() -> new Standardization(new double[] {0}, new double[] {0})).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("standardization: expected a finite std > 0, found 0.0 at index 0");
        assertThatThrownBy(() -> new Standardization(new double[] {Double.NaN}, new double[] {1})).hasMessageContaining("expected a finite mean, found NaN");
        assertThatThrownBy(() -> new Standardization(new double[] {0, 1}, new double[] {1})).hasMessageContaining("the same length");
        Standardization s = new Standardization(new double[] {1, 2}, new double[] {2, 4});
        assertThatThrownBy(() -> s.apply(new double[][] {{1, 2, 3}})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Standardization.fit(new double[0][])).isInstanceOf(IllegalArgumentException.class);
    }
}
