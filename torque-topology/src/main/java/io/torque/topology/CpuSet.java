package io.torque.topology;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.stream.IntStream;

/**
 * An immutable set of OS CPU numbers (the numbers Linux gives CPUs: {@code cpu7} is 7).
 *
 * <p>There is no upper bound: machines with more than 64 or 1024 CPUs, and sparse numbering,
 * are represented exactly. Two text forms are understood, both as the kernel writes them:
 * the list form {@code "0-3,8,10-11"} ({@link #parseList}) and the mask form, comma-separated
 * 32-bit hex words, most significant first, {@code "00000000,0000010f"} ({@link #parseMask}).
 * {@link #toString()} writes the list form.
 *
 * <p>Instances are immutable and threadsafe.
 */
public final class CpuSet implements Comparable<CpuSet> {
    private static final long[] NO_WORDS = new long[0];
    /** The empty set. */
    public static final CpuSet EMPTY = new CpuSet(NO_WORDS);

    /** Bit {@code cpu % 64} of word {@code cpu / 64}; trailing zero words are trimmed. */
    private final long[] words;

    private CpuSet(long[] words) {
        this.words = words;
    }

    /** A set of the bits in {@code words}, which it takes over (package-private: for the builder). */
    static CpuSet trimmed(long[] words) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) {
            n--;
        }
        if (n == 0) {
            return EMPTY;
        }
        return new CpuSet(n == words.length ? words : Arrays.copyOf(words, n));
    }

    /**
     * The set of the given CPU numbers.
     *
     * @param cpus the CPU numbers, in any order; duplicates count once
     * @return the set of them, {@link #EMPTY} when none are given
     * @throws IllegalArgumentException if a number is negative
     */
    public static CpuSet of(int... cpus) {
        CpuSetBuilder b = builder();
        for (int cpu : cpus) {
            b.add(cpu);
        }
        return b.build();
    }

    /**
     * The CPUs {@code from} to {@code to}, both included.
     *
     * @param from the lowest CPU number
     * @param to the highest CPU number
     * @return the set of them, {@link #EMPTY} when {@code to < from}
     * @throws IllegalArgumentException if {@code from} is negative and {@code from <= to}
     */
    public static CpuSet range(int from, int to) {
        return builder().addRange(from, to).build();
    }

    /**
     * Parses the kernel's list form, such as {@code "0-3,8,10-11"}. Blank text is the empty set.
     * Surrounding white space (a trailing newline) is ignored. The kernel's stride form
     * {@code "0-15:2/4"} (the first 2 CPUs of every group of 4) is understood too.
     *
     * @param text the list, as read from a sysfs file such as {@code cpu/online}
     * @return the set it names, {@link #EMPTY} for blank text
     * @throws IllegalArgumentException if the text is not a CPU list (a range that runs backwards
     *     or a stride that is not positive included)
     */
    public static CpuSet parseList(String text) {
        return CpuSetText.parseList(text);
    }

    /**
     * Parses the kernel's mask form: comma-separated hex words of 32 bits, most significant
     * first, such as {@code "00000000,0000010f"} (CPUs 0-3 and 8). A single long word without
     * commas ({@code "ff"}) is accepted too, as is a {@code 0x} prefix on each word.
     *
     * @param text the mask, as read from a sysfs file such as {@code topology/core_cpus};
     *     surrounding white space is ignored
     * @return the set it names, {@link #EMPTY} for blank text or an all-zero mask
     * @throws IllegalArgumentException if the text is not a CPU mask
     */
    public static CpuSet parseMask(String text) {
        return CpuSetText.parseMask(text);
    }

    /**
     * A builder that accumulates CPU numbers. Not threadsafe.
     *
     * @return a new, empty builder
     */
    public static CpuSetBuilder builder() {
        return new CpuSetBuilder();
    }

    /**
     * Whether {@code cpu} is in this set; false for negative numbers.
     *
     * @param cpu an OS CPU number
     * @return true if the set holds it
     */
    public boolean contains(int cpu) {
        if (cpu < 0) {
            return false;
        }
        int w = cpu >>> 6;
        return w < words.length && (words[w] & (1L << cpu)) != 0;
    }

    /**
     * Whether every CPU of {@code other} is in this set.
     *
     * @param other the set to look for
     * @return true if {@code other} is a subset of this one (always for the empty set)
     */
    public boolean containsAll(CpuSet other) {
        if (other.words.length > words.length) {
            return false;
        }
        for (int i = 0; i < other.words.length; i++) {
            if ((other.words[i] & ~words[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the two sets share a CPU.
     *
     * @param other the other set
     * @return true if at least one CPU is in both sets (never for an empty set)
     */
    public boolean intersects(CpuSet other) {
        int n = Math.min(words.length, other.words.length);
        for (int i = 0; i < n; i++) {
            if ((words[i] & other.words[i]) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The number of CPUs in the set.
     *
     * @return the CPU count, 0 for the empty set; not the highest CPU number plus one, as
     *     numbering may be sparse
     */
    public int size() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /**
     * Whether the set has no CPU.
     *
     * @return true for the empty set
     */
    public boolean isEmpty() {
        return words.length == 0;
    }

    /**
     * The lowest CPU number.
     *
     * @return the smallest CPU number in the set
     * @throws NoSuchElementException if the set is empty
     */
    public int first() {
        int cpu = next(0);
        if (cpu < 0) {
            throw new NoSuchElementException("empty CPU set");
        }
        return cpu;
    }

    /**
     * The highest CPU number.
     *
     * @return the largest CPU number in the set
     * @throws NoSuchElementException if the set is empty
     */
    public int last() {
        if (words.length == 0) {
            throw new NoSuchElementException("empty CPU set");
        }
        int w = words.length - 1;
        return w * 64 + 63 - Long.numberOfLeadingZeros(words[w]);
    }

    /**
     * The lowest CPU number at or above {@code from}, or -1 if there is none. Iterate with
     * {@code for (int c = s.next(0); c >= 0; c = s.next(c + 1))}.
     *
     * @param from where to start looking; a negative value counts as 0
     * @return the next CPU number in the set, or -1 when there is none at or above {@code from}
     */
    public int next(int from) {
        int start = Math.max(0, from);
        int w = start >>> 6;
        if (w >= words.length) {
            return -1;
        }
        long word = words[w] & (-1L << start);
        while (true) {
            if (word != 0) {
                return w * 64 + Long.numberOfTrailingZeros(word);
            }
            if (++w == words.length) {
                return -1;
            }
            word = words[w];
        }
    }

    /**
     * The CPUs in both sets.
     *
     * @param other the other set
     * @return the intersection, possibly {@link #EMPTY}
     */
    public CpuSet and(CpuSet other) {
        long[] r = new long[Math.min(words.length, other.words.length)];
        for (int i = 0; i < r.length; i++) {
            r[i] = words[i] & other.words[i];
        }
        return trimmed(r);
    }

    /**
     * The CPUs in either set.
     *
     * @param other the other set
     * @return the union
     */
    public CpuSet or(CpuSet other) {
        long[] r = Arrays.copyOf(words, Math.max(words.length, other.words.length));
        for (int i = 0; i < other.words.length; i++) {
            r[i] |= other.words[i];
        }
        return trimmed(r);
    }

    /**
     * The CPUs of this set that are not in {@code other}.
     *
     * @param other the CPUs to leave out
     * @return the difference, possibly {@link #EMPTY}
     */
    public CpuSet andNot(CpuSet other) {
        long[] r = words.clone();
        for (int i = 0; i < Math.min(r.length, other.words.length); i++) {
            r[i] &= ~other.words[i];
        }
        return trimmed(r);
    }

    /**
     * The CPU numbers in ascending order.
     *
     * @return a new array of {@link #size()} elements on each call; empty for the empty set
     */
    public int[] toArray() {
        int[] r = new int[size()];
        int i = 0;
        for (int cpu = next(0); cpu >= 0; cpu = next(cpu + 1)) {
            r[i++] = cpu;
        }
        return r;
    }

    /**
     * The CPU numbers in ascending order.
     *
     * @return a sequential stream of the CPU numbers, ascending
     */
    public IntStream stream() {
        return Arrays.stream(toArray());
    }

    /**
     * An iterator over the CPU numbers in ascending order.
     *
     * @return a new iterator; it does not support removal, the set being immutable
     */
    public PrimitiveIterator.OfInt iterator() {
        return new PrimitiveIterator.OfInt() {
            private int nextCpu = CpuSet.this.next(0);

            @Override
            public boolean hasNext() {
                return nextCpu >= 0;
            }

            @Override
            public int nextInt() {
                if (nextCpu < 0) {
                    throw new NoSuchElementException();
                }
                int cpu = nextCpu;
                nextCpu = CpuSet.this.next(cpu + 1);
                return cpu;
            }
        };
    }

    /** The kernel's list form, such as {@code "0-3,8"}; the empty set is {@code ""}. */
    @Override
    public String toString() {
        return CpuSetText.list(this);
    }

    /**
     * The mask form in 32-bit words, most significant first, such as {@code "0000010f"}.
     *
     * @return comma-separated 8-digit lower-case hex words, as many as the highest CPU needs;
     *     {@code "0"} for the empty set. {@link #parseMask} reads it back.
     */
    public String toMaskString() {
        if (words.length == 0) {
            return "0";
        }
        int chunks = (last() >>> 5) + 1;
        StringBuilder sb = new StringBuilder();
        for (int c = chunks - 1; c >= 0; c--) {
            long word = words[c >>> 1];
            long chunk = (c & 1) == 0 ? word & 0xffffffffL : word >>> 32;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(String.format("%08x", chunk));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet && Arrays.equals(words, ((CpuSet) o).words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    /** Orders by lowest CPU first, then by the next differing CPU; the empty set comes first. */
    @Override
    public int compareTo(CpuSet o) {
        int a = next(0);
        int b = o.next(0);
        while (a >= 0 && a == b) {
            a = next(a + 1);
            b = o.next(b + 1);
        }
        if (a == b) {
            return 0;
        }
        if (a < 0) {
            return -1;
        }
        if (b < 0) {
            return 1;
        }
        return Integer.compare(a, b);
    }
}
