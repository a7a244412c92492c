package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Rng;
import plainnet.io.ModelFile;

/** Issue 12, parts 3 and 4 at the command line: --standardize, progress lines, loading progress, Ctrl-C. */
class ScaleCliTest {

    @TempDir
    Path dir;

    private String out, err;

    private int run(String... args) {
        Cli cli = new Cli(dir);
        int code = cli.run(args);
        out = cli.out;
        err = cli.err;
        return code;
    }

    private double[][] x;
    private int[] t;

    /** 150 rows on raw sensor-like scales: a in [0, 255], b around 1e4, c constant; t = [a/255 − (b − 1e4)/500 > 0]. */
    @BeforeEach
    void data() throws Exception {
        Rng rng = new Rng(8);
        x = new double[150][];
        t = new int[150];
        for (int n = 0; n < x.length; n++) {
            double a = Math.floor(256 * rng.nextDouble()), b = 1e4 + 500 * rng.nextGaussian();
            x[n] = new double[] {a, b, 3.0};
            t[n] = a / 255 - 0.5 - (b - 1e4) / 500 > 0 ? 1 : 0;
        }
        write("d.csv", x);
    }

    private void write(String name, double[][] rows) throws Exception {
        StringBuilder s = new StringBuilder("a,b,c,t\n");
        for (int n = 0; n < rows.length; n++) s.append(rows[n][0]).append(',').append(rows[n][1]).append(',').append(rows[n][2]).append(',').append(t[n]).append('\n');
        Files.writeString(dir.resolve(name), s);
    }

    @Test
    void standardize_sameAsTrainingAndPredictingOnPreStandardizedData() throws Exception {
        assertThat(run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t", "--standardize", "--epochs", "5", "--hidden", "4:tanh", "--quiet", "--out", "@s.json")).as(err).isZero();
        ModelFile s = ModelFile.load(dir.resolve("s.json"));
        assertThat(s.standardize).isNotNull();
        // The saved statistics are the plain mean and population std of the columns (checked loosely, by a sum written here).
        double sum = 0, squares = 0;
        for (double[] row : x) sum += row[0];
        for (double[] row : x) squares += (row[0] - sum / 150) * (row[0] - sum / 150);
        assertThat(s.standardize.mean[0]).isCloseTo(sum / 150, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(s.standardize.std[0]).isCloseTo(Math.sqrt(squares / 150), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(s.standardize.mean[2]).isEqualTo(3.0); // the constant column: its value, std 1
        assertThat(s.standardize.std[2]).isEqualTo(1.0);

        // The same data standardized by hand with the saved statistics, written so that it reads back exactly.
        double[][] pre = new double[x.length][3];
        for (int n = 0; n < x.length; n++) for (int i = 0; i < 3; i++) pre[n][i] = (x[n][i] - s.standardize.mean[i]) / s.standardize.std[i];
        write("pre.csv", pre);
        assertThat(run("train", "--data", "@pre.csv", "--features", "a..c", "--labels", "t", "--epochs", "5", "--hidden", "4:tanh", "--quiet", "--out", "@p.json")).as(err).isZero();
        ModelFile p = ModelFile.load(dir.resolve("p.json"));
        assertThat(p.standardize).isNull();
        assertThat(new ModelFile(s.net, s.loss, s.features, s.tasks).toJson()).as("the same weights, bit for bit").isEqualTo(p.toJson());

        assertThat(run("predict", "--model", "@s.json", "--data", "@d.csv")).as(err).isZero();
        String standardized = out;
        assertThat(run("predict", "--model", "@p.json", "--data", "@pre.csv")).as(err).isZero();
        assertThat(standardized).isEqualTo(out).contains("\n2,");
        assertThat(run("evaluate", "--model", "@s.json", "--data", "@d.csv")).isZero();
        String metrics = out.substring(out.indexOf('\n'));
        assertThat(run("evaluate", "--model", "@p.json", "--data", "@pre.csv")).isZero();
        assertThat(metrics).isEqualTo(out.substring(out.indexOf('\n')));

        // Transfer reuses the model's statistics: its inputs are the same features.
        assertThat(run("transfer", "--model", "@s.json", "--data", "@d.csv", "--labels", "t", "--epochs", "2", "--quiet", "--out", "@tr.json")).as(err).isZero();
        ModelFile tr = ModelFile.load(dir.resolve("tr.json"));
        assertThat(tr.standardize.mean).containsExactly(s.standardize.mean);
        assertThat(tr.standardize.std).containsExactly(s.standardize.std);
        assertThat(run("info", "--model", "@tr.json")).isZero();
        assertThat(out).contains("inputs: 3 features (a, b, c), standardized");
    }

    @Test
    void standardize_withSplit_statisticsOfTheTrainingRowsOnly() throws Exception {
        assertThat(run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t", "--standardize", "--split", "0.2", "--epochs", "1", "--quiet", "--out", "@s.json")).as(err).isZero();
        ModelFile s = ModelFile.load(dir.resolve("s.json"));
        double all = 0;
        for (double[] row : x) all += row[0];
        assertThat(s.standardize.mean[0]).as("not the mean of all 150 rows").isNotEqualTo(all / 150);
    }

    @Test
    void progress_epochLinesHaveExamplesPerSecondAndTimeLeft_loadingLinesForLargeFiles() {
        assertThat(run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t", "--epochs", "3", "--split", "0.2", "--out", "@m.json")).as(err).isZero();
        assertThat(err).containsPattern("epoch 1/3  lr .* train loss .*  val loss .*  val acc .*  [0-9.]+ s  \\d+ ex/s  \\d+ s left\n");
        assertThat(err).containsPattern("epoch 3/3 .* ex/s  0 s left\n");
        assertThat(err).doesNotContain("plainnet: read");
        long saved = Setup.progressBytes;
        try {
            Setup.progressBytes = 1; // every file counts as large
            assertThat(run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t", "--epochs", "1", "--out", "@m.json")).as(err).isZero();
            assertThat(err).containsPattern("plainnet: read .*d.csv: 150 rows, 0.0 MB in [0-9.]+ s \\(\\d+ MB/s\\)\n");
            assertThat(run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t", "--epochs", "1", "--quiet", "--out", "@m.json")).as(err).isZero();
            assertThat(err).isEmpty();
            assertThat(run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", "@p.csv")).as(err).isZero();
            assertThat(err).contains("plainnet: read ");
        } finally {
            Setup.progressBytes = saved;
        }
    }

    @Test
    void outputs_inChunks_sameBitsAsOneForwardOverAllRows() {
        Rng rng = new Rng(2);
        plainnet.Network net = new plainnet.Network(new plainnet.Dense(5, 7, plainnet.Activation.TANH, rng), new plainnet.Dense(7, 3, plainnet.Activation.IDENTITY, rng));
        double[][] rows = new double[2 * Setup.CHUNK + 5][5]; // two full chunks and a short one
        for (double[] row : rows) for (int i = 0; i < 5; i++) row[i] = rng.nextGaussian();
        double[][] chunked = Setup.outputs(net, rows);
        double[][] whole = net.forward(rows);
        assertThat(chunked.length).isEqualTo(rows.length);
        for (int n = 0; n < rows.length; n++) assertThat(chunked[n]).as("row %d", n).containsExactly(whole[n]);
    }

    @Test
    void standardize_columnBeyondDoublePrecision_refusedNamingFileAndColumn() throws Exception {
        // Column b of 1e-200, 2e-200, 3e-200: each squared deviation (~1e-400) underflows to 0, so the
        // std is 0 for a column that is not constant. Column c of ±1e300: its squares overflow.
        Files.writeString(dir.resolve("tiny.csv"), "a,b,c,t\n1,1e-200,1e300,0\n2,2e-200,-1e300,1\n3,3e-200,1e300,0\n");
        Path model = Files.writeString(dir.resolve("m.json"), "the previous model\n");
        assertThat(run("train", "--data", "@tiny.csv", "--features", "a..c", "--labels", "t", "--standardize", "--quiet", "--out", "@m.json")).isEqualTo(2);
        assertThat(err).isEqualTo("plainnet train: " + dir.resolve("tiny.csv") + ": column b: cannot be standardized in double precision "
            + "(standardization: expected a finite std > 0, found 0.0); rescale the column, or train without --standardize\n");
        assertThat(Files.readString(model)).isEqualTo("the previous model\n");
        Files.writeString(dir.resolve("huge.csv"), "a,b,c,t\n1,1,1e300,0\n2,2,-1e300,1\n3,3,1e300,0\n");
        assertThat(run("train", "--data", "@huge.csv", "--features", "a..c", "--labels", "t", "--standardize", "--quiet", "--out", "@m.json")).isEqualTo(2);
        assertThat(err).contains("huge.csv: column c: cannot be standardized").contains("found Infinity");
    }

    /** A real JVM, stopped the way the terminal stops it: the hook's message, --out unchanged, no temporary file. */
    @Test
    void interrupt_duringTraining_outLeftAsItWasWithAMessage() throws Exception {
        Path model = Files.writeString(dir.resolve("m.json"), "the previous model\n");
        Path log = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", Path.of("target/classes").toAbsolutePath().toString(), "plainnet.cli.Main", "train",
            "--data", dir.resolve("d.csv").toString(), "--features", "a..c", "--labels", "t", "--epochs", "100000000", "--out", model.toString())
            .redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && !(Files.exists(log) && Files.readString(log).contains("epoch 2/")) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(Files.readString(log)).contains("epoch 2/");
            p.destroy(); // SIGTERM; Ctrl-C (SIGINT) runs the same shutdown hooks
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(Files.readString(log)).contains("plainnet train: interrupted; " + model + " was left as it was (no model written)\n");
        assertThat(Files.readString(model)).isEqualTo("the previous model\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp"));
        }
    }
}
