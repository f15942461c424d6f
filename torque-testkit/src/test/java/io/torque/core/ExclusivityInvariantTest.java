package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.LoopStats;
import io.torque.core.dispatch.Placement;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.EchoClients;

/**
 * Counts, per connection, the callbacks running at the same moment: never more than one. Under
 * STATIC every callback of a connection runs on its home thread; under PARETO, with hand-offs
 * happening, callbacks move between threads but still never overlap, no byte is lost and no
 * connection stalls (the clients would time out).
 */
class ExclusivityInvariantTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @ParameterizedTest
    @EnumSource(DispatchPolicy.class)
    void noConnectionCallbackEverRunsOnTwoThreadsAtOnce(DispatchPolicy policy) throws Exception {
        check(policy, false);
    }

    /** Unix domain socket connections run the same ownership protocol: the same invariant. */
    @ParameterizedTest
    @EnumSource(DispatchPolicy.class)
    void norForUnixSocketConnections(DispatchPolicy policy) throws Exception {
        check(policy, true);
    }

    private void check(DispatchPolicy policy, boolean unix) throws Exception {
        AtomicInteger maxConcurrent = new AtomicInteger();
        AtomicInteger threadChanges = new AtomicInteger();
        Map<Connection, AtomicInteger> inside = new ConcurrentHashMap<>();
        Map<Connection, Thread> home = new ConcurrentHashMap<>();
        long handedOut;
        Torque ended;
        try (Torque torque = Torque.builder().loopCount(2).spin(java.time.Duration.ZERO).dispatch(policy)
                .placement(Placement.ROUND_ROBIN).build()) {
            java.util.function.Function<Connection, ConnectionHandler> handlers = conn -> new ConnectionHandler() {
                private void enter(Connection c) {
                    int now = inside.computeIfAbsent(c, k -> new AtomicInteger()).incrementAndGet();
                    maxConcurrent.accumulateAndGet(now, Math::max);
                    Thread prev = home.putIfAbsent(c, Thread.currentThread());
                    if (prev != null && prev != Thread.currentThread()) {
                        threadChanges.incrementAndGet();
                    }
                    for (int i = 0; i < 100; i++) {
                        Thread.onSpinWait(); // widen the window in which an overlap would show
                    }
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
            };
            Listener l = unix ? torque.listen(java.net.UnixDomainSocketAddress.of(dir.resolve("x.sock")),
                    io.torque.core.net.ListenOptions.DEFAULT, handlers) : torque.listen(new InetSocketAddress("127.0.0.1", 0), handlers);
            EchoClients.Result r = EchoClients.run(l.address(), 200, 256 * 1024, 16 * 1024, 11, 120_000);
            assertThat(r.errors()).isEmpty();
            assertThat(r.timedOut()).as("no connection stalls").isFalse();
            assertThat(r.bytesVerified()).isEqualTo(200L * 256 * 1024);
            handedOut = torque.stats().stream().mapToLong(LoopStats::handedOut).sum();
            ended = torque;
        }
        // once the loops have ended the counters stand still: each given (PARETO) or taken
        // (STEAL, STEAL_POLL) source was counted once by distance, and every echoed byte both ways
        LoopStats total = LoopStats.total(ended.stats());
        long byDistance = total.handOffsByDistance().stream().mapToLong(Long::longValue).sum();
        assertThat(byDistance).isEqualTo(policy.steals() ? total.received() : total.handedOut());
        assertThat(total.bytesRead()).isEqualTo(200L * 256 * 1024);
        assertThat(total.bytesWritten()).isEqualTo(200L * 256 * 1024);
        assertThat(maxConcurrent.get()).isEqualTo(1);
        assertThat(inside).hasSize(200);
        if (policy == DispatchPolicy.STATIC) {
            assertThat(threadChanges.get()).isZero();
            assertThat(handedOut).isZero();
        } else {
            assertThat(handedOut).as("hand-offs happened, so the invariant was tested under them").isPositive();
        }
    }
}
