package io.torque.topology.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.torque.topology.Cache;
import io.torque.topology.Core;
import io.torque.topology.CpuIdentity;
import io.torque.topology.CpuKind;
import io.torque.topology.CpuPackage;
import io.torque.topology.CpuSet;
import io.torque.topology.NumaNode;
import io.torque.topology.Topology;
import io.torque.topology.levels.SchedulingLevel;

/**
 * archdetect's text report, in the spirit of libtorque's archdetect: packages, cores and PEs;
 * memory nodes with sizes and page sizes; processing-unit types with brand, threads per core,
 * cores per package and each kind of cache; then the scheduling levels.
 */
public final class TextReport {
    private TextReport() {
    }

    /**
     * The report for {@code t}, ending with a newline.
     *
     * @param t the topology to describe
     * @return the report, several lines, each ending with a newline
     */
    public static String of(Topology t) {
        StringBuilder sb = new StringBuilder();
        sb.append("CPUs: ").append(t.usableCpus().size()).append(" usable (").append(t.usableCpus())
                .append(") of ").append(t.onlineCpus().size()).append(" online (").append(t.onlineCpus())
                .append("), ").append(t.possibleCpus().size()).append(" possible\n");
        if (t.cpuQuota().isPresent()) {
            sb.append(String.format("CPU quota: %.2f CPUs (cgroup cpu.max)%n", t.cpuQuota().getAsDouble()));
        }
        sb.append("Advisory loop count: ").append(t.advisoryLoopCount()).append('\n');

        sb.append("\nPackages:\n");
        if (t.packages().isEmpty()) {
            sb.append("  (unknown)\n");
        }
        for (CpuPackage p : t.packages()) {
            sb.append("  Package ").append(id(p.id())).append(": ").append(p.cpus().size()).append(" PE(s) ")
                    .append(p.cpus()).append('\n');
            for (Core c : t.cores()) {
                if (p.cpus().containsAll(c.cpus())) {
                    sb.append("    Core ").append(id(c.id())).append(": PE ").append(c.cpus()).append('\n');
                }
            }
        }
        for (Core c : t.cores()) {
            if (t.packages().stream().noneMatch(p -> p.cpus().containsAll(c.cpus()))) {
                sb.append("  Core ").append(id(c.id())).append(" (no package): PE ").append(c.cpus()).append('\n');
            }
        }

        if (!t.ioDevices().isEmpty()) {
            sb.append("\nI/O devices:\n");
            for (io.torque.topology.IoDevice d : t.ioDevices()) {
                sb.append("  ").append(d.kind()).append(' ').append(d.name())
                        .append(d.pciAddress() != null ? " (PCI " + d.pciAddress() + ")" : "")
                        .append(", node ").append(d.numaNode() < 0 ? "unknown" : Integer.toString(d.numaNode()))
                        .append(d.cpus().isEmpty() ? "" : ", local CPUs " + d.cpus())
                        .append(d.speedMbps() > 0 ? ", " + d.speedMbps() + " Mb/s" : "").append('\n');
            }
        }

        sb.append("\nMemory nodes:");
        sb.append(t.totalMemoryBytes() > 0 ? " (machine total " + size(t.totalMemoryBytes()) + ")\n" : "\n");
        for (NumaNode n : t.numaNodes()) {
            sb.append("  Node ").append(n.id()).append(n.kind().isEmpty() ? "" : " (" + n.kind() + ")").append(": ")
                    .append(n.memoryBytes() > 0 ? size(n.memoryBytes()) : "? bytes")
                    .append(", CPUs ").append(n.cpus().isEmpty() ? "none" : n.cpus().toString());
            if (n.tier() >= 0) {
                sb.append(", memory tier ").append(n.tier());
            }
            if (!n.memoryAllowed()) {
                sb.append(", memory not allowed by cpuset");
            }
            if (n.distances().length > 0) {
                sb.append(", distances ").append(java.util.Arrays.stream(n.distances())
                        .mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            }
            sb.append('\n');
        }
        sb.append("  Page sizes: ").append(java.util.Arrays.stream(t.pageSizes()).mapToObj(TextReport::size)
                .collect(Collectors.joining(", "))).append('\n');

        sb.append("\nProcessing unit types:\n");
        List<CpuKind> kinds = t.cpuKinds();
        if (kinds.isEmpty()) {
            unitType(sb, t, "(1)", t.usableCpus(), null);
        } else {
            for (int i = kinds.size() - 1, n = 1; i >= 0; i--, n++) {
                unitType(sb, t, "(" + n + ")", kinds.get(i).cpus(), kinds.get(i));
            }
        }

        sb.append("\nScheduling levels:\n");
        List<SchedulingLevel> levels = t.levels().levels();
        for (int l = 0; l < levels.size(); l++) {
            SchedulingLevel level = levels.get(l);
            sb.append("  L").append(l).append(' ').append(level.name()).append(": ").append(level.groups().size())
                    .append(" group(s)");
            int shown = Math.min(8, level.groups().size());
            for (int g = 0; g < shown; g++) {
                sb.append(" [").append(level.groups().get(g)).append(']');
            }
            if (shown < level.groups().size()) {
                sb.append(" ...");
            }
            sb.append('\n');
        }
        if (!t.notes().isEmpty()) {
            sb.append("\nNotes:\n");
            t.notes().forEach(n -> sb.append("  ").append(n).append('\n'));
        }
        return sb.toString();
    }

    private static void unitType(StringBuilder sb, Topology t, String label, CpuSet cpus, CpuKind kind) {
        CpuIdentity id = t.identity();
        sb.append("  ").append(label).append(' ').append(cpus.size()).append(" x ")
                .append(id.brand().isEmpty() ? "unknown processor" : id.brand());
        StringBuilder detail = new StringBuilder();
        if (!id.vendor().isEmpty()) {
            detail.append(id.vendor());
        }
        if (id.family() >= 0) {
            detail.append(" family ").append(id.family());
        }
        if (id.model() >= 0) {
            detail.append(" model ").append(id.model());
        }
        if (id.stepping() >= 0) {
            detail.append(" stepping ").append(id.stepping());
        }
        if (!id.microarchitecture().isEmpty()) {
            detail.append(", ").append(id.microarchitecture());
        }
        if (kind != null && kind.maxFrequencyKHz() > 0) {
            detail.append(", max ").append(kind.maxFrequencyKHz() / 1000).append(" MHz");
        }
        if (detail.length() > 0) {
            sb.append(" (").append(detail.toString().strip()).append(')');
        }
        sb.append('\n');
        int threads = t.cores().stream().filter(c -> cpus.containsAll(c.cpus())).mapToInt(c -> c.cpus().size())
                .max().orElse(1);
        long cores = t.cores().stream().filter(c -> cpus.containsAll(c.cpus())).count();
        long packages = Math.max(1, t.packages().stream().filter(p -> p.cpus().intersects(cpus)).count());
        sb.append("      ").append(threads).append(" thread(s) per core, ")
                .append((cores + packages - 1) / packages).append(" core(s) per package, ")
                .append(t.packages().isEmpty() ? "?" : Long.toString(packages))
                .append(" package(s)\n");
        Map<String, Integer> caches = new LinkedHashMap<>();
        for (Cache c : t.caches()) {
            if (c.cpus().intersects(cpus)) {
                String line = (c.sizeBytes() > 0 ? size(c.sizeBytes()) : "?") + " total, "
                        + (c.lineBytes() > 0 ? c.lineBytes() + "B" : "?") + " line, "
                        + (c.ways() > 0 ? c.ways() + "-assoc" : "?-assoc") + ", "
                        + c.cpus().size() + "-shared (L" + c.level() + " " + c.type().label() + ")";
                caches.merge(line, 1, Integer::sum);
            }
        }
        caches.forEach((line, count) -> sb.append("      Cache: ").append(line)
                .append(count > 1 ? ", " + count + " instances" : "").append('\n'));
    }

    private static String id(int id) {
        return id == Topology.UNKNOWN_ID ? "?" : Integer.toString(id);
    }

    /**
     * Bytes as libtorque wrote them: in the largest binary unit that divides exactly (32KB, 2MB);
     * a size that no unit above KB divides gets one decimal in the largest unit it fills
     * (23.5GB).
     */
    static String size(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        long v = bytes;
        int u = 0;
        while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        if (v < 1024 * 1024 || u == units.length - 1) {
            return v + units[u];
        }
        double d = bytes;
        int w = 0;
        while (w < units.length - 1 && d >= 1024) {
            d /= 1024;
            w++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f%s", d, units[w]);
    }
}
