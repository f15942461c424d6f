package io.torque.core.internal.loop;

/**
 * Decides how long a loop may spin before it blocks: its configured budget while the loop's
 * thread gets a CPU whenever it wants one, nothing while it waits for one. A spinning loop on a
 * machine whose CPUs are all busy (a load generator beside the server, more threads than CPUs)
 * takes CPU time from the very work it is waiting for; Netty's loops, which block at once, win
 * there. The signal is the thread's run-queue wait from {@code /proc/thread-self/schedstat}
 * (time runnable but not running), sampled at most every {@link #PERIOD_NANOS} from the loop's
 * idle path, so it costs no timer and nothing on a busy loop.
 *
 * <p>Loop thread only. Where schedstat is unreadable the budget stays as configured.
 */
final class SpinGovernor implements AutoCloseable {
    /** How often the run-queue wait is sampled. */
    static final long PERIOD_NANOS = 10_000_000L;
    /** Waiting for a CPU this share of a period or more means the CPUs are contended. */
    static final double CONTENDED = 0.02;

    private final long maxSpinNanos;
    private final boolean adaptive;
    private long budget;
    private long lastWait = -1;
    private long lastSample;
    private SchedStat stat;

    SpinGovernor(long maxSpinNanos, boolean adaptive) {
        this.maxSpinNanos = maxSpinNanos;
        this.adaptive = adaptive && maxSpinNanos > 0;
        this.budget = maxSpinNanos;
    }

    /** The spin budget now, in nanoseconds. */
    long budget() {
        return budget;
    }

    /** Called on the idle path; samples the run-queue wait once a period has passed. */
    void onIdle(long now) {
        if (!adaptive || now - lastSample < PERIOD_NANOS) {
            return;
        }
        if (stat == null) {
            stat = new SchedStat(); // on the loop's thread: thread-self is this thread
        }
        long wait = stat.runQueueWaitNanos();
        if (wait >= 0 && lastWait >= 0) {
            budget = budgetFor(maxSpinNanos, wait - lastWait, now - lastSample);
        }
        lastWait = wait;
        lastSample = now;
    }

    /** The budget after a period of {@code periodNanos} in which the thread waited {@code waitedNanos} for a CPU. */
    static long budgetFor(long maxSpinNanos, long waitedNanos, long periodNanos) {
        return waitedNanos >= periodNanos * CONTENDED ? 0 : maxSpinNanos;
    }

    @Override
    public void close() {
        if (stat != null) {
            stat.close();
        }
    }
}
