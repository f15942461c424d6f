package io.torque.core.framing;

import io.torque.core.net.ReadBuffer;

/** Frames of one fixed length. */
final class FixedLengthFramer extends Framer {
    private final int length;

    FixedLengthFramer(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("the frame length must be at least 1: " + length);
        }
        this.length = length;
    }

    @Override
    public int next(ReadBuffer in) {
        return in.readableBytes() < length ? -1 : frame(0, length, length);
    }
}
