package io.torque.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
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
        certs = TestCertificates.create(dir);
        server = certs.issue("localhost", "localhost", "IP:127.0.0.1");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void torqueClientAndServerEchoEveryByte(TlsProvider provider) throws Exception {
        TlsConfig serverTls = TlsConfig.server().certificate(server.certificate(), server.key()).provider(provider)
                .applicationProtocols("h2", "http/1.1").build();
        TlsConfig clientTls = TlsConfig.client().trust(certs.ca()).provider(provider).applicationProtocols("http/1.1").build();
        assertThat(serverTls.provider()).isEqualTo(provider);
        try (Torque torque = Torque.builder().loopCount(2).build()) {
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
}
