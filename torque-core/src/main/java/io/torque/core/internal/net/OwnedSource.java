package io.torque.core.internal.net;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.torque.core.internal.loop.Loop;
import io.torque.core.internal.loop.ReadySource;

/**
 * The ownership protocol of a source whose work may run on its home loop or, handed off by the
 * dispatcher, on another loop, but never on two threads at once.
 *
 * <p>Whoever wants to work on the source (an epoll event at home, a hand-off, a write or close
 * from another thread, a timer) first tries to take {@link #state} from free (0) to
 * {@link #OWNED} with a CAS. If another thread owns it, the work is recorded as pending bits in
 * the same CAS, and the owner does it before it lets go, so readiness that arrives while the
 * source is away is never lost. The acquiring and the releasing CAS are volatile, so each owner
 * sees every plain field the previous owner wrote; the owner writes nothing after its releasing
 * CAS (its own bookkeeping, {@link #ownerThread} and {@link #current}, is cleared before it), so
 * a new owner's fields are never overwritten by the old one.
 *
 * <p>A source starts owned (state {@code OWNED}, no owner thread) by the loop that will start
 * it: work asked for before it started waits as pending bits. Internal API.
 */
abstract class OwnedSource implements ReadySource {
    /** Someone works on the source; every other bit is pending work. */
    static final int OWNED = 1;

    /**
     * Tests only: runs on a thread right after its releasing CAS, so a test can hold the old
     * owner exactly there. Volatile: a load like any other on x86, read once per release.
     */
    static volatile Runnable afterReleaseHook;

    private final AtomicInteger state = new AtomicInteger(OWNED);
    /**
     * The home loop: where its epoll registration lives and where cross-thread work goes.
     * Volatile: under STEAL_EPOLL a connection may move home (only as owner, on its old home's
     * thread; {@code TcpConnection}); a task or timer it scheduled on its old home still runs
     * there, so such tasks work on the loop that runs them ({@link #workHere}), never on
     * {@code home} read at run time.
     */
    volatile Loop home;
    /** The thread that owns the source now, or null. Read by any thread only to compare with itself. */
    private Thread ownerThread;
    /** The loop the owner runs on: its scratch buffers are the ones to use. Owner only. */
    private Loop current;

    OwnedSource(Loop home) {
        this.home = home;
    }

    /**
     * Does {@code work} on {@code loop}'s thread now, or leaves it to the current owner. Loop
     * threads only (the owner uses the loop's buffers; other threads {@link #submit}); never
     * throws.
     *
     * @param loop the loop whose thread calls (its scratch buffers get used)
     * @param work pending bits, never {@link #OWNED}
     */
    final void work(Loop loop, int work) {
        assert loop.inLoop() : "work on a connection from " + Thread.currentThread() + ", not a loop thread";
        int s;
        while (true) {
            s = state.get();
            if ((s & OWNED) != 0) {
                if (state.compareAndSet(s, s | work)) {
                    return; // the owner does it before letting go
                }
            } else if (state.compareAndSet(s, OWNED)) {
                break;
            }
        }
        runOwned(loop, work | (s & ~OWNED));
    }

    /**
     * Does {@code work} on the calling loop: for tasks and timers a source scheduled on its
     * home, which run there even when the source has moved home since. Loop threads only.
     *
     * @param work pending bits
     */
    final void workHere(int work) {
        work(Loop.current(), work);
    }

    /**
     * Takes up the initial ownership on the starting loop's thread, so the start can work as
     * owner; {@link #releaseInitial} ends it. Starting loop thread only, once.
     *
     * @param loop the starting loop
     */
    final void claimInitial(Loop loop) {
        ownerThread = Thread.currentThread();
        current = loop;
    }

    /**
     * Ends the start: does {@code work} and whatever was asked for before, then lets go.
     *
     * @param loop the starting loop
     * @param work the start's own last work (e.g. read what arrived before registration)
     */
    final void releaseInitial(Loop loop, int work) {
        runOwnedClaimed(loop, work);
    }

    /** As owner: does the work, then lets go, taking any work that arrived meanwhile. */
    private void runOwned(Loop loop, int work) {
        ownerThread = Thread.currentThread();
        current = loop;
        runOwnedClaimed(loop, work);
    }

    private void runOwnedClaimed(Loop loop, int work) {
        int todo = work;
        while (true) {
            io.torque.core.internal.jfr.SlowTurnEvent slow = null;
            if (io.torque.core.internal.jfr.EventTypes.slowTurnWanted()) { // a recording asks: time the turn
                slow = new io.torque.core.internal.jfr.SlowTurnEvent();
                slow.begin();
            }
            try {
                doWork(todo);
            } catch (Throwable t) {
                contain(t);
            }
            if (slow != null) {
                slow.finish(loop.index(), this);
            }
            todo = release();
            // Work that arrived while this turn ran is done before letting go, but not another
            // turn of the same repeating kind (a busy peer's next read: its home sees a new edge
            // per packet): that goes behind the loop's other work, or the owner would serve one
            // busy source for as long as it keeps sending (the soak saw 1.3 s).
            while (todo != 0) {
                todo = deferRepeats(todo);
                if (todo != 0) {
                    break;
                }
                todo = release();
            }
            if (todo == 0) {
                Runnable hook = afterReleaseHook;
                if (hook != null) {
                    hook.run(); // tests hold the old owner here, after the release
                }
                return;
            }
            ownerThread = Thread.currentThread(); // still the owner: more work arrived
            current = loop;
        }
    }

    /**
     * Lets go, unless work arrived meanwhile: then keeps ownership and returns that work. The
     * owner's bookkeeping is cleared before the releasing CAS: after it another thread may own
     * the source, and nothing may be written to it from here.
     *
     * @return 0 when released, else the pending work taken (still owned)
     */
    private int release() {
        ownerThread = null;
        current = null;
        while (true) {
            int s = state.get();
            if ((s & ~OWNED) != 0) {
                if (state.compareAndSet(s, OWNED)) {
                    return s & ~OWNED;
                }
            } else if (state.compareAndSet(s, 0)) {
                return 0;
            }
        }
    }

    private void contain(Throwable t) {
        try {
            failOwned(t);
        } catch (Throwable again) {
            again.addSuppressed(t);
            home.report(this, again);
        }
    }

    /** Tests: the work pending now (bits besides {@link #OWNED}). */
    final int pendingWork() {
        return state.get() & ~OWNED;
    }

    /**
     * Whether the calling thread owns the source now.
     *
     * @return true on the owner's thread
     */
    final boolean owned() {
        return ownerThread == Thread.currentThread();
    }

    /**
     * The loop the owner runs on. Owner only.
     *
     * @return the owner's loop
     */
    final Loop current() {
        return current;
    }

    /**
     * Hands work asked for by a thread that does not own the source to its home loop, as a task
     * that runs after whatever the loop is doing now: never inline, not even on the home loop's
     * own thread, whose caller may be inside another source's callback (whose bytes sit in the
     * loop's shared receive buffer). Allocates a task: for rare requests; frequent ones keep a
     * task of their own.
     *
     * @param work pending bits
     */
    final void submit(int work) {
        Loop h = home; // the task runs on this loop, whatever home is by then
        try {
            h.executeLater(() -> work(h, work));
        } catch (RejectedExecutionException e) {
            // the home loop has shut down, and closed the source with it
        }
    }

    /**
     * Does pending work as owner. May throw; what it throws goes to {@link #failOwned}.
     *
     * @param work the pending bits
     * @throws Exception whatever a callback or the socket threw
     */
    abstract void doWork(int work) throws Exception;

    /**
     * Of work that arrived while a turn ran, queues for later what would repeat the turn (and
     * returns the rest, to do now). Called while still owning the source, its bookkeeping
     * cleared; must not need it.
     *
     * @param work the pending bits taken
     * @return the bits to do now, 0 if all were queued
     */
    abstract int deferRepeats(int work);

    /**
     * Closes the source after {@code t}, reporting it. As owner; should not throw.
     *
     * @param t what went wrong
     */
    abstract void failOwned(Throwable t);
}
