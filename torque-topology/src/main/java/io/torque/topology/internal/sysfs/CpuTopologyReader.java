package io.torque.topology.internal.sysfs;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import io.torque.topology.Core;
import io.torque.topology.CpuGroup;
import io.torque.topology.CpuPackage;
import io.torque.topology.CpuSet;
import io.torque.topology.CpuSetBuilder;
import io.torque.topology.Topology;

/**
 * Reads packages, dies, clusters and cores from {@code /sys/devices/system/cpu/cpuN/topology}.
 *
 * <p>Objects are told apart by their CPU masks, not by their ids: ids repeat on some machines
 * (ia64 packages) and are {@code -1} on others (POWER). The first CPU of each new mask creates
 * the object; a mask that omits its own CPU (buggy firmware) is fixed by adding it, and CPUs
 * already placed are never moved, so the result is always a partition.
 */
final class CpuTopologyReader {
    private static final String CPU = "/sys/devices/system/cpu/cpu";

    final List<CpuPackage> packages = new ArrayList<>();
    final List<CpuGroup> dies = new ArrayList<>();
    final List<CpuGroup> clusters = new ArrayList<>();
    final List<Core> cores = new ArrayList<>();
    /** CPUs with no topology folder at all: each becomes a core of its own, in no package. */
    CpuSet bare = CpuSet.EMPTY;

    /**
     * @param splitComputeUnits AMD family 15h (Bulldozer, Piledriver): the kernel reports both
     *     cores of a compute unit as SMT siblings; they are separate cores (own L1d, own integer
     *     units), so each CPU becomes a core of its own, as hwloc does
     */
    CpuTopologyReader(FsRoot fs, CpuSet usable, boolean splitComputeUnits) {
        CpuSet inPackage = CpuSet.EMPTY;
        CpuSet inDie = CpuSet.EMPTY;
        CpuSet inCluster = CpuSet.EMPTY;
        CpuSet inCore = CpuSet.EMPTY;
        CpuSetBuilder bareCpus = CpuSet.builder();
        for (int cpu : usable.toArray()) {
            String dir = CPU + cpu + "/topology/";
            if (!fs.isDirectory(dir)) {
                bareCpus.add(cpu);
                cores.add(new Core(Topology.UNKNOWN_ID, Topology.UNKNOWN_ID, CpuSet.of(cpu)));
                continue;
            }
            int packageId = id(fs, dir + "physical_package_id");
            if (!inPackage.contains(cpu)) {
                CpuSet mask = firstPresent(fs, dir + "package_cpus", dir + "core_siblings");
                if (mask != null) {
                    CpuSet set = claim(mask, cpu, usable, inPackage);
                    packages.add(new CpuPackage(packageId, set));
                    inPackage = inPackage.or(set);
                }
            }
            if (!inDie.contains(cpu)) {
                CpuSet mask = firstPresent(fs, dir + "die_cpus");
                if (mask != null) {
                    CpuSet set = claim(mask, cpu, usable, inDie);
                    dies.add(new CpuGroup(id(fs, dir + "die_id"), set));
                    inDie = inDie.or(set);
                }
            }
            if (!inCluster.contains(cpu)) {
                CpuSet mask = firstPresent(fs, dir + "cluster_cpus");
                if (mask != null) {
                    CpuSet set = claim(mask, cpu, usable, inCluster);
                    clusters.add(new CpuGroup(id(fs, dir + "cluster_id"), set));
                    inCluster = inCluster.or(set);
                }
            }
            if (!inCore.contains(cpu)) {
                CpuSet mask = splitComputeUnits ? null : firstPresent(fs, dir + "core_cpus", dir + "thread_siblings");
                CpuSet set = claim(mask == null ? CpuSet.of(cpu) : mask, cpu, usable, inCore);
                cores.add(new Core(packageId, id(fs, dir + "core_id"), set));
                inCore = inCore.or(set);
            }
        }
        bare = bareCpus.build();
    }

    /** The core holding {@code cpu}; every usable CPU has one. */
    CpuSet coreOf(int cpu) {
        for (Core c : cores) {
            if (c.cpus().contains(cpu)) {
                return c.cpus();
            }
        }
        return CpuSet.of(cpu);
    }

    /** The mask's usable CPUs not yet placed, always including {@code cpu} itself. */
    private static CpuSet claim(CpuSet mask, int cpu, CpuSet usable, CpuSet placed) {
        return mask.and(usable).andNot(placed).or(CpuSet.of(cpu));
    }

    private static CpuSet firstPresent(FsRoot fs, String... bases) {
        for (String base : bases) {
            var set = fs.readCpus(base);
            if (set.isPresent()) {
                return set.get();
            }
        }
        return null;
    }

    private static int id(FsRoot fs, String file) {
        OptionalLong v = fs.readLong(file);
        return v.isPresent() && v.getAsLong() >= 0 && v.getAsLong() <= Integer.MAX_VALUE
                ? (int) v.getAsLong() : Topology.UNKNOWN_ID;
    }
}
