package io.torque.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/** The churn load over plain TCP (TlsLoad with no TLS): every connection echoes once and closes; none fails. */
class ChurnLoadTest {
    @Test
    void plainChurnCountsEachConnectionThatEchoedOnce() throws Exception {
        try (Torque server = Torque.builder().loopCount(1).pin(false).build()) {
            Listener l = server.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT, c -> new ConnectionHandler() {
                @Override
                public Next onRead(Connection conn, ReadBuffer in) {
                    conn.write(in.bytes());
                    in.consumeAll();
                    return Next.CONTINUE;
                }
            });
            long opened0 = server.stats().get(0).opened();
            LoadClient.Result r = TlsLoad.churn(l.localAddress(), null, 4, 64, 0.1, 0.4);
            assertThat(r.errors()).isZero();
            assertThat(r.requests()).isPositive();
            assertThat(r.latencyMicros().getTotalCount()).isEqualTo(r.requests());
            // each counted request was a connection of its own: the server opened at least as many
            assertThat(server.stats().get(0).opened() - opened0).isGreaterThanOrEqualTo(r.requests());
        }
    }
}
