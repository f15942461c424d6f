package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.core.timer.Timer;

/**
 * A mixed, hostile population against one echo server under PARETO dispatch, then close() in the
 * middle of it all; seeded, so a failure reproduces with its seed. Invariants at the end:
 * healthy clients got every byte back in order without stalling, each thrown callback closed its
 * connection and reached the error handler, server write queues stayed bounded, every onOpen
 * had exactly one onClose, and no thread or fd is left.
 */
class ChaosTest {
    private static final long SEED = Long.getLong("torque.chaos.seed", 20261123L);
    /** A thrower's first four bytes; no other peer's stream starts with them. */
    private static final byte[] THROW = {'T', 'H', 'R', 'W'};

    @Test
    void hostilePeersCannotHurtHealthyOnesAndCloseLeavesNothing() throws Exception {
        Torque.builder().loopCount(2).build().close(); // warm up native libraries before counting fds
        LifecycleTest.warmUpJdkSockets();
        long fdsBefore = LifecycleTest.openFds();
        java.util.Set<String> fdTargetsBefore = fdTargets();
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Map<Connection, AtomicInteger> closes = new ConcurrentHashMap<>();
        AtomicLong maxQueued = new AtomicLong();
        AtomicInteger thrown = new AtomicInteger();
        ConnectionSettings settings = new ConnectionSettings(1 << 20, 256 << 10, 64 << 10);
        Torque torque = Torque.builder().loopCount(2).connectionSettings(settings).errorHandler((s, e) -> reported.add(e))
                .build();
        Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), conn -> new Echo() {
            private boolean first = true;

            @Override
            public void onOpen(Connection c) {
                closes.put(c, new AtomicInteger());
            }

            @Override
            public Next onRead(Connection c, ReadBuffer in) {
                if (first && in.readableBytes() >= THROW.length) {
                    first = false;
                    if (in.get(0) == THROW[0] && in.get(1) == THROW[1] && in.get(2) == THROW[2] && in.get(3) == THROW[3]) {
                        thrown.incrementAndGet();
                        throw new IllegalStateException("chaos: callback throws");
                    }
                }
                Next n = super.onRead(c, in);
                maxQueued.accumulateAndGet(c.queuedBytes(), Math::max);
                return n;
            }

            @Override
            public void onClose(Connection c, Throwable cause) {
                closes.get(c).incrementAndGet();
            }
        });
        InetSocketAddress addr = l.localAddress();
        List<Thread> peers = new ArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicLong verified = new AtomicLong();
        Map<String, AtomicInteger> faults = new ConcurrentHashMap<>();

        // Healthy clients: every byte back, in order, none stalling (bounded by the timeout).
        long healthySeed = rnd.nextLong();
        peers.add(start("healthy", () -> {
            EchoClients.Result r = EchoClients.run(addr, 100, 256 * 1024, 16 * 1024, healthySeed, 60_000);
            if (!r.errors().isEmpty() || r.timedOut()) {
                failures.add("healthy: " + r.errors() + (r.timedOut() ? " (timed out)" : ""));
            }
            verified.addAndGet(r.bytesVerified());
        }));
        // Peers that reset mid-write (SO_LINGER 0).
        peers.add(start("resetters", () -> {
            for (int i = 0; i < 100; i++) {
                try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
                    s.setSoLinger(true, 0);
                    s.getOutputStream().write(new byte[1 + i * 97 % 30_000]);
                }
                count(faults, "reset mid-write");
            }
        }));
        // Peers that half-close and keep reading: they get every byte they sent.
        peers.add(start("half-closers", () -> {
            for (int i = 0; i < 50; i++) {
                try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
                    byte[] data = new byte[10_000 + i * 1000];
                    data[0] = 1;
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                    byte[] back = s.getInputStream().readAllBytes();
                    if (back.length != data.length) {
                        failures.add("half-closer got " + back.length + " of " + data.length);
                    }
                }
                count(faults, "half-close");
            }
        }));
        // Peers that never read their replies: they stall, the server's queue stays bounded.
        List<Socket> neverReaders = new CopyOnWriteArrayList<>();
        peers.add(start("never-readers", () -> {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket(addr.getAddress(), addr.getPort());
                neverReaders.add(s);
                s.setSoTimeout(100);
                count(faults, "never reads");
            }
            byte[] chunk = new byte[64 * 1024];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            try {
                while (System.nanoTime() < deadline) {
                    for (Socket s : neverReaders) {
                        s.getOutputStream().write(chunk); // blocks once the server stops reading
                    }
                }
            } catch (IOException expected) {
                // closed under us at the end
            }
        }));
        // A 64 MiB burst in one write, read back concurrently.
        peers.add(start("burst", () -> {
            try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
                byte[] big = new byte[64 << 20];
                new SplittableRandom(SEED).nextBytes(big);
                big[0] = 2;
                Thread w = start("burst-writer", () -> s.getOutputStream().write(big));
                InputStream in = s.getInputStream();
                byte[] buf = new byte[1 << 16];
                long got = 0;
                while (got < big.length) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, big.length - got));
                    if (n < 0) {
                        failures.add("burst: closed after " + got);
                        return;
                    }
                    for (int k = 0; k < n; k++) {
                        if (buf[k] != big[(int) got + k]) {
                            failures.add("burst: wrong byte at " + (got + k));
                            return;
                        }
                    }
                    got += n;
                }
                w.join();
                verified.addAndGet(got);
                count(faults, "64 MiB burst");
            }
        }));
        // Open and close at a high rate.
        peers.add(start("churn", () -> {
            for (int i = 0; i < 1000; i++) {
                new Socket(addr.getAddress(), addr.getPort()).close();
            }
            count(faults, "open/close churn x1000");
        }));
        // Callbacks that throw.
        int throwers = 30;
        peers.add(start("throwers", () -> {
            for (int i = 0; i < throwers; i++) {
                try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
                    s.getOutputStream().write(THROW);
                    if (s.getInputStream().read() != -1) {
                        failures.add("thrower: the connection stayed open");
                    }
                }
                count(faults, "throwing callback");
            }
        }));
        // Timers scheduled and cancelled at a high rate from many threads.
        AtomicLong timerRuns = new AtomicLong();
        for (int t = 0; t < 4; t++) {
            long seed = rnd.nextLong();
            peers.add(start("timers-" + t, () -> {
                SplittableRandom r = new SplittableRandom(seed);
                List<Timer> live = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    live.add(torque.timer(Duration.ofNanos(r.nextInt(2_000_000)), r.nextBoolean() ? Duration.ofMillis(1) : null,
                            x -> timerRuns.incrementAndGet()));
                    if (live.size() > 50) {
                        live.remove(r.nextInt(live.size())).cancel();
                    }
                }
                live.forEach(Timer::cancel);
                count(faults, "timer churn x2000");
            }));
        }

        for (Thread p : peers) {
            if (!p.getName().equals("never-readers")) {
                p.join(120_000);
                assertThat(p.isAlive()).as(p.getName() + " finished").isFalse();
            }
        }
        // close() with the never-readers still stalled and their queues full.
        torque.close();
        assertThat(torque.awaitTermination(Duration.ofSeconds(30))).isTrue();
        for (Socket s : neverReaders) {
            s.close();
        }
        for (Thread p : peers) {
            p.join(10_000);
        }

        String report = String.format("chaos seed=%d connections=%d bytes_verified=%d faults=%s errors_reported=%d "
                + "max_queued=%d timer_runs=%d", SEED, closes.size(), verified.get(), faults, reported.size(),
                maxQueued.get(), timerRuns.get());
        System.out.println(report);
        reported.stream().filter(e -> !"chaos: callback throws".equals(e.getMessage()))
                .forEach(e -> e.printStackTrace(System.out));
        assertThat(failures).as(report).isEmpty();
        assertThat(verified.get()).isEqualTo(100L * 256 * 1024 + (64L << 20));
        assertThat(thrown.get()).isEqualTo(throwers);
        assertThat(reported).as("each throw reported, nothing else").hasSize(throwers)
                .allSatisfy(e -> assertThat(e).hasMessage("chaos: callback throws"));
        assertThat(maxQueued.get()).as("queues bounded by the high water mark plus one read")
                .isLessThanOrEqualTo(settings.highWaterMark() + io.torque.core.loop.Loop.SCRATCH_BYTES);
        assertThat(closes.values()).as("every onOpen had exactly one onClose").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(LifecycleTest.torqueThreads()).isZero();
        java.util.Set<String> after = fdTargets();
        after.removeAll(fdTargetsBefore);
        StringBuilder sockets = new StringBuilder(); // for a leak: which fd, and if a socket, its addresses
        for (String fd : after) {
            int n = Integer.parseInt(fd.substring(0, fd.indexOf("->")));
            io.netty.channel.unix.Socket probe = new io.netty.channel.unix.Socket(n);
            sockets.append("fd ").append(n).append(" local ").append(probe.localAddress()).append(" remote ")
                    .append(probe.remoteAddress()).append('\n');
        }
        assertThat(LifecycleTest.openFds()).as("listener port " + addr.getPort() + ", new fds: " + after + "\n" + sockets)
                .isEqualTo(fdsBefore);
    }

    private static java.util.Set<String> fdTargets() throws IOException {
        java.util.Set<String> targets = new java.util.TreeSet<>();
        try (var s = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            for (java.nio.file.Path p : s.toList()) {
                try {
                    targets.add(p.getFileName() + "->" + java.nio.file.Files.readSymbolicLink(p));
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return targets;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(name + ": " + e, e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void count(Map<String, AtomicInteger> faults, String kind) {
        faults.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

}
