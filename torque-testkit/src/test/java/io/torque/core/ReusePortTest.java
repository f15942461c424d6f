package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.testkit.Echo;

/**
 * A listener with SO_REUSEPORT is one socket per loop: the kernel spreads connections over the
 * loops, each accepting and homing its own, all on one port; closing it closes every socket.
 */
class ReusePortTest {

    @Test
    void everyLoopAcceptsItsShare() throws Exception {
        int clients = 64;
        Map<Integer, Integer> perLoop = new ConcurrentHashMap<>();
        CountDownLatch opened = new CountDownLatch(clients);
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), new ListenOptions(1024, true), c -> new Echo() {
                @Override
                public void onOpen(Connection c) {
                    perLoop.merge(c.loopIndex(), 1, Integer::sum);
                    opened.countDown();
                }
            });
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    Socket s = new Socket("127.0.0.1", l.localAddress().getPort());
                    s.setSoTimeout(10_000);
                    sockets.add(s);
                }
                assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
                for (Socket s : sockets) { // every connection served, whichever loop has it
                    s.getOutputStream().write(7);
                    assertThat(s.getInputStream().read()).isEqualTo(7);
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            // 64 connections from different ports, hashed over 2 sockets: all on one has odds 2^-63.
            assertThat(perLoop.keySet()).as("connections per loop: " + perLoop).containsExactlyInAnyOrder(0, 1);
            l.close();
            assertThat(refused(l.localAddress())).as("every socket of the group closed").isTrue();
        }
    }

    private static boolean refused(InetSocketAddress a) {
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
