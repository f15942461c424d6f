package io.torque.core.net;

import java.nio.ByteBuffer;

/**
 * The {@link ReadBuffer} of one connection. Received bytes first land in the loop's shared
 * scratch buffer; only what the handler leaves unconsumed is copied into the connection's own
 * buffer, allocated on first need (so idle connections and handlers that consume everything own
 * no receive memory) and grown by doubling up to the configured maximum. Loop thread only.
 */
final class RxBuffer implements ReadBuffer {
    private static final int INITIAL = 4096;

    private final int max;
    /** The connection's own buffer, or null while it holds nothing. */
    private ByteBuffer own;
    /** Where the readable bytes are now: {@code own} or the loop's scratch. */
    private ByteBuffer data;
    private int start;
    private int end;
    /**
     * Whether the buffer is lent to an onRead callback right now: set before the handler runs,
     * cleared by {@link #settle()}. A handler that keeps the buffer and uses it later gets an
     * IllegalStateException instead of bytes that belong to another connection. Loop thread only.
     */
    private boolean lent;

    RxBuffer(int max) {
        this.max = max;
    }

    /** Whether unconsumed bytes wait in the connection's own buffer. */
    boolean holdsBytes() {
        return own != null && end > start;
    }

    /** Room left for a read into the own buffer, after compacting and growing as allowed. */
    ByteBuffer ownForAppend() {
        if (own == null) {
            own = ByteBuffer.allocateDirect(INITIAL);
        }
        if (start > 0) {
            own.limit(end).position(start);
            own.compact();
            end -= start;
            start = 0;
        }
        if (end == own.capacity() && own.capacity() < max) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.min(max, own.capacity() * 2));
            own.limit(end).position(0);
            bigger.put(own);
            own = bigger;
        }
        data = own;
        return own;
    }

    /** Capacity the own buffer has left ({@code ownForAppend} first). */
    int ownRoom() {
        return own.capacity() - end;
    }

    int end() {
        return end;
    }

    /** {@code n} bytes were received into the own buffer at {@link #end()}. */
    void appended(int n) {
        lent = true;
        end += n;
        own.clear(); // a previous bytes() left a limit at the old end
    }

    /** {@code n} bytes were received at the start of the loop's scratch buffer. */
    void inScratch(ByteBuffer scratch, int n) {
        // Shared by every connection of the loop: the last bytes() call, for whichever
        // connection, left its limit somewhere. Absolute gets are bounded by the limit.
        scratch.clear();
        lent = true;
        data = scratch;
        start = 0;
        end = n;
    }

    /** After the handler ran: keep what it left of scratch bytes in the own buffer. */
    void settle() {
        lent = false;
        if (data != own && end > start) {
            int left = end - start;
            if (own == null || own.capacity() < left) {
                int cap = INITIAL;
                while (cap < left) {
                    cap *= 2;
                }
                own = ByteBuffer.allocateDirect(Math.min(Math.max(cap, left), Math.max(max, left)));
            }
            ByteBuffer src = data.duplicate();
            src.limit(end).position(start);
            own.clear();
            own.put(src);
            start = 0;
            end = left;
            data = own;
        } else if (end == start) {
            start = 0;
            end = 0;
            data = own;
        }
    }

    /** Whether the unconsumed bytes fill the maximum. */
    boolean full() {
        return end - start >= max;
    }

    void release() {
        own = null;
        data = null;
        start = 0;
        end = 0;
    }

    private void checkLent() {
        if (!lent) {
            throw new IllegalStateException("a ReadBuffer is valid only during the onRead call it was passed to");
        }
    }

    @Override
    public int readableBytes() {
        checkLent();
        return end - start;
    }

    @Override
    public byte get(int index) {
        checkLent();
        if (index < 0 || index >= end - start) {
            throw new IndexOutOfBoundsException("index " + index + " of " + (end - start) + " readable bytes");
        }
        return data.get(start + index);
    }

    @Override
    public ByteBuffer bytes() {
        checkLent();
        if (data == null) {
            return ByteBuffer.allocate(0);
        }
        data.limit(end).position(start);
        return data;
    }

    @Override
    public void copyTo(int index, byte[] dst, int offset, int length) {
        checkLent();
        if (index < 0 || length < 0 || index + length > end - start) {
            throw new IndexOutOfBoundsException("bytes " + index + ".." + (index + length) + " of " + (end - start));
        }
        data.get(start + index, dst, offset, length);
    }

    @Override
    public void consume(int n) {
        checkLent();
        if (n < 0 || n > end - start) {
            throw new IllegalArgumentException("cannot consume " + n + " of " + (end - start) + " readable bytes");
        }
        start += n;
    }

    @Override
    public void consumeAll() {
        checkLent();
        start = end;
    }
}
