package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Listener;
import io.torque.testkit.Echo;
import io.torque.testkit.EchoClients;

class EchoIntegrityTest {

    @Test
    void everyByteComesBackInOrderFor1000ConnectionsOf1MiB() throws Exception {
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
            EchoClients.Result r = EchoClients.run(l.localAddress(), 1000, 1 << 20, 64 * 1024, 42, 240_000);
            assertThat(r.errors()).isEmpty();
            assertThat(r.timedOut()).isFalse();
            assertThat(r.bytesVerified()).isEqualTo(1000L << 20);
        }
    }

    @Test
    void ipv6Loopback() throws Exception {
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("::1", 0), c -> new Echo());
            EchoClients.Result r = EchoClients.run(l.localAddress(), 20, 100_000, 4096, 7, 60_000);
            assertThat(r.errors()).isEmpty();
            assertThat(r.bytesVerified()).isEqualTo(20L * 100_000);
        }
    }
}
