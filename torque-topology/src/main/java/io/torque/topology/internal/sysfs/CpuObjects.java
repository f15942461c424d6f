package io.torque.topology.internal.sysfs;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.torque.topology.CpuSet;

/**
 * hwloc's insertion rule for CPU objects (packages, dies, clusters, cores, caches): objects must
 * nest, so a new object whose CPUs partly overlap an object already accepted (they share CPUs,
 * and neither holds the other) is refused whole: the first object wins, and nothing is split or
 * trimmed to fit (hwloc's {@code hwloc___insert_object_by_cpuset}, "intersection without
 * inclusion"). Sysfs that contradicts itself therefore loses the later object, as in hwloc. One
 * more rule than hwloc's: objects of one kind never share a CPU (hwloc would nest them), so every
 * kind stays a partition of the CPUs it covers.
 *
 * <p>Only the objects sharing a CPU with the new one are compared (a per-CPU index), so a
 * 1024-CPU machine's few thousand objects cost a few comparisons each.
 */
final class CpuObjects {
    private final List<CpuSet> accepted = new ArrayList<>();
    private final List<String> kinds = new ArrayList<>();
    private final Map<Integer, List<Integer>> byCpu = new HashMap<>();
    private final List<String> refused = new ArrayList<>();

    /**
     * Accepts {@code cpus} unless it partly overlaps an accepted object, or shares a CPU with an
     * accepted object of the same kind (two cores, two L2 data caches: each kind must stay
     * disjoint, where hwloc would nest one in the other).
     *
     * @param kind the object's kind ({@code core}, {@code package}, {@code L2 UNIFIED cache}...),
     *     also named in the note when it is refused
     * @return true when accepted
     */
    boolean accept(String kind, CpuSet cpus) {
        BitSet seen = new BitSet();
        for (int cpu : cpus.toArray()) {
            for (int id : byCpu.getOrDefault(cpu, List.of())) {
                if (seen.get(id)) {
                    continue;
                }
                seen.set(id);
                CpuSet other = accepted.get(id);
                if (kinds.get(id).equals(kind)) {
                    refused.add(kind + " " + cpus + " shares CPUs with the " + kind + " " + other);
                    return false;
                }
                if (!other.containsAll(cpus) && !cpus.containsAll(other)) {
                    refused.add(kind + " " + cpus + " overlaps " + other + " without either holding the other");
                    return false;
                }
            }
        }
        int id = accepted.size();
        accepted.add(cpus);
        kinds.add(kind);
        for (int cpu : cpus.toArray()) {
            byCpu.computeIfAbsent(cpu, k -> new ArrayList<>(6)).add(id);
        }
        return true;
    }

    /** What was refused, one line each: sysfs contradicted itself there. */
    List<String> refused() {
        return refused;
    }
}
