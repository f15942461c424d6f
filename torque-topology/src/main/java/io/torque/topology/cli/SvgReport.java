package io.torque.topology.cli;

import java.util.List;
import java.util.Locale;

import io.torque.topology.Cache;
import io.torque.topology.Core;
import io.torque.topology.CpuPackage;
import io.torque.topology.IoDevice;
import io.torque.topology.NumaNode;
import io.torque.topology.Topology;

/**
 * The topology as one SVG picture, as lstopo draws it: packages holding their NUMA nodes (with
 * memory), their shared caches, and their cores, each core holding its private caches and its
 * processing units; usable PUs white, the others shaded; the I/O devices under the machine,
 * each naming its node. Plain SVG 1.1, no script.
 */
final class SvgReport {
    private static final int PU_W = 58;
    private static final int PU_H = 20;
    private static final int PAD = 6;
    private static final int LINE = 16;
    private static final int CORES_PER_ROW = 8;

    private SvgReport() {
    }

    static String of(Topology t) {
        StringBuilder body = new StringBuilder();
        int y = 34;
        int width = 300;
        for (CpuPackage p : t.packages().isEmpty() ? List.of(new CpuPackage(0, t.onlineCpus())) : t.packages()) {
            int[] size = pkg(body, t, p, 10, y);
            width = Math.max(width, size[0] + 20);
            y += size[1] + PAD * 2;
        }
        if (!t.ioDevices().isEmpty()) {
            int h = PAD * 2 + LINE * (t.ioDevices().size() + 1);
            body.append(box(10, y, width - 20, h, "#f4efe6", "io"));
            text(body, 10 + PAD, y + PAD + 12, "I/O devices", true);
            int ty = y + PAD + 12 + LINE;
            for (IoDevice d : t.ioDevices()) {
                text(body, 10 + PAD * 2, ty, d.kind() + " " + d.name() + (d.pciAddress() != null ? " (PCI " + d.pciAddress() + ")" : "")
                        + ", NUMA node " + (d.numaNode() < 0 ? "unknown" : Integer.toString(d.numaNode()))
                        + (d.cpus().isEmpty() ? "" : ", local CPUs " + d.cpus()), false);
                ty += LINE;
            }
            y += h + PAD;
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", width, y + 10));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, y + 10));
        text(svg, 10, 20, "Machine: " + t.usableCpus().size() + " usable of " + t.onlineCpus().size() + " online CPUs"
                + (t.totalMemoryBytes() > 0 ? ", " + TextReport.size(t.totalMemoryBytes()) : ""), true);
        svg.append(body).append("</svg>\n");
        return svg.toString();
    }

    /** Draws a package at (x, y); returns its width and height. */
    private static int[] pkg(StringBuilder sb, Topology t, CpuPackage p, int x, int y) {
        StringBuilder inner = new StringBuilder();
        int cy = y + PAD + 12;
        String label = "Package P#" + (p.id() < 0 ? "?" : Integer.toString(p.id()));
        text(inner, x + PAD, cy, label, true);
        cy += LINE - 4;
        for (NumaNode n : t.numaNodes()) {
            if (!n.cpus().isEmpty() && p.cpus().containsAll(n.cpus())) {
                cy += 2;
                inner.append(box(x + PAD, cy, 0, 0, "#e8f0d8", "numa-" + n.id()));
                text(inner, x + PAD * 2, cy + 13, "NUMANode" + (n.kind().isEmpty() ? "" : "(" + n.kind() + ")") + " P#" + n.id() + " (" + (n.memoryBytes() > 0 ? TextReport.size(n.memoryBytes())
                        : "? bytes") + "), CPUs " + n.cpus(), false);
                cy += PU_H;
            }
        }
        for (Cache c : t.caches()) {
            if (c.cpus().size() > coreSize(t, c) && p.cpus().containsAll(c.cpus())) { // shared by cores: drawn at package level
                cy += 2;
                inner.append(box(x + PAD, cy, 0, 0, "#dde6f2", "cache"));
                text(inner, x + PAD * 2, cy + 13, c.hwlocName() + " " + TextReport.size(c.sizeBytes()) + ", CPUs " + c.cpus(), false);
                cy += PU_H;
            }
        }
        List<Core> cores = t.cores().stream().filter(c -> p.cpus().containsAll(c.cpus())).toList();
        int coreW = 0;
        for (Core c : cores) {
            coreW = Math.max(coreW, c.cpus().size() * (PU_W + 4) + PAD * 2 - 4);
        }
        coreW = Math.max(coreW, 190); // room for the private caches' line
        int perRow = Math.min(CORES_PER_ROW, Math.max(1, cores.size()));
        int coreH = PAD * 3 + LINE * 2 + PU_H + 4;
        cy += PAD;
        int i = 0;
        for (Core c : cores) {
            int cx = x + PAD + (i % perRow) * (coreW + PAD);
            int ry = cy + (i / perRow) * (coreH + PAD);
            inner.append(box(cx, ry, coreW, coreH, "#f2f2f2", "core"));
            text(inner, cx + PAD, ry + PAD + 10, "Core P#" + (c.id() < 0 ? "?" : Integer.toString(c.id())), false);
            String priv = privateCaches(t, c);
            if (!priv.isEmpty()) {
                text(inner, cx + PAD, ry + PAD + 10 + LINE + PU_H + 12, priv, false);
            }
            int px = cx + PAD;
            for (int cpu : c.cpus().toArray()) {
                boolean usable = t.usableCpus().contains(cpu);
                inner.append(box(px, ry + PAD + LINE, PU_W, PU_H, usable ? "#ffffff" : "#bbbbbb", usable ? "pu usable" : "pu unusable"));
                text(inner, px + 6, ry + PAD + LINE + 14, "PU P#" + cpu, false);
                px += PU_W + 4;
            }
            i++;
        }
        int rows = (cores.size() + perRow - 1) / perRow;
        int w = Math.max(perRow * (coreW + PAD) + PAD, 360);
        int h = cy - y + rows * (coreH + PAD) + PAD;
        // size the package's and its node/cache boxes now that the width is known
        String drawn = inner.toString().replace("width=\"0\" height=\"0\"", "width=\"" + (w - PAD * 2) + "\" height=\"" + (PU_H - 2) + "\"");
        sb.append(box(x, y, w, h, "#fafafa", "package")).append(drawn);
        return new int[] {w, h};
    }

    /** The CPU count of one core of the cache's CPUs (1 when unknown), to tell private caches from shared ones. */
    private static int coreSize(Topology t, Cache c) {
        for (Core core : t.cores()) {
            if (c.cpus().containsAll(core.cpus())) {
                return core.cpus().size();
            }
        }
        return 1;
    }

    private static String privateCaches(Topology t, Core core) {
        StringBuilder sb = new StringBuilder();
        for (Cache c : t.caches()) {
            if (c.cpus().equals(core.cpus()) || (core.cpus().containsAll(c.cpus()) && !c.cpus().isEmpty())) {
                if (sb.length() > 0) {
                    sb.append(" + ");
                }
                sb.append(c.hwlocName().replace("Cache", "")).append(' ').append(TextReport.size(c.sizeBytes()));
            }
        }
        return sb.toString();
    }

    private static String box(int x, int y, int w, int h, String fill, String kind) {
        return String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#555\"/>%n",
                kind, x, y, w, h, fill);
    }

    private static void text(StringBuilder sb, int x, int y, String s, boolean bold) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"%s>%s</text>%n", x, y, bold ? " font-weight=\"bold\"" : "",
                s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")));
    }

}
