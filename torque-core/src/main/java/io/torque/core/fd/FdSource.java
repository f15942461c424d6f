package io.torque.core.fd;

/** A raw file descriptor registered with a context, which owns it from then on. Any thread. */
public interface FdSource extends AutoCloseable {
    /**
     * The fd number.
     *
     * @return the descriptor as registered
     */
    int descriptor();

    /**
     * Whether it is still registered.
     *
     * @return false once closed
     */
    boolean isOpen();

    /** Unregisters and closes the fd, then runs {@code onClose}. Idempotent. */
    @Override
    void close();
}
