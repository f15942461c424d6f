package io.torque.topology.levels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.torque.topology.Cache;
import io.torque.topology.CacheType;
import io.torque.topology.CpuSet;
import io.torque.topology.Topology;

/**
 * libtorque's scheduling universe: an ordered list of levels L0..Ln, innermost first, each a
 * partition of the usable CPUs into groups that share something (SMT siblings of a core, cores
 * sharing an L2, an L3, a die, a package, a NUMA node, the machine).
 *
 * <p>Rules: a candidate level is kept only when it is coarser than the last kept level (every one
 * of its groups is a union of groups below) and differs from it; so levels that add nothing
 * collapse, and a level that cuts across the ones below (an L3 spanning two NUMA nodes' halves)
 * is dropped. The machine is always the outermost level. CPUs a candidate does not describe (a
 * core with no L2 entry in sysfs, a CPU whose NUMA node has no folder) keep their groups from
 * the level below. Instruction caches never make a level; a data cache does only when no
 * unified cache of its level exists.
 *
 * <p>The <em>topological distance</em> of two CPUs is the index of the first level where they
 * share a group: 0 for SMT siblings (and for a CPU and itself) when the innermost level is
 * {@code core}, and {@code levels().size() - 1} at most.
 *
 * <p>Immutable and threadsafe.
 */
public final class SchedulingLevels {
    private final List<SchedulingLevel> levels;
    private final CpuSet usable;
    /** groupIndex[level][cpu] = the index of cpu's group in that level, -1 if not usable. */
    private final int[][] groupIndex;

    private SchedulingLevels(List<SchedulingLevel> levels, CpuSet usable) {
        this.levels = List.copyOf(levels);
        this.usable = usable;
        int width = usable.last() + 1;
        groupIndex = new int[levels.size()][];
        for (int l = 0; l < levels.size(); l++) {
            int[] index = new int[width];
            Arrays.fill(index, -1);
            List<CpuSet> groups = levels.get(l).groups();
            for (int g = 0; g < groups.size(); g++) {
                for (int cpu : groups.get(g).toArray()) {
                    index[cpu] = g;
                }
            }
            groupIndex[l] = index;
        }
    }

    /**
     * Derives the levels of a topology.
     *
     * @param t the topology, whose usable CPUs the levels partition
     * @return the levels, by the rules above; at least the {@code machine} level
     */
    public static SchedulingLevels of(Topology t) {
        CpuSet usable = t.usableCpus();
        List<SchedulingLevel> candidates = new ArrayList<>();
        candidates.add(covered("core", usable, t.cores(), c -> c.cpus()));
        Map<Integer, List<Cache>> byLevel = new TreeMap<>();
        for (Cache c : t.caches()) {
            byLevel.computeIfAbsent(c.level(), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<Integer, List<Cache>> e : byLevel.entrySet()) {
            List<Cache> unified = e.getValue().stream().filter(c -> c.type() == CacheType.UNIFIED).toList();
            List<Cache> chosen = unified.isEmpty()
                    ? e.getValue().stream().filter(c -> c.type() == CacheType.DATA).toList()
                    : unified;
            candidates.add(covered("L" + e.getKey(), usable, chosen, Cache::cpus));
        }
        candidates.add(covered("cluster", usable, t.clusters(), g -> g.cpus()));
        candidates.add(covered("die", usable, t.dies(), g -> g.cpus()));
        candidates.add(covered("package", usable, t.packages(), p -> p.cpus()));
        // nodes can overlap (tiered memory): the ones nodeOf prefers claim their CPUs first
        candidates.add(covered("node", usable, t.numaNodesLocalFirst(), n -> n.cpus()));
        // Caches can be wider than a NUMA node or narrower: order by coarseness, finest first.
        candidates.removeIf(c -> c.groups().isEmpty());
        candidates.sort((a, b) -> Integer.compare(b.groups().size(), a.groups().size()));

        List<SchedulingLevel> kept = new ArrayList<>();
        List<CpuSet> below = singletons(usable);
        for (SchedulingLevel c : candidates) {
            List<CpuSet> groups = complete(c.groups(), usable, below);
            if (groups.size() > 1 && !groups.equals(below) && coarsens(groups, below)) {
                kept.add(new SchedulingLevel(c.name(), groups));
                below = groups;
            }
        }
        kept.add(new SchedulingLevel("machine", List.of(usable)));
        return new SchedulingLevels(kept, usable);
    }

    /** The disjoint, non-empty usable parts of the items' CPU sets: a partial partition. */
    private static <T> SchedulingLevel covered(String name, CpuSet usable, List<T> items, Function<T, CpuSet> cpus) {
        List<CpuSet> groups = new ArrayList<>();
        CpuSet covered = CpuSet.EMPTY;
        for (T item : items) {
            CpuSet g = cpus.apply(item).and(usable).andNot(covered);
            if (!g.isEmpty()) {
                groups.add(g);
                covered = covered.or(g);
            }
        }
        return new SchedulingLevel(name, groups);
    }

    /**
     * A full partition from a partial one: CPUs the level does not describe (a core with no L2 in
     * sysfs, a CPU of a node without a folder) keep their groups from the level below, since
     * nothing says they share more.
     */
    private static List<CpuSet> complete(List<CpuSet> partial, CpuSet usable, List<CpuSet> below) {
        List<CpuSet> groups = new ArrayList<>(partial);
        CpuSet uncovered = usable;
        for (CpuSet g : partial) {
            uncovered = uncovered.andNot(g);
        }
        for (CpuSet g : below) {
            CpuSet rest = g.and(uncovered);
            if (!rest.isEmpty()) {
                groups.add(rest);
            }
        }
        groups.sort(null);
        return groups;
    }

    private static List<CpuSet> singletons(CpuSet usable) {
        List<CpuSet> groups = new ArrayList<>();
        for (int cpu : usable.toArray()) {
            groups.add(CpuSet.of(cpu));
        }
        return groups;
    }

    private static boolean coarsens(List<CpuSet> upper, List<CpuSet> lower) {
        for (CpuSet g : lower) {
            if (upper.stream().noneMatch(u -> u.containsAll(g))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The levels, innermost first; the last is always {@code machine}.
     *
     * @return an unmodifiable, non-empty list
     */
    public List<SchedulingLevel> levels() {
        return levels;
    }

    /**
     * The number of levels.
     *
     * @return the level count, at least 1 (the machine)
     */
    public int size() {
        return levels.size();
    }

    /**
     * The topological distance of two usable CPUs: the index of the first level where they share
     * a group.
     *
     * @param cpuA a usable CPU
     * @param cpuB a usable CPU, possibly {@code cpuA}
     * @return the level index, from 0 to {@code size() - 1}; 0 for a CPU and itself
     * @throws IllegalArgumentException if either CPU is not usable
     */
    public int distance(int cpuA, int cpuB) {
        checkUsable(cpuA);
        checkUsable(cpuB);
        for (int l = 0; l < groupIndex.length; l++) {
            if (groupIndex[l][cpuA] == groupIndex[l][cpuB]) {
                return l;
            }
        }
        throw new AssertionError("the machine level holds every usable CPU");
    }

    /**
     * The groups holding {@code cpu}, innermost level first: its neighbourhood.
     *
     * @param cpu a usable CPU
     * @return a new list of {@link #size()} groups, one per level, each containing {@code cpu};
     *     the last is every usable CPU
     * @throws IllegalArgumentException if the CPU is not usable
     */
    public List<CpuSet> neighbourhood(int cpu) {
        checkUsable(cpu);
        List<CpuSet> groups = new ArrayList<>(levels.size());
        for (int l = 0; l < levels.size(); l++) {
            groups.add(levels.get(l).groups().get(groupIndex[l][cpu]));
        }
        return groups;
    }

    private void checkUsable(int cpu) {
        if (!usable.contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " is not usable (usable: " + usable + ")");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < levels.size(); l++) {
            SchedulingLevel level = levels.get(l);
            sb.append('L').append(l).append(' ').append(level.name()).append(": ");
            sb.append(level.groups().size()).append(" group(s) ").append(level.groups()).append('\n');
        }
        return sb.toString();
    }
}
