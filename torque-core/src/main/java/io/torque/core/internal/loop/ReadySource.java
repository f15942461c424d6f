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
     * Does a turn of work a busy loop handed over: read what is readable, send what is queued.
     * Must not throw.
     *
     * @param loop the recipient loop, whose thread calls
     */
    void runHanded(Loop loop);
}
