package io.torque.bench.load;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.core.tls.TlsConfig;

/**
 * TLS load on a torque client, one unpinned loop unless asked for more (the same client for
 * every server, so only the servers differ): closed-loop ping-pong of fixed-size requests over
 * long-lived connections, or connection churn (connect, handshake, one echo, close, again), whose
 * rate is handshakes per second. With a null {@code TlsConfig} the same over plain TCP (the
 * {@code churn} scenario: connections per second). Latencies in µs, recorded on the client's loop
 * threads.
 */
public final class TlsLoad {
    private TlsLoad() {
    }

    /**
     * Ping-pong over {@code connections} TLS connections for {@code seconds} after a warm-up.
     *
     * @return requests answered while measuring, their latencies, and connections that failed
     * @throws Exception if the client cannot start or connect
     */
    public static LoadClient.Result pingpong(InetSocketAddress server, TlsConfig tls, int connections, int requestBytes,
            double warmupSeconds, double seconds) throws Exception {
        return run(server, tls, connections, requestBytes, warmupSeconds, seconds, false, 1);
    }

    /**
     * Connection churn by {@code concurrency} clients: each connects, finishes the handshake,
     * echoes one request and closes, then starts over; a "request" is one such connection.
     *
     * @return connections completed while measuring (handshakes), their times from connect to
     *     echo, and failures
     * @throws Exception if the client cannot start
     */
    public static LoadClient.Result churn(InetSocketAddress server, TlsConfig tls, int concurrency, int requestBytes,
            double warmupSeconds, double seconds) throws Exception {
        return churn(server, tls, concurrency, requestBytes, warmupSeconds, seconds, 1);
    }

    /**
     * As {@link #churn(InetSocketAddress, TlsConfig, int, int, double, double)}, with the clients
     * spread over {@code clientLoops} loops (one loop tops out near 15-20k connections/s).
     *
     * @param clientLoops the client context's loops, at least 1
     */
    public static LoadClient.Result churn(InetSocketAddress server, TlsConfig tls, int concurrency, int requestBytes,
            double warmupSeconds, double seconds, int clientLoops) throws Exception {
        return run(server, tls, concurrency, requestBytes, warmupSeconds, seconds, true, clientLoops);
    }

    private static LoadClient.Result run(InetSocketAddress server, TlsConfig tls, int n, int requestBytes, double warmupSeconds,
            double seconds, boolean churn, int clientLoops) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        AtomicLong errors = new AtomicLong();
        byte[] request = new byte[requestBytes];
        java.util.Arrays.fill(request, (byte) 'x');
        // unpinned: a pinned client loop would sit on a CPU of the server's pinned loops
        try (Torque client = Torque.builder().loopCount(clientLoops).pin(false).build()) {
            State state = new State(client, server, tls, request, h, errors, churn);
            for (int i = 0; i < n; i++) {
                state.start();
            }
            Thread.sleep((long) (warmupSeconds * 1000));
            // the window opens and closes under the histogram's lock, where the loops record: what
            // it counts and what its histogram holds are the same requests
            long t0;
            synchronized (h) {
                state.measuring = true;
                t0 = System.nanoTime();
            }
            Thread.sleep((long) (seconds * 1000));
            long t1;
            Histogram copy;
            synchronized (h) {
                state.measuring = false;
                t1 = System.nanoTime();
                copy = h.copy();
            }
            state.stopped = true;
            return new LoadClient.Result(copy.getTotalCount(), (t1 - t0) / 1e9, copy, errors.get());
        }
    }

    /** What every client connection shares. */
    private static final class State {
        final Torque client;
        final InetSocketAddress server;
        final TlsConfig tls;
        final byte[] request;
        final Histogram h;
        final AtomicLong errors;
        final boolean churn;
        volatile boolean measuring;
        volatile boolean stopped;

        State(Torque client, InetSocketAddress server, TlsConfig tls, byte[] request, Histogram h, AtomicLong errors,
                boolean churn) {
            this.client = client;
            this.server = server;
            this.tls = tls;
            this.request = request;
            this.h = h;
            this.errors = errors;
            this.churn = churn;
        }

        void start() {
            if (!stopped) {
                client.connect(server, new Pinger(this, System.nanoTime()), Duration.ofSeconds(10), tls).whenComplete((c, e) -> {
                    if (e != null && !stopped) { // no onClose for a connect that failed: count it, go on
                        errors.incrementAndGet();
                        if (churn) {
                            start();
                        }
                    }
                });
            }
        }

        void record(long nanos) {
            if (measuring) { // read again under the lock: the window may have closed meanwhile
                synchronized (h) { // the client's loops record (one, unless asked for more), the harness copies once
                    if (measuring) {
                        h.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(nanos), 60_000_000L));
                    }
                }
            }
        }
    }

    /** One client connection: a request at a time; under churn one request, then close and start over. */
    private static final class Pinger implements ConnectionHandler {
        private final State s;
        private long sentAt;
        private int got;

        Pinger(State s, long connectAt) {
            this.s = s;
            this.sentAt = connectAt; // churn: from the connect, through the handshake, to the echo
        }

        @Override
        public void onOpen(Connection c) {
            if (!s.churn) {
                sentAt = System.nanoTime();
            }
            c.write(ByteBuffer.wrap(s.request));
        }

        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            got += in.readableBytes();
            in.consumeAll();
            while (got >= s.request.length) {
                got -= s.request.length;
                long now = System.nanoTime();
                s.record(now - sentAt);
                if (s.churn || s.stopped) {
                    return Next.CLOSE;
                }
                sentAt = now;
                c.write(ByteBuffer.wrap(s.request));
            }
            return Next.CONTINUE;
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            if (cause != null && !s.stopped) {
                s.errors.incrementAndGet();
            }
            if (s.churn) {
                s.start();
            }
        }
    }
}
