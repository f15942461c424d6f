package io.torque.core.internal.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection's write side: sending at once what the socket takes, queueing the rest (gathered
 * with writev when the socket is writable), writes from other threads (copied into the outbox and
 * handed to the owner), the water marks, and the half-close.
 *
 * <p>{@link #queued} counts every byte written and not yet sent, wherever it waits: the outbox
 * bytes are counted when {@code write} is called, so {@link #isWritable()} is honest for a
 * producer on another thread. {@link #writable} has hysteresis: a writer on any thread may turn
 * it false as soon as the count passes the high mark; only the owner turns it true again, when
 * the count falls below the low mark, and then runs {@code onWritable}. Because an off-loop
 * writer always hands its bytes to the owner after it may have turned the flag false, the owner
 * re-evaluates the flag after every such hand-off and no transition is lost.
 */
final class WriteSide {
    private final TcpConnection c;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<ByteBuffer> outbox = new ConcurrentLinkedQueue<>();
    /** Bytes written and not sent yet, from any thread (queue and outbox). */
    private final AtomicLong queued = new AtomicLong();
    /** An outbox task is on its way to the home loop (one per burst of off-loop writes). */
    private final AtomicBoolean outboxScheduled = new AtomicBoolean();
    private final Runnable outboxTask;
    private volatile boolean writable = true;
    /** Owner only: the owner has seen the count above the high mark and paused reading. */
    private boolean aboveHighMark;
    private boolean shutdownRequested;
    private boolean outputShut;

    WriteSide(TcpConnection c) {
        this.c = c;
        this.outboxTask = () -> {
            outboxScheduled.set(false); // before the drain: a write after it schedules again
            c.work(c.home, Work.OUTBOX);
        };
    }

    /** Connection.write, any thread. */
    void write(ByteBuffer src) {
        if (c.owned()) {
            writeOwned(src, false);
            return;
        }
        int n = src.remaining();
        if (n == 0) {
            return;
        }
        if (!c.isOpen()) {
            src.position(src.limit()); // dropped, as documented
            return;
        }
        ByteBuffer copy = ByteBuffer.allocateDirect(n);
        copy.put(src).flip();
        if (queued.addAndGet(n) > c.settings.highWaterMark()) {
            writable = false; // at once, so the producer sees back-pressure; the owner pauses reading
        }
        outbox.add(copy);
        if (outboxScheduled.compareAndSet(false, true)) {
            try {
                c.home.executeLater(outboxTask); // never inline: see OwnedSource.submit
            } catch (RejectedExecutionException e) {
                // the home loop has shut down and closed the connection
            }
        }
    }

    /** Writes the outbox (other threads' writes, in their order) as owner. */
    void drainOutbox() {
        if (outbox.isEmpty()) {
            return;
        }
        for (ByteBuffer b = outbox.poll(); b != null; b = outbox.poll()) {
            writeOwned(b, true);
        }
        updateWritability();
    }

    /**
     * Sends what the socket takes now and queues the rest. Owner only.
     *
     * @param counted whether {@link #queued} already counts these bytes (outbox bytes)
     */
    private void writeOwned(ByteBuffer src, boolean counted) {
        if (!counted && !outbox.isEmpty()) {
            drainOutbox(); // bytes another thread wrote first go first
        }
        int n = src.remaining();
        if (c.closer.closed() || c.closer.closing() || shutdownRequested) {
            src.position(src.limit());
            if (counted) {
                queued.addAndGet(-n);
            }
            return;
        }
        try {
            if (queue.isEmpty()) {
                sendNow(src);
            }
            int left = src.remaining();
            if (counted && n > left) {
                queued.addAndGet(left - n); // the part sent now
            }
            if (left > 0) {
                // An outbox buffer is already the connection's own copy: queue it as it is.
                ByteBuffer copy = counted ? src : ByteBuffer.allocateDirect(left).put(src).flip();
                queue.add(copy);
                if (!counted) {
                    queued.addAndGet(left);
                }
                updateWritability();
            }
        } catch (Throwable t) {
            c.failOwned(t);
        }
    }

    /** Sends as much of {@code src} as the socket takes now. */
    private void sendNow(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            int n;
            if (src.isDirect()) {
                n = c.socket.send(src, src.position(), src.limit());
            } else {
                ByteBuffer s = c.current().buffers().send();
                int chunk = Math.min(s.capacity(), src.remaining());
                s.clear();
                s.put(0, src, src.position(), chunk);
                n = c.socket.send(s, 0, chunk);
            }
            if (n <= 0) {
                return; // the socket is full: EPOLLOUT will tell
            }
            src.position(src.position() + n);
        }
    }

    /** Sends queued buffers, gathered with writev, then finishes a pending half-close or close. Owner only. */
    void flush() throws Exception {
        if (queue.isEmpty() || c.closer.closed()) {
            return;
        }
        ByteBuffer[] iov = c.current().buffers().iov();
        while (!queue.isEmpty()) {
            int count = 0;
            long bytes = 0;
            for (ByteBuffer b : queue) {
                if (count == iov.length) {
                    break;
                }
                iov[count++] = b;
                bytes += b.remaining();
            }
            long written;
            try {
                written = c.socket.writev(iov, 0, count, bytes);
            } finally {
                Arrays.fill(iov, 0, count, null);
            }
            if (written <= 0) {
                break;
            }
            queued.addAndGet(-written);
            long left = written;
            while (left > 0) {
                ByteBuffer head = queue.peek();
                int take = (int) Math.min(head.remaining(), left);
                head.position(head.position() + take);
                left -= take;
                if (!head.hasRemaining()) {
                    queue.poll();
                }
            }
            if (written < bytes) {
                break; // partly written: the socket is full
            }
        }
        if (queue.isEmpty()) {
            queueDrained();
        }
        updateWritability();
    }

    private void queueDrained() throws IOException {
        if (c.closer.closing()) {
            c.closer.outputDrained();
        } else if (shutdownRequested && !outputShut) {
            shutOutputNow();
        }
    }

    /**
     * Turns {@link #writable} and the reading pause by the count's position against the water
     * marks; runs {@code onWritable} on the way down. Owner only.
     */
    private void updateWritability() {
        long q = queued.get();
        if (q > c.settings.highWaterMark()) {
            writable = false;
            if (!aboveHighMark) {
                aboveHighMark = true;
                c.reader.highMarkPause(true);
            }
        } else if (q < c.settings.lowWaterMark() && (aboveHighMark || !writable)) {
            aboveHighMark = false;
            writable = true;
            c.reader.highMarkPause(false);
            if (!c.closer.closing() && !c.closer.closed()) {
                try {
                    c.handler.onWritable(c);
                } catch (Throwable t) {
                    c.failOwned(t);
                    return;
                }
                c.reader.requeue(); // reading resumes: bytes that waited made no new edge
            }
        }
    }

    /** Connection.shutdownOutput as owner: FIN once the queue is sent. */
    void shutdownOutput() throws IOException {
        if (shutdownRequested || c.closer.closed() || c.closer.closing()) {
            return;
        }
        drainOutbox(); // bytes other threads wrote before the half-close go out before the FIN
        if (shutdownRequested || c.closer.closed() || c.closer.closing()) {
            return;
        }
        shutdownRequested = true;
        if (queue.isEmpty()) {
            shutOutputNow();
        }
    }

    private void shutOutputNow() throws IOException {
        outputShut = true;
        c.socket.shutdown(false, true);
        if (c.reader.peerShutdown()) {
            c.finishClose(null); // both directions are done
        }
    }

    /** Whether our FIN went out through {@link #shutdownOutput()}. */
    boolean outputShut() {
        return outputShut;
    }

    boolean queueEmpty() {
        return queue.isEmpty();
    }

    long queuedBytes() {
        return queued.get();
    }

    boolean isWritable() {
        return writable;
    }

    /** The connection closed: queued bytes are dropped. */
    void release() {
        queue.clear();
        outbox.clear();
        queued.set(0);
    }
}
