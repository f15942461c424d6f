package io.torque.core.internal.loop;

/**
 * A source whose ready work a loop gathers per round and may hand to another loop: what the
 * dispatcher needs of a connection, so the loop does not depend on the connection's class.
 */
public interface ReadySource {
    /**
     * Takes the readiness gathered for this round and leaves the ready list. Home loop thread.
     *
     * @return the work to pass to {@link #runRound}, opaque to the loop
     */
    int takeRound();

    /**
     * Does this round's work on {@code loop}'s thread now, or leaves it to the thread that owns
     * the source at the moment. Must not throw.
     *
     * @param loop the loop whose thread calls
     * @param work what {@link #takeRound()} returned
     */
    void runRound(Loop loop, int work);

    /**
     * Marks the source as waiting in some loop's inbox, unless it already is: a source is queued
     * for a hand-off at most once. Edge-triggered epoll reports a busy source again and again
     * (a new edge per packet), and each report would otherwise queue one more turn, so an inbox
     * could fill with thousands of turns of the same busy source, each a full reading budget,
     * and whatever was handed after them would wait seconds (the soak found it: a pinger behind
     * two blasters). A turn that is queued already reads whatever made this report.
     *
     * @return true if the caller may offer it (and must then either offer it or call
     *     {@link #unclaimHandOff}); false if it waits in an inbox already
     */
    boolean claimHandOff();

    /** Gives a claim back when the offer failed (a full inbox). */
    void unclaimHandOff();

    /**
     * Does a turn of work a busy loop handed over: read what is readable, send what is queued.
     * Ends the hand-off claim first, so readiness from now on can be handed again. Must not
     * throw.
     *
     * @param loop the recipient loop, whose thread calls
     */
    void runHanded(Loop loop);

    /**
     * STEAL_POLL and STEAL_EPOLL: the home loop's steal set reported this source (the loop drains its own set): list
     * it for this round as an epoll report would. Home loop thread; must not throw.
     *
     * @param events epoll's event bits ({@link StealSet#readable}, {@link StealSet#hungUp})
     */
    void readyInSet(int events);

    /**
     * STEAL_POLL and STEAL_EPOLL: a thief took this source's readiness from its home's steal set, and the report said
     * the peer hung up or the socket failed: whoever reads next reads to the end (that report
     * reaches nobody else). Any thread, before the thief claims the source.
     */
    void hungUp();

    /**
     * STEAL_EPOLL: asks the source to make {@code to} its home (a thief took it from a loop that
     * stays crowded). Any thread; it moves later, or not at all where it cannot.
     *
     * @param to the loop that took it
     */
    void moveTo(Loop to);
}
