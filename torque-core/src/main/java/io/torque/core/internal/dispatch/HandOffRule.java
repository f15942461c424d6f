package io.torque.core.internal.dispatch;

/**
 * The dispatcher's decision for one round of one loop: with e ready events, which other loop (if
 * any) gets ⌊e/2⌋ of them. A recipient is chosen at random on the Pareto frontier of the other
 * loops; it gets the events only if it is a slacker (fewer outstanding events than this loop).
 * Allocation-free; one per loop, used by its thread only.
 */
public final class HandOffRule {
    private final int self;
    private final int[] distance;
    private final long[] lastGiven;
    private final int[] candidate;
    private final long[] candidateOutstanding;
    private final long[] candidateSince;
    private final int[] candidateDistance;
    private final ParetoFrontier frontier;

    /**
     * @param self this loop's index
     * @param distance the topological distance from this loop to each loop, by index
     * @param seed this loop's PRNG seed
     */
    public HandOffRule(int self, int[] distance, long seed) {
        int n = distance.length;
        this.self = self;
        this.distance = distance.clone();
        this.lastGiven = new long[n];
        this.candidate = new int[n];
        this.candidateOutstanding = new long[n];
        this.candidateSince = new long[n];
        this.candidateDistance = new int[n];
        this.frontier = new ParetoFrontier(n, seed);
    }

    /** A loop that has been working for longer than this in one pass is no slacker. */
    public static final long BUSY_NANOS = 100_000;

    /**
     * The loop to hand ⌊e/2⌋ of this round's events to, or -1 to keep them all: when e is at
     * most 1, when there is no other loop, or when the frontier's pick has no fewer outstanding
     * events than this loop. Loops busy for over {@link #BUSY_NANOS} in their current pass (a
     * long callback: their queue looks short, but a hand-off would wait) are no candidates.
     * Records the hand-off for the "rounds since last given" criterion.
     *
     * @param round this loop's round number (increasing)
     * @param now System.nanoTime now
     */
    public int recipient(int e, long round, Scoreboard board, long now) {
        if (e <= 1 || distance.length <= 1) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < distance.length; i++) {
            long busySince = board.get(i, Scoreboard.BUSY_SINCE);
            if (i != self && (busySince == 0 || now - busySince <= BUSY_NANOS)) {
                candidate[n] = i;
                candidateOutstanding[n] = board.get(i, Scoreboard.OUTSTANDING);
                candidateSince[n] = round - lastGiven[i];
                candidateDistance[n] = distance[i];
                n++;
            }
        }
        int pick = frontier.choose(n, candidateOutstanding, candidateSince, candidateDistance);
        if (pick < 0 || candidateOutstanding[pick] >= board.get(self, Scoreboard.OUTSTANDING)) {
            return -1; // not a slacker: handing over would only move the queue
        }
        lastGiven[candidate[pick]] = round;
        return candidate[pick];
    }
}
