package io.torque.bench.skewed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator on one NIO selector thread: each connection keeps one request in
 * flight. Hot connections send the next request as soon as the reply is in; cold ones wait
 * {@code coldGapNanos} first (they trickle). Every reply is checked byte for byte; latency goes
 * to an HdrHistogram in microseconds.
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

    /**
     * @param hot which connections are hot (the rest trickle)
     */
    public static Result run(InetSocketAddress server, int connections, boolean[] hot, int requestBytes, long coldGapNanos,
            double warmupSeconds, double seconds) throws IOException {
        SocketChannel[] ch = new SocketChannel[connections];
        long[] sentAt = new long[connections];
        long[] nextSend = new long[connections];
        int[] got = new int[connections];
        byte[][] request = new byte[connections][requestBytes];
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        ByteBuffer out = ByteBuffer.allocateDirect(requestBytes);
        Histogram h = new Histogram(60_000_000L, 3);
        long errors = 0;
        long requests = 0;
        try (Selector sel = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                for (int k = 0; k < requestBytes; k++) {
                    request[i][k] = (byte) (i * 31 + k);
                }
                ch[i] = SocketChannel.open(server); // in order: round-robin placement sees 0, 1, 2, ...
                ch[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch[i].configureBlocking(false);
                ch[i].register(sel, SelectionKey.OP_READ, i);
                send(ch[i], out, request[i]);
                sentAt[i] = System.nanoTime();
            }
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmupSeconds * 1e9);
            long end = measureFrom + (long) (seconds * 1e9);
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                // Block until a reply or the next trickle send is due: a load generator that
                // busy-polls takes a core from the server it measures.
                long wait = 100;
                for (int i = 0; i < connections; i++) {
                    if (sentAt[i] == Long.MAX_VALUE) {
                        wait = Math.min(wait, Math.max(1, (nextSend[i] - now) / 1_000_000));
                    }
                }
                sel.select(wait);
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
                            if (sentAt[i] >= measureFrom) {
                                h.recordValue(Math.max(1, (t - sentAt[i]) / 1000));
                                requests++;
                            }
                            if (hot[i]) {
                                send(ch[i], out, request[i]);
                                sentAt[i] = t;
                            } else {
                                nextSend[i] = t + coldGapNanos;
                                sentAt[i] = Long.MAX_VALUE;
                            }
                        }
                    }
                }
                sel.selectedKeys().clear();
                now = System.nanoTime();
                for (int i = 0; i < connections; i++) {
                    if (sentAt[i] == Long.MAX_VALUE && now >= nextSend[i]) {
                        send(ch[i], out, request[i]);
                        sentAt[i] = now;
                    }
                }
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
