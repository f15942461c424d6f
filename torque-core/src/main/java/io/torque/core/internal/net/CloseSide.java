package io.torque.core.internal.net;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.ScheduledFuture;
import io.torque.core.internal.loop.Loop;
import io.torque.core.net.ConnectionAbortedException;

/**
 * A connection's close state machine, graceful by default as nginx's lingering close and Netty's
 * {@code shutdownGracefully}:
 *
 * <pre>
 *   OPEN --close()--> CLOSING --queue sent--> LINGERING --peer's FIN, or linger over--> CLOSED
 *     |   (reads discarded)     (FIN sent; reads discarded)
 *     +--abort(), drain deadline with bytes unsent, reset, error--> CLOSED (SO_LINGER 0: reset)
 * </pre>
 *
 * The context's graceful shutdown first answers what has already arrived (one reading turn that
 * still delivers), then closes as above, with the drain deadline as a bound: past it, a
 * connection that has sent everything closes normally, one that has not is aborted and its
 * {@code onClose} gets a {@link ConnectionAbortedException} saying so. Owner only.
 */
final class CloseSide {
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int LINGERING = 2;
    private static final int CLOSED = 3;

    private final TcpConnection c;
    private int phase = OPEN;
    /** Counted in the home loop's homed sources (by the placement that chose the loop). */
    private boolean homedCounted = true;
    private ScheduledFuture<?> linger;
    private ScheduledFuture<?> deadline;
    private long deadlineMillis;

    CloseSide(TcpConnection c) {
        this.c = c;
    }

    boolean closed() {
        return phase == CLOSED;
    }

    /** A graceful close is under way: nothing more is delivered or written. */
    boolean closing() {
        return phase == CLOSING || phase == LINGERING;
    }

    void markClosed() {
        phase = CLOSED;
        cancel(linger);
        cancel(deadline);
        linger = null;
        deadline = null;
    }

    /** Connection.close, Next.CLOSE or onPeerShutdown's CLOSE: stop delivering, send the queue, then FIN. */
    void close() throws IOException {
        if (phase != OPEN) {
            return;
        }
        c.writer.drainOutbox(); // bytes other threads wrote before the close are the peer's too
        if (phase != OPEN) {
            return; // onWritable, run by the drain, closed it already
        }
        phase = CLOSING;
        c.markNotOpen();
        if (c.writer.queueEmpty()) {
            sendFin();
        }
        if (phase == CLOSING || phase == LINGERING) {
            c.reader.requeue(); // a reading turn that discards, even if reads were paused
        }
    }

    /**
     * The context closes gracefully: one more reading turn that still delivers (a request that
     * arrived just before the close gets its reply), then {@link #close()}, bounded by the drain
     * deadline.
     *
     * @param deadlineNanos the System.nanoTime by which the connection must be done
     */
    void shutdown(long deadlineNanos) throws Exception {
        if (phase == CLOSED) {
            return;
        }
        if (deadline == null) {
            long delay = Math.max(0, deadlineNanos - System.nanoTime());
            deadlineMillis = TimeUnit.NANOSECONDS.toMillis(c.registry.drainTimeoutNanos());
            deadline = schedule(Work.DEADLINE, delay);
        }
        if (phase == OPEN) {
            c.reader.read(c.current());
            close();
        }
    }

    /** The write queue is empty while closing. */
    void outputDrained() throws IOException {
        if (phase == CLOSING) {
            sendFin();
        }
    }

    private void sendFin() throws IOException {
        if (c.tls != null && !c.writer.outputShut() && c.tls.queueCloseNotify(false)) {
            return; // close_notify goes first: the flush that sends it calls outputDrained again
        }
        phase = LINGERING;
        if (!c.writer.outputShut()) {
            c.shutdownSocketOutput();
        }
        long lingerNanos = c.settings.lingerTimeout().toNanos();
        if (c.reader.peerShutdown() || lingerNanos == 0) {
            c.finishClose(null);
            return;
        }
        linger = schedule(Work.LINGER_END, lingerNanos);
    }

    /** The peer's FIN arrived while closing. */
    void peerClosed() {
        if (phase == LINGERING) {
            c.finishClose(null); // both sides done
        }
        // CLOSING: the peer may still read what is queued; the FIN follows when it is sent
    }

    void lingerEnded() {
        linger = null;
        if (phase == LINGERING) {
            c.finishClose(null); // everything was sent; what the peer still sends is not ours to read
        }
    }

    void deadlinePassed() {
        deadline = null;
        if (phase == LINGERING) {
            c.finishClose(null);
        } else if (phase != CLOSED) {
            abort("the graceful close passed its drain deadline of " + deadlineMillis + " ms");
        }
    }

    /** Closes at once with a reset; onClose learns why. */
    void abort(String why) {
        if (phase == CLOSED) {
            return;
        }
        long dropped = c.writer.queuedBytes();
        try {
            c.socket.setSoLinger(0);
        } catch (IOException ignored) {
            // closing anyway
        }
        c.finishClose(new ConnectionAbortedException(why + " (" + dropped + " queued bytes dropped): " + c));
    }

    /**
     * Closes now and tells whoever waits: the one way out. A connect that never completed fails
     * its future (no onClose: onOpen never ran); an open connection gets its onClose, once.
     *
     * @param cause null for a graceful close
     */
    void finish(Throwable cause) {
        if (phase == CLOSED) {
            return;
        }
        markClosed();
        c.markNotOpen();
        Loop loop = c.current(); // null off the loops (the final sweep): buffers go to the GC
        c.reader.release(loop);
        c.writer.release(loop);
        if (c.tls != null) {
            c.tls.release(loop);
        }
        Loop.cancelQuietly(c.registration);
        c.closeSocketQuietly();
        forget();
        c.connect.fail(cause != null ? cause : new IOException("closed before the connect completed")); // no-op once connected
        if (c.opened && c.handler != null) {
            c.home.counters().closed(cause);
            try {
                c.handler.onClose(c, cause);
            } catch (Throwable t) {
                c.home.report(c, t);
            }
        }
    }

    /** See {@link TcpConnection#terminateAfterLoopsEnded()}. */
    void terminateAfterLoopsEnded() {
        if (c.connect.pending()) {
            finish(new IOException("the torque context closed before the connect to " + c.connect.target() + " started"));
        } else {
            finish(new ConnectionAbortedException("the torque context's loops ended with the connection open: " + c));
        }
    }

    private void forget() {
        c.registry.closed(c);
        if (homedCounted) {
            homedCounted = false;
            c.registry.homed(c.home, -1);
        }
    }

    private ScheduledFuture<?> schedule(int work, long delayNanos) {
        try {
            return c.home.netty().schedule(() -> c.workHere(work), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null; // the loop shuts down and closes the connection itself
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
