package io.torque.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.torque.core.internal.loop.Loop;
import io.torque.core.internal.net.SourceRegistry;
import io.torque.core.internal.net.TcpConnection;
import io.torque.core.net.ConnectionSettings;

/**
 * The context's side of its sources: which are alive (so close reaches each), the fds and
 * signals taken, whether the context is closing, and when its connections have all closed.
 * Any thread.
 *
 * <p>Opening and closing race without a lock: {@link #opened} adds the source, then reads
 * {@link #closing}; {@link #beginClose} writes {@code closing}, then the closer iterates. Either
 * the opener sees the close (and backs out), or the iteration sees the source (volatile
 * accesses are totally ordered), so no source escapes a close.
 */
final class Sources implements SourceRegistry {
    private final ConcurrentHashMap<Object, Boolean> live = new ConcurrentHashMap<>();
    private final LoopGroup loops;
    private final ConnectionSettings settings;
    private final long drainTimeoutNanos;
    private final AtomicInteger connections = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    final Set<Integer> fds = ConcurrentHashMap.newKeySet();
    final Set<String> signals = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    /** Delegated TLS tasks: one thread per loop at most, made on first use, gone when idle. */
    private final io.torque.core.internal.tls.TlsTasks tlsTasks;
    private volatile long drainDeadlineNanos;

    Sources(LoopGroup loops, ConnectionSettings settings, long drainTimeoutNanos) {
        this.loops = loops;
        this.settings = settings;
        this.drainTimeoutNanos = drainTimeoutNanos;
        this.tlsTasks = new io.torque.core.internal.tls.TlsTasks(Math.max(1, loops.loops().size()), "torque-tls");
    }

    @Override
    public boolean opened(AutoCloseable source) {
        if (source instanceof TcpConnection) {
            connections.incrementAndGet();
        }
        live.put(source, Boolean.TRUE);
        if (closing) {
            closed(source);
            return false;
        }
        return true;
    }

    @Override
    public void closed(AutoCloseable source) {
        forget(source);
    }

    /** Records a source that has no close callback into the registry (timers, signals, fd sources). */
    void remember(Object source) {
        live.put(source, Boolean.TRUE);
    }

    void forget(Object source) {
        if (source != null && live.remove(source) != null && source instanceof TcpConnection
                && connections.decrementAndGet() == 0 && closing) {
            drained.complete(null);
        }
    }

    /**
     * From now on nothing opens; returns what is alive.
     *
     * @param deadlineNanos when the connections must be closed (System.nanoTime)
     */
    List<Object> beginClose(long deadlineNanos) {
        drainDeadlineNanos = deadlineNanos;
        closing = true;
        if (connections.get() == 0) {
            drained.complete(null);
        }
        return new ArrayList<>(live.keySet());
    }

    boolean isClosing() {
        return closing;
    }

    /** Completes when the last connection has closed after {@link #beginClose}. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /** What is still registered (after the loops ended: what they could not close). */
    List<Object> leftovers() {
        return new ArrayList<>(live.keySet());
    }

    @Override
    public Loop placeConnection() {
        return loops.placeConnection();
    }

    @Override
    public Loop placeConnection(List<Loop> among, AtomicInteger cursor) {
        return loops.placeConnection(among, cursor);
    }

    @Override
    public void homed(Loop loop, int delta) {
        loops.homed(loop, delta);
    }

    @Override
    public ConnectionSettings settings() {
        return settings;
    }

    @Override
    public long drainDeadlineNanos() {
        return drainDeadlineNanos;
    }

    @Override
    public long drainTimeoutNanos() {
        return drainTimeoutNanos;
    }

    @Override
    public java.util.concurrent.Executor tlsTasks() {
        return tlsTasks;
    }

    /** Ends the TLS task threads (the context has closed). */
    void stopTlsTasks() {
        tlsTasks.shutdown();
        try {
            tlsTasks.awaitTermination(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
