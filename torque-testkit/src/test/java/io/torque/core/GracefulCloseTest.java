package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionAbortedException;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;

/**
 * {@link Torque#close()} is graceful: what is queued is delivered and ends with FIN, idle peers
 * get FIN, a request that arrived just before the close is answered; only past the drain
 * deadline (or with {@link Torque#closeNow()}) are connections reset, and onClose says so.
 */
class GracefulCloseTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    /** A server that writes {@code bytes} as soon as a connection opens, and records how it closed. */
    private static final class Writer implements ConnectionHandler {
        final int bytes;
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        final CountDownLatch opened = new CountDownLatch(1);

        Writer(int bytes) {
            this.bytes = bytes;
        }

        @Override
        public void onOpen(Connection c) {
            ByteBuffer b = ByteBuffer.allocateDirect(bytes);
            for (int i = 0; i < bytes; i++) {
                b.put(i, (byte) i);
            }
            c.write(b);
            opened.countDown();
        }

        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            in.consumeAll();
            return Next.CONTINUE;
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            closed.complete(cause);
        }
    }

    private static Thread closeInBackground(Torque torque) {
        Thread t = new Thread(torque::close, "test-close");
        t.start();
        return t;
    }

    @Test
    void queuedBytesReachASlowReaderAndEndWithFin() throws Exception {
        int size = 32 << 20;
        Writer w = new Writer(size);
        Torque torque = Torque.builder().loopCount(1).build();
        Listener l = torque.listen(ANY, c -> w);
        try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
            s.setSoTimeout(20_000);
            assertThat(w.opened.await(10, TimeUnit.SECONDS)).isTrue();
            Thread closer = closeInBackground(torque); // with most of the 32 MiB still queued
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long got = 0;
            int n;
            while ((n = in.read(buf)) > 0) { // a reset would throw here
                for (int i = 0; i < n; i++) {
                    assertThat(buf[i]).isEqualTo((byte) (got + i));
                }
                got += n;
                if (got % (1 << 20) < n) {
                    Thread.sleep(5); // slow: about 100 ms per MiB at the start
                }
            }
            assertThat(n).as("FIN, not a reset").isEqualTo(-1);
            assertThat(got).isEqualTo(size);
            closer.join(20_000);
        }
        assertThat(w.closed.get(10, TimeUnit.SECONDS)).as("a graceful close").isNull();
        assertThat(torque.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void idlePeersGetFin() throws Exception {
        Torque torque = Torque.builder().loopCount(2).build();
        Listener l = torque.listen(ANY, c -> new Echo());
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket s = new Socket("127.0.0.1", l.localAddress().getPort());
            s.setSoTimeout(10_000);
            idle.add(s);
        }
        // each opened for sure on the server's side: one still in the accept backlog when the
        // listener closes is reset by the kernel, not by torque (a CI run on JDK 25 hit that)
        for (Socket s : idle) {
            s.getOutputStream().write(1);
            assertThat(s.getInputStream().read()).isEqualTo(1);
        }
        Thread closer = closeInBackground(torque);
        for (Socket s : idle) {
            assertThat(s.getInputStream().read()).as("end of stream, not a reset").isEqualTo(-1);
            s.close();
        }
        closer.join(20_000);
        assertThat(torque.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    /** The request arrives while the only loop is busy and close() is already under way: it is still answered. */
    @Test
    void aRequestSentJustBeforeCloseGetsItsReply() throws Exception {
        Torque torque = Torque.builder().loopCount(1).build();
        Listener l = torque.listen(ANY, c -> new Echo());
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write('a');
            assertThat(s.getInputStream().read()).isEqualTo('a');
            torque.timer(Duration.ZERO, null, t -> { // holds the loop
                busy.countDown();
                await(release);
            });
            assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
            s.getOutputStream().write("request".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Thread closer = closeInBackground(torque);
            Thread.sleep(50); // let close() ask every connection to shut down, while the loop is held
            release.countDown();
            assertThat(new String(s.getInputStream().readNBytes(7), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("request");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            closer.join(20_000);
        }
        assertThat(torque.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void pastTheDrainDeadlineConnectionsAreAbortedAndOnCloseSaysSo() throws Exception {
        Writer w = new Writer(16 << 20);
        Torque torque = Torque.builder().loopCount(1).drainTimeout(Duration.ofMillis(200)).build();
        Listener l = torque.listen(ANY, c -> w);
        try (Socket neverReads = new Socket("127.0.0.1", l.localAddress().getPort())) {
            assertThat(w.opened.await(10, TimeUnit.SECONDS)).isTrue();
            long t0 = System.nanoTime();
            torque.close();
            assertThat(System.nanoTime() - t0).as("close() waited for the deadline, not longer than a few s")
                    .isLessThan(TimeUnit.SECONDS.toNanos(5));
        }
        assertThat(w.closed.get(10, TimeUnit.SECONDS)).isInstanceOf(ConnectionAbortedException.class)
                .hasMessageContaining("drain deadline of 200 ms").hasMessageContaining("queued bytes dropped");
    }

    @Test
    void closeNowAbortsAndSaysSo() throws Exception {
        Writer w = new Writer(16);
        Torque torque = Torque.builder().loopCount(1).build();
        Listener l = torque.listen(ANY, c -> w);
        try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
            assertThat(w.opened.await(10, TimeUnit.SECONDS)).isTrue();
            torque.closeNow();
        }
        assertThat(w.closed.get(10, TimeUnit.SECONDS)).isInstanceOf(ConnectionAbortedException.class)
                .hasMessageContaining("closed at once");
    }

    /**
     * A connect still pending when the context closes fails its future; no onOpen or onClose
     * runs for it. The peer is a listener whose accept queue is full, so the SYN gets no answer.
     */
    @Test
    void aPendingConnectFailsWhenTheContextCloses() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) { // fill the accept queue (backlog 1, never accepted)
                    Socket f = new Socket();
                    try {
                        f.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(f);
                    } catch (java.io.IOException timedOut) {
                        f.close();
                        break; // the queue is full: SYNs are dropped now
                    }
                }
                Torque torque = Torque.builder().loopCount(1).build();
                List<String> callbacks = new java.util.concurrent.CopyOnWriteArrayList<>();
                CompletableFuture<Connection> f = torque.connect((InetSocketAddress) full.getLocalSocketAddress(),
                        new ConnectionHandler() {
                            @Override
                            public void onOpen(Connection c) {
                                callbacks.add("onOpen");
                            }

                            @Override
                            public Next onRead(Connection c, ReadBuffer in) {
                                return Next.CONTINUE;
                            }

                            @Override
                            public void onClose(Connection c, Throwable cause) {
                                callbacks.add("onClose");
                            }
                        }, Duration.ZERO);
                Thread.sleep(100);
                assertThat(f).as("the connect is pending").isNotDone();
                torque.close();
                assertThat(f).isCompletedExceptionally();
                try {
                    f.get();
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).hasMessageContaining("torque context closed");
                }
                assertThat(callbacks).isEmpty();
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
