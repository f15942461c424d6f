package io.torque.core.net;

import java.nio.ByteBuffer;

/**
 * What a connection has received and the handler has not consumed yet (libtorque's rxbuffer).
 * The handler looks at the readable bytes, consumes what it used, and the rest stays for the
 * next {@link ConnectionHandler#onRead} call, in front of what arrives next.
 *
 * <p>Valid only during the callback it is passed to, on the connection's loop thread; never
 * keep it or the buffer {@link #bytes()} returns.
 */
public interface ReadBuffer {
    /** The number of bytes not yet consumed. */
    int readableBytes();

    /** The byte {@code index} bytes past the first unconsumed one. @throws IndexOutOfBoundsException */
    byte get(int index);

    /**
     * The unconsumed bytes as a buffer positioned at the first and limited after the last. Moving
     * its position (a {@link Connection#write} does) consumes nothing; only {@link #consume}
     * does. Do not write into it.
     */
    ByteBuffer bytes();

    /** Copies {@code length} unconsumed bytes, starting {@code index} past the first, into {@code dst}. */
    void copyTo(int index, byte[] dst, int offset, int length);

    /** Consumes the first {@code n} unconsumed bytes. @throws IllegalArgumentException if n is negative or too large */
    void consume(int n);

    /** Consumes every readable byte. */
    void consumeAll();
}
