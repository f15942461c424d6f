package io.torque.testkit;

import java.nio.ByteBuffer;

import io.torque.core.net.ReadBuffer;

/**
 * {@link TestConnection}'s receive buffer: what arrived and the handler has not consumed, lent
 * to one callback at a time and unusable outside it, as torque's is.
 */
final class TestReadBuffer implements ReadBuffer {
    private final ByteQueue bytes = new ByteQueue();
    private boolean lent;
    private ByteBuffer view;

    void append(byte[] src) {
        bytes.add(src, 0, src.length);
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
        return bytes.size();
    }

    void clear() {
        bytes.clear();
    }

    private void check() {
        if (!lent) {
            throw new IllegalStateException("a ReadBuffer is valid only during the callback it is passed to");
        }
    }

    @Override
    public int readableBytes() {
        check();
        return bytes.size();
    }

    @Override
    public byte get(int index) {
        check();
        if (index < 0 || index >= bytes.size()) {
            throw new IndexOutOfBoundsException("index " + index + " of " + bytes.size() + " readable bytes");
        }
        return bytes.get(index);
    }

    @Override
    public ByteBuffer bytes() {
        check();
        view = bytes.view();
        return view;
    }

    @Override
    public void copyTo(int index, byte[] dst, int offset, int length) {
        check();
        if (index < 0 || length < 0 || index + length > bytes.size()) {
            throw new IndexOutOfBoundsException("bytes " + index + ".." + (index + length) + " of " + bytes.size());
        }
        bytes.copyTo(index, dst, offset, length);
    }

    @Override
    public void consume(int n) {
        check();
        if (n < 0 || n > bytes.size()) {
            throw new IllegalArgumentException("consume " + n + " of " + bytes.size() + " readable bytes");
        }
        bytes.consume(n);
    }

    @Override
    public void consumeAll() {
        check();
        bytes.consume(bytes.size());
    }
}
