package io.torque.core.internal.dispatch;

/**
 * The dispatcher's rule: among the candidate recipients of a loop, the ones no other candidate
 * dominates on (outstanding events, lower is better; rounds since the loop last gave them events,
 * higher is better; topological distance, lower is better); then one of those uniformly at
 * random.
 *
 * <p>Candidate a dominates b when a is no worse on all three criteria and better on at least
 * one. Candidates equal on all three do not dominate each other: both stay on the frontier.
 *
 * <p>Allocation-free: callers pass reusable arrays. Not threadsafe; one per loop.
 */
public final class ParetoFrontier {
    private final int[] frontier;
    private final XorShift random;

    /**
     * @param capacity the most candidates one choice will see
     * @param seed the seed of this loop's PRNG (per loop: no shared state between loops)
     */
    public ParetoFrontier(int capacity, long seed) {
        this.frontier = new int[Math.max(1, capacity)];
        this.random = new XorShift(seed);
    }

    /** Whether candidate a dominates candidate b. */
    public static boolean dominates(long outstandingA, long sinceA, int distanceA,
            long outstandingB, long sinceB, int distanceB) {
        boolean noWorse = outstandingA <= outstandingB && sinceA >= sinceB && distanceA <= distanceB;
        boolean better = outstandingA < outstandingB || sinceA > sinceB || distanceA < distanceB;
        return noWorse && better;
    }

    /**
     * Fills {@code out} with the indexes of the undominated candidates among the first
     * {@code n}, ascending, and returns how many there are (at least 1 when n is at least 1).
     * Keeps a running frontier: each candidate is compared with the current frontier only, so the
     * cost is O(n × f) with f the frontier's size, small in practice on three criteria.
     */
    public static int frontier(int n, long[] outstanding, long[] since, int[] distance, int[] out) {
        int size = 0;
        for (int b = 0; b < n; b++) {
            boolean dominated = false;
            for (int k = 0; k < size && !dominated; k++) {
                int a = out[k];
                dominated = dominates(outstanding[a], since[a], distance[a], outstanding[b], since[b], distance[b]);
            }
            if (dominated) {
                continue;
            }
            // b joins; members it dominates leave (domination is transitive, so nothing they
            // dominated needs them as a witness).
            int kept = 0;
            for (int k = 0; k < size; k++) {
                int a = out[k];
                if (!dominates(outstanding[b], since[b], distance[b], outstanding[a], since[a], distance[a])) {
                    out[kept++] = a;
                }
            }
            out[kept++] = b;
            size = kept;
        }
        return size; // ascending: members are appended in index order and removals keep order
    }

    /**
     * One undominated candidate among the first {@code n}, chosen uniformly at random, or -1 when
     * n is 0.
     */
    public int choose(int n, long[] outstanding, long[] since, int[] distance) {
        if (n <= 0) {
            return -1;
        }
        int size = frontier(n, outstanding, since, distance, frontier);
        return frontier[size == 1 ? 0 : nextInt(size)];
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
