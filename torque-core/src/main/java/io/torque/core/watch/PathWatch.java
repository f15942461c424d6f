package io.torque.core.watch;

import java.nio.file.Path;

/** A watched path ({@link io.torque.core.Torque#watch}). Any thread may call its methods. */
public interface PathWatch extends AutoCloseable {
    /**
     * The path watched.
     *
     * @return the path, as given
     */
    Path path();

    /**
     * Whether the watch still delivers events.
     *
     * @return false once closed
     */
    boolean isOpen();

    /** Stops watching (and frees the inotify fd); {@link PathHandler#onClose} runs. Idempotent. */
    @Override
    void close();
}
