package io.torque.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;

import io.torque.bench.load.LoadClient;
import io.torque.bench.load.TlsLoad;
import io.torque.core.tls.TlsConfig;
import io.torque.core.tls.TlsProvider;
import io.torque.testkit.TestCertificates;

/**
 * The tls-* scenarios: a certificate made for the run (the openssl command), the servers started
 * with it on one provider, and torque's TLS client as the load (the same client for every server);
 * and {@code churn}, the same client's connection churn without TLS.
 */
final class TlsBench {
    private final Path cert;
    private final Path key;
    private final TlsProvider provider;
    private final TlsConfig client;

    private TlsBench(TestCertificates ca, TestCertificates.Pair pair, TlsProvider provider) {
        this.cert = pair.certificate();
        this.key = pair.key();
        this.provider = provider;
        this.client = TlsConfig.client().trust(ca.ca()).serverName("localhost").provider(provider).build();
    }

    static TlsBench create(TlsProvider provider) throws Exception {
        if (!TestCertificates.opensslAvailable()) {
            throw new IllegalStateException("the tls-* scenarios make their certificate with the openssl command, which is not installed");
        }
        Path dir = Files.createTempDirectory("torque-bench-tls");
        io.torque.bench.Stats.deleteOnExit(dir);
        TestCertificates ca = TestCertificates.create(dir);
        return new TlsBench(ca, ca.issue("localhost", "localhost", "IP:127.0.0.1"), provider);
    }

    /** What every server is started with. */
    List<String> serverArgs() {
        return List.of("--tls-cert", cert.toString(), "--tls-key", key.toString(), "--tls-provider", provider.name());
    }

    /**
     * One tls-echo or tls-handshake run against {@code p}.
     *
     * @param latency receives the run's latency histogram (the percentile chart)
     */
    TorqueBench.Row run(ServerProcess p, String server, int round, boolean churn, int connections, double duration,
            Consumer<Histogram> latency) throws Exception {
        return measure(p, server, round, churn ? "tls-handshake" : "tls-echo", churn ? "handshakes/s" : "req/s",
                " (" + client.provider() + ")", latency, () -> churn ? TlsLoad.churn(p.address(), client, connections, 64, 0.5, duration)
                        : TlsLoad.pingpong(p.address(), client, connections, 64, 0.5, duration));
    }

    /**
     * The {@code churn} scenario, one run: plain TCP connection churn, accept-heavy load, with no
     * TLS. {@code concurrency} clients on {@code clientLoops} unpinned torque client loops each
     * connect, echo one 64-byte request and close, then start over; the rate is connections per
     * second, the latency from the connect to the echo. The client closes first, so its ports
     * wait in TIME_WAIT (loopback reuses them: {@code net.ipv4.tcp_tw_reuse} is 2 by default).
     *
     * @param latency receives the run's latency histogram (the percentile chart)
     */
    static TorqueBench.Row churn(ServerProcess p, String server, int round, int concurrency, double seconds, int clientLoops,
            Consumer<Histogram> latency) throws Exception {
        return measure(p, server, round, "churn", "connections/s", "", latency,
                () -> TlsLoad.churn(p.address(), null, concurrency, 64, 0.5, seconds, clientLoops));
    }

    /** Runs {@code load} against {@code p}, prints a line and makes the row, with the server's CPU over the run. */
    private static TorqueBench.Row measure(ServerProcess p, String server, int round, String scenario, String unit, String note,
            Consumer<Histogram> latency, Callable<LoadClient.Result> load) throws Exception {
        double cpu0 = p.cpuSeconds();
        LoadClient.Result res = load.call();
        double cpu = p.cpuSeconds() - cpu0;
        Histogram h = res.latencyMicros();
        latency.accept(h);
        System.err.printf(Locale.ROOT, "%s round %d %-16s %9.0f %s p99 %5d us%s%n", scenario, round, server, res.throughput(), unit,
                h.getValueAtPercentile(99), note);
        return new TorqueBench.Row(server, round, res.throughput(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), res.errors(), cpu);
    }
}
