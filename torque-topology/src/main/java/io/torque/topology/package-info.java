/**
 * The machine model: {@link io.torque.topology.Topology} and its parts (packages, cores, caches,
 * NUMA nodes, CPU kinds) over {@link io.torque.topology.CpuSet}s of OS CPU numbers. Everything is
 * immutable and threadsafe. Detection lives in {@code internal.sysfs} (not public API), affinity
 * in {@code affinity}, libtorque's scheduling levels in {@code levels}, the archdetect command in
 * {@code cli}.
 */
package io.torque.topology;
