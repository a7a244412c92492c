package plainnet.demo;

import java.util.List;
import java.util.Locale;

/**
 * A minimal SVG writer for the demo's two kinds of chart: lines with error bars over categories,
 * and grouped bars with error bars. Text only, no dependency; the output is a complete SVG file.
 * The command line's training history ({@code --history}) draws its chart with {@link #lines}.
 */
public final class Svg {

    private static final int W = 720, H = 420, LEFT = 70, RIGHT = 200, TOP = 50, BOTTOM = 60;
    private static final String[] COLORS = {"#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#555555"};

    private Svg() {}

    /** One series: a name, and per category a mean and the half-width of its error bar (the demo gives the standard error). */
    public static final class Series {
        final String name;
        final double[] mean, err;

        /**
         * A series of values over the categories.
         *
         * @param name its name in the legend
         * @param mean the value of each category (C), drawn clamped to the y range
         * @param err  the half-width of each error bar (C), 0 for none
         */
        public Series(String name, double[] mean, double[] err) {
            this.name = name;
            this.mean = mean;
            this.err = err;
        }
    }

    /**
     * Lines over categories (x), with ±err error bars; y from yMin to yMax. With more than 20
     * categories only every ⌈C/20⌉-th is labelled.
     *
     * @param title      the chart's title
     * @param xLabel     the label of the x axis
     * @param yLabel     the label of the y axis
     * @param categories the C categories, left to right
     * @param series     the lines, one colour each
     * @param yMin       the bottom of the y axis
     * @param yMax       the top of the y axis, &gt; yMin
     * @return a complete SVG document
     */
    public static String lines(String title, String xLabel, String yLabel, String[] categories, List<Series> series, double yMin, double yMax) {
        return lines(title, xLabel, yLabel, categories, series, yMin, yMax, -1);
    }

    /**
     * {@link #lines(String, String, String, String[], List, double, double)} with a dashed vertical
     * line through one category (the training history marks the epoch whose weights were kept).
     *
     * @param title      the chart's title
     * @param xLabel     the label of the x axis
     * @param yLabel     the label of the y axis
     * @param categories the C categories, left to right
     * @param series     the lines, one colour each
     * @param yMin       the bottom of the y axis
     * @param yMax       the top of the y axis, &gt; yMin
     * @param mark       the index of the category to mark, or −1 for none
     * @return a complete SVG document
     */
    public static String lines(String title, String xLabel, String yLabel, String[] categories, List<Series> series, double yMin, double yMax, int mark) {
        StringBuilder s = header(title, xLabel, yLabel, categories, yMin, yMax);
        double step = (W - LEFT - RIGHT) / (double) categories.length; // points sit at the centre of each category
        if (mark >= 0 && mark < categories.length) {
            double px = LEFT + (mark + 0.5) * step;
            s.append(String.format(Locale.ROOT, "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" stroke=\"#888888\" stroke-dasharray=\"4,3\"/>%n", f(px), TOP, f(px), H - BOTTOM));
        }
        for (int j = 0; j < series.size(); j++) {
            Series se = series.get(j);
            String color = COLORS[j % COLORS.length];
            StringBuilder path = new StringBuilder();
            for (int c = 0; c < categories.length; c++) {
                double px = LEFT + (c + 0.5) * step + (j - (series.size() - 1) / 2.0) * 3; // offset so error bars do not overlap
                double py = y(se.mean[c], yMin, yMax);
                path.append(c == 0 ? "M" : " L").append(f(px)).append(',').append(f(py));
                errorBar(s, px, se.mean[c], se.err[c], yMin, yMax, color);
                s.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"3.5\" fill=\"%s\"/>%n", f(px), f(py), color));
            }
            s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path, color));
            legend(s, j, se.name, color);
        }
        return s.append("</svg>\n").toString();
    }

    /** Grouped bars: one group per category, one bar per series, with ±err error bars. */
    static String bars(String title, String xLabel, String yLabel, String[] categories, List<Series> series, double yMin, double yMax) {
        StringBuilder s = header(title, xLabel, yLabel, categories, yMin, yMax);
        double group = (W - LEFT - RIGHT) / (double) categories.length;
        double bar = group * 0.8 / series.size();
        for (int j = 0; j < series.size(); j++) {
            Series se = series.get(j);
            String color = COLORS[j % COLORS.length];
            for (int c = 0; c < categories.length; c++) {
                double x0 = LEFT + c * group + group * 0.1 + j * bar;
                double top = y(se.mean[c], yMin, yMax);
                s.append(String.format(Locale.ROOT, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>%n",
                    f(x0), f(top), f(bar * 0.9), f(y(yMin, yMin, yMax) - top), color));
                errorBar(s, x0 + bar * 0.45, se.mean[c], se.err[c], yMin, yMax, "#222222");
            }
            legend(s, j, se.name, color);
        }
        return s.append("</svg>\n").toString();
    }

    private static StringBuilder header(String title, String xLabel, String yLabel, String[] categories, double yMin, double yMax) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT, escape(title)));
        int plotRight = W - RIGHT;
        for (int g = 0; g <= 5; g++) {
            double v = yMin + (yMax - yMin) * g / 5.0;
            double py = y(v, yMin, yMax);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\" stroke=\"#dddddd\"/>%n", LEFT, f(py), plotRight, f(py)));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%s\" text-anchor=\"end\">%.2f</text>%n", LEFT - 6, f(py + 4), v));
        }
        double step = (plotRight - LEFT) / (double) categories.length;
        int every = (categories.length + 19) / 20; // at most 20 labels, so that long runs stay legible
        for (int c = 0; c < categories.length; c++) {
            if (c % every != 0) continue;
            double px = LEFT + step * (c + 0.5);
            s.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", f(px), H - BOTTOM + 18, escape(categories[c])));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, H - BOTTOM, plotRight, H - BOTTOM));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, H - BOTTOM));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", (LEFT + plotRight) / 2, H - 15, escape(xLabel)));
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(18,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>%n", (TOP + H - BOTTOM) / 2, escape(yLabel)));
        return s;
    }

    private static void errorBar(StringBuilder s, double px, double mean, double err, double yMin, double yMax, String color) {
        double lo = y(Math.max(yMin, mean - err), yMin, yMax), hi = y(Math.min(yMax, mean + err), yMin, yMax);
        s.append(String.format(Locale.ROOT, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\"/>%n", f(px), f(lo), f(px), f(hi), color));
    }

    private static void legend(StringBuilder s, int j, String name, String color) {
        int x = W - RIGHT + 15, y = TOP + 10 + 20 * j;
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", x, y - 10, color));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 18, y, escape(name)));
    }

    private static double y(double v, double yMin, double yMax) {
        double clamped = Math.max(yMin, Math.min(yMax, v));
        return (H - BOTTOM) - (clamped - yMin) / (yMax - yMin) * (H - BOTTOM - TOP);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
