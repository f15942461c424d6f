package io.torque.core.internal.loop;

/**
 * How long an idle loop spins before it blocks. Spinning keeps a busy loop's wake-up short, but
 * it only pays while nobody else wants the CPU: while the loop's thread waits for a CPU (a
 * {@link CpuWaitSampler} share of {@link #CONTENDED} or more), or while the machine often has
 * more runnable threads than CPUs, the spin steals time from whoever would run, and the budget
 * drops to zero. (With wrk on the same 2 CPUs both signals held in most samples; the loops'
 * threads waited for a CPU about 45% of the time.)
 *
 * <p>Spinning also has to pay: it is worth its CPU only when work tends to arrive within the
 * budget. The governor keeps a moving score of its idle episodes, a hit when work came while it
 * spun, a miss when it had to block anyway; while fewer than a quarter of recent episodes were
 * hits, it blocks at once, spinning only every {@link #PROBE_EVERY}th episode to see whether the
 * traffic changed. A loop of a lightly used or many-loop server then costs what Netty's costs
 * (measured on 16 CPUs: spinning loops used three times Netty's CPU for the same pingpong
 * throughput), while a busy loop, whose spins mostly find work, keeps the short wake-up.
 *
 * <p>Loop thread only.
 */
final class SpinGovernor {
    /** Waiting for a CPU this share of a period or more means the CPUs are contended. */
    static final double CONTENDED = 0.02;

    private final long maxSpinNanos;
    private final boolean adaptive;
    /** Every this many idle episodes a loop that stopped spinning spins once, to re-measure. */
    static final int PROBE_EVERY = 16;
    /** The hit score's scale: 1024 = every episode a hit. */
    private static final int SCORE_ONE = 1024;

    private long budget;
    /** Moving share of idle episodes in which spinning found work, out of {@link #SCORE_ONE}. */
    private int hitScore = SCORE_ONE;
    /** Moving share of samples in which the machine was crowded, out of {@link #SCORE_ONE}. */
    private int crowdScore;
    private int episodes;
    private boolean contended;

    SpinGovernor(long maxSpinNanos, boolean adaptive) {
        this.maxSpinNanos = maxSpinNanos;
        this.adaptive = adaptive && maxSpinNanos > 0;
        this.budget = maxSpinNanos;
    }

    /** The spin budget for the idle episode beginning now, in nanoseconds. */
    long budget() {
        return budget;
    }

    /**
     * An idle episode ended: with work found while spinning ({@code hit}), or by blocking. Only
     * episodes that spun say anything about the traffic: one that blocked at once (the budget
     * was 0) is neither hit nor miss, it only counts towards the next probe. Nothing is learnt
     * while contended: a contended loop does not spin.
     */
    void episodeEnded(boolean hit) {
        if (contended || !adaptive) {
            return;
        }
        if (budget > 0) {
            hitScore += ((hit ? SCORE_ONE : 0) - hitScore) >> 3; // an 8-episode moving average
        }
        episodes++;
        budget = hitScore >= SCORE_ONE / 4 || episodes % PROBE_EVERY == 0 ? maxSpinNanos : 0;
    }

    /** Whether the budget adapts at all (a budget of 0 or a fixed one does not). */
    boolean adaptive() {
        return adaptive;
    }

    /**
     * A new sample: spinning stops while the thread waits for its CPU, or while the machine is
     * crowded in a quarter or more of recent samples (a spinning loop then keeps some thread from
     * running: a client on the same machine, another service); it comes back when neither holds,
     * if spinning paid before.
     *
     * @param waitShare the share of the last period the thread waited for a CPU
     * @param crowded whether more threads were runnable than CPUs online at the sample
     */
    void onSample(double waitShare, boolean crowded) {
        if (!adaptive) {
            return;
        }
        crowdScore += ((crowded ? SCORE_ONE : 0) - crowdScore) >> 3; // an 8-sample moving average
        contended = isContended(waitShare) || crowdScore >= SCORE_ONE / 4;
        if (contended) {
            budget = 0;
        } else if (budget == 0 && hitScore >= SCORE_ONE / 4) {
            budget = maxSpinNanos; // contention is over, and spinning paid before it
        }
    }

    static boolean isContended(double waitShare) {
        return waitShare >= CONTENDED;
    }
}
