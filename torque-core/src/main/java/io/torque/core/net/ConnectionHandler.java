package io.torque.core.net;

/**
 * The callbacks of one connection. Every callback runs on the connection's home loop thread,
 * never two at once; none may block. A callback that throws closes its connection (the
 * throwable goes to the context's error handler and to {@link #onClose}) and the loop serves
 * everyone else.
 */
public interface ConnectionHandler {
    /** The connection is open and registered (accepted, or the outbound connect completed). */
    default void onOpen(Connection connection) throws Exception {
    }

    /**
     * Bytes arrived. Consume what was used from {@code in}; the rest is offered again, with more,
     * on the next call. A connection whose unconsumed bytes reach the read buffer maximum is
     * closed with an error.
     *
     * @return {@link Next#CONTINUE} to go on, {@link Next#CLOSE} to close gracefully
     */
    Next onRead(Connection connection, ReadBuffer in) throws Exception;

    /** The queued bytes fell below the low water mark after having passed the high one. */
    default void onWritable(Connection connection) throws Exception {
    }

    /**
     * The peer shut its side down (FIN): it sends no more, but may still read. The default
     * closes gracefully (queued replies are sent first).
     *
     * @return {@link Next#CONTINUE} to keep writing (half-close), {@link Next#CLOSE} to close
     */
    default Next onPeerShutdown(Connection connection) throws Exception {
        return Next.CLOSE;
    }

    /**
     * The connection is closed; called exactly once, also when the context closes.
     *
     * @param cause null for an orderly close, else why (a reset, a callback's throwable, an I/O
     *     error)
     */
    default void onClose(Connection connection, Throwable cause) {
    }
}
