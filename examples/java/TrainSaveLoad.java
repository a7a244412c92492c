package example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import plainnet.Activation;
import plainnet.BinaryCrossEntropy;
import plainnet.Dense;
import plainnet.Loss;
import plainnet.Metrics;
import plainnet.Network;
import plainnet.Optimizer;
import plainnet.Rng;
import plainnet.Standardization;
import plainnet.Targets;
import plainnet.Trainer;
import plainnet.io.Dataset;
import plainnet.io.ModelFile;

/**
 * plainnet from Java, start to end: read data in which about half of the labels are missing,
 * train a multi-task network in mini-batches (the mask keeps the missing labels out of the loss
 * and its gradient), save the model, load it back, predict. The same source builds against the
 * jar and against the single-file copies PlainNet.java and PlainNetIO.java; only the import lines
 * differ (README, "A complete Java program").
 *
 * <p>The data: six yes/no tasks about handwritten digits (even, greater_than_4, closed_loop,
 * prime, multiple_of_3, straight_strokes_only) for 1,198 images, in
 * test-data/digits/digits_multitask_train.csv, where an empty field means "not labeled"; the 64
 * pixel counts of each image are in digits.csv, on the row that the {@code row} column names.
 *
 * <p>Run from the repository root (README shows the commands):
 * {@code java -cp target/plainnet.jar:target/example example.TrainSaveLoad [DATA_FOLDER [MODEL_FILE]]}.
 */
public final class TrainSaveLoad {

    private TrainSaveLoad() {}

    /**
     * Trains, saves, loads and predicts; prints what it does.
     *
     * @param args the data folder (default test-data/digits) and the model file to write (default target/example-model.json)
     * @throws IOException for a data or model file that cannot be read or written (the message names the file and line)
     */
    public static void main(String[] args) throws IOException {
        Path folder = Paths.get(args.length > 0 ? args[0] : "test-data/digits");
        Path modelFile = Paths.get(args.length > 1 ? args[1] : "target/example-model.json");

        // 1. Data. Labels: t.y (N, 6) and the mask t.labeled (N, 6), false where the field is empty.
        Dataset tasks = Dataset.load(folder.resolve("digits_multitask_train.csv"), "row", "even..straight_strokes_only");
        Dataset images = Dataset.load(folder.resolve("digits.csv"), "pixel_0_0..pixel_7_7", "digit");
        int N = tasks.size();
        double[][] x = new double[N][];                           // (N, 64) the pixels of each labeled row
        for (int n = 0; n < N; n++) x[n] = images.x[(int) tasks.x[n][0]].clone();
        Targets t = tasks.t;
        System.out.printf(Locale.ROOT, "data: %d rows, %d features, %d tasks, %d of %d labels known%n",
            N, x[0].length, t.columns(), t.labeledCount(), N * t.columns());

        // Hold out 20 % of the rows (shuffled with seed 7), and standardize every feature with the
        // training rows' mean and standard deviation (stored in the model file, applied again on load).
        int[][] split = Dataset.splitRows(N, 0.2, 7);
        double[][] xTrain = rows(x, split[0]), xHeld = rows(x, split[1]); // (N_train, 64), (N_held, 64)
        Targets tTrain = t.rows(split[0], 0, split[0].length), tHeld = t.rows(split[1], 0, split[1].length);
        Standardization standardize = Standardization.fit(xTrain);
        standardize.apply(xTrain);
        standardize.apply(xHeld);

        // 2. Mini-batch training: 64 → 32 tanh → 6 logits, binary cross-entropy over the labeled
        // entries only (an unlabeled entry adds nothing to the loss and exactly 0 to its gradient).
        Rng rng = new Rng(42);
        Network net = new Network(
            new Dense(64, 32, Activation.TANH, rng),
            new Dense(32, 6, Activation.IDENTITY, rng));
        Loss loss = new BinaryCrossEntropy();
        Trainer trainer = new Trainer(net, loss, Optimizer.adam(0.01));
        trainer.epochs = 15;
        trainer.batch = 32;
        trainer.seed = 1;                                         // the shuffle of each epoch
        Trainer.Result result = trainer.fit(xTrain, tTrain, xHeld, tHeld, e -> System.out.printf(Locale.ROOT,
            "epoch %2d  training loss %.6f  held-out loss %.6f%n", e.epoch, e.trainLoss, e.validationLoss));
        if (result.diverged) throw new IllegalStateException("training diverged: " + result.divergence);

        // 3. Save: the network, the loss, the column names and the standardization, as JSON.
        new ModelFile(net, loss, images.features, tasks.labels, standardize).save(modelFile);
        System.out.println("saved " + modelFile + " (" + Files.size(modelFile) + " bytes)");

        // 4. Load, as another program would, and predict the held-out rows from their raw pixels.
        ModelFile model = ModelFile.load(modelFile);
        double[][] xNew = new double[split[1].length][];          // (N_held, 64)
        for (int j = 0; j < xNew.length; j++) xNew[j] = images.x[(int) tasks.x[split[1][j]][0]].clone();
        model.standardize.apply(xNew);
        double[][] z = model.net.forward(xNew);                   // (N_held, 6) logits
        System.out.println("loaded: predictions bit-identical to the trained network's: "
            + Arrays.deepEquals(z, net.forward(xHeld)));
        Metrics.Binary[] metrics = Metrics.binary(z, tHeld);      // over each task's labeled rows
        for (int k = 0; k < metrics.length; k++) {
            System.out.printf(Locale.ROOT, "%-22s accuracy %.3f on %d labeled held-out rows%n",
                model.tasks.get(k), metrics[k].accuracy, metrics[k].count);
        }
        StringBuilder p = new StringBuilder("first held-out row, P(yes) per task:");
        for (int k = 0; k < z[0].length; k++) p.append(String.format(Locale.ROOT, " %.3f", Activation.sigmoid(z[0][k])));
        System.out.println(p);
    }

    /** The rows x[index[0]], x[index[1]], … (shared, not copied). */
    private static double[][] rows(double[][] x, int[] index) {
        double[][] out = new double[index.length][];
        for (int j = 0; j < index.length; j++) out[j] = x[index[j]];
        return out;
    }
}
