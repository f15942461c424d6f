package io.torque.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Closed-loop arrivals ({@code closed:GAP}): each source one request at a time, checked against the closed forms. */
class ClosedLoopTest {
    private static Shape shape(int loops, int sourcesPerLoop, int hot, String arrivals, long events) {
        return new Shape(Machines.synthesized(loops), sourcesPerLoop, hot, Arrivals.parse(arrivals), Service.parse("const:20us"),
                Costs.zero(), events, 8, 4);
    }

    @Test
    void oneLoopWithNoGapIsSaturatedAndWithALongGapEachSourceCyclesAlone() {
        // 4 sources, 20 µs each: with no gap the loop never rests (1 request per 20 µs); with a
        // 1 ms gap no two requests meet, and each source completes one per 1020 µs
        Result busy = new Simulation(shape(1, 4, 0, "closed:0", 40_000), Policy.STATIC, 1, 1).run();
        assertThat(busy.throughputPerMicro()).isCloseTo(1.0 / 20, within(1e-4));
        Result sparse = new Simulation(shape(1, 4, 0, "closed:1000us", 40_000), Policy.STATIC, 1, 1).run();
        assertThat(sparse.throughputPerMicro()).isCloseTo(4.0 / 1020, within(2e-5));
        assertThat(sparse.p99Micros()).isCloseTo(20, within(1.0));
    }

    @Test
    void theOfferedLoadDoesNotApplyAndEveryRequestIsServedOnce() {
        for (Policy p : Policy.values()) {
            Simulation a = new Simulation(shape(8, 4, 1, "closed:30us", 30_000), p, 0.2, 5);
            Result ra = a.run();
            assertThat(a.completed()).as("%s", p).isEqualTo(30_000).isEqualTo(a.generated());
            Result rb = new Simulation(shape(8, 4, 1, "closed:30us", 30_000), p, 0.9, 5).run();
            assertThat(rb.throughputPerMicro()).as("%s", p).isEqualTo(ra.throughputPerMicro());
        }
    }

    @Test
    void underSkewTheHotLoopBoundsStaticAndStealingSpreadsItsSources() {
        // 4 hot sources on loop 0 of 8, 30 µs gap: STATIC serves them on one loop, at most one per
        // 20 µs, besides the 28 cold sources' one per 10 ms each; a thief can run some at the same time
        Result stat = new Simulation(shape(8, 4, 1, "closed:30us", 60_000), Policy.STATIC, 1, 7).run();
        Result steal = new Simulation(shape(8, 4, 1, "closed:30us", 60_000), Policy.STEAL_EPOLL, 1, 7).run();
        assertThat(stat.throughputPerMicro()).isLessThanOrEqualTo(1.0 / 20 + 28.0 / 10_020 + 1e-4);
        assertThat(steal.throughputPerMicro()).isGreaterThan(stat.throughputPerMicro() * 1.2);
    }

    @Test
    void aHotSourceThatMovesStaysHot() {
        // 2 loops, the 4 hot sources on loop 0: stealing (and STEAL_EPOLL's moving their homes to
        // the thief) must serve them about twice as fast as STATIC; a moved source that turned cold
        // (judged by its new home) would leave STEAL_EPOLL at STATIC's rate
        Result stat = new Simulation(shape(2, 4, 1, "closed:20us", 60_000), Policy.STATIC, 1, 3).run();
        for (Policy p : new Policy[] {Policy.STEAL_HALF, Policy.STEAL_POLL, Policy.STEAL_EPOLL}) {
            Result r = new Simulation(shape(2, 4, 1, "closed:20us", 60_000), p, 1, 3).run();
            assertThat(r.throughputPerMicro()).as("%s over STATIC", p).isGreaterThan(1.5 * stat.throughputPerMicro());
        }
    }

    @Test
    void aGapMustBeANumberOfMicroseconds() {
        assertThat(Arrivals.parse("closed:30us").closedGapNanos()).isEqualTo(30_000);
        assertThat(Arrivals.parse("closed:2.5").closedGapNanos()).isEqualTo(2_500);
        for (String bad : new String[] {"closed:", "closed:-1", "closed:fast", "closed:NaN"}) {
            assertThatThrownBy(() -> Arrivals.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("closed:GAP");
        }
    }
}
