package io.torque.core.framing;

import java.nio.ByteOrder;

import io.torque.core.net.ReadBuffer;

/** A length field (unsigned) and that many bytes of payload. */
final class LengthFieldFramer extends Framer {
    private final int fieldBytes;
    private final boolean bigEndian;
    private final int maxPayload;

    LengthFieldFramer(int fieldBytes, ByteOrder order, int maxPayload) {
        if (fieldBytes != 1 && fieldBytes != 2 && fieldBytes != 4 && fieldBytes != 8) {
            throw new IllegalArgumentException("the length field is 1, 2, 4 or 8 bytes, not " + fieldBytes);
        }
        if (maxPayload < 0 || maxPayload > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxPayload must be in [0, Integer.MAX_VALUE - 8]: " + maxPayload);
        }
        this.fieldBytes = fieldBytes;
        this.bigEndian = order == ByteOrder.BIG_ENDIAN;
        this.maxPayload = maxPayload;
    }

    @Override
    public int next(ReadBuffer in) {
        int readable = in.readableBytes();
        if (readable < fieldBytes) {
            return -1;
        }
        long length = 0;
        for (int k = 0; k < fieldBytes; k++) {
            int b = in.get(bigEndian ? k : fieldBytes - 1 - k) & 0xFF;
            length = (length << 8) | b;
        }
        // unsigned: an 8-byte field with its top bit set reads negative here, and is too long
        if (length < 0 || length > maxPayload) {
            throw new FrameTooLongException(length < 0 ? Long.MAX_VALUE : length, maxPayload, "a length-prefixed payload");
        }
        int total = fieldBytes + (int) length;
        if (readable < total) {
            return -1;
        }
        return frame(fieldBytes, (int) length, total);
    }
}
