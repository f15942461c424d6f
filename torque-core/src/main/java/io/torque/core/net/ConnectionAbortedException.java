package io.torque.core.net;

import java.io.IOException;

/**
 * The cause {@link ConnectionHandler#onClose} gets when torque closed a connection at once, with
 * a reset, instead of gracefully: {@link Connection#abort()} was called, the context was closed
 * with {@link io.torque.core.Torque#closeNow()}, or its graceful close passed the drain deadline
 * with bytes still unsent. The message says which, and how many bytes were dropped.
 */
public final class ConnectionAbortedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An abort, explained.
     *
     * @param message why the connection was aborted, and what was dropped
     */
    public ConnectionAbortedException(String message) {
        super(message);
    }
}
