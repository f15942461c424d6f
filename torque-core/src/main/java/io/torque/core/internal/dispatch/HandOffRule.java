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
     * What waking a loop parked in epoll_wait costs before it starts a handed source
     * (HandoffBench's p50 on the 16-CPU machine: 29 us). A parked loop is a candidate only when
     * the half this loop keeps would take longer than that: otherwise the handed half would
     * start later on the recipient than here (docs/dispatch.md, "the wake-up margin").
     */
    public static final long PARKED_WAKE_NANOS = 30_000;

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
        return recipient(e, round, board, now, Long.MAX_VALUE / 4);
    }

    /**
     * As {@link #recipient(int, long, Scoreboard, long)}, with the wake-up margin: a loop that
     * published {@link Scoreboard#PARKED} is a candidate only if working the half this loop keeps
     * (e - ⌊e/2⌋ turns of {@code turnNanos} each) takes longer than {@link #PARKED_WAKE_NANOS}.
     *
     * @param turnNanos this loop's recent mean turn length (an estimate; LoopRound starts it at
     *     {@link #PARKED_WAKE_NANOS})
     */
    public int recipient(int e, long round, Scoreboard board, long now, long turnNanos) {
        return recipient(e, round, board, now, turnNanos, false);
    }

    /**
     * As {@link #recipient(int, long, Scoreboard, long, long)}; on a {@code crowded} machine
     * (more runnable threads than CPUs) the margin applies to every candidate, not only parked
     * ones: a loop that is spinning or working may not be on a CPU at all, and the handed half
     * would wait for the scheduler as it would for a wake-up.
     *
     * @param crowded whether the machine looked crowded at this loop's last idle sample
     */
    public int recipient(int e, long round, Scoreboard board, long now, long turnNanos, boolean crowded) {
        if (e <= 1 || distance.length <= 1) {
            return -1;
        }
        // keep × turn > wake, without a product that could overflow (keep and wake are positive)
        boolean worthAWakeUp = turnNanos > PARKED_WAKE_NANOS / (e - e / 2);
        if (crowded && !worthAWakeUp) {
            return -1;
        }
        int n = candidates(board, round, now, worthAWakeUp);
        int pick = frontier.choose(n, candidateOutstanding, candidateSince, candidateDistance);
        if (pick < 0 || candidateOutstanding[pick] >= board.get(self, Scoreboard.OUTSTANDING)) {
            return -1; // not a slacker: handing over would only move the queue
        }
        lastGiven[candidate[pick]] = round;
        return candidate[pick];
    }

    /**
     * A candidate rule (docs/scale.md): up to {@code max} recipients for this round, each a
     * slacker drawn at random from the frontier of the candidates not yet drawn, so a hot loop
     * can share a round with several neighbours instead of keeping half of it. Fills
     * {@code out} with them and returns how many (0: keep all). The caller gives each
     * ⌊e/(m+1)⌋ of the round and keeps the rest. At most e - 1 recipients, so each gets one
     * source at least. Candidates and the busy rule as in {@link #recipient} (without the
     * wake-up margin); a drawn candidate that is no slacker is passed over. Allocation-free.
     */
    public int recipients(int e, long round, Scoreboard board, long now, int max, int[] out) {
        return recipients(e, round, board, now, max, false, out);
    }

    /**
     * As {@link #recipients(int, long, Scoreboard, long, int, int[])}; with {@code idleOnly},
     * only loops that are idle (nothing outstanding, not working) are candidates: the caller
     * then gives each one source, which it can start at once (feeding idle loops, the push
     * form of an idle loop's pull).
     */
    public int recipients(int e, long round, Scoreboard board, long now, int max, boolean idleOnly, int[] out) {
        if (e <= 1 || distance.length <= 1 || max < 1) {
            return 0;
        }
        int n = candidates(board, round, now, true);
        if (idleOnly) {
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (candidateOutstanding[i] <= 0 && board.get(candidate[i], Scoreboard.BUSY_SINCE) == 0) {
                    candidate[kept] = candidate[i];
                    candidateOutstanding[kept] = candidateOutstanding[i];
                    candidateSince[kept] = candidateSince[i];
                    candidateDistance[kept] = candidateDistance[i];
                    kept++;
                }
            }
            n = kept;
        }
        long own = board.get(self, Scoreboard.OUTSTANDING);
        int limit = Math.min(Math.min(max, e - 1), out.length);
        int m = 0;
        while (m < limit && n > 0) {
            int pick = frontier.choose(n, candidateOutstanding, candidateSince, candidateDistance);
            if (candidateOutstanding[pick] < own) {
                out[m++] = candidate[pick];
                lastGiven[candidate[pick]] = round;
            }
            n--; // drawn: swap the last candidate into its place
            candidate[pick] = candidate[n];
            candidateOutstanding[pick] = candidateOutstanding[n];
            candidateSince[pick] = candidateSince[n];
            candidateDistance[pick] = candidateDistance[n];
        }
        return m;
    }

    /**
     * Fills the candidate arrays: every other loop not busy for over BUSY_NANOS (and, without
     * {@code parked}, not parked); returns how many.
     */
    private int candidates(Scoreboard board, long round, long now, boolean parked) {
        int n = 0;
        for (int i = 0; i < distance.length; i++) {
            long busySince = board.get(i, Scoreboard.BUSY_SINCE);
            if (i != self && (busySince == 0 || now - busySince <= BUSY_NANOS)
                    && (parked || board.get(i, Scoreboard.PARKED) == 0)) {
                candidate[n] = i;
                candidateOutstanding[n] = board.get(i, Scoreboard.OUTSTANDING);
                candidateSince[n] = round - lastGiven[i];
                candidateDistance[n] = distance[i];
                n++;
            }
        }
        return n;
    }
}
