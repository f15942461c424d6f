package io.torque.testkit;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionAbortedException;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.Next;

/**
 * Drives a {@link ConnectionHandler} without sockets or loops, as Netty's {@code EmbeddedChannel}
 * does, so protocol code is unit-tested in microseconds: the test plays the peer ({@link #receive}
 * bytes in the chunks it chooses, read what the handler {@link #written wrote}, shut its side
 * down, reset, stop reading) and the clock ({@link #advance}, for the idle timeout and the
 * graceful close's drain deadline). Callbacks run on the calling thread, one at a time.
 *
 * <p>It keeps torque's contract: unconsumed bytes are offered again with the next ones; a
 * callback's writes are sent when it returns (or at {@link #flush()}); above the high water mark
 * of queued bytes reading pauses and {@link #isWritable()} is false until the peer reads below
 * the low mark, then {@code onWritable} runs; {@link Next#CLOSE} and {@link #close()} send what
 * is queued, then FIN, and {@code onClose} runs with a null cause once it is sent; a callback that
 * throws closes the connection with that cause (and it is listed in {@link #errors()}, as the
 * context's error handler would get it); {@code onClose} runs exactly once; the read buffer
 * maximum, the idle timeout and (for a context's close, {@link #contextCloses()}) the drain
 * deadline close it as torque would, with the same kinds of cause. Not threadsafe: use it from one thread.
 *
 * <pre>{@code
 * TestConnection c = TestConnection.open(new MyHandler());
 * c.receive("PIN").receive("G\r\n");          // one request in two pieces
 * assertThat(c.writtenAscii()).isEqualTo("+PONG\r\n");
 * c.peerShutdown();                            // FIN: the default onPeerShutdown closes
 * assertThat(c.closed()).isTrue();
 * }</pre>
 */
public final class TestConnection implements Connection {
    /** How long a graceful close waits for a peer that does not read (torque's default drain timeout). */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final ConnectionHandler handler;
    private final ConnectionSettings settings;
    private final TestReadBuffer in = new TestReadBuffer();
    private final List<Throwable> errors = new ArrayList<>();
    /** Written and not yet read by the peer. */
    private final ByteQueue queue = new ByteQueue();
    /** Read by the peer and not yet taken by {@link #written()}. */
    private final ByteQueue sent = new ByteQueue();
    /** Received while reading was paused, not delivered yet. */
    private final ByteQueue held = new ByteQueue();
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private long now;
    private long lastReceived;
    private long closeStarted = -1;
    private boolean peerReading = true;
    private boolean userPaused;
    private boolean waterPaused;
    private boolean closing;
    private boolean closed;
    private boolean outputShut;
    private boolean finSent;
    private boolean heldFin;
    /** The peer's FIN was delivered (onPeerShutdown ran, or the connection closed on it). */
    private boolean peerFinDelivered;
    /** A close with the drain deadline of a context that shuts down ({@link #contextCloses()}). */
    private boolean deadline;
    private boolean inCallback;
    private Throwable cause;

    private TestConnection(ConnectionHandler handler, ConnectionSettings settings, InetSocketAddress remote,
            InetSocketAddress local) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.remote = remote;
        this.local = local;
    }

    /**
     * Opens a connection to {@code handler} with the default settings and runs its
     * {@code onOpen}.
     *
     * @param handler the handler under test
     * @return the connection, open unless {@code onOpen} threw
     */
    public static TestConnection open(ConnectionHandler handler) {
        return open(handler, ConnectionSettings.DEFAULT);
    }

    /**
     * Opens a connection with {@code settings} (read buffer maximum, water marks, idle timeout)
     * and runs the handler's {@code onOpen}.
     *
     * @param handler the handler under test
     * @param settings the connection settings
     * @return the connection, open unless {@code onOpen} threw
     */
    public static TestConnection open(ConnectionHandler handler, ConnectionSettings settings) {
        TestConnection c = new TestConnection(handler, settings, new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 8080));
        c.callback(() -> {
            c.handler.onOpen(c);
            return null;
        });
        c.afterCallback();
        return c;
    }

    // ---------------------------------------------------------------- the peer

    /**
     * The peer sends {@code bytes}: one read, so one {@code onRead} with them after what is still
     * unconsumed (held back while reading is paused; ignored once the connection closes).
     *
     * @param bytes what arrives
     * @return this connection
     */
    public TestConnection receive(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (heldFin || peerFinDelivered) {
            throw new IllegalStateException("the peer shut its side down: it sends nothing more");
        }
        if (closed || closing || bytes.length == 0) {
            return this; // after our close, torque reads and discards; an empty read is no read
        }
        if (readingPaused()) {
            held.add(bytes, 0, bytes.length);
            return this;
        }
        deliver(bytes);
        return this;
    }

    /**
     * The peer sends {@code text} as ISO-8859-1 bytes (ASCII passes unchanged).
     *
     * @param text what arrives
     * @return this connection
     */
    public TestConnection receive(String text) {
        return receive(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * The peer sends {@code bytes} in pieces of the given sizes (the last piece takes the rest):
     * one {@code onRead} per piece.
     *
     * @param bytes what arrives
     * @param sizes the sizes of the first pieces
     * @return this connection
     */
    public TestConnection receiveInPieces(byte[] bytes, int... sizes) {
        int pos = 0;
        for (int size : sizes) {
            if (size < 0 || pos + size > bytes.length) {
                throw new IllegalArgumentException("piece of " + size + " bytes at " + pos + " of " + bytes.length);
            }
            receive(java.util.Arrays.copyOfRange(bytes, pos, pos + size));
            pos += size;
        }
        return pos < bytes.length ? receive(java.util.Arrays.copyOfRange(bytes, pos, bytes.length)) : this;
    }

    /**
     * The peer shuts its side down (FIN): after anything held, {@code onPeerShutdown} runs
     * (its default closes). If this side had shut its output already, the connection closes.
     *
     * @return this connection
     */
    public TestConnection peerShutdown() {
        if (closed || closing || heldFin || peerFinDelivered) {
            return this; // a close under way goes on sending what is queued; a second FIN is none
        }
        if (readingPaused()) {
            heldFin = true;
            return this;
        }
        deliverFin();
        return this;
    }

    /**
     * The peer resets the connection: queued bytes are dropped and {@code onClose} gets an
     * {@link java.io.IOException} "Connection reset by peer" (torque reports the socket's error,
     * an {@code IOException} from Netty's native transport).
     *
     * @return this connection
     */
    public TestConnection peerReset() {
        if (!closed) {
            finish(new java.io.IOException("Connection reset by peer"));
        }
        return this;
    }

    /**
     * The peer stops reading: what the handler writes queues up (counted by
     * {@link #queuedBytes()}, pausing reads above the high water mark) until {@link #peerReads}.
     *
     * @return this connection
     */
    public TestConnection peerStopsReading() {
        peerReading = false;
        return this;
    }

    /**
     * The peer reads up to {@code n} queued bytes now (and goes on reading everything later if
     * {@code n} is {@code Long.MAX_VALUE}); below the low water mark after the high one,
     * {@code onWritable} runs and paused reading resumes.
     *
     * @param n how many bytes it reads
     * @return this connection
     */
    public TestConnection peerReads(long n) {
        if (n == Long.MAX_VALUE) {
            peerReading = true;
        }
        transfer(n);
        afterTransfer();
        return this;
    }

    /**
     * What the peer has read since the last call, and forgets it.
     *
     * @return the bytes, in order
     */
    public byte[] written() {
        return sent.takeAll();
    }

    /**
     * {@link #written()} as ISO-8859-1 text.
     *
     * @return the text
     */
    public String writtenAscii() {
        return new String(written(), StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether this side's FIN reached the peer (a close or {@link #shutdownOutput()} with
     * nothing left queued).
     *
     * @return true once the peer would read end-of-stream
     */
    public boolean peerSawEnd() {
        return finSent;
    }

    // ---------------------------------------------------------------- the clock

    /**
     * Moves the virtual clock on: past the idle timeout without bytes read from the peer (also
     * while a close is under way) the connection closes with a {@link SocketTimeoutException};
     * past the drain deadline of a {@link #contextCloses() context's close} the peer does not
     * read, with a {@link ConnectionAbortedException}.
     *
     * @param d how long
     * @return this connection
     */
    public TestConnection advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time runs forward: " + d);
        }
        now += d.toNanos();
        if (closed) {
            return this;
        }
        if (closing && deadline && now - closeStarted >= DRAIN_TIMEOUT.toNanos()) {
            finish(new ConnectionAbortedException("graceful close passed its drain deadline of "
                    + DRAIN_TIMEOUT.toMillis() + " ms"));
        } else if (!settings.idleTimeout().isZero() && now - lastReceived >= settings.idleTimeout().toNanos()) {
            finish(new SocketTimeoutException("no bytes received for " + Duration.ofNanos(now - lastReceived).toMillis()
                    + " ms (idle timeout " + settings.idleTimeout().toMillis() + " ms)"));
        }
        return this;
    }

    // ---------------------------------------------------------------- what happened

    /**
     * Whether {@code onClose} has run.
     *
     * @return true once closed
     */
    public boolean closed() {
        return closed;
    }

    /**
     * The cause {@code onClose} got: null for a graceful close.
     *
     * @return the cause, or null
     */
    public Throwable closeCause() {
        return cause;
    }

    /**
     * What the context's error handler would have got: each throwable a callback threw.
     *
     * @return the errors, in order
     */
    public List<Throwable> errors() {
        return List.copyOf(errors);
    }

    /**
     * Bytes delivered and not yet consumed by the handler.
     *
     * @return the unconsumed byte count
     */
    public int unconsumedBytes() {
        return in.size();
    }

    // ---------------------------------------------------------------- Connection

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void write(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        if (closed || closing || outputShut) {
            src.position(src.limit()); // dropped, as torque drops writes after a close or a half-close
            return;
        }
        byte[] b = new byte[src.remaining()];
        src.get(b);
        queue.add(b, 0, b.length);
        if (!waterPaused && queue.size() > settings.highWaterMark()) {
            waterPaused = true; // at once, as torque: a producer looping on isWritable() stops
        }
        if (!inCallback) {
            flush();
        }
    }

    @Override
    public void flush() {
        transfer(peerReading ? Long.MAX_VALUE : 0);
        if (!inCallback) {
            afterTransfer();
        }
    }

    @Override
    public long queuedBytes() {
        return queue.size();
    }

    @Override
    public boolean isWritable() {
        return !waterPaused;
    }

    @Override
    public void close() {
        if (closed || closing) {
            return;
        }
        closing = true;
        closeStarted = now;
        if (!inCallback) {
            afterCallback();
        }
    }

    /**
     * The context closes (what {@code Torque.close()} does to each connection): a graceful close
     * with the drain deadline ({@link #DRAIN_TIMEOUT}), past which {@link #advance} aborts it.
     *
     * @return this connection
     */
    public TestConnection contextCloses() {
        deadline = true;
        close();
        return this;
    }

    @Override
    public void abort() {
        if (!closed) {
            finish(new ConnectionAbortedException("aborted"));
        }
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
        if (!inCallback) {
            afterCallback();
        }
    }

    @Override
    public void pauseReading() {
        userPaused = true;
    }

    @Override
    public void resumeReading() {
        userPaused = false;
        if (!inCallback) {
            releaseHeld();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && !closing;
    }

    @Override
    public int loopIndex() {
        return 0;
    }

    @Override
    public String toString() {
        return "TestConnection[" + (closed ? "closed" : closing ? "closing" : "open") + ", queued " + queue.size()
                + ", unconsumed " + in.size() + "]";
    }

    // ---------------------------------------------------------------- internals

    private boolean readingPaused() {
        return userPaused || waterPaused;
    }

    private void deliver(byte[] bytes) {
        lastReceived = now; // a read: the idle clock starts again
        in.append(bytes);
        Next next = callback(() -> handler.onRead(this, in.lend()));
        in.settle();
        if (next == Next.CLOSE) {
            close();
        } else if (!closed && !closing && in.size() >= settings.readBufferMax()) {
            fail(new java.io.IOException("read buffer maximum (" + settings.readBufferMax()
                    + " bytes) reached without the handler consuming: " + this), false);
            return;
        }
        afterCallback();
    }

    private void deliverFin() {
        peerFinDelivered = true;
        if (finSent) {
            finish(null); // both directions are done
            return;
        }
        Next next = callback(() -> handler.onPeerShutdown(this));
        if (next == Next.CLOSE) {
            close();
        }
        afterCallback();
    }

    /** Runs a callback as torque does: inside it writes gather; a throw closes with that cause. */
    private <T> T callback(ThrowingSupplier<T> body) {
        if (closed) {
            return null;
        }
        inCallback = true;
        try {
            return body.get();
        } catch (Throwable t) {
            inCallback = false;
            if (!closed) { // as torque: a throw after the connection closed (an abort) is not reported
                fail(t, !(t instanceof java.io.IOException)); // I/O errors close; callback throws are also reported
            }
            return null;
        } finally {
            inCallback = false;
        }
    }

    private void fail(Throwable t, boolean report) {
        if (report) {
            errors.add(t);
        }
        finish(t);
    }

    /** The end of a turn: send what was written, then see to pauses, closes and half-closes. */
    private void afterCallback() {
        if (closed) {
            return;
        }
        transfer(peerReading ? Long.MAX_VALUE : 0);
        afterTransfer();
    }

    private void transfer(long n) {
        if (closed) {
            return; // torque drops what was queued when the connection closed
        }
        long moved = Math.min(n, queue.size());
        if (moved > 0) {
            sent.addFrom(queue, (int) moved);
        }
        if (!waterPaused && queue.size() > settings.highWaterMark()) {
            waterPaused = true;
        }
    }

    private void afterTransfer() {
        if (closed) {
            return;
        }
        if (waterPaused && queue.size() < settings.lowWaterMark()) {
            waterPaused = false;
            if (!closing) { // as torque: no onWritable once a close is under way
                callback(() -> {
                    handler.onWritable(this);
                    return null;
                });
            }
            if (closed) {
                return;
            }
            transfer(peerReading ? Long.MAX_VALUE : 0);
        }
        if ((closing || outputShut) && queue.size() == 0 && !finSent) {
            finSent = true;
        }
        if ((closing || peerFinDelivered) && finSent) {
            finish(null); // our FIN went out: the peer closes its side in turn (or already did)
            return;
        }
        releaseHeld();
    }

    private void releaseHeld() {
        if (closed || closing || readingPaused()) {
            return;
        }
        if (held.size() > 0) {
            deliver(held.takeAll());
        }
        if (heldFin && !closed && !readingPaused()) {
            heldFin = false;
            deliverFin();
        }
    }

    private void finish(Throwable why) {
        if (closed) {
            return;
        }
        closed = true;
        closing = false;
        cause = why;
        queue.clear(); // unsent bytes are dropped with the connection
        in.clear();
        held.clear();
        try {
            handler.onClose(this, why);
        } catch (Throwable t) {
            errors.add(t);
        }
    }

    /** A callback body that may throw. */
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
