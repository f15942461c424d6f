package io.torque.topology;

import java.util.Objects;

/**
 * What the CPUs are, as {@code /proc/cpuinfo} (and, live, OSHI) tell it.
 *
 * @param vendor such as {@code GenuineIntel}, {@code AuthenticAMD}, {@code ARM}; empty if unknown
 * @param brand the model name, such as {@code Intel(R) Xeon(R) CPU E5-2680 v3 @ 2.50GHz}; empty
 *     if unknown
 * @param family the family number, -1 if unknown
 * @param model the model number, -1 if unknown
 * @param stepping the stepping, -1 if unknown
 * @param microarchitecture such as {@code Haswell}, from OSHI live; empty if unknown
 */
public record CpuIdentity(String vendor, String brand, int family, int model, int stepping,
        String microarchitecture) {
    /** An identity with nothing known. */
    public static final CpuIdentity UNKNOWN = new CpuIdentity("", "", -1, -1, -1, "");

    /**
     * Checks the invariants.
     *
     * @param vendor such as {@code GenuineIntel}; empty if unknown, never null
     * @param brand the model name; empty if unknown, never null
     * @param family the family number, -1 if unknown
     * @param model the model number, -1 if unknown
     * @param stepping the stepping, -1 if unknown
     * @param microarchitecture such as {@code Haswell}; empty if unknown, never null
     * @throws NullPointerException if {@code vendor}, {@code brand} or {@code microarchitecture}
     *     is null
     */
    public CpuIdentity {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(microarchitecture, "microarchitecture");
    }
}
