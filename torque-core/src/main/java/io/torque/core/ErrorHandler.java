package io.torque.core;

/**
 * Receives what a callback threw, or an I/O failure no caller can be told about. Called on the
 * loop thread that saw the error, once per error; must not block. What it throws itself is
 * logged through {@link System.Logger} and dropped: the loop and the other sources go on.
 */
@FunctionalInterface
public interface ErrorHandler {
    /**
     * @param source the source whose callback failed (a connection, listener, timer, signal or
     *     fd source), never null
     * @param error what was thrown
     */
    void onError(Object source, Throwable error);

    /**
     * The default: a WARNING through {@link System.Logger} named {@code io.torque.core}.
     *
     * @return the logging handler
     */
    static ErrorHandler logging() {
        System.Logger log = System.getLogger("io.torque.core");
        return (source, error) -> log.log(System.Logger.Level.WARNING, "callback of " + source + " failed", error);
    }
}
