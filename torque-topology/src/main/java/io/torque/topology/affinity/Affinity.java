package io.torque.topology.affinity;

import java.util.Arrays;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

import io.torque.topology.CpuSet;
import io.torque.topology.CpuSetBuilder;

/**
 * The calling thread's CPU affinity: {@code sched_getaffinity}, {@code sched_setaffinity} and
 * {@code sched_getcpu}, through JNA.
 *
 * <p>Every method acts on the <em>calling</em> thread only. A thread started by a pinned thread
 * inherits its mask, so pin from the thread that should run pinned, never from the thread that
 * creates it. Threadsafe; the JNA binding loads on first use.
 */
public final class Affinity {
    private static final int EINVAL = 22;
    private static final int MAX_MASK_WORDS = 1 << 14; // 1 048 576 CPUs

    private Affinity() {
    }

    /**
     * Whether affinity calls work here (Linux, with JNA able to load libc).
     *
     * @return true if the other methods can work; probed once, the answer never changes
     */
    public static boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    /**
     * Why affinity is unavailable, or null when it is available.
     *
     * @return the failure of the one-time probe (an {@link UnsupportedOperationException} off
     *     Linux, or JNA's error), or null
     */
    public static Throwable unavailabilityCause() {
        return Holder.CAUSE;
    }

    /**
     * The CPUs the calling thread may run on.
     *
     * @return the calling thread's affinity mask, never empty
     * @throws AffinityException if affinity is unavailable or the kernel refuses
     */
    public static CpuSet current() {
        LibC libc = libc();
        int words = 16; // 1024 CPUs; doubled while the kernel says the mask is too small
        while (true) {
            long[] mask = new long[words];
            try {
                int bytes = libc.sched_getaffinity(0, new NativeLong(mask.length * 8L), mask);
                return toSet(mask, bytes > 0 ? bytes / 8 : mask.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINVAL && words < MAX_MASK_WORDS) {
                    words *= 2;
                    continue;
                }
                throw new AffinityException("sched_getaffinity failed: errno " + e.getErrorCode(), e);
            }
        }
    }

    /**
     * Restricts the calling thread to {@code cpus}.
     *
     * <p>Either the thread ends up on exactly {@code cpus} or nothing changes: if the kernel
     * would silently narrow the set (some CPUs offline or outside the process's cgroup cpuset),
     * the previous mask is restored and the call fails, naming the CPUs that are not allowed.
     *
     * @param cpus the CPUs the calling thread may run on from now on
     * @throws IllegalArgumentException if {@code cpus} is empty
     * @throws AffinityException if a CPU is not allowed, or affinity is unavailable
     */
    public static void pin(CpuSet cpus) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("cannot pin to an empty CPU set");
        }
        LibC libc = libc();
        CpuSet before = current();
        long[] mask = toMask(cpus);
        try {
            libc.sched_setaffinity(0, new NativeLong(mask.length * 8L), mask);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINVAL) {
                throw new AffinityException("cannot pin to CPUs " + cpus
                        + ": none of them is online and allowed for this process (errno EINVAL)", e);
            }
            throw new AffinityException("sched_setaffinity(" + cpus + ") failed: errno " + e.getErrorCode(), e);
        }
        CpuSet after = current();
        if (!after.equals(cpus)) {
            long[] restore = toMask(before);
            libc.sched_setaffinity(0, new NativeLong(restore.length * 8L), restore);
            throw new AffinityException("cannot pin to CPUs " + cpus + ": CPU(s) " + cpus.andNot(after)
                    + " are not online or outside this process's allowed set");
        }
    }

    /**
     * The CPU the calling thread runs on at this instant (it may move right after, unless pinned
     * to one CPU).
     *
     * @return the OS number of the CPU running the calling thread
     * @throws AffinityException if unavailable, or {@code sched_getcpu} fails
     */
    public static int currentCpu() {
        try {
            return libc().sched_getcpu();
        } catch (LastErrorException e) {
            throw new AffinityException("sched_getcpu failed: errno " + e.getErrorCode(), e);
        }
    }

    /**
     * The base page size of this machine in bytes.
     *
     * @return libc's {@code getpagesize()}, such as 4096
     * @throws AffinityException if unavailable
     */
    public static long pageSize() {
        return libc().getpagesize();
    }

    private static LibC libc() {
        if (Holder.CAUSE != null) {
            throw new AffinityException("CPU affinity is unavailable: " + Holder.CAUSE, Holder.CAUSE);
        }
        return LibC.INSTANCE;
    }

    private static long[] toMask(CpuSet cpus) {
        long[] mask = new long[Math.max(16, (cpus.last() >>> 6) + 1)];
        for (int cpu : cpus.toArray()) {
            mask[cpu >>> 6] |= 1L << cpu;
        }
        return mask;
    }

    private static CpuSet toSet(long[] mask, int words) {
        CpuSetBuilder b = CpuSet.builder();
        long[] used = Arrays.copyOf(mask, Math.min(words, mask.length));
        for (int w = 0; w < used.length; w++) {
            long bits = used[w];
            while (bits != 0) {
                b.add(w * 64 + Long.numberOfTrailingZeros(bits));
                bits &= bits - 1;
            }
        }
        return b.build();
    }

    /** Probes the binding once, lazily. */
    private static final class Holder {
        static final Throwable CAUSE = probe();

        private static Throwable probe() {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                return new UnsupportedOperationException("CPU affinity needs Linux, not " + System.getProperty("os.name"));
            }
            try {
                LibC.INSTANCE.sched_getcpu();
                return null;
            } catch (Throwable t) { // LinkageError from JNA, LastErrorException: both mean "unavailable"
                return t;
            }
        }
    }
}
