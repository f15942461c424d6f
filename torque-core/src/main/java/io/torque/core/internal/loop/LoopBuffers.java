package io.torque.core.internal.loop;

import java.nio.ByteBuffer;

/**
 * A loop's scratch memory, shared by every source the loop works on (one at a time): a receive
 * buffer (bytes land here first, and only what a handler leaves unconsumed is copied into the
 * connection), a send buffer (to pass heap bytes to {@code send}), writev's vector, and the pool
 * of direct buffers that write queues and receive buffers are made of. Made and
 * first touched by the loop's own thread, so the pages land on its NUMA node; 64-byte aligned.
 * Loop thread only.
 */
public final class LoopBuffers {
    /** Size of each scratch buffer. */
    public static final int SCRATCH_BYTES = 64 * 1024;
    private static final int CACHE_LINE = 64;
    private static final int PAGE = 4096;
    /** IOV_MAX on Linux. */
    private static final int IOV_MAX = 1024;

    private final ByteBuffer receive = touched(ByteBuffer.allocateDirect(SCRATCH_BYTES + CACHE_LINE).alignedSlice(CACHE_LINE));
    private final ByteBuffer send = touched(ByteBuffer.allocateDirect(SCRATCH_BYTES + CACHE_LINE).alignedSlice(CACHE_LINE));
    private final ByteBuffer[] iov = new ByteBuffer[IOV_MAX];
    private final BufferPool pool = new BufferPool();

    LoopBuffers() {
    }

    private static ByteBuffer touched(ByteBuffer b) {
        for (int i = 0; i < SCRATCH_BYTES; i += PAGE) {
            b.put(i, (byte) 0);
        }
        return b;
    }

    /**
     * The receive scratch buffer.
     *
     * @return the buffer; its position and limit are whatever the last user left
     */
    public ByteBuffer receive() {
        return receive;
    }

    /**
     * The send scratch buffer.
     *
     * @return the buffer; its position and limit are whatever the last user left
     */
    public ByteBuffer send() {
        return send;
    }

    /**
     * The loop's pool of direct buffers (write queues, grown receive buffers).
     *
     * @return the pool
     */
    public BufferPool pool() {
        return pool;
    }

    /**
     * writev's vector; clear the entries used after each call, so it keeps no buffer alive.
     *
     * @return the vector, {@code IOV_MAX} entries
     */
    public ByteBuffer[] iov() {
        return iov;
    }
}
