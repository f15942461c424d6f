package io.torque.topology;

import java.util.Objects;

/**
 * A kind of processing unit on a hybrid machine (Intel P-cores and E-cores, ARM big.LITTLE):
 * the CPUs that share a maximum frequency or a scheduler capacity.
 *
 * @param efficiency 0 for the least capable kind, increasing with capability (as hwloc ranks
 *     them)
 * @param maxFrequencyKHz {@code cpufreq/cpuinfo_max_freq}, 0 when unknown
 * @param capacity the scheduler's {@code cpu_capacity}, 0 when unknown
 * @param cpus its usable CPUs
 */
public record CpuKind(int efficiency, long maxFrequencyKHz, long capacity, CpuSet cpus) {
    /**
     * Checks the invariants.
     *
     * @param efficiency 0 for the least capable kind, increasing with capability
     * @param maxFrequencyKHz {@code cpufreq/cpuinfo_max_freq} in kHz, 0 when unknown
     * @param capacity the scheduler's {@code cpu_capacity}, 0 when unknown
     * @param cpus its usable CPUs
     * @throws NullPointerException if {@code cpus} is null
     */
    public CpuKind {
        Objects.requireNonNull(cpus, "cpus");
    }
}
