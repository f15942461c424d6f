package io.torque.core.framing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import io.torque.core.net.ReadBuffer;

/**
 * Finds whole frames at the start of a connection's {@link ReadBuffer}, as Netty's
 * {@code LineBasedFrameDecoder}, {@code DelimiterBasedFrameDecoder},
 * {@code LengthFieldBasedFrameDecoder} and {@code FixedLengthFrameDecoder} do, but in place: no
 * copy, no allocation per frame. A framer keeps how far it has scanned an unfinished frame, so
 * it is per connection (make one in the handler factory) and used on the connection's callbacks
 * only.
 *
 * <pre>{@code
 * Framer lines = Framer.lines(8192);
 * public Next onRead(Connection c, ReadBuffer in) {
 *     int n;
 *     while ((n = lines.next(in)) >= 0) {
 *         c.write(lines.payload(in)); // the line without its "\n" or "\r\n"
 *         in.consume(n);              // then the whole frame
 *     }
 *     return Next.CONTINUE;           // a partial frame stays for the next call
 * }
 * }</pre>
 *
 * <p>Contract: after {@link #next} returns a frame's length n, the caller handles it and
 * consumes exactly n bytes before the next call (or consumes nothing and calls again to see the
 * same frame). After it returns -1, the caller consumes nothing: the rest of the frame has not
 * arrived, and the next call goes on from where this one stopped. A frame longer than the
 * maximum throws {@link FrameTooLongException} as soon as that is known.
 */
public abstract class Framer {
    private int payloadOffset;
    private int payloadLength;

    Framer() {
    }

    /**
     * Lines ended by {@code "\n"}; the payload leaves out the {@code "\n"} and a {@code "\r"}
     * before it.
     *
     * @param maxLength the longest line, its ending included
     * @return a framer for one connection
     * @throws IllegalArgumentException if maxLength is less than 1
     */
    public static Framer lines(int maxLength) {
        return new DelimiterFramer(new byte[] {'\n'}, maxLength, true);
    }

    /**
     * Frames ended by {@code delimiter}; the payload leaves it out.
     *
     * @param delimiter the bytes that end a frame (copied)
     * @param maxLength the longest frame, its delimiter included
     * @return a framer for one connection
     * @throws IllegalArgumentException if the delimiter is empty or maxLength is less than its length
     */
    public static Framer delimited(byte[] delimiter, int maxLength) {
        Objects.requireNonNull(delimiter, "delimiter");
        return new DelimiterFramer(delimiter.clone(), maxLength, false);
    }

    /**
     * Frames of a length field (1, 2, 4 or 8 bytes, unsigned, in {@code order}) followed by that
     * many bytes of payload.
     *
     * @param fieldBytes the length field's size: 1, 2, 4 or 8
     * @param order the field's byte order
     * @param maxPayload the longest payload
     * @return a framer for one connection
     * @throws IllegalArgumentException for another field size, or maxPayload negative or above
     *     {@code Integer.MAX_VALUE - 8}
     */
    public static Framer lengthPrefixed(int fieldBytes, ByteOrder order, int maxPayload) {
        return new LengthFieldFramer(fieldBytes, Objects.requireNonNull(order, "order"), maxPayload);
    }

    /**
     * Frames of exactly {@code length} bytes.
     *
     * @param length each frame's length
     * @return a framer for one connection
     * @throws IllegalArgumentException if length is less than 1
     */
    public static Framer fixed(int length) {
        return new FixedLengthFramer(length);
    }

    /**
     * The next whole frame at the start of {@code in}.
     *
     * @param in the connection's unconsumed input, in its callback
     * @return the frame's total length (what to consume once it is handled), or -1 when it has
     *     not all arrived
     * @throws FrameTooLongException when the frame is, or will be, longer than the maximum
     */
    public abstract int next(ReadBuffer in);

    /**
     * Where the last frame's payload starts, from the first unconsumed byte.
     *
     * @return an index for {@link ReadBuffer#get} or {@link ReadBuffer#copyTo}
     */
    public final int payloadOffset() {
        return payloadOffset;
    }

    /**
     * The last frame's payload length.
     *
     * @return bytes
     */
    public final int payloadLength() {
        return payloadLength;
    }

    /**
     * The last frame's payload as {@code in}'s read-only view, positioned and limited to it
     * (valid in this callback only, as the view is).
     *
     * @param in the buffer {@link #next} was given
     * @return the payload bytes
     */
    public final ByteBuffer payload(ReadBuffer in) {
        ByteBuffer b = in.bytes();
        b.limit(b.position() + payloadOffset + payloadLength).position(b.position() + payloadOffset);
        return b;
    }

    /** Records the frame found: its payload's place, and its total length to return. */
    final int frame(int offset, int length, int total) {
        payloadOffset = offset;
        payloadLength = length;
        return total;
    }
}
