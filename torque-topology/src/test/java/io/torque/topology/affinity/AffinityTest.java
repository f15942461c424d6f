package io.torque.topology.affinity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.torque.topology.CpuSet;
import io.torque.topology.Topology;

/** Live affinity calls, each on a thread of its own so the test runner's mask is untouched. */
class AffinityTest {

    @BeforeEach
    void linuxOnly() {
        Assumptions.assumeTrue(Affinity.isAvailable(), () -> "affinity unavailable: " + Affinity.unavailabilityCause());
    }

    @Test
    void pinsTheCallingThreadAndReportsItsCpu() throws Exception {
        CpuSet usable = Topology.detect().usableCpus();
        int target = usable.last();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Affinity.pin(CpuSet.of(target));
                result.set(new Object[] {Affinity.current(), Affinity.currentCpu()});
            } catch (Throwable e) {
                result.set(e);
            }
        });
        t.start();
        t.join();
        assertThat(result.get()).isInstanceOf(Object[].class);
        Object[] r = (Object[]) result.get();
        assertThat(r[0]).isEqualTo(CpuSet.of(target));
        assertThat(r[1]).isEqualTo(target);
        assertThat(Affinity.current()).as("the test thread is not pinned by another thread's call").isEqualTo(usable);
    }

    @Test
    void refusesCpusOutsideTheAllowedSetAndChangesNothing() throws Exception {
        CpuSet usable = Topology.detect().usableCpus();
        int outside = Topology.detect().possibleCpus().last() + 1;
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<CpuSet> after = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Affinity.pin(CpuSet.of(usable.first(), outside));
            } catch (Throwable e) {
                error.set(e);
            }
            after.set(Affinity.current());
        });
        t.start();
        t.join();
        assertThat(error.get()).isInstanceOf(AffinityException.class)
                .hasMessageContaining("CPU(s) " + outside).hasMessageContaining("allowed");
        assertThat(after.get()).isEqualTo(usable);

        Thread u = new Thread(() -> {
            try {
                Affinity.pin(CpuSet.of(outside));
            } catch (Throwable e) {
                error.set(e);
            }
        });
        u.start();
        u.join();
        assertThat(error.get()).isInstanceOf(AffinityException.class).hasMessageContaining("none of them");
        assertThatThrownBy(() -> Affinity.pin(CpuSet.EMPTY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pageSizeIsAPowerOfTwo() {
        long page = Affinity.pageSize();
        assertThat(Long.bitCount(page)).isEqualTo(1);
        assertThat(Topology.detect().pageSizes()[0]).isEqualTo(page);
    }
}
