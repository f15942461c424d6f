package io.torque.core.fd;

/**
 * Callbacks of a raw file descriptor (a pipe, an eventfd, any pollable fd). They run on the
 * source's loop thread, never two at once, and must not block. Readiness is edge-triggered:
 * read (or write) until {@code EAGAIN}, or no new event comes. Hang-up and error conditions
 * ({@code EPOLLHUP}, {@code EPOLLERR}: the other end of a pipe closed, a socket failed) are
 * delivered as readiness too, to {@link #onReadable} for an fd watched for reading, else to
 * {@link #onWritable}: the next read returns end-of-file, or the call fails with the error. A
 * callback that throws closes the source.
 */
public interface FdHandler {
    /**
     * The fd became readable, or hung up, or failed.
     *
     * @param source the source
     * @throws Exception to close the source with this cause
     */
    default void onReadable(FdSource source) throws Exception {
    }

    /**
     * The fd became writable (or, for an fd not watched for reading, hung up or failed).
     *
     * @param source the source
     * @throws Exception to close the source with this cause
     */
    default void onWritable(FdSource source) throws Exception {
    }

    /**
     * The source closed (and its fd with it). Called once.
     *
     * @param source the source
     * @param cause null for an orderly close, else what a callback threw
     */
    default void onClose(FdSource source, Throwable cause) {
    }
}
