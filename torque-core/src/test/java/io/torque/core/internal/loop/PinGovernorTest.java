package io.torque.core.internal.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.torque.topology.CpuSet;

/** The pin governor's decisions, on made-up samples and a recording affinity setter. */
class PinGovernorTest {
    private static final CpuSet HOME = CpuSet.of(1);
    private static final CpuSet WIDE = CpuSet.range(0, 3);
    private static final long PERIOD = CpuWaitSampler.PERIOD_NANOS;
    private static final double BUSY = PinGovernor.YIELD_SHARE;
    private static final double CALM = PinGovernor.YIELD_SHARE / 2;

    private final List<CpuSet> applied = new ArrayList<>();
    private long now = 1_000_000_000L;

    private PinGovernor governor() {
        return new PinGovernor(HOME, WIDE, applied::add, "test");
    }

    private void samples(PinGovernor g, double share, int n) {
        for (int i = 0; i < n; i++) {
            now += PERIOD;
            g.onSample(share, now);
        }
    }

    @Test
    void yieldsOnlyAfterContentionInARow() {
        PinGovernor g = governor();
        for (int i = 0; i < 10; i++) {
            samples(g, BUSY, PinGovernor.YIELD_AFTER - 1);
            samples(g, CALM, 1); // a calm period breaks the run
        }
        assertThat(applied).as("short bursts of contention keep the pin").isEmpty();
        samples(g, BUSY, PinGovernor.YIELD_AFTER);
        assertThat(applied).containsExactly(WIDE);
        assertThat(g.pinned()).isFalse();
    }

    @Test
    void pinsAgainAfterTheHoldAndBacksOffWhileTheMachineStaysShared() {
        PinGovernor g = governor();
        samples(g, BUSY, PinGovernor.YIELD_AFTER);
        assertThat(g.holdNanos()).isEqualTo(PinGovernor.FIRST_HOLD_NANOS);
        long yielded = now;
        while (now - yielded < PinGovernor.FIRST_HOLD_NANOS - PERIOD) {
            samples(g, BUSY, 1); // contention while wide says nothing: the hold runs its time
        }
        assertThat(g.pinned()).isFalse();
        samples(g, CALM, 2);
        assertThat(g.pinned()).as("pinned again after the hold").isTrue();
        assertThat(applied).containsExactly(WIDE, HOME);

        // Contention returns at once, again and again: each hold doubles, up to the maximum.
        long expected = PinGovernor.FIRST_HOLD_NANOS;
        for (int i = 0; i < 10; i++) {
            samples(g, BUSY, PinGovernor.YIELD_AFTER);
            expected = Math.min(expected * 2, PinGovernor.MAX_HOLD_NANOS);
            assertThat(g.pinned()).isFalse();
            assertThat(g.holdNanos()).isEqualTo(expected);
            long at = now;
            while (now - at < g.holdNanos()) {
                samples(g, CALM, 1);
            }
            assertThat(g.pinned()).isTrue();
        }
        assertThat(g.holdNanos()).isEqualTo(PinGovernor.MAX_HOLD_NANOS);

        // A pin kept calm for longer than a hold: the next contention starts the holds over.
        long at = now;
        while (now - at <= g.holdNanos()) {
            samples(g, CALM, 1);
        }
        samples(g, BUSY, PinGovernor.YIELD_AFTER);
        assertThat(g.pinned()).isFalse();
        assertThat(g.holdNanos()).isEqualTo(PinGovernor.FIRST_HOLD_NANOS);
    }

    @Test
    void aFailingAffinityCallLeavesTheLoopAsItIsAndStopsTrying() {
        int[] calls = {0};
        PinGovernor g = new PinGovernor(HOME, WIDE, cpus -> {
            calls[0]++;
            throw new IllegalStateException("the cpuset changed");
        }, "test");
        samples(g, BUSY, 3 * PinGovernor.YIELD_AFTER);
        assertThat(calls[0]).as("one try, then never again").isEqualTo(1);
        assertThat(g.pinned()).isTrue();
    }

    @Test
    void aLoopWithNowhereToGoNeverTries() {
        PinGovernor alone = new PinGovernor(HOME, HOME, applied::add, "test");
        samples(alone, 1.0, 100);
        PinGovernor off = PinGovernor.off();
        samples(off, 1.0, 100);
        assertThat(applied).isEmpty();
    }

    @Test
    void samplesShareOfThePeriod() {
        assertThat(CpuWaitSampler.share(PERIOD / 10, PERIOD)).isEqualTo(0.1);
        assertThat(CpuWaitSampler.share(5, 0)).isZero();
    }
}
