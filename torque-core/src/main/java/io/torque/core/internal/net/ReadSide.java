package io.torque.core.internal.net;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.ScheduledFuture;
import io.torque.core.LoopBudgets;
import io.torque.core.internal.loop.Loop;
import io.torque.core.net.Next;

/**
 * A connection's read side: receiving into the {@link RxBuffer}, handing bytes to
 * {@code onRead} within the loop's per-turn budget, pausing (by the user, or above the write
 * queue's high water mark), end-of-stream, and the idle timeout. While the connection closes
 * gracefully it keeps reading but discards, so unread input cannot turn its FIN into a reset.
 * Owner only, but for the tasks, which any loop runs through the ownership protocol.
 */
final class ReadSide {
    private final TcpConnection c;
    private final RxBuffer rx;
    private final Runnable requeueTask;
    /**
     * A turn is queued already: one at a time per connection, or a connection that keeps using
     * its budget (each turn, and each epoll edge, asking for another) would grow the loop's task
     * queue without bound and push everything behind it back, timers included.
     */
    private final java.util.concurrent.atomic.AtomicBoolean requeued = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable idleTask;
    private boolean userPaused;
    private boolean highMarkPaused;
    private boolean peerShutdown;
    /** When bytes last arrived (System.nanoTime), for the idle timeout. */
    private long lastReceived;
    private ScheduledFuture<?> idleCheck;
    /** How many bytes the last recv asked for (to tell a short read). */
    private int asked;

    ReadSide(TcpConnection c) {
        this.c = c;
        this.rx = new RxBuffer(c.settings.readBufferMax());
        this.requeueTask = () -> {
            requeued.set(false); // before the turn: a turn that needs another asks again
            c.workHere(Work.READ); // on the loop the task was queued on
        };
        this.idleTask = () -> c.workHere(Work.IDLE_CHECK);
    }

    /**
     * Gives the connection another reading turn soon, on its home loop: after a turn that used
     * its budget with bytes possibly left, or when reading resumes (bytes that waited made no new
     * edge). The task is allocated once per connection.
     */
    void requeue() {
        if (!requeued.compareAndSet(false, true)) {
            return;
        }
        try {
            c.home.executeLater(requeueTask);
        } catch (RejectedExecutionException e) {
            // the loop shuts down and closes the connection with it
        }
    }

    /** Bytes arrived that made no plaintext yet (TLS records): the idle clock restarts all the same. */
    void received() {
        lastReceived = System.nanoTime();
    }

    /** The connection opened: the idle clock starts. */
    void started() {
        lastReceived = System.nanoTime();
        scheduleIdleCheck(c.settings.idleTimeout().toNanos());
    }

    boolean peerShutdown() {
        return peerShutdown;
    }

    void pause(boolean paused) {
        userPaused = paused;
    }

    /** Reading stops above the write queue's high water mark (a peer that does not read its replies). */
    void highMarkPause(boolean paused) {
        highMarkPaused = paused;
    }

    /**
     * Reads what the socket has, up to the turn's budget: delivers it to {@code onRead}, or,
     * while closing, discards it. A turn that used its budget asks for another one (edge-triggered
     * epoll would not tell again). A short read (fewer bytes than asked for) means the socket is
     * drained: the turn ends there instead of paying one more {@code recv} for {@code EAGAIN},
     * since bytes that arrive later make a new edge; only after the peer hung up does it read on,
     * to the end-of-stream no edge would announce. Owner only.
     *
     * @param loop the owner's loop, whose scratch buffer receives
     * @throws Exception what the handler or the socket threw
     */
    void read(Loop loop) throws Exception {
        LoopBudgets budget = loop.budgets();
        int reads = 0;
        long bytes = 0;
        while (!c.closer.closed() && !peerShutdown) {
            boolean discard = c.closer.closing();
            if (!discard && (userPaused || highMarkPaused) && (c.tls == null || c.tls.handshakeDone())) {
                return; // a TLS handshake reads on: what waits to be written waits for it
            }
            int n;
            if (c.tls != null) {
                if (discard) {
                    rx.release(loop.buffers().pool());
                }
                n = c.tls.receive(loop, rx); // plaintext; the TLS side counts what crossed the socket
            } else {
                n = discard ? recvDiscard(loop) : recv(loop);
            }
            if (n == 0) {
                return; // EAGAIN: wait for the next edge
            }
            boolean drained = c.tls != null ? c.tls.drained() : n > 0 && n < asked && !c.peerHangUp;
            lastReceived = System.nanoTime();
            if (n < 0) {
                endOfStream();
                return;
            }
            if (c.tls == null) {
                loop.counters().read(n);
            }
            if (discard) {
                if (c.tls != null) {
                    rx.release(loop.buffers().pool());
                }
            } else {
                Next next = c.handler.onRead(c, rx);
                rx.settle(loop.buffers().pool());
                if (next == Next.CLOSE) {
                    c.closer.close();
                } else if (rx.full()) {
                    throw readBufferFull();
                }
            }
            bytes += n;
            if (drained) {
                return; // a short read: nothing more until the next edge
            }
            if (++reads >= budget.readsPerTurn() || bytes >= budget.readBytesPerTurn()) {
                requeue(); // others on this loop get their turn first
                return;
            }
        }
    }

    /** recv into the connection's own buffer when it holds bytes, else the loop's scratch; 0 on EAGAIN, -1 at EOF. */
    private int recv(Loop loop) throws IOException {
        int n;
        if (rx.holdsBytes()) {
            ByteBuffer own = rx.ownForAppend(loop.buffers().pool());
            if (rx.ownRoom() == 0) {
                throw readBufferFull();
            }
            asked = own.capacity() - rx.end();
            n = c.socket.recv(own, rx.end(), own.capacity());
            if (n > 0) {
                rx.appended(n);
            }
        } else {
            ByteBuffer scratch = loop.buffers().receive();
            asked = scratch.capacity();
            n = c.socket.recv(scratch, 0, scratch.capacity());
            if (n > 0) {
                rx.inScratch(scratch, n);
            }
        }
        return n;
    }

    private int recvDiscard(Loop loop) throws IOException {
        rx.release(loop.buffers().pool()); // a partial request nobody will answer
        ByteBuffer scratch = loop.buffers().receive();
        asked = scratch.capacity();
        return c.socket.recv(scratch, 0, scratch.capacity());
    }

    private void endOfStream() throws Exception {
        peerShutdown = true;
        if (c.closer.closing()) {
            c.closer.peerClosed();
        } else if (c.writer.outputShut()) {
            c.finishClose(null); // both directions are done
        } else if (c.handler.onPeerShutdown(c) == Next.CLOSE) {
            c.closer.close();
        }
    }

    private IOException readBufferFull() {
        return new IOException("read buffer maximum (" + c.settings.readBufferMax()
                + " bytes) reached without the handler consuming: " + c);
    }

    /**
     * Schedules the next idle check on the home loop's clock, {@code delayNanos} from now (one
     * scheduled task per idle period, not per event). It runs through the ownership protocol, so
     * it never overlaps the connection's callbacks.
     */
    private void scheduleIdleCheck(long delayNanos) {
        if (c.settings.idleTimeout().isZero() || c.closer.closed()) {
            return;
        }
        try {
            idleCheck = c.home.netty().schedule(idleTask, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the loop is shutting down and closes the connection itself
        }
    }

    /**
     * Closes the connection if nothing arrived for the idle timeout, else checks again later.
     * Reads first: bytes waiting in the socket (their event queued behind this check, or the
     * connection handed to a busy loop) are not idleness. Owner only.
     */
    void checkIdle(Loop loop) throws Exception {
        idleCheck = null;
        if (c.closer.closed()) {
            return;
        }
        read(loop);
        if (c.closer.closed()) {
            return;
        }
        long timeout = c.settings.idleTimeout().toNanos();
        long idle = System.nanoTime() - lastReceived;
        if (idle >= timeout) {
            c.finishClose(new SocketTimeoutException("no bytes received for " + TimeUnit.NANOSECONDS.toMillis(idle)
                    + " ms (idle timeout " + c.settings.idleTimeout().toMillis() + " ms): " + c));
        } else {
            scheduleIdleCheck(timeout - idle);
        }
    }

    /** The connection closed: no more checks, no receive memory ({@code loop} null off the loops). */
    void release(Loop loop) {
        if (idleCheck != null) {
            idleCheck.cancel(false); // else the loop's timer queue keeps the connection reachable
            idleCheck = null;
        }
        rx.release(loop == null ? null : loop.buffers().pool());
    }

    /** Tests: whether the connection owns receive memory now. */
    boolean ownsMemory() {
        return rx.ownsMemory();
    }
}
