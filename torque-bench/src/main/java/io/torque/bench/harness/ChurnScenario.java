package io.torque.bench.harness;

import java.util.Locale;

import io.torque.bench.load.LoadClient;
import io.torque.bench.load.TlsLoad;

/**
 * The {@code churn} scenario: plain TCP connection churn, accept-heavy load. {@code concurrency}
 * clients on {@code clientLoops} unpinned torque client loops each connect, echo one 64-byte
 * request and close, then start over; a row's rate is connections per second and its latency
 * runs from the connect to the echo. The client closes first, so its ports wait in TIME_WAIT
 * (loopback reuses them: {@code net.ipv4.tcp_tw_reuse} is 2 by default).
 */
final class ChurnScenario {
    private ChurnScenario() {
    }

    static TorqueBench.Row run(ServerProcess p, String server, int round, int concurrency, double seconds, int clientLoops)
            throws Exception {
        double cpu0 = p.cpuSeconds();
        LoadClient.Result res = TlsLoad.churn(p.address(), null, concurrency, 64, 0.5, seconds, clientLoops);
        double cpu = p.cpuSeconds() - cpu0;
        var h = res.latencyMicros();
        System.err.printf(Locale.ROOT, "churn round %d %-16s %9.0f connections/s p99 %5d us%n", round, server, res.throughput(),
                h.getValueAtPercentile(99));
        return new TorqueBench.Row(server, round, res.throughput(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), res.errors(), cpu);
    }
}
