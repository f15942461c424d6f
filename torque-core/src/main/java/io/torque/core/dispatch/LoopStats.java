package io.torque.core.dispatch;

/**
 * One loop's counters, read at one moment (each value is recent, the set is not atomic).
 *
 * @param loop the loop index
 * @param cpu the CPU it serves
 * @param handled events handled (own and received)
 * @param handedOut events handed to other loops (PARETO), or taken by them (STEAL)
 * @param received events received from other loops (PARETO), or taken from them (STEAL)
 * @param rounds rounds (epoll returns with ready connections)
 * @param idleWakes times it blocked in epoll_wait and woke
 * @param outstanding events queued there now
 * @param homed sources homed there now
 */
public record LoopStats(int loop, int cpu, long handled, long handedOut, long received, long rounds, long idleWakes,
        long outstanding, long homed) {

    /**
     * A table of the given loops' counters, one row each, with a header.
     *
     * @param stats the loops' counters
     * @return the table, one line per loop after the header
     */
    public static String table(java.util.List<LoopStats> stats) {
        StringBuilder sb = new StringBuilder(String.format("%4s %4s %12s %12s %12s %12s %10s %11s %6s%n",
                "loop", "cpu", "handled", "handed-out", "received", "rounds", "idle-wakes", "outstanding", "homed"));
        for (LoopStats s : stats) {
            sb.append(String.format("%4d %4d %12d %12d %12d %12d %10d %11d %6d%n", s.loop, s.cpu, s.handled, s.handedOut,
                    s.received, s.rounds, s.idleWakes, s.outstanding, s.homed));
        }
        return sb.toString();
    }
}
