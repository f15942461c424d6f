package io.torque.testkit;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * The echo server the chaos mix attacks: one context (2 loops, PARETO dispatch unless told) with three
 * listeners, {@link #open()} without an idle timeout, {@link #guarded()} with one, and
 * {@link #sink()}, whose handler spends {@link #SLOW_READ_NANOS} on every read and replies
 * nothing (what {@link BlasterPinger}'s blasters write to). A
 * connection whose first four bytes are {@link #THROW} makes its callback throw. It counts what
 * the invariants need without keeping a record per connection, so a soak of hours stays flat:
 * opens, closes, second closes, throws, errors reported and the largest write queue seen.
 */
public final class ChaosServer implements AutoCloseable {
    /** A thrower's first four bytes; no other peer's stream starts with them. */
    public static final byte[] THROW = {'T', 'H', 'R', 'W'};
    /** The message of each deliberate throw. */
    public static final String THROW_MESSAGE = "chaos: callback throws";
    /** What the sink's handler spends on each read: a handler doing real work per request. */
    public static final long SLOW_READ_NANOS = 100_000;

    private final Torque torque;
    private final ConnectionSettings settings;
    private final Listener open;
    private final Listener guarded;
    private final Listener sink;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong secondCloses = new AtomicLong();
    private final AtomicLong thrown = new AtomicLong();
    private final AtomicLong throwsReported = new AtomicLong();
    private final AtomicLong maxQueued = new AtomicLong();
    /** Errors other than the deliberate throws; none is expected. Bounded to the first 20. */
    private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

    /**
     * Starts the server, on 2 loops, with {@code idleTimeout} on the guarded listener.
     *
     * @param idleTimeout the guarded listener's idle timeout
     */
    public ChaosServer(Duration idleTimeout) {
        this(idleTimeout, 2);
    }

    /**
     * Starts the server with {@code idleTimeout} on the guarded listener.
     *
     * @param idleTimeout the guarded listener's idle timeout
     * @param loops how many loops
     */
    public ChaosServer(Duration idleTimeout, int loops) {
        this(idleTimeout, loops, io.torque.core.dispatch.DispatchPolicy.PARETO);
    }

    /** A UDP echo, for the mix's flood and pings. */
    private final io.torque.core.udp.DatagramSocket udp;
    /** A Unix domain socket echo (in a directory of its own, removed on close), for the mix's Unix peers. */
    private final java.net.UnixDomainSocketAddress unix;
    private final java.nio.file.Path unixDir;

    /** The TLS echo listener, once {@link #listenTls} opened it. */
    private volatile io.torque.core.net.Listener tlsListener;

    /**
     * Starts the server with {@code idleTimeout} on the guarded listener and a dispatch policy.
     *
     * @param idleTimeout the guarded listener's idle timeout
     * @param loops how many loops
     * @param policy how the loops share ready work
     */
    public ChaosServer(Duration idleTimeout, int loops, io.torque.core.dispatch.DispatchPolicy policy) {
        settings = new ConnectionSettings(1 << 20, 256 << 10, 64 << 10);
        torque = Torque.builder().loopCount(loops).dispatch(policy).connectionSettings(settings).errorHandler((source, e) -> {
            if (THROW_MESSAGE.equals(e.getMessage())) {
                throwsReported.incrementAndGet();
            } else if (unexpected.size() < 20) {
                unexpected.add(e);
            }
        }).build();
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        open = torque.listen(any, c -> new Handler());
        guarded = torque.listen(any, ListenOptions.DEFAULT.withSettings(settings.withIdleTimeout(idleTimeout)),
                c -> new Handler());
        sink = torque.listen(any, c -> new Sink());
        udp = torque.bind(any, io.torque.core.udp.DatagramOptions.DEFAULT, (s, data, from) -> s.send(data, from));
        try {
            unixDir = java.nio.file.Files.createTempDirectory("torque-chaos");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        unix = java.net.UnixDomainSocketAddress.of(unixDir.resolve("echo.sock"));
        torque.listen(unix, ListenOptions.DEFAULT, c -> new Handler());
    }

    /** Spends {@link #SLOW_READ_NANOS} on each read, consumes it, replies nothing. */
    private static final class Sink implements io.torque.core.net.ConnectionHandler {
        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            long until = System.nanoTime() + SLOW_READ_NANOS;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            in.consumeAll();
            return Next.CONTINUE;
        }
    }

    /** One per connection; callbacks of one connection never overlap, so plain fields suffice. */
    private final class Handler extends Echo {
        private boolean first = true;
        private boolean closedOnce;

        @Override
        public void onOpen(Connection c) {
            opened.incrementAndGet();
        }

        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            if (first && in.readableBytes() >= THROW.length) {
                first = false;
                if (in.get(0) == THROW[0] && in.get(1) == THROW[1] && in.get(2) == THROW[2] && in.get(3) == THROW[3]) {
                    thrown.incrementAndGet();
                    throw new IllegalStateException(THROW_MESSAGE);
                }
            }
            Next n = super.onRead(c, in);
            long q = c.queuedBytes();
            if (q > maxQueued.get()) {
                maxQueued.accumulateAndGet(q, Math::max);
            }
            return n;
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            if (closedOnce) {
                secondCloses.incrementAndGet();
            }
            closedOnce = true;
            closed.incrementAndGet();
        }
    }

    /**
     * The context.
     *
     * @return the running context
     */
    public Torque torque() {
        return torque;
    }

    /**
     * The connection settings of the open listener (the guarded one adds the idle timeout).
     *
     * @return the settings
     */
    public ConnectionSettings settings() {
        return settings;
    }

    /**
     * Opens a TLS echo listener beside the others, for the mix's TLS peers.
     *
     * @param tls a server configuration (its handshake timeout ends the peers that hang)
     * @return the bound address
     */
    public InetSocketAddress listenTls(io.torque.core.tls.TlsConfig tls) {
        tlsListener = torque.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT.withTls(tls), c -> new Handler());
        return tlsListener.localAddress();
    }

    /**
     * The TLS listener's address.
     *
     * @return the address, or null without {@link #listenTls}
     */
    public InetSocketAddress tls() {
        return tlsListener == null ? null : tlsListener.localAddress();
    }

    /**
     * The address of the listener without an idle timeout.
     *
     * @return the bound address
     */
    public InetSocketAddress open() {
        return open.localAddress();
    }

    /**
     * The address of the listener with the idle timeout.
     *
     * @return the bound address
     */
    public InetSocketAddress guarded() {
        return guarded.localAddress();
    }

    /**
     * The address of the slow sink (each read costs {@link #SLOW_READ_NANOS}, nothing is replied).
     *
     * @return the bound address
     */
    public InetSocketAddress sink() {
        return sink.localAddress();
    }

    /**
     * Connections opened so far.
     *
     * @return the count
     */
    public long opened() {
        return opened.get();
    }

    /**
     * onClose calls so far (the first per connection).
     *
     * @return the count
     */
    public long closed() {
        return closed.get() - secondCloses.get();
    }

    /**
     * onClose calls beyond the first of a connection; must stay 0.
     *
     * @return the count
     */
    public long secondCloses() {
        return secondCloses.get();
    }

    /**
     * Callbacks that threw on purpose.
     *
     * @return the count
     */
    public long thrown() {
        return thrown.get();
    }

    /**
     * Deliberate throws that reached the error handler.
     *
     * @return the count
     */
    public long throwsReported() {
        return throwsReported.get();
    }

    /**
     * Errors the handler saw that were not deliberate throws (the first 20).
     *
     * @return the errors, oldest first
     */
    public List<Throwable> unexpectedErrors() {
        return unexpected;
    }

    /**
     * The largest write queue any connection had after a read.
     *
     * @return bytes
     */
    public long maxQueued() {
        return maxQueued.get();
    }

    /**
     * The bound {@link #maxQueued()} must respect: the high water mark plus one read.
     *
     * @return bytes
     */
    public long queueBound() {
        return settings.highWaterMark() + io.torque.core.internal.loop.LoopBuffers.SCRATCH_BYTES;
    }

    @Override
    public void close() {
        torque.close();
        try {
            java.nio.file.Files.deleteIfExists(unixDir.resolve("echo.sock"));
            java.nio.file.Files.deleteIfExists(unixDir);
        } catch (java.io.IOException ignored) {
            // a temp directory left behind
        }
    }

    /**
     * The UDP echo's address.
     *
     * @return the bound address
     */
    public InetSocketAddress udp() {
        return udp.localAddress();
    }

    /**
     * The Unix domain socket echo's address.
     *
     * @return its path
     */
    public java.net.UnixDomainSocketAddress unix() {
        return unix;
    }
}
