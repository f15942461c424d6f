package io.torque.core.dispatch;

/** Where new sources (accepted and outbound connections, timers, signals, fds) are homed. */
public enum Placement {
    /** Loop after loop, as Netty does: used by benchmarks to isolate what hand-off buys. */
    ROUND_ROBIN,
    /**
     * On the Pareto frontier of (fewest homed sources, fewest outstanding events, least loaded
     * package), at random among the undominated: new sources spread over packages and NUMA
     * nodes before loops double up (libtorque's "space it out"). The default.
     */
    PARETO
}
