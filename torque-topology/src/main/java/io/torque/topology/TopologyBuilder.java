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

/** Collects the parts of a {@link Topology}. Not threadsafe. */
public final class TopologyBuilder {
    Path root;
    boolean thisSystem;
    CpuSet possibleCpus;
    CpuSet onlineCpus;
    CpuSet usableCpus;
    final List<CpuPackage> packages = new ArrayList<>();
    final List<CpuGroup> dies = new ArrayList<>();
    final List<CpuGroup> clusters = new ArrayList<>();
    final List<Core> cores = new ArrayList<>();
    final List<Cache> caches = new ArrayList<>();
    final List<NumaNode> numaNodes = new ArrayList<>();
    final List<CpuKind> cpuKinds = new ArrayList<>();
    final List<Long> pageSizes = new ArrayList<>();
    long totalMemoryBytes;
    CpuIdentity identity = CpuIdentity.UNKNOWN;
    OptionalDouble cpuQuota = OptionalDouble.empty();
    final List<String> notes = new ArrayList<>();
    final List<IoDevice> ioDevices = new ArrayList<>();

    TopologyBuilder() {
    }

    /**
     * Where it was read from.
     *
     * @param root the root folder, or null for none (the default)
     * @return this builder
     */
    public TopologyBuilder root(Path root) {
        this.root = root;
        return this;
    }

    /**
     * Whether it is the machine this process runs on (pinning allowed). Default false.
     *
     * @param thisSystem true only when the topology describes the live machine
     * @return this builder
     */
    public TopologyBuilder thisSystem(boolean thisSystem) {
        this.thisSystem = thisSystem;
        return this;
    }

    /**
     * Possible CPUs; defaults to the online ones.
     *
     * @param cpus the possible CPUs, or null for the default; the online CPUs are added to
     *     them at {@link #build()}
     * @return this builder
     */
    public TopologyBuilder possibleCpus(CpuSet cpus) {
        this.possibleCpus = cpus;
        return this;
    }

    /**
     * Online CPUs; defaults to the usable ones.
     *
     * @param cpus the online CPUs, which must include every usable one, or null for the
     *     default
     * @return this builder
     */
    public TopologyBuilder onlineCpus(CpuSet cpus) {
        this.onlineCpus = cpus;
        return this;
    }

    /**
     * Usable CPUs (required, non-empty).
     *
     * @param cpus the CPUs the process may run on
     * @return this builder
     * @throws IllegalArgumentException if {@code cpus} is empty
     */
    public TopologyBuilder usableCpus(CpuSet cpus) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("a topology needs at least one usable CPU");
        }
        this.usableCpus = cpus;
        return this;
    }

    /**
     * Adds a package.
     *
     * @param p the package; its CPUs must be usable
     * @return this builder
     * @throws NullPointerException if {@code p} is null
     */
    public TopologyBuilder addPackage(CpuPackage p) {
        packages.add(Objects.requireNonNull(p));
        return this;
    }

    /**
     * Adds a die.
     *
     * @param d the die; its CPUs must be usable
     * @return this builder
     * @throws NullPointerException if {@code d} is null
     */
    public TopologyBuilder addDie(CpuGroup d) {
        dies.add(Objects.requireNonNull(d));
        return this;
    }

    /**
     * Adds a cluster.
     *
     * @param c the cluster; its CPUs must be usable
     * @return this builder
     * @throws NullPointerException if {@code c} is null
     */
    public TopologyBuilder addCluster(CpuGroup c) {
        clusters.add(Objects.requireNonNull(c));
        return this;
    }

    /**
     * Adds a core.
     *
     * @param c the core; its CPUs must be usable
     * @return this builder
     * @throws NullPointerException if {@code c} is null
     */
    public TopologyBuilder addCore(Core c) {
        cores.add(Objects.requireNonNull(c));
        return this;
    }

    /**
     * Adds a cache instance.
     *
     * @param c the cache; its CPUs must be usable
     * @return this builder
     * @throws NullPointerException if {@code c} is null
     */
    public TopologyBuilder addCache(Cache c) {
        caches.add(Objects.requireNonNull(c));
        return this;
    }

    /**
     * Adds a NUMA node.
     *
     * @param n the node; unlike the other parts, its CPU set may be empty
     * @return this builder
     * @throws NullPointerException if {@code n} is null
     */
    public TopologyBuilder addNumaNode(NumaNode n) {
        numaNodes.add(Objects.requireNonNull(n));
        return this;
    }

    /**
     * Adds a CPU kind.
     *
     * @param k the kind
     * @return this builder
     * @throws NullPointerException if {@code k} is null
     */
    public TopologyBuilder addCpuKind(CpuKind k) {
        cpuKinds.add(Objects.requireNonNull(k));
        return this;
    }

    /**
     * Adds a supported page size in bytes.
     *
     * @param bytes the page size; adding one twice keeps it once
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public TopologyBuilder addPageSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("page size must be positive: " + bytes);
        }
        pageSizes.add(bytes);
        return this;
    }

    /**
     * The machine's memory in bytes.
     *
     * @param bytes the total memory, 0 (the default) when unknown
     * @return this builder
     */
    public TopologyBuilder totalMemoryBytes(long bytes) {
        this.totalMemoryBytes = bytes;
        return this;
    }

    /**
     * What the CPUs are.
     *
     * @param identity the identity; defaults to {@link CpuIdentity#UNKNOWN}
     * @return this builder
     * @throws NullPointerException if {@code identity} is null
     */
    public TopologyBuilder identity(CpuIdentity identity) {
        this.identity = Objects.requireNonNull(identity);
        return this;
    }

    /**
     * The cgroup CPU quota in CPUs.
     *
     * @param cpus the quota, such as 1.5; not called means unlimited
     * @return this builder
     * @throws IllegalArgumentException if {@code cpus} is not positive (or is NaN)
     */
    public TopologyBuilder cpuQuota(double cpus) {
        if (!(cpus > 0)) {
            throw new IllegalArgumentException("CPU quota must be positive: " + cpus);
        }
        this.cpuQuota = OptionalDouble.of(cpus);
        return this;
    }

    /**
     * Records how detection degraded.
     *
     * @param note one line saying what was missing and what was assumed instead
     * @return this builder
     */
    public TopologyBuilder note(String note) {
        notes.add(note);
        return this;
    }

    /**
     * Adds an OS device (a NIC, a block device, a GPU) and where it sits.
     *
     * @param device the device
     * @return this builder
     */
    public TopologyBuilder addIoDevice(IoDevice device) {
        ioDevices.add(java.util.Objects.requireNonNull(device, "device"));
        return this;
    }

    /**
     * The topology.
     *
     * @return a new immutable topology; parts are sorted as the getters say, whatever the
     *     order they were added in
     * @throws IllegalArgumentException if a group holds a CPU that is not usable, or no
     *     usable CPUs were given; also if a package, die, cluster, core or cache has no CPU,
     *     or the online CPUs given leave out a usable one
     */
    public Topology build() {
        if (usableCpus == null) {
            throw new IllegalArgumentException("a topology needs at least one usable CPU");
        }
        return new Topology(this);
    }
}
