package io.torque.core.net;

import java.nio.ByteBuffer;

/**
 * What a connection has received and the handler has not consumed yet (libtorque's rxbuffer).
 * The handler looks at the readable bytes, consumes what it used, and the rest stays for the
 * next {@link ConnectionHandler#onRead} call, in front of what arrives next.
 *
 * <p>Valid only during the callback it is passed to, on the thread running it: used later, its
 * methods throw {@link IllegalStateException}, and a view {@link #bytes()} returned is emptied
 * (it reads nothing rather than another connection's bytes). To keep bytes past the callback,
 * copy them ({@link #copyTo}).
 */
public interface ReadBuffer {
    /**
     * The number of bytes not yet consumed.
     *
     * @return the readable byte count
     * @throws IllegalStateException outside the callback
     */
    int readableBytes();

    /**
     * The byte {@code index} bytes past the first unconsumed one.
     *
     * @param index from 0 to {@code readableBytes() - 1}
     * @return the byte
     * @throws IndexOutOfBoundsException if the index is outside the readable bytes
     * @throws IllegalStateException outside the callback
     */
    byte get(int index);

    /**
     * The unconsumed bytes as a read-only buffer positioned at the first and limited after the
     * last. Moving its position (a {@link Connection#write} does) consumes nothing; only
     * {@link #consume} does. The view belongs to this connection and is emptied when the
     * callback returns.
     *
     * @return a read-only view of the readable bytes
     * @throws IllegalStateException outside the callback
     */
    ByteBuffer bytes();

    /**
     * Copies {@code length} unconsumed bytes, starting {@code index} past the first, into
     * {@code dst}.
     *
     * @param index where to start, past the first unconsumed byte
     * @param dst the destination
     * @param offset where in {@code dst} to put them
     * @param length how many bytes
     * @throws IndexOutOfBoundsException if the range is outside the readable bytes or {@code dst}
     * @throws IllegalStateException outside the callback
     */
    void copyTo(int index, byte[] dst, int offset, int length);

    /**
     * Consumes the first {@code n} unconsumed bytes.
     *
     * @param n how many bytes were used
     * @throws IllegalArgumentException if n is negative or more than readable
     * @throws IllegalStateException outside the callback
     */
    void consume(int n);

    /**
     * Consumes every readable byte.
     *
     * @throws IllegalStateException outside the callback
     */
    void consumeAll();
}
