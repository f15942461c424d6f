package io.torque.bench.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import io.torque.core.Torque;
import io.torque.testkit.ChaosConfig;
import io.torque.testkit.ChaosMix;
import io.torque.testkit.ChaosReport;
import io.torque.testkit.ChaosServer;
import io.torque.testkit.ProcessProbe;
import io.torque.topology.cli.TorqueVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code torque-soak --minutes M [--seed N]}: the chaos mix of the CI test, round after round
 * against one long-lived server for M minutes, then {@code close()} in the middle of a last round.
 * After each round it waits for the server to have no connection left and prints a line with the
 * round's figures, RSS, open fds and the latency probe's p99, so growth shows. It ends with one
 * line, {@code soak: seconds=S connections=N bytes_verified=B lost=L stalls=T faults=F
 * fds_leaked=X threads_leaked=Y max_rss_mb=R}, and exits 1 when anything was lost, stalled or
 * leaked, or any other invariant of the chaos test broke (each is printed before that line).
 */
@Command(name = "torque-soak", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class,
        showDefaultValues = true,
        description = "Runs the chaos mix against one torque server for M minutes and reports what grew.")
public final class Soak implements Callable<Integer> {
    @Option(names = "--minutes", required = true, description = "How long to run (a fraction is fine: 0.5).")
    double minutes;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the first round; each round derives its own.")
    long seed;

    @Option(names = "--dispatch", defaultValue = "PARETO", description = "The server's dispatch policy: PARETO, STATIC, STEAL, STEAL_POLL or STEAL_EPOLL.")
    io.torque.core.dispatch.DispatchPolicy dispatch;

    @Option(names = "--idle-timeout-ms", defaultValue = "1000",
            description = "Idle timeout of the listener the slowloris peers attack.")
    long idleTimeoutMillis;

    private final List<String> problems = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0) || minutes > 24 * 60) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--minutes must be in (0, 1440]: " + minutes);
        }
        if (idleTimeoutMillis < 10) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--idle-timeout-ms must be at least 10");
        }
        ChaosConfig config = ChaosConfig.ci().withIdleTimeout(Duration.ofMillis(idleTimeoutMillis));

        Torque.builder().loopCount(2).dispatch(dispatch).build().close(); // native libraries hold fds for good (the policy's too)
        ProcessProbe.warmUpJdkSockets();
        long fdsBefore = ProcessProbe.openFds();
        long threadsBefore = ProcessProbe.torqueThreads();
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        SplittableRandom seeds = new SplittableRandom(seed);
        ChaosServer server = new ChaosServer(config.idleTimeout(), 2, dispatch);
        if (io.torque.testkit.TestCertificates.opensslAvailable()) { // TLS peers too, on a certificate made now
            java.nio.file.Path certs = java.nio.file.Files.createTempDirectory("torque-soak-tls");
            io.torque.bench.Stats.deleteOnExit(certs);
            io.torque.testkit.TestCertificates.Pair cert = io.torque.testkit.TestCertificates.create(certs).issue("localhost", "localhost");
            server.listenTls(io.torque.core.tls.TlsConfig.server().certificate(cert.certificate(), cert.key())
                    .handshakeTimeout(java.time.Duration.ofSeconds(1)).build());
        } else {
            System.out.println("soak: no openssl command: no TLS peers");
        }
        Totals totals = new Totals();
        long fdsIdle = -1;
        System.out.printf("soak: %.1f minutes, seed %d, 2 loops, %s, idle timeout %d ms; one line per round%n", minutes, seed,
                dispatch, idleTimeoutMillis);
        System.out.println("round seconds connections bytes_verified faults lost stalls rss_mb heap_mb fds live probe_p50_us probe_p99_us probe_max_us ping_worst_us");
        int round = 0;
        while (true) {
            round++;
            long roundSeed = seeds.nextLong();
            ChaosMix mix = new ChaosMix(server, config, roundSeed);
            ChaosReport r = mix.run();
            long rssKiB = ProcessProbe.rssKiB(); // at the round's peak: every peer but the never-readers just done
            totals.add(r, rssKiB);
            boolean last = System.nanoTime() >= end;
            if (last) {
                // close() in the middle of it, the never-readers still stalled with full queues
                server.close();
                if (!server.torque().awaitTermination(Duration.ofSeconds(30))) {
                    problems.add("close() did not finish within 30 s");
                }
                mix.release();
            } else {
                mix.release();
                awaitNoConnections(server, round);
            }
            long heapMiB = ProcessProbe.heapBytesAfterGc() >> 20;
            totals.heap(heapMiB);
            long fds = fdsIdle < 0 || last ? ProcessProbe.openFds() : settledFds(fdsIdle);
            if (fdsIdle < 0) {
                fdsIdle = fds;
            } else if (!last && fds != fdsIdle) {
                problems.add("round " + round + ": " + fds + " fds open between rounds, " + fdsIdle + " after round 1");
            }
            for (String f : r.failures()) {
                problems.add("round " + round + " (seed " + r.seed() + "): " + f);
            }
            System.out.printf("%d %.0f %d %d %d %d %d %d %d %d %d %d %d %d %d%n", round, (System.nanoTime() - start) / 1e9,
                    server.opened(), r.bytesVerified(), r.faultCount(), r.lost(), r.stalls(), rssKiB / 1024, heapMiB, fds,
                    server.opened() - server.closed(), r.probeMicros()[0], r.probeMicros()[1], r.probeMicros()[2],
                    r.pingWorstMicros());
            if (last) {
                break;
            }
        }
        checkServer(server, round);
        long fdsLeaked = ProcessProbe.openFds() - fdsBefore;
        long threadsLeaked = ProcessProbe.torqueThreads() - threadsBefore;
        totals.printGrowth();
        problems.forEach(p -> System.out.println("problem: " + p));
        System.out.printf("soak: seconds=%.0f connections=%d bytes_verified=%d lost=%d stalls=%d faults=%d fds_leaked=%d "
                + "threads_leaked=%d max_rss_mb=%d%n", (System.nanoTime() - start) / 1e9, server.opened(), totals.verified,
                totals.lost, totals.stalls, totals.faults, fdsLeaked, threadsLeaked, totals.maxRssKiB / 1024);
        boolean bad = totals.lost > 0 || totals.stalls > 0 || fdsLeaked != 0 || threadsLeaked != 0 || !problems.isEmpty();
        return bad ? 1 : 0;
    }

    /**
     * The open fd count once it settles at {@code expected}, or what it is after 2 s. A peer's
     * connection can still sit in the listener's accept queue when the round ends, unknown to
     * the server's counters; it is accepted and closed a moment later. A leak stays.
     */
    private static long settledFds(long expected) throws java.io.IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long fds = ProcessProbe.openFds();
        while (fds != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
            fds = ProcessProbe.openFds();
        }
        return fds;
    }

    /** Between rounds every connection must close: the never-readers once released, the rest already. */
    private void awaitNoConnections(ChaosServer server, int round) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.opened() != server.closed() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (server.opened() != server.closed()) {
            problems.add("round " + round + ": " + (server.opened() - server.closed()) + " connections still open 10 s after the round");
        }
    }

    /** The chaos test's invariants on the server's counters. */
    private void checkServer(ChaosServer server, int rounds) {
        if (server.secondCloses() != 0) {
            problems.add(server.secondCloses() + " onClose calls beyond the first");
        }
        if (server.closed() != server.opened()) {
            problems.add((server.opened() - server.closed()) + " connections without onClose after close()");
        }
        if (server.maxQueued() > server.queueBound()) {
            problems.add("a write queue reached " + server.maxQueued() + " bytes, above the bound " + server.queueBound());
        }
        if (server.thrown() != server.throwsReported()) {
            problems.add(server.thrown() + " callbacks threw but " + server.throwsReported() + " reached the error handler");
        }
        server.unexpectedErrors().forEach(e -> problems.add("error handler saw: " + e));
    }

    /** Sums over rounds, and the first and last minute's RSS and probe p99 to show growth. */
    private static final class Totals {
        long verified;
        long lost;
        long stalls;
        long faults;
        long maxRssKiB;
        final List<long[]> samples = new ArrayList<>(); // {nanoTime, rssKiB, probe p99, heap MiB after GC}

        void add(ChaosReport r, long rssKiB) {
            verified += r.bytesVerified();
            lost += r.lost();
            stalls += r.stalls();
            faults += r.faultCount();
            maxRssKiB = Math.max(maxRssKiB, rssKiB);
            samples.add(new long[] {System.nanoTime(), rssKiB, r.probeMicros()[1], 0});
        }

        void heap(long mib) {
            samples.get(samples.size() - 1)[3] = mib;
        }

        void printGrowth() {
            if (samples.size() < 4) {
                return;
            }
            int quarter = samples.size() / 4;
            int n = samples.size();
            System.out.printf("growth (medians of the first and last quarter, %d rounds each): rss_mb %d -> %d, "
                    + "heap_mb after GC %d -> %d, probe p99 us %d -> %d%n", quarter, median(0, quarter, 1) / 1024,
                    median(n - quarter, n, 1) / 1024, median(0, quarter, 3), median(n - quarter, n, 3), median(0, quarter, 2),
                    median(n - quarter, n, 2));
        }

        private long median(int from, int to, int field) {
            long[] v = samples.subList(from, to).stream().mapToLong(s -> s[field]).sorted().toArray();
            return v[v.length / 2];
        }
    }

    /** Entry point. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Soak());
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            ex.printStackTrace();
            System.err.println("torque-soak: " + ex);
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("torque-soak: " + ex.getMessage() + " (try --help)");
            return 2;
        });
        System.exit(cl.execute(args));
    }
}
