package io.torque.topology;

import java.util.Arrays;

/** Accumulates CPU numbers into a {@link CpuSet}. Not threadsafe. */
public final class CpuSetBuilder {
    private long[] words = new long[2];

    CpuSetBuilder() {
    }

    /**
     * Adds one CPU.
     *
     * @param cpu the OS CPU number; adding one already there changes nothing
     * @return this builder
     * @throws IllegalArgumentException if {@code cpu} is negative
     */
    public CpuSetBuilder add(int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("negative CPU number: " + cpu);
        }
        int w = cpu >>> 6;
        if (w >= words.length) {
            words = Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
        }
        words[w] |= 1L << cpu;
        return this;
    }

    /**
     * Adds the CPUs {@code from} to {@code to}, both included.
     *
     * @param from the lowest CPU number
     * @param to the highest CPU number; nothing is added when it is below {@code from}
     * @return this builder
     * @throws IllegalArgumentException if {@code from} is negative and {@code from <= to}
     */
    public CpuSetBuilder addRange(int from, int to) {
        for (int cpu = from; cpu <= to; cpu++) {
            add(cpu);
        }
        return this;
    }

    /**
     * Adds every CPU of {@code set}.
     *
     * @param set the CPUs to add
     * @return this builder
     */
    public CpuSetBuilder addAll(CpuSet set) {
        for (int cpu = set.next(0); cpu >= 0; cpu = set.next(cpu + 1)) {
            add(cpu);
        }
        return this;
    }

    /**
     * The set of the CPUs added so far.
     *
     * @return the set, {@link CpuSet#EMPTY} when nothing was added; the builder stays usable and
     *     later additions do not change it
     */
    public CpuSet build() {
        return CpuSet.trimmed(words.clone());
    }
}
