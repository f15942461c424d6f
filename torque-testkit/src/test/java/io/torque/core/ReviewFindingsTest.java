package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;

/** What a cold review of the engine found, each reproduced before it was fixed. */
class ReviewFindingsTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    private static String text(ReadBuffer in) {
        byte[] b = new byte[in.readableBytes()];
        in.copyTo(0, b, 0, b.length);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /**
     * A callback that asks another connection of its loop to do something (resume reading) must
     * not have that connection's work run inside it: the other connection would read into the
     * loop's shared receive buffer, under the bytes this callback is looking at. Before the fix
     * A's onRead saw B's bytes after the call.
     */
    @Test
    void workAskedForFromACallbackNeverRunsInsideIt() throws Exception {
        CompletableFuture<Connection> b = new CompletableFuture<>();
        CompletableFuture<String> seenAfter = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener pausedOne = torque.listen(ANY, c -> new Echo() {
                @Override
                public void onOpen(Connection c) {
                    c.pauseReading();
                    b.complete(c);
                }
            });
            Listener caller = torque.listen(ANY, c -> new Echo() {
                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    String before = text(in);
                    b.join().resumeReading();
                    seenAfter.complete(before + " -> " + text(in));
                    return super.onRead(c, in);
                }
            });
            try (Socket sb = new Socket("127.0.0.1", pausedOne.localAddress().getPort());
                    Socket sa = new Socket("127.0.0.1", caller.localAddress().getPort())) {
                b.get(10, TimeUnit.SECONDS);
                sb.getOutputStream().write("BBBBBBBB".getBytes(StandardCharsets.US_ASCII)); // waits: B is paused
                Thread.sleep(50);
                sa.getOutputStream().write("AAAAAAAA".getBytes(StandardCharsets.US_ASCII));
                assertThat(seenAfter.get(10, TimeUnit.SECONDS)).isEqualTo("AAAAAAAA -> AAAAAAAA");
                sb.setSoTimeout(10_000);
                assertThat(sb.getInputStream().readNBytes(8)).isEqualTo("BBBBBBBB".getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    /**
     * Bytes another thread wrote before the owner closes go out before the FIN. Before the fix
     * the owner's close looked at its own queue only, and the outbox was dropped: the peer got
     * nothing, and onClose reported a graceful close.
     */
    @Test
    void anOwnersCloseSendsWhatOtherThreadsWroteFirst() throws Exception {
        CompletableFuture<Connection> conn = new CompletableFuture<>();
        CountDownLatch written = new CountDownLatch(1);
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener l = torque.listen(ANY, c -> new Echo() {
                @Override
                public void onOpen(Connection c) {
                    conn.complete(c);
                }

                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    in.consumeAll();
                    await(written); // another thread writes meanwhile: into the outbox
                    return Next.CLOSE;
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.setSoTimeout(10_000);
                Connection c = conn.get(10, TimeUnit.SECONDS);
                s.getOutputStream().write('?');
                Thread writer = new Thread(() -> {
                    c.write("from-X".getBytes(StandardCharsets.US_ASCII));
                    written.countDown();
                });
                Thread.sleep(50); // the loop is in onRead, waiting
                writer.start();
                writer.join(10_000);
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("from-X");
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }

    /**
     * Two contexts handle one signal and are closed in the order they were installed: the
     * handler that was there before both must get the signal afterwards. Before the fix the
     * first context's cancelled handler was left installed and swallowed it. (SIGWINCH: its
     * default action is to ignore it.)
     */
    @Test
    @SuppressWarnings("removal")
    void signalHandlersOfTwoContextsCancelInAnyOrder() throws Exception {
        sun.misc.Signal winch = new sun.misc.Signal("WINCH");
        CountDownLatch base = new CountDownLatch(1);
        sun.misc.SignalHandler original = sun.misc.Signal.handle(winch, s -> base.countDown());
        try {
            Torque first = Torque.builder().loopCount(1).build();
            Torque second = Torque.builder().loopCount(1).build();
            first.signal("WINCH", s -> { });
            second.signal("WINCH", s -> { });
            first.close();
            second.close();
            sun.misc.Signal.raise(winch);
            assertThat(base.await(10, TimeUnit.SECONDS)).as("the first handler got the signal back").isTrue();
        } finally {
            sun.misc.Signal.handle(winch, original);
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
