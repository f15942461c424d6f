package io.torque.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Many loopback echo clients driven by one NIO selector thread (the caller's). Each sends a
 * seeded pseudo-random byte stream in random-sized chunks and checks that every byte comes
 * back, in order. Deterministic for a seed.
 */
public final class EchoClients {
    /**
     * The byte at {@code offset} of the stream with {@code seed}: a cheap mix, no table.
     *
     * @param seed the stream's seed
     * @param offset the position in the stream, counted in bytes from 0
     * @return the byte at that position; the same for the same seed and offset
     */
    public static byte streamByte(long seed, long offset) {
        long z = seed + offset * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 31)) * 0xBF58476D1CE4E5B9L;
        return (byte) (z ^ (z >>> 29));
    }

    static final class Client {
        final int id;
        final long seed;
        final long total;
        final SocketChannel ch;
        final SplittableRandom chunks;
        long sent;
        long received;
        String error;

        Client(int id, long seed, long total, SocketChannel ch) {
            this.id = id;
            this.seed = seed;
            this.total = total;
            this.ch = ch;
            this.chunks = new SplittableRandom(seed ^ 0x5DEECE66DL);
        }
    }

    /**
     * What a run found.
     *
     * @param clients the number of clients started
     * @param bytesVerified the bytes received back by the clients that got their whole stream
     *     back (a wrong byte is reported in {@code errors}, not subtracted here)
     * @param errors what went wrong, one line per problem, naming the client (empty when nothing
     *     did)
     * @param timedOut whether the timeout passed before every client was done
     */
    public record Result(int clients, long bytesVerified, List<String> errors, boolean timedOut) {
    }

    private EchoClients() {
    }

    /**
     * Runs {@code count} clients against {@code server}, each sending {@code bytesEach} bytes in
     * chunks of 1..{@code maxChunk} bytes; returns when all are done or after {@code timeoutMillis}.
     * A client's connect, read or write failure is recorded in the result, not thrown.
     *
     * @param server the echo server's address
     * @param count the number of clients
     * @param bytesEach the bytes each client sends and expects back
     * @param maxChunk the largest chunk written at once, in bytes (at least 1)
     * @param seed the seed the clients' streams and chunk sizes derive from
     * @param timeoutMillis how long to wait for all clients, in milliseconds
     * @return the clients, the bytes verified, the errors and whether it timed out
     * @throws IOException if the selector or a client's channel cannot be opened, configured or
     *     start connecting
     */
    public static Result run(InetSocketAddress server, int count, long bytesEach, int maxChunk, long seed, long timeoutMillis)
            throws IOException {
        return run((java.net.SocketAddress) server, count, bytesEach, maxChunk, seed, timeoutMillis);
    }

    /**
     * As {@link #run(InetSocketAddress, int, long, int, long, long)}, against a TCP address or a
     * Unix domain socket ({@link java.net.UnixDomainSocketAddress}).
     *
     * @param server the echo server's address
     * @param count the number of clients
     * @param bytesEach the bytes each client sends and expects back
     * @param maxChunk the largest chunk written at once
     * @param seed the seed
     * @param timeoutMillis how long to wait for all clients
     * @return the clients, the bytes verified, the errors and whether it timed out
     * @throws IOException if the selector or a client's channel cannot be opened
     */
    public static Result run(java.net.SocketAddress server, int count, long bytesEach, int maxChunk, long seed, long timeoutMillis)
            throws IOException {
        boolean unix = server instanceof java.net.UnixDomainSocketAddress;
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Client> clients = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long verified = 0;
        boolean timedOut = false;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel ch = unix ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX) : SocketChannel.open();
                if (!unix) {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                ch.configureBlocking(false);
                Client c = new Client(i, seeds.nextLong(), bytesEach, ch);
                clients.add(c);
                // a Unix socket connects at once (no OP_CONNECT would come); TCP usually later
                boolean now = ch.connect(server);
                ch.register(selector, now ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, c);
            }
            ByteBuffer out = ByteBuffer.allocateDirect(maxChunk);
            ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
            int done = 0;
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (done < count) {
                if (System.currentTimeMillis() > deadline) {
                    timedOut = true;
                    break;
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Client c = (Client) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            c.ch.finishConnect();
                            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                            continue;
                        }
                        if (key.isWritable()) {
                            while (c.sent < c.total) {
                                int n = (int) Math.min(c.total - c.sent, 1 + c.chunks.nextInt(maxChunk));
                                out.clear();
                                for (int k = 0; k < n; k++) {
                                    out.put(streamByte(c.seed, c.sent + k));
                                }
                                out.flip();
                                int w = c.ch.write(out);
                                c.sent += w;
                                if (w < n) {
                                    // rewind the stream to what was actually sent
                                    break;
                                }
                            }
                            if (c.sent == c.total) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        }
                        if (key.isReadable()) {
                            in.clear();
                            int r = c.ch.read(in);
                            if (r < 0) {
                                c.error = "client " + c.id + ": server closed after " + c.received + " of " + c.total;
                                errors.add(c.error);
                                key.cancel();
                                c.ch.close();
                                done++;
                                continue;
                            }
                            in.flip();
                            while (in.hasRemaining()) {
                                byte b = in.get();
                                if (b != streamByte(c.seed, c.received) && c.error == null) {
                                    c.error = "client " + c.id + ": wrong byte at offset " + c.received;
                                    errors.add(c.error);
                                }
                                c.received++;
                            }
                            if (c.received >= c.total) {
                                verified += c.received;
                                key.cancel();
                                c.ch.close();
                                done++;
                            }
                        }
                    } catch (IOException e) {
                        errors.add("client " + c.id + ": " + e);
                        key.cancel();
                        c.ch.close();
                        done++;
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            for (Client c : clients) {
                c.ch.close();
            }
        }
        return new Result(count, verified, errors, timedOut);
    }
}
