package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.Listener;
import io.torque.testkit.BlasterPinger;
import io.torque.testkit.ChaosServer;
import io.torque.testkit.Echo;

/**
 * Flow control and fairness: a producer thread sees back-pressure at once, one blasting peer
 * cannot starve its neighbours or the loop's timers, and the idle check never closes a
 * connection whose bytes are waiting to be read.
 */
class FlowTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    /**
     * Writes from a plain thread count in queuedBytes() and turn isWritable() false at once,
     * even while the connection's loop is busy; when the peer reads, onWritable runs and the
     * count falls to 0. Before the fix the outbox was not counted: isWritable() stayed true.
     */
    @Test
    void offLoopWritesSeeBackPressureAtOnce() throws Exception {
        ConnectionSettings settings = new ConnectionSettings(1 << 20, 256 << 10, 64 << 10);
        CompletableFuture<Connection> conn = new CompletableFuture<>();
        CountDownLatch writable = new CountDownLatch(1);
        try (Torque torque = Torque.builder().loopCount(1).connectionSettings(settings).build()) {
            Listener l = torque.listen(ANY, c -> new Echo() {
                @Override
                public void onOpen(Connection c) {
                    conn.complete(c);
                }

                @Override
                public void onWritable(Connection c) {
                    writable.countDown();
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                Connection c = conn.get(10, TimeUnit.SECONDS);
                CountDownLatch release = new CountDownLatch(1);
                torque.timer(Duration.ZERO, null, t -> await(release)); // the loop is busy
                Thread.sleep(20);
                int total = 0;
                while (c.isWritable() && total < (4 << 20)) {
                    c.write(ByteBuffer.wrap(new byte[64 << 10]));
                    total += 64 << 10;
                }
                assertThat(c.isWritable()).as("back-pressure for the producer").isFalse();
                assertThat(c.queuedBytes()).isEqualTo(total).isGreaterThan(settings.highWaterMark());
                assertThat(total).as("stopped just past the high water mark").isLessThanOrEqualTo(320 << 10);
                release.countDown();
                InputStream in = s.getInputStream();
                assertThat(in.readNBytes(total)).hasSize(total);
                assertThat(writable.await(10, TimeUnit.SECONDS)).as("onWritable after the drain").isTrue();
                assertThat(c.isWritable()).isTrue();
                assertThat(c.queuedBytes()).isZero();
            }
        }
    }

    /**
     * A blaster at a handler that spends 100 µs per read, beside a pinger and a 50 ms timer on
     * the same (only) loop: per-turn read budgets keep the pinger's worst round trip and the
     * timer's lateness short (the bound is generous for a loaded 2-CPU machine; without budgets
     * they were seconds). Before the fix reads went on until EAGAIN, which a blaster never gives.
     */
    @Test
    void aBlasterDoesNotStarveItsNeighbours() throws Exception {
        try (ChaosServer server = new ChaosServer(Duration.ofSeconds(60), 1)) {
            AtomicLong worstLateness = new AtomicLong();
            long period = TimeUnit.MILLISECONDS.toNanos(50);
            long start = System.nanoTime();
            AtomicLong runs = new AtomicLong();
            server.torque().timer(Duration.ofMillis(50), Duration.ofMillis(50), t -> {
                long due = start + period * runs.incrementAndGet();
                worstLateness.accumulateAndGet(System.nanoTime() - due, Math::max);
            });
            BlasterPinger.Result r = BlasterPinger.run(server.sink(), server.open(), 1, Duration.ofSeconds(2));
            assertThat(r.failure()).isNull();
            assertThat(r.pings()).isGreaterThan(10);
            assertThat(r.blastedBytes()).isGreaterThan(1 << 20);
            assertThat(r.worstRttNanos()).as("the pinger's worst round trip").isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
            assertThat(worstLateness.get()).as("the timer's worst lateness").isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    /**
     * The idle check must not close a connection whose bytes wait to be read: here the bytes
     * arrive while the loop is held past the idle timeout, so the check (a task) and the read
     * (an epoll event) are due in the same pass. Before the fix the check ran first.
     */
    @Test
    void theIdleCheckReadsFirst() throws Exception {
        ConnectionSettings settings = ConnectionSettings.DEFAULT.withIdleTimeout(Duration.ofMillis(200));
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(1).connectionSettings(settings).build()) {
            Listener l = torque.listen(ANY, c -> new Echo() {
                @Override
                public void onClose(Connection c, Throwable cause) {
                    closed.complete(cause);
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(1);
                assertThat(s.getInputStream().read()).isEqualTo(1); // the idle clock starts from here
                CountDownLatch release = new CountDownLatch(1);
                torque.timer(Duration.ZERO, null, t -> await(release));
                Thread.sleep(100);
                s.getOutputStream().write(2); // within the timeout, but the loop is held
                Thread.sleep(300); // now the idle check is due too
                release.countDown();
                assertThat(s.getInputStream().read()).as("echoed, not closed as idle").isEqualTo(2);
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
