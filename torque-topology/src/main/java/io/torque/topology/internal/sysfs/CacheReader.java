package io.torque.topology.internal.sysfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import io.torque.topology.Cache;
import io.torque.topology.CacheType;
import io.torque.topology.CpuSet;
import io.torque.topology.CpuSetBuilder;

/**
 * Reads cache instances from {@code /sys/devices/system/cpu/cpuN/cache/indexM}.
 *
 * <p>An instance is identified by level, type and the CPUs sharing it ({@code shared_cpu_map},
 * else {@code shared_cpu_list}: the map is right where some kernels wrote a wrong list). A CPU already covered by an instance of the same
 * level and type is not counted twice. An empty sharing mask (ia64) means private to the core;
 * a mask that lacks its own CPU gets it added (both as hwloc does). Index folders without a level or type, and caches
 * the kernel reports with size 0, are skipped.
 */
final class CacheReader {
    private static final String CPU = "/sys/devices/system/cpu/cpu";

    final List<Cache> caches = new ArrayList<>();
    /** CPUs that have no cache folder at all. */
    CpuSet withoutCacheInfo = CpuSet.EMPTY;

    /**
     * @param coreOf the core of a CPU, used where the kernel gives an empty sharing mask (ia64):
     *     such a cache is taken as private to the core, as hwloc does
     */
    CacheReader(FsRoot fs, CpuSet usable, java.util.function.IntFunction<CpuSet> coreOf) {
        CpuSetBuilder missing = CpuSet.builder();
        for (int cpu : usable.toArray()) {
            String dir = CPU + cpu + "/cache/";
            List<Integer> indexes = fs.numberedEntries(dir, "index");
            if (indexes.isEmpty()) {
                missing.add(cpu);
            }
            for (int index : indexes) {
                read(fs, dir + "index" + index + "/", cpu, usable, coreOf);
            }
        }
        withoutCacheInfo = missing.build();
    }

    private void read(FsRoot fs, String dir, int cpu, CpuSet usable, java.util.function.IntFunction<CpuSet> coreOf) {
        OptionalLong level = fs.readLong(dir + "level");
        Optional<String> typeText = fs.readLine(dir + "type");
        if (level.isEmpty() || typeText.isEmpty() || level.getAsLong() < 1) {
            return;
        }
        CacheType type;
        try {
            type = CacheType.fromSysfs(typeText.get());
        } catch (IllegalArgumentException e) {
            return; // "Trace" caches and the like
        }
        long size = fs.readLine(dir + "size").map(CacheReader::parseSize).orElse(0L);
        if (fs.exists(dir + "size") && size == 0) {
            return;
        }
        int lvl = (int) level.getAsLong();
        for (Cache c : caches) {
            if (c.level() == lvl && c.type() == type && c.cpus().contains(cpu)) {
                return;
            }
        }
        CpuSet shared = fs.readCpuMask(dir + "shared_cpu_map")
                .or(() -> fs.readCpuList(dir + "shared_cpu_list")).orElse(CpuSet.EMPTY);
        if (shared.isEmpty()) {
            shared = coreOf.apply(cpu);
        }
        CpuSet cpus = shared.and(usable);
        for (Cache c : caches) {
            if (c.level() == lvl && c.type() == type) {
                cpus = cpus.andNot(c.cpus());
            }
        }
        cpus = cpus.or(CpuSet.of(cpu));
        int line = (int) fs.readLong(dir + "coherency_line_size").orElse(0);
        int ways = (int) fs.readLong(dir + "ways_of_associativity").orElse(0);
        caches.add(new Cache(lvl, type, size, Math.max(0, line), Math.max(0, ways), cpus));
    }

    /** Parses sysfs sizes: {@code 32K}, {@code 4096K}, {@code 30M}, or plain bytes. */
    static long parseSize(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (s.endsWith("K")) {
            unit = 1024;
        } else if (s.endsWith("M")) {
            unit = 1024 * 1024;
        } else if (s.endsWith("G")) {
            unit = 1024L * 1024 * 1024;
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Long.parseLong(s.strip()) * unit;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
