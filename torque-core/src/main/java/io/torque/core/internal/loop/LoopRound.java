package io.torque.core.internal.loop;

import java.io.IOException;
import java.util.Arrays;

import org.jctools.queues.atomic.MpscAtomicArrayQueue;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.internal.dispatch.HandOffRule;
import io.torque.core.internal.dispatch.Scoreboard;

/**
 * One loop's side of the dispatcher: the sources that became ready in this round, the decision
 * who handles which, and the inbox of sources other loops handed here. Everything but
 * {@link #offer} and {@link #steals} runs on the loop's thread only.
 */
final class LoopRound {
    private final Loop loop;
    /**
     * Sources handed here by other loops; bounded: a full inbox means "handle it yourself".
     * JCTools' atomic variant (field updaters, padded like the Unsafe one): JDK 24+ warns about
     * every sun.misc.Unsafe user, and this queue needs none.
     */
    private final MpscAtomicArrayQueue<ReadySource> inbox = new MpscAtomicArrayQueue<>(Loop.INBOX_CAPACITY);
    private final int inboxBudget;
    /** Set once, after every loop of the context started (safe publication: final fields). */
    private volatile Loop.Dispatch dispatch;
    // Loop thread only: this round's ready sources and the dispatcher's reusable state.
    private ReadySource[] ready = new ReadySource[64];
    private int readyCount;
    private long rounds;
    // This loop's statistics: only its thread writes them, so they are published with plain
    // (opaque) stores instead of an atomic add per round.
    private long handled;
    private long handedOut;
    private long received;
    private HandOffRule rule;
    /**
     * PARETO: the recent mean length of a turn worked here (EWMA, 1/8 weight), for the wake-up
     * margin. Until measured, a turn is taken to cost a wake-up: a first round of two keeps
     * both, a first round of four or more may wake a parked neighbour.
     */
    private long turnNanos = HandOffRule.PARKED_WAKE_NANOS;
    /**
     * Whether the machine looked crowded at this loop's last idle sample (more runnable threads
     * than CPUs online: {@link CpuWaitSampler}); the wake-up margin then applies to every
     * recipient. Loop thread only.
     */
    private boolean crowded;
    /** When {@link #crowded} was sampled (System.nanoTime); a sample older than {@link #CROWDED_FRESH_NANOS} is ignored. */
    private long crowdedAt;
    /**
     * How long a crowded sample counts: a loop that stops idling stops sampling, so a busy
     * loop's old sample would otherwise hold the gate shut for as long as its load lasts.
     */
    static final long CROWDED_FRESH_NANOS = 4 * CpuWaitSampler.PERIOD_NANOS;

    /** The last idle sample's crowdedness, taken at {@code now} (DutyCycle, loop thread). */
    void crowded(boolean c, long now) {
        crowded = c;
        crowdedAt = now;
    }
    /** STEAL only: this loop's queue of unstarted sources (volatile: thieves read it; set once). */
    private volatile StealQueue steals;
    /** STEAL_EPOLL: rounds in a row with more than one ready source (loop thread; published as {@link Scoreboard#STREAK}). */
    private long crowdedStreak;
    /**
     * STEAL_POLL and STEAL_EPOLL only: this loop's connections in a second epoll set thieves may take readiness from
     * (null when the kernel refused one). Set once before any source registers, published by
     * the volatile write of {@link #dispatch}.
     */
    private StealSet stealSet;
    private static final System.Logger LOG = System.getLogger(LoopRound.class.getName());

    LoopRound(Loop loop, int inboxBudget) {
        this.loop = loop;
        this.inboxBudget = inboxBudget;
    }

    void dispatch(Loop.Dispatch d) {
        // A plain field of the loop thread, published by the volatile write of dispatch below,
        // which the loop reads before it uses it.
        rule = new HandOffRule(loop.index(), d.distance(), 0x9E3779B97F4A7C15L * (loop.index() + 1));
        if (d.policy().steals()) {
            steals = new StealQueue(loop);
        }
        if (d.policy().pollsSets()) {
            try {
                stealSet = StealSet.open(loop);
            } catch (IOException | RuntimeException | LinkageError e) { // LinkageError: JNA could not bind libc
                // thieves then take only what this loop queues; nothing else changes
                LOG.log(System.Logger.Level.WARNING, "loop " + loop + " has no steal set: readiness that arrives during"
                        + " its turns waits for its next round (" + e + ")");
            }
        }
        dispatch = d;
    }

    Loop.Dispatch dispatchOrNull() {
        return dispatch;
    }

    void ready(ReadySource c) {
        if (readyCount == ready.length) {
            ready = Arrays.copyOf(ready, ready.length * 2); // grows, then stays: no per-round allocation
        }
        ready[readyCount++] = c;
    }

    /** Takes {@code c} off the ready list, keeping the others' order. Loop thread only. */
    void unready(ReadySource c) {
        for (int i = 0; i < readyCount; i++) {
            if (ready[i] == c) {
                System.arraycopy(ready, i + 1, ready, i, readyCount - i - 1);
                ready[--readyCount] = null;
                return;
            }
        }
    }

    /** Any thread (the giver's). Release: the recipient sees everything the giver wrote before. */
    boolean offer(ReadySource c) {
        return inbox.offer(c);
    }


    /**
     * The dispatcher's round: e = the sources that became ready. With e > 1, one recipient is
     * chosen at random on the Pareto frontier of the other loops; if it is a slacker, it gets
     * the last ⌊e/2⌋ through its inbox and is woken first; then the rest are handled here. Returns e. A source's work never throws (each contains its own
     * failures), and the ready list is left empty whatever happens.
     */
    int dispatchRound() {
        int e = readyCount;
        if (e == 0) {
            return 0;
        }
        Loop.Dispatch d = dispatch;
        Scoreboard board = d.board();
        int index = loop.index();
        board.publish(index, Scoreboard.ROUNDS, ++rounds);
        if (d.policy() == DispatchPolicy.STEAL_EPOLL) {
            long streak = e > 1 ? crowdedStreak + 1 : 0;
            if (streak != crowdedStreak) {
                crowdedStreak = streak;
                board.publish(index, Scoreboard.STREAK, streak); // thieves move what they take from a loop that stays crowded
            }
        }
        if (d.policy() == DispatchPolicy.STATIC || (d.policy().steals() && e == 1)) {
            return workAllHere(e, board, index); // no decision to feed: no shared counter to bounce
        }
        if (d.policy().steals()) {
            return queueForThieves(e, d, board, index);
        }
        long now = System.nanoTime();
        board.publish(index, Scoreboard.BUSY_SINCE, now); // neighbours see a long round as busy
        board.add(index, Scoreboard.OUTSTANDING, e);
        int keep = e;
        Loop target = null;
        if (d.policy() == DispatchPolicy.PARETO) {
            try {
                int r = rule.recipient(e, rounds, board, now, turnNanos, crowded && now - crowdedAt < CROWDED_FRESH_NANOS);
                if (r >= 0) {
                    target = d.loops()[r];
                    keep = e - e / 2;
                }
            } catch (Throwable t) {
                loop.report(this, t); // keep them all rather than lose their readiness
            }
        }
        int handed = 0;
        int handledHere = 0;
        if (target != null) {
            // The handed half first, and the recipient woken, before this loop works its own
            // half: both halves start at once (handing after working would start the handed
            // half no earlier than STATIC does).
            for (int i = keep; i < e; i++) {
                ReadySource c = ready[i];
                ready[i] = null;
                try {
                    int work = c.takeRound();
                    if (c.claimHandOff()) {
                        board.add(target.index(), Scoreboard.OUTSTANDING, 1); // before the offer: never negative there
                        if (target.round().offer(c)) {
                            handed++;
                            continue;
                        }
                        c.unclaimHandOff();
                        board.add(target.index(), Scoreboard.OUTSTANDING, -1); // full inbox: handle it here
                        c.runRound(loop, work);
                    }
                    // else a handed turn of it is queued already, and will read what this round saw
                } catch (Throwable t) {
                    loop.report(c, t);
                }
                board.add(index, Scoreboard.OUTSTANDING, -1);
                handledHere++;
            }
            if (handed > 0) {
                loop.counters().handOff(d.distance()[target.index()], handed);
                if (io.torque.core.internal.jfr.EventTypes.handOffWanted()) {
                    io.torque.core.internal.jfr.HandOffEvent.emit(index, target.index(), handed, d.distance()[target.index()], "PARETO");
                }
                board.add(index, Scoreboard.OUTSTANDING, -handed);
                handedOut += handed;
                board.publish(index, Scoreboard.HANDED_OUT, handedOut);
                target.netty().wakeup(); // writes the eventfd only if the recipient may be asleep
            }
        }
        long keptFrom = System.nanoTime();
        int keptHere = handledHere;
        for (int i = 0; i < keep; i++) {
            ReadySource c = ready[i];
            ready[i] = null;
            // Each source on its own: whatever happens to one, the others of this round are
            // worked (a source left listed but not worked would never be listed again, and
            // edge-triggered epoll would not tell twice).
            try {
                c.runRound(loop, c.takeRound());
            } catch (Throwable t) {
                loop.report(c, t); // a source broke its contract; the round goes on
            }
            board.add(index, Scoreboard.OUTSTANDING, -1); // per event: neighbours read it mid-round
            handledHere++;
        }
        if (handledHere > keptHere) {
            long sample = (System.nanoTime() - keptFrom) / (handledHere - keptHere);
            turnNanos += (sample - turnNanos) >> 3;
        }
        readyCount = 0;
        handled += handledHere;
        board.publish(index, Scoreboard.HANDLED, handled);
        board.publish(index, Scoreboard.BUSY_SINCE, 0);
        return e;
    }

    /**
     * STATIC: every ready source is worked here, and the round touches no counter another loop
     * writes (outstanding events matter only to a hand-off decision): one plain store for the
     * statistics instead of e + 1 atomic adds on a shared line.
     */
    private int workAllHere(int e, Scoreboard board, int index) {
        for (int i = 0; i < e; i++) {
            ReadySource c = ready[i];
            ready[i] = null;
            try {
                c.runRound(loop, c.takeRound());
            } catch (Throwable t) {
                loop.report(c, t);
            }
        }
        readyCount = 0;
        handled += e;
        board.publish(index, Scoreboard.HANDLED, handled);
        return e;
    }

    /**
     * STEAL: claims each ready source for one queued turn and queues it where idle loops may take
     * it, then works what they leave ({@link StealQueue}). A source already queued somewhere is
     * not queued again (that turn reads what this round saw); one that does not fit in the queue
     * is worked now.
     */
    private int queueForThieves(int e, Loop.Dispatch d, Scoreboard board, int index) {
        StealQueue q = steals;
        int here;
        if (stealSet == null) {
            here = queueAndWork(e, d, q); // STEAL: thieves take only what is queued
        } else {
            // STEAL_POLL, crowded: while this round's turns run, readiness arriving on this
            // loop's sources may be taken from its steal set. Cleared before the next poll of its
            // own epoll set, which then finds what the thieves left.
            board.publish(index, Scoreboard.CROWDED, e);
            try {
                here = queueAndWork(e, d, q);
            } finally {
                board.publish(index, Scoreboard.CROWDED, 0);
            }
        }
        handled += here;
        board.publish(index, Scoreboard.HANDLED, handled);
        return e;
    }

    private int queueAndWork(int e, Loop.Dispatch d, StealQueue q) {
        int queued = 0;
        int here = 0;
        for (int i = 0; i < e; i++) {
            ReadySource c = ready[i];
            ready[i] = null;
            try {
                int work = c.takeRound();
                if (c.claimHandOff()) {
                    if (q.offer(c)) {
                        queued++;
                        continue;
                    }
                    c.unclaimHandOff();
                    c.runRound(loop, work);
                    here++;
                }
            } catch (Throwable t) {
                loop.report(c, t); // a source broke its contract; the round goes on
            }
        }
        readyCount = 0;
        if (queued > 0) {
            here += q.advertiseAndWork(d, queued);
        }
        return here;
    }

    /**
     * STEAL: when this loop has nothing of its own, takes part of a busy loop's queued sources
     * and works them. 0 under other policies.
     */
    int steal() {
        StealQueue q = steals;
        if (q == null) {
            return 0;
        }
        int n = q.steal(dispatch);
        if (n > 0) {
            handled += n;
            dispatch.board().publish(loop.index(), Scoreboard.HANDLED, handled);
        }
        return n;
    }

    /** STEAL: this loop's queue, for thieves. Any thread. */
    StealQueue steals() {
        return steals;
    }

    /** STEAL_POLL and STEAL_EPOLL: this loop's steal set, or null (other policies, or none could be made). Any thread, once dispatch is set. */
    StealSet stealSet() {
        return dispatch != null ? stealSet : null; // the volatile read publishes the field
    }

    /** After this loop's last pass, on its thread: frees its thief buffers. */
    void ended() {
        StealQueue q = steals;
        if (q != null) {
            q.close();
        }
    }

    /** Closes the steal set; once every loop of the context has ended (none can poll it). */
    void closeStealSet() {
        if (stealSet != null) {
            stealSet.closeSet();
        }
    }

    /**
     * Whether the loop may block in epoll_wait, asked by Netty right before it would (after it
     * published its wake-up deadline): nothing in its inbox, and (STEAL) no other loop with
     * sources queued to take. Under PARETO it publishes {@link Scoreboard#PARKED} (a plain store:
     * a hint for the other loops' wake-up margin). Under STEAL it first stores it (volatile),
     * the parking half of the handshake in {@link StealQueue}, and takes it back if it may not
     * block; {@link #unparked} clears it after the wait. Loop thread.
     */
    boolean mayBlock() {
        Loop.Dispatch d = dispatch;
        if (steals == null || d == null) {
            boolean block = inbox.isEmpty();
            if (block && d != null && d.policy() == DispatchPolicy.PARETO) {
                d.board().publish(loop.index(), Scoreboard.PARKED, 1); // a hint for the wake-up margin
            }
            return block;
        }
        d.board().setVolatile(loop.index(), Scoreboard.PARKED, 1);
        if (inbox.isEmpty() && !StealQueue.stealableElsewhere(d, loop.index())) {
            return true;
        }
        d.board().publish(loop.index(), Scoreboard.PARKED, 0);
        return false;
    }

    /** STEAL and PARETO: back from a wait that {@link #mayBlock} allowed (or from a failed one). Loop thread. */
    void unparked() {
        Loop.Dispatch d = dispatch;
        if (d != null && (steals != null || d.policy() == DispatchPolicy.PARETO)) {
            d.board().publish(loop.index(), Scoreboard.PARKED, 0);
        }
    }

    /**
     * Works what other loops handed here, each once, never handed on: at most what was queued
     * when the pass began, and at most the inbox budget. The first bound matters: a busy source
     * handed here again while its turn runs (its home sees a new edge per packet) would
     * otherwise keep this drain going turn after turn, up to the budget, while this loop's own
     * sources wait (the soak found a pinger waiting 1.6 s behind a blaster traded this way).
     */
    int drainInbox() {
        int limit = Math.min(inboxBudget, inbox.size());
        ReadySource c = limit > 0 ? inbox.relaxedPoll() : null; // acquire: sees what the giver wrote
        if (c == null) {
            return 0;
        }
        Scoreboard board = dispatch.board();
        int index = loop.index();
        board.publish(index, Scoreboard.BUSY_SINCE, System.nanoTime());
        int n = 0;
        do {
            try {
                c.runHanded(loop);
            } catch (Throwable t) {
                loop.report(c, t);
            }
            board.add(index, Scoreboard.OUTSTANDING, -1); // per event: neighbours read it
            n++;
        } while (n < limit && (c = inbox.relaxedPoll()) != null);
        received += n;
        handled += n;
        board.publish(index, Scoreboard.RECEIVED, received); // totals only: published once per drain
        board.publish(index, Scoreboard.HANDLED, handled);
        board.publish(index, Scoreboard.BUSY_SINCE, 0);
        return n;
    }
}
