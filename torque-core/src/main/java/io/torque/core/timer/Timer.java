package io.torque.core.timer;

/** A scheduled callback. Any thread may call its methods. */
public interface Timer {
    /** Stops it: the callback does not run again (a run in progress finishes). Idempotent. */
    void cancel();

    /**
     * Whether it was cancelled, or a callback threw (which cancels it), or the context closed.
     *
     * @return whether the timer will not run again
     */
    boolean isCancelled();

    /**
     * How many times the callback has run.
     *
     * @return the count so far
     */
    long runs();
}
