package io.torque.core.signal;

/** A signal callback registered with a context. Any thread may call its methods. */
public interface SignalRegistration {
    /**
     * The signal's name without {@code SIG}, such as {@code HUP}.
     *
     * @return the normalized name
     */
    String name();

    /** Restores the handler the signal had before. Idempotent. */
    void cancel();
}
