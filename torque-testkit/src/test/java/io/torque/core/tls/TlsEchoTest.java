package io.torque.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.testkit.Echo;
import io.torque.testkit.TestCertificates;

class TlsEchoTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCertificates.Pair server;

    @BeforeAll
    static void certificates() throws Exception {
        TestPki pki = TestPki.create(dir);
        certs = pki.ca();
        server = pki.localhost();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void torqueClientAndServerEchoEveryByte(TlsProvider provider) throws Exception {
        echoEveryByte(provider, io.torque.core.dispatch.DispatchPolicy.PARETO);
    }

    /**
     * Under STEAL_POLL connections read through their loop's steal set, and the outbound
     * connect's outcome and the writes that wait for room come through Netty's set alone: the same
     * TLS echo, both ends in one such context.
     */
    @ParameterizedTest
    @EnumSource(value = io.torque.core.dispatch.DispatchPolicy.class, names = {"STEAL_POLL", "STEAL_EPOLL"})
    void underStealPollTooEveryByteComesBack(io.torque.core.dispatch.DispatchPolicy policy) throws Exception {
        echoEveryByte(TlsProvider.OPENSSL, policy);
    }

    private static void echoEveryByte(TlsProvider provider, io.torque.core.dispatch.DispatchPolicy policy) throws Exception {
        TlsConfig serverTls = TlsConfig.server().certificate(server.certificate(), server.key()).provider(provider)
                .applicationProtocols("h2", "http/1.1").build();
        TlsConfig clientTls = TlsConfig.client().trust(certs.ca()).provider(provider).applicationProtocols("http/1.1").build();
        assertThat(serverTls.provider()).isEqualTo(provider);
        try (Torque torque = Torque.builder().loopCount(2).dispatch(policy).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT.withTls(serverTls), c -> new Echo());
            StreamClient client = new StreamClient(7, 3 << 20);
            InetSocketAddress to = new InetSocketAddress("localhost", l.localAddress().getPort());
            Connection c = torque.connect(to, client, Duration.ofSeconds(5), clientTls).get(10, TimeUnit.SECONDS);
            assertThat(c.tls()).isNotNull();
            assertThat(c.tls().protocol()).isEqualTo("TLSv1.3");
            assertThat(c.tls().applicationProtocol()).isEqualTo("http/1.1");
            assertThat(c.tls().serverName()).isEqualTo("localhost");
            assertThat(c.tls().peerCertificates()).isNotEmpty();
            assertThat(client.done.get(20, TimeUnit.SECONDS)).isEqualTo(3L << 20);
            assertThat(client.closed.get(10, TimeUnit.SECONDS)).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void opensslSClientGetsItsLinesBack(TlsProvider provider) throws Exception {
        TlsConfig serverTls = TlsConfig.server().certificate(server.certificate(), server.key()).provider(provider).build();
        try (TlsServerFixture s = new TlsServerFixture(serverTls);
                OpensslClient peer = new OpensslClient(s.port(), certs.ca(), "-quiet")) {
            peer.send("first line\n");
            assertThat(peer.await("first line\n")).contains("first line\n");
            peer.send("second line\n");
            assertThat(peer.await("second line\n")).contains("first line\nsecond line\n");
            assertThat(s.infos.poll(10, TimeUnit.SECONDS).protocol()).isEqualTo("TLSv1.3");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void torqueClientAgainstANettyTlsServer(TlsProvider provider) throws Exception {
        try (NettyTlsEcho netty = new NettyTlsEcho(server, provider);
                Torque torque = Torque.builder().loopCount(1).build()) {
            StreamClient client = new StreamClient(11, 2 << 20);
            Connection c = torque.connect(new InetSocketAddress("localhost", netty.port()), client, Duration.ofSeconds(5),
                    TlsConfig.client().trust(certs.ca()).provider(provider).build()).get(10, TimeUnit.SECONDS);
            assertThat(c.tls().protocol()).isEqualTo("TLSv1.3");
            assertThat(client.done.get(20, TimeUnit.SECONDS)).isEqualTo(2L << 20);
            assertThat(client.closed.get(10, TimeUnit.SECONDS)).isNull(); // Netty answered our close_notify
        }
    }

    @Test
    void overAUnixSocket() throws Exception {
        TlsConfig serverTls = TlsConfig.server().certificate(server.certificate(), server.key()).build();
        java.net.UnixDomainSocketAddress path = java.net.UnixDomainSocketAddress.of(dir.resolve("tls.sock"));
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            torque.listen(path, ListenOptions.DEFAULT.withTls(serverTls), c -> new Echo());
            StreamClient client = new StreamClient(5, 1 << 20);
            Connection c = torque.connect(path, client, Duration.ofSeconds(5),
                    TlsConfig.client().trust(certs.ca()).serverName("localhost").build()).get(10, TimeUnit.SECONDS);
            assertThat(c.tls().serverName()).isEqualTo("localhost"); // a path names no host: the configured name is checked
            assertThat(c.peerCredentials().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(client.done.get(20, TimeUnit.SECONDS)).isEqualTo(1L << 20);
        }
    }

    @Test
    void everyByteOf1000ConnectionsOf256KiBComesBack() throws Exception {
        TlsConfig serverTls = TlsConfig.server().certificate(server.certificate(), server.key()).build();
        TlsConfig clientTls = TlsConfig.client().trust(certs.ca()).build();
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT.withTls(serverTls), c -> new Echo());
            InetSocketAddress to = new InetSocketAddress("localhost", l.localAddress().getPort());
            long verified = 0;
            for (int batch = 0; batch < 4; batch++) { // 250 at a time: the clients share the machine's two CPUs
                List<StreamClient> clients = new ArrayList<>();
                for (int i = 0; i < 250; i++) {
                    StreamClient sc = new StreamClient(batch * 1000L + i, 256 << 10);
                    clients.add(sc);
                    torque.connect(to, sc, Duration.ofSeconds(10), clientTls);
                }
                for (StreamClient sc : clients) {
                    verified += sc.done.get(120, TimeUnit.SECONDS);
                    assertThat(sc.closed.get(10, TimeUnit.SECONDS)).isNull();
                }
            }
            assertThat(verified).isEqualTo(1000L * (256 << 10));
        }
    }
}
