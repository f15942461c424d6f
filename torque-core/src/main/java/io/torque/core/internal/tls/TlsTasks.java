package io.torque.core.internal.tls;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs engines' delegated tasks ({@code SSLEngine.getDelegatedTask}: the JDK provider's key
 * exchange and certificate checks) off the loops, on a context's own daemon threads, at most one
 * per loop, made when first needed (on the CPUs the context was built on, not the pinned loop's
 * that asked) and ended when idle for a while, or when the context closes (which waits for them).
 * Internal API.
 */
public final class TlsTasks implements Executor {
    private final ThreadPoolExecutor pool;

    /**
     * A pool of at most {@code threads} threads.
     *
     * @param threads the most threads, at least 1
     * @param name the threads' name prefix
     */
    public TlsTasks(int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        // A worker is made by the thread that submits the task, a pinned loop, and would inherit
        // its one-CPU mask: each worker takes the context builder's mask instead.
        io.torque.topology.CpuSet mask = unpinnedMask();
        pool = new ThreadPoolExecutor(threads, threads, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Runnable body = mask == null ? r : () -> {
                try {
                    io.torque.topology.affinity.Affinity.pin(mask);
                } catch (RuntimeException e) {
                    // left where it was: slower, not wrong
                }
                r.run();
            };
            Thread t = new Thread(body, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    private static io.torque.topology.CpuSet unpinnedMask() {
        try {
            return io.torque.topology.affinity.Affinity.isAvailable() ? io.torque.topology.affinity.Affinity.current() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /**
     * Ends the threads once the queued tasks ran; later tasks are refused
     * ({@link RejectedExecutionException}).
     */
    public void shutdown() {
        pool.shutdown();
    }

    /**
     * Waits for the threads to end.
     *
     * @param millis the most to wait
     * @return whether they ended
     * @throws InterruptedException if interrupted
     */
    public boolean awaitTermination(long millis) throws InterruptedException {
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
