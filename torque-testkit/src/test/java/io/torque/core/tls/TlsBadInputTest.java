package io.torque.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.torque.core.Torque;
import io.torque.testkit.TestCertificates;

/**
 * Each kind of bad TLS input closes its own connection with a cause that says what happened, and
 * a connection opened before it keeps being served.
 */
class TlsBadInputTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCertificates.Pair server;
    static TestPki pki;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir);
        certs = pki.ca();
        server = pki.localhost();
    }

    private static TlsConfig serverTls(TlsProvider provider) {
        return TlsConfig.server().certificate(server.certificate(), server.key()).provider(provider)
                .handshakeTimeout(Duration.ofMillis(500)).build();
    }

    private static TlsConfig clientTls(TlsProvider provider) {
        return TlsConfig.client().trust(certs.ca()).provider(provider).build();
    }

    /** A well-behaved TLS echo connection, opened first and checked after the bad input. */
    private static final class Bystander implements AutoCloseable {
        final StreamClient client = new StreamClient(99, 64 << 10);

        Bystander(TlsServerFixture s, TlsProvider provider) {
            this.client.holdUntilRelease();
            s.torque.connect(new InetSocketAddress("localhost", s.port()), client, Duration.ofSeconds(5), clientTls(provider));
        }

        void stillServed() throws Exception {
            client.release();
            assertThat(client.done.get(10, TimeUnit.SECONDS)).isEqualTo(64L << 10);
        }

        @Override
        public void close() {
        }
    }

    private static byte[] readAll(Socket s) throws Exception {
        s.setSoTimeout(10_000);
        try (InputStream in = s.getInputStream()) {
            return in.readAllBytes();
        } catch (java.net.SocketException reset) {
            return new byte[0];
        }
    }

    /** What a bad peer does to a raw socket connected to the server. */
    private interface RawPeer {
        void act(Socket raw) throws Exception;
    }

    /**
     * Runs {@code peer} against a TLS echo server with a good connection beside it; the bad
     * connection closes with {@code type} (and {@code message}), and the good one is still served.
     */
    private static void badPeerCloses(TlsProvider provider, RawPeer peer, Class<? extends Throwable> type, String message)
            throws Exception {
        try (TlsServerFixture s = new TlsServerFixture(serverTls(provider))) {
            Bystander ok = new Bystander(s, provider);
            try (Socket raw = new Socket("127.0.0.1", s.port())) {
                peer.act(raw);
                Throwable cause = s.nextClose();
                assertThat(cause).isInstanceOf(type);
                if (message != null) {
                    assertThat(cause).hasMessageContaining(message);
                }
            }
            ok.stillServed();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void plaintextToATlsPortClosesThatConnection(TlsProvider provider) throws Exception {
        badPeerCloses(provider, raw -> {
            raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            readAll(raw); // the server closes (after an alert, where the engine made one)
        }, SSLException.class, null);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void garbageClosesThatConnection(TlsProvider provider) throws Exception {
        byte[] junk = new byte[2000];
        new SplittableRandom(5).nextBytes(junk);
        junk[0] = 0x16; // looks like a handshake record at first
        junk[1] = 0x03;
        junk[2] = 0x01;
        badPeerCloses(provider, raw -> {
            raw.getOutputStream().write(junk);
            readAll(raw);
        }, SSLException.class, null);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void truncatedHandshakeClosesThatConnection(TlsProvider provider) throws Exception {
        byte[] hello = pki.clientHello();
        badPeerCloses(provider, raw -> {
            raw.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
            raw.shutdownOutput(); // and nothing more
            readAll(raw);
        }, SSLHandshakeException.class, "before the TLS handshake finished");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void aClientThatNeverFinishesTheHandshakeIsClosedAtTheTimeout(TlsProvider provider) throws Exception {
        byte[] hello = pki.clientHello();
        badPeerCloses(provider, raw -> raw.getOutputStream().write(Arrays.copyOf(hello, 10)), // a start, then silence
                SSLHandshakeException.class, "did not finish within 500 ms");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void aPeerClosingWithoutCloseNotifyIsReported(TlsProvider provider) throws Exception {
        badPeerCloses(provider, plain -> {
            SSLSocket tls = (SSLSocket) pki.jdkClient().getSocketFactory().createSocket(plain, "localhost", plain.getPort(), false);
            tls.startHandshake();
            OutputStream out = tls.getOutputStream();
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] back = tls.getInputStream().readNBytes(4);
            assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("ping");
            plain.shutdownOutput(); // a FIN without close_notify
            readAll(plain);
        }, SSLException.class, "without a TLS close_notify");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void renegotiationIsRefused(TlsProvider provider) throws Exception {
        try (TlsServerFixture s = new TlsServerFixture(serverTls(provider));
                OpensslClient peer = new OpensslClient(s.port(), certs.ca(), "-tls1_2")) {
            Bystander ok = new Bystander(s, provider);
            peer.send("hello\n");
            assertThat(peer.await("hello\n")).contains("hello");
            peer.send("R\n"); // s_client's command: renegotiate
            String out = peer.awaitExit();
            assertThat(peer.alive()).as("s_client output: %s", out).isFalse();
            assertThat(s.nextClose()).isInstanceOf(SSLException.class);
            ok.stillServed();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void clientRefusesAWrongHostAnExpiredAndAnUntrustedCertificate(TlsProvider provider) throws Exception {
        TestCertificates.Pair expired = certs.issueExpired("localhost", "localhost", "IP:127.0.0.1");
        TestCertificates other = TestCertificates.create(Files.createDirectory(dir.resolve("other-" + provider)));
        TestCertificates.Pair untrusted = other.issue("localhost", "localhost", "IP:127.0.0.1");
        try (TlsServerFixture good = new TlsServerFixture(serverTls(provider));
                TlsServerFixture old = new TlsServerFixture(TlsConfig.server().certificate(expired.certificate(), expired.key())
                        .provider(provider).build());
                TlsServerFixture stranger = new TlsServerFixture(TlsConfig.server()
                        .certificate(untrusted.certificate(), untrusted.key()).provider(provider).build())) {
            Bystander ok = new Bystander(good, provider);
            Torque t = good.torque;
            TlsConfig wrongName = TlsConfig.client().trust(certs.ca()).serverName("wrong.example").provider(provider).build();
            assertConnectFails(t, good.port(), wrongName, "wrong.example");
            assertConnectFails(t, old.port(), clientTls(provider), null);
            assertConnectFails(t, stranger.port(), clientTls(provider), null);
            ok.stillServed();
        }
    }

    private static void assertConnectFails(Torque t, int port, TlsConfig tls, String message) throws Exception {
        StreamClient handler = new StreamClient(1, 10);
        var f = t.connect(new InetSocketAddress("localhost", port), handler, Duration.ofSeconds(5), tls);
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SSLException.class).satisfies(e -> {
                    if (message != null) {
                        assertThat(stackMessages(e)).contains(message);
                    }
                });
        assertThat(handler.closed.get(10, TimeUnit.SECONDS)).isInstanceOf(SSLException.class); // onOpen ran: onClose too
    }

    private static String stackMessages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append(" / ");
        }
        return b.toString();
    }

    @Test
    void missingUnreadableOrInvalidFilesFailAtOnceNamingTheFile() throws Exception {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> TlsConfig.server().certificate(server.certificate(), missing).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        Path notPem = Files.writeString(dir.resolve("junk.pem"), "not a key\n");
        assertThatThrownBy(() -> TlsConfig.server().certificate(server.certificate(), notPem).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(notPem.toString());
        assertThatThrownBy(() -> TlsConfig.server().certificate(notPem, server.key()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(notPem.toString());
        assertThatThrownBy(() -> TlsConfig.client().trust(missing).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> TlsConfig.server().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a certificate");
        assertThatThrownBy(() -> TlsConfig.server().protocols("TLSv1.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLSv1.1");
        assertThatThrownBy(() -> io.torque.core.net.ListenOptions.DEFAULT.withTls(clientTls(TlsProvider.JDK)))
                .isInstanceOf(IllegalArgumentException.class);
    }


}
