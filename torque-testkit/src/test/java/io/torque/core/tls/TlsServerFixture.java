package io.torque.core.tls;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;

/**
 * A torque TLS echo server for tests that records, for every connection, how it closed (the
 * cause, or a marker for a graceful close) and the TLS outcome its first read saw.
 */
final class TlsServerFixture implements AutoCloseable {
    /** What {@link #closes} holds for a graceful close (a null cause). */
    static final Throwable GRACEFUL = new Throwable("graceful");

    final Torque torque;
    final Listener listener;
    final LinkedBlockingQueue<Throwable> closes = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<TlsInfo> infos = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> peerShutdownSeen = new CompletableFuture<>();

    TlsServerFixture(TlsConfig tls) {
        torque = Torque.builder().loopCount(2).build();
        listener = torque.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT.withTls(tls), c -> new Echo() {
            private boolean first = true;

            @Override
            public Next onRead(Connection c, ReadBuffer in) {
                if (first) {
                    first = false;
                    infos.add(c.tls());
                }
                return super.onRead(c, in);
            }

            @Override
            public Next onPeerShutdown(Connection c) {
                peerShutdownSeen.complete(null);
                return Next.CLOSE;
            }

            @Override
            public void onClose(Connection c, Throwable cause) {
                closes.add(cause == null ? GRACEFUL : cause);
            }
        });
    }

    int port() {
        return listener.localAddress().getPort();
    }

    /** The next connection's close cause ({@link #GRACEFUL} for none), waiting up to 10 s. */
    Throwable nextClose() throws InterruptedException {
        Throwable t = closes.poll(10, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no connection closed within 10 s");
        }
        return t;
    }

    @Override
    public void close() {
        torque.close();
    }
}
