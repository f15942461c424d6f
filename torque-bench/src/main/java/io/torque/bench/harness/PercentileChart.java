package io.torque.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The latency percentile distribution of a scenario, as HdrHistogram plots are read: x is the
 * percentile on a log {@code 1/(1-p)} axis (50%, 90%, 99%, 99.9%, 99.99%, 99.999% evenly
 * spaced), y the latency in µs on a log axis, one curve per server. Plain SVG 1.1.
 */
final class PercentileChart {
    private static final int W = 640;
    private static final int H = 360;
    private static final int LEFT = 70;
    private static final int TOP = 40;
    private static final int PLOT_W = W - LEFT - 150;
    private static final int PLOT_H = H - TOP - 50;
    /** The x range: up to 99.999% (x = 5). */
    private static final double X_MAX = 5;
    private static final String[] COLOURS = {"#3b6ea5", "#d08a3c", "#5a9e6f", "#a05a9e", "#8c8c8c", "#c0392b", "#7aa6d6"};

    private PercentileChart() {
    }

    /** (x = log10(1/(1-p)), latency µs) points of {@code h}, up to 99.999%. */
    static List<double[]> points(Histogram h) {
        List<double[]> out = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            double x = p >= 1 ? X_MAX : Math.min(X_MAX, Math.log10(1 / (1 - p)));
            out.add(new double[] {x, Math.max(1, v.getValueIteratedTo())});
            if (x >= X_MAX) {
                break;
            }
        }
        return out;
    }

    static String svg(String title, List<String> servers, Map<String, Histogram> histograms) {
        double maxUs = 10;
        for (Histogram h : histograms.values()) {
            maxUs = Math.max(maxUs, h.getValueAtPercentile(99.999));
        }
        double yTop = Math.ceil(Math.log10(maxUs));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H, W, H));
        sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                title.replace("&", "&amp;").replace("<", "&lt;")));
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int i = 0; i <= X_MAX; i++) {
            double x = LEFT + PLOT_W * i / X_MAX;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP, x, TOP + PLOT_H, x, TOP + PLOT_H + 15,
                    labels[i]));
        }
        for (int d = 0; d <= yTop; d++) {
            double y = TOP + PLOT_H - PLOT_H * d / yTop;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s µs</text>%n", LEFT, y, LEFT + PLOT_W, y, LEFT - 4, y + 4,
                    String.format(Locale.ROOT, "%,.0f", Math.pow(10, d))));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                LEFT + PLOT_W / 2, H - 10));
        for (int i = 0; i < servers.size(); i++) {
            Histogram h = histograms.get(servers.get(i));
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder path = new StringBuilder();
            for (double[] pt : points(h)) {
                double x = LEFT + PLOT_W * pt[0] / X_MAX;
                double y = TOP + PLOT_H - PLOT_H * Math.log10(pt[1]) / yTop;
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
            }
            sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path, colour));
            int ly = TOP + 12 + i * 16;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + PLOT_W + 10, ly, LEFT + PLOT_W + 30, ly, colour,
                    LEFT + PLOT_W + 34, ly + 4, servers.get(i)));
        }
        return sb.append("</svg>\n").toString();
    }
}
