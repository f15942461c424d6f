package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.channel.unix.FileDescriptor;
import io.torque.core.fd.FdHandler;
import io.torque.core.fd.FdSource;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.core.signal.SignalRegistration;
import io.torque.core.timer.Timer;
import io.torque.testkit.Echo;

/** Each kind of source, and the bad inputs each must refuse. */
class SourcesTest {
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private Torque torque;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        torque = Torque.builder().loopCount(2).errorHandler((s, e) -> errors.add(e)).build();
    }

    @AfterEach
    void stop() {
        torque.close();
    }

    @Test
    void timersOneShotPeriodicAndCancel() throws Exception {
        CountDownLatch once = new CountDownLatch(1);
        Timer one = torque.timer(Duration.ofMillis(5), null, t -> once.countDown());
        assertThat(once.await(5, TimeUnit.SECONDS)).isTrue();
        CountDownLatch five = new CountDownLatch(5);
        Timer periodic = torque.timer(Duration.ZERO, Duration.ofMillis(2), t -> five.countDown());
        assertThat(five.await(5, TimeUnit.SECONDS)).isTrue();
        periodic.cancel();
        Thread.sleep(20); // a run already due may finish; none starts after it
        long runs = periodic.runs();
        Thread.sleep(30);
        assertThat(periodic.runs()).isEqualTo(runs);
        assertThat(periodic.isCancelled()).isTrue();
        assertThat(one.runs()).isEqualTo(1);
        AtomicInteger never = new AtomicInteger();
        Timer cancelled = torque.timer(Duration.ofMillis(50), null, t -> never.incrementAndGet());
        cancelled.cancel();
        Thread.sleep(100);
        assertThat(never.get()).isZero();
    }

    @Test
    void aPeriodicTimerKeepsItsRate() throws Exception {
        // Fixed rate: after N periods the count is N (±1), however late single runs were.
        CountDownLatch twenty = new CountDownLatch(20);
        long start = System.nanoTime();
        Timer t = torque.timer(Duration.ofMillis(10), Duration.ofMillis(10), x -> {
            twenty.countDown();
            if (x.runs() == 3) {
                sleep(25); // one late run
            }
        });
        assertThat(twenty.await(10, TimeUnit.SECONDS)).isTrue();
        t.cancel();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // The invariant, not a speed: 20 runs at a 10 ms rate are due by 200 ms; drift would add
        // the 25 ms of the late run to every later due time.
        assertThat(t.runs()).isGreaterThanOrEqualTo(20);
        assertThat(elapsedMs).as("runs are due at start + k * period").isGreaterThanOrEqualTo(190);
    }

    @Test
    void aThrowingTimerIsCancelledAndReported() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Timer t = torque.timer(Duration.ZERO, Duration.ofMillis(1), x -> {
            ran.countDown();
            throw new IllegalStateException("boom");
        });
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(20);
        assertThat(t.isCancelled()).isTrue();
        assertThat(t.runs()).isEqualTo(1);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage("boom"));
    }

    @Test
    void timerArgumentsAreChecked() {
        assertThatThrownBy(() -> torque.timer(Duration.ofMillis(-1), null, t -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay must not be negative");
        assertThatThrownBy(() -> torque.timer(Duration.ZERO, Duration.ofSeconds(-1), t -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period");
        assertThatThrownBy(() -> torque.timer(null, null, t -> { })).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aSignalReachesItsCallback() throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        AtomicReference<String> thread = new AtomicReference<>();
        SignalRegistration reg = torque.signal("USR2", s -> {
            thread.set(Thread.currentThread().getName());
            got.countDown();
        });
        Process kill = new ProcessBuilder("kill", "-USR2", Long.toString(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thread.get()).startsWith("torque-cpu");
        assertThatThrownBy(() -> torque.signal("SIGUSR2", s -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already");
        reg.cancel();
    }

    @Test
    void signalsThatCannotBeCaughtOrBelongToTheJvmAreRefused() {
        assertThatThrownBy(() -> torque.signal("KILL", s -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be caught");
        assertThatThrownBy(() -> torque.signal("SIGSTOP", s -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> torque.signal("SEGV", s -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JVM");
        assertThatThrownBy(() -> torque.signal("QUIT", s -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> torque.signal("NOSUCH", s -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown signal");
    }

    @Test
    void pipeReadinessReachesTheFdCallback() throws Exception {
        FileDescriptor[] pipe = FileDescriptor.pipe();
        ByteBuffer got = ByteBuffer.allocateDirect(64);
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        FdSource src = torque.register(pipe[0].intValue(), true, false, new FdHandler() {
            @Override
            public void onReadable(FdSource s) throws Exception {
                int n;
                while ((n = pipe[0].read(got, got.position(), got.limit())) > 0) {
                    got.position(got.position() + n);
                }
                if (got.position() >= 5) {
                    read.countDown();
                }
            }

            @Override
            public void onClose(FdSource s, Throwable cause) {
                closed.countDown();
            }
        });
        ByteBuffer hello = ByteBuffer.allocateDirect(5).put("hello".getBytes(StandardCharsets.US_ASCII)).flip();
        pipe[1].write(hello, 0, 5);
        assertThat(read.await(5, TimeUnit.SECONDS)).isTrue();
        got.flip();
        byte[] b = new byte[got.remaining()];
        got.get(b);
        assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("hello");
        src.close();
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(src.isOpen()).isFalse();
        pipe[1].close();
    }

    @Test
    void badFdsAreRefusedClearly() throws Exception {
        assertThatThrownBy(() -> torque.register(-1, true, false, new FdHandler() { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        Path file = Files.writeString(dir.resolve("regular"), "x");
        FileDescriptor regular = FileDescriptor.from(file.toFile());
        try {
            assertThatThrownBy(() -> torque.register(regular.intValue(), true, false, new FdHandler() { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EPERM")
                    .hasMessageContaining("regular file");
        } finally {
            regular.close();
        }
        FileDescriptor[] pipe = FileDescriptor.pipe();
        int closedFd = pipe[0].intValue();
        pipe[0].close();
        pipe[1].close();
        assertThatThrownBy(() -> torque.register(closedFd, true, false, new FdHandler() { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not open");
        FileDescriptor[] p2 = FileDescriptor.pipe();
        FdSource s = torque.register(p2[0].intValue(), true, false, new FdHandler() { });
        assertThatThrownBy(() -> torque.register(p2[0].intValue(), true, false, new FdHandler() { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        s.close();
        p2[1].close();
    }

    @Test
    void listenErrors() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> torque.listen(new InetSocketAddress("127.0.0.1", taken.getLocalPort()), c -> new Echo()))
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(BindException.class)
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
        assertThatThrownBy(() -> torque.listen(InetSocketAddress.createUnresolved("no.such.host.invalid", 80), c -> new Echo()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
        assertThatThrownBy(() -> new ListenOptions(0, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outboundConnectSucceedsIsRefusedAndTimesOut() throws Exception {
        Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
        CountDownLatch echoed = new CountDownLatch(1);
        Connection c = torque.connect(l.localAddress(), new ConnectionHandler() {
            @Override
            public Next onRead(Connection conn, ReadBuffer in) {
                if (in.readableBytes() >= 4) {
                    echoed.countDown();
                    in.consumeAll();
                }
                return Next.CONTINUE;
            }
        }, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        c.write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(echoed.await(5, TimeUnit.SECONDS)).isTrue();
        c.close();

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CompletableFuture<Connection> refused = torque.connect(new InetSocketAddress("127.0.0.1", closedPort), new Echo(),
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IOException.class).hasMessageContaining("refused");

        // A listener whose backlog is full does not answer SYNs: the connect times out.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", full.getLocalPort());
            List<Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket f = new Socket();
                    try {
                        f.connect(a, 200);
                        fillers.add(f);
                    } catch (IOException e) {
                        f.close();
                        break;
                    }
                }
                CompletableFuture<Connection> slow = torque.connect(a, new Echo(), Duration.ofMillis(300));
                assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(SocketTimeoutException.class).hasMessageContaining("timed out");
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
        assertThatThrownBy(() -> torque.connect(new InetSocketAddress("127.0.0.1", 1), new Echo(), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aThrowingCallbackClosesOnlyItsConnection() throws Exception {
        AtomicReference<Throwable> closeCause = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), conn -> new ConnectionHandler() {
            @Override
            public Next onRead(Connection c, ReadBuffer in) {
                if (in.get(0) == 'X') {
                    throw new IllegalStateException("handler bug");
                }
                c.write(in.bytes());
                in.consumeAll();
                return Next.CONTINUE;
            }

            @Override
            public void onClose(Connection c, Throwable cause) {
                if (cause != null) {
                    closeCause.set(cause);
                    closed.countDown();
                }
            }
        });
        try (Socket good = new Socket("127.0.0.1", l.localAddress().getPort());
                Socket bad = new Socket("127.0.0.1", l.localAddress().getPort())) {
            bad.getOutputStream().write('X');
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(bad.getInputStream().read()).isEqualTo(-1);
            good.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
            byte[] two = good.getInputStream().readNBytes(2);
            assertThat(new String(two, StandardCharsets.US_ASCII)).isEqualTo("ok");
        }
        assertThat(closeCause.get()).hasMessage("handler bug");
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage("handler bug"));
    }

    @Test
    void halfCloseAndResetAreReported() throws Exception {
        CountDownLatch fin = new CountDownLatch(1);
        AtomicReference<Throwable> resetCause = new AtomicReference<>();
        CountDownLatch reset = new CountDownLatch(1);
        Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), conn -> new Echo() {
            @Override
            public Next onPeerShutdown(Connection c) {
                fin.countDown();
                c.write("bye".getBytes(StandardCharsets.US_ASCII)); // the peer may still read
                return Next.CLOSE;
            }

            @Override
            public void onClose(Connection c, Throwable cause) {
                if (cause != null) {
                    resetCause.set(cause);
                    reset.countDown();
                }
            }
        });
        try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
            s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(fin.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hibye");
        }
        Socket r = new Socket("127.0.0.1", l.localAddress().getPort());
        r.setSoLinger(true, 0);
        r.getOutputStream().write('a');
        r.getInputStream().read();
        r.close(); // RST
        assertThat(reset.await(5, TimeUnit.SECONDS)).as("a reset reaches onClose with its cause").isTrue();
        assertThat(resetCause.get()).isInstanceOf(IOException.class);
    }

    @Test
    void aPeerThatNeverReadsCannotGrowServerMemoryWithoutBound() throws Exception {
        AtomicLong maxQueued = new AtomicLong();
        AtomicInteger pauses = new AtomicInteger();
        Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), conn -> new Echo() {
            @Override
            public Next onRead(Connection c, ReadBuffer in) {
                super.onRead(c, in);
                maxQueued.accumulateAndGet(c.queuedBytes(), Math::max);
                if (!c.isWritable()) {
                    pauses.incrementAndGet();
                }
                return Next.CONTINUE;
            }
        });
        try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            long written = 0;
            // Keep writing until the server stops reading us: our writes then block (timeout).
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 4096; i++) {
                        out.write(chunk);
                    }
                } catch (IOException ignored) {
                    // the socket closes at the end of the test
                }
            });
            writer.setDaemon(true);
            writer.start();
            writer.join(3000);
            assertThat(writer.isAlive()).as("the server stopped reading, so the writer is stuck").isTrue();
            assertThat(pauses.get()).isGreaterThan(0);
            // Bounded: the high water mark plus at most one read's worth past it.
            assertThat(maxQueued.get()).isLessThanOrEqualTo(
                    io.torque.core.net.ConnectionSettings.DEFAULT.highWaterMark() + io.torque.core.internal.loop.LoopBuffers.SCRATCH_BYTES);
            // Once we read, the server drains its queue and reads again.
            InputStream in = s.getInputStream();
            s.setSoTimeout(10_000);
            byte[] buf = new byte[1 << 16];
            long got = 0;
            while (got < 8L << 20) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                got += n;
            }
            assertThat(got).isGreaterThanOrEqualTo(8L << 20);
        }
    }

    @Test
    void reusePortLetsTwoListenersShareAPort() throws Exception {
        ListenOptions shared = new ListenOptions(128, true);
        Listener a = torque.listen(new InetSocketAddress("127.0.0.1", 0), shared, c -> new Echo());
        Listener b = torque.listen(a.localAddress(), shared, c -> new Echo());
        assertThat(b.localAddress()).isEqualTo(a.localAddress());
        assertThatThrownBy(() -> torque.listen(a.localAddress(), c -> new Echo()))
                .as("without SO_REUSEPORT the port is in use").isInstanceOf(UncheckedIOException.class);
        a.close();
        b.close();
    }

    @Test
    void aHandlerThatNeverConsumesHitsTheReadMaximumAndIsClosed() throws Exception {
        AtomicReference<Throwable> cause = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        try (Torque small = Torque.builder().loopCount(1)
                .connectionSettings(new io.torque.core.net.ConnectionSettings(8192, 1 << 20, 1 << 18)).build()) {
            Listener l = small.listen(new InetSocketAddress("127.0.0.1", 0), conn -> new ConnectionHandler() {
                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    return Next.CONTINUE; // waits for a message end that never comes
                }

                @Override
                public void onClose(Connection c, Throwable t) {
                    cause.set(t);
                    closed.countDown();
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.getOutputStream().write(new byte[20_000]); // may arrive in one read, past the maximum
                assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            }
            cause.set(null);
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                for (int i = 0; i < 40 && cause.get() == null; i++) {
                    s.getOutputStream().write(new byte[500]); // small reads filling the own buffer
                    s.getOutputStream().flush();
                    Thread.sleep(2);
                }
                for (int i = 0; i < 500 && cause.get() == null; i++) {
                    Thread.sleep(10);
                }
            } catch (java.net.SocketException reset) {
                // the server closed the connection while we wrote: what the test expects
            }
            assertThat(cause.get()).as("trickled bytes hit the maximum too").isNotNull();
        }
        assertThat(cause.get()).isInstanceOf(IOException.class).hasMessageContaining("read buffer maximum (8192 bytes)");
    }

    @Test
    void theIdleTimeoutClosesSilentPeersAndSparesActiveOnes() throws Exception {
        AtomicReference<Throwable> silentCause = new AtomicReference<>();
        CountDownLatch silentClosed = new CountDownLatch(1);
        AtomicInteger activeCloses = new AtomicInteger();
        try (Torque t = Torque.builder().loopCount(2)
                .connectionSettings(io.torque.core.net.ConnectionSettings.DEFAULT.withIdleTimeout(Duration.ofMillis(500)))
                .build()) {
            Listener l = t.listen(new InetSocketAddress("127.0.0.1", 0), conn -> new Echo() {
                @Override
                public void onClose(Connection c, Throwable cause) {
                    if (c.remoteAddress().getPort() == SILENT_PORT.get()) {
                        silentCause.set(cause);
                        silentClosed.countDown();
                    } else {
                        activeCloses.incrementAndGet();
                    }
                }
            });
            try (Socket silent = new Socket("127.0.0.1", l.localAddress().getPort());
                    Socket active = new Socket("127.0.0.1", l.localAddress().getPort())) {
                SILENT_PORT.set(silent.getLocalPort());
                silent.setSoTimeout(10_000);
                long start = System.nanoTime();
                // The active peer sends a byte every 50 ms for 1.5 s, three timeouts' worth.
                while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1500)) {
                    active.getOutputStream().write('a');
                    assertThat(active.getInputStream().read()).isEqualTo('a');
                    Thread.sleep(50);
                }
                assertThat(silentClosed.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(silent.getInputStream().read()).as("the server closed the silent peer").isEqualTo(-1);
                assertThat(activeCloses.get()).as("the active peer is still open").isZero();
            }
        }
        assertThat(silentCause.get()).isInstanceOf(java.net.SocketTimeoutException.class).hasMessageContaining("idle timeout 500 ms");
        assertThatThrownBy(() -> io.torque.core.net.ConnectionSettings.DEFAULT.withIdleTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final AtomicInteger SILENT_PORT = new AtomicInteger();

    /**
     * A callback may listen and register fds: the new source lives on the caller's loop and the
     * registration runs inline (waiting for a task on its own loop would stall for the 30 s bound).
     */
    @Test
    void sourcesCanBeRegisteredFromACallback() throws Exception {
        CompletableFuture<Listener> listened = new CompletableFuture<>();
        CompletableFuture<FdSource> registered = new CompletableFuture<>();
        FileDescriptor[] pipe = FileDescriptor.pipe();
        // One loop: the timer, the listener and the fd all on it, so waiting for the loop would stall.
        try (Torque one = Torque.builder().loopCount(1).build()) {
            one.timer(Duration.ZERO, null, t -> {
                try {
                    listened.complete(one.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo()));
                    registered.complete(one.register(pipe[0].intValue(), true, false, new FdHandler() { }));
                } catch (RuntimeException e) {
                    listened.completeExceptionally(e);
                    registered.completeExceptionally(e);
                }
            });
            Listener l = listened.get(10, TimeUnit.SECONDS);
            assertThat(registered.get(10, TimeUnit.SECONDS).isOpen()).isTrue();
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.getOutputStream().write(5);
                assertThat(s.getInputStream().read()).isEqualTo(5);
            }
            pipe[1].close();
        }
    }

    @Test
    void listenOptionsSettingsApplyToThatListenerOnly() throws Exception {
        // The context has no idle timeout; one listener adds one. A silent peer of that listener is
        // closed, a silent peer of the other is not.
        io.torque.core.net.ConnectionSettings timed = io.torque.core.net.ConnectionSettings.DEFAULT
                .withIdleTimeout(Duration.ofMillis(200));
        Listener guarded = torque.listen(new InetSocketAddress("127.0.0.1", 0),
                io.torque.core.net.ListenOptions.DEFAULT.withSettings(timed), c -> new Echo());
        Listener open = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
        try (Socket g = new Socket("127.0.0.1", guarded.localAddress().getPort());
                Socket o = new Socket("127.0.0.1", open.localAddress().getPort())) {
            g.setSoTimeout(10_000);
            assertThat(g.getInputStream().read()).as("closed by the listener's idle timeout").isEqualTo(-1);
            Thread.sleep(400); // two more timeouts' worth
            o.getOutputStream().write('x');
            assertThat(o.getInputStream().read()).as("the other listener's peer is still served").isEqualTo('x');
        }
        assertThatThrownBy(() -> io.torque.core.net.ListenOptions.DEFAULT.withSettings(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("settings");
    }

    @Test
    void closedContextRefusesWork() {
        torque.close();
        assertThatThrownBy(() -> torque.timer(Duration.ZERO, null, t -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo()))
                .isInstanceOf(IllegalStateException.class);
        torque.close(); // idempotent
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
