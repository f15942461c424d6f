package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.Listener;
import io.torque.topology.Core;
import io.torque.topology.CpuPackage;
import io.torque.topology.CpuSet;
import io.torque.topology.Topology;
import io.torque.topology.TopologyBuilder;
import io.torque.testkit.Echo;
import io.torque.testkit.EchoClients;
import io.torque.testkit.ProcessProbe;

/** Start, close, and what must be left behind: nothing. */
class LifecycleTest {

    /** Every policy: STEAL_POLL's loops also have an epoll set of their own each. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(io.torque.core.dispatch.DispatchPolicy.class)
    void twoHundredStartsAndClosesLeaveNoThreadAndNoFd(io.torque.core.dispatch.DispatchPolicy policy) throws Exception {
        // Warm up class loading and the native libraries (Netty's, JNA's), which hold fds of their own for good.
        Torque.builder().loopCount(2).dispatch(policy).build().close();
        long fdsBefore = ProcessProbe.openFds();
        for (int i = 0; i < 200; i++) {
            try (Torque t = Torque.builder().loopCount(2).dispatch(policy).build()) {
                if (i % 20 == 0) {
                    Listener l = t.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
                    try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                        s.getOutputStream().write(1);
                        assertThat(s.getInputStream().read()).isEqualTo(1);
                    }
                    t.timer(Duration.ofHours(1), null, x -> { });
                }
            }
        }
        assertThat(ProcessProbe.torqueThreads()).isZero();
        assertThat(ProcessProbe.openFds()).isEqualTo(fdsBefore);
    }

    @Test
    void closeUnderLoadRunsEveryCloseCallbackOnce() throws Exception {
        Map<Connection, AtomicInteger> closes = new ConcurrentHashMap<>();
        AtomicInteger opened = new AtomicInteger();
        Torque torque = Torque.builder().loopCount(2).build();
        Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), conn -> new Echo() {
            @Override
            public void onOpen(Connection c) {
                opened.incrementAndGet();
                closes.put(c, new AtomicInteger());
            }

            @Override
            public void onClose(Connection c, Throwable cause) {
                closes.get(c).incrementAndGet();
            }
        });
        List<Socket> clients = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Socket s = new Socket("127.0.0.1", l.localAddress().getPort());
            clients.add(s);
            Thread w = new Thread(() -> {
                byte[] chunk = new byte[16 * 1024];
                try {
                    while (true) {
                        s.getOutputStream().write(chunk);
                        s.getInputStream().readNBytes(chunk.length);
                    }
                } catch (IOException expected) {
                    // the server closed under us
                }
            });
            w.setDaemon(true);
            w.start();
            writers.add(w);
        }
        while (opened.get() < 50) {
            Thread.sleep(5);
        }
        Thread.sleep(200);
        torque.close();
        assertThat(torque.awaitTermination(Duration.ofSeconds(30))).isTrue();
        assertThat(closes).hasSize(50);
        assertThat(closes.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        for (Thread w : writers) {
            w.join(10_000);
            assertThat(w.isAlive()).isFalse();
        }
        for (Socket s : clients) {
            s.close();
        }
        assertThat(ProcessProbe.torqueThreads()).isZero();
    }

    @Test
    void loopsAreNamedAfterTheirCpusAndSnapshotLayoutsRunUnpinned() throws Exception {
        // A 16-CPU machine that is not this one: 2 packages x 4 cores x 2 threads.
        TopologyBuilder b = Topology.builder().usableCpus(CpuSet.range(0, 15)).thisSystem(false);
        b.addPackage(new CpuPackage(0, CpuSet.parseList("0-3,8-11"))).addPackage(new CpuPackage(1, CpuSet.parseList("4-7,12-15")));
        for (int c = 0; c < 8; c++) {
            b.addCore(new Core(c / 4, c % 4, CpuSet.of(c, c + 8)));
        }
        try (Torque t = Torque.builder().topology(b.build()).build()) {
            assertThat(t.loopCount()).isEqualTo(16);
            assertThat(t.loopThreadNames()).contains("torque-cpu0", "torque-cpu15");
            Listener l = t.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
            EchoClients.Result r = EchoClients.run(l.localAddress(), 64, 64 * 1024, 8192, 3, 60_000);
            assertThat(r.errors()).isEmpty();
            assertThat(r.bytesVerified()).isEqualTo(64L * 64 * 1024);
        }
        try (Torque t = Torque.builder().cpus(CpuSet.of(Topology.detect().usableCpus().last())).build()) {
            assertThat(t.loopCpus()).containsExactly(Topology.detect().usableCpus().last());
        }
    }

    @Test
    void builderRefusesBadInput() {
        assertThatThrownBy(() -> Torque.builder().loopCount(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Torque.builder().cpus(CpuSet.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Torque.builder().cpus(CpuSet.of(100_000)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not usable");
        assertThatThrownBy(() -> Torque.builder().loopCount(100_000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> Torque.builder().spin(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new io.torque.core.net.ConnectionSettings(1 << 20, 10, 20))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
