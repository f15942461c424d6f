package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.torque.topology.Cache;
import io.torque.topology.CacheType;
import io.torque.topology.Core;
import io.torque.topology.CpuPackage;
import io.torque.topology.CpuSet;
import io.torque.topology.Topology;
import io.torque.topology.TopologyBuilder;

/**
 * Fewer loops than CPUs take the least-shared CPUs (different packages, then different cores,
 * SMT siblings last), and the builder's default loop count is the topology's advisory count
 * (the cgroup CPU quota, rounded up).
 */
class LeastSharedTest {

    /** 2 packages x 2 cores x 2 SMT threads: CPUs 0-1 core 0, 2-3 core 1 (package 0), 4-7 package 1. */
    private static TopologyBuilder twoByTwoByTwo() {
        TopologyBuilder b = Topology.builder().usableCpus(CpuSet.range(0, 7)).thisSystem(false);
        b.addPackage(new CpuPackage(0, CpuSet.range(0, 3))).addPackage(new CpuPackage(1, CpuSet.range(4, 7)));
        for (int core = 0; core < 4; core++) {
            CpuSet threads = CpuSet.range(core * 2, core * 2 + 1);
            b.addCore(new Core(core / 2, core % 2, threads));
            b.addCache(new Cache(2, CacheType.UNIFIED, 1 << 20, 64, 16, threads));
        }
        b.addCache(new Cache(3, CacheType.UNIFIED, 32 << 20, 64, 16, CpuSet.range(0, 3)));
        b.addCache(new Cache(3, CacheType.UNIFIED, 32 << 20, 64, 16, CpuSet.range(4, 7)));
        return b;
    }

    @Test
    void packagesFirstThenCoresThenSiblings() {
        Topology t = twoByTwoByTwo().build();
        CpuSet all = t.usableCpus();
        assertThat(LeastShared.choose(t, all, 1)).isEqualTo(CpuSet.of(0));
        assertThat(LeastShared.choose(t, all, 2)).as("one per package").isEqualTo(CpuSet.of(0, 4));
        assertThat(LeastShared.choose(t, all, 4)).as("one per core").isEqualTo(CpuSet.of(0, 2, 4, 6));
        assertThat(LeastShared.choose(t, all, 6)).as("then siblings").hasToString("0-2,4-6");
        assertThat(LeastShared.choose(t, all, 8)).isEqualTo(all);
        assertThat(LeastShared.choose(t, CpuSet.of(0, 1, 2), 2)).as("within the candidates").isEqualTo(CpuSet.of(0, 2));
    }

    @Test
    void theDefaultLoopCountIsTheAdvisoryOneOnTheLeastSharedCpus() {
        Topology quota = twoByTwoByTwo().cpuQuota(1.5).build(); // 1.5 CPUs: 2 loops
        try (Torque torque = Torque.builder().topology(quota).build()) {
            assertThat(torque.loopCount()).isEqualTo(quota.advisoryLoopCount()).isEqualTo(2);
            assertThat(torque.loopCpus()).containsExactly(0, 4);
        }
        try (Torque torque = Torque.builder().topology(twoByTwoByTwo().build()).build()) {
            assertThat(torque.loopCount()).as("no quota: every usable CPU").isEqualTo(8);
        }
        try (Torque torque = Torque.builder().topology(quota).loopCount(4).build()) {
            assertThat(torque.loopCpus()).as("an explicit count overrides the quota").containsExactly(0, 2, 4, 6);
        }
    }

    /**
     * A contended loop yields its pin to the allowed CPUs of its NUMA node, or to all allowed
     * CPUs where its node holds no other; never to a CPU the context may not use.
     */
    @Test
    void aContendedLoopYieldsToItsNodesAllowedCpus() {
        Topology t = twoByTwoByTwo()
                .addNumaNode(new io.torque.topology.NumaNode(0, CpuSet.range(0, 3), 1L << 30, true, new int[] {10, 20}))
                .addNumaNode(new io.torque.topology.NumaNode(1, CpuSet.range(4, 7), 1L << 30, true, new int[] {20, 10}))
                .build();
        assertThat(LoopGroup.wideSet(t, 1, t.usableCpus())).isEqualTo(CpuSet.range(0, 3));
        assertThat(LoopGroup.wideSet(t, 5, CpuSet.of(1, 5, 6))).isEqualTo(CpuSet.of(5, 6));
        assertThat(LoopGroup.wideSet(t, 1, CpuSet.of(1, 5, 6))).as("alone on its node: all allowed")
                .isEqualTo(CpuSet.of(1, 5, 6));
        assertThat(LoopGroup.wideSet(twoByTwoByTwo().build(), 2, CpuSet.of(2, 7))).as("no NUMA nodes known")
                .isEqualTo(CpuSet.of(2, 7));
    }
}
