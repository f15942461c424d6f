package io.torque.core.internal.loop;

import java.util.function.Consumer;

import io.torque.topology.CpuSet;

/**
 * Whether a pinned loop keeps its one CPU. A pin pays while the CPU is the loop's alone: its
 * caches stay warm and the dispatcher's distances hold. When something else wants that CPU (a
 * load generator, another service, a second torque context on the same machine), a pinned
 * thread can only queue behind it while the kernel leaves other CPUs idle. Measured on a 2-CPU VM
 * with wrk on the same CPUs: pinned loops served 0.7 times what the same loops served unpinned.
 *
 * <p>So a loop whose thread waited for its CPU {@link #YIELD_SHARE} or more of a
 * {@link CpuWaitSampler} period, {@link #YIELD_AFTER} periods in a row, yields its pin: its
 * affinity widens to its wide set (the context's usable CPUs on the loop's NUMA node, so memory
 * stays local; all of them where the node has no other), and the kernel places it. After a hold it pins itself again; if contention comes
 * back sooner than one hold after that, the next hold is twice as long (up to
 * {@link #MAX_HOLD_NANOS}), so a machine that stays shared costs a pin attempt a minute at most.
 * A pin kept longer than a hold starts the holds over.
 *
 * <p>Samples come only from the loop's idle path: a loop that never goes idle keeps the
 * affinity it has, and where schedstat is unreadable a loop never yields its pin. The YIELD_AFTER
 * samples are at least a period apart, so "in a row" means 30 ms or more. If the kernel refuses a
 * change, the loop keeps the affinity it has and the governor stops.
 *
 * <p>Loop thread only: it sets the calling thread's affinity.
 */
final class PinGovernor {
    /** A sample in which the thread waited this share of the period for its CPU counts against the pin. */
    static final double YIELD_SHARE = 0.10;
    /** Contended samples in a row before the pin is yielded (30 ms of contention or more). */
    static final int YIELD_AFTER = 3;
    /** The first hold: how long a yielded pin stays yielded. */
    static final long FIRST_HOLD_NANOS = 1_000_000_000L;
    /** The longest hold. */
    static final long MAX_HOLD_NANOS = 64_000_000_000L;

    private static final System.Logger LOG = System.getLogger(PinGovernor.class.getName());

    private final CpuSet home;
    private final CpuSet wide;
    private final Consumer<CpuSet> affinity;
    private final String name;
    private boolean enabled;
    private boolean pinned = true;
    private int contendedRun;
    private long hold = FIRST_HOLD_NANOS;
    private long since;
    private int yields;

    /**
     * A governor for a thread already pinned to {@code home}.
     *
     * @param home the loop's CPU
     * @param wide where it may run while its CPU is contended; equal to home: never yield
     * @param affinity sets the calling thread's affinity (Affinity::pin; a recorder in tests)
     * @param name the loop, for the log
     */
    PinGovernor(CpuSet home, CpuSet wide, Consumer<CpuSet> affinity, String name) {
        this.home = home;
        this.wide = wide;
        this.affinity = affinity;
        this.name = name;
        this.enabled = !wide.equals(home) && wide.containsAll(home);
    }

    /** A governor that never changes anything: the loop is not pinned. */
    static PinGovernor off() {
        return new PinGovernor(CpuSet.EMPTY, CpuSet.EMPTY, cpus -> { }, "");
    }

    /**
     * A new run-queue sample.
     *
     * @param waitShare the share of the last period the thread waited for a CPU
     * @param now System.nanoTime
     */
    void onSample(double waitShare, long now) {
        if (!enabled) {
            return;
        }
        if (!pinned) {
            if (now - since >= hold && apply(home)) {
                pinned = true;
                since = now;
            }
            return;
        }
        contendedRun = waitShare >= YIELD_SHARE ? contendedRun + 1 : 0;
        if (contendedRun < YIELD_AFTER) {
            return;
        }
        contendedRun = 0;
        boolean soonAfterRepin = yields > 0 && now - since < hold;
        hold = soonAfterRepin ? Math.min(hold * 2, MAX_HOLD_NANOS) : FIRST_HOLD_NANOS;
        if (apply(wide)) {
            pinned = false;
            since = now;
            yields++;
        }
    }

    /** Whether the thread is on its one CPU now. */
    boolean pinned() {
        return pinned;
    }

    /** How long the current or next yield holds, in nanoseconds. */
    long holdNanos() {
        return hold;
    }

    /** Whether the governor may still change the affinity. */
    boolean enabled() {
        return enabled;
    }

    private boolean apply(CpuSet cpus) {
        try {
            affinity.accept(cpus);
        } catch (RuntimeException e) {
            enabled = false; // the CPUs allowed changed under us (cgroup, hotplug): leave the affinity as it is
            LOG.log(System.Logger.Level.WARNING, name + " could not set its affinity to " + cpus
                    + "; it keeps the one it has and stops yielding its pin", e);
            return false;
        }
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, name + (cpus == home ? " pinned again to " : " waits for its CPU: runs on ")
                    + cpus);
        }
        return true;
    }
}
