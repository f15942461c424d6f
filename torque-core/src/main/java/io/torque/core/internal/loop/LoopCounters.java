package io.torque.core.internal.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;

import io.torque.core.net.ConnectionAbortedException;

/**
 * What one loop did, for {@code Torque.stats()} and the metrics built on it: bytes read and
 * written, connections accepted, opened and closed (by cause), time busy, hand-offs by
 * topological distance.
 *
 * <p>Memory ordering: the per-event counters (bytes, accepts, busy time, hand-offs) have one
 * writer, this loop's thread, which publishes each with an opaque store (a plain store on x86:
 * no read-modify-write on the hot path); readers use opaque loads and may see a value slightly
 * late. Opens and closes happen on whichever thread runs a connection's start or end (a
 * neighbour loop, or the closing thread after the loops ended), so those few use atomic adds.
 * Padded on both sides so the loop's stores do not invalidate a neighbour's lines.
 */
public final class LoopCounters {
    /** Hand-off distances counted separately; farther ones go to the last. */
    public static final int DISTANCES = 8;

    private static final VarHandle LONG;
    private static final VarHandle ARRAY = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            LONG = MethodHandles.lookup().findVarHandle(Cell.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One padded counter: 64 bytes of padding on each side of its long. */
    @SuppressWarnings("unused")
    static final class Cell {
        long p0, p1, p2, p3, p4, p5, p6, p7;
        long value; // accessed through LONG with explicit modes only
        long q0, q1, q2, q3, q4, q5, q6, q7;

        long get() {
            return (long) LONG.getOpaque(this);
        }

        /** Single writer: a plain read and an opaque store. */
        void add(long n) {
            LONG.setOpaque(this, (long) LONG.getOpaque(this) + n);
        }

        /** Any thread. */
        void addAtomic(long n) {
            LONG.getAndAdd(this, n);
        }
    }

    private final Cell bytesRead = new Cell();
    private final Cell bytesWritten = new Cell();
    private final Cell accepted = new Cell();
    private final Cell busyNanos = new Cell();
    private final Cell opened = new Cell();
    private final Cell closedGracefully = new Cell();
    private final Cell closedByReset = new Cell();
    private final Cell closedByTimeout = new Cell();
    private final Cell closedAborted = new Cell();
    private final Cell closedByError = new Cell();
    private final Cell movedIn = new Cell();
    /** Padded by 8 longs at each end (indexes 8 .. 8 + DISTANCES - 1 are used). */
    private final long[] handOffs = new long[DISTANCES + 16];

    /** This loop read {@code n} bytes from a socket. Loop thread. */
    public void read(long n) {
        bytesRead.add(n);
    }

    /** This loop wrote {@code n} bytes to a socket. Loop thread. */
    public void written(long n) {
        bytesWritten.add(n);
    }

    /** This loop accepted a connection. Loop thread. */
    public void accepted() {
        accepted.add(1);
    }

    /** This loop spent {@code nanos} in a pass that did work. Loop thread. */
    public void busy(long nanos) {
        busyNanos.add(nanos);
    }

    /** This loop gave (PARETO) or took (STEAL) {@code n} sources across {@code distance} levels. Loop thread. */
    public void handOff(int distance, long n) {
        int i = 8 + Math.min(Math.max(distance, 0), DISTANCES - 1);
        ARRAY.setOpaque(handOffs, i, (long) ARRAY.getOpaque(handOffs, i) + n);
    }

    /** STEAL_EPOLL: a connection moved its home here. Loop thread. */
    public void movedIn() {
        movedIn.add(1);
    }

    /**
     * Connections that moved their home here (STEAL_EPOLL). Any thread.
     *
     * @return the count
     */
    public long movedInCount() {
        return movedIn.get();
    }

    /** A connection homed here opened (its onOpen ran). Any thread. */
    public void opened() {
        opened.addAtomic(1);
    }

    /**
     * A connection homed here closed (its onClose ran) with {@code cause}: null is graceful; a
     * {@link ConnectionAbortedException} an abort; a {@link SocketTimeoutException} the idle
     * timeout; another {@link java.io.IOException} a reset or I/O error; anything else a
     * callback's failure. Any thread.
     */
    public void closed(Throwable cause) {
        Cell c;
        if (cause == null) {
            c = closedGracefully;
        } else if (cause instanceof ConnectionAbortedException) {
            c = closedAborted;
        } else if (cause instanceof SocketTimeoutException) {
            c = closedByTimeout;
        } else if (cause instanceof java.io.IOException) {
            c = closedByReset;
        } else {
            c = closedByError;
        }
        c.addAtomic(1);
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }

    public long acceptedCount() {
        return accepted.get();
    }

    public long busyNanos() {
        return busyNanos.get();
    }

    public long openedCount() {
        return opened.get();
    }

    public long closedGracefully() {
        return closedGracefully.get();
    }

    public long closedByReset() {
        return closedByReset.get();
    }

    public long closedByTimeout() {
        return closedByTimeout.get();
    }

    public long closedAborted() {
        return closedAborted.get();
    }

    public long closedByError() {
        return closedByError.get();
    }

    /** Hand-offs by distance, 0 to {@link #DISTANCES} - 1 (the last counts farther ones too). */
    public long[] handOffsByDistance() {
        long[] out = new long[DISTANCES];
        for (int i = 0; i < DISTANCES; i++) {
            out[i] = (long) ARRAY.getOpaque(handOffs, 8 + i);
        }
        return out;
    }
}
