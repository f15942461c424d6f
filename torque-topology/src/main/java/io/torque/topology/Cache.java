package io.torque.topology;

import java.util.Objects;

/**
 * One cache instance and the usable CPUs that share it.
 *
 * @param level 1 for L1, 2 for L2, ...
 * @param type what it holds
 * @param sizeBytes its size in bytes, 0 when sysfs does not say
 * @param lineBytes its coherency line size in bytes, 0 when unknown
 * @param ways its associativity, 0 when unknown (or fully associative)
 * @param cpus the usable CPUs that share this instance, never empty
 */
public record Cache(int level, CacheType type, long sizeBytes, int lineBytes, int ways, CpuSet cpus) {
    /**
     * Checks the invariants.
     *
     * @param level 1 for L1, 2 for L2, ...
     * @param type what it holds
     * @param sizeBytes its size in bytes, 0 when sysfs does not say
     * @param lineBytes its coherency line size in bytes, 0 when unknown
     * @param ways its associativity, 0 when unknown (or fully associative)
     * @param cpus the usable CPUs that share this instance, never empty
     * @throws NullPointerException if {@code type} or {@code cpus} is null
     * @throws IllegalArgumentException if {@code level} is below 1, or a size, line size or
     *     associativity is negative
     */
    public Cache {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(cpus, "cpus");
        if (level < 1) {
            throw new IllegalArgumentException("cache level must be >= 1: " + level);
        }
        if (sizeBytes < 0 || lineBytes < 0 || ways < 0) {
            throw new IllegalArgumentException("negative cache geometry");
        }
    }

    /**
     * hwloc's name for this kind of cache, such as {@code L1dCache} or {@code L3Cache}.
     *
     * @return {@code "L"}, the level, {@code d} for data or {@code i} for instructions (nothing
     *     for unified), then {@code Cache}
     */
    public String hwlocName() {
        return type.hwlocName(level);
    }
}
