package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the README's freeze-a-base example and checks that the README still shows this code. */
class ReadmeExampleTest {

    private static final String MARKER = "<!-- example:freeze-head";

    /** The example as README.md shows it, between its marker and the closing fence. */
    private static List<String> readmeExample() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = -1;
        for (int j = 0; j < lines.size(); j++) if (lines.get(j).startsWith(MARKER)) start = j + 2; // skip the ```java line
        assertThat(start).as("README.md has the example marker").isPositive();
        List<String> code = new ArrayList<>();
        for (int j = start; !lines.get(j).startsWith("```"); j++) code.add(lines.get(j));
        return code;
    }

    @Test
    void readme_example_isTheCodeThisTestRuns() throws IOException {
        String source = Files.readString(Path.of("src/test/java/plainnet/ReadmeExampleTest.java"), StandardCharsets.UTF_8);
        for (String line : readmeExample()) {
            String code = line.replaceAll("//.*$", "").strip();
            if (!code.isEmpty()) assertThat(source).as("README line in this test: " + line).contains(code);
        }
    }

    @Test
    void example_frozenBaseNewHead_learnsAndKeepsBaseBitIdentical() {
        // Data for the example: 40 rows of 64 inputs, 6 tasks with about a third unknown.
        Rng data = new Rng(7);
        double[][] x = Assert.gaussian(data, 40, 64, 1.0);
        double[][] y = new double[40][6];
        boolean[][] known = new boolean[40][6];
        for (int n = 0; n < 40; n++) {
            for (int k = 0; k < 6; k++) {
                y[n][k] = x[n][k] + x[n][k + 6] > 0 ? 1.0 : 0.0;
                known[n][k] = data.nextDouble() < 0.67;
            }
        }

        // ---- the README example, line for line ----
        Rng rng = new Rng(42);
        Network net = new Network(                        // pre-trained on task A (10 digit classes)
            new Dense(64, 32, Activation.TANH, rng),
            new Dense(32, 10, Activation.IDENTITY, rng));
        // ... train on A with new SoftmaxCrossEntropy() ...

        net.removeLast(1);                                // transfer to B: drop A's head,
        net.append(new Dense(32, 6, Activation.IDENTITY, rng)); // add 6 sigmoid outputs (logits),
        net.freeze(0, 1);                                 // and keep the base fixed

        double[][] baseW = Assert.copy(net.layer(0).W);
        double[] baseB = net.layer(0).b.clone();
        Targets tCheck = new Targets(y, known);
        double before = new BinaryCrossEntropy().forward(net.forward(x), tCheck);

        Loss loss = new BinaryCrossEntropy();             // Σ over labeled entries ÷ m, as in the lecture
        Optimizer opt = Optimizer.adam(0.01);
        Targets t = new Targets(y, known);                // y (N, 6) in {0, 1}; known[n][k] false = "?"
        double[][] dz = new double[x.length][6];          // (N, 6)
        double J = Double.NaN;
        for (int step = 0; step < 200; step++) {
            double[][] z = net.forward(x);                // (N, 6) logits
            J = loss.forward(z, t);
            loss.backward(dz, z, t);                      // exactly 0 where the label is unknown
            net.zeroGrad();
            net.backward(dz);                             // stops at the head: the base is frozen
            opt.step(net);                                // the base's W and b are never touched
        }
        // ---- end of the example ----

        assertThat(J).as("training loss after 200 steps").isLessThan(0.5 * before);
        Assert.assertSameBits("frozen base W", baseW, net.layer(0).W);
        Assert.assertSameBits("frozen base b", baseB, net.layer(0).b);
    }
}
