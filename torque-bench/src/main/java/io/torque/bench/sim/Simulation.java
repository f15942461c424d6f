package io.torque.bench.sim;

import java.util.SplittableRandom;

import io.torque.core.internal.dispatch.HandOffRule;
import io.torque.core.internal.dispatch.Scoreboard;

/**
 * One run of one policy at one offered load: a discrete-event simulation of the loops.
 *
 * <p>The model follows torque's loop: a source (a connection) becomes ready on its home loop's
 * epoll when a request arrives while it is free; a round takes every ready source (e of them),
 * under PARETO asks the real {@link HandOffRule} (on a real {@link Scoreboard} kept as the loops
 * keep it: outstanding events, busy stamps) whether to hand the last ⌊e/2⌋ to a recipient's
 * inbox, then works the kept sources one turn each; after its round a loop drains what was
 * queued in its inbox (at most 256, handed turns are never handed on), then starts the next
 * round. A turn serves every request of its source that is there when it starts; a source is
 * on one loop at a time, and requests that arrive during its turn make it ready again at home
 * when the turn ends. STEAL_HALF adds Tokio's steal (a loop out of work takes the older half of
 * the first busy loop's unstarted turns, from a random start; a round with more than one
 * source wakes an idle loop to steal; STEAL_EPOLL also lets a thief take what a crowded loop's
 * epoll set holds while that loop is inside a turn); SHARED keeps one FIFO of ready sources for all loops,
 * one turn per round.
 *
 * <p>Allocation-free per event: events, sources and loops live in primitive arrays (event slots
 * are recycled), the event heap and rings grow by doubling and then stay, and the histogram has
 * a fixed range. Deterministic for a seed.
 */
final class Simulation {
    private static final int ARRIVAL = 0;
    private static final int LOOP_START = 1;
    private static final int TURN_END = 2;
    /** A loop idle for the spin window parks: it publishes PARKED, as torque's loop does before epoll_wait. */
    private static final int PARK = 3;
    private static final int IDLE = 0;
    private static final int WAKING = 1;
    private static final int RUNNING = 2;
    private static final int FREE = 0;
    private static final int LISTED = 1;
    private static final int ON_LOOP = 2;
    /** torque's default inbox budget per drain (LoopBudgets). */
    static final int INBOX_BUDGET = 256;

    /** PARETO_REHOME: moving a registration, epoll_ctl DEL and ADD (ExclusivityBench: MOD 343-481 ns each). */
    private static final long REHOME_NANOS = 1_000;

    private final Shape shape;
    private final Policy policy;
    private final double load;
    private final Costs costs;
    private final int n;
    private final int sources;
    private final int[][] distance;
    private final SplittableRandom rng;
    private final SplittableRandom choice;
    private final EventHeap heap = new EventHeap();
    private final Sojourns sojourns = new Sojourns();
    private final Requests requests;

    // Sources.
    private final int[] home;
    private final int[] state;
    private final int[] lastLoop;

    // Loops.
    private final IntRing[] ready;
    private final IntRing[] work;
    private final IntRing[] inbox;
    private final IntRing shared = new IntRing();
    private final int[] loopState;
    private final boolean[] draining;
    private final int[] drainLeft;
    private final long[] idleSince;
    private final long[] busy;
    private final long[] rounds;
    private final int[] crowdedRounds;
    /**
     * PARETO: each loop's recent mean length of its own kept turns (EWMA, 1/8 weight; the engine
     * samples a round's kept turns together, the simulator each kept turn).
     */
    private final long[] turnNanos;
    private final long[] turnStart;
    /** Whether the loop's current turn is one of its own kept ones (not an inbox or stolen turn). */
    private final boolean[] ownTurn;
    private long rehomed;
    private long polledSteals;
    private long refreshed;
    private final int[] current;
    private final int[] idleStack;
    private final int[] idlePos;
    private int idleCount;
    private final HandOffRule[] rules;
    private final int[] recipients;
    private final Scoreboard board;

    // Measurement.
    private long generated;
    /** Closed loop: arrivals put on the heap so far (at most the run's events). */
    private long scheduled;
    /** Whether arrivals are a closed loop ({@code closed:GAP}): each source's next after its reply. */
    private final boolean closed;
    private long handoffs;
    private long handoffDistance;
    private long end;

    Simulation(Shape shape, Policy policy, double load, long seed) {
        if (!(load > 0)) {
            throw new IllegalArgumentException("load must be positive: " + load);
        }
        this.shape = shape;
        this.policy = policy;
        this.load = load;
        this.costs = shape.costs();
        this.closed = shape.arrivals().closed();
        this.n = shape.loops();
        this.distance = shape.distance();
        this.sources = n * shape.sourcesPerLoop();
        this.rng = new SplittableRandom(seed);
        this.choice = new SplittableRandom(seed ^ 0x5DEECE66DL);
        home = new int[sources];
        requests = new Requests(sources);
        state = new int[sources];
        lastLoop = new int[sources];
        for (int s = 0; s < sources; s++) {
            home[s] = s % n;
            lastLoop[s] = home[s];
        }
        ready = new IntRing[n];
        work = new IntRing[n];
        inbox = new IntRing[n];
        loopState = new int[n];
        draining = new boolean[n];
        drainLeft = new int[n];
        idleSince = new long[n];
        busy = new long[n];
        rounds = new long[n];
        crowdedRounds = new int[n];
        turnNanos = new long[n];
        java.util.Arrays.fill(turnNanos, HandOffRule.PARKED_WAKE_NANOS); // as LoopRound starts
        ownTurn = new boolean[n];
        turnStart = new long[n];
        current = new int[n];
        java.util.Arrays.fill(current, -1);
        idleStack = new int[n];
        idlePos = new int[n];
        rules = new HandOffRule[n];
        recipients = new int[Math.max(n, shape.splitMax())];
        board = new Scoreboard(n);
        for (int l = 0; l < n; l++) {
            ready[l] = new IntRing();
            work[l] = new IntRing();
            inbox[l] = new IntRing();
            idleSince[l] = -costs.spinWindowNanos() - 1; // parked at the start
            rules[l] = new HandOffRule(l, distance[l], (0x9E3779B97F4A7C15L * (l + 1)) ^ seed);
            idleStack[idleCount] = l;
            idlePos[l] = idleCount++;
            if (handsOff()) {
                board.publish(l, Scoreboard.PARKED, 1); // as a loop parked since the start says
            }
        }
    }

    /** Runs every arrival to completion. */
    Result run() {
        double mean = shape.service().meanNanos();
        Arrivals.Generator gen = shape.arrivals().start(load * n / mean, mean, rng);
        long warmup = shape.events() / 10;
        if (closed) {
            for (int s = 0; s < sources && scheduled < shape.events(); s++) {
                heap.add(s, ARRIVAL | s << 2); // every source's first request at once, in order
                scheduled++;
            }
        } else {
            heap.add(gen.next(), ARRIVAL);
        }
        while (!heap.isEmpty()) {
            int p = heap.poll();
            long now = heap.polledTime();
            int loop = p >>> 2;
            switch (p & 3) {
                case ARRIVAL -> {
                    if (generated == warmup) {
                        sojourns.startMeasuring(now);
                    }
                    if (closed) {
                        arrive(now, loop); // the event names its source; the next is due after the reply
                    } else {
                        arrive(now, gen.source());
                        if (generated < shape.events()) {
                            heap.add(Math.max(now, gen.next()), ARRIVAL);
                        }
                    }
                }
                case LOOP_START -> advance(loop, now);
                case TURN_END -> turnEnd(loop, now);
                case PARK -> park(loop, now);
                default -> throw new AssertionError(p);
            }
            if ((p & 3) != PARK) {
                end = now; // a park after the last turn is no work
            }
        }
        for (int s = 0; s < sources; s++) {
            if (requests.pending(s) != 0 || state[s] != FREE) {
                throw new IllegalStateException("source " + s + " left with " + requests.pending(s) + " requests in state "
                        + state[s]);
            }
        }
        return result();
    }

    /** Requests served, each once (all of them after {@link #run()}). */
    long completed() {
        return sojourns.completed();
    }

    /** Sources PARETO_REHOME moved to another home loop. */
    long rehomed() {
        return rehomed;
    }

    /** Sources STEAL_EPOLL's thieves took from a crowded loop's epoll set (readiness it had not polled). */
    long polledSteals() {
        return polledSteals;
    }

    /** Sources STEAL_REFRESH's loops queued for thieves from a pass over their own epoll set between turns. */
    long refreshed() {
        return refreshed;
    }

    /** Requests that arrived. */
    long generated() {
        return generated;
    }

    private Result result() {
        double[] utilization = new double[n];
        for (int l = 0; l < n; l++) {
            utilization[l] = end > 0 ? (double) busy[l] / end : 0;
        }
        return new Result(policy, load, sojourns.throughputPerMicro(), sojourns.meanMicros(), sojourns.percentileMicros(50),
                sojourns.percentileMicros(99), sojourns.percentileMicros(99.9), (double) handoffs / generated,
                handoffs == 0 ? 0 : (double) handoffDistance / handoffs, utilization);
    }

    private int chooseSource(int traced) {
        if (traced >= 0) {
            return traced % sources;
        }
        int k = shape.hotLoops();
        if (k == 0 || k == n) {
            return choice(sources);
        }
        int perLoop = shape.sourcesPerLoop();
        if (rng.nextDouble() < Shape.HOT_SHARE) {
            int h = choice(perLoop * k);
            return (h / k) * n + h % k; // homed on loop h % k < k
        }
        int c = choice(perLoop * (n - k));
        return (c / (n - k)) * n + k + c % (n - k);
    }

    private int choice(int bound) {
        return rng.nextInt(bound);
    }

    private void arrive(long now, int traced) {
        int s = chooseSource(traced);
        generated++;
        requests.add(s, now, shape.service().sample(rng));
        if (state[s] == FREE) {
            list(s, now);
        }
    }

    /** The source has requests and is on no loop: make it ready where this policy looks. */
    private void list(int s, long now) {
        state[s] = LISTED;
        if (policy == Policy.SHARED) {
            shared.add(s);
            if (idleCount > 0) {
                wake(idleStack[idleCount - 1], now); // the last to idle: the likeliest still spinning
            }
        } else {
            int h = home[s];
            ready[h].add(s);
            wake(h, now);
            if (pollsEpoll() && loopState[h] == RUNNING && current[h] >= 0 && idleCount > 0
                    && crowdedRounds[h] > 0) {
                // the home is inside a turn: a thief polls its epoll set. The last loop to idle is
                // the likeliest still spinning; STEAL_POLL, as the engine builds it, has no wake-up
                // for this, so only a thief still spinning (polling) finds it
                int thief = idleStack[idleCount - 1];
                if (policy == Policy.STEAL_EPOLL || now - idleSince[thief] <= costs.spinWindowNanos()) {
                    wake(thief, now);
                }
            }
        }
    }

    private void wake(int l, long now) {
        if (loopState[l] != IDLE) {
            return; // running or already being woken: it will look before it idles again
        }
        removeIdle(l);
        loopState[l] = WAKING;
        boolean spinning = now - idleSince[l] <= costs.spinWindowNanos();
        heap.add(now + (spinning ? costs.wakeSpinningNanos() : costs.wakeParkedNanos()), LOOP_START | l << 2);
    }

    private void turnEnd(int l, long now) {
        if (ownTurn[l]) {
            turnNanos[l] += (now - turnStart[l] - turnNanos[l]) >> 3;
        }
        int s = current[l];
        current[l] = -1;
        state[s] = FREE;
        if (handsOff()) {
            board.add(l, Scoreboard.OUTSTANDING, -1);
        }
        if (requests.pending(s) > 0) {
            list(s, now);
        }
        advance(l, now);
    }

    /**
     * The loop is free at {@code now}: its next turn, or idle. Time moves on here only right
     * before a turn starts (round, decision and hand-off costs), so nothing that arrives in
     * between can be missed by a loop that then idles.
     */
    private void advance(int l, long now) {
        loopState[l] = RUNNING;
        if (handsOff()) {
            board.publish(l, Scoreboard.PARKED, 0); // back from epoll_wait, or never parked
        }
        long t = now;
        while (true) {
            if (!draining[l]) {
                if (policy == Policy.STEAL_REFRESH && !work[l].isEmpty() && crowdedRounds[l] > 0 && !ready[l].isEmpty()) {
                    t += costs.roundNanos(); // a non-blocking pass over its own epoll set between turns
                    refreshed += ready[l].size();
                    ready[l].moveFirstTo(ready[l].size(), work[l]);
                    if (work[l].size() > 1 && idleCount > 0) {
                        wake(idleStack[idleCount - 1], t);
                    }
                }
                if (!work[l].isEmpty()) {
                    if (policy == Policy.PARETO_FEED && work[l].size() > 1 && idleCount > 0) {
                        t += costs.decisionNanosPerLoop() * n;
                        int m = rules[l].recipients(work[l].size(), rounds[l], board, t, idleCount, true, recipients);
                        for (int i = 0; i < m; i++) {
                            t = hand(l, recipients[i], 1, t);
                        }
                    }
                    ownTurn[l] = true;
                    startTurn(l, work[l].pollFirst(), now, t);
                    return;
                }
                draining[l] = true;
                drainLeft[l] = Math.min(INBOX_BUDGET, inbox[l].size());
                if (drainLeft[l] > 0 && handsOff()) {
                    board.publish(l, Scoreboard.BUSY_SINCE, t);
                }
            }
            if (drainLeft[l] > 0) {
                drainLeft[l]--;
                ownTurn[l] = false;
                startTurn(l, inbox[l].pollFirst(), now, t);
                return;
            }
            draining[l] = false;
            if (policy == Policy.SHARED) {
                if (!shared.isEmpty()) {
                    ownTurn[l] = false;
                    startTurn(l, shared.pollFirst(), now, t + costs.roundNanos());
                    return;
                }
            } else if (!ready[l].isEmpty()) {
                t = round(l, t);
                continue;
            } else if (!inbox[l].isEmpty()) {
                continue;
            } else if (steals()) {
                long cost = steal(l, t);
                if (cost >= 0) {
                    t += cost;
                    continue;
                }
            }
            goIdle(l, t);
            return;
        }
    }

    private long round(int l, long t) {
        // STEAL_POLL and STEAL_EPOLL: the engine keeps a loop's read readiness in a second epoll
        // set, nested in its own, so each round waits twice (DispatchPolicy.STEAL_POLL).
        t += pollsEpoll() ? 2 * costs.roundNanos() : costs.roundNanos();
        rounds[l]++;
        int e = ready[l].size();
        ready[l].moveFirstTo(e, work[l]);
        crowdedRounds[l] = e > 1 ? crowdedRounds[l] + 1 : 0;
        if (handsOff()) {
            board.publish(l, Scoreboard.BUSY_SINCE, t);
            board.add(l, Scoreboard.OUTSTANDING, e);
            if (e > 1) {
                t += costs.decisionNanosPerLoop() * n;
                if (policy == Policy.PARETO || policy == Policy.PARETO_FEED) {
                    int r = rules[l].recipient(e, rounds[l], board, t, turnNanos[l]);
                    if (r >= 0) {
                        t = hand(l, r, e / 2, t);
                    }
                } else {
                    int m = rules[l].recipients(e, rounds[l], board, t, shape.splitMax(), recipients);
                    t += costs.decisionNanosPerLoop() * n * Math.max(0, m - 1); // one frontier per recipient
                    int share = e / (m + 1);
                    for (int i = 0; i < m; i++) {
                        t = hand(l, recipients[i], share, t);
                    }
                }
            }
        }
        if ((steals()) && e > 1 && idleCount > 0) {
            wake(idleStack[idleCount - 1], t); // a searcher for the rest, as Tokio notifies one
        }
        return t;
    }

    private boolean steals() {
        return policy == Policy.STEAL_HALF || policy == Policy.STEAL_REHOME || policy == Policy.STEAL_REFRESH || pollsEpoll();
    }

    /** STEAL_EPOLL and STEAL_POLL: thieves may take what a crowded loop's epoll set holds. */
    private boolean pollsEpoll() {
        return policy == Policy.STEAL_EPOLL || policy == Policy.STEAL_POLL;
    }

    /** The policies that re-home what a thief takes from a loop crowded for --hot-rounds rounds. */
    private boolean stealRehomes() {
        return policy == Policy.STEAL_REHOME || policy == Policy.STEAL_EPOLL || policy == Policy.STEAL_REFRESH;
    }

    private boolean handsOff() {
        return policy == Policy.PARETO || policy == Policy.PARETO_SPLIT || policy == Policy.PARETO_REHOME
                || policy == Policy.PARETO_FEED;
    }

    /** Hands the last k sources of l's round to r's inbox, as LoopRound does; returns the time after. */
    private long hand(int l, int r, int k, long t) {
        if (policy == Policy.PARETO_REHOME && crowdedRounds[l] >= shape.hotRounds()) {
            for (int i = work[l].size() - k; i < work[l].size(); i++) {
                home[work[l].get(i)] = r; // from now on its readiness shows on r's epoll
            }
            rehomed += k;
            t += REHOME_NANOS * k;
        }
        work[l].moveLastTo(k, inbox[r]);
        board.add(r, Scoreboard.OUTSTANDING, k);
        board.add(l, Scoreboard.OUTSTANDING, -k);
        t += costs.enqueueNanos() * k;
        wake(r, t);
        return t;
    }

    /**
     * Takes the older half of the first loop (from a random start) with unstarted turns; returns
     * what it cost, or -1 when there was nothing to take.
     */
    private long steal(int l, long t) {
        int start = choice.nextInt(n);
        for (int i = 0; i < n; i++) {
            int v = (start + i) % n;
            int size = work[v].size();
            if (v != l && size > 0) {
                int k = size - size / 2;
                long rehome = rehomeFirst(work[v], k, v, l);
                work[v].moveFirstTo(k, work[l]);
                if (handsOff()) { // the victim counted them at its round; they are the thief's now
                    board.add(v, Scoreboard.OUTSTANDING, -k);
                    board.add(l, Scoreboard.OUTSTANDING, k);
                }
                if (!work[v].isEmpty() && idleCount > 0) {
                    wake(idleStack[idleCount - 1], t); // Tokio: a searcher that found work wakes another
                }
                return costs.decisionNanosPerLoop() * n + costs.enqueueNanos() * k + rehome;
            }
        }
        if (pollsEpoll()) {
            for (int i = 0; i < n; i++) {
                int v = (start + i) % n;
                int size = ready[v].size();
                if (v != l && size > 0 && loopState[v] == RUNNING && current[v] >= 0 && crowdedRounds[v] > 0) {
                    int k = size - size / 2; // the older half of what its epoll holds
                    long rehome = rehomeFirst(ready[v], k, v, l);
                    ready[v].moveFirstTo(k, work[l]);
                    polledSteals += k;
                    return costs.decisionNanosPerLoop() * n + costs.roundNanos() + costs.enqueueNanos() * k + rehome;
                }
            }
        }
        return -1;
    }

    /**
     * The re-homing policies: a thief taking the first k of {@code from} from a victim crowded for
     * --hot-rounds rounds takes them for good (their registration moves to it); returns what
     * moving them cost, 0 when they stay homed where they were.
     */
    private long rehomeFirst(IntRing from, int k, int victim, int thief) {
        if (!stealRehomes() || crowdedRounds[victim] < shape.hotRounds()) {
            return 0;
        }
        if (policy == Policy.STEAL_EPOLL && crowdedRounds[thief] > 0) {
            return 0; // as the engine: a thief crowded itself takes no homes (two loops would trade them)
        }
        for (int j = 0; j < k; j++) {
            home[from.get(j)] = thief;
        }
        rehomed += k;
        return REHOME_NANOS * k;
    }

    /** Runs source s's turn on loop l from t; the loop has been busy since busyFrom (costs before it). */
    private void startTurn(int l, int s, long busyFrom, long t) {
        if (state[s] != LISTED || requests.pending(s) == 0) {
            throw new IllegalStateException("source " + s + " started on loop " + l + " in state " + state[s] + " with "
                    + requests.pending(s) + " requests"); // exclusivity: never on two loops, never an empty turn
        }
        state[s] = ON_LOOP;
        current[l] = s;
        int from = lastLoop[s];
        if (from != l) {
            int d = distance[from][l];
            handoffs++;
            handoffDistance += d;
            t += costs.distanceNanos() * d;
            lastLoop[s] = l;
        }
        turnStart[l] = t;
        t = requests.serveAll(s, t, sojourns);
        if (closed && scheduled < shape.events()) {
            heap.add(t + closedGap(s), ARRIVAL | s << 2); // one request at a time: the next after this reply
            scheduled++;
        }
        busy[l] += t - busyFrom;
        heap.add(t, TURN_END | l << 2);
    }

    /**
     * Closed loop: how long after its reply source s sends again (cold sources trickle under
     * skew). Hot are the sources first homed on the hot loops ({@code s % n}, as the placement):
     * a source moved elsewhere stays hot.
     */
    private long closedGap(int s) {
        int k = shape.hotLoops();
        boolean hot = k == 0 || k == n || s % n < k;
        return hot ? shape.arrivals().closedGapNanos() : Arrivals.COLD_GAP_MICROS * 1_000;
    }

    private void goIdle(int l, long t) {
        loopState[l] = IDLE;
        idleSince[l] = t;
        idlePos[l] = idleCount;
        idleStack[idleCount++] = l;
        if (handsOff()) {
            board.publish(l, Scoreboard.BUSY_SINCE, 0);
            heap.add(t + costs.spinWindowNanos(), PARK | l << 2);
        }
    }

    /** The spin window ended: still idle since then, the loop parks in epoll_wait and says so. */
    private void park(int l, long now) {
        if (loopState[l] == IDLE && idleSince[l] + costs.spinWindowNanos() == now) {
            board.publish(l, Scoreboard.PARKED, 1);
        }
    }

    private void removeIdle(int l) {
        int pos = idlePos[l];
        int last = idleStack[--idleCount];
        idleStack[pos] = last;
        idlePos[last] = pos;
    }
}
