package io.torque.core.framing;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.torque.core.net.ReadBuffer;

/** A ReadBuffer over a growing byte array, as a connection's would look across callbacks. */
final class ArrayReadBuffer implements ReadBuffer {
    private byte[] bytes = new byte[64];
    private int start;
    private int end;

    void append(byte[] src, int offset, int length) {
        if (end + length > bytes.length) {
            byte[] bigger = new byte[Math.max(bytes.length * 2, end - start + length)];
            System.arraycopy(bytes, start, bigger, 0, end - start);
            end -= start;
            start = 0;
            bytes = bigger;
        }
        System.arraycopy(src, offset, bytes, end, length);
        end += length;
    }

    @Override
    public int readableBytes() {
        return end - start;
    }

    @Override
    public byte get(int index) {
        if (index < 0 || index >= end - start) {
            throw new IndexOutOfBoundsException(index);
        }
        return bytes[start + index];
    }

    @Override
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(bytes, start, end - start).asReadOnlyBuffer();
    }

    @Override
    public void copyTo(int index, byte[] dst, int offset, int length) {
        System.arraycopy(bytes, start + index, dst, offset, length);
    }

    @Override
    public void consume(int n) {
        if (n < 0 || n > end - start) {
            throw new IllegalArgumentException("consume " + n + " of " + (end - start));
        }
        start += n;
    }

    @Override
    public void consumeAll() {
        start = end;
    }

    byte[] readable() {
        return Arrays.copyOfRange(bytes, start, end);
    }
}
