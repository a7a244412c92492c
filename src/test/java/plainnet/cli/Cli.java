package plainnet.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import plainnet.Rng;

/** Runs plainnet in-process on files of one folder, keeping the exit code, standard output and standard error. */
final class Cli {

    final Path dir;
    String out, err;

    Cli(Path dir) {
        this.dir = dir;
    }

    /** Runs plainnet with the arguments; "@name" is the file name in the folder. Returns the exit code. */
    int run(String... args) {
        List<String> a = new ArrayList<>();
        for (String s : args) a.add(s.startsWith("@") ? dir.resolve(s.substring(1)).toString() : s);
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(a.toArray(new String[0]), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    /** Writes d.csv: 120 rows, features a, b, c; tasks t1 = [a + b > 0], t2 = [a − c > 0]; cls = 0/1/2 by a (the last column). */
    void data() throws Exception {
        Rng rng = new Rng(5);
        StringBuilder s = new StringBuilder("a,b,c,t1,t2,cls\n");
        for (int n = 0; n < 120; n++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian(), c = rng.nextGaussian();
            int cls = a > 0.5 ? 2 : a > -0.5 ? 1 : 0;
            s.append(a).append(',').append(b).append(',').append(c).append(',').append(a + b > 0 ? 1 : 0).append(',').append(a - c > 0 ? 1 : 0).append(',').append(cls).append('\n');
        }
        Files.writeString(dir.resolve("d.csv"), s);
    }

    /** Trains a small bce model on t1, t2 into the named file; returns the exit code. */
    int model(String name) {
        return run("train", "--data", "@d.csv", "--features", "a..c", "--labels", "t1,t2", "--hidden", "4:tanh", "--epochs", "2", "--quiet", "--out", "@" + name);
    }
}
