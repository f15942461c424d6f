package io.torque.bench.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small SVG chart of a run: one panel per measure (throughput, p99 latency, ...), one
 * horizontal bar per server, each labelled with its value. Plain SVG 1.1, no script, so it shows
 * in a browser and embeds in Markdown.
 */
final class Chart {
    private static final int BAR = 22;
    private static final int GAP = 8;
    private static final int LABEL = 120;
    private static final int WIDTH = 300;
    private static final int PANEL = LABEL + WIDTH + 90;
    private static final String[] COLOURS = {"#3b6ea5", "#7aa6d6", "#d08a3c", "#8c8c8c", "#5a9e6f", "#a05a9e"};

    private Chart() {
    }

    /**
     * @param title the chart's title
     * @param servers the bars of each panel, in order
     * @param panels measure name to (server to value); NaN values are left out
     */
    static String svg(String title, List<String> servers, Map<String, Map<String, Double>> panels) {
        int height = 40 + servers.size() * (BAR + GAP) + 30;
        int width = panels.size() * PANEL + 20;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        int x0 = 10;
        for (Map.Entry<String, Map<String, Double>> panel : panels.entrySet()) {
            double max = panel.getValue().values().stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).max()
                    .orElse(1);
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"36\" font-weight=\"bold\">%s</text>%n", x0 + LABEL,
                    escape(panel.getKey())));
            int y = 44;
            for (int i = 0; i < servers.size(); i++) {
                String server = servers.get(i);
                Double v = panel.getValue().get(server);
                sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x0, y + BAR - 7, escape(server)));
                if (v != null && !v.isNaN()) {
                    int w = max > 0 ? (int) Math.max(1, Math.round(WIDTH * v / max)) : 1;
                    sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                            x0 + LABEL, y, w, BAR, COLOURS[i % COLOURS.length]));
                    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x0 + LABEL + w + 4, y + BAR - 7,
                            format(v)));
                }
                y += BAR + GAP;
            }
            x0 += PANEL;
        }
        return sb.append("</svg>\n").toString();
    }

    /** A panel map in insertion order. */
    static Map<String, Map<String, Double>> panels() {
        return new LinkedHashMap<>();
    }

    private static String format(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
