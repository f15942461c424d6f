package io.torque.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.LoopStats;
import io.torque.core.fd.FdHandler;
import io.torque.core.fd.FdSource;
import io.torque.core.internal.fd.FdRegistration;
import io.torque.core.internal.loop.Loop;
import io.torque.core.internal.net.Connector;
import io.torque.core.internal.udp.UdpGroup;
import io.torque.core.internal.watch.InotifyWatch;
import io.torque.core.watch.PathHandler;
import io.torque.core.watch.PathWatch;
import io.torque.core.internal.udp.UdpSocket;
import io.torque.core.udp.DatagramHandler;
import io.torque.core.udp.DatagramOptions;
import io.torque.core.udp.DatagramSocket;
import io.torque.core.internal.net.ReusePortGroup;
import io.torque.core.internal.net.TcpListener;
import io.torque.core.internal.signal.SignalBridge;
import io.torque.core.internal.timer.LoopTimer;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.signal.SignalRegistration;
import io.torque.core.timer.Timer;
import io.torque.topology.Topology;

/**
 * A torque context: one event loop per processing element, each on its own thread with its own
 * epoll fd, serving the sources registered here (listeners, connections, timers, signals, raw
 * fds).
 *
 * <pre>{@code
 * try (Torque torque = Torque.builder().build()) {
 *     torque.listen(new InetSocketAddress("127.0.0.1", 7070), conn -> new Echo());
 *     torque.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Threading: every method may be called from any thread, also from callbacks, except
 * {@link #awaitTermination()} (a loop would wait for itself). {@link #listen} and
 * {@link #register} return once the source is registered: called from a callback, the new source
 * lives on the loop running that callback and registers inline, so no loop waits for another.
 *
 * <p>Placement: new connections, timers, signals and fds are homed by the
 * {@link io.torque.core.dispatch.Placement placement} rule (Pareto-chosen by default, spread over packages first).
 * Under the PARETO dispatch policy a connection's callbacks may run on a loop other than its
 * home when the home loop is busy, never on two threads at once.
 *
 * <p>Closing: {@link #close()} is graceful (stop accepting, let every connection answer what has
 * arrived, send what it queued and its FIN within the drain timeout, then abort the rest),
 * {@link #closeNow()} is not; both run each close callback once and join every loop thread.
 */
public final class Torque implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Torque.class.getName());
    private final Topology topology;
    private final LoopGroup loops;
    private final Sources sources;
    private final ContextCloser closer;
    private volatile boolean closed;

    Torque(Topology topology, LoopGroup loops, ConnectionSettings settings, long drainTimeoutNanos) {
        this.topology = topology;
        this.loops = loops;
        this.sources = new Sources(loops, settings, drainTimeoutNanos);
        this.closer = new ContextCloser(loops, sources, drainTimeoutNanos);
    }

    /**
     * A builder with the defaults: {@link Topology#detect()}, its advisory loop count.
     *
     * @return a new builder
     */
    public static TorqueBuilder builder() {
        return new TorqueBuilder();
    }

    /**
     * The topology the loops were laid out on.
     *
     * @return the topology
     */
    public Topology topology() {
        return topology;
    }

    /**
     * The number of loops.
     *
     * @return the loop count
     */
    public int loopCount() {
        return loops.loops().size();
    }

    /**
     * The CPU each loop serves, by loop index.
     *
     * @return a new array of OS CPU numbers
     */
    public int[] loopCpus() {
        return loops.loops().stream().mapToInt(Loop::cpu).toArray();
    }

    /**
     * The dispatch policy the loops run.
     *
     * @return the policy
     */
    public DispatchPolicy policy() {
        return loops.policy();
    }

    /**
     * Every loop's counters now. Any thread; each value is recent, the set is not one instant.
     *
     * @return one entry per loop, by index
     */
    public List<LoopStats> stats() {
        return loops.stats();
    }

    /** {@link #stats()} as a table, plus the policy and placement. */
    @Override
    public String toString() {
        return "torque " + policy() + ", " + loopCount() + " loops, placement " + loops.placement() + "\n"
                + LoopStats.table(stats());
    }

    /**
     * The names of the loop threads, by loop index ({@code torque-cpuN}).
     *
     * @return the names
     */
    public List<String> loopThreadNames() {
        return loops.loops().stream().map(l -> l.thread().getName()).toList();
    }

    /**
     * Listens on {@code address} with the default options; each accepted connection gets the
     * handler {@code handlers} makes for it, on the loop chosen for it.
     *
     * @param address where to listen (port 0: the kernel picks one)
     * @param handlers makes each accepted connection's handler
     * @return the listener, accepting
     * @throws IllegalArgumentException if the address is unresolved
     * @throws UncheckedIOException wrapping a {@link java.net.BindException} when the port is in
     *     use or the address not local
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if an argument is null
     */
    public Listener listen(InetSocketAddress address, Function<Connection, ConnectionHandler> handlers) {
        return listen(address, ListenOptions.DEFAULT, handlers);
    }

    /**
     * Listens with explicit options; see {@link #listen(InetSocketAddress, Function)}.
     *
     * @param address where to listen
     * @param options backlog, SO_REUSEPORT, the accepted connections' settings, TLS, NIC locality
     * @param handlers makes each accepted connection's handler
     * @return the listener, accepting
     * @throws IllegalArgumentException if the address is unresolved
     * @throws UncheckedIOException wrapping a {@link java.net.BindException} when it cannot bind
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if an argument is null
     */
    public Listener listen(InetSocketAddress address, ListenOptions options, Function<Connection, ConnectionHandler> handlers) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlers, "handlers");
        checkOpen();
        try {
            Loop caller = loops.callerLoop();
            List<Loop> near = loops.loops();
            if (options.nicLocality() && !address.isUnresolved()) {
                NicLocality nic = NicLocality.of(address.getAddress(), topology, loops.loops());
                near = nic.loops;
                LOG.log(System.Logger.Level.INFO, "listener on {0}: NIC locality: {1}; its connections go to loops on CPUs {2}",
                        address, nic.why, near.stream().map(l -> Integer.toString(l.cpu())).toList());
            }
            if (options.reusePort() && caller == null && loopCount() > 1) {
                return ReusePortGroup.open(address, options, near, sources, handlers);
            }
            if (near.size() < loopCount()) {
                return TcpListener.open(address, options, caller != null ? caller : loops.place(near), sources, handlers, near);
            }
            return TcpListener.open(address, options, caller != null ? caller : loops.place(), sources, handlers);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Listens on a Unix domain stream socket: the connections it accepts are served as TCP ones
     * are (the same handlers, settings and TLS), with {@link Connection#peerCredentials()} telling
     * which process is at the other end, and no IP addresses. The socket file is removed when the
     * listener closes.
     *
     * @param address the socket's path, or {@code @name} for Linux's abstract namespace (no
     *     file; as {@code ss} and systemd write such names)
     * @param options backlog, settings and TLS ({@code reusePort} and {@code nicLocality} do not apply)
     * @param handlers makes each accepted connection's handler
     * @return the listener, accepting; {@link Listener#address()} is {@code address}
     * @throws IllegalArgumentException for an empty path, one longer than the kernel's 107 bytes,
     *     SO_REUSEPORT or NIC locality
     * @throws UncheckedIOException wrapping a {@link java.net.BindException} when the path exists
     *     (bound by a live process, or left by a dead one) or its directory does not
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if an argument is null
     */
    public Listener listen(java.net.UnixDomainSocketAddress address, ListenOptions options,
            Function<Connection, ConnectionHandler> handlers) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlers, "handlers");
        checkOpen();
        try {
            Loop caller = loops.callerLoop();
            return TcpListener.openUnix(address, options, caller != null ? caller : loops.place(), sources, handlers);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The default resolver, made on first use. */
    private volatile io.torque.core.dns.Resolver defaultResolver;

    /**
     * The context's resolver: {@code /etc/resolv.conf}'s servers and {@code /etc/hosts}
     * ({@link io.torque.core.dns.DnsOptions#DEFAULT}), made on first use on one of the loops,
     * closed with the context (its own {@code close()} does nothing: it is shared).
     *
     * @return the resolver
     * @throws IllegalStateException if the context is closed
     */
    public io.torque.core.dns.Resolver resolver() {
        io.torque.core.dns.Resolver r = defaultResolver;
        if (r == null) {
            synchronized (this) {
                r = defaultResolver;
                if (r == null) {
                    io.torque.core.dns.Resolver inner = resolver(io.torque.core.dns.DnsOptions.DEFAULT);
                    r = new io.torque.core.dns.Resolver() { // shared: its close() is the context's
                        @Override
                        public CompletableFuture<java.util.List<InetAddress>> resolveAll(String host) {
                            return inner.resolveAll(host);
                        }

                        @Override
                        public CompletableFuture<java.util.List<InetAddress>> resolve(String host, boolean ipv6) {
                            return inner.resolve(host, ipv6);
                        }

                        @Override
                        public CompletableFuture<java.util.List<io.torque.core.dns.SrvRecord>> resolveSrv(String name) {
                            return inner.resolveSrv(name);
                        }

                        @Override
                        public void close() {
                            // the context's resolver closes with the context
                        }
                    };
                    defaultResolver = r;
                }
            }
        }
        return r;
    }

    /**
     * A resolver of its own, on one of the loops, closed with the context (or by its
     * {@code close()}).
     *
     * @param options servers, query timeout, hosts file
     * @return the resolver
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if options is null
     */
    public io.torque.core.dns.Resolver resolver(io.torque.core.dns.DnsOptions options) {
        Objects.requireNonNull(options, "options");
        checkOpen();
        Loop caller = loops.callerLoop();
        io.torque.core.internal.dns.LoopResolver r = new io.torque.core.internal.dns.LoopResolver(
                caller != null ? caller : loops.place(), options, sources::forget);
        sources.remember(r);
        return r;
    }

    /**
     * Connects to {@code host} (resolved without blocking by {@link #resolver()}: the first
     * address, IPv4 first) on {@code port}; with TLS, {@code host} is the SNI and verification name
     * unless the configuration names another. See
     * {@link #connect(InetSocketAddress, ConnectionHandler, Duration, io.torque.core.tls.TlsConfig)}.
     *
     * @param host a host name or an address literal
     * @param port the port
     * @param handler the connection's callbacks
     * @param timeout the connect timeout (the TCP connect; resolution has the resolver's own)
     * @param tls a client TLS configuration, or null for plaintext
     * @return completes with the connection; fails with the resolver's
     *     {@link java.net.UnknownHostException} when the name does not resolve
     * @throws IllegalArgumentException for a port outside 0..65535, a negative timeout, or a server
     *     TLS configuration
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if the host, handler or timeout is null
     */
    public CompletableFuture<Connection> connect(String host, int port, ConnectionHandler handler, Duration timeout,
            io.torque.core.tls.TlsConfig tls) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(handler, "handler");
        requireNonNegative(timeout, "timeout");
        clientTls(tls);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        checkOpen();
        return resolver().resolveAll(host).thenCompose(addresses -> {
            if (addresses.isEmpty()) {
                return CompletableFuture.failedFuture(new java.net.UnknownHostException(host + " has no address"));
            }
            try {
                // the name stays with the address: SNI and verification use it
                InetAddress named = InetAddress.getByAddress(host, addresses.get(0).getAddress());
                return connect(new InetSocketAddress(named, port), handler, timeout, tls);
            } catch (java.net.UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * Watches a file or a directory (Linux's inotify, through JNA; its fd on one of the loops,
     * placed as an fd source is). The handler gets each event once: for a directory, entries
     * created, written, closed after writing, changed, deleted and renamed (with the rename's
     * cookie); for a file, its writes and changes. A queue overflow is reported
     * ({@link PathHandler#onOverflow}), not swallowed; the removal of the watched path itself, once
     * ({@link PathHandler#onRemoved}), after which the watch closes. Each watch uses an inotify
     * instance of its own (the per-user limit is {@code fs.inotify.max_user_instances}).
     *
     * @param path the file or directory
     * @param handler the callbacks
     * @return the watch, delivering
     * @throws UncheckedIOException wrapping a {@link java.nio.file.NoSuchFileException} when the
     *     path does not exist, or the kernel's refusal (no permission, a limit reached)
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if an argument is null
     */
    public PathWatch watch(java.nio.file.Path path, PathHandler handler) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        checkOpen();
        try {
            return InotifyWatch.start(path, handler, (fd, h) -> register(fd, true, false, h));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Binds a UDP socket. Its handler gets each datagram once, on the socket's loop (placement
     * chooses it; from a callback, the callback's loop). With {@link DatagramOptions#reusePort()}
     * (and more than one loop, not from a callback) it binds one socket per loop on the same port,
     * and the kernel spreads datagrams over them by sender; the handler then runs on each loop and
     * its {@code onClose} once per socket.
     *
     * @param address where to bind ({@code 0.0.0.0} or {@code ::} for every address; port 0 for any)
     * @param options datagram size limit, send queue bound, SO_REUSEPORT, SO_BROADCAST
     * @param handler the callbacks
     * @return the socket, receiving
     * @throws IllegalArgumentException if the address is unresolved
     * @throws UncheckedIOException wrapping a {@link java.net.BindException} when it cannot bind
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if an argument is null
     */
    public DatagramSocket bind(InetSocketAddress address, DatagramOptions options, DatagramHandler handler) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address.getHostString());
        }
        checkOpen();
        Loop caller = loops.callerLoop();
        List<Loop> on = options.reusePort() && caller == null && loopCount() > 1 ? loops.loops()
                : List.of(caller != null ? caller : loops.place());
        List<UdpSocket> bound = new java.util.ArrayList<>();
        InetSocketAddress at = address;
        try {
            for (Loop loop : on) {
                UdpSocket u = UdpSocket.bind(at, options, loop, handler, sources::forget);
                sources.remember(u);
                bound.add(u);
                at = u.localAddress(); // the others on the port the first one got
            }
        } catch (IOException e) {
            bound.forEach(UdpSocket::close);
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            bound.forEach(UdpSocket::close);
            throw e;
        }
        return bound.size() == 1 ? bound.get(0) : new UdpGroup(bound);
    }

    /**
     * Connects to a Unix domain stream socket without blocking, in plaintext; see
     * {@link #connect(java.net.UnixDomainSocketAddress, ConnectionHandler, Duration, io.torque.core.tls.TlsConfig)}.
     *
     * @param address the socket's path, or {@code @name} in the abstract namespace
     * @param handler the connection's callbacks
     * @param timeout the connect timeout; zero for none
     * @return completes with the connection once it is open
     * @throws IllegalArgumentException for an empty or too long path, or a negative timeout
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if an argument is null
     */
    public CompletableFuture<Connection> connect(java.net.UnixDomainSocketAddress address, ConnectionHandler handler,
            Duration timeout) {
        return connect(address, handler, timeout, null);
    }

    /**
     * Connects to a Unix domain stream socket without blocking; see
     * {@link #connect(InetSocketAddress, ConnectionHandler, Duration, io.torque.core.tls.TlsConfig)}.
     *
     * @param address the socket's path, or {@code @name} in the abstract namespace
     * @param handler the connection's callbacks
     * @param timeout the connect timeout; zero for none
     * @param tls a client TLS configuration (its server name is the one checked, as a path names
     *     no host), or null for plaintext
     * @return completes with the connection once it is open (and, with TLS, its handshake done);
     *     fails when nothing listens there ({@link java.net.ConnectException}) or on timeout
     * @throws IllegalArgumentException for an empty or too long path, a negative timeout, or a
     *     server TLS configuration
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if the address, handler or timeout is null
     */
    public CompletableFuture<Connection> connect(java.net.UnixDomainSocketAddress address, ConnectionHandler handler,
            Duration timeout, io.torque.core.tls.TlsConfig tls) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        requireNonNegative(timeout, "timeout");
        io.torque.core.internal.tls.TlsSettings settings = clientTls(tls);
        io.torque.core.internal.net.UnixPaths.check(address);
        checkOpen();
        return Connector.connect(address, handler, timeout.toNanos(), loops.placeConnection(), sources, settings);
    }

    /**
     * Connects to {@code address} without blocking.
     *
     * @param address where to connect
     * @param handler the connection's callbacks
     * @param timeout the connect timeout; zero for none
     * @return completes with the connection once it is open (after {@code handler.onOpen}), or
     *     fails when refused, past {@code timeout}, or when the context closes first; no
     *     {@code onClose} runs for a connect that did not complete. If {@code onOpen} throws, the
     *     future fails with that throwable and, since {@code onOpen} ran, {@code onClose} runs
     * @throws IllegalArgumentException if the address is unresolved or the timeout negative
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if an argument is null
     */
    public CompletableFuture<Connection> connect(InetSocketAddress address, ConnectionHandler handler, Duration timeout) {
        return connect(address, handler, timeout, null);
    }

    /**
     * Connects to {@code address} without blocking, with TLS: as
     * {@link #connect(InetSocketAddress, ConnectionHandler, Duration)}, and the handshake starts
     * once the TCP connection is open ({@code onOpen} runs then; what the handler writes before
     * the handshake finishes is sent after it). The future completes when the handshake has
     * finished (so {@link Connection#tls()} tells what it settled), or fails with its
     * {@link javax.net.ssl.SSLException} (an untrusted, expired or wrong-host certificate; the
     * handshake timeout), which {@code onClose} also gets.
     *
     * @param address where to connect: a resolved address, whose
     *     host name (if it was made with one) is the SNI and verification name unless {@code tls}
     *     names another
     * @param handler the connection's callbacks
     * @param timeout the connect timeout (the TCP connect); zero for none
     * @param tls a client configuration ({@link io.torque.core.tls.TlsConfig#client()}), or null
     *     for plaintext
     * @return completes with the connection once it is open and, with TLS, its handshake done
     * @throws IllegalArgumentException if the address is unresolved, the timeout negative, or
     *     {@code tls} a server's configuration
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if the address, handler or timeout is null
     */
    public CompletableFuture<Connection> connect(InetSocketAddress address, ConnectionHandler handler, Duration timeout,
            io.torque.core.tls.TlsConfig tls) {
        io.torque.core.internal.tls.TlsSettings settings = clientTls(tls);
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        requireNonNegative(timeout, "timeout");
        checkOpen();
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address.getHostString());
        }
        return Connector.connect(address, handler, timeout.toNanos(), loops.placeConnection(), sources, settings);
    }

    private static io.torque.core.internal.tls.TlsSettings clientTls(io.torque.core.tls.TlsConfig tls) {
        if (tls == null) {
            return null;
        }
        io.torque.core.internal.tls.TlsSettings settings = io.torque.core.internal.tls.TlsSettings.of(tls);
        if (settings.isServer()) {
            throw new IllegalArgumentException("connect needs a client TLS configuration from TlsConfig.client(): " + tls);
        }
        return settings;
    }

    /**
     * Runs {@code callback} after {@code delay}, then every {@code period}, on a loop's clock, at
     * a fixed rate (no accumulated drift).
     *
     * @param delay until the first run
     * @param period between runs; zero or null: once
     * @param callback what to run; a throw cancels the timer
     * @return the timer
     * @throws IllegalArgumentException if delay or period is negative
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if delay or callback is null
     */
    public Timer timer(Duration delay, Duration period, Consumer<Timer> callback) {
        requireNonNegative(delay, "delay");
        Duration p = period == null ? Duration.ZERO : period;
        requireNonNegative(p, "period");
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        LoopTimer[] self = new LoopTimer[1]; // set before the timer can run: start() publishes it
        LoopTimer t = LoopTimer.create(loops.place(), callback, () -> sources.forget(self[0]));
        self[0] = t;
        sources.remember(t); // before it can run and forget itself
        t.start(delay.toNanos(), p.toNanos());
        return t;
    }

    /**
     * Runs {@code callback} on a loop each time the process receives signal {@code name}
     * ({@code HUP}, {@code USR1}, {@code USR2}, {@code WINCH}, ...; {@code SIG} prefix optional).
     * Replaces the JVM's handler until the registration is cancelled or the context closes.
     *
     * @param name the signal
     * @param callback what to run
     * @return the registration
     * @throws IllegalArgumentException for unknown signals, and for those no process can catch
     *     (KILL, STOP) or the JVM owns (SEGV, BUS, FPE, ILL, QUIT, TRAP, ABRT)
     * @throws IllegalStateException if this context already handles that signal, or is closed
     * @throws NullPointerException if an argument is null
     */
    public SignalRegistration signal(String name, Consumer<SignalRegistration> callback) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        String n = SignalBridge.normalize(name);
        if (!sources.signals.add(n)) {
            throw new IllegalStateException("SIG" + n + " already has a callback in this context");
        }
        try {
            Object[] self = new Object[1];
            SignalBridge b = SignalBridge.install(n, loops.place(), callback, () -> {
                sources.signals.remove(n);
                sources.forget(self[0]);
            });
            self[0] = b;
            sources.remember(b);
            return b;
        } catch (RuntimeException e) {
            sources.signals.remove(n);
            throw e;
        }
    }

    /**
     * Watches a raw file descriptor (pipe, eventfd, socket, any pollable fd) for readiness; the
     * context owns it from then on and closes it on {@link FdSource#close()} or context close.
     *
     * @param fd the descriptor
     * @param readable watch for readability
     * @param writable watch for writability
     * @param handler the callbacks
     * @return the source, registered
     * @throws IllegalArgumentException if the fd is negative, not open, not pollable (a regular
     *     file: epoll says EPERM) or already registered here, or neither direction is watched
     * @throws IllegalStateException if the context is closed
     * @throws NullPointerException if handler is null
     */
    public FdSource register(int fd, boolean readable, boolean writable, FdHandler handler) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative file descriptor: " + fd);
        }
        if (!readable && !writable) {
            throw new IllegalArgumentException("watch the fd for readable, writable or both");
        }
        Objects.requireNonNull(handler, "handler");
        checkOpen();
        if (!sources.fds.add(fd)) {
            throw new IllegalArgumentException("fd " + fd + " is already registered with this context");
        }
        Loop caller = loops.callerLoop(); // placement runs (and counts) only when the caller is no loop
        Loop home = caller != null ? caller : loops.place();
        FdRegistration r = FdRegistration.create(fd, readable, writable, home, handler, closed -> {
            sources.fds.remove(fd);
            sources.forget(closed);
        });
        sources.remember(r); // before it can close itself and forget itself
        CompletableFuture<FdSource> f = r.start();
        try {
            if (!home.join(f)) {
                throw new IllegalStateException("the torque context closed before fd " + fd + " registered");
            }
            return f.join();
        } catch (CompletionException | IllegalStateException e) {
            sources.fds.remove(fd);
            sources.forget(r);
            Throwable cause = e instanceof CompletionException ? e.getCause() : e;
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        }
    }

    /**
     * Whether {@link #close()} or {@link #closeNow()} was called.
     *
     * @return true once closing began
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes gracefully: stops accepting; cancels timers and signal handlers; closes fd sources;
     * lets every connection answer what has arrived, send what it has queued and its FIN, and
     * linger for the peer's (each as {@link Connection#close()}) within the drain timeout
     * ({@link TorqueBuilder#drainTimeout}); aborts what is left at the deadline (its
     * {@code onClose} gets a {@link io.torque.core.net.ConnectionAbortedException}); then ends
     * and joins every loop thread. Each close callback runs once. Idempotent; any thread. From a
     * callback it returns at once (a loop cannot wait for the loops); elsewhere it returns when
     * everything has closed.
     */
    @Override
    public void close() {
        closed = true;
        closer.close(false);
    }

    /**
     * Closes at once: as {@link #close()}, but every connection is aborted (a reset; queued bytes
     * dropped, {@code onClose} told so) instead of drained.
     */
    public void closeNow() {
        closed = true;
        closer.close(true);
    }

    private void checkNotInLoop(String what) {
        Loop l = loops.callerLoop();
        if (l != null) {
            throw new IllegalStateException(what + " called from loop " + l.index()
                    + "'s thread (a callback) would wait for that loop itself; call it from another thread");
        }
    }

    /**
     * Blocks until {@link #close()} (or {@link #closeNow()}) has closed every source and every
     * loop thread has ended. Any thread but a loop's own.
     *
     * @throws IllegalStateException if called from a callback (a loop would wait for itself)
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitTermination() throws InterruptedException {
        if (closer.isTerminated()) {
            return;
        }
        checkNotInLoop("awaitTermination");
        closer.awaitTermination();
    }

    /**
     * Waits up to {@code timeout} for termination. Any thread but a loop's own.
     *
     * @param timeout how long at most
     * @return true if terminated
     * @throws IllegalArgumentException if the timeout is negative
     * @throws IllegalStateException if called from a callback (a loop would wait for itself)
     * @throws InterruptedException if interrupted while waiting
     * @throws NullPointerException if timeout is null
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        requireNonNegative(timeout, "timeout");
        if (closer.isTerminated()) {
            return true;
        }
        checkNotInLoop("awaitTermination");
        return closer.awaitTermination(timeout.toNanos());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the torque context is closed");
        }
    }

    static void requireNonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
    }

}
