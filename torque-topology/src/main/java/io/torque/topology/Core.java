package io.torque.topology;

import java.util.Objects;

/**
 * A physical core and its usable hardware threads (SMT siblings).
 *
 * @param packageId the OS id of its package, or {@link Topology#UNKNOWN_ID}
 * @param id the OS core id ({@code core_id}), unique within a package only, or
 *     {@link Topology#UNKNOWN_ID}
 * @param cpus its usable hardware threads, never empty
 */
public record Core(int packageId, int id, CpuSet cpus) {
    /**
     * Checks the invariants.
     *
     * @param packageId the OS id of its package, or {@link Topology#UNKNOWN_ID}
     * @param id the OS core id ({@code core_id}), unique within a package only, or
     *     {@link Topology#UNKNOWN_ID}
     * @param cpus its usable hardware threads, never empty
     * @throws NullPointerException if {@code cpus} is null
     */
    public Core {
        Objects.requireNonNull(cpus, "cpus");
    }
}
