package io.torque.topology.internal.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.torque.topology.Cache;
import io.torque.topology.CacheType;
import io.torque.topology.CpuKind;
import io.torque.topology.CpuSet;
import io.torque.topology.NumaNode;
import io.torque.topology.Topology;
import io.torque.topology.fixtures.Fixtures;

/** Facts hwloc's console does not check, and degradation on trees made here. */
class SysfsDetectorTest {
    @TempDir
    Path dir;

    @Test
    void readsNumaMemoryDistancesAndCpuLessNodes() {
        Topology t = Topology.detect(Fixtures.root("16amd64-8n2c-cpusets"));
        assertThat(t.usableCpus()).isEqualTo(CpuSet.parseList("0-3,5-6,12-15"));
        assertThat(t.onlineCpus()).isEqualTo(CpuSet.parseList("0-3,5-15"));
        assertThat(t.numaNodes()).hasSize(8);
        NumaNode n0 = t.numaNodes().get(0);
        assertThat(n0.memoryAllowed()).as("node 0 is outside cpuset.mems").isFalse();
        assertThat(t.numaNodes().get(1).memoryBytes()).isEqualTo(8192L << 20);
        assertThat(t.numaNodes().get(1).distances()).hasSize(8).startsWith(20, 10);
        // Node 4's CPUs (8, 9) are outside the cpuset: kept, CPU-less.
        assertThat(t.numaNodes().get(4).cpus()).isEqualTo(CpuSet.EMPTY);
    }

    @Test
    void offlineCpu0AndCgroupV1() {
        Topology t = Topology.detect(Fixtures.root("offline-cpu0-node0"));
        assertThat(t.onlineCpus()).isEqualTo(CpuSet.range(4, 20));
        assertThat(t.usableCpus()).isEqualTo(CpuSet.range(4, 20));
        assertThat(t.possibleCpus().size()).isEqualTo(192);
        assertThat(t.pageSizes()).containsExactly(4096, 2L << 20, 1L << 30);
        assertThat(t.identity().vendor()).isEqualTo("GenuineIntel");
        assertThat(t.identity().model()).isEqualTo(63);
    }

    @Test
    void hybridCpuKindsAndClusters() {
        Topology t = Topology.detect(Fixtures.root("20em64t-hybrid-1p6c2t+2ca4co1t"));
        List<CpuKind> kinds = t.cpuKinds();
        assertThat(kinds).hasSize(2);
        assertThat(kinds.get(0).cpus()).isEqualTo(CpuSet.range(12, 19));
        assertThat(kinds.get(1).cpus()).isEqualTo(CpuSet.range(0, 11));
        assertThat(kinds.get(1).maxFrequencyKHz()).isGreaterThan(kinds.get(0).maxFrequencyKHz());
        assertThat(t.clusters()).extracting(c -> c.cpus()).contains(CpuSet.range(12, 15), CpuSet.range(16, 19));
        assertThat(t.threadsPerCore()).isEqualTo(2);
        Topology arm = Topology.detect(Fixtures.root("128arm-2pa2n8cluster4co"));
        assertThat(arm.clusters()).hasSize(32);
        assertThat(arm.identity().vendor()).isEqualTo("HiSilicon");
    }

    @Test
    void idsRepeatAndAreUnknownButMasksTellObjectsApart() {
        Topology ia64 = Topology.detect(Fixtures.root("16ia64-8n2s"));
        assertThat(ia64.packages()).hasSize(16);
        Topology ppc = Topology.detect(Fixtures.root("256ppc-8n8s4t"));
        assertThat(ppc.packages()).hasSize(64).allSatisfy(p -> assertThat(p.id()).isEqualTo(Topology.UNKNOWN_ID));
        assertThat(ppc.numaNodes()).extracting(NumaNode::id).containsExactly(0, 1, 4, 5, 8, 9, 12, 13);
    }

    @Test
    void rejectsARootThatIsNotLinux() {
        assertThatThrownBy(() -> Topology.detect(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Linux sysfs/procfs root");
    }

    /** No online file, a CPU whose own online is 0, no caches, no nodes, no package masks. */
    @Test
    void degradesFileByFile() throws IOException {
        for (int cpu = 0; cpu < 4; cpu++) {
            mkdir("sys/devices/system/cpu/cpu" + cpu);
        }
        write("sys/devices/system/cpu/cpu2/online", "0\n");
        write("sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "0-1\n");
        write("sys/devices/system/cpu/cpu1/topology/thread_siblings_list", "0-1\n");
        Topology t = Topology.detect(dir);
        assertThat(t.onlineCpus()).isEqualTo(CpuSet.of(0, 1, 3));
        assertThat(t.cores()).extracting(c -> c.cpus()).containsExactly(CpuSet.of(0, 1), CpuSet.of(3));
        assertThat(t.packages()).isEmpty();
        assertThat(t.caches()).isEmpty();
        assertThat(t.numaNodes()).singleElement().satisfies(n -> assertThat(n.cpus()).isEqualTo(t.usableCpus()));
        assertThat(t.notes()).anyMatch(n -> n.contains("/online")).anyMatch(n -> n.contains("no cache information"))
                .anyMatch(n -> n.contains("one NUMA node")).anyMatch(n -> n.contains("CPUs 3 have no topology folder"));
        assertThat(t.pageSizes()).containsExactly(4096);
    }

    /** More than 1024 CPUs, sparse numbering, cgroup v2 cpuset and quota. */
    @Test
    void sparseCpusBeyond1024AndCgroupV2() throws IOException {
        int[] cpus = {0, 1, 1100, 1101, 2047};
        write("sys/devices/system/cpu/online", "0-1,1100-1101,2047\n");
        for (int cpu : cpus) {
            String t = "sys/devices/system/cpu/cpu" + cpu + "/topology/";
            write(t + "physical_package_id", cpu < 1024 ? "0" : "1");
            write(t + "core_id", Integer.toString(cpu));
            write(t + "package_cpus_list", cpu < 1024 ? "0-1" : "1100-1101,2047");
            write(t + "core_cpus_list", Integer.toString(cpu));
            String c = "sys/devices/system/cpu/cpu" + cpu + "/cache/index0/";
            write(c + "level", "2");
            write(c + "type", "Unified");
            write(c + "size", "2048K");
            write(c + "coherency_line_size", "64");
            write(c + "ways_of_associativity", "16");
            write(c + "shared_cpu_list", cpu < 1024 ? "0-1" : "1100-1101");
        }
        write("proc/self/cgroup", "0::/app.slice/svc\n");
        write("proc/mounts", "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0\n");
        write("sys/fs/cgroup/app.slice/svc/cpuset.cpus.effective", "1,1100-1101,2047\n");
        write("sys/fs/cgroup/app.slice/svc/cpu.max", "max 100000\n");
        write("sys/fs/cgroup/app.slice/cpu.max", "250000 100000\n");
        Topology t = Topology.detect(dir);
        assertThat(t.usableCpus()).isEqualTo(CpuSet.of(1, 1100, 1101, 2047));
        assertThat(t.packages()).extracting(p -> p.cpus()).containsExactly(CpuSet.of(1), CpuSet.of(1100, 1101, 2047));
        // CPU 2047's L2 mask (1100-1101) leaves it out: as in hwloc, only the lowest CPU of a mask
        // creates the cache, so 2047 has none (it was its own cache before hwloc's rule was followed)
        assertThat(t.caches()).extracting(Cache::cpus).containsExactly(CpuSet.of(1), CpuSet.of(1100, 1101));
        assertThat(t.caches()).allSatisfy(c -> assertThat(c.type()).isEqualTo(CacheType.UNIFIED))
                .allSatisfy(c -> assertThat(c.sizeBytes()).isEqualTo(2L << 20));
        assertThat(t.cpuQuota()).hasValue(2.5);
        assertThat(t.advisoryLoopCount()).isEqualTo(3);
        assertThat(t.levels().distance(1100, 1101)).isLessThan(t.levels().distance(1100, 2047));
        assertThat(t.levels().distance(1, 2047)).isEqualTo(t.levels().size() - 1);
    }

    @Test
    void cpuinfoIdentityAcrossArchitectures() {
        assertThat(CpuInfoReader.parse("processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n"
                + "model name\t: Intel(R) Xeon(R) Gold\nstepping\t: 7\n\nprocessor\t: 1\nvendor_id\t: Other\n"))
                .satisfies(id -> {
                    assertThat(id.vendor()).isEqualTo("GenuineIntel");
                    assertThat(id.brand()).isEqualTo("Intel(R) Xeon(R) Gold");
                    assertThat(id.family()).isEqualTo(6);
                    assertThat(id.model()).isEqualTo(85);
                    assertThat(id.stepping()).isEqualTo(7);
                });
        assertThat(CpuInfoReader.parse("processor\t: 0\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n").vendor()).isEqualTo("ARM");
        assertThat(CpuInfoReader.parse("").vendor()).isEmpty();
        assertThat(CacheReader.parseSize("32K")).isEqualTo(32768);
        assertThat(CacheReader.parseSize("30M")).isEqualTo(30L << 20);
        assertThat(CacheReader.parseSize("junk")).isZero();
    }

    private void mkdir(String rel) throws IOException {
        Files.createDirectories(dir.resolve(rel));
    }

    private void write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
