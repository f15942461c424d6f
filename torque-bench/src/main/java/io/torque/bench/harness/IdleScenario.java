package io.torque.bench.harness;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.torque.bench.load.LoadClient;
import io.torque.testkit.ProcessProbe;

/**
 * The {@code idle} scenario, per server: its RSS and heap (after a full collection), then
 * pingpong on the active connections; then {@code idle} connections that send nothing (from
 * several 127.0.0.x addresses), the RSS and heap again, and pingpong again with them open. Each
 * row carries the memory per idle connection and the p99 without idle connections next to the
 * figures with them.
 */
final class IdleScenario {
    private IdleScenario() {
    }

    static TorqueBench.Row run(ServerProcess p, String server, int round, int idle, int active, double seconds, double rate)
            throws IOException, InterruptedException {
        boolean[] hot = new boolean[active];
        java.util.Arrays.fill(hot, true);
        long fds0 = ProcessProbe.openFds(p.pid()); // before any connection: closes lag behind clients
        long rss0 = p.rssBytes();
        long heap0 = p.heapBytesAfterGc();
        LoadClient.Result quiet = LoadClient.run(p.address(), active, hot, 64, 0, 0.5, seconds, rate);
        try (IdleConnections idleConns = new IdleConnections(p.address(), idle)) {
            IdleConnections.awaitFds(p.pid(), fds0 + idle, Duration.ofSeconds(60).toMillis());
            long heap1 = p.heapBytesAfterGc();
            long rss1 = p.rssBytes();
            double cpu0 = p.cpuSeconds();
            LoadClient.Result busy = LoadClient.run(p.address(), active, hot, 64, 0, 0.5, seconds, rate);
            double cpu = p.cpuSeconds() - cpu0;
            var h = busy.latencyMicros();
            long p99Quiet = quiet.latencyMicros().getValueAtPercentile(99);
            System.err.printf(Locale.ROOT, "idle round %d %-13s %,d idle: rss +%.0f B/conn heap +%.0f B/conn; p99 %d us (0 idle: %d us)%n",
                    round, server, idle, (double) (rss1 - rss0) / idle, (double) (heap1 - heap0) / idle,
                    h.getValueAtPercentile(99), p99Quiet);
            return new TorqueBench.Row(server, round, busy.throughput(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), busy.errors() + quiet.errors(), cpu, (double) (rss1 - rss0) / idle,
                    (double) (heap1 - heap0) / idle, p99Quiet, Double.NaN);
        }
    }

    /** The servers' columns of the idle table. */
    static String table(List<TorqueBench.Row> rows, List<String> servers, int idle) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s %12s %13s %10s %12s %12s %9s %7s%n", "server",
                "rss B/conn", "heap B/conn", "req/s", "p99 us", "p99 0 idle", "p99 ratio", "errors"));
        for (String s : servers) {
            double p99 = TorqueBench.median(rows, s, TorqueBench.Row::p99);
            double quiet = TorqueBench.median(rows, s, TorqueBench.Row::p99NoIdle);
            sb.append(String.format(Locale.ROOT, "%-14s %12.0f %13.0f %10.0f %12.0f %12.0f %8.2fx %7d%n", s,
                    TorqueBench.median(rows, s, TorqueBench.Row::rssPerConnection),
                    TorqueBench.median(rows, s, TorqueBench.Row::heapPerConnection),
                    TorqueBench.median(rows, s, TorqueBench.Row::throughput), p99, quiet, p99 / quiet,
                    rows.stream().filter(r -> r.server().equals(s)).mapToLong(TorqueBench.Row::errors).sum()));
        }
        return sb.append(String.format(Locale.ROOT, "(%,d idle connections; p99 ratio: p99 with them over p99 without)%n", idle))
                .toString();
    }
}
