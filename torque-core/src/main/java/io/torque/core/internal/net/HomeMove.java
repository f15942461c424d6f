package io.torque.core.internal.net;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import io.torque.core.internal.loop.Loop;

/**
 * STEAL_EPOLL: moving a connection to another home loop, the loop that stole it from a home that
 * stays crowded (the simulator's re-homing, docs/scale.md), so its turns stop coming back to
 * the crowded loop.
 *
 * <p>Two steps, each as owner and each on the thread of the loop it concerns (epoll sets and
 * round lists are their loop's own): on the old home, {@link Work#MOVE_OUT} takes the connection
 * off the loop's round list if it is listed, cancels its Netty registration and removes it from
 * the loop's steal set (no event of the old home's sets can come after that), moves the
 * placement counts, sets {@code home} to the new loop and queues {@link Work#MOVE_IN} there;
 * on the new home, {@code MOVE_IN} registers it in the loop's Netty set (with EPOLLOUT if bytes
 * wait for room) and steal set, then reads and flushes: whatever arrived while it was in no set
 * (an edge-triggered add reports what is ready at once too). A step that finds the connection
 * owned elsewhere becomes pending work for that owner, which hands it back to the right loop.
 * Work other threads ask for meanwhile goes to {@code home} as read then: either loop runs it
 * under the ownership protocol, and the tasks and timers a connection scheduled on its old home
 * work on the loop that runs them ({@code OwnedSource.workHere}). At most one move at a time.
 */
final class HomeMove {
    private final TcpConnection c;
    /** Where it is moving, or null: set by a request, cleared when the move is done or given up. */
    private final AtomicReference<Loop> target = new AtomicReference<>();
    private final Runnable outTask;
    private final Runnable inTask;

    HomeMove(TcpConnection c) {
        this.c = c;
        this.outTask = () -> c.workHere(Work.MOVE_OUT);
        this.inTask = () -> c.workHere(Work.MOVE_IN);
    }

    /**
     * Asks the connection to move to {@code to} (a thief, after its stolen turn). Any thread;
     * nothing when a move is under way or {@code to} has no steal set.
     *
     * @param to the new home
     */
    void request(Loop to) {
        Loop from = c.home;
        if (to == from || to.stealSet() == null || !target.compareAndSet(null, to)) {
            return;
        }
        try {
            from.executeLater(outTask);
        } catch (RejectedExecutionException e) {
            target.set(null); // the old home has shut down: nothing to move
        }
    }

    /** Forgets the move asked for (the connection is closed, or still connecting). Owner. */
    void giveUp() {
        target.set(null);
    }

    /** Whether a move is under way (tests). */
    boolean moving() {
        return target.get() != null;
    }

    /**
     * As owner: the steps {@code todo} asks for.
     *
     * @return work to do now as well (a move's catch-up read and flush)
     * @throws IOException if the new home refuses the registration (it is shutting down)
     */
    int move(int todo) throws IOException {
        if ((todo & Work.MOVE_OUT) != 0) {
            out();
        }
        return (todo & Work.MOVE_IN) != 0 ? in() : 0;
    }

    private void out() {
        Loop to = target.get();
        Loop from = c.home;
        if (to == null || to == from) {
            target.set(null);
            return;
        }
        if (c.current() != from) {
            resubmit(from, outTask); // only the home's thread may leave its sets and its round list
            return;
        }
        if (c.registration == null) {
            target.set(null); // not registered: never started, or closing
            return;
        }
        if (c.listedForRound()) {
            from.unready(c); // listed by this pass's events: the new home reads what they said
            c.takeRound();
        }
        c.leaveHome();
        c.registry.homed(from, -1);
        c.registry.homed(to, 1);
        c.home = to; // volatile: from here on, work other threads ask for goes to the new home
        try {
            to.executeLater(inTask);
        } catch (RejectedExecutionException e) {
            c.closer.abort("the loop it was moving to has shut down"); // the context is closing
        }
    }

    private int in() throws IOException {
        Loop home = c.home;
        if (c.current() != home) {
            resubmit(home, inTask);
            return 0;
        }
        if (c.registration != null || target.get() == null) {
            return 0; // joined already
        }
        c.joinHome();
        target.set(null);
        home.counters().movedIn();
        return Work.READ | Work.FLUSH;
    }

    private static void resubmit(Loop loop, Runnable task) {
        try {
            loop.executeLater(task);
        } catch (RejectedExecutionException e) {
            // the loop has shut down, and the context closes the connection
        }
    }
}
