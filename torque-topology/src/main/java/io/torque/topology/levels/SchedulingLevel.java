package io.torque.topology.levels;

import java.util.List;
import java.util.Objects;

import io.torque.topology.CpuSet;

/**
 * One level of the scheduling universe: a partition of the usable CPUs into groups that share one
 * thing at this level (a core, a cache, a package, a NUMA node, the machine).
 *
 * @param name what the groups share: {@code core}, {@code L2}, {@code L3}, {@code cluster},
 *     {@code die}, {@code package}, {@code node} or {@code machine}
 * @param groups disjoint, non-empty, covering every usable CPU, ordered by lowest CPU
 */
public record SchedulingLevel(String name, List<CpuSet> groups) {
    /**
     * Checks for nulls and copies the groups.
     *
     * @param name what the groups share, such as {@code core}, {@code L3} or {@code machine}
     * @param groups the groups; copied into an unmodifiable list
     * @throws NullPointerException if {@code name}, {@code groups} or a group is null
     */
    public SchedulingLevel {
        Objects.requireNonNull(name, "name");
        groups = List.copyOf(groups);
    }
}
