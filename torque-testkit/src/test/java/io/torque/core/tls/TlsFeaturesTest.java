package io.torque.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.TestCertificates;

/** SNI, ALPN, client authentication, key stores, close_notify, and early writes, on both providers. */
class TlsFeaturesTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCertificates.Pair localhost;
    static TestCertificates.Pair other;
    static TestCertificates.Pair client;

    @BeforeAll
    static void certificates() throws Exception {
        TestPki pki = TestPki.create(dir);
        certs = pki.ca();
        localhost = pki.localhost();
        other = certs.issue("other.test", "other.test", "*.other.test");
        client = certs.issue("torque client");
    }

    private static String subject(Connection c) {
        return ((X509Certificate) c.tls().peerCertificates().get(0)).getSubjectX500Principal().getName();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void sniChoosesTheCertificateByHostName(TlsProvider provider) throws Exception {
        TlsConfig serverTls = TlsConfig.server().certificate(localhost.certificate(), localhost.key())
                .sniCertificate("other.test", other.certificate(), other.key())
                .sniCertificate("*.other.test", other.certificate(), other.key()).provider(provider).build();
        try (TlsServerFixture s = new TlsServerFixture(serverTls)) {
            InetSocketAddress to = new InetSocketAddress("localhost", s.port());
            for (String[] ask : new String[][] {{"other.test", "CN=other.test"}, {"www.other.test", "CN=other.test"},
                    {"localhost", "CN=localhost"}}) {
                StreamClient sc = new StreamClient(3, 1000);
                Connection c = s.torque.connect(to, sc, Duration.ofSeconds(5),
                        TlsConfig.client().trust(certs.ca()).serverName(ask[0]).provider(provider).build()).get(10, TimeUnit.SECONDS);
                assertThat(subject(c)).isEqualTo(ask[1]);
                assertThat(c.tls().serverName()).isEqualTo(ask[0]);
                assertThat(sc.done.get(10, TimeUnit.SECONDS)).isEqualTo(1000L);
                // what the server saw: clients send no SNI for a name without a dot (the JDK's rule, and Netty's)
                assertThat(s.infos.poll(10, TimeUnit.SECONDS).serverName()).isEqualTo(ask[0].contains(".") ? ask[0] : null);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void alpnPicksTheServersFirstChoiceTheClientOffers(TlsProvider provider) throws Exception {
        TlsConfig serverTls = TlsConfig.server().certificate(localhost.certificate(), localhost.key())
                .applicationProtocols("h2", "http/1.1").provider(provider).build();
        try (TlsServerFixture s = new TlsServerFixture(serverTls)) {
            StreamClient sc = new StreamClient(4, 100);
            Connection c = s.torque.connect(new InetSocketAddress("localhost", s.port()), sc, Duration.ofSeconds(5),
                    TlsConfig.client().trust(certs.ca()).applicationProtocols("http/1.1", "h2").provider(provider).build())
                    .get(10, TimeUnit.SECONDS);
            assertThat(c.tls().applicationProtocol()).isEqualTo("h2");
            sc.done.get(10, TimeUnit.SECONDS);
            assertThat(s.infos.poll(10, TimeUnit.SECONDS).applicationProtocol()).isEqualTo("h2");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void requiredClientAuthenticationRefusesAClientWithoutACertificate(TlsProvider provider) throws Exception {
        TlsConfig serverTls = TlsConfig.server().certificate(localhost.certificate(), localhost.key())
                .clientAuth(ClientAuth.REQUIRE, certs.ca()).provider(provider).build();
        try (TlsServerFixture s = new TlsServerFixture(serverTls)) {
            InetSocketAddress to = new InetSocketAddress("localhost", s.port());
            StreamClient with = new StreamClient(5, 5000);
            s.torque.connect(to, with, Duration.ofSeconds(5), TlsConfig.client().trust(certs.ca())
                    .certificate(client.certificate(), client.key()).provider(provider).build()).get(10, TimeUnit.SECONDS);
            assertThat(with.done.get(10, TimeUnit.SECONDS)).isEqualTo(5000L);
            TlsInfo seen = s.infos.poll(10, TimeUnit.SECONDS);
            assertThat(((X509Certificate) seen.peerCertificates().get(0)).getSubjectX500Principal().getName())
                    .isEqualTo("CN=torque client");
            assertThat(s.nextClose()).isSameAs(TlsServerFixture.GRACEFUL);

            StreamClient without = new StreamClient(6, 5000);
            CompletableFuture<Connection> f = s.torque.connect(to, without, Duration.ofSeconds(5),
                    TlsConfig.client().trust(certs.ca()).provider(provider).build());
            // TLS 1.3: the client finishes first and learns of the refusal from the server's alert
            Throwable outcome = without.closed.get(10, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(javax.net.ssl.SSLException.class);
            assertThat(s.nextClose()).isInstanceOf(javax.net.ssl.SSLException.class);
            assertThat(without.done).isCompletedExceptionally();
            assertThat(f.isDone()).isTrue();
        }
    }

    @Test
    void aKeyStoreServesItsEntriesByAlias() throws Exception {
        Path p12 = dir.resolve("keys.p12");
        Process p = new ProcessBuilder("openssl", "pkcs12", "-export", "-in", other.certificate().toString(), "-inkey",
                other.key().toString(), "-name", "other.test", "-out", p12.toString(), "-passout", "pass:secret")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        TlsConfig serverTls = TlsConfig.server().keyStore(p12, "secret".toCharArray()).build();
        try (TlsServerFixture s = new TlsServerFixture(serverTls)) {
            StreamClient sc = new StreamClient(8, 100);
            Connection c = s.torque.connect(new InetSocketAddress("localhost", s.port()), sc, Duration.ofSeconds(5),
                    TlsConfig.client().trust(certs.ca()).serverName("other.test").build()).get(10, TimeUnit.SECONDS);
            assertThat(subject(c)).isEqualTo("CN=other.test");
            sc.done.get(10, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> TlsConfig.server().keyStore(p12, "wrong".toCharArray()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(p12.toString());
    }

    /** Records how the server side of each connection ended and what arrived. */
    private static final class Recorder implements ConnectionHandler {
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        final CompletableFuture<Void> peerShutdown = new CompletableFuture<>();
        final CompletableFuture<Void> firstRead = new CompletableFuture<>();
        final StringBuilder got = new StringBuilder();
        final String greeting;

        Recorder(String greeting) {
            this.greeting = greeting;
        }

        @Override
        public void onOpen(Connection c) {
            if (greeting != null) {
                c.write(greeting.getBytes(StandardCharsets.US_ASCII)); // before the handshake finished
            }
        }

        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            byte[] b = new byte[in.readableBytes()];
            in.copyTo(0, b, 0, b.length);
            in.consumeAll();
            got.append(new String(b, StandardCharsets.US_ASCII));
            firstRead.complete(null);
            return Next.CONTINUE;
        }

        @Override
        public Next onPeerShutdown(Connection c) {
            peerShutdown.complete(null);
            return Next.CLOSE;
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            closed.complete(cause);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void closeSendsCloseNotifyAndAbortDoesNot(TlsProvider provider) throws Exception {
        TlsConfig serverTls = TlsConfig.server().certificate(localhost.certificate(), localhost.key()).provider(provider).build();
        TlsConfig clientTls = TlsConfig.client().trust(certs.ca()).provider(provider).build();
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            List<Recorder> servers = new ArrayList<>();
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT.withTls(serverTls), c -> {
                Recorder r = new Recorder("hello before the handshake\n");
                synchronized (servers) {
                    servers.add(r);
                }
                return r;
            });
            InetSocketAddress to = new InetSocketAddress("localhost", l.localAddress().getPort());

            Recorder graceful = new Recorder(null);
            Connection c1 = torque.connect(to, graceful, Duration.ofSeconds(5), clientTls).get(10, TimeUnit.SECONDS);
            graceful.firstRead.get(10, TimeUnit.SECONDS); // the greeting, sent once the handshake was done
            c1.write("bye".getBytes(StandardCharsets.US_ASCII));
            c1.close();
            assertThat(graceful.closed.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(graceful.got.toString()).isEqualTo("hello before the handshake\n");
            Recorder s1 = waitFor(servers, 0);
            s1.peerShutdown.get(10, TimeUnit.SECONDS); // close_notify read as the end of the stream
            assertThat(s1.closed.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(s1.got.toString()).isEqualTo("bye");

            Recorder aborted = new Recorder(null);
            Connection c2 = torque.connect(to, aborted, Duration.ofSeconds(5), clientTls).get(10, TimeUnit.SECONDS);
            Recorder s2 = waitFor(servers, 1);
            c2.abort();
            Throwable cause = s2.closed.get(10, TimeUnit.SECONDS);
            assertThat(cause).isNotNull(); // a reset, with no close_notify before it
            assertThat(s2.peerShutdown).isNotDone();
        }
    }

    private static Recorder waitFor(List<Recorder> list, int index) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            synchronized (list) {
                if (list.size() > index) {
                    return list.get(index);
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no connection " + index);
    }

    @Test
    void aServerConfigurationCannotConnectAndAClientOneCannotListen() throws Exception {
        TlsConfig serverTls = TlsConfig.server().certificate(localhost.certificate(), localhost.key()).build();
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            assertThatThrownBy(() -> torque.connect(new InetSocketAddress("127.0.0.1", 1), new StreamClient(1, 1),
                    Duration.ofSeconds(1), serverTls)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(serverTls.isServer()).isTrue();
        assertThat(serverTls.handshakeTimeout()).isEqualTo(TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT);
        assertThat(serverTls.provider()).isIn(TlsProvider.OPENSSL, TlsProvider.JDK);
    }

}
