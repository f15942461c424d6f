package io.torque.topology;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

import io.torque.topology.levels.SchedulingLevels;
import io.torque.topology.internal.sysfs.FsRoot;
import io.torque.topology.internal.sysfs.SysfsDetector;

/**
 * An immutable model of a machine as this process sees it: its processing elements (PEs, the
 * OS's CPUs), cores, packages, dies, clusters, caches, NUMA nodes, page sizes and CPU kinds.
 *
 * <p>Everything grouped here is about <em>usable</em> CPUs: online, in the process's affinity
 * mask and in its cgroup's cpuset ({@link #usableCpus()}). Packages, cores and caches with no
 * usable CPU are left out; NUMA nodes are all kept but NVIDIA GPU memory on POWER (a node
 * without CPUs of its own holds those of its memory initiators or nearest nodes, or none).
 * Machine totals ({@link #onlineCpus()}, {@link #totalMemoryBytes()}) are about the whole
 * machine.
 *
 * <p>Obtain one with {@link #detect()} (the live machine) or {@link #detect(Path)} (a sysfs and
 * procfs snapshot unpacked under a folder, as in hwloc's test suite), or build one by hand with
 * {@link #builder()}. Instances are immutable and threadsafe.
 */
public final class Topology {
    /** The id of an object whose OS id is not known (hwloc's {@code HWLOC_UNKNOWN_INDEX}). */
    public static final int UNKNOWN_ID = -1;

    private final Path root;
    private final boolean thisSystem;
    private final CpuSet possibleCpus;
    private final CpuSet onlineCpus;
    private final CpuSet usableCpus;
    private final List<CpuPackage> packages;
    private final List<CpuGroup> dies;
    private final List<CpuGroup> clusters;
    private final List<Core> cores;
    private final List<Cache> caches;
    private final List<NumaNode> numaNodes;
    private final List<CpuKind> cpuKinds;
    private final long[] pageSizes;
    private final long totalMemoryBytes;
    private final CpuIdentity identity;
    private final OptionalDouble cpuQuota;
    private final List<String> notes;
    private final List<IoDevice> ioDevices;
    private final SchedulingLevels levels;

    Topology(TopologyBuilder b) {
        root = b.root;
        ioDevices = List.copyOf(b.ioDevices);
        thisSystem = b.thisSystem;
        usableCpus = Objects.requireNonNull(b.usableCpus, "usableCpus");
        onlineCpus = b.onlineCpus == null ? usableCpus : b.onlineCpus;
        possibleCpus = b.possibleCpus == null ? onlineCpus : b.possibleCpus.or(onlineCpus);
        if (!onlineCpus.containsAll(usableCpus)) {
            throw new IllegalArgumentException("usable CPUs " + usableCpus.andNot(onlineCpus) + " are not online");
        }
        packages = sorted(b.packages, CpuPackage::cpus);
        dies = sorted(b.dies, CpuGroup::cpus);
        clusters = sorted(b.clusters, CpuGroup::cpus);
        cores = sorted(b.cores, Core::cpus);
        caches = List.copyOf(b.caches.stream()
                .sorted(Comparator.comparingInt(Cache::level).thenComparing(Cache::type).thenComparing(Cache::cpus))
                .toList());
        numaNodes = List.copyOf(b.numaNodes.stream().sorted(Comparator.comparingInt(NumaNode::id)).toList());
        cpuKinds = List.copyOf(b.cpuKinds.stream().sorted(Comparator.comparingInt(CpuKind::efficiency)).toList());
        pageSizes = b.pageSizes.stream().mapToLong(Long::longValue).distinct().sorted().toArray();
        totalMemoryBytes = b.totalMemoryBytes;
        identity = b.identity;
        cpuQuota = b.cpuQuota;
        notes = List.copyOf(b.notes);
        checkWithinUsable("package", packages.stream().map(CpuPackage::cpus).toList());
        checkWithinUsable("core", cores.stream().map(Core::cpus).toList());
        checkWithinUsable("cache", caches.stream().map(Cache::cpus).toList());
        checkWithinUsable("die", dies.stream().map(CpuGroup::cpus).toList());
        checkWithinUsable("cluster", clusters.stream().map(CpuGroup::cpus).toList());
        levels = SchedulingLevels.of(this);
    }

    private void checkWithinUsable(String what, List<CpuSet> sets) {
        for (CpuSet s : sets) {
            if (s.isEmpty() || !usableCpus.containsAll(s)) {
                throw new IllegalArgumentException(what + " CPUs " + s + " must be non-empty and usable (" + usableCpus + ")");
            }
        }
    }

    private static <T> List<T> sorted(List<T> items, java.util.function.Function<T, CpuSet> cpus) {
        return List.copyOf(items.stream().sorted(Comparator.comparing(cpus)).toList());
    }

    /**
     * Detects the live machine this process runs on. Never fails: missing files degrade.
     *
     * @return the machine as this process sees it; without sysfs (not Linux), a flat machine of
     *     {@code availableProcessors()} CPUs that is not "this system", with a note saying so
     */
    public static Topology detect() {
        return SysfsDetector.detect(FsRoot.live());
    }

    /**
     * Detects from a snapshot unpacked under {@code root} (which plays the role of {@code /}).
     * The result is never "this system": nothing about the live process is read.
     *
     * @param root the folder the snapshot was unpacked into, holding {@code sys/} and
     *     {@code proc/}
     * @return the snapshot's machine, with {@link #root()} set to {@code root}
     * @throws IllegalArgumentException if {@code root} is not a folder holding a Linux
     *     {@code sys/devices/system/cpu} tree, or the snapshot leaves no usable CPU
     */
    public static Topology detect(Path root) {
        return SysfsDetector.detect(FsRoot.of(root));
    }

    /**
     * A builder for hand-made topologies (tests, simulations of other machines).
     *
     * @return a new, empty builder
     */
    public static TopologyBuilder builder() {
        return new TopologyBuilder();
    }

    /**
     * Where this was read from: {@code /} live, the snapshot folder, or empty if hand-built.
     *
     * @return the root folder detection read, or empty when there was none
     */
    public Optional<Path> root() {
        return Optional.ofNullable(root);
    }

    /**
     * Whether this describes the machine this process runs on; only then may threads be pinned to
     * its CPUs (hwloc's {@code is_thissystem}).
     *
     * @return true only for a live detection; false for snapshots, hand-built topologies and the
     *     flat fallback
     */
    public boolean isThisSystem() {
        return thisSystem;
    }

    /**
     * CPUs the kernel could ever bring online ({@code possible}).
     *
     * @return the possible CPUs, always including every online one
     */
    public CpuSet possibleCpus() {
        return possibleCpus;
    }

    /**
     * CPUs online now, in the whole machine.
     *
     * @return the online CPUs, always including every usable one
     */
    public CpuSet onlineCpus() {
        return onlineCpus;
    }

    /**
     * CPUs this process may run on: online ∩ affinity mask ∩ cgroup cpuset. Never empty.
     *
     * @return the usable CPUs, as they were at detection time
     */
    public CpuSet usableCpus() {
        return usableCpus;
    }

    /**
     * Packages with at least one usable CPU, ordered by their lowest CPU.
     *
     * @return an unmodifiable list, empty when sysfs gives no package information
     */
    public List<CpuPackage> packages() {
        return packages;
    }

    /**
     * Dies with at least one usable CPU, where sysfs reports dies distinct from packages.
     *
     * @return an unmodifiable list ordered by lowest CPU; empty when dies are unknown or each
     *     die is a whole package
     */
    public List<CpuGroup> dies() {
        return dies;
    }

    /**
     * Clusters with at least one usable CPU, where sysfs reports them distinct from cores.
     *
     * @return an unmodifiable list ordered by lowest CPU; empty when clusters are unknown or
     *     each cluster is a single core
     */
    public List<CpuGroup> clusters() {
        return clusters;
    }

    /**
     * Cores with at least one usable CPU, ordered by their lowest CPU.
     *
     * @return an unmodifiable list
     */
    public List<Core> cores() {
        return cores;
    }

    /**
     * Each cache instance with a usable CPU, once, ordered by level, type, then CPUs.
     *
     * @return an unmodifiable list, empty when sysfs gives no cache information
     */
    public List<Cache> caches() {
        return caches;
    }

    /**
     * Every NUMA node, memory-only ones included (but GPU memory on POWER, which hwloc hides too),
     * ordered by id. A memory-only node holds the CPUs its memory is local to (its initiators',
     * or its nearest nodes'), so nodes can share CPUs; {@link #nodeOf} picks one per CPU.
     *
     * @return an unmodifiable list; detection gives at least one node (a single synthetic one
     *     without NUMA information in sysfs), a hand-built topology may give none
     */
    public List<NumaNode> numaNodes() {
        return numaNodes;
    }

    /**
     * The CPU kinds of a hybrid machine, least capable first; empty when all CPUs are alike.
     *
     * @return an unmodifiable list ordered by {@link CpuKind#efficiency()}
     */
    public List<CpuKind> cpuKinds() {
        return cpuKinds;
    }

    /**
     * Supported page sizes in bytes, ascending: the base page, then huge page sizes.
     *
     * @return a new array on each call, without duplicates; detection always gives the base
     *     page, a hand-built topology may give none
     */
    public long[] pageSizes() {
        return pageSizes.clone();
    }

    /**
     * The machine's memory ({@code MemTotal}), 0 if unknown. May differ from the nodes' sum.
     *
     * @return the total memory in bytes, or 0
     */
    public long totalMemoryBytes() {
        return totalMemoryBytes;
    }

    /**
     * What the CPUs are.
     *
     * @return the identity, {@link CpuIdentity#UNKNOWN} when nothing is known; never null
     */
    public CpuIdentity identity() {
        return identity;
    }

    /**
     * The cgroup CPU bandwidth limit in CPUs ({@code cpu.max} quota / period, e.g. 1.5), or empty
     * when unlimited or unknown.
     *
     * @return the quota in CPUs, positive when present
     */
    public OptionalDouble cpuQuota() {
        return cpuQuota;
    }

    /**
     * An advisory number of event loops: one per usable CPU, lowered to the cgroup CPU quota
     * (rounded up) when one is set, since more busy threads than the quota only get throttled.
     *
     * @return a loop count between 1 and the number of usable CPUs
     */
    public int advisoryLoopCount() {
        int usable = usableCpus.size();
        if (cpuQuota.isPresent()) {
            return (int) Math.max(1, Math.min(usable, Math.ceil(cpuQuota.getAsDouble())));
        }
        return usable;
    }

    /**
     * The OS devices (network interfaces, block devices, GPUs) with their PCI address, NUMA node
     * and local CPUs, as sysfs gives them (hwloc's I/O objects); empty where sysfs shows none.
     *
     * @return an unmodifiable list, by kind then name
     */
    public List<IoDevice> ioDevices() {
        return ioDevices;
    }

    /**
     * What detection could not find and how it made do, one line each.
     *
     * @return an unmodifiable list in the order the notes were made; empty when nothing was
     *     missing
     */
    public List<String> notes() {
        return notes;
    }

    /**
     * The scheduling levels and groups of the usable CPUs (libtorque's topology).
     *
     * @return the levels, derived once when this topology was built
     */
    public SchedulingLevels levels() {
        return levels;
    }

    /**
     * The core holding {@code cpu}, if the CPU is usable and its core is known.
     *
     * @param cpu an OS CPU number
     * @return its core, or empty
     */
    public Optional<Core> coreOf(int cpu) {
        return cores.stream().filter(c -> c.cpus().contains(cpu)).findFirst();
    }

    /**
     * The package holding {@code cpu}, if the CPU is usable and its package is known.
     *
     * @param cpu an OS CPU number
     * @return its package, or empty
     */
    public Optional<CpuPackage> packageOf(int cpu) {
        return packages.stream().filter(p -> p.cpus().contains(cpu)).findFirst();
    }

    /**
     * The NUMA node local to {@code cpu}, if known. Where several nodes are local to it (tiered
     * memory: DRAM and NVM or HBM behind the same CPUs), an allowed node before a disallowed one,
     * then the faster tier (measured bandwidth decides tiers, where firmware gives it, so a
     * guessed kind never puts slow memory first), then ordinary memory (kind unknown or
     * {@code DRAM}) before the rest, then the node with the fewest CPUs (the nearest), then the
     * lowest id.
     *
     * @param cpu an OS CPU number
     * @return its node, or empty when the CPU is not usable or in no node
     */
    public Optional<NumaNode> nodeOf(int cpu) {
        return numaNodes.stream().filter(n -> n.cpus().contains(cpu)).min(LOCAL_FIRST);
    }

    /** The order {@link #nodeOf} picks by: allowed, tier, ordinary memory, fewest CPUs, lowest id. */
    static final Comparator<NumaNode> LOCAL_FIRST = Comparator.comparing((NumaNode n) -> !n.memoryAllowed())
            .thenComparingInt(NumaNode::tier).thenComparing(n -> !(n.kind().isEmpty() || n.kind().equals("DRAM")))
            .thenComparingInt(n -> n.cpus().size()).thenComparingInt(NumaNode::id);

    /**
     * The NUMA nodes in the order {@link #nodeOf} prefers them: allowed before disallowed, then
     * tier, then ordinary memory before HBM, NVM, GPU or CXL memory, then fewest CPUs, then id.
     *
     * @return an unmodifiable list of the nodes with CPUs and without
     */
    public List<NumaNode> numaNodesLocalFirst() {
        return numaNodes.stream().sorted(LOCAL_FIRST).toList();
    }

    /**
     * The caches {@code cpu} uses, innermost first.
     *
     * @param cpu an OS CPU number
     * @return an unmodifiable list ordered as {@link #caches()} (by level, then type); empty when
     *     the CPU is not usable or has no known cache
     */
    public List<Cache> cachesOf(int cpu) {
        return caches.stream().filter(c -> c.cpus().contains(cpu)).toList();
    }

    /**
     * The largest number of usable hardware threads in one core (1 without SMT).
     *
     * @return the thread count, at least 1 (also when no core is known)
     */
    public int threadsPerCore() {
        return cores.stream().mapToInt(c -> c.cpus().size()).max().orElse(1);
    }

    @Override
    public String toString() {
        return "Topology[usable=" + usableCpus + ", packages=" + packages.size() + ", cores=" + cores.size()
                + ", caches=" + caches.size() + ", numaNodes=" + numaNodes.size() + ", root=" + root + "]";
    }
}
