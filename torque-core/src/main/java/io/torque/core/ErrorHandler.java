package io.torque.core;

/**
 * Receives what a callback threw, or an I/O failure no caller can be told about. Called on the
 * loop thread that saw the error; must not block or throw (what it throws is logged and
 * dropped).
 */
@FunctionalInterface
public interface ErrorHandler {
    /**
     * @param source the source whose callback failed (a connection, listener, timer, signal or
     *     fd source), never null
     * @param error what was thrown
     */
    void onError(Object source, Throwable error);

    /** The default: a WARNING through {@link System.Logger} named {@code io.torque.core}. */
    static ErrorHandler logging() {
        System.Logger log = System.getLogger("io.torque.core");
        return (source, error) -> log.log(System.Logger.Level.WARNING, "callback of " + source + " failed", error);
    }
}
