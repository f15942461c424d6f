package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;

/** The user's controls over one connection: half-close, and pausing and resuming reads. */
class ConnectionControlTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    /** shutdownOutput: the peer reads what was queued, then end-of-stream, and can still send. */
    @Test
    void shutdownOutputSendsFinAndKeepsReading() throws Exception {
        CompletableFuture<String> afterFin = new CompletableFuture<>();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener l = torque.listen(ANY, c -> new Echo() {
                private boolean shut;

                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    if (!shut) {
                        shut = true;
                        c.write("bye".getBytes(StandardCharsets.US_ASCII));
                        c.shutdownOutput();
                        c.write("dropped".getBytes(StandardCharsets.US_ASCII)); // after the half-close: dropped
                        in.consumeAll();
                    } else {
                        byte[] b = new byte[in.readableBytes()];
                        in.copyTo(0, b, 0, b.length);
                        in.consumeAll();
                        afterFin.complete(new String(b, StandardCharsets.US_ASCII));
                    }
                    return Next.CONTINUE;
                }

                @Override
                public void onClose(Connection c, Throwable cause) {
                    closed.complete(cause);
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write('?');
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("bye");
                assertThat(in.read()).as("FIN after the queued bytes").isEqualTo(-1);
                s.getOutputStream().write("still heard".getBytes(StandardCharsets.US_ASCII));
                assertThat(afterFin.get(10, TimeUnit.SECONDS)).isEqualTo("still heard");
                s.shutdownOutput(); // both directions done: the server closes
                assertThat(closed.get(10, TimeUnit.SECONDS)).isNull();
            }
        }
    }

    /** pauseReading stops delivery; resumeReading delivers what arrived meanwhile, from any thread. */
    @Test
    void pauseAndResumeReading() throws Exception {
        CompletableFuture<Connection> conn = new CompletableFuture<>();
        AtomicInteger reads = new AtomicInteger();
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener l = torque.listen(ANY, c -> new Echo() {
                @Override
                public void onOpen(Connection c) {
                    conn.complete(c);
                }

                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    reads.incrementAndGet();
                    return super.onRead(c, in);
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.setSoTimeout(10_000);
                Connection c = conn.get(10, TimeUnit.SECONDS);
                s.getOutputStream().write(1);
                assertThat(s.getInputStream().read()).isEqualTo(1);
                c.pauseReading(); // from this thread: handed to the loop
                CompletableFuture<Void> paused = new CompletableFuture<>();
                torque.timer(java.time.Duration.ZERO, null, t -> paused.complete(null)); // after the pause, on the loop
                paused.get(10, TimeUnit.SECONDS);
                int before = reads.get();
                s.getOutputStream().write(2);
                Thread.sleep(100);
                assertThat(reads.get()).as("nothing delivered while paused").isEqualTo(before);
                c.resumeReading();
                assertThat(s.getInputStream().read()).as("delivered on resume").isEqualTo(2);
            }
        }
    }
}
