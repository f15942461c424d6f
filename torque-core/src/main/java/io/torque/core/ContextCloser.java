package io.torque.core;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.torque.core.internal.loop.Loop;
import io.torque.core.internal.net.TcpConnection;
import io.torque.core.signal.SignalRegistration;
import io.torque.core.timer.Timer;

/**
 * A context's close, once: stop new work, close each source (connections gracefully within the
 * drain deadline, or at once), wait for the connections, end and join the loops, then finish on
 * the closing thread whatever the loops could not (a connect whose start was still queued, a
 * source registered as the loops ended). Any thread; from a loop thread the waiting part runs
 * on a thread of its own, since a loop cannot wait for the loops.
 */
final class ContextCloser {
    private static final System.Logger LOG = System.getLogger(ContextCloser.class.getName());
    /** After the deadline: time for the aborts to land before the loops are stopped. */
    private static final long ABORT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LoopGroup loops;
    private final Sources sources;
    private final long drainTimeoutNanos;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    ContextCloser(LoopGroup loops, Sources sources, long drainTimeoutNanos) {
        this.loops = loops;
        this.sources = sources;
        this.drainTimeoutNanos = drainTimeoutNanos;
    }

    /**
     * Closes (gracefully unless {@code now}). A second call waits (off the loops) for the first;
     * a {@code closeNow} during a graceful close aborts the connections still draining first.
     */
    void close(boolean now) {
        if (!started.compareAndSet(false, true)) {
            if (now) {
                for (Object source : sources.leftovers()) {
                    if (source instanceof TcpConnection c) {
                        c.closeNow();
                    }
                }
            }
            if (!Loop.onAnyLoop()) {
                awaitQuietly();
            }
            return;
        }
        long deadline = System.nanoTime() + (now ? 0 : drainTimeoutNanos);
        for (Object source : sources.beginClose(deadline)) {
            if (source instanceof TcpConnection c) {
                if (now) {
                    c.closeNow();
                } else {
                    c.shutdownGracefully();
                }
            } else if (source instanceof Timer t) {
                t.cancel();
            } else if (source instanceof SignalRegistration s) {
                s.cancel();
            } else if (source instanceof AutoCloseable c) {
                closeQuietly(c); // listeners and fd sources
            }
        }
        if (Loop.onAnyLoop()) {
            new Thread(() -> finish(deadline), "torque-close").start();
            return;
        }
        finish(deadline);
    }

    private void finish(long deadlineNanos) {
        try {
            long wait = deadlineNanos - System.nanoTime() + ABORT_GRACE_NANOS;
            sources.drained().get(Math.max(wait, 1), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "connections still open past the drain deadline; the loops close them");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.stopAndJoin();
        sources.stopTlsTasks(); // waits (bounded) for a delegated task still running
        for (Object left : sources.leftovers()) {
            if (left instanceof TcpConnection c) {
                c.terminateAfterLoopsEnded();
            } else if (left instanceof AutoCloseable c) {
                closeQuietly(c);
            }
        }
        terminated.countDown();
    }

    boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    boolean awaitTermination(long nanos) throws InterruptedException {
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    private void awaitQuietly() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + c, e);
        }
    }
}
