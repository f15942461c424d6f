package io.torque.bench.sim;

/** A growable ring of ints used as a FIFO, with removal from either end; no boxing, no per-item allocation. */
final class IntRing {
    private int[] items = new int[16];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(int v) {
        if (size == items.length) {
            int[] bigger = new int[items.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = items[(head + i) & (items.length - 1)];
            }
            items = bigger;
            head = 0;
        }
        items[(head + size++) & (items.length - 1)] = v;
    }

    int pollFirst() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        int v = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }

    int pollLast() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        size--;
        return items[(head + size) & (items.length - 1)];
    }

    /** The i-th item from the head. */
    int get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    /** Moves the last {@code k} items to the tail of {@code to}, keeping their order. */
    void moveLastTo(int k, IntRing to) {
        for (int i = size - k; i < size; i++) {
            to.add(get(i));
        }
        size -= k;
    }

    /** Moves the first {@code k} items to the tail of {@code to}, keeping their order. */
    void moveFirstTo(int k, IntRing to) {
        for (int i = 0; i < k; i++) {
            to.add(pollFirst());
        }
    }
}
