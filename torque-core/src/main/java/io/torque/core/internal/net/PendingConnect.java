package io.torque.core.internal.net;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.ScheduledFuture;
import io.torque.core.net.Connection;

/**
 * An outbound connection's connect, from the call to the completed future: the target, the
 * timeout and the future. {@link #NONE} for accepted connections. Owner only.
 */
final class PendingConnect {
    /** No connect: an accepted connection (never written to). */
    static final PendingConnect NONE = new PendingConnect(null, 0, null);

    private final java.net.SocketAddress target;
    private final long timeoutNanos;
    private CompletableFuture<Connection> done;
    private ScheduledFuture<?> timeout;
    private boolean waiting;

    PendingConnect(java.net.SocketAddress target, long timeoutNanos, CompletableFuture<Connection> done) {
        this.target = target;
        this.timeoutNanos = timeoutNanos;
        this.done = done;
        this.waiting = done != null;
    }

    /** Whether the connect has not completed yet (no onOpen so far). */
    boolean pending() {
        return waiting;
    }

    java.net.SocketAddress target() {
        return target;
    }

    void scheduleTimeout(TcpConnection c) {
        if (timeoutNanos > 0) {
            timeout = c.home.netty().schedule(() -> c.workHere(Work.CONNECT_TIMEOUT), timeoutNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    SocketTimeoutException timeoutException() {
        return new SocketTimeoutException("connect to " + target + " timed out after "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    /** The socket connected: no more timeout; the future completes after onOpen. */
    void connected() {
        waiting = false;
        cancelTimeout();
    }

    void complete(Connection c) {
        CompletableFuture<Connection> f = done;
        done = null;
        if (f != null) {
            f.complete(c);
        }
    }

    /** Fails the future if it has not completed; no-op otherwise (and for {@link #NONE}). */
    void fail(Throwable t) {
        CompletableFuture<Connection> f = done;
        if (f == null) {
            return;
        }
        waiting = false;
        cancelTimeout();
        done = null;
        f.completeExceptionally(t);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
