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
        try (SchedStat stat = new SchedStat()) {
            long wait = stat.runQueueWaitNanos();
            if (Files.isReadable(Path.of("/proc/thread-self/schedstat"))) {
                assertThat(wait).isNotNegative();
                assertThat(stat.runQueueWaitNanos()).as("re-read from the open file").isGreaterThanOrEqualTo(wait);
            } else {
                assertThat(wait).isEqualTo(-1);
            }
        }
    }

    @Test
    void parsesTheSecondField() {
        byte[] line = "123456 7890 42\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(SchedStat.secondField(line, line.length)).isEqualTo(7890);
        byte[] one = "5\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(SchedStat.secondField(one, one.length)).isEqualTo(-1);
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
