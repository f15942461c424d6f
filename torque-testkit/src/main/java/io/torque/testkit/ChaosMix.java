package io.torque.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.torque.core.timer.Timer;

/**
 * A mixed, hostile population of loopback peers against a {@link ChaosServer}, all at once:
 * healthy echo clients, resetters, half-closers, never-readers, a big burst, open/close churn,
 * throwing callbacks, slowloris peers and tricklers on the guarded listener, blasters at a slow
 * sink beside a pinger, timer churn from several threads, a latency probe, and, where the server
 * has a TLS listener ({@link ChaosServer#listenTls}), TLS peers good and bad ({@code TlsPeers}). {@link #run} returns when every peer but the
 * never-readers is done; those stay stalled, with full queues, until {@link #release}, so a
 * caller can close the context in the middle of them. Seeded: a seed replays the same peers.
 */
public final class ChaosMix {
    private final ChaosServer server;
    private final ChaosConfig config;
    private final long seed;
    private final List<Socket> neverReaders = new CopyOnWriteArrayList<>();
    private Thread neverReaderWriter;

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> faults = new ConcurrentHashMap<>();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong expected = new AtomicLong();
    private final AtomicInteger lost = new AtomicInteger();
    private final AtomicInteger stalls = new AtomicInteger();
    private final AtomicLong timerRuns = new AtomicLong();
    private volatile boolean othersDone;
    private volatile long pingWorstMicros;
    /** How long the pinger pings beside the blasters. */
    private static final Duration BLAST_DURATION = Duration.ofSeconds(2);

    /**
     * A mix against {@code server}; nothing starts before {@link #run}.
     *
     * @param server the server under attack
     * @param config the population
     * @param seed the seed: the same seed replays the same peers
     */
    public ChaosMix(ChaosServer server, ChaosConfig config, long seed) {
        this.server = server;
        this.config = config;
        this.seed = seed;
    }

    /**
     * Starts every peer and returns when all but the never-readers are done (they stay stalled
     * until {@link #release}).
     *
     * @return what the round saw
     * @throws InterruptedException if interrupted while waiting
     */
    public ChaosReport run() throws InterruptedException {
        SplittableRandom rnd = new SplittableRandom(seed);
        InetSocketAddress open = server.open();
        List<Thread> peers = new ArrayList<>();
        long healthySeed = rnd.nextLong();
        peers.add(start("healthy", () -> healthy(open, healthySeed)));
        peers.add(start("resetters", () -> resetters(open)));
        peers.add(start("half-closers", () -> halfClosers(open)));
        peers.add(start("burst", () -> burst(open)));
        peers.add(start("churn", () -> churn(open)));
        peers.add(start("throwers", () -> throwers(open)));
        peers.add(start("slowloris", () -> slowloris(server.guarded())));
        for (int t = 0; t < config.tricklers(); t++) {
            peers.add(start("trickler-" + t, () -> trickler(server.guarded())));
        }
        for (int t = 0; t < config.timerThreads(); t++) {
            long timerSeed = rnd.nextLong();
            peers.add(start("timers-" + t, () -> timers(timerSeed)));
        }
        peers.add(start("blaster-pinger", this::blasterPinger));
        long udpSeed = rnd.nextLong();
        peers.add(start("udp", () -> udpFlood(server.udp(), udpSeed)));
        long unixSeed = rnd.nextLong();
        peers.add(start("unix", () -> unixPeers(server.unix(), unixSeed)));
        InetSocketAddress tls = server.tls();
        if (tls != null) {
            long tlsSeed = rnd.nextLong();
            peers.add(start("tls", () -> tlsPeers(tls, tlsSeed)));
        }
        LatencyProbe probe = new LatencyProbe(config.stallBound(), () -> othersDone);
        Thread probeThread = start("probe", () -> probe.run(open));
        neverReaderWriter = start("never-readers", () -> neverReaders(open));
        long bound = config.stallBound().toMillis() * 2 + 60_000;
        for (Thread p : peers) {
            p.join(bound);
            if (p.isAlive()) {
                failures.add(p.getName() + " did not finish in " + bound + " ms");
                stalls.incrementAndGet();
            }
        }
        othersDone = true;
        probeThread.join(bound);
        if (probe.failure() != null) {
            failures.add("probe: " + probe.failure());
            if (probe.stalled()) {
                stalls.incrementAndGet();
            } else {
                lost.incrementAndGet();
            }
        }
        Map<String, Integer> byKind = new TreeMap<>();
        faults.forEach((k, v) -> byKind.put(k, v.get()));
        return new ChaosReport(seed, verified.get(), expected.get(), byKind, lost.get(), stalls.get(), List.copyOf(failures),
                timerRuns.get(), probe.percentiles(), pingWorstMicros);
    }

    /**
     * Closes the never-readers' sockets and waits for their writer.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void release() throws InterruptedException {
        for (Socket s : neverReaders) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (neverReaderWriter != null) {
            neverReaderWriter.join(10_000);
        }
    }

    // ---------------------------------------------------------------- the peers

    private void healthy(InetSocketAddress to, long clientSeed) throws IOException {
        long bytes = (long) config.healthy() * config.healthyBytes();
        expected.addAndGet(bytes);
        EchoClients.Result r = EchoClients.run(to, config.healthy(), config.healthyBytes(), 16 * 1024, clientSeed,
                config.stallBound().toMillis());
        if (!r.errors().isEmpty()) {
            failures.add("healthy: " + r.errors().subList(0, Math.min(5, r.errors().size())));
        }
        if (r.timedOut()) {
            failures.add("healthy: stalled past " + config.stallBound());
            stalls.incrementAndGet();
        }
        lost.addAndGet((int) ((bytes - r.bytesVerified() + config.healthyBytes() - 1) / config.healthyBytes()));
        verified.addAndGet(r.bytesVerified());
    }

    /** Unix peers: 20 connections each echoing 64 KiB in random chunks, every byte checked. */
    static final int UNIX_PEERS = 20;
    /** UDP pings after the flood, each of which must be answered. */
    static final int UDP_PINGS = 100;

    private void unixPeers(java.net.UnixDomainSocketAddress to, long unixSeed) throws Exception {
        SplittableRandom r = new SplittableRandom(unixSeed);
        int each = 64 << 10;
        expected.addAndGet((long) UNIX_PEERS * each);
        for (int p = 0; p < UNIX_PEERS; p++) {
            long seed = r.nextLong();
            try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(to)) {
                java.nio.ByteBuffer back = java.nio.ByteBuffer.allocate(each);
                long off = 0;
                while (off < each) {
                    int n = (int) Math.min(1 + r.nextInt(8192), each - off);
                    java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(n);
                    for (int i = 0; i < n; i++) {
                        chunk.put(EchoClients.streamByte(seed, off + i));
                    }
                    ch.write(chunk.flip());
                    off += n;
                    int want = (int) off;
                    while (back.position() < want) {
                        if (ch.read(back) < 0) {
                            throw new IOException("unix peer: closed after " + back.position() + " bytes");
                        }
                    }
                }
                for (int i = 0; i < each; i++) {
                    if (back.get(i) != EchoClients.streamByte(seed, i)) {
                        lost.incrementAndGet();
                        throw new IOException("unix peer: byte " + i + " differs");
                    }
                }
                verified.addAndGet(each);
            }
            count("unix: healthy");
        }
    }

    /**
     * A UDP flood (2 s of datagrams of random sizes, as fast as one thread sends, replies mostly
     * not read), then pings that must each be answered: the flood may lose datagrams, as UDP does,
     * but not the socket.
     */
    private void udpFlood(InetSocketAddress to, long udpSeed) throws Exception {
        SplittableRandom r = new SplittableRandom(udpSeed);
        try (java.nio.channels.DatagramChannel flood = java.nio.channels.DatagramChannel.open()) {
            flood.configureBlocking(false);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1400);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < end) {
                b.clear().limit(1 + r.nextInt(1400));
                flood.send(b, to);
                flood.receive(java.nio.ByteBuffer.allocate(1500)); // now and then; most stay unread
            }
        }
        count("udp flood");
        try (java.nio.channels.DatagramChannel ping = java.nio.channels.DatagramChannel.open()) {
            ping.connect(to);
            ping.configureBlocking(false);
            java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(64);
            for (int i = 0; i < UDP_PINGS; i++) {
                boolean answered = false;
                for (int attempt = 0; attempt < 50 && !answered; attempt++) { // a datagram may be lost: ask again
                    ping.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) i}));
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                    while (System.nanoTime() < until) {
                        in.clear();
                        if (ping.read(in) > 0 && in.get(0) == (byte) i) {
                            answered = true;
                            break;
                        }
                        Thread.sleep(1);
                    }
                }
                if (!answered) {
                    stalls.incrementAndGet();
                    throw new IOException("udp: ping " + i + " not answered after the flood");
                }
                count("udp: ping answered");
            }
        }
    }

    private void tlsPeers(InetSocketAddress to, long tlsSeed) throws Exception {
        long bytes = (long) TlsPeers.HEALTHY * TlsPeers.HEALTHY_BYTES;
        expected.addAndGet(bytes);
        try {
            verified.addAndGet(new TlsPeers(to, (int) config.stallBound().toMillis(), this::count).run(new SplittableRandom(tlsSeed)));
        } catch (IOException e) {
            lost.incrementAndGet();
            throw e;
        }
    }

    private void resetters(InetSocketAddress to) throws IOException {
        for (int i = 0; i < config.resetters(); i++) {
            try (Socket s = connect(to)) {
                s.setSoLinger(true, 0);
                s.getOutputStream().write(new byte[1 + i * 97 % 30_000]);
            }
            count("reset mid-write");
        }
    }

    private void halfClosers(InetSocketAddress to) throws IOException {
        for (int i = 0; i < config.halfClosers(); i++) {
            try (Socket s = connect(to)) {
                byte[] data = new byte[10_000 + i * 1000];
                data[0] = 1;
                expected.addAndGet(data.length);
                s.getOutputStream().write(data);
                s.shutdownOutput();
                byte[] back = s.getInputStream().readAllBytes();
                if (Arrays.equals(back, data)) {
                    verified.addAndGet(back.length);
                } else {
                    failures.add("half-closer got " + back.length + " of " + data.length + " bytes, or wrong ones");
                    lost.incrementAndGet();
                }
            } catch (SocketTimeoutException e) {
                failures.add("half-closer stalled");
                stalls.incrementAndGet();
            }
            count("half-close");
        }
    }

    private void neverReaders(InetSocketAddress to) throws IOException {
        for (int i = 0; i < config.neverReaders(); i++) {
            neverReaders.add(connect(to));
            count("never reads");
        }
        byte[] chunk = new byte[64 * 1024];
        try {
            while (true) {
                for (Socket s : neverReaders) {
                    s.getOutputStream().write(chunk); // blocks once the server stops reading
                }
            }
        } catch (IOException expectedOnRelease) {
            // release() closed them under us
        }
    }

    private void burst(InetSocketAddress to) throws Exception {
        try (Socket s = connect(to)) {
            byte[] big = new byte[config.burstBytes()];
            new SplittableRandom(seed).nextBytes(big);
            big[0] = 2;
            expected.addAndGet(big.length);
            Thread w = start("burst-writer", () -> s.getOutputStream().write(big));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            long got = 0;
            try {
                while (got < big.length) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, big.length - got));
                    if (n < 0) {
                        failures.add("burst: closed after " + got);
                        lost.incrementAndGet();
                        return;
                    }
                    if (!Arrays.equals(buf, 0, n, big, (int) got, (int) got + n)) {
                        failures.add("burst: wrong bytes after " + got);
                        lost.incrementAndGet();
                        return;
                    }
                    got += n;
                }
            } catch (SocketTimeoutException e) {
                failures.add("burst: stalled after " + got);
                stalls.incrementAndGet();
                return;
            }
            w.join();
            verified.addAndGet(got);
            count("burst of " + (big.length >> 20) + " MiB");
        }
    }

    private void churn(InetSocketAddress to) throws IOException {
        for (int i = 0; i < config.churn(); i++) {
            connect(to).close();
        }
        count("open/close churn x" + config.churn());
    }

    private void throwers(InetSocketAddress to) throws IOException {
        for (int i = 0; i < config.throwers(); i++) {
            try (Socket s = connect(to)) {
                s.getOutputStream().write(ChaosServer.THROW);
                if (s.getInputStream().read() != -1) {
                    failures.add("thrower: the connection stayed open");
                }
            } catch (SocketTimeoutException e) {
                failures.add("thrower: not closed within " + config.stallBound());
                stalls.incrementAndGet();
            }
            count("throwing callback");
        }
    }

    /** Slowloris: connect and send nothing, or half a request; the idle timeout must close them. */
    private void slowloris(InetSocketAddress to) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < config.slowloris(); i++) {
                Socket s = connect(to);
                sockets.add(s);
                if (i % 2 == 1) {
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
            }
            long bound = config.idleTimeout().toMillis() * 2 + config.stallBound().toMillis();
            for (Socket s : sockets) {
                s.setSoTimeout((int) bound);
                InputStream in = s.getInputStream();
                try {
                    while (in.read() != -1) {
                        // the echo of half a request
                    }
                } catch (SocketTimeoutException e) {
                    failures.add("slowloris: not closed within " + bound + " ms (idle timeout " + config.idleTimeout() + ")");
                    continue;
                } catch (IOException reset) {
                    // closed with unread bytes: a reset is a close too
                }
                count("slowloris");
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Sends a byte every fifth of the idle timeout for 2.5 timeouts: the timeout must spare it. */
    private void trickler(InetSocketAddress to) throws Exception {
        long every = Math.max(1, config.idleTimeout().toMillis() / 5);
        int bytes = 13;
        expected.addAndGet(bytes);
        try (Socket s = connect(to)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < bytes; i++) {
                out.write(i);
                int back = in.read();
                if (back != i) {
                    failures.add("trickler: got " + back + " for byte " + i + " (closed by the idle timeout?)");
                    lost.incrementAndGet();
                    return;
                }
                verified.incrementAndGet();
                Thread.sleep(every);
            }
        } catch (IOException e) {
            failures.add("trickler: " + e);
            lost.incrementAndGet();
            return;
        }
        count("trickler spared");
    }

    private void timers(long timerSeed) {
        SplittableRandom r = new SplittableRandom(timerSeed);
        List<Timer> live = new ArrayList<>();
        for (int i = 0; i < config.timersEach(); i++) {
            live.add(server.torque().timer(Duration.ofNanos(r.nextInt(2_000_000)), r.nextBoolean() ? Duration.ofMillis(1) : null,
                    x -> timerRuns.incrementAndGet()));
            if (live.size() > 50) {
                live.remove(r.nextInt(live.size())).cancel();
            }
        }
        live.forEach(Timer::cancel);
        count("timer churn x" + config.timersEach());
    }

    private void blasterPinger() throws InterruptedException {
        if (config.blasters() == 0) {
            return;
        }
        BlasterPinger.Result r = BlasterPinger.run(server.sink(), server.open(), config.blasters(), BLAST_DURATION);
        if (r.failure() != null) {
            failures.add("blaster-pinger: " + r.failure());
            lost.incrementAndGet();
        } else if (r.worstRttNanos() > config.pingBound().toNanos()) {
            failures.add("blaster-pinger: the pinger's worst round trip beside " + config.blasters() + " blasters was "
                    + r.worstRttNanos() / 1_000_000 + " ms (bound " + config.pingBound().toMillis() + " ms)");
            stalls.incrementAndGet();
        }
        pingWorstMicros = r.worstRttNanos() / 1000;
        count("blaster beside pinger");
    }

    // ---------------------------------------------------------------- helpers

    private Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket(to.getAddress(), to.getPort());
        s.setSoTimeout((int) config.stallBound().toMillis());
        return s;
    }

    private void count(String kind) {
        faults.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private interface Body {
        void run() throws Exception;
    }

    private Thread start(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                failures.add(name + ": " + e);
            }
        }, "chaos-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
