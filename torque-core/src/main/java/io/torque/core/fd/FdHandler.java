package io.torque.core.fd;

/**
 * Callbacks of a raw file descriptor (a pipe, an eventfd, any pollable fd). They run on the
 * source's loop thread, never two at once, and must not block. Readiness is edge-triggered:
 * read (or write) until {@code EAGAIN}, or no new event comes. A callback that throws closes the
 * source.
 */
public interface FdHandler {
    /** The fd became readable. */
    default void onReadable(FdSource source) throws Exception {
    }

    /** The fd became writable. */
    default void onWritable(FdSource source) throws Exception {
    }

    /** The source closed (and its fd with it); cause is null for an orderly close. Once. */
    default void onClose(FdSource source, Throwable cause) {
    }
}
