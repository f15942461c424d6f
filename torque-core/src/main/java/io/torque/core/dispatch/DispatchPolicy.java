package io.torque.core.dispatch;

/** How loops share ready work. */
public enum DispatchPolicy {
    /**
     * Each source is served by its home loop only, as in Netty: strict locality, no hand-off.
     * A few hot connections on one loop leave the other loops idle.
     */
    STATIC,
    /**
     * A loop with more than one ready source in a round hands half of them to a slacker
     * neighbour chosen at random on the Pareto frontier of (outstanding events, rounds since last
     * given, topological distance). The default.
     */
    PARETO,
    /**
     * Each loop works its own round, but leaves the sources it has not started yet where idle
     * loops can take them: a loop out of work takes the older half of the first busy loop's
     * unstarted sources it finds (from a random start), as Tokio's scheduler steals tasks; a
     * loop with more than one source to start wakes a parked loop to take some, and a thief that
     * found work wakes another while some is left. The rule the scale simulator picks over
     * PARETO (docs/scale.md); on a 16-CPU machine under skew, 1.53–2.04× STATIC's throughput
     * where PARETO gave 1.40–1.73× (docs/scale.md).
     */
    STEAL,
    /**
     * {@link #STEAL}, and while a loop that had more than one ready source in its round works
     * that round, idle loops may also take the readiness that arrives on its connections
     * meanwhile, which the loop itself could not see before its turns end: each loop keeps its
     * connections' read readiness in an epoll set of its own, which it and idle loops poll
     * without blocking (the simulator's STEAL_POLL, docs/scale.md). Costs one more
     * {@code epoll_wait} per round than STEAL: on 2 CPUs, where no core is idle to gain from it,
     * 2–9% of STEAL's throughput (docs/benchmarks.md). The simulator, with that cost, gives it
     * 85–87% of the shared-queue ideal under skew on 48–128 PEs, where STEAL reaches about half;
     * on a 16-CPU machine under skew, 1.61–2.04× STATIC's throughput (docs/scale.md).
     */
    STEAL_POLL,
    /**
     * {@link #STEAL_POLL}, and a connection a loop takes from a loop that has been crowded (more
     * than one ready source) for 4 rounds in a row moves its home to the loop that took it, unless
     * that loop is crowded itself: its epoll registrations, its queued work and its timers' next
     * runs follow, so an unlucky placement is undone instead of served by theft for ever (the
     * simulator's STEAL_EPOLL, the rule that reaches 91% of the shared-queue ideal under skew on
     * 64 PEs there, docs/scale.md). {@code Connection.loopIndex()} then changes. A move costs a
     * few epoll_ctl calls on the two loops. The best policy under skew on a 16-CPU machine:
     * 1.90–2.84× STATIC's throughput, 1.19–2.03× PARETO's (docs/scale.md); not the default,
     * since on 2 CPUs it served HTTP plaintext at 0.82–0.90× Netty where PARETO served it at
     * 1.02–1.04× (docs/dispatch.md, "A loop emptied of homes").
     */
    STEAL_EPOLL;

    /**
     * Whether idle loops steal under this policy.
     *
     * @return true for {@link #STEAL}, {@link #STEAL_POLL} and {@link #STEAL_EPOLL}
     */
    public boolean steals() {
        return this == STEAL || this == STEAL_POLL || this == STEAL_EPOLL;
    }

    /**
     * Whether idle loops also take readiness from crowded loops' epoll sets under this policy.
     *
     * @return true for {@link #STEAL_POLL} and {@link #STEAL_EPOLL}
     */
    public boolean pollsSets() {
        return this == STEAL_POLL || this == STEAL_EPOLL;
    }
}
