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
 * Reads packages, dies, clusters, cores and (through {@link CacheReader}) caches from
 * {@code /sys/devices/system/cpu/cpuN/{topology,cache}}, by hwloc's rules ({@code look_sysfscpu}):
 *
 * <ul>
 *   <li>Objects come from CPU masks, never from ids: ids repeat on some machines (ia64 packages,
 *       core ids per package) and are {@code -1} on others (POWER LPARs); an id is only a label.
 *   <li>CPUs are visited in ascending order, and only the lowest CPU of a mask creates its
 *       object, from its own mask (intersected with the online CPUs that have a topology
 *       folder). Another CPU's different mask for the "same" object is not used, and a CPU that
 *       no accepted mask names is in no such object.
 *   <li>Per CPU, in hwloc's order: its core; then, from the first CPU of a core, its package
 *       (looked at only from the first CPU of its die), its die (unless it equals the package)
 *       and its cluster; then its caches.
 *   <li>Each object goes through {@link CpuObjects}: one that partly overlaps an earlier one, or
 *       overlaps an earlier one of its own kind at all (self-contradicting sysfs), is refused
 *       whole, with a note.
 *   <li>Everything is read over the online CPUs and then restricted to the usable ones (the
 *       cgroup cpuset, the affinity mask), so a restriction never changes which CPU is first.
 * </ul>
 */
final class CpuTopologyReader {
    private static final String CPU = "/sys/devices/system/cpu/cpu";

    final List<CpuPackage> packages = new ArrayList<>();
    final List<CpuGroup> dies = new ArrayList<>();
    final List<CpuGroup> clusters = new ArrayList<>();
    final List<Core> cores = new ArrayList<>();
    final CacheReader caches;
    /** Usable CPUs with a {@code cpuN} folder but no topology folder: each is a core of its own, in no package. */
    CpuSet bare = CpuSet.EMPTY;
    /** Whether AMD compute units were split into cores (see the constructor). */
    boolean splitComputeUnits;
    private final CpuObjects objects = new CpuObjects();

    /**
     * @param present the online CPUs that have a topology folder: the masks are read over them
     * @param withFolder the online CPUs that have a {@code cpuN} folder (present ones and bare ones)
     * @param usable the CPUs the process may use: the result is restricted to them
     * @param amdWithComputeUnits AMD families 15h and 16h: the kernel may report the two cores of a
     *     compute unit as SMT siblings; if the first core with two CPUs has two different
     *     {@code core_id}s, every CPU becomes a core of its own (own L1d, own integer units), as
     *     hwloc does
     */
    CpuTopologyReader(FsRoot fs, CpuSet present, CpuSet usable, CpuSet withFolder, boolean amdWithComputeUnits) {
        caches = new CacheReader(fs, present, objects);
        CpuSetBuilder bareCpus = CpuSet.builder();
        Boolean split = amdWithComputeUnits ? null : Boolean.FALSE;
        for (int cpu : withFolder.toArray()) {
            if (!present.contains(cpu)) {
                bareCpus.add(cpu);
                cores.add(new Core(Topology.UNKNOWN_ID, Topology.UNKNOWN_ID, CpuSet.of(cpu)));
                continue; // hwloc ignores such a CPU; torque keeps it as a bare core, without caches
            }
            String dir = CPU + cpu + "/topology/";
            CpuSet coreMask = mask(fs, present, dir + "core_cpus", dir + "thread_siblings");
            if (split == null && coreMask != null && coreMask.size() > 1) {
                int other = coreMask.first() == cpu ? coreMask.next(cpu + 1) : coreMask.first();
                split = id(fs, dir + "core_id") != id(fs, CPU + other + "/topology/core_id");
                splitComputeUnits = split;
            }
            if (Boolean.TRUE.equals(split)) {
                coreMask = CpuSet.of(cpu);
            }
            boolean firstOfCore = coreMask == null || coreMask.first() == cpu;
            if (coreMask != null && firstOfCore && objects.accept("core", coreMask)) {
                cores.add(new Core(id(fs, dir + "physical_package_id"), id(fs, dir + "core_id"), coreMask));
            }
            if (firstOfCore) { // hwloc's order: the package, then its die and cluster
                CpuSet die = mask(fs, present, dir + "die_cpus");
                boolean firstOfDie = die == null || die.first() == cpu;
                CpuSet pkg = firstOfDie ? mask(fs, present, dir + "package_cpus", dir + "core_siblings") : null;
                if (pkg != null && pkg.first() == cpu && objects.accept("package", pkg)) {
                    packages.add(new CpuPackage(id(fs, dir + "physical_package_id"), pkg));
                }
                if (die != null && firstOfDie && die.size() > 1 && !die.equals(pkg) && objects.accept("die", die)) {
                    dies.add(new CpuGroup(id(fs, dir + "die_id"), die));
                }
                CpuSet cluster = mask(fs, present, dir + "cluster_cpus");
                if (cluster != null && cluster.first() == cpu && cluster.size() > 1 && objects.accept("cluster", cluster)) {
                    clusters.add(new CpuGroup(id(fs, dir + "cluster_id"), cluster)); // one CPU says nothing
                }
            }
            caches.readCpu(cpu, coreMask == null ? CpuSet.of(cpu) : coreMask);
        }
        bare = bareCpus.build().and(usable);
        restrict(usable);
        caches.restrict(usable);
    }

    private void restrict(CpuSet usable) {
        packages.replaceAll(p -> new CpuPackage(p.id(), p.cpus().and(usable)));
        packages.removeIf(p -> p.cpus().isEmpty());
        dies.replaceAll(g -> new CpuGroup(g.id(), g.cpus().and(usable)));
        dies.removeIf(g -> g.cpus().isEmpty());
        clusters.replaceAll(g -> new CpuGroup(g.id(), g.cpus().and(usable)));
        clusters.removeIf(g -> g.cpus().isEmpty());
        cores.replaceAll(c -> new Core(c.packageId(), c.id(), c.cpus().and(usable)));
        cores.removeIf(c -> c.cpus().isEmpty());
    }

    /** Objects sysfs contradicted (refused whole), one line each. */
    List<String> refused() {
        return objects.refused();
    }

    /** The first present file's mask over {@code present}, or null when no file is there or the mask is empty. */
    static CpuSet mask(FsRoot fs, CpuSet present, String... bases) {
        for (String base : bases) {
            var set = fs.readCpus(base);
            if (set.isPresent()) {
                CpuSet m = set.get().and(present);
                return m.isEmpty() ? null : m;
            }
        }
        return null;
    }

    static int id(FsRoot fs, String file) {
        OptionalLong v = fs.readLong(file);
        return v.isPresent() && v.getAsLong() >= 0 && v.getAsLong() <= Integer.MAX_VALUE
                ? (int) v.getAsLong() : Topology.UNKNOWN_ID;
    }
}
