package plainnet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import plainnet.Dense;
import plainnet.Network;
import plainnet.Rng;
import plainnet.Targets;
import plainnet.TaskNetwork;
import plainnet.TaskTrainer;
import plainnet.Optimizer;

/** The mixed-task section of the demo (SPEC.md §20, item 4), on shortened settings. */
class MixedTasksTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static Demo.Settings tiny(int threads) {
        Demo.Settings s = new Demo.Settings();
        s.repeats = 2;
        s.steps = 40;
        s.threads = threads;
        s.hiddenSizes = new int[] {4};
        return s;
    }

    /** Runs the section (and table 2's experiment when {@code table2}) with its own pool. */
    private static Object[] run(Demo.Settings s, boolean table2) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(s.threads);
        try {
            Lab lab = new Lab(s, new DigitsData(s.data), QUIET, pool);
            MultiTask m = table2 ? MultiTask.run(lab, false, "test", 4) : null;
            return new Object[] {MixedTasks.run(lab), m};
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void run_tablePrints_sameBitsForAnyThreadCount() throws Exception {
        MixedTasks one = (MixedTasks) run(tiny(1), false)[0];
        MixedTasks two = (MixedTasks) run(tiny(2), false)[0];
        String table = one.table();
        assertThat(two.table()).isEqualTo(table);
        assertThat(two.verdicts()).isEqualTo(one.verdicts());
        for (double[][] a : new double[][][] {one.mixed, one.separate, one.sigmoid}) {
            assertThat(a).hasNumberOfRows(7);
            for (double[] task : a) {
                assertThat(task).hasSize(2);
                for (double v : task) assertThat(v).isBetween(0.0, 1.0);
            }
        }
        assertThat(table).contains("4. Mixed tasks", "| digit (10 classes)    |", "| straight_strokes_only |", "| mean of 6 attributes  |",
            "| square                |     20 |", "64-4 trunk", "64-4-8-1");
        assertThat(one.chart()).startsWith("<svg").endsWith("</svg>\n");
        // the labeled counts are means over the 2 repeats of about half of the 958 pool rows
        for (double count : one.labeled) assertThat(count).isBetween(400.0, 560.0);
    }

    @Test
    void separateAttributeNetworks_areTable2sSeparateNetworks() throws Exception {
        // Same seeds, same mask draws, same rows, same protocol: the six separate attribute networks
        // of this section are table 2's, so their test accuracies must agree to the bit.
        Object[] r = run(tiny(2), true);
        MixedTasks mixed = (MixedTasks) r[0];
        MultiTask table2 = (MultiTask) r[1];
        for (int k = 0; k < DigitsData.TASKS.length; k++) {
            assertThat(mixed.separate[k + 1]).as(DigitsData.TASKS[k]).isEqualTo(table2.separate[k]);
        }
    }

    @Test
    void mixedNetwork_startsWithTheAllSigmoidNetworksOutputs() throws Exception {
        DigitsData d = new DigitsData(new Demo.Settings().data);
        double[][] x = Arrays.copyOf(d.x, 50);
        Network plain = Lab.mlp(MixedTasks.INIT_SEED, 64, 4, MixedTasks.K);
        TaskNetwork net = MixedTasks.mixedNetwork(plain);
        assertThat(net.groupCount()).isEqualTo(7);
        assertThat(net.group(0).K).isEqualTo(10);
        double[][] zPlain = plain.forward(x), z = net.forward(x);
        for (int n = 0; n < x.length; n++) assertThat(bits(z[n])).as("row %d", n).isEqualTo(bits(zPlain[n]));
    }

    @Test
    void withNewTask_afterTraining_oldOutputsAndWeightsBitIdentical_newTowerTrained() throws Exception {
        DigitsData d = new DigitsData(new Demo.Settings().data);
        Demo.Settings s = tiny(1);
        Lab lab = new Lab(s, d, QUIET, null);
        int[] pool = lab.rest[0];
        double[][] x = Lab.rows(d.x, pool), xV = Lab.rows(d.x, lab.val[0]), xTest = Lab.rows(d.x, lab.testRows);
        // a trained mixed network (a few epochs)
        TaskNetwork trained = MixedTasks.mixedNetwork(Lab.mlp(1, 64, 4, MixedTasks.K));
        TaskTrainer tr = new TaskTrainer(trained, Optimizer.adam(0.01));
        tr.epochs = 3;
        tr.fit(x, MixedTasks.targets(d, pool, MixedTasks.mask(pool.length, 0)), null);
        double[][] before = copy(trained.forward(xTest));
        double[][][] weightsBefore = weights(trained);

        TaskNetwork grown = Lab.best(lab.search(() -> MixedTasks.withNewTask(trained, new Rng(7)),
            Lab.rows(d.x, Arrays.copyOf(pool, 20)), MixedTasks.newTask(d, pool, 20, MixedTasks.K), xV, MixedTasks.newTask(d, lab.val[0], xV.length, MixedTasks.K), 0)).net;
        assertThat(grown.groupCount()).isEqualTo(8);
        assertThat(grown.indexOf(MixedTasks.NEW_TASK)).isEqualTo(7);
        double[][] after = grown.forward(xTest);
        for (int n = 0; n < before.length; n++) {
            assertThat(bits(Arrays.copyOf(after[n], MixedTasks.K))).as("old outputs of row %d", n).isEqualTo(bits(before[n]));
        }
        double[][][] w = weights(grown);
        for (int j = 0; j < weightsBefore.length; j++) {
            for (int o = 0; o < weightsBefore[j].length; o++) assertThat(bits(w[j][o])).as("layer %d row %d", j, o).isEqualTo(bits(weightsBefore[j][o]));
        }
        // the new tower did train: its weights left their initial draw
        Network fresh = MixedTasks.withNewTask(trained, new Rng(7)).tower(7);
        assertThat(grown.tower(7).layer(0).W[0]).isNotEqualTo(fresh.layer(0).W[0]);
        // and the trained network itself was not changed (withNewTask works on a copy)
        assertThat(trained.groupCount()).isEqualTo(7);
        assertThat(bits(trained.forward(xTest)[0])).isEqualTo(bits(before[0]));

        MixedTasks.checkOldTasks(before, after); // the run's own check passes ...
        double[][] changed = copy(after);
        changed[3][12] = Math.nextUp(changed[3][12]);
        assertThatThrownBy(() -> MixedTasks.checkOldTasks(before, changed)) // ... and fails on one ulp
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("z[3][12]");
    }

    @Test
    void targetsMaskAndSquare_fromTheDigitsDefinition() throws Exception {
        DigitsData d = new DigitsData(new Demo.Settings().data);
        int[] rows = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        Targets sq = MixedTasks.newTask(d, rows, rows.length, 2);
        for (int n = 0; n < rows.length; n++) {
            int digit = d.digit[rows[n]];
            int root = (int) Math.round(Math.sqrt(digit));
            assertThat(sq.y[n][2]).as("digit %d", digit).isEqualTo(root * root == digit ? 1.0 : 0.0);
            assertThat(sq.labeled[n]).containsExactly(false, false, true);
        }
        boolean[][] m = MixedTasks.mask(3, 0);
        boolean[][] mask = {{true, false, true, true, true, true, true}, m[1], m[2]};
        Targets t = MixedTasks.targets(d, new int[] {0, 1, 2}, mask);
        assertThat(t.columns()).isEqualTo(16);
        assertThat(t.y[0][d.digit[0]]).isEqualTo(1.0);
        assertThat(Arrays.copyOf(t.labeled[0], 10)).containsOnly(true);
        for (int k = 0; k < 6; k++) assertThat(t.y[0][10 + k]).isEqualTo(d.tasks[0][k]);
        assertThat(t.labeled[0][10]).isFalse();
        // the attributes' mask is table 2's: Rng(9000 + r), one draw per entry, row by row
        Rng rng = new Rng(MultiTask.MASK_SEED);
        for (int n = 0; n < 3; n++) for (int k = 0; k < 6; k++) assertThat(m[n][k + 1]).isEqualTo(rng.nextDouble() < 0.5);
    }

    @Test
    void accuracies_handComputed() {
        // 2 rows: row 0 is digit 3 (predicted 3) with attributes 1,0,1,0,1,0 and z signs +,+,+,-,-,-
        // (right on columns 0, 2, 3, 5; wrong on 1, 4); row 1 digit 7 predicted 2, attributes all 0, z all −1 (all right).
        double[][] y = new double[2][16], z = new double[2][16];
        y[0][3] = 1;
        z[0][3] = 5;
        y[1][7] = 1;
        z[1][2] = 5;
        double[] attrs = {1, 0, 1, 0, 1, 0}, z0 = {1, 1, 1, -1, -1, -1};
        for (int k = 0; k < 6; k++) {
            y[0][10 + k] = attrs[k];
            z[0][10 + k] = z0[k];
            z[1][10 + k] = -1;
        }
        double[] a = MixedTasks.accuracies(z, Targets.of(y));
        assertThat(a).containsExactly(0.5, 1.0, 0.5, 1.0, 1.0, 0.5, 1.0);
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Double.doubleToRawLongBits(v[i]);
        return b;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int n = 0; n < a.length; n++) c[n] = a[n].clone();
        return c;
    }

    /** [layer of net.layers()][row o of W, then b] copies. */
    private static double[][][] weights(TaskNetwork net) {
        double[][][] w = new double[net.layers().size()][][];
        for (int j = 0; j < w.length; j++) {
            Dense l = net.layers().get(j);
            w[j] = new double[l.O + 1][];
            for (int o = 0; o < l.O; o++) w[j][o] = l.W[o].clone();
            w[j][l.O] = l.b.clone();
        }
        return w;
    }
}
