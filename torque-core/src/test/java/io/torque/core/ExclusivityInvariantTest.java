package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * Counts, per connection, the callbacks running at the same moment: never more than one, and
 * every callback runs on the same loop thread for the connection's life.
 */
class ExclusivityInvariantTest {

    @Test
    void noConnectionCallbackEverRunsOnTwoThreadsAtOnce() throws Exception {
        AtomicInteger maxConcurrent = new AtomicInteger();
        AtomicInteger threadChanges = new AtomicInteger();
        Map<Connection, AtomicInteger> inside = new ConcurrentHashMap<>();
        Map<Connection, Thread> home = new ConcurrentHashMap<>();
        try (Torque torque = Torque.builder().loopCount(2).spin(java.time.Duration.ZERO).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), conn -> new ConnectionHandler() {
                private void enter(Connection c) {
                    int now = inside.computeIfAbsent(c, k -> new AtomicInteger()).incrementAndGet();
                    maxConcurrent.accumulateAndGet(now, Math::max);
                    Thread prev = home.putIfAbsent(c, Thread.currentThread());
                    if (prev != null && prev != Thread.currentThread()) {
                        threadChanges.incrementAndGet();
                    }
                    Thread.onSpinWait();
                }

                private void exit(Connection c) {
                    inside.get(c).decrementAndGet();
                }

                @Override
                public void onOpen(Connection c) {
                    enter(c);
                    exit(c);
                }

                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    enter(c);
                    try {
                        c.write(in.bytes());
                        in.consumeAll();
                        return Next.CONTINUE;
                    } finally {
                        exit(c);
                    }
                }

                @Override
                public void onClose(Connection c, Throwable cause) {
                    enter(c);
                    exit(c);
                }
            });
            EchoClients.Result r = EchoClients.run(l.localAddress(), 200, 256 * 1024, 16 * 1024, 11, 120_000);
            assertThat(r.errors()).isEmpty();
            assertThat(r.bytesVerified()).isEqualTo(200L * 256 * 1024);
        }
        assertThat(maxConcurrent.get()).isEqualTo(1);
        assertThat(threadChanges.get()).isZero();
        assertThat(inside).hasSize(200);
    }
}
