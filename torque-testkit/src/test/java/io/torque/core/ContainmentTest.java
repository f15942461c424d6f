package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.netty.channel.unix.FileDescriptor;
import io.torque.core.fd.FdHandler;
import io.torque.core.fd.FdSource;
import io.torque.core.net.Connection;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;

/**
 * Failures stay where they happen: a callback that throws and an error handler that throws too
 * close that one source and nothing else; hang-ups of raw fds reach their handler; no call waits
 * for a loop that has ended or for another loop.
 */
class ContainmentTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    /**
     * onRead throws and so does the error handler: the connection closes, the error is reported
     * once, and the loop goes on serving a neighbour. Before the fix the throwing error handler
     * left the connection owned forever and the loop spinning on an NPE.
     */
    @Test
    void aThrowingCallbackAndAThrowingErrorHandlerHurtOnlyTheirConnection() throws Exception {
        AtomicInteger reported = new AtomicInteger();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(1).errorHandler((source, e) -> {
            reported.incrementAndGet();
            throw new IllegalStateException("the error handler fails too");
        }).build()) {
            Listener l = torque.listen(ANY, c -> new Echo() {
                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    if (in.get(0) == 'X') {
                        throw new IllegalArgumentException("boom");
                    }
                    return super.onRead(c, in);
                }

                @Override
                public void onClose(Connection c, Throwable cause) {
                    if (cause != null) {
                        closed.complete(cause);
                    }
                }
            });
            try (Socket bad = new Socket("127.0.0.1", l.localAddress().getPort());
                    Socket good = new Socket("127.0.0.1", l.localAddress().getPort())) {
                bad.setSoTimeout(10_000);
                good.setSoTimeout(10_000);
                bad.getOutputStream().write('X');
                assertThat(bad.getInputStream().read()).as("the throwing connection is closed").isEqualTo(-1);
                assertThat(closed.get(10, TimeUnit.SECONDS)).hasMessage("boom");
                for (int i = 0; i < 100; i++) {
                    int b = 'a' + i % 26; // never the 'X' that makes onRead throw
                    good.getOutputStream().write(b);
                    assertThat(good.getInputStream().read()).isEqualTo(b);
                }
            }
            assertThat(reported.get()).as("reported once").isEqualTo(1);
        }
    }

    /** A pipe whose writer closes reports EPOLLHUP alone; it must reach onReadable, whose read sees EOF. */
    @Test
    void aRawFdsHangUpReachesItsHandler() throws Exception {
        CompletableFuture<Integer> eof = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            FileDescriptor[] pipe = FileDescriptor.pipe(); // after build: the native library is loaded
            torque.register(pipe[0].intValue(), true, false, new FdHandler() {
                @Override
                public void onReadable(FdSource source) throws Exception {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(16);
                    int n = pipe[0].read(b, 0, 16);
                    if (n < 0) {
                        eof.complete(n);
                    }
                }
            });
            pipe[1].close(); // no bytes ever written: only the hang-up
            assertThat(eof.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        }
    }

    /** After the loops ended, Listener.close returns at once (it used to wait 10 s for a dead loop). */
    @Test
    void closingAListenerAfterTheLoopsEndedDoesNotWait() throws Exception {
        Torque torque = Torque.builder().loopCount(1).build();
        Listener l = torque.listen(ANY, c -> new Echo());
        torque.closeNow();
        assertThat(torque.awaitTermination(Duration.ofSeconds(10))).isTrue();
        long t0 = System.nanoTime();
        l.close();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
    }

    /** A callback on one loop closes a listener on the other: it returns at once, and the port closes. */
    @Test
    void closingAListenerFromACallbackNeitherWaitsNorFails() throws Exception {
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener target = torque.listen(ANY, c -> new Echo());
            CompletableFuture<Long> took = new CompletableFuture<>();
            Listener l = torque.listen(ANY, c -> new Echo() {
                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    long t0 = System.nanoTime();
                    target.close();
                    took.complete(System.nanoTime() - t0);
                    return super.onRead(c, in);
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.getOutputStream().write(1);
                InputStream in = s.getInputStream();
                assertThat(in.read()).isEqualTo(1);
            }
            assertThat(took.get(10, TimeUnit.SECONDS)).isLessThan(TimeUnit.SECONDS.toNanos(2));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (portOpen(target.localAddress()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(portOpen(target.localAddress())).as("the listener's port is closed").isFalse();
        }
    }

    /**
     * The peer resets the connection while its reads are paused, then the application closes it:
     * shutdown(2) fails with ENOTCONN, which Netty raises as NotYetConnectedException (not an
     * IOException). That is the peer's doing, not a callback's: the connection closes with a
     * cause and the error handler hears nothing. Before the fix the close was reported as a
     * failed callback.
     */
    @Test
    void aPeerResetBeforeOurFinIsNoCallbackFailure() throws Exception {
        java.util.List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(1)
                .errorHandler((source, e) -> reported.add(e)).build()) {
            Listener l = torque.listen(ANY, c -> new Echo() {
                @Override
                public void onOpen(Connection c) {
                    c.pauseReading(); // the reset stays unread until our close
                    opened.complete(c);
                }

                @Override
                public void onClose(Connection c, Throwable cause) {
                    closed.complete(cause == null ? new AssertionError("closed without a cause") : cause);
                }
            });
            Connection server;
            try (Socket peer = new Socket("127.0.0.1", l.localAddress().getPort())) {
                server = opened.get(10, TimeUnit.SECONDS);
                peer.setSoLinger(true, 0); // close sends RST
            }
            server.close();
            Throwable cause = closed.get(10, TimeUnit.SECONDS);
            assertThat(reported).as("nothing reported to the error handler").isEmpty();
            assertThat(cause).isInstanceOf(java.io.IOException.class);
        }
    }

    private static boolean portOpen(InetSocketAddress a) {
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }
}
