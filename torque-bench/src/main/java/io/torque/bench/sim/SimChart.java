package io.torque.bench.sim;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulator's chart: p99 sojourn time against offered load per PE, one curve per policy, on
 * a log y axis, with the p99 bound as a dashed line and each policy's maximum load at the bound
 * in its legend. Plain SVG 1.1.
 */
final class SimChart {
    private static final int W = 640;
    private static final int H = 380;
    private static final int LEFT = 70;
    private static final int TOP = 40;
    private static final int PLOT_W = W - LEFT - 190;
    private static final int PLOT_H = H - TOP - 50;
    private static final String[] COLOURS = {"#8c8c8c", "#3b6ea5", "#d08a3c", "#5a9e6f", "#a05a9e", "#c0392b"};

    private SimChart() {
    }

    static String svg(String title, List<Policy> policies, List<Result> results, double boundMicros,
            Map<Policy, Double> maxLoad) {
        double maxLoadAxis = 1;
        double yMax = boundMicros * 10;
        double yMin = Double.MAX_VALUE;
        for (Result r : results) {
            yMax = Math.max(yMax, r.p99Micros());
            yMin = Math.min(yMin, Math.max(0.1, r.p99Micros()));
        }
        double lo = Math.floor(Math.log10(Math.min(yMin, boundMicros / 10)));
        double hi = Math.ceil(Math.log10(yMax));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H, W, H));
        sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                title.replace("&", "&amp;").replace("<", "&lt;")));
        for (int i = 0; i <= 10; i += 2) {
            double x = LEFT + PLOT_W * i / 10.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f</text>%n", x, TOP, x, TOP + PLOT_H, x,
                    TOP + PLOT_H + 15, i / 10.0));
        }
        for (double d = lo; d <= hi; d++) {
            double y = y(d, lo, hi);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s µs</text>%n", LEFT, y, LEFT + PLOT_W, y, LEFT - 4, y + 4,
                    format(Math.pow(10, d))));
        }
        double by = y(Math.log10(boundMicros), lo, hi);
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c0392b\" "
                + "stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"%.1f\" fill=\"#c0392b\">p99 bound</text>%n", LEFT, by, LEFT + PLOT_W,
                by, LEFT + 4, by - 4));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">offered load per PE</text>%n",
                LEFT + PLOT_W / 2, H - 10));
        sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">"
                + "p99 sojourn</text>%n", TOP + PLOT_H / 2, TOP + PLOT_H / 2));
        for (int i = 0; i < policies.size(); i++) {
            Policy p = policies.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder path = new StringBuilder();
            for (Result r : results) {
                if (r.policy() != p) {
                    continue;
                }
                double x = LEFT + PLOT_W * Math.min(r.load(), maxLoadAxis) / maxLoadAxis;
                double y = y(Math.log10(Math.max(Math.pow(10, lo), r.p99Micros())), lo, hi);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", x, y, colour));
            }
            sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path,
                    colour));
            int ly = TOP + 12 + i * 16;
            Double max = maxLoad.get(p);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s%s</text>%n", LEFT + PLOT_W + 10, ly, LEFT + PLOT_W + 30, ly, colour,
                    LEFT + PLOT_W + 34, ly + 4, p, max == null ? "" : String.format(Locale.ROOT, " (max %.2f)", max)));
        }
        return sb.append("</svg>\n").toString();
    }

    private static double y(double log, double lo, double hi) {
        return TOP + PLOT_H - PLOT_H * (log - lo) / (hi - lo);
    }

    private static String format(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
