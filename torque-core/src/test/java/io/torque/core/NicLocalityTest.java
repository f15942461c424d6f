package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Next;
import io.torque.core.net.Listener;
import io.torque.core.net.ReadBuffer;
import io.torque.topology.Core;
import io.torque.topology.CpuPackage;
import io.torque.topology.CpuSet;
import io.torque.topology.IoDevice;
import io.torque.topology.NumaNode;
import io.torque.topology.Topology;
import io.torque.topology.TopologyBuilder;

/**
 * A listener that asks for NIC locality homes its connections (and, with SO_REUSEPORT, its
 * sockets) on the loops near the NIC that owns its address; with nothing known, on every loop.
 * The machine is made up (two nodes of two CPUs, loops unpinned) and says the loopback interface
 * sits on node 1, since this VM has one node and no NIC on PCI near anything.
 */
class NicLocalityTest {
    private static Topology twoNodes(IoDevice... devices) {
        // "this system", so that its interfaces are looked up live; loops are never pinned (pin(false))
        TopologyBuilder b = Topology.builder().usableCpus(CpuSet.range(0, 3)).thisSystem(true);
        b.addPackage(new CpuPackage(0, CpuSet.of(0, 1))).addPackage(new CpuPackage(1, CpuSet.of(2, 3)));
        b.addNumaNode(new NumaNode(0, CpuSet.of(0, 1), 1 << 30, true, new int[] {10, 21}))
                .addNumaNode(new NumaNode(1, CpuSet.of(2, 3), 1 << 30, true, new int[] {21, 10}));
        for (int c = 0; c < 4; c++) {
            b.addCore(new Core(c / 2, c % 2, CpuSet.of(c)));
        }
        for (IoDevice d : devices) {
            b.addIoDevice(d);
        }
        return b.build();
    }

    /** Opens {@code n} connections one at a time; returns the loop index each was homed on. */
    private static List<Integer> loopsOf(Torque t, ListenOptions options, int n) throws Exception {
        Map<Integer, Integer> loopOf = new ConcurrentHashMap<>();
        Listener l = t.listen(new InetSocketAddress("127.0.0.1", 0), options, conn -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                loopOf.put(c.remoteAddress().getPort(), c.loopIndex());
            }

            @Override
            public Next onRead(Connection c, ReadBuffer in) {
                return Next.CONTINUE;
            }
        });
        List<Socket> clients = new ArrayList<>();
        List<Integer> loops = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket("127.0.0.1", l.localAddress().getPort());
                clients.add(s);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!loopOf.containsKey(s.getLocalPort()) && System.nanoTime() < deadline) {
                    Thread.sleep(1); // one at a time, so each placement sees the ones before
                }
                loops.add(loopOf.get(s.getLocalPort()));
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            l.close();
        }
        return loops;
    }

    @Test
    void connectionsGoToTheLoopsOnTheNicsLocalCpus() throws Exception {
        try (Torque t = Torque.builder().pin(false).topology(twoNodes(new IoDevice("net", "lo", null, 1, CpuSet.of(2, 3), -1))).build()) {
            List<Integer> near = loopsOf(t, ListenOptions.DEFAULT.withNicLocality(true), 8);
            assertThat(near).as("spread over the near loops only").containsOnly(2, 3).contains(2, 3);
        }
        try (Torque t = Torque.builder().pin(false).topology(twoNodes(new IoDevice("net", "lo", null, 1, CpuSet.of(2, 3), -1))).build()) {
            // without the option, placement uses every loop
            assertThat(loopsOf(t, ListenOptions.DEFAULT, 8)).containsOnly(0, 1, 2, 3);
        }
    }

    @Test
    void aNicWithANodeButNoLocalCpusUsesTheNodesCpus() throws Exception {
        try (Torque t = Torque.builder().pin(false).topology(twoNodes(new IoDevice("net", "lo", null, 0, CpuSet.EMPTY, -1))).build()) {
            assertThat(loopsOf(t, ListenOptions.DEFAULT.withNicLocality(true), 6)).containsOnly(0, 1);
        }
    }

    @Test
    void withReusePortOnlyTheNearLoopsListen() throws Exception {
        try (Torque t = Torque.builder().pin(false).topology(twoNodes(new IoDevice("net", "lo", null, 1, CpuSet.of(3), -1))).build()) {
            ListenOptions options = new ListenOptions(128, true).withNicLocality(true);
            assertThat(loopsOf(t, options, 6)).containsOnly(3);
        }
    }

    @Test
    void withNothingKnownEveryLoopServes() throws Exception {
        try (Torque t = Torque.builder().pin(false).topology(twoNodes()).build()) {
            assertThat(loopsOf(t, ListenOptions.DEFAULT.withNicLocality(true), 8)).containsOnly(0, 1, 2, 3);
        }
        Topology t = twoNodes(new IoDevice("net", "eth0", "0000:00:03.0", -1, CpuSet.EMPTY, 1000));
        List<io.torque.core.internal.loop.Loop> none = List.of();
        assertThat(NicLocality.of("eth0", t, none).why).contains("no NUMA node or local CPUs");
        assertThat(NicLocality.of("lo", t, none).why).contains("loopback or virtual");
        assertThat(NicLocality.of(new InetSocketAddress(0).getAddress(), t, none).why).contains("every interface");
        Topology snapshot = Topology.builder().usableCpus(CpuSet.range(0, 1)).thisSystem(false)
                .addIoDevice(new IoDevice("net", "lo", null, 0, CpuSet.of(1), -1)).build();
        assertThat(NicLocality.of(java.net.InetAddress.getLoopbackAddress(), snapshot, none).why).contains("not this machine's");
    }

    @Test
    void theOptionIsKeptByTheOtherWithersAndRefusedForUnixSockets() throws Exception {
        ListenOptions o = ListenOptions.DEFAULT.withNicLocality(true).withSettings(io.torque.core.net.ConnectionSettings.DEFAULT);
        assertThat(o.nicLocality()).isTrue();
        assertThat(ListenOptions.DEFAULT.nicLocality()).isFalse();
        try (Torque t = Torque.builder().pin(false).topology(twoNodes()).build()) {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("torque-nic");
            try {
                assertThatThrownBy(() -> t.listen(java.net.UnixDomainSocketAddress.of(dir.resolve("s")),
                        ListenOptions.DEFAULT.withNicLocality(true), c -> null))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NIC locality");
            } finally {
                java.nio.file.Files.deleteIfExists(dir.resolve("s"));
                java.nio.file.Files.delete(dir);
            }
        }
    }
}
