package io.torque.core.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.torque.core.Torque;

/** UDP sockets: echo with every byte checked, truncation, sends from any thread, connect, SO_REUSEPORT, multicast. */
class UdpTest {
    /** Echoes each datagram to its sender, from the callback. */
    private static final class Echo implements DatagramHandler {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger truncated = new AtomicInteger();

        @Override
        public void onDatagram(DatagramSocket socket, ByteBuffer data, InetSocketAddress sender) {
            threads.add(Thread.currentThread().getName());
            socket.send(data, sender);
        }

        @Override
        public void onTruncated(DatagramSocket socket, InetSocketAddress sender, int limit) {
            truncated.incrementAndGet();
            socket.send(ByteBuffer.wrap(("too big for " + limit).getBytes()), sender);
        }
    }

    private static ByteBuffer receive(DatagramChannel ch) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(65536);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ch.receive(in) == null) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no datagram within 10 s");
            }
            Thread.sleep(1);
        }
        return in.flip();
    }

    @Test
    void echoesEveryDatagramWithEveryByte() throws Exception {
        try (Torque torque = Torque.builder().loopCount(2).build();
                DatagramChannel client = DatagramChannel.open()) {
            DatagramSocket server = torque.bind(new InetSocketAddress("127.0.0.1", 0), DatagramOptions.DEFAULT, new Echo());
            client.configureBlocking(false);
            client.bind(new InetSocketAddress("127.0.0.1", 0));
            SplittableRandom rnd = new SplittableRandom(9);
            long sent = 0;
            for (int i = 0; i < 500; i++) {
                byte[] payload = new byte[i == 0 ? 0 : i == 1 ? DatagramOptions.MAX_DATAGRAM : 1 + rnd.nextInt(9000)];
                rnd.nextBytes(payload);
                client.send(ByteBuffer.wrap(payload), server.localAddress());
                sent += payload.length;
                ByteBuffer back = receive(client);
                byte[] got = new byte[back.remaining()];
                back.get(got);
                assertThat(got).as("datagram %d", i).isEqualTo(payload);
            }
            assertThat(server.droppedDatagrams()).isZero();
            // the loops' counters count datagrams as they count stream bytes
            assertThat(torque.stats().stream().mapToLong(io.torque.core.dispatch.LoopStats::bytesRead).sum()).isEqualTo(sent);
            assertThat(torque.stats().stream().mapToLong(io.torque.core.dispatch.LoopStats::bytesWritten).sum()).isEqualTo(sent);
        }
    }

    @Test
    void aDatagramLargerThanTheLimitIsReportedNotCut() throws Exception {
        Echo echo = new Echo();
        try (Torque torque = Torque.builder().loopCount(1).build();
                DatagramChannel client = DatagramChannel.open()) {
            DatagramSocket server = torque.bind(new InetSocketAddress("127.0.0.1", 0), DatagramOptions.DEFAULT.withMaxDatagramBytes(100), echo);
            client.configureBlocking(false);
            client.send(ByteBuffer.wrap(new byte[100]), server.localAddress());
            assertThat(receive(client).remaining()).isEqualTo(100); // at the limit: delivered whole
            client.send(ByteBuffer.wrap(new byte[101]), server.localAddress());
            ByteBuffer note = receive(client);
            assertThat(new String(note.array(), 0, note.limit())).isEqualTo("too big for 100");
            assertThat(echo.truncated.get()).isEqualTo(1);
            assertThatThrownBy(() -> server.send(ByteBuffer.allocate(101), new InetSocketAddress("127.0.0.1", 9)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger than the socket's limit of 100");
        }
    }

    @Test
    void sendsFromAnyThreadConnectAndClose() throws Exception {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(2).build();
                DatagramChannel peer = DatagramChannel.open()) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            peer.configureBlocking(false);
            DatagramSocket s = torque.bind(new InetSocketAddress("127.0.0.1", 0), DatagramOptions.DEFAULT, new DatagramHandler() {
                @Override
                public void onDatagram(DatagramSocket socket, ByteBuffer data, InetSocketAddress sender) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    got.add(new String(b));
                }

                @Override
                public void onClose(DatagramSocket socket, Throwable cause) {
                    closed.complete(cause);
                }
            });
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalAddress();
            for (int i = 0; i < 100; i++) {
                s.send(ByteBuffer.wrap(("off-loop " + i).getBytes()), peerAddress); // this thread: copied, handed over
            }
            for (int i = 0; i < 100; i++) {
                ByteBuffer b = receive(peer);
                assertThat(new String(b.array(), 0, b.limit())).isEqualTo("off-loop " + i); // in order
            }
            s.connect(peerAddress);
            s.send(ByteBuffer.wrap("connected".getBytes()));
            assertThat(new String(receive(peer).array()).trim()).startsWith("connected");
            peer.send(ByteBuffer.wrap("from the peer".getBytes()), s.localAddress());
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("from the peer");
            s.close();
            assertThat(closed.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(s.isOpen()).isFalse();
            s.send(ByteBuffer.wrap("late".getBytes()), peerAddress);
            assertThat(s.droppedDatagrams()).isEqualTo(1);
        }
    }

    @Test
    void reusePortSpreadsSendersOverTheLoops() throws Exception {
        Echo echo = new Echo();
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            DatagramSocket group = torque.bind(new InetSocketAddress("127.0.0.1", 0), DatagramOptions.DEFAULT.withReusePort(true), echo);
            for (int i = 0; i < 64; i++) {
                try (DatagramChannel c = DatagramChannel.open()) {
                    c.configureBlocking(false);
                    c.send(ByteBuffer.wrap(new byte[] {(byte) i}), group.localAddress());
                    assertThat(receive(c).get(0)).isEqualTo((byte) i);
                }
            }
            assertThat(echo.threads).as("64 senders hashed over two sockets").hasSize(2);
            group.close();
            assertThat(group.isOpen()).isFalse();
        }
    }

    /** The groups /proc/net/igmp lists under lo. */
    private static String igmpGroupsOfLo() throws Exception {
        StringBuilder groups = new StringBuilder();
        boolean inLo = false;
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/igmp"))) {
            if (!line.startsWith("\t") && !line.startsWith(" ")) {
                inLo = line.matches("^\\d+\\s+lo\\s.*");
            } else if (inLo) {
                groups.append(line.trim().split("\\s+")[0]).append(' ');
            }
        }
        return groups.toString();
    }

    @Test
    void joinsAndLeavesAMulticastGroupOnLoopback() throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        Assumptions.assumeTrue(lo != null, "no lo here");
        InetAddress group = InetAddress.getByName("239.255.42.99");
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (Torque torque = Torque.builder().loopCount(1).build();
                DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
            DatagramSocket s = torque.bind(new InetSocketAddress("0.0.0.0", 0), DatagramOptions.DEFAULT,
                    (socket, data, from) -> got.add(new String(data.array(), data.position(), data.remaining())));
            s.joinGroup(group, lo);
            // the kernel lists the membership under lo: 239.255.42.99 as the little-endian hex /proc shows
            assertThat(igmpGroupsOfLo()).contains("632AFFEF");
            if (lo.supportsMulticast()) { // delivery needs lo's MULTICAST flag, which not every machine sets
                sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
                sender.send(ByteBuffer.wrap("to the group".getBytes()), new InetSocketAddress(group, s.localAddress().getPort()));
                assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("to the group");
            }
            s.leaveGroup(group, lo);
            assertThat(igmpGroupsOfLo()).doesNotContain("632AFFEF");
            assertThatThrownBy(() -> s.joinGroup(InetAddress.getByName("10.0.0.1"), lo)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
