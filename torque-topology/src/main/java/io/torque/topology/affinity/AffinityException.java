package io.torque.topology.affinity;

/** A CPU affinity request the kernel refused or cannot honour; the message says why. */
public final class AffinityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * With a message saying what failed and why.
     *
     * @param message what failed and why, such as the CPUs that are not allowed
     */
    public AffinityException(String message) {
        super(message);
    }

    /**
     * With a message and the native failure behind it.
     *
     * @param message what failed and why, such as the call and its errno
     * @param cause the native failure (JNA's {@code LastErrorException}) or why affinity is
     *     unavailable
     */
    public AffinityException(String message, Throwable cause) {
        super(message, cause);
    }
}
