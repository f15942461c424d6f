package io.torque.core.internal.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class SpinGovernorTest {
    private static final long MAX = 50_000;
    private static final long PERIOD = SpinGovernor.PERIOD_NANOS;

    @Test
    void spinsWhileTheThreadGetsItsCpuAndStopsWhileItWaitsForOne() {
        assertThat(SpinGovernor.budgetFor(MAX, 0, PERIOD)).isEqualTo(MAX);
        assertThat(SpinGovernor.budgetFor(MAX, (long) (PERIOD * SpinGovernor.CONTENDED) - 1, PERIOD)).isEqualTo(MAX);
        assertThat(SpinGovernor.budgetFor(MAX, (long) (PERIOD * SpinGovernor.CONTENDED), PERIOD)).isZero();
        assertThat(SpinGovernor.budgetFor(MAX, PERIOD, PERIOD)).isZero();
    }

    @Test
    void readsTheRunQueueWaitWhereSchedstatExists() {
        long wait = SpinGovernor.runQueueWaitNanos();
        if (Files.isReadable(Path.of("/proc/thread-self/schedstat"))) {
            assertThat(wait).isNotNegative();
            assertThat(SpinGovernor.runQueueWaitNanos()).isGreaterThanOrEqualTo(wait); // a running total
        } else {
            assertThat(wait).isEqualTo(-1);
        }
    }

    @Test
    void aFixedGovernorKeepsItsBudgetAndSamplesAtMostOncePerPeriod() {
        SpinGovernor fixed = new SpinGovernor(MAX, false);
        for (long t = 0; t < 10 * PERIOD; t += PERIOD) {
            fixed.onIdle(t);
        }
        assertThat(fixed.budget()).isEqualTo(MAX);
        SpinGovernor none = new SpinGovernor(0, true);
        none.onIdle(PERIOD);
        none.onIdle(3 * PERIOD);
        assertThat(none.budget()).isZero();
        SpinGovernor adaptive = new SpinGovernor(MAX, true);
        adaptive.onIdle(PERIOD);
        adaptive.onIdle(PERIOD + 1); // within the period: no sample, no change
        assertThat(adaptive.budget()).isEqualTo(MAX);
    }
}
