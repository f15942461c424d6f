package io.torque.core.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.EchoClients;

/**
 * A client handler that sends a seeded stream of {@code total} bytes (as fast as back-pressure
 * lets it) and checks that every byte comes back in order; {@link #done} completes with the
 * bytes verified once all came back, then it closes gracefully.
 */
final class StreamClient implements ConnectionHandler {
    final CompletableFuture<Long> done = new CompletableFuture<>();
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    private final long seed;
    private final long total;
    private long sent;
    private long received;
    private final byte[] chunk = new byte[16 * 1024];
    /** Tests: set to hold the stream back until {@link #release()}. */
    private volatile boolean held;
    private volatile Connection connection;

    StreamClient(long seed, long total) {
        this.seed = seed;
        this.total = total;
    }

    /** Sends nothing until {@link #release()} (a connection kept open and idle meanwhile). */
    void holdUntilRelease() {
        held = true;
    }

    /** Starts sending, from any thread, on a held client that has opened. */
    void release() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connection == null && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        Connection c = connection;
        if (c == null) {
            throw new AssertionError("the held client never opened");
        }
        byte[] all = new byte[(int) total];
        for (int i = 0; i < all.length; i++) {
            all[i] = EchoClients.streamByte(seed, i);
        }
        sent = total; // before the volatile write below: the loop's callbacks send nothing more
        held = false;
        c.write(all);
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        if (!held) {
            send(c);
        }
    }

    @Override
    public void onWritable(Connection c) {
        send(c);
    }

    private void send(Connection c) {
        if (held) {
            return;
        }
        while (sent < total && c.isWritable()) {
            int n = (int) Math.min(chunk.length, total - sent);
            for (int i = 0; i < n; i++) {
                chunk[i] = EchoClients.streamByte(seed, sent + i);
            }
            c.write(ByteBuffer.wrap(chunk, 0, n));
            sent += n;
        }
    }

    @Override
    public Next onRead(Connection c, ReadBuffer in) {
        int n = in.readableBytes();
        for (int i = 0; i < n; i++) {
            if (in.get(i) != EchoClients.streamByte(seed, received + i)) {
                done.completeExceptionally(new AssertionError("byte " + (received + i) + " differs"));
                return Next.CLOSE;
            }
        }
        in.consumeAll();
        received += n;
        send(c);
        if (received == total) {
            done.complete(received);
            return Next.CLOSE;
        }
        return Next.CONTINUE;
    }

    @Override
    public void onClose(Connection c, Throwable cause) {
        if (!done.isDone()) {
            done.completeExceptionally(cause != null ? cause : new AssertionError("closed after " + received + " of " + total));
        }
        closed.complete(cause); // last: a test woken by it sees done settled
    }
}
