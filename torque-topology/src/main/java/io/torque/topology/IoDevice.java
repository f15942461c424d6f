package io.torque.topology;

import java.util.Objects;

/**
 * A device the operating system names (hwloc's OS devices): a network interface, a block device
 * or a GPU, with where it sits: its PCI address, the NUMA node sysfs gives it and the CPUs local to
 * it. A networking library uses this to serve a NIC's connections from loops near it.
 *
 * @param kind {@code "net"}, {@code "block"} or {@code "gpu"}
 * @param name the OS name: {@code eth0}, {@code nvme0n1}, {@code card0}
 * @param pciAddress the PCI device it belongs to ({@code 0000:00:03.0}), or null when it is on no
 *     PCI device (virtual, or on another bus)
 * @param numaNode the NUMA node sysfs gives the device, or -1 when sysfs says none (a single-node
 *     machine, or firmware that does not tell)
 * @param cpus the CPUs local to the device ({@code local_cpulist}); empty when sysfs does not say
 * @param speedMbps a network interface's link speed in Mb/s; -1 when unknown or not a NIC
 */
public record IoDevice(String kind, String name, String pciAddress, int numaNode, CpuSet cpus, long speedMbps) {
    /**
     * Checks.
     *
     * @param kind see {@link #kind()}
     * @param name see {@link #name()}
     * @param pciAddress see {@link #pciAddress()}
     * @param numaNode see {@link #numaNode()}
     * @param cpus see {@link #cpus()}
     * @param speedMbps see {@link #speedMbps()}
     * @throws NullPointerException if kind, name or cpus is null
     */
    public IoDevice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cpus, "cpus");
    }
}
