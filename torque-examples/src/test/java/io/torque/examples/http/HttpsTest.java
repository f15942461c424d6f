package io.torque.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.torque.core.Torque;
import io.torque.testkit.TestCertificates;
import picocli.CommandLine;

/** torque-http and its Netty twin with --tls-cert/--tls-key, as curl sees them. */
class HttpsTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCertificates.Pair server;

    @BeforeAll
    static void certificates() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestCertificates.opensslAvailable() && curlAvailable(),
                "openssl or curl is not installed: HTTPS tests skipped");
        certs = TestCertificates.create(dir);
        server = certs.issue("localhost", "localhost", "IP:127.0.0.1");
    }

    private static boolean curlAvailable() {
        try {
            Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String curl(int port) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--max-time", "10", "--cacert", certs.ca().toString(),
                "https://localhost:" + port + "/plaintext", "https://localhost:" + port + "/plaintext")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl said: %s", out).isZero();
        return out;
    }

    private static HttpServer parsed(String... args) {
        HttpServer s = new HttpServer();
        new CommandLine(s).parseArgs(args);
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"OPENSSL", "JDK"})
    void curlGetsPlaintextOverHttpsFromTorqueAndNetty(String provider) throws Exception {
        HttpServer options = parsed("--tls-cert", server.certificate().toString(), "--tls-key", server.key().toString(),
                "--tls-provider", provider);
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            HttpDate date = new HttpDate();
            int port = torque.listen(any, options.options.listenOptions(), c -> new TorquePlaintext(date)).localAddress().getPort();
            assertThat(curl(port)).isEqualTo("Hello, World!Hello, World!"); // two requests on one keep-alive connection
        }
        try (NettyPlaintext netty = new NettyPlaintext(any, 2, options.options.nettyTls())) {
            assertThat(curl(netty.localAddress().getPort())).isEqualTo("Hello, World!Hello, World!");
        }
    }

    @org.junit.jupiter.api.Test
    void badTlsOptionsAreOneLineErrors() {
        assertThatThrownBy(() -> parsed("--tls-cert", server.certificate().toString()).options.listenOptions())
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("go together");
        Path missing = dir.resolve("missing.key");
        assertThatThrownBy(() -> parsed("--tls-cert", server.certificate().toString(), "--tls-key", missing.toString())
                .options.listenOptions()).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(missing.toString());
        assertThat(parsed().options.listenOptions().tls()).isNull();
        assertThat(List.of(parsed().options.listenOptions().backlog())).containsExactly(1024);
    }
}
