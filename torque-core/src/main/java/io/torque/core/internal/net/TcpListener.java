package io.torque.core.internal.net;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.torque.core.internal.loop.Loop;

/**
 * A listening socket on its home loop, edge-triggered: each readiness accepts until
 * {@code EAGAIN} or the turn's budget, placing each new connection on the loop the context
 * chooses. When accept fails
 * for want of file descriptors (EMFILE, ENFILE) it stops and retries after
 * {@link #RETRY_MILLIS}, instead of spinning on a readiness that cannot be served. Internal API.
 */
public final class TcpListener implements Listener, EpollIoHandle {
    /** Pause before accepting again after EMFILE/ENFILE. */
    public static final long RETRY_MILLIS = 50;

    private final LinuxSocket socket;
    private final Loop loop;
    private final SourceRegistry registry;
    private final Function<Connection, ConnectionHandler> factory;
    /** The settings of every connection this listener accepts. */
    private final ConnectionSettings settings;
    private final InetSocketAddress bound;
    /** A Unix listener's address (its socket file is removed on close); null for TCP. */
    private final java.net.UnixDomainSocketAddress unix;
    /** The socket file's identity at bind: close removes the file only if it is still that one. */
    private Object unixKey;
    private final byte[] acceptedAddress = new byte[26];
    private final Runnable acceptTask = () -> {
        acceptQueued = false;
        acceptAll();
    };
    /** An accepting turn is queued (listener's loop only). */
    private boolean acceptQueued;
    private IoRegistration registration;
    private volatile boolean closed;
    private boolean retryScheduled;
    /**
     * One of the per-loop sockets of an {@code SO_REUSEPORT} group: the kernel already chose this
     * loop for the connection, which stays here (no placement, no cross-loop start).
     */
    private final boolean homeHere;
    /** The loops accepted connections may be homed on (a NIC-local subset), or null for every loop. */
    private final java.util.List<Loop> homes;
    /** This listener's round-robin position among {@link #homes}. */
    private final java.util.concurrent.atomic.AtomicInteger nextHome = new java.util.concurrent.atomic.AtomicInteger();
    /** The accepted connections' TLS, or null for plaintext. */
    private final io.torque.core.internal.tls.TlsSettings tls;

    private TcpListener(LinuxSocket socket, Loop loop, SourceRegistry registry,
            Function<Connection, ConnectionHandler> factory, ConnectionSettings settings, InetSocketAddress bound,
            boolean homeHere, io.torque.core.internal.tls.TlsSettings tls, java.net.UnixDomainSocketAddress unix,
            java.util.List<Loop> homes) {
        this.homeHere = homeHere;
        this.homes = homes;
        this.unix = unix;
        this.tls = tls;
        this.socket = socket;
        this.loop = loop;
        this.registry = registry;
        this.factory = factory;
        this.settings = settings;
        this.bound = bound;
    }

    /**
     * Binds, listens and registers on {@code loop}; returns once accepting.
     *
     * @throws BindException (unchecked as {@link java.io.UncheckedIOException}) when the address is
     *     in use or not local
     */
    public static TcpListener open(InetSocketAddress address, ListenOptions options, Loop loop, SourceRegistry registry,
            Function<Connection, ConnectionHandler> factory) throws IOException {
        return open(address, options, loop, registry, factory, false);
    }

    /**
     * As {@link #open(InetSocketAddress, ListenOptions, Loop, SourceRegistry, Function)}, homing
     * what it accepts on {@code homes} only (a listener's NIC-local loops).
     */
    public static TcpListener open(InetSocketAddress address, ListenOptions options, Loop loop, SourceRegistry registry,
            Function<Connection, ConnectionHandler> factory, java.util.List<Loop> homes) throws IOException {
        if (homes.isEmpty()) {
            throw new IllegalArgumentException("a listener needs at least one loop to home its connections on");
        }
        return open(address, options, loop, registry, factory, false, java.util.List.copyOf(homes));
    }

    /**
     * As {@link #open(InetSocketAddress, ListenOptions, Loop, SourceRegistry, Function)};
     * {@code homeHere}: this loop homes what it accepts (a member of a reuseport group).
     */
    static TcpListener open(InetSocketAddress address, ListenOptions options, Loop loop, SourceRegistry registry,
            Function<Connection, ConnectionHandler> factory, boolean homeHere) throws IOException {
        return open(address, options, loop, registry, factory, homeHere, null);
    }

    private static TcpListener open(InetSocketAddress address, ListenOptions options, Loop loop, SourceRegistry registry,
            Function<Connection, ConnectionHandler> factory, boolean homeHere, java.util.List<Loop> homes) throws IOException {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address.getHostString());
        }
        LinuxSocket socket = LinuxSocket.newSocketStream(address.getAddress() instanceof java.net.Inet6Address);
        return bindAndStart(socket, address, null, options, loop, registry, factory, homeHere, homes);
    }

    /**
     * Binds a Unix domain stream socket (a path, or an {@code @name} in the abstract namespace),
     * listens and registers on {@code loop}.
     *
     * @throws IllegalArgumentException for SO_REUSEPORT, or a path the kernel cannot take
     * @throws BindException (as an IOException) when the path exists or is bound
     */
    public static TcpListener openUnix(java.net.UnixDomainSocketAddress address, ListenOptions options, Loop loop,
            SourceRegistry registry, Function<Connection, ConnectionHandler> factory) throws IOException {
        if (options.reusePort()) {
            throw new IllegalArgumentException("SO_REUSEPORT does not apply to Unix sockets: " + address);
        }
        if (options.nicLocality()) {
            throw new IllegalArgumentException("NIC locality does not apply to Unix sockets: " + address);
        }
        io.netty.channel.unix.DomainSocketAddress nettyAddress = UnixPaths.toNetty(address);
        if (UnixPaths.fileExists(address)) {
            // Netty's bind unlinks the path first: it would take the socket from a live listener
            throw new BindException("cannot bind " + address + ": " + UnixPaths.EXISTS);
        }
        return bindAndStart(LinuxSocket.newSocketDomain(), nettyAddress, address, options, loop, registry, factory, false, null);
    }

    private static TcpListener bindAndStart(LinuxSocket socket, java.net.SocketAddress address, java.net.UnixDomainSocketAddress unix,
            ListenOptions options, Loop loop, SourceRegistry registry, Function<Connection, ConnectionHandler> factory,
            boolean homeHere, java.util.List<Loop> homes) throws IOException {
        java.net.SocketAddress shown = unix != null ? unix : address;
        try {
            if (unix == null) {
                socket.setReuseAddress(true);
                if (options.reusePort()) {
                    socket.setReusePort(true);
                }
            }
            try {
                socket.bind(address);
            } catch (IOException e) {
                BindException b = new BindException("cannot bind " + shown + ": " + e.getMessage()
                        + (unix != null && UnixPaths.fileExists(unix) ? " (" + UnixPaths.EXISTS + ")" : ""));
                b.initCause(e);
                throw b;
            }
            socket.listen(options.backlog());
            Object key = unix == null ? null : UnixPaths.fileKey(unix);
            TcpListener l = new TcpListener(socket, loop, registry, factory,
                    options.settings() != null ? options.settings() : registry.settings(), unix == null ? socket.localAddress() : null,
                    homeHere, options.tls() == null ? null : io.torque.core.internal.tls.TlsSettings.of(options.tls()), unix, homes);
            l.unixKey = key;
            CompletableFuture<Void> started = new CompletableFuture<>();
            try {
                loop.execute(() -> l.start(started)); // inline when called on this loop (from a callback)
            } catch (RejectedExecutionException e) {
                throw new IllegalStateException("the torque context is closed", e);
            }
            if (!loop.join(started)) {
                throw new IllegalStateException("the torque context closed before the listener on " + shown + " registered");
            }
            try {
                started.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(e.getCause());
            }
            return l;
        } catch (IOException | RuntimeException e) {
            socket.close();
            if (unix != null && !(e instanceof BindException)) {
                UnixPaths.remove(unix, UnixPaths.fileKey(unix)); // ours, bound just now
            }
            throw e;
        }
    }

    private void start(CompletableFuture<Void> started) {
        try {
            if (!registry.opened(this)) {
                throw new IllegalStateException("the torque context is closed");
            }
            registration = loop.netty().register(this).getNow();
            registration.submit(EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLET));
            started.complete(null);
        } catch (Throwable t) {
            Loop.cancelQuietly(registration);
            registry.closed(this);
            started.completeExceptionally(t);
            return;
        }
        // Connections queued before registration made no edge: a turn soon, not inline (listen()
        // may have been called from a callback, and accepting runs onOpen callbacks).
        acceptQueued = true;
        loop.executeLater(acceptTask);
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    /** Never throws: Netty would drop the rest of its batch. */
    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        acceptAll();
    }

    /**
     * Accepts up to the turn's budget, then yields to the loop's other sources and goes on
     * later (no edge comes for connections already queued). Never throws.
     */
    private void acceptAll() {
        int budget = loop.budgets().acceptsPerTurn();
        try {
            for (int accepted = 0; !closed; accepted++) {
                if (accepted == budget) {
                    if (!acceptQueued) { // one at a time, or edges would pile tasks up
                        acceptQueued = true;
                        loop.executeLater(acceptTask); // a task after this round's other sources
                    }
                    return;
                }
                int fd;
                try {
                    fd = socket.accept(acceptedAddress);
                } catch (Errors.NativeIoException e) {
                    int errno = Math.abs(e.expectedErr());
                    if (errno != 24 && errno != 23) { // EMFILE, ENFILE: wait quietly for fds to free up
                        loop.report(this, e);
                    }
                    scheduleRetry();
                    return;
                } catch (IOException e) {
                    loop.report(this, e);
                    scheduleRetry();
                    return;
                }
                if (fd < 0) {
                    return; // EAGAIN: drained
                }
                loop.counters().accepted();
                startConnection(LinuxSocket.newSocket(fd));
            }
        } catch (Throwable t) {
            loop.report(this, t);
        }
    }

    private void startConnection(LinuxSocket accepted) {
        Loop home = null;
        TcpConnection c;
        try {
            if (homeHere) {
                registry.homed(loop, 1);
                home = loop;
            } else {
                home = homes == null ? registry.placeConnection() : registry.placeConnection(homes, nextHome);
            }
            c = new TcpConnection(accepted, home, registry, settings, null, PendingConnect.NONE, tls, unix != null);
        } catch (Throwable t) {
            if (home != null) {
                registry.homed(home, -1);
            }
            closeQuietly(accepted); // nothing owns the socket yet: never leak its fd
            throw t;
        }
        if (!registry.opened(c)) { // the context closes: refuse
            registry.homed(home, -1);
            c.closeSocketQuietly();
            return;
        }
        try {
            home.executeLater(() -> c.startAccepted(factory)); // never inline: onOpen is a callback
        } catch (RejectedExecutionException e) {
            // that loop has shut down; the context's final sweep closes the connection
        }
    }

    private static void closeQuietly(LinuxSocket s) {
        try {
            s.close();
        } catch (IOException | RuntimeException ignored) {
            // already reported by the caller's failure
        }
    }

    private void scheduleRetry() {
        if (!retryScheduled && !closed) {
            retryScheduled = true;
            loop.netty().schedule(() -> {
                retryScheduled = false;
                acceptAll();
            }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return bound;
    }

    @Override
    public java.net.SocketAddress address() {
        return unix != null ? unix : bound;
    }

    @Override
    public void close() {
        loop.call(this::closeNow); // waits unless called on a loop; inline once the loop has ended
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        Loop.cancelQuietly(registration);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (unix != null) {
            UnixPaths.remove(unix, unixKey); // the socket file goes with the listener, if it is still ours
        }
        registry.closed(this);
    }

    @Override
    public String toString() {
        return "listener " + address();
    }
}
