package io.torque.core.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A TCP connection served by torque's loops.
 *
 * <p>Threading: every method may be called from any thread. Called from the connection's own
 * callbacks they act at once; from elsewhere they hand the work to the connection's loop (a write
 * then copies the bytes first, and counts them in {@link #queuedBytes()} at once). Writes from
 * one thread keep their order, also against writes the callbacks make later. Callbacks of one
 * connection never run on two threads at once.
 */
public interface Connection {
    /**
     * The peer's address.
     *
     * @return the remote address, or null before the connection opened (and for a Unix domain
     *     socket: see {@link #remoteSocketAddress()})
     */
    InetSocketAddress remoteAddress();

    /**
     * The peer's address of either kind: the {@link InetSocketAddress}, or for a Unix domain
     * socket the path connected to (an accepted Unix peer has none: null).
     *
     * @return the remote address, or null
     */
    default java.net.SocketAddress remoteSocketAddress() {
        return remoteAddress();
    }

    /**
     * The process at the other end of a Unix domain socket ({@code SO_PEERCRED}, read when the
     * connection opened).
     *
     * @return its pid, uid and gid; null for a TCP connection
     */
    default PeerCredentials peerCredentials() {
        return null;
    }

    /**
     * This end's address.
     *
     * @return the local address, or null before the connection opened
     */
    InetSocketAddress localAddress();

    /**
     * Writes {@code src}'s remaining bytes, consuming them from {@code src}. From the
     * connection's callbacks the bytes are gathered (copied into the connection's queue) and
     * sent together, with one writev, when the callback's turn ends (after the onRead calls of
     * one reading turn, for pipelined requests); a write of 64 KiB or more to an empty queue is
     * sent at once. From another thread they are copied and handed to the connection's loop.
     * What the socket does not take is sent as the peer reads. Above the high water mark of queued bytes the connection stops reading from the
     * peer and {@link #isWritable()} turns false until the queue drains below the low mark; then
     * {@link ConnectionHandler#onWritable} runs. Writes after a close or {@link #shutdownOutput()}
     * are dropped (their bytes consumed).
     *
     * @param src the bytes to send, from its position to its limit
     * @throws NullPointerException if {@code src} is null
     */
    void write(ByteBuffer src);

    /**
     * Sends what was written so far now, instead of when the current callback's turn ends: for
     * a callback that writes a first part of a reply and then works long on the rest. Any
     * thread; off the connection's loop it asks the loop to flush soon.
     */
    void flush();

    /**
     * Sends {@code count} bytes of a file from {@code position}, after what was written before
     * and before what is written after: with {@code sendfile(2)} from the file to the socket (no
     * copy through the JVM), or, on a TLS connection, read in chunks and encrypted. At most 1 MiB
     * goes per turn, so one large file never holds the loop. The bytes count in
     * {@link #queuedBytes()} (and the water marks) from this call until sent. Any thread; the file
     * is opened here, and closed once sent or when the connection closes.
     *
     * @param path a regular file
     * @param position the first byte to send
     * @param count how many bytes
     * @throws java.io.UncheckedIOException if the file cannot be opened (NoSuchFileException,
     *     AccessDeniedException) or is not a regular file
     * @throws IllegalArgumentException if the range is negative or past the file's end (a file
     *     that shrinks later closes the connection with an IOException that says so)
     * @throws UnsupportedOperationException where the connection cannot send files (a test double)
     */
    default void sendFile(java.nio.file.Path path, long position, long count) {
        throw new UnsupportedOperationException("sendFile on " + getClass().getName());
    }

    /**
     * Sends {@code count} bytes of an open channel from {@code position}, as
     * {@link #sendFile(java.nio.file.Path, long, long)} does, but read in chunks (a channel's
     * descriptor is not public, so no {@code sendfile}) with positional reads on a loop thread;
     * torque never closes the channel, and it must stay open until the bytes are sent (or the
     * connection closes). A {@code FileChannel} closes itself when a thread reading it is
     * interrupted: a handler must not leave a loop thread's interrupt flag set.
     *
     * @param channel an open, readable file channel
     * @param position the first byte to send
     * @param count how many bytes
     * @throws java.io.UncheckedIOException if the channel's size cannot be read
     * @throws IllegalArgumentException if the range is negative or past the channel's end
     * @throws UnsupportedOperationException where the connection cannot send files (a test double)
     */
    default void sendFile(java.nio.channels.FileChannel channel, long position, long count) {
        throw new UnsupportedOperationException("sendFile on " + getClass().getName());
    }

    /**
     * Writes a copy of {@code bytes}; see {@link #write(ByteBuffer)}.
     *
     * @param bytes the bytes to send
     * @throws NullPointerException if {@code bytes} is null
     */
    default void write(byte[] bytes) {
        write(ByteBuffer.wrap(bytes));
    }

    /**
     * Bytes written and not yet sent, wherever they wait: the connection's queue, or on their
     * way to it from another thread.
     *
     * @return the bytes not yet handed to the kernel
     */
    long queuedBytes();

    /**
     * Whether more writing is welcome: false from the moment the queued bytes pass the high
     * water mark until they fall below the low one (then {@link ConnectionHandler#onWritable}
     * runs). A producer on another thread should stop while this is false.
     *
     * @return whether the queue is below its high water mark
     */
    boolean isWritable();

    /**
     * Closes gracefully: stops delivering reads, sends what is queued, then sends FIN, reads and
     * discards what the peer still sends for up to the linger timeout (or until the peer closes
     * its side), then closes the socket and runs {@link ConnectionHandler#onClose} with a null
     * cause; if the peer reset the connection before our FIN went out, the cause is that
     * {@link java.net.SocketException}. Idempotent.
     */
    void close();

    /**
     * Closes at once with a reset, dropping queued bytes; {@link ConnectionHandler#onClose} gets
     * a {@link ConnectionAbortedException}. Idempotent; does nothing after the connection closed.
     */
    void abort();

    /**
     * Half-closes: once the bytes queued now are sent, sends FIN, so the peer reads end-of-stream,
     * while this side keeps reading and delivering what the peer sends. Later writes are dropped.
     * Idempotent.
     */
    void shutdownOutput();

    /**
     * Stops reading from the peer (its bytes wait in the kernel, and TCP flow control slows the
     * peer down) until {@link #resumeReading()}. Independent of the pause the high water mark
     * causes: reading happens only when neither holds it. A TLS connection's handshake reads on
     * regardless (the first plaintext may then be delivered once while paused).
     */
    void pauseReading();

    /** Undoes {@link #pauseReading()}; bytes that arrived meanwhile are delivered at once. */
    void resumeReading();

    /**
     * Whether the connection is open: not closed, aborted or reset, and no close is under way.
     *
     * @return false once {@link #close()} or {@link #abort()} was called or the connection ended
     */
    boolean isOpen();

    /**
     * The index of the connection's home loop among the context's loops: the loop whose epoll
     * set holds its socket, chosen by placement when it opened, and fixed for its life except
     * under {@code DispatchPolicy.STEAL_EPOLL}, where a connection taken by an idle loop from a
     * loop that stays crowded moves its home there (so do not key per-loop state by it under that
     * policy). Under the PARETO or STEAL policies a callback may run on another loop when the
     * home loop is busy, so this is not necessarily the loop running the current callback.
     *
     * @return the home loop's index, from 0
     */
    int loopIndex();

    /**
     * What the TLS handshake settled: protocol, cipher suite, the ALPN protocol, the SNI host
     * name and the peer's certificates. Reads ({@link ConnectionHandler#onRead}) begin only after
     * the handshake, so every {@code onRead} of a TLS connection sees it.
     *
     * @return the handshake's outcome; null for a plaintext connection, and before the handshake
     *     finished
     */
    default io.torque.core.tls.TlsInfo tls() {
        return null;
    }
}
