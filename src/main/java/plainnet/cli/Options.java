package plainnet.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import plainnet.io.Csv;

/**
 * The options of one command: declared with a name, a value placeholder (null for a flag), a
 * default and a help line; parsed strictly from {@code --name value}, {@code --name=value} and
 * {@code --flag}. An unknown option, a missing value, a repeated option or a stray argument is a
 * {@link UsageException} with a hint.
 */
final class Options {

    private static final class Option {
        final String name, value, fallback, help;

        Option(String name, String value, String fallback, String help) {
            this.name = name;
            this.value = value;
            this.fallback = fallback;
            this.help = help;
        }
    }

    private final String command, summary;
    private final Map<String, Option> declared = new LinkedHashMap<String, Option>();
    private final Map<String, String> given = new LinkedHashMap<String, String>();
    /** Options that may be given several times (e.g. train --group), with their values in order. */
    private final Map<String, List<String>> repeated = new LinkedHashMap<String, List<String>>();
    /** Options that may also be given as plain arguments, in this order (e.g. verify VECTOR RESULT). */
    private final List<String> positional = new ArrayList<String>();

    Options(String command, String summary) {
        this.command = command;
        this.summary = summary;
        flag("help", "print this help");
    }

    /** Declares an option that takes a value; fallback null means "not set". */
    Options value(String name, String value, String fallback, String help) {
        declared.put(name, new Option(name, value, fallback, help));
        return this;
    }

    /** Declares an option that takes a value and may be given several times ({@link #values}). */
    Options repeatable(String name, String value, String help) {
        value(name, value, null, help);
        repeated.put(name, new ArrayList<String>());
        return this;
    }

    /** Every value given to a repeatable option, in order (empty when not given). */
    List<String> values(String name) {
        if (!repeated.containsKey(name)) throw new IllegalStateException("option " + name + " is not repeatable");
        return repeated.get(name);
    }

    /** Lets the value options named here also be given, in this order, as plain arguments. */
    Options positional(String... names) {
        for (String n : names) positional.add(n);
        return this;
    }

    Options flag(String name, String help) {
        declared.put(name, new Option(name, null, null, help));
        return this;
    }

    /** Parses the arguments; false when --help was given (the help text is then to be printed). */
    boolean parse(String[] args) throws UsageException {
        int plain = 0;
        for (int j = 0; j < args.length; j++) {
            String a = args[j];
            if (!a.startsWith("--")) {
                if (plain < positional.size()) {
                    String name = positional.get(plain++);
                    if (given.containsKey(name)) throw new UsageException("option --" + name + " given twice (once as a plain argument)");
                    given.put(name, a);
                    continue;
                }
                throw new UsageException("unexpected argument '" + a + "': every input is named by an option (see 'plainnet " + command + " --help')");
            }
            String name = a.substring(2), value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option o = declared.get(name);
            if (o == null) throw new UsageException("unknown option --" + name + hint(name) + " (see 'plainnet " + command + " --help')");
            if (given.containsKey(name) && !repeated.containsKey(name)) throw new UsageException("option --" + name + " given twice");
            if (o.value == null) {
                if (value != null) throw new UsageException("option --" + name + " takes no value, found '" + value + "'");
                given.put(name, "true");
                continue;
            }
            if (value == null) {
                if (j + 1 >= args.length || (args[j + 1].startsWith("--") && !isNumber(args[j + 1]))) {
                    throw new UsageException("option --" + name + " expected a value " + o.value + ", found none");
                }
                value = args[++j];
            }
            given.put(name, value);
            if (repeated.containsKey(name)) repeated.get(name).add(value);
        }
        return !has("help");
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** ", did you mean --x?" for the closest declared name within edit distance 2, else "". */
    private String hint(String name) {
        String best = null;
        int bestDistance = 3;
        for (String d : declared.keySet()) {
            int dist = Csv.distance(name, d);
            if (dist < bestDistance) {
                best = d;
                bestDistance = dist;
            }
        }
        return best == null ? "" : "; did you mean --" + best + "?";
    }

    boolean has(String name) {
        return given.containsKey(name);
    }

    /** The names of the options given, in the order they were first given. */
    List<String> givenNames() {
        return new ArrayList<String>(given.keySet());
    }

    /** The value given, else the default (may be null). */
    String get(String name) {
        if (!declared.containsKey(name)) throw new IllegalStateException("undeclared option " + name);
        return given.containsKey(name) ? given.get(name) : declared.get(name).fallback;
    }

    String required(String name) throws UsageException {
        String v = get(name);
        if (v == null) throw new UsageException("option --" + name + " is required (see 'plainnet " + command + " --help')");
        return v;
    }

    int integer(String name, int min) throws UsageException {
        String v = required(name);
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("option --" + name + " expected a whole number >= " + min + ", found '" + v + "'");
    }

    long longValue(String name) throws UsageException {
        String v = required(name);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " expected a whole number, found '" + v + "'");
        }
    }

    /** A finite number; strictly above {@code min} when strict, else at least {@code min}. */
    double number(String name, double min, boolean strict) throws UsageException {
        String v = required(name);
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (Double.isNaN(d) || Double.isInfinite(d) || (strict ? d <= min : d < min)) {
            throw new UsageException("option --" + name + " expected a number " + (strict ? "> " : ">= ") + min + ", found '" + v + "'");
        }
        return d;
    }

    /** A comma-separated list of numbers, or null when the option is not set. */
    double[] numbers(String name) throws UsageException {
        return numbers("option --" + name, get(name));
    }

    /** The comma-separated finite numbers of v (null for null); {@code what} starts the message, e.g. "option --task-weight". */
    static double[] numbers(String what, String v) throws UsageException {
        if (v == null) return null;
        String[] parts = v.split(",", -1);
        double[] out = new double[parts.length];
        for (int j = 0; j < parts.length; j++) {
            try {
                out[j] = Double.parseDouble(parts[j].trim());
            } catch (NumberFormatException e) {
                throw new UsageException(what + " expected comma-separated numbers, found '" + parts[j] + "' in '" + v + "'");
            }
            if (Double.isNaN(out[j]) || Double.isInfinite(out[j])) throw new UsageException(what + " expected finite numbers, found '" + parts[j] + "'");
        }
        return out;
    }

    /** One of the given words. */
    String choice(String name, String... words) throws UsageException {
        String v = required(name);
        for (String w : words) if (w.equals(v)) return v;
        throw new UsageException("option --" + name + " expected one of " + String.join(", ", words) + ", found '" + v + "'" + near(v, words));
    }

    /** "; did you mean x?" for the word closest to v (lower-cased) within edit distance 2, else "". */
    static String near(String v, String... words) {
        String near = null;
        int best = 3;
        for (String w : words) {
            int d = Csv.distance(v.toLowerCase(Locale.ROOT), w);
            if (d < best) {
                near = w;
                best = d;
            }
        }
        return near == null ? "" : "; did you mean " + near + "?";
    }

    String help() {
        StringBuilder usage = new StringBuilder("usage: plainnet " + command);
        for (String p : positional) usage.append(' ').append(p.toUpperCase(Locale.ROOT));
        StringBuilder s = new StringBuilder(usage + " [OPTIONS]\n\n" + summary + "\n\noptions:\n");
        List<String> left = new ArrayList<String>();
        int width = 0;
        for (Option o : declared.values()) {
            String l = "--" + o.name + (o.value == null ? "" : " " + o.value);
            left.add(l);
            width = Math.max(width, l.length());
        }
        int j = 0;
        for (Option o : declared.values()) {
            s.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%s%n", left.get(j++), o.help, o.fallback == null || o.fallback.isEmpty() ? "" : " (default " + o.fallback + ")"));
        }
        return s.toString();
    }
}
