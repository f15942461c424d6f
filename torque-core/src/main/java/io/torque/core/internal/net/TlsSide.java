package io.torque.core.internal.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.torque.core.internal.loop.BufferPool;
import io.torque.core.internal.loop.Loop;
import io.torque.core.internal.tls.TlsSettings;
import io.torque.core.tls.TlsInfo;

/**
 * A TLS connection's engine, driven on its owner's thread (Netty's {@code SSLEngine}s, as its
 * {@code SslHandler} drives them, without a pipeline):
 *
 * <ul>
 * <li>Receiving: ciphertext is read into a 64 KiB buffer from the loop's pool and unwrapped into
 * the loop's receive scratch, which becomes the handler's {@link RxBuffer}: the handler only
 * ever sees plaintext, and a handshake message yields none. The connection keeps the buffer only
 * while records wait in it: whole ones past the scratch's room, or, between epoll edges, a
 * partial one (moved to a 4 KiB buffer when it fits).
 * <li>Sending: the handler's writes gather as plaintext in {@link WriteSide}; each flush wraps
 * them into records (several per pooled chunk) and queues those for the one {@code writev},
 * so TLS records are made per flush, not per write. The write queue's count follows the bytes
 * from plaintext to ciphertext, so the water marks see what really waits.
 * <li>The handshake: wraps what the engine wants to send into the same queue, runs delegated
 * tasks on the context's TLS threads and resumes through the ownership protocol
 * ({@link Work#TLS_TASK}), and ends at the handshake timeout ({@link Work#TLS_TIMEOUT}).
 * <li>Closing: a graceful close sends {@code close_notify} before the FIN; an abort does not.
 * </ul>
 *
 * Owner only, but for the delegated tasks, whose completion reaches the owner through
 * {@link OwnedSource#submit} (which orders the task's engine writes before the owner's reads).
 */
final class TlsSide {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);
    /** The ciphertext receive buffer: above the largest record (16 KiB + 2 KiB + header), several records per recv. */
    private static final int NET_IN = 64 * 1024;
    /** The most bytes of a partial record kept in a small buffer between edges. */
    private static final int SMALL_NET_IN = 4096;
    /** Receives per call that make no plaintext before the connection yields its turn. */
    private static final int RECVS_PER_CALL = 16;
    /** The largest chunk records are wrapped into. */
    private static final int WIRE_CHUNK = 64 * 1024;

    private final TcpConnection c;
    private final TlsSettings settings;
    private final SSLEngine engine;
    private final boolean server;
    private final int appSize;
    private int packetSize;
    /** Ciphertext received and not unwrapped yet, in write mode (position = bytes held); null when none. */
    private ByteBuffer netIn;
    private boolean handshakeDone;
    private boolean inboundDone;
    private boolean closeNotifyQueued;
    /** The handshake finished on a client: its connect completes at the end of the turn. */
    private boolean connectDue;
    /** The last wrap's result asked for another wrap (whatever the engine's status says now). */
    private boolean wantWrap;
    /** A delegated task runs on a TLS thread: the engine waits for it. */
    private boolean taskRunning;
    /** The last recv took fewer bytes than asked: the socket was drained then. */
    private boolean recvShort;
    /** The last unwrap stopped for lack of room, with records left. */
    private boolean moreRecords;
    /** The engine overflowed a chunk smaller than a whole record: wrap into whole-record chunks. */
    private boolean wrapWhole;
    private ScheduledFuture<?> timeout;
    /** What the handshake settled (also published in {@link TcpConnection#tlsInfo}); null before. */
    private TlsInfo info;

    /**
     * An engine for a connection that just opened.
     *
     * @param peer the address the engine is for (a client's connect target: its host is the SNI
     *     and verification name unless the configuration names one)
     */
    TlsSide(TcpConnection c, TlsSettings settings, java.net.SocketAddress peer) {
        this.c = c;
        this.settings = settings;
        this.server = settings.isServer();
        this.engine = settings.newEngine(peer);
        SSLSession s = engine.getSession();
        this.appSize = s.getApplicationBufferSize();
        this.packetSize = s.getPacketBufferSize();
    }

    /** Starts the handshake and its timeout; a client sends its hello. Owner only. */
    void start() throws Exception {
        engine.beginHandshake();
        long nanos = settings.handshakeTimeout().toNanos();
        try {
            timeout = c.home.netty().schedule(() -> c.workHere(Work.TLS_TIMEOUT), nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the loop shuts down and closes the connection itself
        }
        if (!server) {
            drive();
            c.writer.flush();
        }
    }

    /** Whether the handshake has finished: the pauses apply to reading from then on. */
    boolean handshakeDone() {
        return handshakeDone;
    }

    boolean closeNotifyQueued() {
        return closeNotifyQueued;
    }

    /**
     * Whether the socket was drained by the last recv and no whole record waits: nothing more
     * until the next epoll edge.
     */
    boolean drained() {
        return recvShort && !moreRecords && !c.peerHangUp && !inboundDone; // the end of stream still to act on
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Receives and unwraps until there is plaintext for the handler (in {@code rx}), the socket
     * is drained, or a delegated task runs.
     *
     * @return plaintext bytes now in {@code rx}; 0 for none now; -1 at the end of the stream
     *     (the peer's close_notify, or its FIN while we close)
     * @throws SSLException for a protocol error (an alert is sent first where the engine made
     *     one), or a FIN without close_notify
     */
    int receive(Loop loop, RxBuffer rx) throws java.io.IOException {
        if (inboundDone) {
            return -1;
        }
        if (taskRunning) {
            return 0;
        }
        BufferPool pool = loop.buffers().pool();
        recvShort = false; // drained() speaks of this call's recv only, never an older one
        try {
            if (netIn != null) {
                int n = unwrap(loop, rx);
                if (n != 0 || taskRunning) {
                    return n;
                }
            }
            for (int i = 0; i < RECVS_PER_CALL; i++) {
                growNetIn(pool);
                int at = netIn.position();
                int asked = netIn.capacity() - at;
                int r = c.socket.recv(netIn, at, netIn.capacity());
                if (r <= 0) {
                    recvShort = true;
                    keepSmall(pool);
                    return r == 0 ? 0 : endOfStream();
                }
                loop.counters().read(r);
                c.reader.received(); // ciphertext is not idleness
                netIn.position(at + r);
                recvShort = r < asked;
                int n = unwrap(loop, rx);
                if (n != 0 || taskRunning) {
                    return n;
                }
                if (recvShort && !c.peerHangUp) {
                    keepSmall(pool);
                    return 0;
                }
            }
            c.reader.requeue(); // records without plaintext (a flood of them): others' turn first
            return 0;
        } catch (SSLException e) {
            alertQuietly();
            throw e;
        }
    }

    /** Before a recv: a receive buffer of full size, holding what waited in a small one. */
    private void growNetIn(BufferPool pool) {
        if (netIn == null) {
            netIn = pool.take(NET_IN);
        } else if (netIn.capacity() < NET_IN) {
            ByteBuffer big = pool.take(NET_IN);
            netIn.flip();
            big.put(netIn);
            pool.give(netIn);
            netIn = big;
        }
    }

    /**
     * The socket is drained: a partial record waits for the next edge in a buffer of its size
     * (4 KiB for the usual few bytes), not a full 64 KiB one; none when nothing waits.
     */
    private void keepSmall(BufferPool pool) {
        if (netIn == null) {
            return;
        }
        int held = netIn.position();
        if (held == 0) {
            pool.give(netIn);
            netIn = null;
        } else if (held <= SMALL_NET_IN && netIn.capacity() > SMALL_NET_IN) {
            ByteBuffer small = pool.take(SMALL_NET_IN);
            netIn.flip();
            small.put(netIn);
            pool.give(netIn);
            netIn = small;
        }
    }

    private int endOfStream() throws SSLException {
        if (c.closer.closing() || c.closer.closed()) {
            inboundDone = true; // we closed first; the peer need not answer our close_notify
            return -1;
        }
        if (!handshakeDone) {
            throw new SSLHandshakeException("the peer closed the connection before the TLS handshake finished: " + c);
        }
        throw new SSLException("the peer closed the connection without a TLS close_notify (what it sent may be truncated): " + c);
    }

    /** Unwraps the whole records held into the loop's receive scratch and hands the plaintext to {@code rx}. */
    private int unwrap(Loop loop, RxBuffer rx) throws SSLException {
        ByteBuffer dst = loop.buffers().receive();
        dst.clear();
        netIn.flip();
        int produced = 0;
        moreRecords = false;
        try {
            // After a record that made progress, one more call even with no bytes left: BoringSSL
            // finishes a TLS 1.3 server handshake (the client's Finished read) only on the next call.
            boolean again = false;
            while (netIn.hasRemaining() || again) {
                again = false;
                if (dst.remaining() < appSize) {
                    moreRecords = true;
                    break;
                }
                SSLEngineResult r = engine.unwrap(netIn, dst);
                produced += r.bytesProduced();
                Status st = r.getStatus();
                if (st == Status.CLOSED) {
                    inboundDone = true; // the peer's close_notify
                    break;
                }
                if (st == Status.BUFFER_UNDERFLOW) {
                    if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                        afterOp(r); // the handshake ended on the call that found no more bytes
                    }
                    break; // a partial record: wait for the rest
                }
                if (st == Status.BUFFER_OVERFLOW) {
                    if (produced == 0) {
                        throw new SSLException("a TLS record does not fit " + dst.remaining() + " bytes: " + c);
                    }
                    moreRecords = true;
                    break;
                }
                if (!afterOp(r) || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    break; // a task runs, or no progress
                }
                again = !handshakeDone && r.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP;
            }
        } finally {
            netIn.compact();
            if (netIn.position() == 0) {
                loop.buffers().pool().give(netIn);
                netIn = null;
            }
        }
        if (produced > 0) {
            rx.received(dst, produced, loop.buffers().pool());
            return produced;
        }
        return inboundDone ? -1 : 0;
    }

    // ---------------------------------------------------------------- the handshake

    /**
     * After a wrap or unwrap: notes the handshake's end, refuses a renegotiation, and does what
     * the engine asks next.
     *
     * @return false when a delegated task now runs (the engine waits)
     */
    private boolean afterOp(SSLEngineResult r) throws SSLException {
        HandshakeStatus hs = r.getHandshakeStatus();
        if (!handshakeDone) {
            if (hs == HandshakeStatus.FINISHED) {
                finished();
            }
        } else if (hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED
                && !"TLSv1.3".equals(info.protocol())) {
            // TLS 1.2 renegotiation (TLS 1.3 has none: its post-handshake messages are allowed)
            throw new SSLException("TLS renegotiation refused: " + c);
        }
        return drive();
    }

    /**
     * Wraps what the engine wants to send (handshake messages, alerts) into the write queue and
     * starts delegated tasks.
     *
     * @return false when a delegated task now runs
     */
    private boolean drive() throws SSLException {
        for (int i = 0; i < 16; i++) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            boolean wrap = hs == HandshakeStatus.NEED_WRAP || wantWrap;
            wantWrap = false;
            if (wrap) {
                int n;
                try {
                    n = wrapControl();
                } catch (SSLException e) {
                    flushQuietly(); // the alert made by the wrap before, then the reason
                    throw e;
                }
                if (engine.isOutboundDone() && !handshakeDone && !closeNotifyQueued) {
                    handshakeFailed(); // we did not close: the engine refused the peer, with an alert
                }
                if (n == 0 || engine.isOutboundDone()) {
                    return true;
                }
            } else if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                return false;
            } else {
                if (!handshakeDone && hs == HandshakeStatus.NOT_HANDSHAKING && !closeNotifyQueued && !inboundDone) {
                    finished();
                }
                return true;
            }
        }
        return true;
    }

    /**
     * One wrap of no application data (a handshake flight, an alert, close_notify) into a chunk
     * of its own, queued.
     *
     * @return the bytes it made (0 for none)
     */
    private int wrapControl() throws SSLException {
        BufferPool pool = c.current().buffers().pool();
        for (int attempt = 0; attempt < 3; attempt++) {
            ByteBuffer out = pool.take(packetSize);
            try {
                SSLEngineResult r = engine.wrap(EMPTY, out);
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    packetSize = Math.max(packetSize * 2, engine.getSession().getPacketBufferSize());
                    continue; // again, with a larger chunk
                }
                int n = r.bytesProduced();
                // BoringSSL, having made an alert, says NEED_WRAP only in the result: the next wrap
                // throws the reason.
                wantWrap = r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && r.getStatus() == Status.OK;
                if (n > 0) {
                    out.flip();
                    c.writer.queueWire(out, n);
                    out = null;
                }
                if (!handshakeDone && r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    finished();
                }
                return n;
            } finally {
                if (out != null) {
                    pool.give(out);
                }
            }
        }
        throw new SSLException("the TLS engine's output does not fit " + packetSize + " bytes: " + c);
    }

    /**
     * The engine ended the handshake itself (BoringSSL refusing the peer's certificate makes an
     * alert first and keeps the reason for the next call): sends the alert, then throws the
     * reason.
     */
    private void handshakeFailed() throws SSLException {
        flushQuietly();
        BufferPool pool = c.current().buffers().pool();
        ByteBuffer out = pool.take(packetSize);
        try {
            engine.wrap(EMPTY, out); // throws the kept reason
            engine.closeInbound();
        } finally {
            pool.give(out);
        }
        throw new SSLHandshakeException("the TLS engine ended the handshake with an alert: " + c);
    }

    /** Sends what is queued (an alert before a failure) as far as the socket takes it; never throws. */
    private void flushQuietly() {
        try {
            c.writer.flush();
        } catch (Exception ignored) {
            // the alert is a courtesy
        }
    }

    private void runTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
            tasks.add(t);
        }
        Runnable all = () -> {
            try {
                for (Runnable t : tasks) {
                    t.run();
                }
            } finally {
                c.submit(Work.TLS_TASK); // the engine goes on on the owner's thread
            }
        };
        taskRunning = true;
        try {
            c.registry.tlsTasks().execute(all);
        } catch (RejectedExecutionException e) {
            // the context is closing: run them here rather than leave the handshake hanging
            for (Runnable t : tasks) {
                t.run();
            }
            taskRunning = false;
        }
    }

    /** The delegated tasks ran: the engine goes on. Owner only. */
    void tasksDone() throws Exception {
        taskRunning = false;
        // a close or half-close waiting for the task goes on at this turn's flush (its drain)
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP && netIn == null) {
            // BoringSSL goes on only when called: an unwrap of nothing (as Netty's SslHandler
            // does after a task) lets it make its next flight (a client's certificate, say).
            ByteBuffer dst = c.current().buffers().receive();
            dst.clear();
            SSLEngineResult r = engine.unwrap(EMPTY, dst);
            if (!handshakeDone && r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                finished();
            }
            wantWrap = r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
        }
        drive();
    }

    private void finished() {
        handshakeDone = true;
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
        SSLSession s = engine.getSession();
        String alpn = engine.getApplicationProtocol();
        List<Certificate> peer;
        try {
            peer = Arrays.asList(s.getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            peer = List.of();
        }
        info = new TlsInfo(s.getProtocol(), s.getCipherSuite(), alpn == null || alpn.isEmpty() ? null : alpn,
                server ? requestedName(s) : settings.clientServerName(c.connect.target()), peer);
        c.tlsInfo = info;
        // a half-close waiting for the handshake goes on at this turn's flush (its drain)
        connectDue = !server; // completed at the end of this turn: never inside the engine's loops
    }

    /** The end of a turn: a client's connect completes once its handshake has. Owner only. */
    void endOfTurn() {
        if (connectDue) {
            connectDue = false;
            c.connect.complete(c);
        }
    }

    private static String requestedName(SSLSession s) {
        if (s instanceof ExtendedSSLSession e) {
            for (SNIServerName n : e.getRequestedServerNames()) {
                if (n.getType() == 0) {
                    return n instanceof SNIHostName h ? h.getAsciiName() : new SNIHostName(n.getEncoded()).getAsciiName();
                }
            }
        }
        return null;
    }

    /** The handshake timeout fired. Owner only. */
    void timedOut() throws SSLHandshakeException {
        timeout = null;
        if (!handshakeDone) {
            throw new SSLHandshakeException("the TLS handshake did not finish within "
                    + settings.handshakeTimeout().toMillis() + " ms: " + c);
        }
    }

    // ---------------------------------------------------------------- sending

    /**
     * Wraps the gathered plaintext into records queued for sending (once the handshake is done).
     * Owner only.
     *
     * @param plain the plaintext chunks, consumed; their buffers go back to the pool
     * @param stop a file's marker in {@code plain}: wrapping stops there (null: no file waits)
     * @return the change in queued bytes: ciphertext made less plaintext used (or dropped,
     *     after our close_notify)
     */
    long wrap(ArrayDeque<ByteBuffer> plain, Loop loop, ByteBuffer stop) throws SSLException {
        if (!handshakeDone || taskRunning || plain.isEmpty() || plain.peekFirst() == stop) {
            return 0;
        }
        BufferPool pool = loop.buffers().pool();
        ByteBuffer[] iov = loop.buffers().iov();
        long delta = 0;
        while (!plain.isEmpty() && plain.peekFirst() != stop) {
            int count = 0;
            long avail = 0;
            if (plain.size() == 1) {
                ByteBuffer b = plain.peekFirst();
                iov[count++] = b;
                avail = b.remaining();
            } else {
                for (ByteBuffer b : plain) {
                    if (count == iov.length || b == stop) {
                        break;
                    }
                    iov[count++] = b;
                    avail += b.remaining();
                }
            }
            int size = (int) Math.min(WIRE_CHUNK, avail + (avail >> 6) + 256);
            ByteBuffer out = pool.take(wrapWhole ? Math.max(size, packetSize) : size);
            SSLEngineResult r;
            long consumed = 0;
            try {
                do {
                    r = engine.wrap(iov, 0, count, out);
                    consumed += r.bytesConsumed();
                } while (r.getStatus() == Status.OK && r.bytesConsumed() > 0 && consumed < avail
                        && out.remaining() >= packetSize);
            } finally {
                Arrays.fill(iov, 0, count, null);
            }
            while (!plain.isEmpty() && !plain.peekFirst().hasRemaining() && plain.peekFirst() != stop) {
                pool.give(plain.pollFirst());
            }
            int produced = out.position();
            if (produced > 0) {
                out.flip();
                c.writer.queueWireUncounted(out);
            } else {
                pool.give(out);
            }
            delta += produced - consumed;
            if (r.getStatus() == Status.CLOSED) {
                long dropped = 0;
                for (ByteBuffer b = plain.pollFirst(); b != null; b = plain.pollFirst()) {
                    dropped += b.remaining(); // (a file's marker counts 0: its bytes are dropped with the writer's release)
                    pool.give(b);
                }
                delta -= dropped;
                if (!closeNotifyQueued) {
                    // the peer's close_notify closed the engine's output too (both providers do)
                    throw new SSLException("the TLS engine closed its output after the peer's close_notify: " + dropped
                            + " bytes written since were not sent: " + c);
                }
                break; // written after our own close_notify: dropped, as documented for writes after close
            }
            if (r.getStatus() == Status.BUFFER_OVERFLOW && produced == 0) {
                if (wrapWhole) {
                    packetSize = Math.max(packetSize * 2, engine.getSession().getPacketBufferSize());
                }
                wrapWhole = true;
                continue;
            }
            if (consumed == 0 && produced == 0) {
                break; // the engine wants something else first
            }
            if (r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING && !afterOp(r)) {
                break; // a TLS 1.3 key update, say
            }
        }
        return delta;
    }

    /**
     * Queues close_notify (once; the graceful close sends it before the FIN). While a delegated
     * task has the engine, or, for a half-close, until the handshake has finished, it waits:
     * the flush after {@link #tasksDone} or the handshake's end queues it. A full close before
     * the handshake finished sends none (there is no session to close).
     *
     * @param halfClose whether it is for {@code shutdownOutput()} (the connection lives on)
     * @return whether the FIN must wait: bytes queued to send first, or close_notify to come
     */
    boolean queueCloseNotify(boolean halfClose) throws SSLException {
        if (closeNotifyQueued) {
            return false;
        }
        if (taskRunning || (halfClose && !handshakeDone)) {
            return true; // the flush that follows the task or the handshake's end asks again
        }
        if (!handshakeDone) {
            return false; // FIN now: the peer sees a handshake cut short, which it is
        }
        closeNotifyQueued = true;
        engine.closeOutbound();
        boolean queued = false;
        for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
            if (wrapControl() == 0) {
                break;
            }
            queued = true;
        }
        return queued;
    }

    /**
     * Sends the alert the engine made for a protocol error, if it made one, behind what is
     * queued; never throws (the connection closes with the original error anyway).
     */
    private void alertQuietly() {
        try {
            if (!engine.isOutboundDone()) {
                wrapControl();
            }
        } catch (Throwable ignored) {
            // no alert then
        }
        flushQuietly();
    }

    /**
     * The connection closed: the timeout, the held ciphertext and the engine's native memory
     * go ({@code loop} null off the loops). An engine a delegated task still uses is left to
     * the garbage collector.
     */
    void release(Loop loop) {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
        if (netIn != null && loop != null) {
            loop.buffers().pool().give(netIn);
        }
        netIn = null;
        if (!taskRunning) {
            try {
                ReferenceCountUtil.release(engine);
            } catch (RuntimeException ignored) {
                // released already
            }
        }
    }
}
