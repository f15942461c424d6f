package io.torque.topology;

import java.util.Objects;

/**
 * A NUMA memory node.
 *
 * @param id the OS node number ({@code nodeN})
 * @param cpus the usable CPUs its memory is local to: its own, plus those of its memory
 *     initiators ({@code accessN/initiators}); a memory-only node (HBM, NVM, CXL) without
 *     initiators gets its nearest nodes' CPUs by distance, else none; empty also when its CPUs
 *     are all offline or outside the cpuset
 * @param memoryBytes the node's total memory ({@code MemTotal} in its {@code meminfo}), 0 when
 *     unknown
 * @param memoryAllowed whether the process may allocate here (the cgroup's {@code cpuset.mems})
 * @param distances the relative distances ({@code distance}) to the nodes listed in
 *     {@link Topology#numaNodes()}, in that order; 10 means local; empty when unknown
 * @param kind what memory it is, as hwloc names NUMA node subtypes: {@code DRAM}, {@code HBM},
 *     {@code GPUMemory}, {@code SPM} (specific-purpose memory), {@code NVM}, {@code CXL-DRAM},
 *     {@code CXL-NVM}; empty when unknown (an ordinary machine, where every node is the same)
 * @param tier the node's memory tier, 0 the fastest (by kind and local bandwidth, as hwloc
 *     ranks them); -1 when there are no tiers (one kind of memory performing alike), or the
 *     node is not allowed
 */
public record NumaNode(int id, CpuSet cpus, long memoryBytes, boolean memoryAllowed, int[] distances, String kind,
        int tier) {
    /**
     * Checks the invariants and copies the distances, so that later changes to the caller's
     * array do not show.
     *
     * @param id the OS node number ({@code nodeN})
     * @param cpus the usable CPUs its memory is local to; empty for a node local to none
     * @param memoryBytes the node's total memory in bytes, 0 when unknown
     * @param memoryAllowed whether the process may allocate here (the cgroup's {@code cpuset.mems})
     * @param distances the relative distances to the nodes of {@link Topology#numaNodes()}, in
     *     that order; 10 means local; empty when unknown
     * @param kind what memory it is ({@code DRAM}, {@code HBM}, {@code NVM}...); empty when unknown
     * @param tier its memory tier, 0 the fastest; -1 when there are no tiers
     * @throws NullPointerException if {@code cpus} or {@code kind} is null
     * @throws IllegalArgumentException if {@code memoryBytes} is negative or {@code tier} below -1
     */
    public NumaNode {
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(kind, "kind");
        if (tier < -1) {
            throw new IllegalArgumentException("tier " + tier + ": expected -1 (none) or more");
        }
        distances = distances.clone();
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("negative node memory");
        }
    }

    /**
     * A node of ordinary memory (unknown kind, no tiers).
     *
     * @param id the OS node number ({@code nodeN})
     * @param cpus the usable CPUs its memory is local to; empty for a node local to none
     * @param memoryBytes the node's total memory in bytes, 0 when unknown
     * @param memoryAllowed whether the process may allocate here (the cgroup's {@code cpuset.mems})
     * @param distances the relative distances to the nodes of {@link Topology#numaNodes()}, in
     *     that order; 10 means local; empty when unknown
     * @throws NullPointerException if {@code cpus} is null
     * @throws IllegalArgumentException if {@code memoryBytes} is negative
     */
    public NumaNode(int id, CpuSet cpus, long memoryBytes, boolean memoryAllowed, int[] distances) {
        this(id, cpus, memoryBytes, memoryAllowed, distances, "", -1);
    }

    /**
     * A copy of the distance row.
     *
     * @return a new array on each call, so callers cannot change this node; empty when unknown
     */
    @Override
    public int[] distances() {
        return distances.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumaNode n && id == n.id && cpus.equals(n.cpus)
                && memoryBytes == n.memoryBytes && memoryAllowed == n.memoryAllowed
                && java.util.Arrays.equals(distances, n.distances) && kind.equals(n.kind) && tier == n.tier;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, cpus, memoryBytes, memoryAllowed, kind, tier) * 31 + java.util.Arrays.hashCode(distances);
    }

    @Override
    public String toString() {
        return "NumaNode[id=" + id + ", cpus=" + cpus + ", memoryBytes=" + memoryBytes
                + ", memoryAllowed=" + memoryAllowed + ", distances=" + java.util.Arrays.toString(distances)
                + (kind.isEmpty() ? "" : ", kind=" + kind) + (tier < 0 ? "" : ", tier=" + tier) + "]";
    }
}
