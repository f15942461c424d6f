package io.torque.core.internal.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.NotYetConnectedException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import io.torque.core.internal.loop.Loop;
import io.torque.core.internal.tls.TlsSettings;
import io.torque.core.tls.TlsInfo;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionAbortedException;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ConnectionSettings;

/**
 * A TCP connection: an edge-triggered {@link EpollIoHandle} registered once on its home loop for
 * {@code EPOLLIN | EPOLLRDHUP | EPOLLET}, with {@code EPOLLOUT} added only while bytes wait for
 * room in the socket (or a connect for its outcome), so no {@code epoll_ctl} is needed per read
 * or per write that fits. (With EPOLLOUT always on, every read event would come as IN|OUT, a
 * combination Netty does not cache: two objects allocated per event.) Who may work on it is {@link OwnedSource}'s protocol; what the work is lives in
 * {@link ReadSide} (reads, budgets, pausing, the idle timeout), {@link WriteSide} (the queue,
 * cross-thread writes, water marks, half-close) and {@link CloseSide} (graceful close, linger,
 * drain deadline, abort). This class starts the connection, turns epoll events and requests
 * into pending work, and does that work in a fixed order. All fields but the atomic ones and
 * {@link #open} are the owner's. Internal API.
 */
public final class TcpConnection extends OwnedSource implements Connection, EpollIoHandle {
    private static final EpollIoOps READING = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLET);
    private static final EpollIoOps READING_AND_WRITING = READING.with(EpollIoOps.EPOLLOUT);
    /** STEAL_POLL: reading goes through the home's steal set; Netty's set reports only errors (always) and room to write. */
    private static final EpollIoOps ERRORS = EpollIoOps.EPOLLET;
    private static final EpollIoOps WRITING = EpollIoOps.EPOLLOUT.with(EpollIoOps.EPOLLET);

    final LinuxSocket socket;
    final SourceRegistry registry;
    /** Whether EPOLLOUT is in the registration's interest. Owner only. */
    private boolean watchingWritable;
    final ConnectionSettings settings;
    final ReadSide reader;
    final WriteSide writer;
    final CloseSide closer;
    final PendingConnect connect;
    /** A Unix domain socket: no TCP_NODELAY, no IP addresses, peer credentials instead. */
    private final boolean unix;
    /** A Unix socket's peer, read once at the start (SO_PEERCRED); null otherwise. */
    private volatile io.torque.core.net.PeerCredentials credentials;
    /** The TLS configuration, or null for plaintext. */
    private final TlsSettings tlsSettings;
    /** The TLS engine's driver, made when the connection opens; null for plaintext. Owner only. */
    TlsSide tls;
    /** What the TLS handshake settled, once it has; any thread reads it. */
    volatile TlsInfo tlsInfo;
    ConnectionHandler handler;
    IoRegistration registration;
    /**
     * Its slot in the home loop's steal set (STEAL_POLL, STEAL_EPOLL), or -1: while it has one, its
     * read readiness comes from that set, not Netty's ({@link #register}). Owner only (set at the
     * start, before any other thread can own it, and by a move).
     */
    private int stealSlot = -1;
    /** onOpen was called: onClose will be, once. */
    boolean opened;
    /** Waits in some loop's inbox (see {@link #claimHandOff()}). */
    private final java.util.concurrent.atomic.AtomicBoolean handOffQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** On the home loop's ready list for this round (home loop thread only). */
    private boolean listed;
    private int roundFlags;
    /**
     * The peer hung up or the socket failed (EPOLLRDHUP, EPOLLERR seen): reads go on to EOF or
     * the error instead of stopping at a short read. Set by the home loop before the work it
     * asks for is handed over (the ownership CAS or the inbox publishes it); sticky.
     */
    volatile boolean peerHangUp;
    /** False from the first close, abort or reset on; any thread reads it. */
    private volatile boolean open = true;
    /** Written once at the start, read by any thread. */
    private volatile InetSocketAddress remote;
    private volatile InetSocketAddress local;

    /**
     * A connection, not started yet.
     *
     * @param handler the callbacks of an outbound connection; null for an accepted one (its
     *     listener's factory makes them at start)
     * @param connect the outbound connect, or {@link PendingConnect#NONE}
     * @param tls the TLS configuration, or null for plaintext
     * @param unix whether it is a Unix domain socket (no TCP options, no IP addresses)
     */
    TcpConnection(LinuxSocket socket, Loop home, SourceRegistry registry, ConnectionSettings settings,
            ConnectionHandler handler, PendingConnect connect, TlsSettings tls, boolean unix) {
        super(home);
        this.unix = unix;
        this.tlsSettings = tls;
        this.socket = socket;
        this.registry = registry;
        this.settings = settings;
        this.handler = handler;
        this.connect = connect;
        this.reader = new ReadSide(this);
        this.writer = new WriteSide(this);
        this.closer = new CloseSide(this);
        this.mover = home.movesHomes() ? new HomeMove(this) : null;
    }

    // ---------------------------------------------------------------- start

    /**
     * Registers an accepted socket on its home loop and runs {@code onOpen}. Home loop thread.
     *
     * @param factory makes the connection's handler
     */
    void startAccepted(Function<Connection, ConnectionHandler> factory) {
        assert home.inLoop();
        claimInitial(home);
        try {
            register(false);
            try {
                if (unix) {
                    credentials = UnixCredentials.of(socket); // fails if the peer is gone already
                } else {
                    remote = socket.remoteAddress();
                    local = socket.localAddress();
                }
            } catch (java.nio.channels.NotYetConnectedException e) {
                remote = null;
            }
            if (remote == null && credentials == null) {
                // The peer reset before the connection started: nothing to open, nobody to tell.
                throw new java.net.SocketException("the peer closed the connection before it started");
            }
            startTls(); // before the factory: what it writes goes through the engine
            handler = Objects.requireNonNull(factory.apply(this), "the connection handler factory returned null");
            opened();
        } catch (Throwable t) {
            failOwned(t);
        }
        // Read now (bytes may have arrived before registration, and that edge is gone), then let
        // go, doing whatever other threads asked for meanwhile.
        releaseInitial(home, Work.READ);
    }

    /** Starts the non-blocking connect on the home loop. Home loop thread. */
    void startConnect() {
        assert home.inLoop();
        claimInitial(home);
        try {
            register(true); // the connect's outcome comes as EPOLLOUT; the first flush drops it
            if (socket.connect(unix ? UnixPaths.toNetty((java.net.UnixDomainSocketAddress) connect.target()) : connect.target())) {
                connected();
            } else {
                connect.scheduleTimeout(this);
            }
        } catch (IOException e) {
            failOwned(unix ? UnixPaths.connectFailed((java.net.UnixDomainSocketAddress) connect.target(), e) : e);
        } catch (Throwable t) {
            failOwned(t);
        }
        releaseInitial(home, 0);
        java.util.function.Consumer<TcpConnection> hook = afterStartConnectHook;
        if (hook != null) {
            hook.accept(this); // tests hold the home here, its connect under way
        }
    }

    /** Tests only: runs on the home loop right after a connect was started and let go. */
    static volatile java.util.function.Consumer<TcpConnection> afterStartConnectHook;

    private void register(boolean writable) throws IOException {
        if (!unix) {
            socket.setTcpNoDelay(true);
        }
        registration = home.netty().register(this).getNow();
        if (registration == null) {
            throw new IOException("the loop refused the registration (shutting down)");
        }
        io.torque.core.internal.loop.StealSet steals = home.stealSet();
        if (steals != null) {
            try {
                stealSlot = steals.add(this, socket.intValue()); // STEAL_POLL: its reads go through the set, idle loops may take them
            } catch (IOException e) {
                // (ENOSPC: fs.epoll.max_user_watches, two watches per socket) read through Netty's set as under STEAL
                if (!stealSetRefusedLogged) {
                    stealSetRefusedLogged = true;
                    System.getLogger(TcpConnection.class.getName()).log(System.Logger.Level.WARNING,
                            "a connection could not join its loop's steal set; such connections are read as under STEAL: " + e);
                }
            }
        }
        watchingWritable = writable;
        registration.submit(interest(writable));
    }

    /** STEAL_EPOLL: moves it to another home loop when a thief asks (owner only but {@link #moveTo}); null under other policies. */
    final HomeMove mover;

    @Override
    public void moveTo(Loop to) {
        if (mover != null) {
            mover.request(to);
        }
    }

    private void giveUpMove(int todo) {
        if (mover != null && (todo & (Work.MOVE_OUT | Work.MOVE_IN)) != 0) {
            mover.giveUp();
        }
    }

    /** Leaves the home loop's epoll sets (its Netty registration and its steal set). Owner, on the home thread. */
    void leaveHome() {
        registration.cancel(); // on the home thread: done now, no event of it comes after
        registration = null;
        if (stealSlot >= 0) {
            home.stealSet().remove(stealSlot, this, socket.intValue());
            stealSlot = -1;
        }
    }

    /**
     * Joins the (new) home loop's epoll sets. Owner, on the home thread.
     *
     * @throws IOException if the loop refuses the registration (it is shutting down)
     */
    void joinHome() throws IOException {
        try {
            register(watchingWritable);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // epoll_ctl refused (the loop is shutting down): the socket's problem, not a callback's
        }
    }

    /** Whether it is listed in its home's round now (home thread only). */
    boolean listedForRound() {
        return listed;
    }

    /** Whether a connection failed to join a steal set already (logged once per process). */
    private static volatile boolean stealSetRefusedLogged;

    private EpollIoOps interest(boolean writable) {
        if (stealSlot >= 0) { // its reads come from the steal set
            return writable ? WRITING : ERRORS;
        }
        return writable ? READING_AND_WRITING : READING;
    }

    /**
     * Asks for EPOLLOUT while bytes wait for room, and stops asking once they are sent. Owner
     * only. Adding EPOLLOUT to an edge-triggered registration reports it at once if the socket
     * has room by then, so no edge is lost between the short write and this call. A rare
     * epoll_ctl from the owner's thread (Netty's registration takes a lock): only when a write
     * did not fit, and once more when the queue empties.
     */
    void watchWritable(boolean on) throws IOException {
        if (on == watchingWritable) {
            return;
        }
        watchingWritable = on; // also while it has no registration (moving home): the new one asks for it
        if (registration == null) {
            return;
        }
        try {
            registration.submit(interest(on));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // epoll_ctl failed: the socket's problem, not a callback's
        }
    }

    private void connected() throws Exception {
        if (unix) {
            credentials = UnixCredentials.of(socket);
        } else {
            remote = socket.remoteAddress();
            local = socket.localAddress();
        }
        connect.connected();
        startTls(); // the client's hello is queued before onOpen, which may write, close or abort
        opened();
        if (tls == null) {
            connect.complete(this); // with TLS: when the handshake has, at the end of that turn
        }
        reader.read(current()); // the owner's loop: a stolen turn may complete the connect on another loop
    }

    /**
     * Makes the TLS engine and starts its handshake (a client queues its hello), before anything
     * else can write. A failure here closes the connection before onOpen (so without onClose).
     */
    private void startTls() throws Exception {
        if (tlsSettings != null) {
            tls = new TlsSide(this, tlsSettings, connect.target() != null ? connect.target() : remote);
            tls.start();
        }
    }

    private void opened() throws Exception {
        opened = true; // before onOpen: a throwing onOpen still gets its onClose
        home.counters().opened();
        handler.onOpen(this);
        reader.started();
    }

    // ---------------------------------------------------------------- work

    @Override
    void doWork(int todo) throws Exception {
        if (connect.pending()) {
            if ((todo & Work.CONNECT_TIMEOUT) != 0) {
                failOwned(connect.timeoutException());
            } else if ((todo & (Work.SHUTDOWN | Work.CLOSE_NOW | Work.ABORT | Work.CLOSE | Work.DEADLINE)) != 0) {
                failOwned(new IOException("the connect to " + connect.target() + " was abandoned: "
                        + ((todo & (Work.ABORT | Work.CLOSE)) != 0 ? "the connection was closed" : "the torque context closed")));
            } else if ((todo & Work.CONNECT) != 0 && socket.finishConnect()) {
                connected();
                endTurn(); // what onOpen and the first reads wrote (a TLS client's next flight) goes now
            }
            giveUpMove(todo); // a connecting socket does not move
            return; // anything else waits for the connect (writes stay in the outbox)
        }
        if (closer.closed()) {
            giveUpMove(todo);
            return;
        }
        if ((todo & Work.ABORT) != 0) {
            closer.abort("abort() was called");
            return;
        }
        if ((todo & (Work.MOVE_OUT | Work.MOVE_IN)) != 0 && mover != null) {
            todo |= mover.move(todo); // STEAL_EPOLL: leave or join a home (catching up on what a move may have hidden)
        }
        if ((todo & Work.CLOSE_NOW) != 0) {
            closer.abort("the torque context was closed at once");
            return;
        }
        if ((todo & Work.TLS_TIMEOUT) != 0 && tls != null) {
            tls.timedOut();
        }
        if ((todo & Work.TLS_TASK) != 0 && tls != null) {
            tls.tasksDone();
            todo |= Work.READ; // unwrap what waited for the task, then read on
        }
        writer.drainOutbox(); // before anything is written on this turn: per-thread order holds
        if ((todo & Work.PAUSE) != 0) {
            reader.pause(true);
        }
        if ((todo & Work.RESUME) != 0) {
            reader.pause(false);
            todo |= Work.READ;
        }
        if ((todo & Work.SHUT_OUTPUT) != 0) {
            writer.shutdownOutput();
        }
        if ((todo & Work.CLOSE) != 0) {
            closer.close();
        }
        if ((todo & Work.SHUTDOWN) != 0) {
            closer.shutdown(registry.drainDeadlineNanos());
        }
        if ((todo & Work.DEADLINE) != 0) {
            closer.deadlinePassed();
        }
        if ((todo & Work.FILE_TURN) != 0) {
            writer.newFileShare(); // the end of this turn sends the next share
        }
        if ((todo & Work.FLUSH) != 0) {
            writer.flush();
        }
        if ((todo & Work.READ) != 0) {
            reader.read(current());
        }
        if ((todo & Work.IDLE_CHECK) != 0) {
            reader.checkIdle(current()); // after reading: bytes that are there are not idleness
        }
        if ((todo & Work.LINGER_END) != 0) {
            closer.lingerEnded();
        }
        endTurn();
    }

    /** The end of every turn: what its callbacks wrote goes in one writev; a TLS client's connect may complete. */
    private void endTurn() throws Exception {
        writer.flush();
        if (tls != null) {
            tls.endOfTurn(); // a client's connect completes here, outside the engine's loops
        }
    }

    /** A read that arrived during a turn becomes a queued reading turn on the home loop. */
    @Override
    int deferRepeats(int work) {
        if ((work & Work.READ) != 0 && !closer.closed()) {
            reader.requeue();
            return work & ~Work.READ;
        }
        return work;
    }

    @Override
    void failOwned(Throwable t) {
        if (closer.closed()) {
            return;
        }
        if (!connect.pending() && !(t instanceof IOException)) {
            home.report(this, t); // a callback's throwable: once, to the error handler
        }
        closer.finish(t);
    }

    /**
     * Closes now and tells the handler. Owner only.
     *
     * @param cause null for a graceful close
     */
    void finishClose(Throwable cause) {
        closer.finish(cause);
    }

    /**
     * After every loop has ended: completes what no loop will (a connect that never started
     * fails, a socket still open closes). On the closing thread; the loops are gone, so nobody
     * else works on the connection.
     */
    public void terminateAfterLoopsEnded() {
        closer.terminateAfterLoopsEnded();
    }

    /**
     * Sends our FIN. A connection that ended first (a reset, a keepalive timeout) leaves the
     * socket unconnected, and shutdown(2) fails with ENOTCONN, which Netty raises as an
     * unchecked NotYetConnectedException; it becomes an IOException here, so the close is the
     * peer's doing and no callback is blamed for it.
     */
    void shutdownSocketOutput() throws IOException {
        try {
            socket.shutdown(false, true);
        } catch (NotYetConnectedException e) {
            SocketException gone = new SocketException("the connection ended (a reset or a timeout) before our FIN: " + this);
            gone.initCause(e);
            throw gone;
        }
    }

    void markNotOpen() {
        open = false;
    }

    void closeSocketQuietly() {
        try {
            socket.close(); // leaves every epoll set, the steal set too
        } catch (IOException ignored) {
            // nothing more to do with it
        }
        if (stealSlot >= 0) {
            home.stealSet().release(stealSlot, this);
        }
    }

    // ---------------------------------------------------------------- events

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    /** An epoll event on the home loop. Never throws: Netty would drop the rest of its batch. */
    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        try {
            EpollIoOps ops = ((EpollIoEvent) event).ops();
            boolean err = ops.contains(EpollIoOps.EPOLLERR);
            events(ops.contains(EpollIoOps.EPOLLIN), ops.contains(EpollIoOps.EPOLLOUT), ops.contains(EpollIoOps.EPOLLRDHUP) || err, err);
        } catch (Throwable t) {
            home.report(this, t);
        }
    }

    /** STEAL_POLL: the home's steal set reported it (the home drains its set). Home loop thread; never throws. */
    @Override
    public void readyInSet(int bits) {
        try {
            boolean hangUp = io.torque.core.internal.loop.StealSet.hungUp(bits);
            events(io.torque.core.internal.loop.StealSet.readable(bits), false, hangUp,
                    io.torque.core.internal.loop.StealSet.failed(bits));
        } catch (Throwable t) {
            home.report(this, t);
        }
    }

    @Override
    public void hungUp() {
        if (!peerHangUp) {
            peerHangUp = true;
        }
    }

    /** What an epoll report asks for, from Netty's set or the steal set. Home loop thread. */
    private void events(boolean in, boolean out, boolean hangUp, boolean err) {
        Loop h = home;
        if (!h.inLoop()) {
            // A report from a loop it has left (none should come: it leaves their sets on their
            // thread first): the new home does the work.
            submit(Work.READ | Work.FLUSH | (connect.pending() ? Work.CONNECT : 0));
            return;
        }
        if (connect.pending()) {
            if (out || err) {
                work(h, Work.CONNECT);
            }
            return;
        }
        int flags = out || err ? Work.FLUSH : 0;
        if (hangUp) {
            hungUp(); // before the work below: whoever reads next sees it
        }
        if (in || hangUp) {
            flags |= Work.READ;
        }
        if ((flags & Work.READ) == 0) {
            work(h, flags);
            return;
        }
        // This round's ready sources are gathered; the loop decides who handles which (under
        // STATIC: itself, all of them).
        roundFlags |= flags;
        if (!listed) {
            listed = true;
            h.ready(this);
        }
    }

    @Override
    public int takeRound() {
        int f = roundFlags;
        roundFlags = 0;
        listed = false;
        return f;
    }

    @Override
    public void runRound(Loop loop, int work) {
        work(loop, work);
    }

    @Override
    public boolean claimHandOff() {
        return handOffQueued.compareAndSet(false, true);
    }

    @Override
    public void unclaimHandOff() {
        handOffQueued.set(false);
    }

    @Override
    public void runHanded(Loop loop) {
        handOffQueued.set(false); // before the turn: readiness from here on may be handed again
        work(loop, Work.READ | Work.FLUSH);
    }

    // ---------------------------------------------------------------- Connection

    @Override
    public void write(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        writer.write(src);
    }

    @Override
    public void sendFile(java.nio.file.Path path, long position, long count) {
        Objects.requireNonNull(path, "path");
        FileRegion r;
        try {
            r = FileRegion.open(path, position, count);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot send " + path + ": " + e, e);
        }
        writer.sendFile(r);
    }

    @Override
    public void sendFile(java.nio.channels.FileChannel channel, long position, long count) {
        Objects.requireNonNull(channel, "channel");
        try {
            writer.sendFile(FileRegion.of(channel, position, count));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot send from " + channel + ": " + e, e);
        }
    }

    @Override
    public void flush() {
        if (owned()) {
            try {
                writer.flush();
            } catch (Exception e) {
                failOwned(e);
            }
        } else {
            submit(Work.FLUSH);
        }
    }

    @Override
    public long queuedBytes() {
        return writer.queuedBytes();
    }

    @Override
    public boolean isWritable() {
        return writer.isWritable();
    }

    @Override
    public void close() {
        if (owned()) {
            try {
                closer.close();
            } catch (IOException e) {
                failOwned(e);
            }
        } else if (home.inLoop() && home.netty().isShuttingDown()) {
            // Netty closes every handle still registered as the loop shuts down: past the drain.
            // (A connection moves home only on its home's thread: here, home stays as read.)
            work(home, Work.CLOSE_NOW);
        } else {
            submit(Work.CLOSE);
        }
    }

    @Override
    public void abort() {
        if (owned()) {
            closer.abort("abort() was called");
        } else {
            submit(Work.ABORT);
        }
    }

    @Override
    public void shutdownOutput() {
        if (owned()) {
            try {
                writer.shutdownOutput();
            } catch (IOException e) {
                failOwned(e);
            }
        } else {
            submit(Work.SHUT_OUTPUT);
        }
    }

    @Override
    public void pauseReading() {
        if (owned()) {
            reader.pause(true);
        } else {
            submit(Work.PAUSE);
        }
    }

    @Override
    public void resumeReading() {
        if (owned()) {
            reader.pause(false);
            reader.requeue(); // bytes that arrived while paused made no new edge
        } else {
            submit(Work.RESUME);
        }
    }

    /**
     * Asks the connection to close gracefully within the context's drain deadline (the
     * context is closing). Any thread.
     */
    public void shutdownGracefully() {
        submit(Work.SHUTDOWN); // on the home loop: only loop threads may own a connection
    }

    /** Asks the connection to close at once. Any thread. */
    public void closeNow() {
        submit(Work.CLOSE_NOW);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public TlsInfo tls() {
        return tlsInfo;
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
    public java.net.SocketAddress remoteSocketAddress() {
        return unix ? connect.target() : remote; // an accepted Unix peer is unnamed: null
    }

    @Override
    public io.torque.core.net.PeerCredentials peerCredentials() {
        return credentials;
    }

    @Override
    public int loopIndex() {
        return home.index();
    }

    @Override
    public String toString() {
        return unix ? "unix connection " + (connect.target() != null ? "to " + connect.target() : "accepted (pid "
                + (credentials != null ? credentials.pid() : -1) + ")") + " on " + home
                : "connection " + local + " <-> " + remote + " on " + home;
    }
}
