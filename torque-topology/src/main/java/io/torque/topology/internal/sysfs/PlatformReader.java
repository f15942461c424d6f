package io.torque.topology.internal.sysfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.torque.topology.CpuKind;
import io.torque.topology.CpuSet;
import io.torque.topology.CpuSetBuilder;

/** Reads page sizes and the CPU kinds of hybrid machines. */
final class PlatformReader {
    private PlatformReader() {
    }

    /**
     * Huge page sizes in bytes, from {@code /sys/kernel/mm/hugepages/hugepages-NkB} (and the
     * per-node folders, which some snapshots keep instead).
     */
    static List<Long> hugePageSizes(FsRoot fs) {
        List<Long> sizes = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        dirs.add("/sys/kernel/mm/hugepages");
        for (int node : fs.numberedEntries("/sys/devices/system/node", "node")) {
            dirs.add("/sys/devices/system/node/node" + node + "/hugepages");
        }
        for (String dir : dirs) {
            for (String name : fs.list(dir, n -> n.startsWith("hugepages-") && n.endsWith("kB"))) {
                try {
                    long kb = Long.parseLong(name.substring("hugepages-".length(), name.length() - 2));
                    if (kb > 0 && !sizes.contains(kb * 1024)) {
                        sizes.add(kb * 1024);
                    }
                } catch (NumberFormatException e) {
                    // not a size folder
                }
            }
        }
        return sizes;
    }

    /** The base page size a snapshot recorded ({@code PageSize} of hwloc's nofile info), or 0. */
    static long recordedPageSize(FsRoot fs) {
        for (String line : fs.read("/proc/hwloc-nofile-info").orElse("").split("\n")) {
            if (line.startsWith("PageSize:")) {
                try {
                    return Long.parseLong(line.substring("PageSize:".length()).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * The CPU kinds: CPUs grouped by scheduler capacity ({@code cpu_capacity}), then base
     * frequency ({@code cpufreq/base_frequency}), else maximum frequency; ranked from least to
     * most capable. Empty when every usable CPU is of one kind.
     */
    static List<CpuKind> cpuKinds(FsRoot fs, CpuSet usable) {
        Map<List<Long>, CpuSetBuilder> groups = new TreeMap<>((a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                int c = Long.compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        Map<List<Long>, Long> maxFreq = new TreeMap<>(((TreeMap<List<Long>, CpuSetBuilder>) groups).comparator());
        for (int cpu : usable.toArray()) {
            String dir = "/sys/devices/system/cpu/cpu" + cpu + "/";
            long capacity = fs.readLong(dir + "cpu_capacity").orElse(0);
            long max = fs.readLong(dir + "cpufreq/cpuinfo_max_freq").orElse(0);
            long base = fs.readLong(dir + "cpufreq/base_frequency").orElse(max);
            List<Long> key = List.of(capacity, base);
            groups.computeIfAbsent(key, k -> CpuSet.builder()).add(cpu);
            maxFreq.merge(key, max, Math::max);
        }
        if (groups.size() <= 1) {
            return List.of();
        }
        List<CpuKind> kinds = new ArrayList<>();
        int rank = 0;
        for (var e : groups.entrySet()) {
            kinds.add(new CpuKind(rank++, maxFreq.get(e.getKey()), e.getKey().get(0), e.getValue().build()));
        }
        return kinds;
    }
}
