package example;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Loss;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Rng;
import plainnet.Targets;
import plainnet.Trainer;
import plainnet.io.ModelFile;

/**
 * plainnet as a Maven dependency: two tasks on the four corners of the unit square (a XOR b, and
 * a AND b) with one label missing, trained in mini-batches, saved, loaded back, predicted.
 */
public final class Consumer {

    private Consumer() {}

    /**
     * Trains, saves, loads and prints the loaded model's predictions.
     *
     * @param args the model file to write (default target/model.json)
     * @throws Exception for a model file that cannot be written or read
     */
    public static void main(String[] args) throws Exception {
        Path file = Paths.get(args.length > 0 ? args[0] : "target/model.json");
        double[][] x = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};                 // (4, 2) inputs a, b
        double[][] y = {{0, 0}, {1, 0}, {1, 0}, {0, 1}};                 // (4, 2) labels xor, and
        boolean[][] known = {{true, true}, {true, true}, {true, false}, {true, true}}; // "and" of (1, 0) unknown

        Rng rng = new Rng(1);
        Network net = new Network(
            new Dense(2, 8, Activation.TANH, rng),
            new Dense(8, 2, Activation.IDENTITY, rng));                  // two logits
        Loss loss = new BinaryCrossEntropy();                            // skips the unknown label
        Trainer trainer = new Trainer(net, loss, Optimizer.adam(0.05));
        trainer.epochs = 300;
        trainer.batch = 2;
        Trainer.Result result = trainer.fit(x, new Targets(y, known), null, null, null);
        System.out.printf(Locale.ROOT, "trained %d epochs, final loss %.6f%n", result.history.size(),
            result.history.get(result.history.size() - 1).trainLoss);

        new ModelFile(net, loss, Arrays.asList("a", "b"), Arrays.asList("xor", "and")).save(file);
        ModelFile model = ModelFile.load(file);
        double[][] z = model.net.forward(x);                             // (4, 2) logits
        for (int n = 0; n < x.length; n++) {
            System.out.printf(Locale.ROOT, "a=%.0f b=%.0f  P(xor)=%.3f  P(and)=%.3f%n",
                x[n][0], x[n][1], Activation.sigmoid(z[n][0]), Activation.sigmoid(z[n][1]));
        }
    }
}
