package io.torque.core.internal.timer;

import io.torque.core.timer.Timer;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.util.concurrent.ScheduledFuture;
import io.torque.core.internal.loop.Loop;

/**
 * A timer on one loop's clock (Netty's scheduled tasks, fired by the loop's timerfd). Periodic
 * timers run at a fixed rate: each run is due at start + k × period, so lateness of one run does
 * not delay the next ones (no accumulated drift). Internal API.
 */
public final class LoopTimer implements Timer {
    private final Loop loop;
    private final Consumer<Timer> callback;
    private final Runnable onDone;
    private volatile ScheduledFuture<?> future;
    private final java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long runs;

    private LoopTimer(Loop loop, Consumer<Timer> callback, Runnable onDone) {
        this.loop = loop;
        this.callback = callback;
        this.onDone = onDone;
    }

    /**
     * A timer, not scheduled yet: the caller records it first, so that even a timer whose only
     * run ends before {@link #start} returns is forgotten after it was recorded.
     *
     * @param onDone runs once when the timer is cancelled or has fired for the last time
     */
    public static LoopTimer create(Loop loop, Consumer<Timer> callback, Runnable onDone) {
        return new LoopTimer(loop, callback, onDone);
    }

    /**
     * Schedules the callback after {@code delayNanos}, then every {@code periodNanos} (0: once).
     * Once.
     */
    public void start(long delayNanos, long periodNanos) {
        Runnable task = this::fire;
        future = periodNanos > 0
                ? loop.netty().scheduleAtFixedRate(task, delayNanos, periodNanos, TimeUnit.NANOSECONDS)
                : loop.netty().schedule(() -> {
                    fire();
                    done();
                }, delayNanos, TimeUnit.NANOSECONDS);
        if (cancelled.get()) {
            future.cancel(false); // cancelled by its first run, before the future was known
        }
    }

    private void fire() {
        if (cancelled.get()) {
            return;
        }
        runs++; // single writer: the loop thread
        try {
            callback.accept(this);
        } catch (Throwable e) {
            loop.report(this, e);
            cancel();
        }
    }

    private void done() {
        if (cancelled.compareAndSet(false, true)) {
            onDone.run();
        }
    }

    @Override
    public void cancel() {
        if (!cancelled.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> f = future;
        if (f != null) {
            f.cancel(false);
        }
        onDone.run();
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public long runs() {
        return runs;
    }

    @Override
    public String toString() {
        return "timer on " + loop;
    }
}
