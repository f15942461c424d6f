package io.torque.core.dispatch;

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

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.topology.Core;
import io.torque.topology.CpuPackage;
import io.torque.topology.CpuSet;
import io.torque.topology.Topology;
import io.torque.topology.TopologyBuilder;

/** Pareto placement spaces new connections out: other package first, then every loop once. */
class PlacementTest {

    @Test
    void connectionsSpreadOverPackagesBeforeLoopsDoubleUp() throws Exception {
        // Not this machine: 2 packages x 2 cores, loops unpinned.
        TopologyBuilder b = Topology.builder().usableCpus(CpuSet.range(0, 3)).thisSystem(false);
        b.addPackage(new CpuPackage(0, CpuSet.of(0, 1))).addPackage(new CpuPackage(1, CpuSet.of(2, 3)));
        for (int c = 0; c < 4; c++) {
            b.addCore(new Core(c / 2, c % 2, CpuSet.of(c)));
        }
        for (int trial = 0; trial < 10; trial++) {
            Map<Integer, Integer> loopOf = new ConcurrentHashMap<>();
            CountDownLatch opened = new CountDownLatch(8);
            try (Torque t = Torque.builder().topology(b.build()).build()) {
                Listener l = t.listen(new InetSocketAddress("127.0.0.1", 0), conn -> new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        loopOf.put(c.remoteAddress().getPort(), c.loopIndex());
                        opened.countDown();
                    }

                    @Override
                    public Next onRead(Connection c, ReadBuffer in) {
                        return Next.CONTINUE;
                    }
                });
                List<Socket> clients = new ArrayList<>();
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket("127.0.0.1", l.localAddress().getPort());
                    clients.add(s);
                    order.add(s.getLocalPort());
                    while (!loopOf.containsKey(s.getLocalPort())) {
                        Thread.sleep(1); // one at a time, so each placement sees the ones before
                    }
                }
                assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
                int first = loopOf.get(order.get(0));
                int second = loopOf.get(order.get(1));
                assertThat(second / 2).as("trial %d: the second connection goes to the other package", trial)
                        .isNotEqualTo(first / 2);
                assertThat(order.subList(0, 4).stream().map(loopOf::get).distinct().count())
                        .as("trial %d: four connections, four loops", trial).isEqualTo(4);
                assertThat(order.stream().map(loopOf::get).distinct().count()).isEqualTo(4);
                for (int loop = 0; loop < 4; loop++) {
                    int l0 = loop;
                    assertThat(loopOf.values().stream().filter(v -> v == l0).count()).as("loop %d gets 2 of 8", loop).isEqualTo(2);
                }
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    /**
     * Loops on CPUs 0 and 3 of a 4-package machine: the second loop's package is the fourth of
     * the topology. Placement counted homed connections per package in an array sized by the
     * loop count, so every accept threw ArrayIndexOutOfBounds and left its socket open.
     */
    @Test
    void placementWorksWhenTheLoopsSitOnLaterPackagesThanTheirCount() throws Exception {
        TopologyBuilder b = Topology.builder().usableCpus(CpuSet.range(0, 3)).thisSystem(false);
        for (int c = 0; c < 4; c++) {
            b.addPackage(new CpuPackage(c, CpuSet.of(c))).addCore(new Core(c, 0, CpuSet.of(c)));
        }
        try (Torque t = Torque.builder().topology(b.build()).cpus(CpuSet.of(0, 3)).build()) {
            Listener l = t.listen(new InetSocketAddress("127.0.0.1", 0), conn -> new ConnectionHandler() {
                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    c.write(in.bytes());
                    in.consumeAll();
                    return Next.CONTINUE;
                }
            });
            for (int i = 0; i < 4; i++) {
                try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                    s.setSoTimeout(5_000);
                    s.getOutputStream().write(i);
                    assertThat(s.getInputStream().read()).as("connection %d echoed", i).isEqualTo(i);
                }
            }
        }
    }
}
