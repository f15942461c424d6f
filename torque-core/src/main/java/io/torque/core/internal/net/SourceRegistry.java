package io.torque.core.internal.net;

import io.torque.core.internal.loop.Loop;
import io.torque.core.net.ConnectionSettings;

/**
 * What a source tells its context, and what it asks: that it opened, that it closed, where to
 * place a new connection, the context's settings and its shutdown deadline. Implemented by the
 * context. Internal API.
 */
public interface SourceRegistry {
    /**
     * Records a live source.
     *
     * @param source the source
     * @return false when the context is closing (the source must close at once)
     */
    boolean opened(AutoCloseable source);

    /**
     * Forgets a closed source.
     *
     * @param source the source
     */
    void closed(AutoCloseable source);

    /**
     * The loop a new connection should live on, counted there as homed at once.
     *
     * @return the loop
     */
    Loop placeConnection();

    /**
     * The loop among {@code among} a new connection should live on, counted there as homed.
     *
     * @param among the loops a listener may home its connections on (its NIC-local ones)
     * @param cursor the listener's own round-robin position (for ROUND_ROBIN placement)
     * @return the loop
     */
    Loop placeConnection(java.util.List<Loop> among, java.util.concurrent.atomic.AtomicInteger cursor);

    /**
     * Counts connections gone from (negative) a loop (placement counted them in).
     *
     * @param loop the loop
     * @param delta the change
     */
    void homed(Loop loop, int delta);

    /**
     * The context's connection settings.
     *
     * @return the settings
     */
    ConnectionSettings settings();

    /**
     * When a closing context's connections must be closed: the System.nanoTime of its drain
     * deadline (meaningful once the context closes).
     *
     * @return the deadline
     */
    long drainDeadlineNanos();

    /**
     * The drain timeout the context was built with, for messages.
     *
     * @return the timeout in nanoseconds
     */
    long drainTimeoutNanos();

    /**
     * Where TLS engines' delegated tasks run (off the loops).
     *
     * @return the context's TLS task threads
     */
    java.util.concurrent.Executor tlsTasks();
}
