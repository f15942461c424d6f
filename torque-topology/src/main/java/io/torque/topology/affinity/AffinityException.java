package io.torque.topology.affinity;

/** A CPU affinity request the kernel refused or cannot honour; the message says why. */
public final class AffinityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message saying what failed and why. */
    public AffinityException(String message) {
        super(message);
    }

    /** With a message and the native failure behind it. */
    public AffinityException(String message, Throwable cause) {
        super(message, cause);
    }
}
