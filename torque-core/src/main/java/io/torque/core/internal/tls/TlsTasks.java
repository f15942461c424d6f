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
 * per loop, made when first needed and ended when idle for a while or when the context closes.
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
        pool = new ThreadPoolExecutor(threads, threads, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
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
