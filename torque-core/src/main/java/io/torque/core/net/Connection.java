package io.torque.core.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A TCP connection served by one torque loop (its home).
 *
 * <p>Threading: every method may be called from any thread. Called on the home loop (from the
 * connection's callbacks) they act at once; from elsewhere they hand the work to the home loop
 * (a write then copies the bytes first). Callbacks of one connection never run on two threads at
 * once.
 */
public interface Connection {
    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** This end's address. */
    InetSocketAddress localAddress();

    /**
     * Sends {@code src}'s remaining bytes, consuming them from {@code src}: at once as far as the
     * socket takes them, the rest queued (copied) and sent as the peer reads, gathered with
     * writev. Above the high water mark of queued bytes the connection stops reading from the
     * peer until the queue drains below the low mark; then {@link ConnectionHandler#onWritable}
     * runs. Writes to a closed connection are dropped.
     */
    void write(ByteBuffer src);

    /** Sends a copy of {@code bytes}; see {@link #write(ByteBuffer)}. */
    default void write(byte[] bytes) {
        write(ByteBuffer.wrap(bytes));
    }

    /** Bytes queued and not yet sent. */
    long queuedBytes();

    /** Whether queued bytes are below the high water mark (writing more is welcome). */
    boolean isWritable();

    /**
     * Closes gracefully: stops reading, sends what is queued, then closes the socket and runs
     * {@link ConnectionHandler#onClose} once. Idempotent.
     */
    void close();

    /** Closes at once, dropping queued bytes (the peer sees a reset). Idempotent. */
    void abort();

    /** Whether neither {@link #close()} nor {@link #abort()} was called and the peer has not reset. */
    boolean isOpen();

    /** The index of the home loop among the context's loops. */
    int loopIndex();
}
