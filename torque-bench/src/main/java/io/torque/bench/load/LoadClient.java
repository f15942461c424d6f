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
        return run(server, connections, hot, requestBytes, coldGapNanos, warmupSeconds, seconds, rate, 1);
    }

    /**
     * As {@link #run(InetSocketAddress, int, boolean[], int, long, double, double, double)}, on
     * {@code threads} selector threads, each driving a contiguous block of the connections (so
     * the hot ones of a skewed run, every L-th, spread over them). One thread tops out near
     * 150–200k requests/s, below what 8 or more server loops serve. Every connection is opened by
     * the calling thread, in order, before any thread starts (round-robin placement still sees 0,
     * 1, 2, ...), and all threads measure the same window.
     *
     * @param threads selector threads, at least 1 and at most {@code connections}
     */
    public static Result run(InetSocketAddress server, int connections, boolean[] hot, int requestBytes, long coldGapNanos,
            double warmupSeconds, double seconds, double rate, int threads) throws IOException {
        if (threads < 1 || threads > connections) {
            throw new IllegalArgumentException("client threads must be 1.." + connections + ": " + threads);
        }
        int hotCount = 0;
        for (int i = 0; i < connections; i++) {
            hotCount += hot[i] ? 1 : 0;
        }
        long interval = rate > 0 ? (long) (hotCount * 1e9 / rate) : 0; // per hot connection
        SocketChannel[] ch = new SocketChannel[connections];
        try {
            for (int i = 0; i < connections; i++) {
                ch[i] = SocketChannel.open(server); // in order: round-robin placement sees 0, 1, 2, ...
                ch[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch[i].configureBlocking(false);
            }
            long t0 = System.nanoTime();
            long measureFrom = t0 + (long) (warmupSeconds * 1e9);
            long end = measureFrom + (long) (seconds * 1e9);
            Window w = new Window(t0, measureFrom, end, interval, coldGapNanos, requestBytes, connections,
                    new java.util.concurrent.atomic.AtomicBoolean());
            if (threads == 1) {
                return drive(ch, hot, w, 0, connections, seconds);
            }
            java.util.List<java.util.concurrent.FutureTask<Result>> tasks = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) t * connections / threads);
                int to = (int) ((long) (t + 1) * connections / threads);
                var task = new java.util.concurrent.FutureTask<>(() -> {
                    try {
                        return drive(ch, hot, w, from, to, seconds);
                    } catch (Throwable failure) {
                        w.stop().set(true); // the other threads end their runs within a select (100 ms at most)
                        throw failure;
                    }
                });
                tasks.add(task);
                Thread thread = new Thread(task, "load-client-" + t);
                thread.setDaemon(true);
                thread.start();
            }
            long requests = 0;
            long errors = 0;
            Histogram h = new Histogram(60_000_000L, 3);
            IOException failed = null;
            boolean interrupted = false;
            // every thread has ended before the channels close (finally): none is left running on them
            for (var task : tasks) {
                while (true) {
                    try {
                        Result r = task.get();
                        requests += r.requests();
                        errors += r.errors();
                        h.add(r.latencyMicros());
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                        w.stop().set(true);
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (failed == null) {
                            failed = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                        }
                        break;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the load ran", failed);
            }
            if (failed != null) {
                throw failed;
            }
            return new Result(requests, seconds, h, errors);
        } finally {
            for (SocketChannel c : ch) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * The run's shared timing (when it starts, when measuring starts and ends, the open-loop
     * interval) and its stop flag: set when a thread fails, so that the others end too.
     */
    private record Window(long t0, long measureFrom, long end, long interval, long coldGapNanos, int requestBytes,
            int connections, java.util.concurrent.atomic.AtomicBoolean stop) {
    }

    /** One selector thread: connections {@code from} to {@code to - 1} of {@code all}. */
    private static Result drive(SocketChannel[] all, boolean[] hotAll, Window w, int from, int to, double seconds)
            throws IOException {
        int count = to - from;
        SocketChannel[] ch = new SocketChannel[count];
        boolean[] hot = new boolean[count];
        long[] dueAt = new long[count]; // when the request in flight was due (closed loop: sent)
        long[] nextSend = new long[count];
        boolean[] inFlight = new boolean[count];
        int[] got = new int[count];
        int requestBytes = w.requestBytes();
        byte[][] request = new byte[count][requestBytes];
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        ByteBuffer out = ByteBuffer.allocateDirect(requestBytes);
        Histogram h = new Histogram(60_000_000L, 3);
        long errors = 0;
        long requests = 0;
        long interval = w.interval();
        try (Selector sel = Selector.open()) {
            for (int i = 0; i < count; i++) {
                int global = from + i;
                ch[i] = all[global];
                hot[i] = hotAll[global];
                for (int k = 0; k < requestBytes; k++) {
                    request[i][k] = (byte) (global * 31 + k);
                }
                ch[i].register(sel, SelectionKey.OP_READ, i);
                // open loop: schedules staggered over one interval; closed loop: all at once
                nextSend[i] = interval > 0 ? w.t0() + interval * global / w.connections() : w.t0();
            }
            long measureFrom = w.measureFrom();
            long end = w.end();
            while (true) {
                long now = System.nanoTime();
                if (now >= end || w.stop().get()) {
                    break;
                }
                for (int i = 0; i < count; i++) {
                    if (!inFlight[i] && now >= nextSend[i]) {
                        send(ch[i], out, request[i], w.stop());
                        inFlight[i] = true;
                        dueAt[i] = interval > 0 && hot[i] ? nextSend[i] : now;
                    }
                }
                // Block until a reply or the next send is due: a load generator that busy-polls
                // takes a core from the server it measures.
                long wait = 100_000_000L;
                for (int i = 0; i < count; i++) {
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
                        throw new IOException("server closed connection " + (from + i));
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
                                nextSend[i] = t + w.coldGapNanos();
                            } else if (interval > 0) {
                                nextSend[i] = dueAt[i] + interval; // may be past: then it goes at once
                            } else {
                                send(ch[i], out, request[i], w.stop());
                                inFlight[i] = true;
                                dueAt[i] = t;
                            }
                        }
                    }
                }
                sel.selectedKeys().clear();
            }
        }
        return new Result(requests, seconds, h, errors);
    }

    private static void send(SocketChannel ch, ByteBuffer out, byte[] request, java.util.concurrent.atomic.AtomicBoolean stop)
            throws IOException {
        out.clear();
        out.put(request).flip();
        while (out.hasRemaining()) {
            if (ch.write(out) == 0) {
                if (stop.get()) {
                    throw new IOException("the run stopped while a request waited for room");
                }
                Thread.onSpinWait();
            }
        }
    }
}
