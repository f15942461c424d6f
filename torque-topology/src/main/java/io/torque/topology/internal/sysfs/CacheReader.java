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
 * Reads cache instances from {@code /sys/devices/system/cpu/cpuN/cache/indexM}, one CPU at a
 * time as {@link CpuTopologyReader} visits them, by hwloc's rules.
 *
 * <p>An instance is level, type and the CPUs sharing it ({@code shared_cpu_map}, else
 * {@code shared_cpu_list}: the map is right where some kernels wrote a wrong list), over the
 * online CPUs with a topology folder. Only the lowest CPU of a sharing mask creates the cache,
 * from its own mask; another CPU's different mask for it is not used. An all-zero mask (ia64)
 * means private to the CPU's core; one naming only offline CPUs gives no cache. A cache that partly overlaps an object already accepted
 * ({@link CpuObjects}) is refused whole. Index folders without a level or type, and caches the
 * kernel reports with size 0, are skipped.
 */
final class CacheReader {
    private static final String CPU = "/sys/devices/system/cpu/cpu";

    final List<Cache> caches = new ArrayList<>();
    /** CPUs that have no cache folder at all. */
    CpuSet withoutCacheInfo = CpuSet.EMPTY;
    private final FsRoot fs;
    private final CpuSet present;
    private final CpuObjects objects;
    private final CpuSetBuilder missing = CpuSet.builder();

    CacheReader(FsRoot fs, CpuSet present, CpuObjects objects) {
        this.fs = fs;
        this.present = present;
        this.objects = objects;
    }

    /**
     * Reads the caches {@code cpu} creates.
     *
     * @param core the CPUs of its core, for an empty sharing mask (ia64)
     */
    void readCpu(int cpu, CpuSet core) {
        String dir = CPU + cpu + "/cache/";
        List<Integer> indexes = fs.numberedEntries(dir, "index");
        if (indexes.isEmpty()) {
            missing.add(cpu);
        }
        for (int index : indexes) {
            read(dir + "index" + index + "/", cpu, core);
        }
    }

    /** Keeps the usable CPUs of each cache, dropping those left with none. */
    void restrict(CpuSet usable) {
        caches.replaceAll(c -> new Cache(c.level(), c.type(), c.sizeBytes(), c.lineBytes(), c.ways(), c.cpus().and(usable)));
        caches.removeIf(c -> c.cpus().isEmpty());
        withoutCacheInfo = missing.build().and(usable);
    }

    private void read(String dir, int cpu, CpuSet core) {
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
        CpuSet raw = fs.readCpuMask(dir + "shared_cpu_map")
                .or(() -> fs.readCpuList(dir + "shared_cpu_list")).orElse(CpuSet.EMPTY);
        CpuSet shared = raw.isEmpty() ? core : raw.and(present); // an all-zero mask (ia64): the core's
        if (shared.isEmpty() || shared.first() != cpu) {
            return; // created (or not) by the lowest CPU sharing it
        }
        int lvl = (int) level.getAsLong();
        for (Cache c : caches) {
            if (c.level() == lvl && c.type() == type && c.cpus().equals(shared)) {
                return; // the same cache listed twice
            }
        }
        if (!objects.accept("L" + lvl + " " + type.name().toLowerCase(java.util.Locale.ROOT) + " cache", shared)) {
            return;
        }
        int line = (int) fs.readLong(dir + "coherency_line_size").orElse(0);
        int ways = (int) fs.readLong(dir + "ways_of_associativity").orElse(0);
        caches.add(new Cache(lvl, type, size, Math.max(0, line), Math.max(0, ways), shared));
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
