package io.torque.testkit;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.torque.core.net.ReadBuffer;

/**
 * {@link TestConnection}'s receive buffer: what arrived and the handler has not consumed, lent
 * to one callback at a time and unusable outside it, as torque's is.
 */
final class TestReadBuffer implements ReadBuffer {
    private byte[] bytes = new byte[256];
    private int start;
    private int end;
    private boolean lent;
    private ByteBuffer view;

    void append(byte[] src) {
        if (end + src.length > bytes.length) {
            byte[] bigger = new byte[Math.max(bytes.length * 2, end - start + src.length)];
            System.arraycopy(bytes, start, bigger, 0, end - start);
            end -= start;
            start = 0;
            bytes = bigger;
        }
        System.arraycopy(src, 0, bytes, end, src.length);
        end += src.length;
    }

    /** Lends the buffer to a callback. */
    ReadBuffer lend() {
        lent = true;
        return this;
    }

    /** The callback returned: the buffer and any view of it stop working. */
    void settle() {
        lent = false;
        if (view != null) {
            view.position(0).limit(0); // a view kept past the callback reads nothing
            view = null;
        }
    }

    int size() {
        return end - start;
    }

    void clear() {
        start = 0;
        end = 0;
        Arrays.fill(bytes, (byte) 0);
    }

    private void check() {
        if (!lent) {
            throw new IllegalStateException("a ReadBuffer is valid only during the callback it is passed to");
        }
    }

    @Override
    public int readableBytes() {
        check();
        return end - start;
    }

    @Override
    public byte get(int index) {
        check();
        if (index < 0 || index >= end - start) {
            throw new IndexOutOfBoundsException("index " + index + " of " + (end - start) + " readable bytes");
        }
        return bytes[start + index];
    }

    @Override
    public ByteBuffer bytes() {
        check();
        view = ByteBuffer.wrap(bytes, start, end - start).slice().asReadOnlyBuffer();
        return view;
    }

    @Override
    public void copyTo(int index, byte[] dst, int offset, int length) {
        check();
        if (index < 0 || length < 0 || index + length > end - start) {
            throw new IndexOutOfBoundsException("bytes " + index + ".." + (index + length) + " of " + (end - start));
        }
        System.arraycopy(bytes, start + index, dst, offset, length);
    }

    @Override
    public void consume(int n) {
        check();
        if (n < 0 || n > end - start) {
            throw new IllegalArgumentException("consume " + n + " of " + (end - start) + " readable bytes");
        }
        start += n;
    }

    @Override
    public void consumeAll() {
        check();
        start = end;
    }
}
