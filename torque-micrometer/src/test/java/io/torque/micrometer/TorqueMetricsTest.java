package io.torque.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.torque.core.Torque;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;

/** The binder with a SimpleMeterRegistry: a known workload shows in the meters. */
class TorqueMetricsTest {
    @Test
    void anEchoShowsInTheMeters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            new TorqueMetrics(torque, Tags.of("context", "test")).bindTo(registry);
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> (conn, in) -> {
                conn.write(in.bytes());
                in.consumeAll();
                return Next.CONTINUE;
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().readNBytes(5)).hasSize(5);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (registry.get("torque.connections.closed").tag("cause", "graceful").functionCounter().count() < 1
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(registry.get("torque.bytes.read").tags("loop", "0", "context", "test").functionCounter().count())
                    .isEqualTo(5);
            assertThat(registry.get("torque.bytes.written").functionCounter().count()).isEqualTo(5);
            assertThat(registry.get("torque.connections.accepted").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("torque.connections.opened").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("torque.connections.moved.in").functionCounters()).hasSize(1)
                    .allSatisfy(m -> assertThat(m.count()).isZero()); // PARETO moves nothing home
            assertThat(registry.get("torque.connections.closed").tag("cause", "graceful").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("torque.connections.closed").tag("cause", "reset").functionCounter().count()).isZero();
            assertThat(registry.get("torque.busy").functionCounter().count()).isPositive();
            assertThat(registry.get("torque.handoffs").functionCounters()).hasSize(8);
            assertThat(registry.get("torque.sources.homed").gauge().value()).isGreaterThanOrEqualTo(0);
            assertThat(registry.get("torque.events.handled").functionCounter().count()).isPositive();
        }
    }
}
