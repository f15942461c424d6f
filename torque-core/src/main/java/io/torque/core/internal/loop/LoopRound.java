package io.torque.core.internal.loop;

import java.util.Arrays;

import org.jctools.queues.atomic.MpscAtomicArrayQueue;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.internal.dispatch.HandOffRule;
import io.torque.core.internal.dispatch.Scoreboard;

/**
 * One loop's side of the dispatcher: the sources that became ready in this round, the decision
 * who handles which, and the inbox of sources other loops handed here. Everything but
 * {@link #offer} and {@link #inboxEmpty} runs on the loop's thread only.
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
    private HandOffRule rule;

    LoopRound(Loop loop, int inboxBudget) {
        this.loop = loop;
        this.inboxBudget = inboxBudget;
    }

    void dispatch(Loop.Dispatch d) {
        // A plain field of the loop thread, published by the volatile write of dispatch below,
        // which the loop reads before it uses it.
        rule = new HandOffRule(loop.index(), d.distance(), 0x9E3779B97F4A7C15L * (loop.index() + 1));
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

    /** Any thread (the giver's). Release: the recipient sees everything the giver wrote before. */
    boolean offer(ReadySource c) {
        return inbox.offer(c);
    }

    /** Any thread: Netty asks it before the loop may block. */
    boolean inboxEmpty() {
        return inbox.isEmpty();
    }

    /**
     * The dispatcher's round: e = the sources that became ready. With e > 1, one recipient is
     * chosen at random on the Pareto frontier of the other loops; if it has fewer outstanding
     * events than this loop (a slacker), it gets the last ⌊e/2⌋ through its inbox and is woken.
     * The rest are handled here. Returns e. A source's work never throws (each contains its own
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
        rounds++;
        board.add(index, Scoreboard.ROUNDS, 1);
        board.add(index, Scoreboard.OUTSTANDING, e);
        int keep = e;
        Loop target = null;
        if (d.policy() == DispatchPolicy.PARETO) {
            try {
                int r = rule.recipient(e, rounds, board);
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
        for (int i = 0; i < e; i++) {
            ReadySource c = ready[i];
            ready[i] = null;
            // Each source on its own: whatever happens to one, the others of this round are
            // worked (a source left listed but not worked would never be listed again, and
            // edge-triggered epoll would not tell twice).
            try {
                int work = c.takeRound();
                if (i >= keep) {
                    board.add(target.index(), Scoreboard.OUTSTANDING, 1); // before the offer: never negative there
                    if (target.round().offer(c)) {
                        handed++;
                        continue;
                    }
                    board.add(target.index(), Scoreboard.OUTSTANDING, -1); // full inbox: handle it here
                }
                c.runRound(loop, work);
            } catch (Throwable t) {
                loop.report(c, t); // a source broke its contract; the round goes on
            }
            board.add(index, Scoreboard.OUTSTANDING, -1); // per event: neighbours read it mid-round
            handledHere++;
        }
        readyCount = 0;
        board.add(index, Scoreboard.HANDLED, handledHere); // a total only: one add per round
        if (handed > 0) {
            board.add(index, Scoreboard.OUTSTANDING, -handed);
            board.add(index, Scoreboard.HANDED_OUT, handed);
            target.netty().wakeup(); // writes the eventfd only if the recipient may be asleep
        }
        return e;
    }

    /** Works what other loops handed here, at most the inbox budget per pass; each once, never handed on. */
    int drainInbox() {
        int n = 0;
        ReadySource c;
        while (n < inboxBudget && (c = inbox.relaxedPoll()) != null) { // acquire: sees what the giver wrote
            try {
                c.runHanded(loop);
            } catch (Throwable t) {
                loop.report(c, t);
            }
            dispatch.board().add(loop.index(), Scoreboard.OUTSTANDING, -1); // per event: neighbours read it
            n++;
        }
        if (n > 0) {
            Scoreboard board = dispatch.board();
            board.add(loop.index(), Scoreboard.RECEIVED, n); // totals only: one add per drain
            board.add(loop.index(), Scoreboard.HANDLED, n);
        }
        return n;
    }
}
