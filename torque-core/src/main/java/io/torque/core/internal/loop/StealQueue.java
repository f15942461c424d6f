package io.torque.core.internal.loop;

import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.internal.dispatch.Scoreboard;
import io.torque.core.internal.dispatch.XorShift;

/**
 * STEAL: one loop's queue of the sources its round has not started yet, and this loop's side as a
 * thief of other loops' queues.
 *
 * <p>A round claims each ready source for one queued turn ({@link ReadySource#claimHandOff}, as a
 * hand-off does) and offers it here; then the owner takes them back one by one and works them,
 * while idle loops may take the older half of what is left. Whoever takes a source runs its turn
 * with {@link ReadySource#runHanded}: exclusivity is the source's own ownership protocol, and each
 * queued source is taken by one loop only (the queue's poll). A source whose readiness arrives
 * again while it waits here is not queued twice: its queued turn reads that too.
 *
 * <p>Wake-ups: a loop that queued more than one source wakes one parked loop; a thief that found
 * work wakes another while the victim has more than one left. A loop about to park stores
 * {@link Scoreboard#PARKED} and then reads every {@link Scoreboard#STEALABLE} (its
 * {@code canBlock}); a loop that queues stores STEALABLE and then reads PARKED: both volatile, so
 * at least one sees the other and no stealable work waits for a loop that sleeps through it.
 * (A loop that is woken but finds nothing left parks again; at worst the owner works all of its
 * queue itself, so nothing waits forever.)
 *
 * <p>Threads: {@link #offer} and {@link #advertiseAndWork} on the owner's; {@link #steal} and
 * the wake-ups on the thief's, with its own instance; {@link #poll}, {@link #size} and
 * {@link #stealableElsewhere} on any.
 */
final class StealQueue {
    /**
     * Tests only: runs on the owner after it advertised its queue and before it works it, so a
     * test can let a thief take its half exactly there ({@link Loop#afterStealAdvertiseHook}).
     */
    static volatile Runnable afterAdvertiseHook;

    private final Loop loop;
    private final MpmcAtomicArrayQueue<ReadySource> queue = new MpmcAtomicArrayQueue<>(Loop.INBOX_CAPACITY);
    /** A thief's haul, taken before it is worked (loop thread only; sized once). */
    private ReadySource[] haul;
    private final XorShift random;
    /** A thief's buffers for taking readiness from another loop's {@link StealSet} (loop thread only; made once). */
    private StealSet.Haul readyHaul;
    private long stolen;
    /** Of {@link #stolen}, the sources taken from steal sets (loop thread only; tests read it). */
    private volatile long readySteals;
    private long given;
    /** STEAL_EPOLL: a loop crowded for this many rounds in a row gives up for good what is taken from it (the simulator's --hot-rounds). */
    static final int REHOME_AFTER_ROUNDS = 4;
    /** The most sources one steal from a {@link StealSet} takes. */
    static final int READY_HAUL = 64;

    StealQueue(Loop loop) {
        this.loop = loop;
        this.random = new XorShift(0x9E3779B97F4A7C15L * (loop.index() + 1));
    }

    /** Owner: queues a claimed source; false when the queue is full (work it now instead). */
    boolean offer(ReadySource c) {
        return queue.offer(c);
    }

    /** Any thread: takes the oldest queued source, or null. */
    ReadySource poll() {
        return queue.poll();
    }

    /** Any thread: about how many wait. */
    int size() {
        return queue.size();
    }

    /**
     * Owner, after offering {@code queued} sources: advertises them, wakes a parked loop when
     * there is more than one, then works whatever the thieves leave.
     *
     * @return how many this loop worked itself
     */
    int advertiseAndWork(Loop.Dispatch d, int queued) {
        Scoreboard board = d.board();
        int self = loop.index();
        board.setVolatile(self, Scoreboard.STEALABLE, queued);
        int ran = 0;
        try {
            if (queued > 1) {
                wakeOneParked(d);
            }
            Runnable hook = afterAdvertiseHook;
            if (hook != null) {
                hook.run();
            }
            ReadySource c;
            while ((c = queue.relaxedPoll()) != null) { // bounded: only this thread offers
                if (queue.isEmpty()) {
                    board.publish(self, Scoreboard.STEALABLE, 0); // nothing left to take: thieves may park
                }
                try {
                    c.runHanded(loop);
                } catch (Throwable t) {
                    loop.report(c, t);
                }
                ran++;
            }
        } finally {
            board.publish(self, Scoreboard.STEALABLE, 0);
            given += queued - ran;
            board.publish(self, Scoreboard.HANDED_OUT, given);
        }
        return ran;
    }

    /**
     * Thief: from a random start, the first other loop that advertises queued sources gives up
     * the older half of them, which this loop then works. Nothing when the policy is not STEAL.
     *
     * @return how many sources it worked
     */
    int steal(Loop.Dispatch d) {
        if (d == null || !d.policy().steals()) {
            return 0;
        }
        Loop[] loops = d.loops();
        int n = loops.length;
        Scoreboard board = d.board();
        int self = loop.index();
        int start = random.nextInt(n);
        for (int k = 0; k < n; k++) {
            int v = start + k < n ? start + k : start + k - n;
            if (v == self || board.get(v, Scoreboard.STEALABLE) <= 0) {
                continue;
            }
            StealQueue victim = loops[v].round().steals();
            if (victim == null) {
                continue; // not set up yet (the context is still starting)
            }
            int size = victim.size();
            int want = size - size / 2;
            if (haul == null) {
                haul = new ReadySource[Loop.INBOX_CAPACITY];
            }
            int got = 0;
            ReadySource c;
            while (got < want && (c = victim.poll()) != null) {
                haul[got++] = c;
            }
            if (got == 0) {
                continue; // its owner or another thief was faster
            }
            if (victim.size() > 1) {
                wakeOneParked(d); // Tokio: a thief that found work wakes another
            }
            return workHaul(d, v, haul, got, "STEAL");
        }
        return d.policy().pollsSets() ? stealReady(d) : 0;
    }

    /**
     * STEAL_POLL thief, when no loop has sources queued to take: from a random start, each other
     * loop that is crowded and inside its turns, until one gives something, gives up to half its
     * round's size (at most {@link #READY_HAUL}) of the sources that became ready since its round
     * began, taken from its {@link StealSet} without blocking and worked here. A source already
     * queued for a turn somewhere is left to that turn.
     *
     * @return how many sources it worked
     */
    private int stealReady(Loop.Dispatch d) {
        int n = d.loops().length;
        int start = random.nextInt(n);
        for (int k = 0; k < n; k++) {
            int got = stealReadyFrom(d, start + k < n ? start + k : start + k - n);
            if (got > 0) {
                return got;
            }
        }
        return 0;
    }

    /** STEAL_POLL thief: what loop {@code v}'s steal set gives, if it is crowded; see {@link #stealReady}. */
    private int stealReadyFrom(Loop.Dispatch d, int v) {
        long crowd = d.board().get(v, Scoreboard.CROWDED);
        StealSet set = v == loop.index() || crowd <= 0 ? null : d.loops()[v].round().stealSet();
        if (set == null) {
            return 0;
        }
        if (readyHaul == null) {
            readyHaul = new StealSet.Haul(READY_HAUL);
        }
        int want = (int) Math.max(1, Math.min(READY_HAUL, crowd / 2));
        int polled = set.poll(readyHaul, want);
        ReadySource[] got = readyHaul.sources;
        int claimed = 0;
        for (int i = 0; i < polled; i++) {
            ReadySource s = got[i];
            got[i] = null;
            if (StealSet.hungUp(readyHaul.bits[i])) {
                s.hungUp(); // this report reaches nobody else: whoever reads next reads to the end
            }
            if (s.claimHandOff()) { // else a queued turn of it reads this readiness
                got[claimed++] = s;
            }
        }
        if (claimed == 0) {
            return 0;
        }
        if (polled == want) {
            wakeOneParked(d); // there may be more: a thief that found work wakes another
        }
        readySteals += claimed;
        d.board().add(v, Scoreboard.TAKEN_READY, claimed); // the victim's statistics: handed out
        return workHaul(d, v, got, claimed, "STEAL_POLL");
    }

    /**
     * Thief: counts a haul of {@code got} sources from loop {@code v}, then works each. Each is
     * claimed: whatever happens in the counting, every one gets its turn (a claim left standing
     * would make its source's next reports look queued elsewhere, for ever).
     */
    private int workHaul(Loop.Dispatch d, int v, ReadySource[] from, int got, String kind) {
        int self = loop.index();
        try {
            stolen += got;
            d.board().publish(self, Scoreboard.RECEIVED, stolen); // before the turns: stats never lag the work
            loop.counters().handOff(d.distance()[v], got);
            if (io.torque.core.internal.jfr.EventTypes.handOffWanted()) {
                io.torque.core.internal.jfr.HandOffEvent.emit(v, self, got, d.distance()[v], kind);
            }
        } finally {
            // STEAL_EPOLL: what is taken from a loop that stays crowded moves here for good
            // (and only to a loop not crowded itself: a thief that took homes and became crowded
            // takes no more, or two loops would pass the same connections back and forth)
            boolean move = d.policy() == DispatchPolicy.STEAL_EPOLL && d.board().get(v, Scoreboard.STREAK) >= REHOME_AFTER_ROUNDS
                    && d.board().get(self, Scoreboard.STREAK) == 0;
            for (int i = 0; i < got; i++) {
                ReadySource s = from[i];
                from[i] = null;
                try {
                    s.runHanded(loop);
                    if (move) {
                        s.moveTo(loop);
                    }
                } catch (Throwable t) {
                    loop.report(s, t);
                }
            }
        }
        return got;
    }

    /**
     * Whether another loop has sources queued to take: it advertises some (volatile read: the
     * parking side of the handshake) and its queue is not empty (an advertisement outlives the
     * queue while its owner runs the last turn; a loop must not spin through that).
     */
    static boolean stealableElsewhere(Loop.Dispatch d, int self) {
        if (d == null || !d.policy().steals()) {
            return false;
        }
        Loop[] loops = d.loops();
        for (int v = 0; v < loops.length; v++) {
            if (v != self && d.board().getVolatile(v, Scoreboard.STEALABLE) > 0) {
                StealQueue q = loops[v].round().steals();
                if (q != null && q.size() > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Sources this loop took from other loops' steal sets. Any thread. */
    long readySteals() {
        return readySteals;
    }

    /** Frees the thief's native buffers; on this loop's thread, after its last pass. */
    void close() {
        if (readyHaul != null) {
            readyHaul.close();
            readyHaul = null;
        }
    }

    private void wakeOneParked(Loop.Dispatch d) {
        Loop[] loops = d.loops();
        int n = loops.length;
        int start = random.nextInt(n);
        for (int k = 0; k < n; k++) {
            int v = start + k < n ? start + k : start + k - n;
            if (v != loop.index() && d.board().getVolatile(v, Scoreboard.PARKED) != 0) {
                loops[v].netty().wakeup(); // writes the eventfd only if it may be asleep
                return;
            }
        }
    }

}
