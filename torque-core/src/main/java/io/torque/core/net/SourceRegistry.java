package io.torque.core.net;

/**
 * What a source tells its context: that it opened, that it closed, where to place a new
 * connection. Implemented by the context. Internal API.
 */
public interface SourceRegistry {
    /** Records a live source; false when the context is closing (the source must close). */
    boolean opened(AutoCloseable source);

    /** Forgets a closed source. */
    void closed(AutoCloseable source);

    /** The loop a new connection should live on, counted there as homed at once. */
    io.torque.core.loop.Loop placeConnection();

    /** Counts a connection gone from (-1) a loop (placement counted it in). */
    void homed(io.torque.core.loop.Loop loop, int delta);

    /** The connection limits. */
    ConnectionSettings settings();
}
