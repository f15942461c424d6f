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
    PARETO
}
