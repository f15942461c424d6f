package io.torque.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * A load generator on one NIO selector thread; each connection keeps at most one request in
 * flight and every reply is checked byte for byte; latency goes to an HdrHistogram in µs.
 *
 * <p>Closed loop (rate 0): a hot connection sends its next request as soon as the reply is in;
 * cold ones wait {@code coldGapNanos} first (they trickle). Open loop (a rate): every hot
 * connection has a schedule, one request each {@code connections / rate} seconds, and latency is
 * measured from when a request was <em>due</em>, not when it went out, so a stalled server is
 * charged for every request it delayed (coordinated omission corrected, as wrk2 does); a request
 * that falls behind its schedule goes out at once when the previous reply arrives.
 */
public final class LoadClient {
    /** What one run measured. */
    public record Result(long requests, double seconds, Histogram latencyMicros, long errors) {
        /** Requests per second. */
        public double throughput() {
            return requests / seconds;
        }
    }

    private LoadClient() {
    }

    /** A closed-loop run; see {@link #run(InetSocketAddress, int, boolean[], int, long, double, double, double)}. */
    public static Result run(InetSocketAddress server, int connections, boolean[] hot, int requestBytes, long coldGapNanos,
            double warmupSeconds, double seconds) throws IOException {
        return run(server, connections, hot, requestBytes, coldGapNanos, warmupSeconds, seconds, 0);
    }

    /**
     * @param hot which connections are hot (the rest trickle)
     * @param rate requests per second over all hot connections for an open-loop run; 0 for closed loop
     */
    public static Result run(InetSocketAddress server, int connections, boolean[] hot, int requestBytes, long coldGapNanos,
            double warmupSeconds, double seconds, double rate) throws IOException {
        int hotCount = 0;
        for (int i = 0; i < connections; i++) {
            hotCount += hot[i] ? 1 : 0;
        }
        long interval = rate > 0 ? (long) (hotCount * 1e9 / rate) : 0; // per hot connection
        SocketChannel[] ch = new SocketChannel[connections];
        long[] dueAt = new long[connections]; // when the request in flight was due (closed loop: sent)
        long[] nextSend = new long[connections];
        boolean[] inFlight = new boolean[connections];
        int[] got = new int[connections];
        byte[][] request = new byte[connections][requestBytes];
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        ByteBuffer out = ByteBuffer.allocateDirect(requestBytes);
        Histogram h = new Histogram(60_000_000L, 3);
        long errors = 0;
        long requests = 0;
        try (Selector sel = Selector.open()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                for (int k = 0; k < requestBytes; k++) {
                    request[i][k] = (byte) (i * 31 + k);
                }
                ch[i] = SocketChannel.open(server); // in order: round-robin placement sees 0, 1, 2, ...
                ch[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch[i].configureBlocking(false);
                ch[i].register(sel, SelectionKey.OP_READ, i);
                // open loop: schedules staggered over one interval; closed loop: all at once
                nextSend[i] = interval > 0 ? t0 + interval * i / connections : t0;
            }
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmupSeconds * 1e9);
            long end = measureFrom + (long) (seconds * 1e9);
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                for (int i = 0; i < connections; i++) {
                    if (!inFlight[i] && now >= nextSend[i]) {
                        send(ch[i], out, request[i]);
                        inFlight[i] = true;
                        dueAt[i] = interval > 0 && hot[i] ? nextSend[i] : now;
                    }
                }
                // Block until a reply or the next send is due: a load generator that busy-polls
                // takes a core from the server it measures.
                long wait = 100_000_000L;
                for (int i = 0; i < connections; i++) {
                    if (!inFlight[i]) {
                        wait = Math.min(wait, nextSend[i] - now);
                    }
                }
                if (wait >= 1_000_000) {
                    sel.select(wait / 1_000_000);
                } else {
                    if (wait > 0) {
                        LockSupport.parkNanos(wait); // epoll_wait counts in ms; finer waits park
                    }
                    sel.selectNow();
                }
                for (SelectionKey key : sel.selectedKeys()) {
                    int i = (Integer) key.attachment();
                    in.clear();
                    int n = ch[i].read(in);
                    if (n < 0) {
                        throw new IOException("server closed connection " + i);
                    }
                    in.flip();
                    while (in.hasRemaining()) {
                        if (in.get() != request[i][got[i]]) {
                            errors++;
                        }
                        if (++got[i] == requestBytes) {
                            got[i] = 0;
                            long t = System.nanoTime();
                            if (dueAt[i] >= measureFrom) {
                                h.recordValue(Math.max(1, (t - dueAt[i]) / 1000));
                                requests++;
                            }
                            inFlight[i] = false;
                            if (!hot[i]) {
                                nextSend[i] = t + coldGapNanos;
                            } else if (interval > 0) {
                                nextSend[i] = dueAt[i] + interval; // may be past: then it goes at once
                            } else {
                                send(ch[i], out, request[i]);
                                inFlight[i] = true;
                                dueAt[i] = t;
                            }
                        }
                    }
                }
                sel.selectedKeys().clear();
            }
        } finally {
            for (SocketChannel c : ch) {
                if (c != null) {
                    c.close();
                }
            }
        }
        return new Result(requests, seconds, h, errors);
    }

    private static void send(SocketChannel ch, ByteBuffer out, byte[] request) throws IOException {
        out.clear();
        out.put(request).flip();
        while (out.hasRemaining()) {
            if (ch.write(out) == 0) {
                Thread.onSpinWait();
            }
        }
    }
}
