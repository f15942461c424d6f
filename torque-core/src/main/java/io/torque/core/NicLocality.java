package io.torque.core;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;

import io.torque.core.internal.loop.Loop;
import io.torque.topology.CpuSet;
import io.torque.topology.IoDevice;
import io.torque.topology.NumaNode;
import io.torque.topology.Topology;

/**
 * Which loops are near the network interface that owns a listening address: those on the CPUs
 * sysfs calls local to the NIC ({@code local_cpulist}), else on its NUMA node. Used by a listener
 * whose options ask for NIC locality ({@link io.torque.core.net.ListenOptions#withNicLocality});
 * where nothing is known (a topology that is not this machine's, a wildcard address, loopback, a
 * virtual interface, a NIC sysfs places on no node and no CPUs, no loop on those CPUs) every loop
 * serves it and {@link #why} says why.
 */
final class NicLocality {
    /** The loops to use, never empty. */
    final List<Loop> loops;
    /** Why these loops: the NIC and its CPUs, or why every loop is used. */
    final String why;

    private NicLocality(List<Loop> loops, String why) {
        this.loops = loops;
        this.why = why;
    }

    static NicLocality of(InetAddress address, Topology topology, List<Loop> all) {
        if (!topology.isThisSystem()) {
            return new NicLocality(all, "the context's topology is not this machine's (a snapshot or made up): "
                    + "its interfaces cannot be matched");
        }
        if (address.isAnyLocalAddress()) {
            return new NicLocality(all, address.getHostAddress() + " is every interface's: no single NIC to be near");
        }
        String name;
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(address);
            if (nic == null) {
                return new NicLocality(all, "no interface owns " + address.getHostAddress());
            }
            name = nic.getName();
        } catch (SocketException e) {
            return new NicLocality(all, "interfaces unreadable: " + e.getMessage());
        }
        return of(name, topology, all);
    }

    /** The loops near the interface called {@code name} in {@code topology}. */
    static NicLocality of(String name, Topology topology, List<Loop> all) {
        Optional<IoDevice> device = topology.ioDevices().stream()
                .filter(d -> d.kind().equals("net") && d.name().equals(name)).findFirst();
        if (device.isEmpty()) {
            return new NicLocality(all, name + " is on no device sysfs places (loopback or virtual)");
        }
        CpuSet near = device.get().cpus();
        if (near.isEmpty() && device.get().numaNode() >= 0) {
            near = topology.numaNodes().stream().filter(n -> n.id() == device.get().numaNode()).findFirst()
                    .map(NumaNode::cpus).orElse(CpuSet.EMPTY);
        }
        if (near.isEmpty()) {
            return new NicLocality(all, name + " has no NUMA node or local CPUs in sysfs");
        }
        CpuSet cpus = near;
        List<Loop> local = all.stream().filter(l -> cpus.contains(l.cpu())).toList();
        if (local.isEmpty()) {
            return new NicLocality(all, "no loop runs on " + name + "'s CPUs " + cpus);
        }
        return new NicLocality(local, name + " is local to CPUs " + cpus + (device.get().numaNode() >= 0
                ? " (NUMA node " + device.get().numaNode() + ")" : ""));
    }
}
