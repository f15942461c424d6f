package io.torque.core.internal.loop;

/**
 * Who waits for a CPU, sampled at most every {@link #PERIOD_NANOS} from the loop's idle path (it
 * costs no timer and nothing on a busy loop): how much of the last period the loop's own thread
 * spent runnable but not running (schedstat), and whether the machine had more runnable threads
 * than online CPUs at the sample (loadavg), that is whether some thread, ours or not, waited.
 * The spin and pin governors read it.
 *
 * <p>Loop thread only (schedstat's {@code thread-self} is the thread that opens it, on the first
 * sample). Where schedstat is unreadable no sample is ever taken; where loadavg or the online
 * CPUs are unreadable the machine never counts as crowded.
 */
final class CpuWaitSampler implements AutoCloseable {
    /** How often the run-queue wait is sampled. */
    static final long PERIOD_NANOS = 10_000_000L;

    private long lastWait = -1;
    private long lastSample;
    private double waitShare;
    private boolean crowded;
    private final int onlineCpus = onlineCpus();
    private ProcField stat;
    private ProcField loadavg;

    /**
     * Samples if a period has passed since the last sample.
     *
     * @param now System.nanoTime
     * @return whether a new {@link #waitShare()} is available
     */
    boolean sample(long now) {
        if (now - lastSample < PERIOD_NANOS) {
            return false;
        }
        if (stat == null) {
            stat = new ProcField(ProcField.SCHEDSTAT, 1);
            loadavg = new ProcField(ProcField.LOADAVG, 3);
        }
        long wait = stat.read();
        boolean fresh = wait >= 0 && lastWait >= 0;
        if (fresh) {
            waitShare = share(wait - lastWait, now - lastSample);
            crowded = isCrowded(loadavg.read(), onlineCpus);
        }
        lastWait = wait;
        lastSample = now;
        return fresh;
    }

    /** The share of the last sampled period the thread waited for a CPU: 0 to about 1. */
    double waitShare() {
        return waitShare;
    }

    /**
     * Whether the machine had more runnable threads than online CPUs at the last sample (the
     * sampling thread, running, is one of them): then a thread that spins keeps another from
     * running.
     */
    boolean crowded() {
        return crowded;
    }

    static boolean isCrowded(long runnable, int onlineCpus) {
        return onlineCpus > 0 && runnable > onlineCpus;
    }

    /** The online CPUs, from sysfs; 0 where unreadable. */
    static int onlineCpus() {
        try {
            String list = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/online"));
            return io.torque.topology.CpuSet.parseList(list.trim()).size();
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    static double share(long waitedNanos, long periodNanos) {
        return periodNanos <= 0 ? 0 : (double) waitedNanos / periodNanos;
    }

    @Override
    public void close() {
        if (stat != null) {
            stat.close();
        }
        if (loadavg != null) {
            loadavg.close();
        }
    }
}
