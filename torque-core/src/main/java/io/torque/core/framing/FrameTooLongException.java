package io.torque.core.framing;

/**
 * A frame (or the part of it that has arrived) is longer than the {@link Framer}'s maximum, or a
 * length field announces one that is. The stream cannot be resynchronised: close the connection.
 * Thrown as soon as the limit is passed, so a peer that never finishes a frame holds at most
 * the maximum (plus one read) of the connection's memory.
 */
public final class FrameTooLongException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The length seen or announced. */
    private final long length;
    /** The framer's maximum. */
    private final int maxLength;

    /**
     * @param length the length seen or announced (at least this long, for a frame still arriving)
     * @param maxLength the framer's maximum
     * @param what what kind of frame, for the message
     */
    FrameTooLongException(long length, int maxLength, String what) {
        super(what + " of " + length + " bytes or more exceeds the maximum of " + maxLength);
        this.length = length;
        this.maxLength = maxLength;
    }

    /**
     * The length seen or announced.
     *
     * @return bytes
     */
    public long length() {
        return length;
    }

    /**
     * The framer's maximum.
     *
     * @return bytes
     */
    public int maxLength() {
        return maxLength;
    }
}
