package io.torque.bench.sim;

/**
 * The simulator's pending events: a binary min-heap on (time, insertion order), so events at the
 * same time run in the order they were scheduled and a run is deterministic. Primitive arrays
 * only: scheduling and taking allocate nothing (it grows by doubling, then stays).
 */
final class EventHeap {
    private long[] time = new long[64];
    private long[] seq = new long[64];
    private int[] payload = new int[64];
    private int size;
    private long next;
    private long polledTime;

    boolean isEmpty() {
        return size == 0;
    }

    /** Schedules {@code payload} at time {@code t}. */
    void add(long t, int p) {
        if (size == time.length) {
            time = java.util.Arrays.copyOf(time, size * 2);
            seq = java.util.Arrays.copyOf(seq, size * 2);
            payload = java.util.Arrays.copyOf(payload, size * 2);
        }
        int i = size++;
        long s = next++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(t, s, time[parent], seq[parent])) {
                break;
            }
            time[i] = time[parent];
            seq[i] = seq[parent];
            payload[i] = payload[parent];
            i = parent;
        }
        time[i] = t;
        seq[i] = s;
        payload[i] = p;
    }

    /** Takes the earliest event and returns its payload; its time is then {@link #polledTime()}. */
    int poll() {
        if (size == 0) {
            throw new IllegalStateException("no pending event");
        }
        polledTime = time[0];
        int out = payload[0];
        size--;
        long t = time[size];
        long s = seq[size];
        int p = payload[size];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) {
                break;
            }
            if (c + 1 < size && less(time[c + 1], seq[c + 1], time[c], seq[c])) {
                c++;
            }
            if (!less(time[c], seq[c], t, s)) {
                break;
            }
            time[i] = time[c];
            seq[i] = seq[c];
            payload[i] = payload[c];
            i = c;
        }
        if (size > 0) {
            time[i] = t;
            seq[i] = s;
            payload[i] = p;
        }
        return out;
    }

    long polledTime() {
        return polledTime;
    }

    private static boolean less(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }
}
