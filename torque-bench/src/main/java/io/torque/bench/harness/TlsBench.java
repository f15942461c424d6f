package io.torque.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

import io.torque.bench.load.LoadClient;
import io.torque.bench.load.TlsLoad;
import io.torque.core.tls.TlsConfig;
import io.torque.core.tls.TlsProvider;
import io.torque.testkit.TestCertificates;

/**
 * The tls-* scenarios: a certificate made for the run (the openssl command), the servers started
 * with it on one provider, and torque's TLS client as the load (the same client for every server).
 */
final class TlsBench {
    private final Path cert;
    private final Path key;
    private final TlsProvider provider;
    private final TlsConfig client;
    private Histogram lastLatency;

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

    TorqueBench.Row run(ServerProcess p, String server, int round, boolean churn, int connections, double duration) throws Exception {
        double cpu0 = p.cpuSeconds();
        LoadClient.Result res = churn ? TlsLoad.churn(p.address(), client, connections, 64, 0.5, duration)
                : TlsLoad.pingpong(p.address(), client, connections, 64, 0.5, duration);
        double cpu = p.cpuSeconds() - cpu0;
        Histogram h = res.latencyMicros();
        lastLatency = h;
        System.err.printf(Locale.ROOT, "%s round %d %-13s %9.0f %s p99 %5d us (%s)%n", churn ? "tls-handshake" : "tls-echo", round,
                server, res.throughput(), churn ? "handshakes/s" : "req/s", h.getValueAtPercentile(99), client.provider());
        return new TorqueBench.Row(server, round, res.throughput(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), res.errors(), cpu);
    }

    Histogram lastLatency() {
        return lastLatency;
    }
}
