package io.torque.core.internal.net;

import io.torque.core.internal.loop.BufferPool;
import io.torque.core.net.ReadBuffer;

import java.nio.ByteBuffer;

/**
 * The {@link ReadBuffer} of one connection. Received bytes first land in the loop's shared
 * scratch buffer; only what the handler leaves unconsumed is copied into the connection's own
 * buffer, allocated on first need, grown by doubling up to the configured maximum, and dropped
 * again once the handler has consumed it all (so idle connections and handlers that consume
 * everything own no receive memory). {@link #bytes()} hands out a read-only view that belongs to
 * this connection (never the loop's scratch buffer itself) and is emptied when the callback
 * returns. Owner thread only.
 */
final class RxBuffer implements ReadBuffer {
    private static final int INITIAL = 4096;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

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
    /**
     * Read-only views handed out by bytes(), one per backing buffer, reused (no allocation per
     * event). Two scratch views: a connection handed between its home loop and a neighbour reads
     * from two loops' scratch buffers in turn, and one cached view made every move allocate.
     */
    private ByteBuffer scratchView;
    private ByteBuffer scratchViewOf;
    private ByteBuffer otherScratchView;
    private ByteBuffer otherScratchViewOf;
    private ByteBuffer ownView;
    /** The view bytes() last handed out, emptied by settle(). */
    private ByteBuffer lentView;

    RxBuffer(int max) {
        this.max = max;
    }

    /** Whether unconsumed bytes wait in the connection's own buffer. */
    boolean holdsBytes() {
        return own != null && end > start;
    }

    /** Room left for a read into the own buffer, after compacting and growing as allowed. */
    ByteBuffer ownForAppend(BufferPool pool) {
        if (own == null) {
            own = pool.take(INITIAL);
            ownView = null;
        }
        if (start > 0) {
            own.limit(end).position(start);
            own.compact();
            end -= start;
            start = 0;
        }
        if (end == own.capacity() && own.capacity() < max) {
            ByteBuffer bigger = pool.take(Math.min(max, own.capacity() * 2));
            own.limit(end).position(0);
            bigger.put(own);
            pool.give(own);
            own = bigger;
            ownView = null;
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

    /**
     * {@code n} plaintext bytes were unwrapped at the start of the loop's scratch buffer (TLS):
     * taken as they are when nothing waits, else appended to what waits (the own buffer grows as
     * needed; a handler that leaves the maximum unconsumed is closed after its call).
     */
    void received(ByteBuffer scratch, int n, BufferPool pool) {
        if (!holdsBytes()) {
            inScratch(scratch, n);
            return;
        }
        int held = end - start;
        if (own.capacity() - held < n) {
            ByteBuffer bigger = pool.take(held + n);
            bigger.put(0, own, start, held);
            pool.give(own);
            own = bigger;
            ownView = null;
        } else if (start > 0) {
            own.limit(end).position(start);
            own.compact();
        }
        own.clear();
        start = 0;
        end = held;
        own.put(end, scratch, 0, n);
        end += n;
        data = own;
        lent = true;
    }

    /** After the handler ran: keep what it left of scratch bytes in the own buffer. */
    void settle(BufferPool pool) {
        lent = false;
        if (lentView != null) {
            lentView.limit(0); // a view kept past the callback reads nothing, not other bytes
            lentView = null;
        }
        if (data != own && end > start) {
            int left = end - start;
            if (own == null || own.capacity() < left) {
                if (own != null) {
                    pool.give(own);
                }
                own = pool.take(Math.max(INITIAL, left));
                ownView = null;
            }
            own.clear();
            own.put(0, data, start, left); // absolute: no duplicate view per partial frame
            start = 0;
            end = left;
            data = own;
        } else if (end == start) {
            release(pool); // all consumed: back to the idle state, no receive memory
        }
    }

    /** Whether the unconsumed bytes fill the maximum. */
    boolean full() {
        return end - start >= max;
    }

    /**
     * Back to the idle state: no bytes, no own buffer (given back to {@code pool}, or, null off
     * the loops, left to the garbage collector).
     */
    void release(BufferPool pool) {
        if (own != null && pool != null) {
            pool.give(own);
        }
        own = null;
        ownView = null;
        data = null;
        start = 0;
        end = 0;
    }

    /** Whether the connection owns a receive buffer now (tests: idle connections own none). */
    boolean ownsMemory() {
        return own != null;
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
        ByteBuffer view;
        if (data == null) {
            return EMPTY;
        } else if (data == own) {
            if (ownView == null) {
                ownView = own.asReadOnlyBuffer();
            }
            view = ownView;
        } else {
            if (scratchViewOf != data) {
                // Swap in the other cached view; make one only for a scratch buffer seen last
                // before those two (the first read on a loop).
                ByteBuffer v = otherScratchView;
                ByteBuffer of = otherScratchViewOf;
                otherScratchView = scratchView;
                otherScratchViewOf = scratchViewOf;
                if (of == data) {
                    scratchView = v;
                } else {
                    scratchView = data.asReadOnlyBuffer();
                }
                scratchViewOf = data;
            }
            view = scratchView;
        }
        view.limit(end).position(start);
        lentView = view;
        return view;
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
