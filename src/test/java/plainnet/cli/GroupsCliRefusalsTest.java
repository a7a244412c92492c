package plainnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plainnet.Rng;

/**
 * Commands on models of several groups that would otherwise fail late, ignore what the user gave,
 * or write a file that plainnet cannot read back (SPEC.md §27.7): each is one line, exit 2, and
 * leaves the files as they were; and what --add-task says about the old groups' labels.
 */
class GroupsCliRefusalsTest {

    @TempDir
    Path dir;

    private Cli cli;

    /** 90 rows: features a, b, c; t1 = [a + b > 0], t2 = [a − c > 0]; cls = 0/1/2 by a; y = 2a + b. */
    @BeforeEach
    void data() throws Exception {
        cli = new Cli(dir);
        Rng rng = new Rng(11);
        StringBuilder s = new StringBuilder("a,b,c,t1,t2,cls,y\n");
        for (int n = 0; n < 90; n++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian(), c = rng.nextGaussian();
            int cls = a > 0.5 ? 2 : a > -0.5 ? 1 : 0;
            s.append(a).append(',').append(b).append(',').append(c).append(',').append(a + b > 0 ? 1 : 0).append(',').append(a - c > 0 ? 1 : 0).append(',')
                .append(cls).append(',').append(2 * a + b).append('\n');
        }
        Files.writeString(dir.resolve("d.csv"), s);
    }

    private int train(String model, String... groups) {
        List<String> a = new ArrayList<>(List.of("train", "--data", "@d.csv", "--features", "a..c", "--hidden", "4:tanh", "--epochs", "2", "--quiet", "--out",
            "@" + model));
        for (String g : groups) a.addAll(List.of("--group", g));
        return cli.run(a.toArray(new String[0]));
    }

    /** Exit 2, one line on standard error naming what is given, no stack trace or internal error. */
    private void refused(int code, String... parts) {
        assertThat(code).as(cli.err).isEqualTo(2);
        assertThat(cli.err.trim()).doesNotContain("\n", "internal error", "Exception").contains(parts);
    }

    @Test
    void plainTransferOfSeveralGroups_namesAddTaskAndRemoveTask() {
        assertThat(train("m.json", "digit:softmax:cls", "tasks:bce:t1")).as(cli.err).isZero();
        // without --loss it failed on the grouped loss's class; with --loss on the missing plain network
        refused(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t2", "--quiet", "--out", "@r.json"),
            "expected a model of one output group", "with 2 (digit, tasks)", "--add-task", "--remove-task");
        refused(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--labels", "t2", "--loss", "bce", "--quiet", "--out", "@r.json"),
            "expected a model of one output group");
        assertThat(Files.exists(dir.resolve("r.json"))).isFalse();
    }

    @Test
    void removeTask_refusesTheOptionsItWouldIgnore_andNamesTheTaskLeft() throws Exception {
        assertThat(train("m.json", "digit:softmax:cls", "tasks:bce:t1,t2")).as(cli.err).isZero();
        refused(cli.run("transfer", "--model", "@m.json", "--remove-task", "digit", "--data", "@d.csv", "--epochs", "5", "--out", "@r.json"),
            "option --data does not go with --remove-task", "reads no data and trains nothing");
        refused(cli.run("transfer", "--model", "@m.json", "--remove-task", "digit", "--train-trunk", "--out", "@r.json"), "option --train-trunk does not go with --remove-task");
        assertThat(Files.exists(dir.resolve("r.json"))).isFalse();
        // the one task left is named by the group's name, not by the name version 1 reads back ("tasks" here too, so use the other one)
        assertThat(cli.run("transfer", "--model", "@m.json", "--remove-task", "tasks", "--out", "@r.json")).as(cli.err).isZero();
        assertThat(cli.out).contains("task tasks removed; 1 task left: digit, now a plain network: model file version 1");
        assertThat(Files.readString(dir.resolve("r.json"))).contains("\"version\": 1");
    }

    @Test
    void addTask_onAColumnOfAnOldGroup_refused() throws Exception {
        assertThat(train("m.json", "digit:softmax:cls", "tasks:bce:t1,t2")).as(cli.err).isZero();
        byte[] before = Files.readAllBytes(dir.resolve("m.json"));
        // the model it made could not be evaluated on data with t2 (a column in two groups), and predict wrote t2 twice
        refused(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--add-task", "again:bce:t2", "--epochs", "1", "--quiet", "--out", "@r.json"),
            "option --add-task again: expected label columns that no task of the model", "found \"t2\", a label column of its group tasks");
        refused(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--add-task", "c2:softmax:cls", "--epochs", "1", "--quiet", "--out", "@r.json"),
            "found \"cls\", a label column of its group digit");
        assertThat(Files.exists(dir.resolve("r.json"))).isFalse();
        assertThat(Files.readAllBytes(dir.resolve("m.json"))).isEqualTo(before);
    }

    @Test
    void groupWeight_oneMessageForEveryBadValue() {
        // one number, not a list: "nan", "" and "1,2" were "expected comma-separated numbers"
        for (String w : new String[] {"nan", "", "1,2", "-1", "Infinity", "1e400", "x"}) {
            refused(train("m.json", "digit:softmax:cls", "tasks:bce:t1:weight=" + w), "option --group tasks: weight= expected a finite number >= 0, found '" + w + "'");
        }
        assertThat(train("m.json", "digit:softmax:cls", "tasks:bce:t1:weight=0.5")).as(cli.err).isZero();
    }

    @Test
    void addTask_startLineSaysWhichOldGroupsTheDataLabels() throws Exception {
        assertThat(train("m.json", "digit:softmax:cls", "tasks:bce:t1,t2")).as(cli.err).isZero();
        // the new task's data: the features, cls and y; t2 missing, so the group tasks is unlabeled (with --train-trunk it would not hold the trunk)
        List<String> lines = Files.readAllLines(dir.resolve("d.csv"));
        lines.set(0, lines.get(0).replace("t2", "other"));
        Files.write(dir.resolve("e.csv"), lines);
        assertThat(cli.run("transfer", "--model", "@m.json", "--data", "@e.csv", "--add-task", "value:mse:y", "--epochs", "1", "--out", "@r.json")).as(cli.err).isZero();
        assertThat(cli.err).contains("new group value: mse on y (1 output); the model's groups digit labeled from the data, "
            + "tasks unlabeled (not all of its label columns in the data)");
    }

    @Test
    void groupNamesWithACommaOrAQuote_historyAndPredictStayCsv() throws Exception {
        assertThat(cli.run("train", "--data", "@d.csv", "--features", "a..c", "--hidden", "4:tanh", "--epochs", "2", "--quiet", "--split", "0.2", "--history", "@h.csv",
            "--group", "d,x:softmax:cls", "--group", "a\"b:bce:t1", "--out", "@m.json")).as(cli.err).isZero();
        // the header was epoch,...,val_d,x_accuracy,val_a"b_accuracy,...: 12 names over 11 values, and a bare quote
        List<String> h = Files.readAllLines(dir.resolve("h.csv"));
        assertThat(h.get(0)).isEqualTo("epoch,stage,trainable_from,lr,train_loss,val_loss,\"val_d,x_accuracy\",\"val_a\"\"b_accuracy\",kept,seconds");
        assertThat(cli.run("predict", "--model", "@m.json", "--data", "@d.csv", "--out", "@p.csv")).as(cli.err).isZero();
        assertThat(Files.readAllLines(dir.resolve("p.csv")).get(0)).isEqualTo("line,cls=0,cls=1,cls=2,\"d,x\",t1");
        // both headers read back by plainnet's own CSV reader, as long as the rows (whose fields are numbers)
        for (String file : new String[] {"h.csv", "p.csv"}) {
            plainnet.io.Csv csv = plainnet.io.Csv.open(dir.resolve(file), null, Long.MAX_VALUE);
            assertThat(csv.header).as(file).contains(file.equals("h.csv") ? "val_d,x_accuracy" : "d,x")
                .hasSize(Files.readAllLines(dir.resolve(file)).get(1).split(",", -1).length);
        }
    }

    @Test
    void evaluateAndGradcheck_partOfAGroupsColumns_nameTheGroup() throws Exception {
        assertThat(train("m.json", "digit:softmax:cls", "tasks:bce:t1,t2")).as(cli.err).isZero();
        // t2 renamed T2: the group tasks has one of its two columns
        List<String> lines = Files.readAllLines(dir.resolve("d.csv"));
        lines.set(0, lines.get(0).replace("t2", "T2"));
        Files.write(dir.resolve("e.csv"), lines);
        for (String command : new String[] {"evaluate", "gradcheck"}) {
            refused(cli.run(command, "--model", "@m.json", "--data", "@e.csv"), "e.csv:1: expected all or none of the label columns of the model's group tasks (t1, t2)",
                "found 1 of 2, without \"t2\"; did you mean \"T2\"?");
        }
        // none of them: the group is unlabeled, and evaluate says so
        lines.set(0, lines.get(0).replace("t1", "u1").replace("T2", "u2"));
        Files.write(dir.resolve("e.csv"), lines);
        assertThat(cli.run("evaluate", "--model", "@m.json", "--data", "@e.csv")).as(cli.err).isZero();
        assertThat(cli.out).contains("group tasks (bce, weight 1.0, outputs 3..4): no label column of it in the data");
    }

    @Test
    void softmaxGroupNamedLikeAColumnOfPredict_refusedBeforeTraining() throws Exception {
        // predict's header would be line,cls=0,cls=1,cls=2,t1,t1: a file that plainnet's CSV reader refuses
        refused(train("m.json", "t1:softmax:cls", "tasks:bce:t1"), "option --group t1: expected a softmax group's name that is not a column of predict's output",
            "found \"t1\"", "rename the group");
        refused(train("m.json", "line:softmax:cls", "tasks:bce:t1"), "option --group line:", "found \"line\"");
        refused(train("m.json", "tasks:bce:t1", "cls=1:softmax:cls"), "found \"cls=1\"");
        assertThat(Files.exists(dir.resolve("m.json"))).isFalse();

        assertThat(train("m.json", "tasks:bce:t1,t2")).as(cli.err).isZero();
        refused(cli.run("transfer", "--model", "@m.json", "--data", "@d.csv", "--add-task", "t2:softmax:cls", "--epochs", "1", "--quiet", "--out", "@r.json"),
            "option --add-task t2: expected a softmax group's name");
        assertThat(Files.exists(dir.resolve("r.json"))).isFalse();

        // the clash of an old group's class column with the new task's output is blamed on the old group's name
        assertThat(train("o.json", "t2:softmax:cls", "tasks:bce:t1")).as(cli.err).isZero();
        refused(cli.run("transfer", "--model", "@o.json", "--data", "@d.csv", "--add-task", "x:mse:t2", "--epochs", "1", "--quiet", "--out", "@r.json"),
            "option --add-task x: expected the model's softmax groups' names to be no column of predict's output", "found \"t2\", the model's group");
        assertThat(Files.exists(dir.resolve("r.json"))).isFalse();

        // a model file made elsewhere (the API, from_torch) with such a name: predict refuses it, naming the field
        assertThat(train("g.json", "digit:softmax:cls", "value:mse:y")).as(cli.err).isZero();
        Files.writeString(dir.resolve("g.json"), Files.readString(dir.resolve("g.json")).replace("\"name\": \"digit\"", "\"name\": \"y\""));
        refused(cli.run("predict", "--model", "@g.json", "--data", "@d.csv", "--out", "@p.csv"), "g.json: field groups[0].name: expected a softmax group's name",
            "found \"y\"");
        assertThat(Files.exists(dir.resolve("p.csv"))).isFalse();
        // a bce or mse group may have any name: it adds no column
        assertThat(train("ok.json", "t2:bce:t1", "line:mse:y")).as(cli.err).isZero();
        assertThat(cli.run("predict", "--model", "@ok.json", "--data", "@d.csv", "--out", "@p.csv")).as(cli.err).isZero();
        assertThat(Files.readAllLines(dir.resolve("p.csv")).get(0)).isEqualTo("line,t1,y");
    }
}
