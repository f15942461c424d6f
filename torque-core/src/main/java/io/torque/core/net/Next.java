package io.torque.core.net;

/** What a connection callback wants to happen next: the continuation of libtorque's callbacks. */
public enum Next {
    /** Keep the connection and go on reading. */
    CONTINUE,
    /** Close the connection once the queued writes are sent (see {@link Connection#close()}). */
    CLOSE
}
