package io.torque.core.dispatch;

import java.util.List;
import java.util.Locale;

/**
 * One loop's counters, read at one moment (each value is recent, the set is not atomic). Bytes,
 * accepts, busy time and hand-offs count what the loop's thread did (a connection worked by a
 * neighbour counts there); opens and closes count connections homed on the loop (under STEAL_EPOLL
 * a connection that moved home counts its open on its first home and its close on its last).
 *
 * @param loop the loop index (-1 for a {@link #total})
 * @param cpu the CPU it serves (-1 for a total)
 * @param handled events handled (own and received)
 * @param handedOut events handed to other loops (PARETO), or taken by them (STEAL, STEAL_POLL: also from its steal set)
 * @param received events received from other loops (PARETO), or taken from them (STEAL, STEAL_POLL)
 * @param rounds rounds (epoll returns with ready connections)
 * @param idleWakes times it blocked in epoll_wait and woke
 * @param outstanding events queued there now
 * @param homed sources homed there now
 * @param bytesRead bytes read from sockets
 * @param bytesWritten bytes written to sockets
 * @param accepted connections its listeners accepted
 * @param opened connections whose onOpen ran
 * @param closes connections whose onClose ran, by cause
 * @param busyNanos time spent in passes that did work (callbacks, rounds, tasks), in ns: over a
 *     period, its growth divided by the period is the loop's utilization. A lower bound for loops
 *     that park: after a wake-up, what Netty runs inside its wait (I/O events, tasks such as a
 *     re-queued reading turn or an accept) is not timed, only the rounds after it
 * @param handOffsByDistance sources it gave (PARETO) or took (STEAL, STEAL_POLL, STEAL_EPOLL), by topological distance
 *     (index 0 to 7; the last counts farther ones too); unmodifiable in the snapshots torque makes
 * @param movedIn connections that moved their home to this loop (STEAL_EPOLL; 0 under other policies)
 */
public record LoopStats(int loop, int cpu, long handled, long handedOut, long received, long rounds, long idleWakes,
        long outstanding, long homed, long bytesRead, long bytesWritten, long accepted, long opened, Closes closes,
        long busyNanos, List<Long> handOffsByDistance, long movedIn) {

    /**
     * Counters without {@code movedIn} (0): the components before STEAL_EPOLL.
     *
     * @param loop the loop's index (-1 for a total)
     * @param cpu its CPU (-1 for a total)
     * @param handled see the record
     * @param handedOut see the record
     * @param received see the record
     * @param rounds see the record
     * @param idleWakes see the record
     * @param outstanding see the record
     * @param homed see the record
     * @param bytesRead see the record
     * @param bytesWritten see the record
     * @param accepted see the record
     * @param opened see the record
     * @param closes see the record
     * @param busyNanos see the record
     * @param handOffsByDistance see the record
     */
    public LoopStats(int loop, int cpu, long handled, long handedOut, long received, long rounds, long idleWakes,
            long outstanding, long homed, long bytesRead, long bytesWritten, long accepted, long opened, Closes closes,
            long busyNanos, List<Long> handOffsByDistance) {
        this(loop, cpu, handled, handedOut, received, rounds, idleWakes, outstanding, homed, bytesRead, bytesWritten,
                accepted, opened, closes, busyNanos, handOffsByDistance, 0);
    }

    /**
     * Connections closed, by cause (what their onClose got).
     *
     * @param gracefully a null cause: closed by either side, everything sent
     * @param reset a reset or another I/O error (the read buffer maximum reached, an
 *     {@code IOException} a callback threw)
     * @param timedOut the idle timeout
     * @param aborted an abort, closeNow or a drain deadline
     * @param failed a callback's throwable
     */
    public record Closes(long gracefully, long reset, long timedOut, long aborted, long failed) {
        /**
         * All of them.
         *
         * @return the total
         */
        public long total() {
            return gracefully + reset + timedOut + aborted + failed;
        }

        Closes plus(Closes o) {
            return new Closes(gracefully + o.gracefully, reset + o.reset, timedOut + o.timedOut, aborted + o.aborted,
                    failed + o.failed);
        }
    }

    /**
     * The sum over {@code stats} (loop and cpu -1).
     *
     * @param stats the loops' counters
     * @return their totals
     */
    public static LoopStats total(List<LoopStats> stats) {
        long handled = 0;
        long handedOut = 0;
        long received = 0;
        long rounds = 0;
        long idleWakes = 0;
        long outstanding = 0;
        long homed = 0;
        long bytesRead = 0;
        long bytesWritten = 0;
        long accepted = 0;
        long opened = 0;
        long busy = 0;
        long movedIn = 0;
        Closes closes = new Closes(0, 0, 0, 0, 0);
        long[] distance = new long[8];
        for (LoopStats s : stats) {
            handled += s.handled;
            handedOut += s.handedOut;
            received += s.received;
            rounds += s.rounds;
            idleWakes += s.idleWakes;
            outstanding += s.outstanding;
            homed += s.homed;
            bytesRead += s.bytesRead;
            bytesWritten += s.bytesWritten;
            accepted += s.accepted;
            opened += s.opened;
            busy += s.busyNanos;
            movedIn += s.movedIn;
            closes = closes.plus(s.closes);
            for (int i = 0; i < Math.min(distance.length, s.handOffsByDistance.size()); i++) {
                distance[i] += s.handOffsByDistance.get(i);
            }
        }
        return new LoopStats(-1, -1, handled, handedOut, received, rounds, idleWakes, outstanding, homed, bytesRead,
                bytesWritten, accepted, opened, closes, busy, java.util.Arrays.stream(distance).boxed().toList(), movedIn);
    }

    /**
     * A table of the given loops' counters, one row each, with a header.
     *
     * @param stats the loops' counters
     * @return the table, one line per loop after the header
     */
    public static String table(List<LoopStats> stats) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%4s %4s %12s %12s %12s %12s %10s %11s %6s %14s %14s %9s %9s%n",
                "loop", "cpu", "handled", "handed-out", "received", "rounds", "idle-wakes", "outstanding", "homed", "bytes-read",
                "bytes-written", "opened", "closed"));
        for (LoopStats s : stats) {
            sb.append(String.format(Locale.ROOT, "%4d %4d %12d %12d %12d %12d %10d %11d %6d %14d %14d %9d %9d%n", s.loop, s.cpu,
                    s.handled, s.handedOut, s.received, s.rounds, s.idleWakes, s.outstanding, s.homed, s.bytesRead,
                    s.bytesWritten, s.opened, s.closes.total()));
        }
        return sb.toString();
    }
}
