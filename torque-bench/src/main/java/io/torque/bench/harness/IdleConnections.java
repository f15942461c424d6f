package io.torque.bench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import io.torque.testkit.ProcessProbe;

/**
 * Many connections that send nothing, opened from several loopback addresses (127.0.0.2,
 * 127.0.0.3, ...; {@link #PER_ADDRESS} each) so that no source address runs out of ephemeral
 * ports. Closing closes them all.
 */
final class IdleConnections implements AutoCloseable {
    /** Connections per source address. */
    static final int PER_ADDRESS = 5000;

    private final List<SocketChannel> channels = new ArrayList<>();

    /** Opens {@code n} connections to {@code server}; on failure closes what it opened and throws. */
    IdleConnections(InetSocketAddress server, int n) throws IOException {
        try {
            for (int i = 0; i < n; i++) {
                SocketChannel ch = SocketChannel.open();
                channels.add(ch);
                ch.bind(new InetSocketAddress("127.0.0." + (2 + i / PER_ADDRESS), 0));
                ch.connect(server);
            }
        } catch (IOException e) {
            close();
            throw new IOException("opened " + channels.size() + " of " + n + " idle connections: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until process {@code pid} holds at least {@code fds} open fds (the server accepted the
     * connections), or throws after {@code timeoutMillis}.
     */
    static void awaitFds(long pid, long fds, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long n = 0;
        while (System.currentTimeMillis() < deadline) {
            n = ProcessProbe.openFds(pid);
            if (n >= fds) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IOException("the server holds " + n + " fds, expected " + fds + " after " + timeoutMillis + " ms");
    }

    @Override
    public void close() {
        for (SocketChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        channels.clear();
    }
}
