package io.torque.core.internal.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class SpinGovernorTest {
    private static final long MAX = 50_000;

    @Test
    void spinsWhileTheThreadGetsItsCpuAndStopsWhileItWaitsForOne() {
        SpinGovernor g = new SpinGovernor(MAX, true);
        g.onSample(SpinGovernor.CONTENDED / 2, false);
        assertThat(g.budget()).isEqualTo(MAX);
        g.onSample(SpinGovernor.CONTENDED, false);
        assertThat(g.budget()).as("contended").isZero();
        g.onSample(0, false);
        assertThat(g.budget()).as("contention over, and spinning paid before").isEqualTo(MAX);
    }

    @Test
    void readsTheRunQueueWaitWhereSchedstatExists() {
        try (ProcField stat = new ProcField(ProcField.SCHEDSTAT, 1)) {
            long wait = stat.read();
            if (Files.isReadable(Path.of("/proc/thread-self/schedstat"))) {
                assertThat(wait).isNotNegative();
                assertThat(stat.read()).as("re-read from the open file").isGreaterThanOrEqualTo(wait);
            } else {
                assertThat(wait).isEqualTo(-1);
            }
        }
    }

    @Test
    void parsesAField() {
        byte[] line = "123456 7890 42\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(ProcField.field(line, line.length, 1)).isEqualTo(7890);
        assertThat(ProcField.field(line, line.length, 0)).isEqualTo(123456);
        byte[] one = "5\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(ProcField.field(one, one.length, 1)).isEqualTo(-1);
        byte[] loadavg = "2.13 2.19 2.35 3/77 28815\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(ProcField.field(loadavg, loadavg.length, 3)).as("runnable threads").isEqualTo(3);
    }

    /** A crowded machine in a quarter of the samples or more stops spinning; a calm one brings it back. */
    @Test
    void aCrowdedMachineStopsTheSpin() {
        SpinGovernor g = new SpinGovernor(MAX, true);
        g.onSample(0, true);
        assertThat(g.budget()).as("one crowded sample is not a crowded machine").isEqualTo(MAX);
        for (int i = 0; i < 20; i++) {
            g.onSample(0, i % 2 == 0); // crowded half the time
        }
        assertThat(g.budget()).isZero();
        int calm = 0;
        while (g.budget() == 0 && calm < 100) {
            g.onSample(0, false);
            calm++;
        }
        assertThat(g.budget()).isEqualTo(MAX);
        assertThat(calm).as("the score decays over several samples, no flapping").isBetween(2, 20);
    }

    @Test
    void crowdedMeansMoreRunnableThanOnlineCpus() {
        assertThat(CpuWaitSampler.isCrowded(2, 2)).isFalse();
        assertThat(CpuWaitSampler.isCrowded(3, 2)).isTrue();
        assertThat(CpuWaitSampler.isCrowded(-1, 2)).as("loadavg unreadable").isFalse();
        assertThat(CpuWaitSampler.isCrowded(100, 0)).as("online CPUs unknown").isFalse();
        if (Files.isReadable(Path.of("/sys/devices/system/cpu/online"))) {
            assertThat(CpuWaitSampler.onlineCpus()).isPositive();
        }
    }

    @Test
    void aFixedGovernorKeepsItsBudget() {
        SpinGovernor fixed = new SpinGovernor(MAX, false);
        fixed.onSample(1.0, true);
        fixed.episodeEnded(false);
        assertThat(fixed.budget()).isEqualTo(MAX);
        SpinGovernor none = new SpinGovernor(0, true);
        none.onSample(0, false);
        none.episodeEnded(true);
        assertThat(none.budget()).isZero();
    }

    @Test
    void theSamplerSamplesAtMostOncePerPeriodAndOnlyWithTwoReadings() {
        long period = CpuWaitSampler.PERIOD_NANOS;
        try (CpuWaitSampler s = new CpuWaitSampler()) {
            assertThat(s.sample(period)).as("the first reading has nothing to compare with").isFalse();
            assertThat(s.sample(period + 1)).as("within the period").isFalse();
            boolean readable = Files.isReadable(Path.of("/proc/thread-self/schedstat"));
            assertThat(s.sample(2 * period)).isEqualTo(readable);
            assertThat(s.waitShare()).isNotNegative();
        }
    }

    /**
     * One idle episode as the duty cycle runs it: it spins only with a budget, and work that
     * arrives within the spin is a hit; with no budget it blocks at once and cannot hit.
     */
    private static void episode(SpinGovernor g, boolean workComesSoon) {
        g.episodeEnded(g.budget() > 0 && workComesSoon);
    }

    /**
     * Spinning stops while it rarely pays, probes every 16th episode, and comes back when the
     * probes pay: driven as the duty cycle drives it. Before the fix the episodes that blocked at
     * once counted as misses, so after about 11 misses spinning never came back.
     */
    @Test
    void spinningThatRarelyPaysStopsAndProbes() {
        SpinGovernor g = new SpinGovernor(MAX, true);
        for (int i = 0; i < 20; i++) {
            episode(g, false); // spins that found nothing
        }
        assertThat(g.budget()).as("after many misses").isZero();
        int probes = 0;
        for (int i = 0; i < 32; i++) {
            boolean spun = g.budget() > 0;
            episode(g, false);
            if (spun) {
                probes++;
            }
        }
        assertThat(probes).as("a probe every %d episodes", SpinGovernor.PROBE_EVERY).isEqualTo(32 / SpinGovernor.PROBE_EVERY);
        int episodes = 0;
        while (g.budget() == 0 && episodes < 1000) {
            episode(g, true); // the traffic changed: a spin would find work
            episodes++;
        }
        assertThat(g.budget()).as("the first probe that pays brings spinning back").isEqualTo(MAX);
        assertThat(episodes).isLessThanOrEqualTo(SpinGovernor.PROBE_EVERY);
        for (int i = 0; i < 100; i++) {
            episode(g, true);
        }
        assertThat(g.budget()).isEqualTo(MAX);
        SpinGovernor busy = new SpinGovernor(MAX, true);
        for (int i = 0; i < 100; i++) {
            episode(busy, i % 2 == 0); // half the spins pay
        }
        assertThat(busy.budget()).as("a loop whose spins often pay keeps spinning").isEqualTo(MAX);
    }
}
