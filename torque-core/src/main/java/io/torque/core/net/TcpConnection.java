package io.torque.core.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * A connection: an edge-triggered {@link EpollIoHandle} registered once on its home loop for
 * {@code EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET}, so no {@code epoll_ctl} is needed per read or
 * write.
 *
 * <p><b>Ownership.</b> Its work may run on its home loop or, handed off by the dispatcher, on
 * another loop, but never on two threads at once: whoever wants to work on it (an epoll event at
 * home, a hand-off, a write or close from another thread) first tries to take {@link #state}
 * from free to {@code OWNED} with a CAS. If another thread owns it, the work is recorded as
 * pending bits in the same CAS and the owner does it before it lets go, so readiness that
 * arrives while the connection is away is never lost. The acquiring CAS and the releasing CAS
 * are volatile, so each owner sees every plain field the previous owner wrote. All fields but
 * {@code state}, {@code outbox} and {@code open} are touched by the owner only. Internal API.
 */
public final class TcpConnection implements Connection, EpollIoHandle {
    private static final EpollIoOps INTEREST = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT)
            .with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLET);

    /** Someone works on the connection. */
    static final int OWNED = 1;
    /** Readable (or peer shut down): read until EAGAIN. */
    public static final int READ = 2;
    /** Writable: send the queue. */
    public static final int FLUSH = 4;
    /** Writes from other threads wait in {@link #outbox}. */
    static final int OUTBOX = 8;
    /** close() was called from another thread. */
    static final int CLOSE = 16;
    /** abort() was called from another thread. */
    static final int ABORT = 32;
    /** The outbound connect may have completed (EPOLLOUT or EPOLLERR while connecting). */
    static final int CONNECT = 64;
    /** The outbound connect's timeout fired. */
    static final int CONNECT_TIMEOUT = 128;
    /** Time to check whether the connection has been idle for the idle timeout. */
    static final int IDLE_CHECK = 256;
    private static final int PENDING = READ | FLUSH | OUTBOX | CLOSE | ABORT | CONNECT | CONNECT_TIMEOUT | IDLE_CHECK;

    private final AtomicInteger state = new AtomicInteger(OWNED); // the home loop owns it until started
    private final LinuxSocket socket;
    private final Loop home;
    private final SourceRegistry registry;
    private final ConnectionSettings settings;
    private final RxBuffer rx;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<ByteBuffer> outbox = new ConcurrentLinkedQueue<>();
    /** The thread that owns the connection now, or null; see the class comment on reading it. */
    private Thread ownerThread;
    /** The loop the owner runs on: its scratch buffers are the ones to use. */
    private Loop current;
    private ConnectionHandler handler;
    private IoRegistration registration;
    private long queued;
    private boolean reading = true;
    private boolean pausedAboveHighMark;
    private boolean closing;
    private boolean peerShutdown;
    private boolean closed;
    /** Counted in the home loop's homed sources (by the placement that chose the loop). */
    private boolean homedCounted = true;
    /** On the home loop's ready list for this round (home loop thread only). */
    private boolean listed;
    private int roundFlags;
    private volatile boolean open = true;
    private InetSocketAddress remote;
    private InetSocketAddress local;
    private CompletableFuture<Connection> connecting;
    private ScheduledFuture<?> connectTimeout;
    private InetSocketAddress connectTarget;
    private long connectTimeoutNanos;
    /** When bytes last arrived (System.nanoTime), for the idle timeout. Owner only. */
    private long lastReceived;

    TcpConnection(LinuxSocket socket, Loop home, SourceRegistry registry, ConnectionSettings settings,
            ConnectionHandler handler) {
        this.socket = socket;
        this.home = home;
        this.registry = registry;
        this.settings = settings;
        this.rx = new RxBuffer(settings.readBufferMax());
        this.handler = handler;
    }

    // ---------------------------------------------------------------- ownership

    /**
     * Does {@code flags} work on {@code loop}'s thread now, or leaves it to the current owner.
     * Any loop thread.
     */
    public void work(Loop loop, int flags) {
        int s;
        while (true) {
            s = state.get();
            if ((s & OWNED) != 0) {
                if (state.compareAndSet(s, s | flags)) {
                    return; // the owner does it before letting go
                }
            } else if (state.compareAndSet(s, OWNED)) {
                break;
            }
        }
        runOwned(loop, flags | (s & PENDING));
    }

    /** As owner: does the work, then lets go, taking any work that arrived meanwhile. */
    private void runOwned(Loop loop, int flags) {
        ownerThread = Thread.currentThread();
        current = loop;
        int todo = flags;
        while (true) {
            doWork(todo);
            ownerThread = null; // before the releasing CAS: never seen stale by this thread
            while (true) {
                int s = state.get();
                if ((s & PENDING) != 0) {
                    if (state.compareAndSet(s, OWNED)) {
                        todo = s & PENDING;
                        ownerThread = Thread.currentThread();
                        break;
                    }
                } else if (state.compareAndSet(s, 0)) {
                    current = null;
                    return;
                }
            }
        }
    }

    /** Hands work asked for by a thread that does not own the connection to its home loop. */
    private void submit(int flags) {
        try {
            home.execute(() -> work(home, flags));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the home loop has shut down, and closed the connection with it
        }
    }

    private boolean owned() {
        return ownerThread == Thread.currentThread();
    }

    private void doWork(int todo) {
        try {
            if ((todo & CONNECT_TIMEOUT) != 0 && connecting != null) {
                fail(new java.net.SocketTimeoutException("connect to " + connectTarget + " timed out after "
                        + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos) + " ms"));
                return;
            }
            if ((todo & CONNECT) != 0 && connecting != null) {
                if (socket.finishConnect()) {
                    connected();
                }
                return;
            }
            if ((todo & ABORT) != 0) {
                abortOwned();
                return;
            }
            if ((todo & IDLE_CHECK) != 0 && !closed) {
                checkIdle();
            }
            if ((todo & OUTBOX) != 0) {
                for (ByteBuffer b = outbox.poll(); b != null; b = outbox.poll()) {
                    writeOwned(b);
                }
            }
            if ((todo & CLOSE) != 0) {
                closeOwned();
            }
            if ((todo & FLUSH) != 0 && !queue.isEmpty() && !closed) {
                flush();
            }
            if ((todo & READ) != 0 && !closed) {
                readLoop();
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    // ---------------------------------------------------------------- start

    /** Registers an accepted socket on its home loop and runs {@code onOpen}. Home loop thread. */
    void startAccepted(java.util.function.Function<Connection, ConnectionHandler> factory) {
        assert home.inLoop();
        ownerThread = Thread.currentThread();
        current = home;
        if (!registry.opened(this)) {
            closeSocketQuietly();
            forget();
            return;
        }
        try {
            socket.setTcpNoDelay(true);
            remote = socket.remoteAddress();
            local = socket.localAddress();
            registration = home.netty().register(this).getNow();
            registration.submit(INTEREST);
            handler = factory.apply(this);
            if (handler == null) {
                throw new NullPointerException("the connection handler factory returned null");
            }
            handler.onOpen(this);
            lastReceived = System.nanoTime();
            scheduleIdleCheck(settings.idleTimeout().toNanos());
        } catch (Throwable t) {
            fail(t);
        }
        // Still the owner: read now (bytes may have arrived before registration, and that edge
        // is gone), then let go, doing whatever other threads asked for meanwhile.
        runOwned(home, READ);
    }

    /** Starts a non-blocking connect on the home loop. Home loop thread. */
    void startConnect(InetSocketAddress to, long timeoutNanos, CompletableFuture<Connection> done) {
        assert home.inLoop();
        ownerThread = Thread.currentThread();
        current = home;
        connecting = done;
        connectTarget = to;
        connectTimeoutNanos = timeoutNanos;
        if (!registry.opened(this)) {
            closeSocketQuietly();
            forget();
            done.completeExceptionally(new IllegalStateException("the torque context is closed"));
            return;
        }
        try {
            socket.setTcpNoDelay(true);
            registration = home.netty().register(this).getNow();
            boolean now = socket.connect(to);
            registration.submit(INTEREST);
            if (now) {
                connected();
            } else if (timeoutNanos > 0) {
                connectTimeout = home.netty().schedule(() -> work(home, CONNECT_TIMEOUT), timeoutNanos, TimeUnit.NANOSECONDS);
            }
        } catch (Throwable t) {
            fail(t);
        }
        runOwned(home, 0); // let go, doing whatever arrived meanwhile
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
        lastReceived = System.nanoTime();
        scheduleIdleCheck(settings.idleTimeout().toNanos());
        readLoop();
    }

    // ---------------------------------------------------------------- events

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    /** An epoll event on the home loop. */
    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (connecting != null) {
            if (ops.contains(EpollIoOps.EPOLLOUT) || ops.contains(EpollIoOps.EPOLLERR)) {
                work(home, CONNECT);
            }
            return;
        }
        int flags = 0;
        if (ops.contains(EpollIoOps.EPOLLOUT) || ops.contains(EpollIoOps.EPOLLERR)) {
            flags |= FLUSH;
        }
        if (ops.contains(EpollIoOps.EPOLLIN) || ops.contains(EpollIoOps.EPOLLRDHUP) || ops.contains(EpollIoOps.EPOLLERR)) {
            flags |= READ;
        }
        if ((flags & READ) == 0) {
            work(home, flags);
            return;
        }
        // This round's ready sources are gathered; the loop decides who handles which (under
        // STATIC: itself, all of them).
        roundFlags |= flags;
        if (!listed) {
            listed = true;
            home.ready(this);
        }
    }

    /** Takes this round's flags and leaves the ready list. Home loop thread. */
    public int takeRound() {
        int f = roundFlags;
        roundFlags = 0;
        listed = false;
        return f;
    }

    /** Reads until EAGAIN (edge-triggered), the peer shuts down, or reading pauses. Owner only. */
    private void readLoop() throws Exception {
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
                ByteBuffer scratch = current.scratch();
                n = socket.recv(scratch, 0, scratch.capacity());
                if (n > 0) {
                    rx.inScratch(scratch, n);
                }
            }
            if (n == 0) {
                return; // EAGAIN: wait for the next edge
            }
            lastReceived = System.nanoTime();
            if (n < 0) {
                peerShutdown = true;
                if (handler.onPeerShutdown(this) == Next.CLOSE) {
                    closeOwned();
                }
                return;
            }
            Next next = handler.onRead(this, rx);
            rx.settle();
            if (next == Next.CLOSE) {
                closeOwned();
                return;
            }
            if (rx.full()) {
                fail(readBufferFull());
                return;
            }
        }
    }

    /**
     * Schedules the next idle check on the home loop's clock, {@code delayNanos} from now (one
     * scheduled task per idle period, not per event). It runs through {@link #work}, so it
     * never overlaps the connection's callbacks.
     */
    private void scheduleIdleCheck(long delayNanos) {
        if (settings.idleTimeout().isZero() || closed) {
            return;
        }
        try {
            home.netty().schedule(() -> work(home, IDLE_CHECK), delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the loop is shutting down and closes the connection itself
        }
    }

    /** Closes the connection if nothing arrived for the idle timeout; else checks again later. Owner only. */
    private void checkIdle() {
        long timeout = settings.idleTimeout().toNanos();
        long idle = System.nanoTime() - lastReceived;
        if (idle >= timeout) {
            finishClose(new java.net.SocketTimeoutException("no bytes received for "
                    + TimeUnit.NANOSECONDS.toMillis(idle) + " ms (idle timeout " + settings.idleTimeout().toMillis() + " ms): " + this));
        } else {
            scheduleIdleCheck(timeout - idle);
        }
    }

    private IOException readBufferFull() {
        return new IOException("read buffer maximum (" + settings.readBufferMax()
                + " bytes) reached without the handler consuming: " + this);
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void write(ByteBuffer src) {
        java.util.Objects.requireNonNull(src, "src");
        if (owned()) {
            writeOwned(src);
            return;
        }
        ByteBuffer copy = ByteBuffer.allocateDirect(src.remaining());
        copy.put(src).flip();
        outbox.add(copy);
        submit(OUTBOX);
    }

    private void writeOwned(ByteBuffer src) {
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
            } else {
                ByteBuffer s = current.writeScratch();
                int chunk = Math.min(s.capacity(), src.remaining());
                s.clear();
                s.put(0, src, src.position(), chunk);
                n = socket.send(s, 0, chunk);
            }
            if (n <= 0) {
                return; // the socket is full: EPOLLOUT will tell
            }
            src.position(src.position() + n);
        }
    }

    /** Sends queued buffers, gathered with writev. Owner only. */
    private void flush() throws Exception {
        ByteBuffer[] iov = current.iov();
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

    // ---------------------------------------------------------------- close

    @Override
    public void close() {
        if (owned()) {
            closeOwned();
        } else if (home.inLoop() && home.netty().isShuttingDown()) {
            // Netty closes every registered handle as the loop shuts down: close at once.
            work(home, ABORT);
        } else {
            submit(CLOSE);
        }
    }

    private void closeOwned() {
        if (closed) {
            return;
        }
        if (home.netty().isShuttingDown()) {
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
        if (owned()) {
            abortOwned();
        } else {
            submit(ABORT);
        }
    }

    private void abortOwned() {
        if (!closed) {
            try {
                socket.setSoLinger(0);
            } catch (IOException ignored) {
                // closing anyway
            }
            finishClose(null);
        }
    }

    /** Closes after {@code t}: reports it, then closes at once. Owner only. */
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
            forget();
            done.completeExceptionally(t);
            return;
        }
        if (!(t instanceof IOException)) {
            home.errors().onError(this, t);
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
        outbox.clear();
        queued = 0;
        rx.release();
        forget();
        if (handler != null) {
            try {
                handler.onClose(this, cause);
            } catch (Throwable t) {
                home.errors().onError(this, t);
            }
        }
    }

    private void forget() {
        registry.closed(this);
        if (homedCounted) {
            homedCounted = false;
            registry.homed(home, -1);
        }
    }

    private void cancelAndCloseSocket() {
        if (registration != null) {
            registration.cancel(); // threadsafe: off the home loop it is handed to it
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
        return home.index();
    }

    @Override
    public String toString() {
        return "connection " + local + " <-> " + remote + " on " + home;
    }
}
