package io.torque.core.internal.loop;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A loop's pool of direct buffers in power-of-two size classes from 4 KiB to 1 MiB: write queue
 * chunks and grown receive buffers come from here and go back here, so the hot paths never call
 * {@code ByteBuffer.allocateDirect} once the pool is warm (a fresh direct buffer is zeroed,
 * registers a Cleaner under a JDK-wide lock and, at the direct-memory limit, makes the calling
 * thread run {@code System.gc()} and sleep). At most {@link #MAX_CACHED_BYTES} wait in the pool;
 * beyond that a returned buffer is left to the garbage collector, and a request above 1 MiB gets
 * a buffer of its own.
 *
 * <p>Loop thread only, no locks: a buffer is taken and given back by whichever loop owns the
 * connection at the moment, so buffers may move between loops' pools (a handed connection
 * returns its chunks to its recipient's pool), which is harmless. docs/benchmarks.md has the
 * JMH comparison with {@code allocateDirect} and Netty's pooled allocator that chose this.
 */
public final class BufferPool {
    /** The smallest class. */
    public static final int MIN_BYTES = 4096;
    /** The largest class; larger requests are not pooled. */
    public static final int MAX_BYTES = 1 << 20;
    /** The most bytes the pool keeps for reuse. */
    public static final long MAX_CACHED_BYTES = 8L << 20;
    private static final int MIN_SHIFT = 12;
    private static final int CLASSES = 9; // 4 KiB .. 1 MiB

    @SuppressWarnings("unchecked")
    private final ArrayDeque<ByteBuffer>[] free = new ArrayDeque[CLASSES];
    private long cachedBytes;
    private long allocated;

    /** An empty pool. */
    public BufferPool() {
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /** The class index for {@code bytes}, or -1 above the largest class. */
    private static int classOf(int bytes) {
        if (bytes > MAX_BYTES) {
            return -1;
        }
        int size = Math.max(MIN_BYTES, Integer.highestOneBit(Math.max(1, bytes - 1)) << 1);
        return Integer.numberOfTrailingZeros(size) - MIN_SHIFT;
    }

    /**
     * A cleared direct buffer of at least {@code minBytes}: the size class's (a power of two,
     * at least 4 KiB), or exactly {@code minBytes} above 1 MiB.
     *
     * @param minBytes the capacity needed, at least 1
     * @return a buffer with position 0 and limit at its capacity
     */
    public ByteBuffer take(int minBytes) {
        int c = classOf(minBytes);
        if (c < 0) {
            allocated++;
            return ByteBuffer.allocateDirect(minBytes);
        }
        ByteBuffer b = free[c].pollLast(); // the most recently used: warm in cache
        if (b == null) {
            allocated++;
            return ByteBuffer.allocateDirect(MIN_BYTES << c);
        }
        cachedBytes -= b.capacity();
        return b.clear();
    }

    /**
     * Takes {@code b} back for reuse, if it is of a size class and the pool has room. The caller
     * must not use it afterwards.
     *
     * @param b a buffer from {@link #take}, or any direct buffer (others are dropped)
     */
    public void give(ByteBuffer b) {
        int cap = b.capacity();
        if (!b.isDirect() || cap < MIN_BYTES || cap > MAX_BYTES || Integer.bitCount(cap) != 1
                || cachedBytes + cap > MAX_CACHED_BYTES) {
            return;
        }
        free[Integer.numberOfTrailingZeros(cap) - MIN_SHIFT].addLast(b);
        cachedBytes += cap;
    }

    /**
     * How many buffers were allocated since the loop started (not reused): a warm pool stops
     * counting.
     *
     * @return the count
     */
    public long allocations() {
        return allocated;
    }

    /**
     * The bytes waiting in the pool.
     *
     * @return bytes
     */
    public long cachedBytes() {
        return cachedBytes;
    }
}
