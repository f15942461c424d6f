package io.torque.topology.levels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.torque.topology.Cache;
import io.torque.topology.CacheType;
import io.torque.topology.Core;
import io.torque.topology.CpuPackage;
import io.torque.topology.CpuSet;
import io.torque.topology.NumaNode;
import io.torque.topology.Topology;
import io.torque.topology.TopologyBuilder;
import io.torque.topology.fixtures.Fixtures;

class SchedulingLevelsTest {

    /** 2 packages x 2 cores x 2 threads; L2 per core, L3 per package, one node per package. */
    static Topology twoSocketSmt() {
        TopologyBuilder b = Topology.builder().usableCpus(CpuSet.range(0, 7));
        int[][] cores = {{0, 4}, {1, 5}, {2, 6}, {3, 7}};
        for (int c = 0; c < cores.length; c++) {
            CpuSet cpus = CpuSet.of(cores[c]);
            b.addCore(new Core(c / 2, c % 2, cpus));
            b.addCache(new Cache(1, CacheType.DATA, 32768, 64, 8, cpus));
            b.addCache(new Cache(2, CacheType.UNIFIED, 1 << 20, 64, 8, cpus));
        }
        CpuSet p0 = CpuSet.of(0, 1, 4, 5);
        CpuSet p1 = CpuSet.of(2, 3, 6, 7);
        b.addPackage(new CpuPackage(0, p0)).addPackage(new CpuPackage(1, p1));
        b.addCache(new Cache(3, CacheType.UNIFIED, 32 << 20, 64, 16, p0));
        b.addCache(new Cache(3, CacheType.UNIFIED, 32 << 20, 64, 16, p1));
        b.addNumaNode(new NumaNode(0, p0, 1L << 30, true, new int[] {10, 21}));
        b.addNumaNode(new NumaNode(1, p1, 1L << 30, true, new int[] {21, 10}));
        return b.build();
    }

    @Test
    void collapsesLevelsThatAddNothing() {
        SchedulingLevels levels = twoSocketSmt().levels();
        assertThat(levels.levels()).extracting(SchedulingLevel::name).containsExactly("core", "L3", "machine");
        assertThat(levels.levels().get(0).groups()).containsExactly(
                CpuSet.of(0, 4), CpuSet.of(1, 5), CpuSet.of(2, 6), CpuSet.of(3, 7));
        assertThat(levels.distance(0, 4)).isEqualTo(0);
        assertThat(levels.distance(0, 0)).isEqualTo(0);
        assertThat(levels.distance(0, 1)).isEqualTo(1);
        assertThat(levels.distance(0, 7)).isEqualTo(2);
        assertThat(levels.neighbourhood(5)).containsExactly(CpuSet.of(1, 5), CpuSet.of(0, 1, 4, 5), CpuSet.range(0, 7));
    }

    @Test
    void aFlatMachineHasOnlyTheMachineLevel() {
        Topology t = Topology.builder().usableCpus(CpuSet.range(0, 3)).build();
        assertThat(t.levels().levels()).extracting(SchedulingLevel::name).containsExactly("machine");
        assertThat(t.levels().distance(0, 3)).isZero();
    }

    @Test
    void rejectsUnusableCpus() {
        SchedulingLevels levels = twoSocketSmt().levels();
        assertThatThrownBy(() -> levels.distance(0, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CPU 8 is not usable");
        assertThatThrownBy(() -> levels.neighbourhood(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** On every real machine: levels are partitions, each coarser than the one below. */
    @TestFactory
    List<DynamicTest> levelsAreNestedPartitionsOnEverySnapshot() {
        return Fixtures.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Topology t = Topology.detect(Fixtures.root(name));
            List<SchedulingLevel> levels = t.levels().levels();
            assertThat(levels.get(levels.size() - 1).name()).isEqualTo("machine");
            for (int l = 0; l < levels.size(); l++) {
                CpuSet union = CpuSet.EMPTY;
                for (CpuSet g : levels.get(l).groups()) {
                    assertThat(g.intersects(union)).as(name + " level " + l + " groups overlap").isFalse();
                    union = union.or(g);
                }
                assertThat(union).as(name + " level " + l + " covers usable").isEqualTo(t.usableCpus());
                if (l > 0) {
                    assertThat(levels.get(l).groups().size()).as(name + " level " + l + " is coarser")
                            .isLessThan(levels.get(l - 1).groups().size());
                }
            }
            int[] cpus = t.usableCpus().toArray();
            for (int a : cpus) {
                for (int b : cpus) {
                    int d = t.levels().distance(a, b);
                    assertThat(d).isEqualTo(t.levels().distance(b, a));
                    assertThat(t.levels().neighbourhood(a).get(d).contains(b)).isTrue();
                }
            }
        })).toList();
    }
}
