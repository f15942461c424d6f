package io.torque.core.internal.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.torque.core.internal.loop.BufferPool;
import io.torque.core.internal.loop.Loop;

/**
 * A connection's write side: writes gathered while the owner works and sent with one
 * {@code writev} when its turn ends (or on an explicit flush), the queue of what the socket did
 * not take yet, writes from other threads (copied into the outbox and handed to the owner), the
 * water marks, and the half-close.
 *
 * <p>Gathering: a write copies its bytes into the tail of the queue, made of chunks from the
 * owner loop's {@link BufferPool}, and makes no system call; a burst of replies that a callback
 * (or a turn of several callbacks) writes goes out in one {@code writev}, in as few packets as
 * the kernel likes. A large write ({@link #SEND_AT_ONCE} bytes or more) to an empty queue is sent
 * at once instead, without the copy, and only its remainder is queued. Sent chunks go back to the
 * pool of the loop that sent them.
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
    /** A write at least this large to an empty queue is sent at once instead of gathered. */
    static final int SEND_AT_ONCE = 64 * 1024;
    /** The size of a fresh queue chunk for small writes. */
    private static final int CHUNK = 16 * 1024;

    private final TcpConnection c;
    /** Chunks from the pool, each with position at its first unsent byte and limit after its last. */
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    /**
     * TLS only: the plaintext written and not wrapped yet, chunks as in {@link #queue}; each
     * flush wraps it into records in {@link #queue} (once the handshake is done).
     */
    private final ArrayDeque<ByteBuffer> plain = new ArrayDeque<>();
    /** Other threads' writes, each its own heap copy (no direct memory off the loops). */
    private final ConcurrentLinkedQueue<Object> outbox = new ConcurrentLinkedQueue<>(); // byte[] or FileRegion
    /** Files being sent, in order; each has its marker in the queue (or in plain, under TLS). Owner only. */
    private final ArrayDeque<FileRegion> files = new ArrayDeque<>();
    /** File bytes sent (or, under TLS, read) in the current share, at most {@link FileRegion#BYTES_PER_TURN}. */
    private long fileShare;
    /** A FILE_TURN task is on its way: the next share starts when it runs. */
    private boolean fileTurnQueued;
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
            c.workHere(Work.OUTBOX); // on the loop the task was queued on
        };
    }

    /** Connection.write, any thread. */
    void write(ByteBuffer src) {
        if (c.owned()) {
            writeOwned(src);
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
        byte[] copy = new byte[n];
        src.get(copy);
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

    /** Appends the outbox (other threads' writes, in their order) to the queue, as owner. */
    void drainOutbox() {
        if (outbox.isEmpty()) {
            return;
        }
        for (Object o = outbox.poll(); o != null; o = outbox.poll()) {
            if (o instanceof byte[] b) {
                if (dropping()) {
                    queued.addAndGet(-b.length);
                } else {
                    append(ByteBuffer.wrap(b)); // counted at write()
                }
            } else {
                appendFile((FileRegion) o);
            }
        }
        updateWritability();
    }

    /** Connection.sendFile, any thread: the file goes after what was written before, before what after. */
    void sendFile(FileRegion r) {
        if (!c.isOpen() || r.done()) {
            r.close(); // dropped, as a write after close is; or nothing to send
            return;
        }
        if (queued.addAndGet(r.remaining()) > c.settings.highWaterMark()) {
            writable = false;
        }
        if (c.owned()) {
            drainOutbox();
            appendFile(r);
            updateWritability();
            return;
        }
        outbox.add(r);
        if (!c.isOpen() && outbox.remove(r)) {
            // closed meanwhile: its release may have drained the outbox before our add
            queued.addAndGet(-r.remaining());
            r.close();
            return;
        }
        if (outboxScheduled.compareAndSet(false, true)) {
            try {
                c.home.executeLater(outboxTask);
            } catch (RejectedExecutionException e) {
                // the home loop has shut down: the context's final sweep releases the connection
            }
        }
    }

    /** Puts the file's marker at the queue's tail (counted at sendFile). Owner only. */
    private void appendFile(FileRegion r) {
        if (dropping()) {
            queued.addAndGet(-r.remaining());
            r.close();
            return;
        }
        files.addLast(r);
        (c.tls != null ? plain : queue).addLast(r.marker);
    }

    /** Whether {@code b} is the marker of the next file to send. */
    private boolean isFileMarker(ByteBuffer b) {
        return !files.isEmpty() && b == files.peekFirst().marker;
    }

    /**
     * Sends from the file at the queue's head with sendfile, within the current share.
     *
     * @return true to go on with the queue (the file is done, or the socket took less than asked
     *     and the next call will tell), false to stop: the socket is full (EPOLLOUT will come) or
     *     the share is spent (a FILE_TURN will come)
     */
    private boolean sendFileHead(Loop loop) throws IOException {
        if (fileShare >= FileRegion.BYTES_PER_TURN) {
            yieldShare();
            return false;
        }
        FileRegion r = files.peekFirst();
        if (!r.canSendfile()) {
            return readFileHead(loop, queue); // a caller's channel: read into chunks, then writev them
        }
        long n = r.sendTo(c.socket.intValue(), FileRegion.BYTES_PER_TURN - fileShare);
        if (n > 0) {
            loop.counters().written(n);
            queued.addAndGet(-n);
            fileShare += n;
        }
        if (r.done()) {
            files.pollFirst();
            queue.pollFirst(); // the marker
            r.close();
            return true;
        }
        return n > 0;
    }

    /** The share is spent: one FILE_TURN task, so the rest goes after the loop's other work. */
    private void yieldShare() {
        if (!fileTurnQueued) {
            fileTurnQueued = true;
            c.submit(Work.FILE_TURN);
        }
    }

    /** A FILE_TURN: a new share of file bytes for this connection. Owner only. */
    void newFileShare() {
        fileTurnQueued = false;
        fileShare = 0;
    }

    /**
     * When the next file's marker heads {@code into} (the plaintext under TLS, or the queue for a
     * caller's channel), reads the rest of the share of the file into pooled chunks in front of
     * it (wrapped as any plaintext, or sent with writev).
     *
     * @return whether it read (or finished the file): false when it may not yet
     */
    private boolean readFileHead(Loop loop, ArrayDeque<ByteBuffer> into) throws IOException {
        if (files.isEmpty() || into.peekFirst() != files.peekFirst().marker) {
            return false;
        }
        if (fileShare >= FileRegion.BYTES_PER_TURN) {
            yieldShare(); // spent (by files before this one, too): the next share after the loop's others
            return false;
        }
        if (into == plain && !queue.isEmpty()) {
            return false; // the last share's records are not all sent (a slow reader): EPOLLOUT brings us back
        }
        FileRegion r = files.peekFirst();
        into.pollFirst();
        ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>(4);
        BufferPool pool = loop.buffers().pool();
        long read = 0;
        try {
            while (!r.done() && fileShare + read < FileRegion.BYTES_PER_TURN) {
                ByteBuffer b = pool.take(CHUNK * 4);
                try {
                    read += r.readInto(b);
                } catch (IOException e) {
                    pool.give(b); // not queued: no stale bytes go out
                    throw e;
                }
                b.flip();
                chunks.addLast(b);
            }
            fileShare += read;
        } finally {
            if (r.done()) {
                files.pollFirst();
                r.close();
            } else {
                into.addFirst(r.marker);
                yieldShare(); // the whole share was read: the next after the loop's others, once this is sent
            }
            for (ByteBuffer b = chunks.pollLast(); b != null; b = chunks.pollLast()) {
                into.addFirst(b);
            }
        }
        return read > 0 || r.done();
    }

    private boolean dropping() {
        return c.closer.closed() || c.closer.closing() || shutdownRequested;
    }

    /** Gathers {@code src} (or, large to an empty queue, sends it at once). Owner only. */
    private void writeOwned(ByteBuffer src) {
        if (!outbox.isEmpty()) {
            drainOutbox(); // bytes another thread wrote first go first
        }
        int n = src.remaining();
        if (dropping()) {
            src.position(src.limit());
            return;
        }
        try {
            if (n >= SEND_AT_ONCE && queue.isEmpty() && c.tls == null) {
                sendNow(src);
            }
            int left = src.remaining();
            if (left > 0) {
                queued.addAndGet(left);
                append(src);
                updateWritability();
            }
        } catch (Throwable t) {
            c.failOwned(t);
        }
    }

    /**
     * Copies {@code src}'s remaining bytes to the tail of the queue (of the plaintext, under
     * TLS), taking chunks from the pool.
     */
    private void append(ByteBuffer src) {
        BufferPool pool = c.current().buffers().pool();
        ArrayDeque<ByteBuffer> queue = c.tls != null ? plain : this.queue;
        while (src.hasRemaining()) {
            ByteBuffer tail = queue.peekLast();
            if (tail == null || tail.limit() == tail.capacity()) {
                tail = pool.take(Math.max(CHUNK, Math.min(src.remaining(), BufferPool.MAX_BYTES)));
                tail.limit(0);
                queue.addLast(tail);
            }
            int n = Math.min(src.remaining(), tail.capacity() - tail.limit());
            int at = tail.limit();
            tail.limit(at + n); // an absolute put stays within the limit
            tail.put(at, src, src.position(), n);
            src.position(src.position() + n);
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
            c.current().counters().written(n);
            src.position(src.position() + n);
        }
    }

    /**
     * Sends the queue, gathered with writev, as far as the socket takes it; then finishes a
     * pending half-close or close. Owner only: at the end of every turn, on EPOLLOUT, and on an
     * explicit {@code flush()}.
     */
    void flush() throws Exception {
        while (flushOnce()) {
            // a TLS file's next chunks: every record sent, share left (a loop, not recursion:
            // many small files may end within one share)
        }
    }

    /** One pass of {@link #flush()}; true when a TLS file should be read on at once. */
    private boolean flushOnce() throws Exception {
        if (c.closer.closed()) {
            return false;
        }
        Loop loop = c.current();
        if (c.tls != null && !plain.isEmpty()) {
            // wrap up to the next file, read a share of it, wrap that: files go in order, in chunks
            ByteBuffer stop = files.isEmpty() ? null : files.peekFirst().marker;
            queued.addAndGet(c.tls.wrap(plain, loop, stop));
            if (stop != null && plain.peekFirst() == stop) {
                readFileHead(loop, plain);
                queued.addAndGet(c.tls.wrap(plain, loop, files.isEmpty() ? null : files.peekFirst().marker));
            }
        }
        if (queue.isEmpty()) {
            c.watchWritable(false);
            if (plain.isEmpty() && c.tls != null && (c.closer.closing() || shutdownRequested)) {
                drainedAfterTls(); // a close_notify queued (or dropped writes) since: send it, then FIN
            }
            return false;
        }
        ByteBuffer[] iov = loop.buffers().iov();
        BufferPool pool = loop.buffers().pool();
        while (!queue.isEmpty()) {
            if (isFileMarker(queue.peekFirst())) {
                if (sendFileHead(loop)) {
                    continue;
                }
                break;
            }
            int count = 0;
            long bytes = 0;
            if (queue.size() == 1) { // the usual case, without the iterator an ArrayDeque allocates
                ByteBuffer b = queue.peekFirst();
                iov[count++] = b;
                bytes = b.remaining();
            } else {
                for (ByteBuffer b : queue) {
                    if (count == iov.length || isFileMarker(b)) {
                        break;
                    }
                    iov[count++] = b;
                    bytes += b.remaining();
                }
            }
            long written;
            try {
                // one buffer: write, not a one-element writev, whose JNI looks up each element's
                // fields (WritePathBench: 4 799 against 5 078 ns per 64-byte reply on loopback)
                written = count == 1 ? c.socket.write(iov[0], iov[0].position(), iov[0].limit())
                        : c.socket.writev(iov, 0, count, bytes);
            } finally {
                Arrays.fill(iov, 0, count, null);
            }
            if (written <= 0) {
                break;
            }
            loop.counters().written(written);
            queued.addAndGet(-written);
            long left = written;
            while (left > 0) {
                ByteBuffer head = queue.peek();
                int take = (int) Math.min(head.remaining(), left);
                head.position(head.position() + take);
                left -= take;
                if (!head.hasRemaining()) {
                    pool.give(queue.poll());
                }
            }
            if (written < bytes) {
                break; // partly written: the socket is full
            }
        }
        if (c.tls != null && queue.isEmpty() && !files.isEmpty() && plain.peekFirst() == files.peekFirst().marker) {
            if (fileShare < FileRegion.BYTES_PER_TURN) {
                return true; // every record sent and a file next: read on, within the share (each pass reads some)
            }
            yieldShare(); // spent: the next share after the loop's others
        }
        c.watchWritable(!queue.isEmpty()); // before queueDrained: its FIN may close the connection
        if (queue.isEmpty() && plain.isEmpty()) {
            if (c.tls != null) {
                drainedAfterTls();
            } else {
                queueDrained();
            }
        }
        updateWritability();
        return false;
    }

    /**
     * Everything is sent on a TLS connection: a close or half-close under way queues
     * close_notify first (the queue is no longer empty), which is sent before the FIN.
     */
    private void drainedAfterTls() throws Exception {
        queueDrained();
        if (!queue.isEmpty() && !c.closer.closed()) {
            flush(); // the close_notify just queued; its own drain sends the FIN
        }
    }

    /**
     * Queues a chunk of TLS records (the handshake's, an alert, close_notify) behind what waits,
     * counted as queued. Owner only.
     */
    void queueWire(ByteBuffer chunk, int bytes) {
        queued.addAndGet(bytes);
        queue.addLast(chunk);
    }

    /** Queues a chunk of records wrapped from plaintext already counted (the caller adjusts). */
    void queueWireUncounted(ByteBuffer chunk) {
        queue.addLast(chunk);
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
        if (queue.isEmpty() && plain.isEmpty()) {
            shutOutputNow();
        }
    }

    private void shutOutputNow() throws IOException {
        if (c.tls != null && c.tls.queueCloseNotify(true)) {
            return; // sent first; the drain calls here again
        }
        outputShut = true;
        c.shutdownSocketOutput();
        if (c.reader.peerShutdown()) {
            c.finishClose(null); // both directions are done
        }
    }

    /** Whether our FIN went out through {@link #shutdownOutput()}. */
    boolean outputShut() {
        return outputShut;
    }

    boolean queueEmpty() {
        return queue.isEmpty() && plain.isEmpty();
    }

    long queuedBytes() {
        return queued.get();
    }

    boolean isWritable() {
        return writable;
    }

    /**
     * The connection closed: queued bytes are dropped, their chunks back to the pool of the loop
     * closing it ({@code loop} null off the loops: left to the garbage collector).
     */
    void release(Loop loop) {
        if (loop != null) {
            BufferPool pool = loop.buffers().pool();
            for (ByteBuffer b = queue.poll(); b != null; b = queue.poll()) {
                pool.give(b);
            }
            for (ByteBuffer b = plain.poll(); b != null; b = plain.poll()) {
                pool.give(b);
            }
        }
        queue.clear();
        plain.clear();
        for (FileRegion r = files.poll(); r != null; r = files.poll()) {
            r.close();
        }
        for (Object o = outbox.poll(); o != null; o = outbox.poll()) {
            if (o instanceof FileRegion r) {
                r.close();
            }
        }
        outbox.clear();
        queued.set(0);
    }
}
