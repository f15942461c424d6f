package io.torque.testkit;

import java.util.Arrays;

/** A FIFO of bytes for {@link TestConnection}'s queues. */
final class ByteQueue {
    private byte[] bytes = new byte[256];
    private int start;
    private int end;

    void add(byte[] src, int offset, int length) {
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

    /** Moves the first {@code n} bytes of {@code from} to the end of this queue. */
    void addFrom(ByteQueue from, int n) {
        add(from.bytes, from.start, n);
        from.start += n;
    }

    int size() {
        return end - start;
    }

    /** The byte {@code i} past the first. */
    byte get(int i) {
        return bytes[start + i];
    }

    /** Drops the first {@code n} bytes. */
    void consume(int n) {
        start += n;
    }

    /** Copies {@code length} bytes from {@code i} past the first into {@code dst}. */
    void copyTo(int i, byte[] dst, int offset, int length) {
        System.arraycopy(bytes, start + i, dst, offset, length);
    }

    /** A read-only view of the queued bytes (valid until the queue changes). */
    java.nio.ByteBuffer view() {
        return java.nio.ByteBuffer.wrap(bytes, start, end - start).slice().asReadOnlyBuffer();
    }

    byte[] takeAll() {
        byte[] out = Arrays.copyOfRange(bytes, start, end);
        start = 0;
        end = 0;
        return out;
    }

    void clear() {
        start = 0;
        end = 0;
    }
}
