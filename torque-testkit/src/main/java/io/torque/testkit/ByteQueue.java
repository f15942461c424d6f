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
