package io.torque.core.internal.dispatch;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-loop counters that other loops read to choose where to hand work: one slot per loop, each
 * on its own pair of cache lines (128 bytes, covering adjacent-line prefetch), so a loop updating
 * its slot never invalidates a neighbour's.
 *
 * <p>Memory ordering: counters several threads change (outstanding, homed) use
 * {@code getAndAdd} (volatile read-modify-write) so concurrent adds are never lost; counters only
 * their own loop writes (its statistics, its busy stamp) are published with {@code setOpaque}, a
 * plain store; readers use {@code getOpaque}: they need
 * no ordering with other memory, only a recent value, and tolerate a stale one (a dispatch
 * decision on a slightly old count is still a good decision). Wait-free: no locks, no retries.
 *
 * <pre>
 *   slot i (loop i), 16 longs = 128 bytes
 *   +-----------+-------+--------+---------+---------+---------+ .. +
 *   |outstanding| homed | rounds | handled | handedOut| received|    |  padding to 16 longs
 *   +-----------+-------+--------+---------+---------+---------+ .. +
 * </pre>
 */
public final class Scoreboard {
    /** Events queued at a loop and not yet handled (its ready list plus its inbox). */
    public static final int OUTSTANDING = 0;
    /** Sources whose home is the loop. */
    public static final int HOMED = 1;
    /** Rounds (epoll returns) the loop has run. */
    public static final int ROUNDS = 2;
    /** Events the loop has handled (its own and received ones). */
    public static final int HANDLED = 3;
    /** Events the loop handed to others. */
    public static final int HANDED_OUT = 4;
    /** Events the loop received from others. */
    public static final int RECEIVED = 5;
    /** Times the loop blocked in epoll_wait and woke up. */
    public static final int IDLE_WAKES = 6;
    /**
     * When the loop began the work it is doing now (System.nanoTime), 0 while it is not working
     * sources: lets a neighbour see a loop stuck in a long callback, whose queue looks short.
     */
    public static final int BUSY_SINCE = 7;
    /**
     * STEAL: sources the loop has queued to start and other loops may take (a hint: set when a
     * round queues them, cleared when the loop has worked its queue; thieves may see it late).
     */
    public static final int STEALABLE = 8;
    /** STEAL and PARETO: 1 while the loop is (about to be) blocked in epoll_wait, else 0. */
    public static final int PARKED = 9;
    /**
     * STEAL_POLL and STEAL_EPOLL: the size of the round the loop is working now when it had more than one ready
     * source (crowded), else 0: while it is set, readiness arriving on the loop's sources may be
     * taken from its steal set ({@code StealSet}).
     */
    public static final int CROWDED = 10;
    /**
     * STEAL_POLL and STEAL_EPOLL: sources other loops took from this loop's steal set (added to by the thieves, an
     * atomic add per haul; counted with {@link #HANDED_OUT} in the loop's statistics).
     */
    public static final int TAKEN_READY = 11;
    /** STEAL_EPOLL: rounds in a row the loop has had more than one ready source (0 after a round of one). */
    public static final int STREAK = 12;
    /** Longs per slot: 128 bytes. */
    static final int STRIDE = 16;
    /** Leading pad so slot 0 does not share a line with the array header. */
    private static final int PAD = STRIDE;

    private final AtomicLongArray cells;
    private final int loops;

    /** A scoreboard for {@code loops} loops, all counters zero. */
    public Scoreboard(int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be at least 1: " + loops);
        }
        this.loops = loops;
        this.cells = new AtomicLongArray(PAD + loops * STRIDE + PAD);
    }

    /** The number of slots. */
    public int loops() {
        return loops;
    }

    private static int index(int loop, int counter) {
        return PAD + loop * STRIDE + counter;
    }

    /** Adds {@code delta} to a counter of {@code loop} (volatile read-modify-write). Any thread. */
    public void add(int loop, int counter, long delta) {
        cells.getAndAdd(index(loop, counter), delta);
    }

    /** A recent value of a counter (opaque read: may be slightly stale). Any thread. */
    public long get(int loop, int counter) {
        return cells.getOpaque(index(loop, counter));
    }

    /** Sets a counter (tests and hand-built scoreboards). */
    public void set(int loop, int counter, long value) {
        cells.set(index(loop, counter), value);
    }

    /**
     * Sets a counter with a volatile store (a full fence after it on x86). For the two sides of
     * a handshake that must not both miss each other: a loop about to park stores PARKED then
     * reads STEALABLE; a loop with sources to give stores STEALABLE then reads PARKED. Any
     * thread, for its own slot.
     */
    public void setVolatile(int loop, int counter, long value) {
        cells.set(index(loop, counter), value);
    }

    /** A counter's value with a volatile load: the other half of {@link #setVolatile}. Any thread. */
    public long getVolatile(int loop, int counter) {
        return cells.get(index(loop, counter));
    }

    /**
     * Publishes a counter only {@code loop}'s own thread writes (opaque: a plain store on x86,
     * no read-modify-write): its statistics and its busy stamp. Readers use {@link #get}.
     */
    public void publish(int loop, int counter, long value) {
        cells.setOpaque(index(loop, counter), value);
    }
}
