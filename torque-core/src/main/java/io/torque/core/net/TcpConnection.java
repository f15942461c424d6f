package io.torque.core.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.ScheduledFuture;
import io.torque.core.loop.Loop;

/**
 * A connection on its home loop: an edge-triggered {@link EpollIoHandle} registered once for
 * {@code EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET}, so no {@code epoll_ctl} is needed per read or
 * write. Every field is touched by the home loop thread only, except {@code open}, which other
 * threads may read (volatile). Internal API.
 */
public final class TcpConnection implements Connection, EpollIoHandle {
    private static final EpollIoOps INTEREST = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT)
            .with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLET);

    private final LinuxSocket socket;
    private final Loop loop;
    private final SourceRegistry registry;
    private final ConnectionSettings settings;
    private final RxBuffer rx;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private ConnectionHandler handler;
    private IoRegistration registration;
    private long queued;
    /** Reading pauses above the high water mark, and while closing. */
    private boolean reading = true;
    /** Reading was paused: on resume, read again (edge-triggered: no new event will come). */
    private boolean pausedAboveHighMark;
    private boolean closing;
    private boolean peerShutdown;
    private boolean closed;
    private volatile boolean open = true;
    private InetSocketAddress remote;
    private InetSocketAddress local;
    /** Outbound only: completes when connected, fails on refusal or timeout. */
    private CompletableFuture<Connection> connecting;
    private ScheduledFuture<?> connectTimeout;

    TcpConnection(LinuxSocket socket, Loop loop, SourceRegistry registry, ConnectionHandler handler) {
        this.socket = socket;
        this.loop = loop;
        this.registry = registry;
        this.settings = registry.settings();
        this.rx = new RxBuffer(settings.readBufferMax());
        this.handler = handler;
    }

    /** Registers an accepted socket on its loop and runs {@code onOpen}. Loop thread. */
    void startAccepted(java.util.function.Function<Connection, ConnectionHandler> factory) {
        assert loop.inLoop();
        if (!registry.opened(this)) {
            closeSocketQuietly();
            return;
        }
        try {
            socket.setTcpNoDelay(true);
            remote = socket.remoteAddress();
            local = socket.localAddress();
            registration = loop.netty().register(this).getNow();
            registration.submit(INTEREST);
            handler = factory.apply(this);
            if (handler == null) {
                throw new NullPointerException("the connection handler factory returned null");
            }
            handler.onOpen(this);
        } catch (Throwable t) {
            fail(t);
            return;
        }
        readLoop(); // bytes may have arrived before registration: the edge is gone
    }

    /** Starts a non-blocking connect on this loop. Loop thread. */
    void startConnect(InetSocketAddress to, long timeoutNanos, CompletableFuture<Connection> done) {
        assert loop.inLoop();
        connecting = done;
        if (!registry.opened(this)) {
            closeSocketQuietly();
            done.completeExceptionally(new IllegalStateException("the torque context is closed"));
            return;
        }
        try {
            socket.setTcpNoDelay(true);
            registration = loop.netty().register(this).getNow();
            boolean now = socket.connect(to);
            registration.submit(INTEREST);
            if (now) {
                connected();
            } else if (timeoutNanos > 0) {
                connectTimeout = loop.netty().schedule(() -> {
                    if (connecting != null) {
                        fail(new java.net.SocketTimeoutException("connect to " + to + " timed out after "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
                    }
                }, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void connected() throws Exception {
        CompletableFuture<Connection> done = connecting;
        connecting = null;
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
        remote = socket.remoteAddress();
        local = socket.localAddress();
        handler.onOpen(this);
        done.complete(this);
        readLoop();
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        try {
            if (connecting != null) {
                if (ops.contains(EpollIoOps.EPOLLOUT) || ops.contains(EpollIoOps.EPOLLERR)) {
                    if (socket.finishConnect()) {
                        connected();
                    }
                }
                return;
            }
            if (ops.contains(EpollIoOps.EPOLLERR)) {
                int err = socket.getSoError();
                if (err != 0) {
                    fail(new IOException("socket error " + err + " on " + this));
                    return;
                }
            }
            if (ops.contains(EpollIoOps.EPOLLOUT) && !queue.isEmpty()) {
                flush();
            }
            if (!closed && (ops.contains(EpollIoOps.EPOLLIN) || ops.contains(EpollIoOps.EPOLLRDHUP))) {
                readLoop();
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Reads until the socket is drained (edge-triggered), the peer shuts down, or reading pauses. */
    private void readLoop() {
        try {
            while (!closed && reading && !peerShutdown) {
                int n;
                if (rx.holdsBytes()) {
                    ByteBuffer own = rx.ownForAppend();
                    if (rx.ownRoom() == 0) {
                        fail(readBufferFull());
                        return;
                    }
                    n = socket.recv(own, rx.end(), own.capacity());
                    if (n > 0) {
                        rx.appended(n);
                    }
                } else {
                    ByteBuffer scratch = loop.scratch();
                    n = socket.recv(scratch, 0, scratch.capacity());
                    if (n > 0) {
                        rx.inScratch(scratch, n);
                    }
                }
                if (n == 0) {
                    return; // EAGAIN: wait for the next edge
                }
                if (n < 0) {
                    peerShutdown = true;
                    if (handler.onPeerShutdown(this) == Next.CLOSE) {
                        close();
                    }
                    return;
                }
                Next next = handler.onRead(this, rx);
                rx.settle();
                if (next == Next.CLOSE) {
                    close();
                    return;
                }
                if (rx.full()) {
                    fail(readBufferFull());
                    return;
                }
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    private IOException readBufferFull() {
        return new IOException("read buffer maximum (" + settings.readBufferMax()
                + " bytes) reached without the handler consuming: " + this);
    }

    @Override
    public void write(ByteBuffer src) {
        if (!loop.inLoop()) {
            ByteBuffer copy = ByteBuffer.allocateDirect(src.remaining());
            copy.put(src).flip();
            loop.execute(() -> writeInLoop(copy));
            return;
        }
        writeInLoop(src);
    }

    private void writeInLoop(ByteBuffer src) {
        if (closed || closing) {
            src.position(src.limit());
            return;
        }
        try {
            if (queue.isEmpty()) {
                sendNow(src);
            }
            if (src.hasRemaining()) {
                ByteBuffer copy = ByteBuffer.allocateDirect(src.remaining());
                copy.put(src).flip();
                queue.add(copy);
                queued += copy.remaining();
                if (queued > settings.highWaterMark() && reading) {
                    reading = false;
                    pausedAboveHighMark = true;
                }
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Sends as much of {@code src} as the socket takes now. */
    private void sendNow(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            int n;
            if (src.isDirect()) {
                n = socket.send(src, src.position(), src.limit());
                if (n > 0) {
                    src.position(src.position() + n);
                }
            } else {
                ByteBuffer s = loop.writeScratch();
                int chunk = Math.min(s.capacity(), src.remaining());
                s.clear();
                s.put(0, src, src.position(), chunk);
                n = socket.send(s, 0, chunk);
                if (n > 0) {
                    src.position(src.position() + n);
                }
            }
            if (n <= 0) {
                return; // the socket is full: EPOLLOUT will tell
            }
        }
    }

    /** Sends queued buffers, gathered with writev. Loop thread. */
    private void flush() throws Exception {
        ByteBuffer[] iov = loop.iov();
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
                written = socket.writev(iov, 0, count, bytes);
            } finally {
                java.util.Arrays.fill(iov, 0, count, null);
            }
            if (written <= 0) {
                break;
            }
            queued -= written;
            while (written > 0) {
                ByteBuffer head = queue.peek();
                int take = (int) Math.min(head.remaining(), written);
                head.position(head.position() + take);
                written -= take;
                if (!head.hasRemaining()) {
                    queue.poll();
                }
            }
            if (written < bytes) {
                break; // partly written: the socket is full
            }
        }
        if (queue.isEmpty() && closing) {
            finishClose(null);
            return;
        }
        if (pausedAboveHighMark && queued < settings.lowWaterMark()) {
            pausedAboveHighMark = false;
            reading = true;
            handler.onWritable(this);
            readLoop();
        }
    }

    @Override
    public long queuedBytes() {
        return queued;
    }

    @Override
    public boolean isWritable() {
        return queued <= settings.highWaterMark();
    }

    @Override
    public void close() {
        if (!loop.inLoop()) {
            loop.execute(this::close);
            return;
        }
        if (closed) {
            return;
        }
        // Netty closes every registered handle when the loop shuts down: then close at once.
        if (loop.netty().isShuttingDown()) {
            finishClose(null);
            return;
        }
        if (closing) {
            return;
        }
        closing = true;
        reading = false;
        if (queue.isEmpty()) {
            finishClose(null);
        }
    }

    @Override
    public void abort() {
        if (!loop.inLoop()) {
            loop.execute(this::abort);
            return;
        }
        if (!closed) {
            try {
                socket.setSoLinger(0);
            } catch (IOException ignored) {
                // closing anyway
            }
            finishClose(null);
        }
    }

    /** Closes after {@code t}: reports it, then closes at once. */
    private void fail(Throwable t) {
        if (closed) {
            return;
        }
        if (connecting != null) {
            CompletableFuture<Connection> done = connecting;
            connecting = null;
            if (connectTimeout != null) {
                connectTimeout.cancel(false);
            }
            closed = true;
            open = false;
            cancelAndCloseSocket();
            registry.closed(this);
            done.completeExceptionally(t);
            return;
        }
        if (!(t instanceof IOException)) {
            loop.errors().onError(this, t);
        }
        finishClose(t);
    }

    private void finishClose(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        open = false;
        cancelAndCloseSocket();
        queue.clear();
        queued = 0;
        rx.release();
        registry.closed(this);
        if (connecting != null) {
            connecting.completeExceptionally(cause != null ? cause : new IOException("closed before connecting"));
            connecting = null;
            return;
        }
        if (handler != null) {
            try {
                handler.onClose(this, cause);
            } catch (Throwable t) {
                loop.errors().onError(this, t);
            }
        }
    }

    private void cancelAndCloseSocket() {
        if (registration != null) {
            registration.cancel();
        }
        closeSocketQuietly();
    }

    private void closeSocketQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public int loopIndex() {
        return loop.index();
    }

    @Override
    public String toString() {
        return "connection " + local + " <-> " + remote + " on " + loop;
    }
}
