package io.torque.bench.sim;

import java.util.Arrays;

/**
 * The simulator's requests: each waits in its source's FIFO (a linked list through recycled
 * slots of primitive arrays) until a turn serves it. Adding and serving allocate nothing once the
 * arrays have grown to the deepest backlog.
 */
final class Requests {
    private long[] arrival = new long[1024];
    private long[] service = new long[1024];
    private int[] next = new int[1024];
    private final IntRing freeSlots = new IntRing();
    private int slotsUsed;
    private final int[] head;
    private final int[] tail;
    private final int[] pending;

    Requests(int sources) {
        head = new int[sources];
        tail = new int[sources];
        pending = new int[sources];
    }

    /** Queues a request for source s; returns how many it has now. */
    int add(int s, long arrivedAt, long serviceNanos) {
        int id = slot();
        arrival[id] = arrivedAt;
        service[id] = serviceNanos;
        next[id] = -1;
        if (pending[s] == 0) {
            head[s] = id;
        } else {
            next[tail[s]] = id;
        }
        tail[s] = id;
        return ++pending[s];
    }

    int pending(int s) {
        return pending[s];
    }

    /**
     * Serves every request source s has, one after another from t, recording each in
     * {@code sojourns}; returns when the last one ends.
     */
    long serveAll(int s, long t, Sojourns sojourns) {
        for (int k = pending[s]; k > 0; k--) {
            int id = head[s];
            head[s] = next[id];
            t += service[id];
            sojourns.record(arrival[id], t);
            freeSlots.add(id);
        }
        pending[s] = 0;
        return t;
    }

    private int slot() {
        if (!freeSlots.isEmpty()) {
            return freeSlots.pollLast();
        }
        if (slotsUsed == arrival.length) {
            arrival = Arrays.copyOf(arrival, slotsUsed * 2);
            service = Arrays.copyOf(service, slotsUsed * 2);
            next = Arrays.copyOf(next, slotsUsed * 2);
        }
        return slotsUsed++;
    }
}
