package io.torque.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopologyBuilderTest {

    @Test
    void refusesGroupsWithUnusableCpus() {
        assertThatThrownBy(() -> Topology.builder().usableCpus(CpuSet.range(0, 3))
                .addCore(new Core(0, 0, CpuSet.of(4))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("core CPUs 4");
        assertThatThrownBy(() -> Topology.builder().build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topology.builder().usableCpus(CpuSet.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topology.builder().usableCpus(CpuSet.of(9)).onlineCpus(CpuSet.of(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not online");
    }

    @Test
    void advisoryLoopCountFollowsTheQuota() {
        Topology unlimited = Topology.builder().usableCpus(CpuSet.range(0, 7)).build();
        assertThat(unlimited.advisoryLoopCount()).isEqualTo(8);
        assertThat(Topology.builder().usableCpus(CpuSet.range(0, 7)).cpuQuota(2.5).build().advisoryLoopCount()).isEqualTo(3);
        assertThat(Topology.builder().usableCpus(CpuSet.range(0, 7)).cpuQuota(0.2).build().advisoryLoopCount()).isEqualTo(1);
        assertThat(Topology.builder().usableCpus(CpuSet.range(0, 1)).cpuQuota(16).build().advisoryLoopCount()).isEqualTo(2);
        assertThatThrownBy(() -> Topology.builder().cpuQuota(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
