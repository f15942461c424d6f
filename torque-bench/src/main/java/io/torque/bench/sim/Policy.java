package io.torque.bench.sim;

/** The dispatch policies the simulator compares. */
enum Policy {
    /** Each source on its home loop only (Netty's model, torque's STATIC). */
    STATIC,
    /** torque's rule: a round with e > 1 ready sources may hand ⌊e/2⌋ to one frontier slacker. */
    PARETO,
    /**
     * A candidate: PARETO, but a round may be shared with up to {@code --split-max} slackers,
     * each drawn from the frontier of those not yet drawn ({@code HandOffRule.recipients}).
     */
    PARETO_SPLIT,
    /**
     * A candidate: PARETO_SPLIT, and a loop that had more than one ready source in each of its
     * last {@code --hot-rounds} rounds moves the sources it hands to their recipient
     * for good (their epoll registration moves: re-homing).
     */
    PARETO_REHOME,
    /**
     * A candidate: PARETO's round, and before every turn, while the loop has two or more
     * sources left to start and some loop is idle, it gives one source to each idle loop on the
     * frontier (nearest and least recently given first), keeping one at least: idle loops get
     * work as soon as it is there, and no loop gets a batch it would serve alone.
     */
    PARETO_FEED,
    /** Tokio-style: a loop out of work takes the older half of a random busy loop's unstarted turns. */
    STEAL_HALF,
    /**
     * A candidate: STEAL_HALF, and a thief takes the sources it steals from a loop that had more
     * than one ready source in each of its last {@code --hot-rounds} rounds for good
     * (re-homing them, as PARETO_REHOME does).
     */
    STEAL_REHOME,
    /**
     * A candidate: STEAL_REHOME, and a thief may also take readiness its victim has not polled
     * yet: while a loop is inside a turn, a source that becomes ready on it wakes an idle loop,
     * which takes the older half of it with one non-blocking wait on the victim's epoll set
     * (one round's cost). Turns no longer wait behind a long turn at home for a round. As
     * {@code DispatchPolicy.STEAL_EPOLL} builds it, a thief whose own last round was crowded
     * re-homes nothing.
     */
    STEAL_EPOLL,
    /**
     * A candidate: STEAL_EPOLL without re-homing (STEAL_HALF plus the epoll-set steal): the part
     * the engine can build first, since a source never moves its registration; modelled as
     * {@code DispatchPolicy.STEAL_POLL} builds it: readiness on a crowded loop is found only by a
     * thief still spinning (a parked loop is not woken for it, as STEAL_EPOLL's is). Both
     * epoll-set policies pay two rounds' cost per round (the engine's second, nested epoll set).
     */
    STEAL_POLL,
    /**
     * A candidate: STEAL_REHOME, and a crowded loop polls its own epoll set between turns (a
     * non-blocking wait, one round's cost), queueing what became ready for thieves and waking
     * one: the victim-side form of STEAL_EPOLL, buildable on Netty's loop (its non-blocking
     * pass), but blind during a turn.
     */
    STEAL_REFRESH,
    /** One queue for all loops (M/M/k; libtorque's shared epoll set without its costs). */
    SHARED
}
