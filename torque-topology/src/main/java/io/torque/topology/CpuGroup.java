package io.torque.topology;

import java.util.Objects;

/**
 * A group of CPUs inside a package that sysfs reports besides packages and cores: a die
 * ({@code die_cpus}) or a cluster ({@code cluster_cpus}, cores sharing an L2 or a bus on ARM
 * and recent x86).
 *
 * @param id the OS id ({@code die_id} or {@code cluster_id}), or {@link Topology#UNKNOWN_ID}
 * @param cpus its usable CPUs, never empty
 */
public record CpuGroup(int id, CpuSet cpus) {
    /**
     * Checks the invariants.
     *
     * @param id the OS id ({@code die_id} or {@code cluster_id}), or {@link Topology#UNKNOWN_ID}
     * @param cpus its usable CPUs, never empty
     * @throws NullPointerException if {@code cpus} is null
     */
    public CpuGroup {
        Objects.requireNonNull(cpus, "cpus");
    }
}
