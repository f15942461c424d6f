package io.torque.core.watch;

/**
 * The callbacks of a {@link PathWatch}, on its loop, never two at once. A callback that throws
 * closes the watch (the throwable goes to {@link #onClose} and the error handler).
 */
public interface PathHandler {
    /**
     * Something happened.
     *
     * @param watch the watch
     * @param event what and where
     * @throws Exception to close the watch
     */
    void onEvent(PathWatch watch, PathEvent event) throws Exception;

    /**
     * The kernel's event queue overflowed ({@code IN_Q_OVERFLOW}): events were lost, so what the
     * handler believes about the path may be stale; rescan it. The default does nothing.
     *
     * @param watch the watch
     * @throws Exception to close the watch
     */
    default void onOverflow(PathWatch watch) throws Exception {
    }

    /**
     * The watched path itself was deleted or moved away (or its file system unmounted): no more
     * events come, and the watch closes after this call. Called at most once.
     *
     * @param watch the watch
     * @throws Exception to close the watch with this cause
     */
    default void onRemoved(PathWatch watch) throws Exception {
    }

    /**
     * The watch closed: by {@link PathWatch#close()}, after {@link #onRemoved}, when the context
     * closed (a null cause), or after a callback threw. Called once.
     *
     * @param watch the watch
     * @param cause null, or what a callback threw
     */
    default void onClose(PathWatch watch, Throwable cause) {
    }
}
