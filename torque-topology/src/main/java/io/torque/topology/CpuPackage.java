package io.torque.topology;

import java.util.Objects;

/**
 * A physical package (socket) and its usable CPUs.
 *
 * @param id the OS id ({@code physical_package_id}), or {@link Topology#UNKNOWN_ID} when sysfs
 *     gives none ({@code -1} on some POWER machines); not unique on every machine (ia64 repeats
 *     them), so packages are told apart by their CPU sets
 * @param cpus its usable CPUs, never empty
 */
public record CpuPackage(int id, CpuSet cpus) {
    /**
     * Checks the invariants.
     *
     * @param id the OS id ({@code physical_package_id}), or {@link Topology#UNKNOWN_ID} when sysfs
     *     gives none
     * @param cpus its usable CPUs, never empty
     * @throws NullPointerException if {@code cpus} is null
     */
    public CpuPackage {
        Objects.requireNonNull(cpus, "cpus");
    }
}
