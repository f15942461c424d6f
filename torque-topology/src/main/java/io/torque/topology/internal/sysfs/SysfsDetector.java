package io.torque.topology.internal.sysfs;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;

import io.torque.topology.Core;
import io.torque.topology.CpuGroup;
import io.torque.topology.CpuIdentity;
import io.torque.topology.CpuKind;
import io.torque.topology.CpuPackage;
import io.torque.topology.CpuSet;
import io.torque.topology.CpuSetBuilder;
import io.torque.topology.NumaNode;
import io.torque.topology.Topology;
import io.torque.topology.TopologyBuilder;
import io.torque.topology.affinity.Affinity;

/**
 * Detects a {@link Topology} from Linux sysfs and procfs under a root ({@link FsRoot}).
 *
 * <p>Live ({@code /}), the process's affinity mask ({@code sched_getaffinity}) and OSHI's CPU
 * identification are used as well; from a snapshot, only the snapshot's files are read, and the
 * result is never "this system". Every missing file degrades one fact and leaves a note in
 * {@link Topology#notes()}; see docs/topology.md.
 */
public final class SysfsDetector {
    private static final System.Logger LOG = System.getLogger(SysfsDetector.class.getName());
    private static final String CPU_DIR = "/sys/devices/system/cpu";

    private SysfsDetector() {
    }

    /**
     * Detects from {@code fs}.
     *
     * @throws IllegalArgumentException if a snapshot root holds no Linux CPU tree (live, a
     *     machine without sysfs gets a flat topology of {@code availableProcessors()} CPUs)
     */
    public static Topology detect(FsRoot fs) {
        boolean live = fs.isLive();
        List<Integer> cpuDirs = fs.numberedEntries(CPU_DIR, "cpu");
        if (cpuDirs.isEmpty() && fs.readCpuList(CPU_DIR + "/online").isEmpty()) {
            if (live) {
                return fallback("no " + CPU_DIR + " (not Linux, or sysfs not mounted)");
            }
            throw new IllegalArgumentException("not a Linux sysfs/procfs root: " + fs.path()
                    + " has no " + CPU_DIR.substring(1) + "/cpuN folders");
        }
        TopologyBuilder b = Topology.builder().root(fs.path()).thisSystem(live);

        CpuSet dirs = CpuSet.of(cpuDirs.stream().mapToInt(Integer::intValue).toArray());
        Optional<CpuSet> onlineFile = fs.readCpuList(CPU_DIR + "/online");
        CpuSet online = onlineFile.orElseGet(() -> onlineByFolder(fs, dirs));
        if (onlineFile.isEmpty()) {
            b.note("no " + CPU_DIR + "/online: CPUs are the cpuN folders whose own 'online' is not 0");
        }
        CpuSet possible = fs.readCpuList(CPU_DIR + "/possible").orElse(dirs).or(online);

        CpuSet usable = online;
        if (!dirs.isEmpty() && !dirs.containsAll(online)) {
            b.note("online CPUs " + online.andNot(dirs) + " have no cpuN folder: left out, as hwloc does");
            usable = online.and(dirs);
        }
        if (live && Affinity.isAvailable()) {
            usable = usable.and(Affinity.current());
        } else if (live) {
            b.note("affinity mask unknown (" + Affinity.unavailabilityCause() + ")");
        }
        CgroupReader cgroup = new CgroupReader(fs);
        if (cgroup.cpus.isPresent()) {
            CpuSet restricted = usable.and(cgroup.cpus.get());
            if (restricted.isEmpty()) {
                b.note("cgroup cpuset " + cgroup.cpus.get() + " holds no online CPU; ignored");
            } else {
                usable = restricted;
            }
        }
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("no usable CPU under " + fs.path() + " (online: " + online + ")");
        }
        cgroup.quota.ifPresent(b::cpuQuota);
        b.possibleCpus(possible).onlineCpus(online).usableCpus(usable);

        CpuIdentity identity = CpuInfoReader.read(fs);
        boolean amdComputeUnits = identity.vendor().equals("AuthenticAMD")
                && (identity.family() == 0x15 || identity.family() == 0x16);
        CpuSet withFolder = online.and(dirs);
        CpuSetBuilder withTopology = CpuSet.builder();
        for (int cpu : withFolder.toArray()) {
            if (fs.isDirectory(CPU_DIR + "/cpu" + cpu + "/topology")) {
                withTopology.add(cpu);
            }
        }
        CpuTopologyReader topo = new CpuTopologyReader(fs, withTopology.build(), usable, withFolder, amdComputeUnits);
        if (topo.splitComputeUnits) {
            b.note("AMD compute units: the cores of a compute unit are reported as SMT siblings with two core ids; split into cores");
        }
        topo.refused().forEach(r -> b.note("sysfs contradicts itself: " + r + "; left out, as hwloc does"));
        topo.packages.forEach(b::addPackage);
        topo.cores.forEach(b::addCore);
        // Dies and clusters that equal a package or a core add nothing: keep only distinct ones.
        List<CpuSet> packageSets = topo.packages.stream().map(CpuPackage::cpus).toList();
        List<CpuSet> coreSets = topo.cores.stream().map(Core::cpus).toList();
        if (!topo.dies.stream().map(CpuGroup::cpus).toList().equals(packageSets)) {
            topo.dies.forEach(b::addDie);
        }
        if (!topo.clusters.stream().map(CpuGroup::cpus).toList().equals(coreSets)) {
            topo.clusters.forEach(b::addCluster);
        }
        if (!topo.bare.isEmpty()) {
            b.note("CPUs " + topo.bare + " have no topology folder: each is its own core, in no package");
        }
        if (topo.packages.isEmpty()) {
            b.note("no package masks in sysfs: packages unknown");
        }

        CacheReader caches = topo.caches;
        caches.caches.forEach(b::addCache);
        if (!caches.withoutCacheInfo.isEmpty()) {
            b.note("CPUs " + caches.withoutCacheInfo + " have no cache information in sysfs");
        }

        long memTotal = fs.read("/proc/meminfo").map(NumaReader::memTotal).orElse(0L);
        b.totalMemoryBytes(memTotal);
        boolean power = identity.vendor().equals("IBM") || identity.brand().startsWith("POWER");
        NumaReader numa = new NumaReader(fs, online, usable, cgroup.mems, memTotal, power);
        if (!numa.hiddenGpuNodes.isEmpty()) {
            b.note("NUMA nodes " + numa.hiddenGpuNodes.stream().sorted().toList() + " are NVIDIA GPU memory on POWER: left out, as hwloc does");
        }
        numa.nodes.forEach(b::addNumaNode);
        if (numa.synthetic) {
            b.note("no /sys/devices/system/node: one NUMA node holds every CPU");
        }

        long basePage = PlatformReader.recordedPageSize(fs);
        if (basePage == 0 && live && Affinity.isAvailable()) {
            basePage = Affinity.pageSize();
        }
        if (basePage == 0) {
            basePage = 4096;
            b.note("base page size unknown: assumed 4096 bytes");
        }
        b.addPageSize(basePage);
        PlatformReader.hugePageSizes(fs).forEach(b::addPageSize);
        for (CpuKind kind : PlatformReader.cpuKinds(fs, usable)) {
            b.addCpuKind(kind);
        }

        IoReader.devices(fs).forEach(b::addIoDevice);

        if (live) {
            identity = OshiIdentity.enrich(identity);
        }
        b.identity(identity);
        return b.build();
    }

    private static CpuSet onlineByFolder(FsRoot fs, CpuSet dirs) {
        CpuSetBuilder online = CpuSet.builder();
        for (int cpu : dirs.toArray()) {
            if (fs.readLong(CPU_DIR + "/cpu" + cpu + "/online").orElse(1) != 0) {
                online.add(cpu);
            }
        }
        return online.build();
    }

    /** The last-ranked detector: a flat machine of {@code availableProcessors()} CPUs. */
    private static Topology fallback(String why) {
        int n = Runtime.getRuntime().availableProcessors();
        LOG.log(Level.WARNING, "topology unknown, assuming {0} flat CPUs: {1}", n, why);
        CpuSet cpus = CpuSet.range(0, n - 1);
        TopologyBuilder b = Topology.builder().thisSystem(false).usableCpus(cpus)
                .note(why + ": assuming " + n + " CPUs with no shared caches, one package, one node")
                .addPackage(new CpuPackage(Topology.UNKNOWN_ID, cpus))
                .addNumaNode(new NumaNode(0, cpus, Runtime.getRuntime().maxMemory(), true, new int[] {10}))
                .addPageSize(4096);
        for (int cpu = 0; cpu < n; cpu++) {
            b.addCore(new Core(Topology.UNKNOWN_ID, cpu, CpuSet.of(cpu)));
        }
        return b.build();
    }

}
