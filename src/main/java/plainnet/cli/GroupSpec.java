package plainnet.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import plainnet.Loss;
import plainnet.Reduction;
import plainnet.kinds.Kind;
import plainnet.kinds.Kinds;

/**
 * One output group as the command line gives it ({@code train --group}, {@code transfer
 * --add-task}; SPEC.md §27.7):
 *
 * <pre>
 *   NAME:KIND:COLUMNS[:weight=W][:tower=H1,H2,...][:reduction=R][:pos-weight=P,...][:task-weight=T,...][:classes=C]
 * </pre>
 *
 * KIND is a {@link Kinds} name; COLUMNS the label columns in {@code --labels}' syntax (one for
 * softmax); a part {@code :KEY=VALUE} starts wherever a colon is followed by a word and '=', so
 * COLUMNS may hold {@code last:2} and {@code tower=} items {@code 16:relu}. Every error names the
 * option, the group and the part, with a did-you-mean for kinds, keys and values.
 */
final class GroupSpec {

    /** The keys a spec takes, in the order help lists them. */
    static final String[] KEYS = {"weight", "tower", "reduction", "pos-weight", "task-weight", "classes"};

    final String name;
    final Kind kind;
    /** The label columns, in {@code --labels}' syntax. */
    final String columns;
    /** The task weight w_g (default 1). */
    final double weight;
    /** The tower's hidden layers in {@code --hidden}'s syntax ("" for none: the output layer alone). */
    final String tower;
    final Reduction reduction;
    /** (columns) per-column weights, or null. */
    final double[] taskWeight, posWeight;
    /** The number of softmax classes, or 0 when the data (or --classes) decides. */
    final int classes;
    /** "--group digit", as messages name the group. */
    final String said;

    private GroupSpec(String name, Kind kind, String columns, double weight, String tower, Reduction reduction, double[] taskWeight, double[] posWeight,
                      int classes, String said) {
        this.name = name;
        this.kind = kind;
        this.columns = columns;
        this.weight = weight;
        this.tower = tower;
        this.reduction = reduction;
        this.taskWeight = taskWeight;
        this.posWeight = posWeight;
        this.classes = classes;
        this.said = said;
    }

    /**
     * Parses one spec; {@code option} is the option's name ("group", "add-task") and
     * {@code classes} the --classes given (0: none), the default of a softmax group's classes=.
     */
    static GroupSpec parse(String text, String option, int classes) throws UsageException {
        String syntax = "NAME:KIND:COLUMNS[:weight=W][:tower=H1,H2,..][:reduction=R][:pos-weight=P1,..][:task-weight=T1,..][:classes=C]";
        String[] head = text.split(":", 3);
        if (head.length < 3 || head[0].trim().isEmpty()) {
            throw new UsageException("option --" + option + " expected " + syntax + ", found '" + text + "'");
        }
        String name = head[0].trim();
        String said = "--" + option + " " + name;
        String at = "option " + said + ": ";
        Kind kind = Kinds.named(head[1].trim());
        if (kind == null) {
            throw new UsageException(at + "expected a kind " + String.join(", ", Kinds.names()) + " after the name, found '" + head[1].trim() + "'"
                + Options.near(head[1].trim(), Kinds.names()));
        }
        String[] parts = head[2].split(":(?=[A-Za-z][A-Za-z_-]*=)", -1);
        String columns = parts[0].trim();
        if (columns.isEmpty()) throw new UsageException(at + "expected label COLUMNS after the kind, found none (" + syntax + ")");
        Map<String, String> given = new LinkedHashMap<String, String>();
        for (int j = 1; j < parts.length; j++) {
            int eq = parts[j].indexOf('=');
            String key = parts[j].substring(0, eq).trim(), value = parts[j].substring(eq + 1).trim();
            boolean known = false;
            for (String k : KEYS) known |= k.equals(key);
            if (!known) {
                throw new UsageException(at + "unknown key '" + key + "'" + Options.near(key, KEYS) + " (keys: " + String.join(", ", KEYS) + ")");
            }
            if (given.containsKey(key)) throw new UsageException(at + "key " + key + "= given twice");
            given.put(key, value);
        }
        double weight = 1.0;
        if (given.containsKey("weight")) {
            String w = given.get("weight");
            try {
                weight = Double.parseDouble(w);
            } catch (NumberFormatException e) {
                weight = Double.NaN;
            }
            if (!(weight >= 0.0 && weight < Double.POSITIVE_INFINITY)) throw new UsageException(at + "weight= expected a finite number >= 0, found '" + w + "'");
        }
        String tower = given.containsKey("tower") ? given.get("tower") : "";
        Build.hidden(tower, 1, null, option + " " + name + ": tower=");
        Reduction reduction = Reduction.PER_EXAMPLE;
        if (given.containsKey("reduction")) {
            String r = given.get("reduction");
            boolean ok = false;
            for (String w : Build.REDUCTIONS) ok |= w.equals(r);
            if (!ok) throw new UsageException(at + "reduction= expected one of " + String.join(", ", Build.REDUCTIONS) + ", found '" + r + "'" + Options.near(r, Build.REDUCTIONS));
            reduction = Reduction.parse(r);
        }
        double[] taskWeight = Options.numbers(at + "task-weight=", given.get("task-weight"));
        double[] posWeight = Options.numbers(at + "pos-weight=", given.get("pos-weight"));
        if (taskWeight != null && kind.taskWeightField() == null) {
            throw new UsageException(at + "task-weight= applies to the kinds " + Kinds.taking(false) + " only, found it for " + kind.name() + " (use weight= for the group's weight)");
        }
        if (posWeight != null && kind.posWeightField() == null) {
            throw new UsageException(at + "pos-weight= applies to the kind " + Kinds.taking(true) + " only, found it for " + kind.name());
        }
        int C = kind.oneLabelColumn() ? classes : 0;
        if (given.containsKey("classes")) {
            if (!kind.oneLabelColumn()) throw new UsageException(at + "classes= applies to the kind softmax only, found it for " + kind.name());
            String v = given.get("classes");
            try {
                C = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                C = -1;
            }
            if (C < 2 || C > Kinds.MAX_CLASSES) throw new UsageException(at + "classes= expected a whole number in 2.." + Kinds.MAX_CLASSES + ", found '" + v + "'");
        }
        return new GroupSpec(name, kind, columns, weight, tower, reduction, taskWeight, posWeight, C, said);
    }

    /** The group's loss for K outputs, its per-column weights checked against its label columns. */
    Loss loss(int columnCount) throws UsageException {
        String at = "option " + said + ": ";
        if (taskWeight != null && taskWeight.length != columnCount) {
            throw new UsageException(at + "task-weight= expected " + columnCount + " weights (one per label column), found " + taskWeight.length);
        }
        if (posWeight != null && posWeight.length != columnCount) {
            throw new UsageException(at + "pos-weight= expected " + columnCount + " weights (one per label column), found " + posWeight.length);
        }
        try {
            return kind.loss(reduction, taskWeight, posWeight);
        } catch (IllegalArgumentException e) {
            throw new UsageException(at + e.getMessage());
        }
    }

    /** How a label hint names another kind for this group: "--group digit:bce:digit". */
    String option(String otherKind) {
        return said + ":" + otherKind + ":" + columns;
    }
}
