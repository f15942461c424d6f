package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;


import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.LoopStats;
import io.torque.core.dispatch.Placement;
import io.torque.core.net.Listener;
import io.torque.testkit.Echo;
import io.torque.testkit.EchoClients;

/**
 * STEAL_POLL's steal sets through a connection's whole life, at a size that grows them: each
 * loop's table holds 192 connections before it grows (three quarters of its first chunk of 256),
 * so 600 connections on two loops grow both; a second wave after the first has closed reuses
 * the freed slots. Every byte must come back both times, and every connection must close.
 */
class StealPollSetTest {

    /** STEAL_EPOLL too: its connections may also move between the two loops' sets. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = DispatchPolicy.class, names = {"STEAL_POLL", "STEAL_EPOLL"})
    void setsGrowAndReuseTheirSlotsAndEveryByteComesBack(DispatchPolicy policy) throws Exception {
        LoopStats total;
        try (Torque torque = Torque.builder().loopCount(2).spin(java.time.Duration.ZERO).dispatch(policy)
                .placement(Placement.ROUND_ROBIN).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
            for (int wave = 0; wave < 2; wave++) {
                EchoClients.Result r = EchoClients.run(l.localAddress(), 600, 4 * 1024, 1024, 7 + wave, 120_000);
                assertThat(r.errors()).as("wave %d", wave).isEmpty();
                assertThat(r.timedOut()).as("wave %d: no connection stalls", wave).isFalse();
                assertThat(r.bytesVerified()).isEqualTo(600L * 4 * 1024);
                awaitClosed(torque, 600L * (wave + 1));
            }
            total = LoopStats.total(torque.stats());
        }
        assertThat(total.bytesRead()).isEqualTo(2 * 600L * 4 * 1024);
        assertThat(total.bytesWritten()).isEqualTo(2 * 600L * 4 * 1024);
    }

    /** Waits until the server has seen {@code n} connections close (the clients closed theirs). */
    private static void awaitClosed(Torque torque, long n) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (LoopStats.total(torque.stats()).closes().total() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("closed " + LoopStats.total(torque.stats()).closes() + " of " + n);
            }
            Thread.sleep(5);
        }
    }
}
