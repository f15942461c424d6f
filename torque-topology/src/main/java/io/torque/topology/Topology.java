package io.torque.topology;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

import io.torque.topology.levels.SchedulingLevels;
import io.torque.topology.sysfs.FsRoot;
import io.torque.topology.sysfs.SysfsDetector;

/**
 * An immutable model of a machine as this process sees it: its processing elements (PEs, the
 * OS's CPUs), cores, packages, dies, clusters, caches, NUMA nodes, page sizes and CPU kinds.
 *
 * <p>Everything grouped here is about <em>usable</em> CPUs: online, in the process's affinity
 * mask and in its cgroup's cpuset ({@link #usableCpus()}). Packages, cores and caches with no
 * usable CPU are left out; NUMA nodes are all kept (CPU-less ones have an empty CPU set).
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
    private final SchedulingLevels levels;

    private Topology(Builder b) {
        root = b.root;
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

    /** Detects the live machine this process runs on. Never fails: missing files degrade. */
    public static Topology detect() {
        return SysfsDetector.detect(FsRoot.live());
    }

    /**
     * Detects from a snapshot unpacked under {@code root} (which plays the role of {@code /}).
     * The result is never "this system": nothing about the live process is read.
     *
     * @throws IllegalArgumentException if {@code root} is not a folder holding a Linux
     *     {@code sys/devices/system/cpu} tree
     */
    public static Topology detect(Path root) {
        return SysfsDetector.detect(FsRoot.of(root));
    }

    /** A builder for hand-made topologies (tests, simulations of other machines). */
    public static Builder builder() {
        return new Builder();
    }

    /** Where this was read from: {@code /} live, the snapshot folder, or empty if hand-built. */
    public Optional<Path> root() {
        return Optional.ofNullable(root);
    }

    /**
     * Whether this describes the machine this process runs on; only then may threads be pinned to
     * its CPUs (hwloc's {@code is_thissystem}).
     */
    public boolean isThisSystem() {
        return thisSystem;
    }

    /** CPUs the kernel could ever bring online ({@code possible}). */
    public CpuSet possibleCpus() {
        return possibleCpus;
    }

    /** CPUs online now, in the whole machine. */
    public CpuSet onlineCpus() {
        return onlineCpus;
    }

    /** CPUs this process may run on: online ∩ affinity mask ∩ cgroup cpuset. Never empty. */
    public CpuSet usableCpus() {
        return usableCpus;
    }

    /** Packages with at least one usable CPU, ordered by their lowest CPU. */
    public List<CpuPackage> packages() {
        return packages;
    }

    /** Dies with at least one usable CPU, where sysfs reports dies distinct from packages. */
    public List<CpuGroup> dies() {
        return dies;
    }

    /** Clusters with at least one usable CPU, where sysfs reports them distinct from cores. */
    public List<CpuGroup> clusters() {
        return clusters;
    }

    /** Cores with at least one usable CPU, ordered by their lowest CPU. */
    public List<Core> cores() {
        return cores;
    }

    /** Each cache instance with a usable CPU, once, ordered by level, type, then CPUs. */
    public List<Cache> caches() {
        return caches;
    }

    /** Every NUMA node, CPU-less ones included, ordered by id. */
    public List<NumaNode> numaNodes() {
        return numaNodes;
    }

    /** The CPU kinds of a hybrid machine, least capable first; empty when all CPUs are alike. */
    public List<CpuKind> cpuKinds() {
        return cpuKinds;
    }

    /** Supported page sizes in bytes, ascending: the base page, then huge page sizes. */
    public long[] pageSizes() {
        return pageSizes.clone();
    }

    /** The machine's memory ({@code MemTotal}), 0 if unknown. May differ from the nodes' sum. */
    public long totalMemoryBytes() {
        return totalMemoryBytes;
    }

    /** What the CPUs are. */
    public CpuIdentity identity() {
        return identity;
    }

    /**
     * The cgroup CPU bandwidth limit in CPUs ({@code cpu.max} quota / period, e.g. 1.5), or empty
     * when unlimited or unknown.
     */
    public OptionalDouble cpuQuota() {
        return cpuQuota;
    }

    /**
     * An advisory number of event loops: one per usable CPU, lowered to the cgroup CPU quota
     * (rounded up) when one is set, since more busy threads than the quota only get throttled.
     */
    public int advisoryLoopCount() {
        int usable = usableCpus.size();
        if (cpuQuota.isPresent()) {
            return (int) Math.max(1, Math.min(usable, Math.ceil(cpuQuota.getAsDouble())));
        }
        return usable;
    }

    /** What detection could not find and how it made do, one line each. */
    public List<String> notes() {
        return notes;
    }

    /** The scheduling levels and groups of the usable CPUs (libtorque's topology). */
    public SchedulingLevels levels() {
        return levels;
    }

    /** The core holding {@code cpu}, if the CPU is usable and its core is known. */
    public Optional<Core> coreOf(int cpu) {
        return cores.stream().filter(c -> c.cpus().contains(cpu)).findFirst();
    }

    /** The package holding {@code cpu}, if the CPU is usable and its package is known. */
    public Optional<CpuPackage> packageOf(int cpu) {
        return packages.stream().filter(p -> p.cpus().contains(cpu)).findFirst();
    }

    /** The NUMA node holding {@code cpu}, if known. */
    public Optional<NumaNode> nodeOf(int cpu) {
        return numaNodes.stream().filter(n -> n.cpus().contains(cpu)).findFirst();
    }

    /** The caches {@code cpu} uses, innermost first. */
    public List<Cache> cachesOf(int cpu) {
        return caches.stream().filter(c -> c.cpus().contains(cpu)).toList();
    }

    /** The largest number of usable hardware threads in one core (1 without SMT). */
    public int threadsPerCore() {
        return cores.stream().mapToInt(c -> c.cpus().size()).max().orElse(1);
    }

    @Override
    public String toString() {
        return "Topology[usable=" + usableCpus + ", packages=" + packages.size() + ", cores=" + cores.size()
                + ", caches=" + caches.size() + ", numaNodes=" + numaNodes.size() + ", root=" + root + "]";
    }

    /** Collects the parts of a {@link Topology}. Not threadsafe. */
    public static final class Builder {
        private Path root;
        private boolean thisSystem;
        private CpuSet possibleCpus;
        private CpuSet onlineCpus;
        private CpuSet usableCpus;
        private final List<CpuPackage> packages = new ArrayList<>();
        private final List<CpuGroup> dies = new ArrayList<>();
        private final List<CpuGroup> clusters = new ArrayList<>();
        private final List<Core> cores = new ArrayList<>();
        private final List<Cache> caches = new ArrayList<>();
        private final List<NumaNode> numaNodes = new ArrayList<>();
        private final List<CpuKind> cpuKinds = new ArrayList<>();
        private final List<Long> pageSizes = new ArrayList<>();
        private long totalMemoryBytes;
        private CpuIdentity identity = CpuIdentity.UNKNOWN;
        private OptionalDouble cpuQuota = OptionalDouble.empty();
        private final List<String> notes = new ArrayList<>();

        private Builder() {
        }

        /** Where it was read from. */
        public Builder root(Path root) {
            this.root = root;
            return this;
        }

        /** Whether it is the machine this process runs on (pinning allowed). Default false. */
        public Builder thisSystem(boolean thisSystem) {
            this.thisSystem = thisSystem;
            return this;
        }

        /** Possible CPUs; defaults to the online ones. */
        public Builder possibleCpus(CpuSet cpus) {
            this.possibleCpus = cpus;
            return this;
        }

        /** Online CPUs; defaults to the usable ones. */
        public Builder onlineCpus(CpuSet cpus) {
            this.onlineCpus = cpus;
            return this;
        }

        /** Usable CPUs (required, non-empty). */
        public Builder usableCpus(CpuSet cpus) {
            if (cpus.isEmpty()) {
                throw new IllegalArgumentException("a topology needs at least one usable CPU");
            }
            this.usableCpus = cpus;
            return this;
        }

        /** Adds a package. */
        public Builder addPackage(CpuPackage p) {
            packages.add(Objects.requireNonNull(p));
            return this;
        }

        /** Adds a die. */
        public Builder addDie(CpuGroup d) {
            dies.add(Objects.requireNonNull(d));
            return this;
        }

        /** Adds a cluster. */
        public Builder addCluster(CpuGroup c) {
            clusters.add(Objects.requireNonNull(c));
            return this;
        }

        /** Adds a core. */
        public Builder addCore(Core c) {
            cores.add(Objects.requireNonNull(c));
            return this;
        }

        /** Adds a cache instance. */
        public Builder addCache(Cache c) {
            caches.add(Objects.requireNonNull(c));
            return this;
        }

        /** Adds a NUMA node. */
        public Builder addNumaNode(NumaNode n) {
            numaNodes.add(Objects.requireNonNull(n));
            return this;
        }

        /** Adds a CPU kind. */
        public Builder addCpuKind(CpuKind k) {
            cpuKinds.add(Objects.requireNonNull(k));
            return this;
        }

        /** Adds a supported page size in bytes. */
        public Builder addPageSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("page size must be positive: " + bytes);
            }
            pageSizes.add(bytes);
            return this;
        }

        /** The machine's memory in bytes. */
        public Builder totalMemoryBytes(long bytes) {
            this.totalMemoryBytes = bytes;
            return this;
        }

        /** What the CPUs are. */
        public Builder identity(CpuIdentity identity) {
            this.identity = Objects.requireNonNull(identity);
            return this;
        }

        /** The cgroup CPU quota in CPUs. */
        public Builder cpuQuota(double cpus) {
            if (!(cpus > 0)) {
                throw new IllegalArgumentException("CPU quota must be positive: " + cpus);
            }
            this.cpuQuota = OptionalDouble.of(cpus);
            return this;
        }

        /** Records how detection degraded. */
        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        /**
         * The topology.
         *
         * @throws IllegalArgumentException if a group holds a CPU that is not usable, or no
         *     usable CPUs were given
         */
        public Topology build() {
            if (usableCpus == null) {
                throw new IllegalArgumentException("a topology needs at least one usable CPU");
            }
            return new Topology(this);
        }
    }
}
