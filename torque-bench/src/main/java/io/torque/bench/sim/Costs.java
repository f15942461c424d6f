package io.torque.bench.sim;

/**
 * What the simulated loops pay besides the service itself, in nanoseconds. {@link #zero()} for
 * checks against queueing theory; {@link #measured()} calibrated from this project's own
 * measurements (docs/scale.md names the source of each).
 *
 * @param roundNanos one epoll round that returns events (SHARED: one per turn, as a shared
 *     epoll set with one event per wait)
 * @param enqueueNanos handing or stealing one source (an MPSC offer and the scoreboard adds)
 * @param decisionNanosPerLoop choosing a recipient, per loop in the context (the frontier)
 * @param wakeParkedNanos from waking a loop parked in epoll_wait to it running
 * @param wakeSpinningNanos the same for a loop still spinning
 * @param spinWindowNanos how long an idle loop spins before it parks
 * @param distanceNanos per topological level between the loop that last worked a source and the
 *     one working it now, once per turn (the source's state and buffers move between caches)
 */
record Costs(long roundNanos, long enqueueNanos, long decisionNanosPerLoop, long wakeParkedNanos, long wakeSpinningNanos,
        long spinWindowNanos, long distanceNanos) {

    /** No costs: the loops are ideal servers. */
    static Costs zero() {
        return new Costs(0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Calibrated: round 1 µs (an estimate: not measured on its own), enqueue 50 ns (three
     * contended scoreboard updates, ScoreboardBench 16.4 ns each), decision 13.7 ns per loop
     * (FrontierBench, 875 ns for 64 loops on the 16-CPU device), wake-ups 29 µs parked and
     * 0.9 µs spinning (HandoffBench p50 on the 16-CPU device), spin window 50 µs (the builder's
     * default), 100 ns per level moved (about 8 cache lines at ScoreboardBench's 13 ns transfer).
     */
    static Costs measured() {
        return new Costs(1_000, 50, 14, 29_000, 900, 50_000, 100);
    }

    /** {@code zero} or {@code measured}. */
    static Costs parse(String s) {
        return switch (s) {
            case "zero" -> zero();
            case "measured" -> measured();
            default -> throw new IllegalArgumentException("costs '" + s + "': expected zero or measured");
        };
    }
}
