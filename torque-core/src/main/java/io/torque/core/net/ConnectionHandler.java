package io.torque.core.net;

/**
 * The callbacks of one connection. They never run on two threads at once and must not block.
 * They run on the connection's home loop, or, under the PARETO or STEAL dispatch policy, on a
 * neighbour loop the busy home loop handed the connection to (or that took it) for one turn; each callback sees everything
 * the previous one wrote (ownership passes through a volatile state word). A callback that
 * throws closes its connection: the throwable goes to the context's error handler once and to
 * {@link #onClose} as the cause, and the loop serves everyone else.
 */
public interface ConnectionHandler {
    /**
     * The connection is open and registered (accepted, or the outbound connect completed).
     *
     * @param connection the connection
     * @throws Exception to close the connection with this cause
     */
    default void onOpen(Connection connection) throws Exception {
    }

    /**
     * Bytes arrived. Consume what was used from {@code in}; the rest is offered again, with more,
     * on the next call. A connection whose unconsumed bytes reach the read buffer maximum is
     * closed with an error.
     *
     * @param connection the connection
     * @param in the unconsumed bytes, valid only during this call
     * @return {@link Next#CONTINUE} to go on, {@link Next#CLOSE} to close gracefully
     * @throws Exception to close the connection with this cause
     */
    Next onRead(Connection connection, ReadBuffer in) throws Exception;

    /**
     * The queued bytes fell below the low water mark after having passed the high one (writes
     * from any thread count).
     *
     * @param connection the connection
     * @throws Exception to close the connection with this cause
     */
    default void onWritable(Connection connection) throws Exception {
    }

    /**
     * The peer shut its side down (FIN, or with TLS its close_notify): it sends no more, but may
     * still read. The default closes gracefully (queued replies are sent first). With TLS the
     * engine may close its own output with the peer's close_notify (BoringSSL does; the JDK's
     * does under TLS 1.2): what is written then cannot be sent, and the connection closes with
     * an {@link javax.net.ssl.SSLException} saying so.
     *
     * @param connection the connection
     * @return {@link Next#CONTINUE} to keep writing (half-close), {@link Next#CLOSE} to close
     * @throws Exception to close the connection with this cause
     */
    default Next onPeerShutdown(Connection connection) throws Exception {
        return Next.CLOSE;
    }

    /**
     * The connection is closed. Called exactly once for every connection whose {@link #onOpen}
     * was called, also when the context closes; never for an outbound connect that did not
     * complete (its future fails instead).
     *
     * @param connection the connection
     * @param cause null for a graceful close; a {@link ConnectionAbortedException} when torque
     *     reset it (an {@code abort()}, {@code closeNow()}, or a graceful close past its drain
     *     deadline); else the reset, I/O error, idle timeout or callback throwable that ended it
     */
    default void onClose(Connection connection, Throwable cause) {
    }
}
