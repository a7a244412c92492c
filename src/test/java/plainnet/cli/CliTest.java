package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Rng;
import plainnet.io.ModelFile;

/** Every command in-process: happy paths, usage errors and bad input, with their exit codes. */
class CliTest {

    @TempDir
    Path dir;

    private String out, err;

    /** Runs plainnet with the arguments (paths relative to the temp dir); returns the exit code. */
    private int run(String... args) {
        List<String> a = new ArrayList<>();
        for (String s : args) a.add(s.startsWith("@") ? dir.resolve(s.substring(1)).toString() : s);
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(a.toArray(new String[0]), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    /** 120 rows: features a, b, c; task t1 = [a + b > 0], t2 = [a − c > 0] with some unlabeled; cls = 0/1/2 by sign pattern. */
    @BeforeEach
    void data() throws Exception {
        Rng rng = new Rng(5);
        StringBuilder s = new StringBuilder("a,b,c,t1,t2,cls\n");
        for (int n = 0; n < 120; n++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian(), c = rng.nextGaussian();
            String t2 = n % 4 == 0 ? "" : n % 7 == 0 ? "?" : (a - c > 0 ? "1" : "0");
            int cls = a > 0.5 ? 2 : a > -0.5 ? 1 : 0;
            s.append(a).append(',').append(b).append(',').append(c).append(',').append(a + b > 0 ? 1 : 0).append(',').append(t2).append(',').append(cls).append('\n');
        }
        Files.writeString(dir.resolve("d.csv"), s);
    }

    private int train(String model, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--epochs", "30", "--lr", "0.02", "--out", "@" + model));
        a.addAll(List.of(extra));
        return run(a.toArray(new String[0]));
    }

    @Test
    void train_happyPath_savesModelAndPrintsProgressAndMetrics() throws Exception {
        assertThat(train("m.json", "--split", "0.25")).as(err).isZero();
        assertThat(err).contains("epoch 1/30", "epoch 30/30", "val loss", "val acc");
        assertThat(out).contains("saved", "validation metrics (30 rows)", "t1", "t2", "auc");
        ModelFile m = ModelFile.load(dir.resolve("m.json"));
        assertThat(m.features).containsExactly("a", "b", "c");
        assertThat(m.tasks).containsExactly("t1", "t2");
    }

    @Test
    void train_quiet_noProgress() {
        assertThat(train("m.json", "--quiet")).isZero();
        assertThat(err).isEmpty();
    }

    @Test
    void train_softmax_classesNamedAndConfusionPrinted() {
        assertThat(run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "cls", "--loss", "softmax", "--epochs", "5", "--quiet", "--out", "@s.json")).as(err).isZero();
        assertThat(out).contains("confusion matrix", "cls=0", "cls=2");
    }

    @Test
    void transfer_thenEvaluatePredictInfoGradcheck_work() throws Exception {
        assertThat(train("a.json", "--quiet", "--hidden", "8:tanh,4:relu")).isZero();
        assertThat(run("transfer", "--model", "@a.json", "--data", "@d.csv", "--labels", "cls", "--loss", "softmax", "--epochs", "5",
            "--finetune-epochs", "2", "--unfreeze-from", "1", "--quiet", "--out", "@b.json")).as(err).isZero();
        ModelFile b = ModelFile.load(dir.resolve("b.json"));
        assertThat(b.net.layer(0).isTrainable()).as("layer 0 stays frozen: the second stage unfreezes from layer 1").isFalse();
        assertThat(b.net.layer(1).isTrainable()).isTrue();
        assertThat(b.net.outputs()).isEqualTo(3);

        assertThat(run("evaluate", "--model", "@a.json", "--data", "@d.csv")).isZero();
        assertThat(out).contains("model", "120 rows", "t1", "accuracy");

        assertThat(run("predict", "--model", "@a.json", "--data", "@d.csv", "--out", "@p.csv")).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("p.csv"));
        assertThat(lines).hasSize(121);
        assertThat(lines.get(0)).isEqualTo("line,t1,t2");
        String[] first = lines.get(1).split(",");
        assertThat(first[0]).isEqualTo("2"); // the file line of the first data row
        assertThat(Double.parseDouble(first[1])).isBetween(0.0, 1.0);

        assertThat(run("info", "--model", "@b.json")).isZero();
        assertThat(out).contains("3 layers", "no (frozen)", "cls=0");

        assertThat(run("gradcheck", "--model", "@a.json", "--data", "@d.csv", "--rows", "5")).isZero();
        assertThat(out).contains("gradient check passed");
    }

    @Test
    void gradcheck_withL2AndUnlabeledEntries_passes() throws Exception {
        // (A failing check cannot be built from a correct model file; GradCheckTest covers failing reports.)
        assertThat(train("a.json", "--quiet")).isZero();
        assertThat(run("gradcheck", "--model", "@a.json", "--data", "@d.csv", "--rows", "20", "--l2", "0.1")).isZero();
    }

    @Test
    void usageErrors_exitTwoWithHint() {
        assertThat(run()).isEqualTo(2);
        assertThat(err).contains("usage");
        assertThat(run("trian")).isEqualTo(2);
        assertThat(err).contains("unknown command 'trian'");
        assertThat(train("m.json", "--epocs", "3")).isEqualTo(2);
        assertThat(err).contains("unknown option --epocs; did you mean --epochs?");
        assertThat(run("train", "--data", "@d.csv", "--out")).isEqualTo(2);
        assertThat(err).contains("option --out expected a value FILE, found none");
        assertThat(run("train", "--data", "@d.csv", "--lr", "-1", "--out", "@m.json")).isEqualTo(2);
        assertThat(err).contains("option --lr expected a number > 0.0, found '-1'");
        assertThat(train("m.json", "--loss", "hinge")).isEqualTo(2);
        assertThat(err).contains("option --loss expected one of bce, softmax, mse, found 'hinge'");
        assertThat(run("train", "--data", "@d.csv")).isEqualTo(2);
        assertThat(err).contains("option --out is required");
        assertThat(train("m.json", "--patience", "2")).isEqualTo(2);
        assertThat(err).contains("--patience needs validation data");
        assertThat(train("m.json", "stray")).isEqualTo(2);
        assertThat(err).contains("unexpected argument 'stray'");
        assertThat(run("train", "--help")).isZero();
        assertThat(out).contains("usage: plainnet train", "--hidden SPEC", "default 32:tanh");
    }

    @Test
    void badInput_namesFileLineAndColumn_andKeepsExistingModel() throws Exception {
        assertThat(train("m.json", "--quiet")).isZero();
        String before = Files.readString(dir.resolve("m.json"));
        Files.writeString(dir.resolve("bad.csv"), "a,b,c,t1,t2\n1,2,3,1,0\n1,x,3,1,0\n");
        assertThat(run("train", "--data", "@bad.csv", "--features", "a..c", "--labels", "t1,t2", "--out", "@m.json")).isEqualTo(2);
        assertThat(err).contains("bad.csv:3: column b: expected a finite number (features cannot be unlabeled), found \"x\"");
        Files.writeString(dir.resolve("bad2.csv"), "a,b,c,t1,t2\n1,2,3,2,0\n");
        assertThat(run("train", "--data", "@bad2.csv", "--features", "a..c", "--labels", "t1,t2", "--out", "@m.json")).isEqualTo(2);
        assertThat(err).contains("bad2.csv:2: column t1: expected a label in [0, 1]");
        assertThat(run("evaluate", "--model", "@missing.json", "--data", "@d.csv")).isEqualTo(2);
        assertThat(err).contains("missing.json: expected a model file, found no such file");
        Files.writeString(dir.resolve("broken.json"), "{\"format\": \"plainnet-model\",");
        assertThat(run("info", "--model", "@broken.json")).isEqualTo(2);
        assertThat(err).contains("broken.json:1:");
        assertThat(Files.readString(dir.resolve("m.json"))).isEqualTo(before);
    }

    @Test
    void train_diverging_exitsOneNamingEpochAndStep() {
        int code = run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1", "--loss", "mse", "--optimizer", "sgd", "--lr", "1e6",
            "--epochs", "20", "--quiet", "--out", "@x.json");
        assertThat(code).isEqualTo(1);
        assertThat(err).contains("training diverged in epoch ", ", step ");
    }

    @Test
    void train_validationFileAndStepDecay_used() throws Exception {
        Files.copy(dir.resolve("d.csv"), dir.resolve("v.csv"));
        assertThat(train("m.json", "--validation", "@v.csv", "--decay-every", "10", "--decay-factor", "0.5")).as(err).isZero();
        assertThat(err).contains("validation 120 rows", "epoch 1/30  lr 0.0200", "epoch 11/30  lr 0.0100", "epoch 21/30  lr 0.00500");
        assertThat(out).contains("validation metrics (120 rows)");
        assertThat(train("m.json", "--validation", "@v.csv", "--split", "0.5")).isEqualTo(2);
        assertThat(err).contains("--validation and --split exclude each other");
    }

    @Test
    void predict_softmax_rowsAreProbabilitiesSummingToOne() throws Exception {
        assertThat(run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "cls", "--loss", "softmax", "--epochs", "3", "--quiet", "--out", "@s.json")).isZero();
        assertThat(run("predict", "--model", "@s.json", "--data", "@d.csv")).isZero();
        String[] lines = out.split("\n");
        assertThat(lines[0]).isEqualTo("line,cls=0,cls=1,cls=2");
        for (int n = 1; n < lines.length; n++) {
            String[] f = lines[n].split(",");
            double sum = Double.parseDouble(f[1]) + Double.parseDouble(f[2]) + Double.parseDouble(f[3]);
            assertThat(Math.abs(sum - 1.0)).as("row %d sums to 1", n).isLessThan(1e-12);
        }
    }

    @Test
    void predict_missingFeatureColumn_namesIt() throws Exception {
        assertThat(train("m.json", "--quiet")).isZero();
        Files.writeString(dir.resolve("few.csv"), "a,b\n1,2\n");
        assertThat(run("predict", "--model", "@m.json", "--data", "@few.csv")).isEqualTo(2);
        assertThat(err).contains("few.csv:1: expected a column \"c\" in the header, as the model " + dir.resolve("m.json") + " reads 3 feature columns (a, b, c), found none (columns: a, b)");
    }

    @Test
    void reviewCases_badOutputAndOptions_reportedBeforeAnyWork() throws Exception {
        Files.createDirectory(dir.resolve("folder"));
        assertThat(train("folder")).isEqualTo(2);
        assertThat(err).contains("folder: expected a file to write to, found a folder").doesNotContain("epoch");
        assertThat(train("nowhere/m.json")).isEqualTo(2);
        assertThat(err).contains("expected an existing folder to write into");
        assertThat(run("train", "--data", "@d.csv", "--labels", "cls", "--loss", "softmax", "--task-weight", "1,2,3", "--out", "@m.json")).isEqualTo(2);
        assertThat(err).contains("option --task-weight applies to --loss bce and mse only");
        assertThat(train("m.json", "--hidden", "4:leaky_relu(abc)")).isEqualTo(2);
        assertThat(err).contains("expected leaky_relu(SLOPE) with a number SLOPE, found '4:leaky_relu(abc)'".substring(0, 40));
        assertThat(train("m.json", "--hidden", "32:tanh,")).isEqualTo(2);
        assertThat(err).contains("option --hidden expected UNITS:ACTIVATION items");
        assertThat(train("m.json", "--classes", "999999999")).isEqualTo(2);
        assertThat(err).contains("option --classes expected at most 100000");
        assertThat(train("m.json", "--split", "1.5")).isEqualTo(2);
        assertThat(err).contains("option --split expected a fraction in (0, 1)");
        assertThat(run("gradcheck", "--model", "@missing.json", "--data", "@d.csv", "--rows", "100000")).isEqualTo(2);
        assertThat(err).contains("option --rows expected at most 256");
        assertThat(run("demo", "--repeats", "101", "--out", "@demo")).isEqualTo(2);
        assertThat(err).contains("--repeats: expected at most");
        assertThat(run("demo", "--repets", "2")).isEqualTo(2);
        assertThat(err).contains("did you mean --repeats?");
    }

    @Test
    void readingAFolderOrNonUtf8_namesTheFile() throws Exception {
        assertThat(run("train", "--data", dir.toString(), "--out", "@m.json")).isEqualTo(2);
        assertThat(err).contains(dir + ": expected a data file, found a folder");
        Files.write(dir.resolve("bin.csv"), new byte[] {(byte) 0xff, (byte) 0xfe, ',', 'b', '\n', '1', ',', '2', '\n'});
        assertThat(run("train", "--data", "@bin.csv", "--out", "@m.json")).isEqualTo(2);
        assertThat(err).contains("bin.csv:1:1: expected UTF-8 text, found the byte 0xff");
    }

    @Test
    void savedFiles_keepTheUsualPermissions() throws Exception {
        assertThat(train("m.json", "--quiet")).isZero();
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        assertThat(Files.getPosixFilePermissions(dir.resolve("m.json"))).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void transfer_withOtherFeatureColumns_savesThoseColumns() throws Exception {
        assertThat(train("a.json", "--quiet")).isZero();
        Files.writeString(dir.resolve("r.csv"), Files.readString(dir.resolve("d.csv")).replaceFirst("a,b,c,", "p,q,r,"));
        assertThat(run("transfer", "--model", "@a.json", "--data", "@r.csv", "--features", "p..r", "--labels", "t1", "--epochs", "2", "--quiet", "--out", "@r.json")).as(err).isZero();
        assertThat(ModelFile.load(dir.resolve("r.json")).features).containsExactly("p", "q", "r");
        assertThat(run("evaluate", "--model", "@r.json", "--data", "@r.csv")).as(err).isZero();
    }

    @Test
    void bench_printsTableJsonLinesRatiosAndJvm() {
        assertThat(run("bench", "--seconds", "0.05", "--cases", "6-5-3/4,6-5-4-3/7/frozen1,6-5-3/4/threads3/frozen1", "--threads", "2", "--loss", "bce")).as(err).isZero();
        String[] lines = out.split("\n");
        assertThat(lines[0]).contains("sizes", "batch", "threads", "frozen", "examples/s", "GFLOP/s", "bytes/step", "best slice");
        assertThat(lines[1]).startsWith("6-5-3 ");
        assertThat(lines[2]).startsWith("6-5-4-3 ");
        assertThat(lines[3].split(" +")).startsWith("6-5-3", "4", "3", "1");
        assertThat(lines[4]).startsWith("{\"sizes\": \"6-5-3\", \"batch\": 4, \"threads\": 2, \"frozen\": 0, \"loss\": \"bce\", \"steps\": ")
            .contains("\"examples_per_s\": ", "\"examples_per_s_best\": ", "\"gflops\": ", "\"alloc_bytes_per_step\": ");
        assertThat(lines[5]).startsWith("{\"sizes\": \"6-5-4-3\", \"batch\": 7, \"threads\": 2, \"frozen\": 1,");
        assertThat(lines[6]).startsWith("{\"sizes\": \"6-5-3\", \"batch\": 4, \"threads\": 3, \"frozen\": 1,");
        // --threads 2 makes every case multi-threaded, so no case is the 1-thread, all-trainable base
        assertThat(out).doesNotContain("the steps per second of all trainable");
        assertThat(out).contains("JVM start to the end of the first training step: ", "JVM: ", "largest vector");
        // the kernel path in effect (SPEC §23): the Vector API one in the Maven run, which adds the module
        assertThat(out).containsPattern("\nkernels: (plain|vector \\((128|256|512)-bit\\))\n");
        if (Boolean.getBoolean("plainnet.expectVector")) assertThat(out).contains("\nkernels: vector (");
        // the fastest slice is at least as fast as the median one
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"examples_per_s\": ([0-9.]+), \"examples_per_s_best\": ([0-9.]+)").matcher(lines[4]);
        assertThat(m.find()).as(lines[4]).isTrue();
        assertThat(Double.parseDouble(m.group(2))).isGreaterThanOrEqualTo(Double.parseDouble(m.group(1)));
    }

    @Test
    void bench_frozenAndThreadedCases_comparedWithTheirBase() {
        assertThat(run("bench", "--seconds", "0.05", "--cases", "6-5-4-3/7,6-5-4-3/7/frozen2,6-5-4-3/7/threads2,6-5-3/4/frozen1")).as(err).isZero();
        assertThat(out).containsPattern("6-5-4-3/7 with 2 frozen and 1 thread: [0-9.]+x the steps per second of all trainable on 1 thread")
            .containsPattern("6-5-4-3/7 with 0 frozen and 2 threads: [0-9.]+x the steps per second of all trainable on 1 thread")
            .doesNotContain("6-5-3/4 with"); // no base case for that one
    }

    @Test
    void bench_flops_countedByHand() {
        // 6-5-3, batch 4, nothing frozen: forward 2·4·(30 + 15) = 360, dW the same 360, dx of the
        // top layer only (the bottom one has no layer below) 2·4·15 = 120
        assertThat(BenchCommand.flops(new int[] {6, 5, 3}, 4, 0)).isEqualTo(840.0);
        // 6-5-4-3, batch 7, bottom layer frozen: forward 2·7·(30 + 20 + 12) = 868, dW of the two
        // trainable layers 2·7·(20 + 12) = 448, dx of the top layer only (the layer below the
        // middle one is frozen, so the middle one computes no dx) 2·7·12 = 168
        assertThat(BenchCommand.flops(new int[] {6, 5, 4, 3}, 7, 1)).isEqualTo(868.0 + 448.0 + 168.0);
    }

    @Test
    void bench_badCases_usageErrorNamingTheItem() {
        assertThat(run("bench", "--cases", "64-32-10")).isEqualTo(2);
        assertThat(err).contains("--cases", "'64-32-10'");
        assertThat(run("bench", "--cases", "64-x-10/32")).isEqualTo(2);
        assertThat(err).contains("'64-x-10/32'");
        assertThat(run("bench", "--cases", "64-32-10/32/frozen2")).isEqualTo(2);
        assertThat(err).contains("fewer frozen layers than layers", "'64-32-10/32/frozen2'");
        assertThat(run("bench", "--cases", "64-32-10/32/threads0")).isEqualTo(2);
        assertThat(err).contains("1 to 256 threads", "'64-32-10/32/threads0'");
        assertThat(run("bench", "--cases", "64-32-10/32/fast")).isEqualTo(2);
        assertThat(err).contains("'64-32-10/32/fast'");
        for (String bad : new String[] {"64-32-10/32/frozen1/frozen1", "64-32-10/32/", "64-32-10-/32", "64-32-10/+32", "64-32-10/32/threads2/threads2"}) {
            assertThat(run("bench", "--cases", bad)).as(bad).isEqualTo(2);
            assertThat(err).as(bad).contains("option --cases expected", "'" + bad + "'");
        }
        assertThat(run("bench", "--cases", "64-32-10/32,")).isEqualTo(2);
        assertThat(err).contains("found ''");
        assertThat(run("bench", "--threads", "300")).isEqualTo(2);
        assertThat(err).contains("option --threads expected at most 256, found 300");
        assertThat(run("bench", "--seconds", "1e10")).isEqualTo(2);
        assertThat(err).contains("option --seconds expected at most 3600");
        assertThat(run("bench", "--seconds", "-1")).isEqualTo(2);
        assertThat(err).contains("--seconds");
    }
}
