package io.torque.bench.harness;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The loads of the sources benchmark, on one selector thread (the same for both servers): UDP
 * or Unix-socket ping-pong of 64-byte messages over {@code clients} closed loops, or file
 * downloads over {@code clients} connections that read to the end and reconnect. Returns
 * messages (or bytes) per second.
 */
final class SourceLoad {
    private static final int MESSAGE = 64;

    private SourceLoad() {
    }

    /** Echo round trips per second over {@code seconds}. */
    static double pingpong(SocketAddress server, boolean udp, int clients, double seconds) throws IOException {
        try (Selector sel = Selector.open()) {
            List<java.nio.channels.ByteChannel> chans = new ArrayList<>();
            ByteBuffer out = ByteBuffer.allocate(MESSAGE);
            for (int i = 0; i < clients; i++) {
                java.nio.channels.ByteChannel ch;
                if (udp) {
                    DatagramChannel d = DatagramChannel.open();
                    d.connect(server);
                    ch = d;
                } else {
                    SocketChannel s = SocketChannel.open(server instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX
                            : StandardProtocolFamily.INET);
                    s.connect(server);
                    ch = s;
                }
                ((java.nio.channels.SelectableChannel) ch).configureBlocking(false);
                ((java.nio.channels.SelectableChannel) ch).register(sel, SelectionKey.OP_READ, new int[1]);
                chans.add(ch);
                ch.write(out.clear());
            }
            ByteBuffer in = ByteBuffer.allocate(65536);
            long count = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                if (sel.select(100) == 0) {
                    continue;
                }
                for (SelectionKey k : sel.selectedKeys()) {
                    java.nio.channels.ByteChannel ch = (java.nio.channels.ByteChannel) k.channel();
                    int[] got = (int[]) k.attachment();
                    int n = ch.read(in.clear());
                    if (n <= 0) {
                        continue;
                    }
                    got[0] += n;
                    while (got[0] >= MESSAGE) {
                        got[0] -= MESSAGE;
                        count++;
                        ch.write(out.clear());
                    }
                }
                sel.selectedKeys().clear();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (java.nio.channels.ByteChannel ch : chans) {
                ch.close();
            }
            return count / elapsed;
        }
    }

    /** File bytes received per second over {@code seconds}, {@code clients} downloads at a time. */
    static double downloads(SocketAddress server, int clients, double seconds) throws IOException {
        try (Selector sel = Selector.open()) {
            for (int i = 0; i < clients; i++) {
                open(sel, server);
            }
            ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
            long bytes = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                if (sel.select(100) == 0) {
                    continue;
                }
                for (SelectionKey k : sel.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) k.channel();
                    int n = ch.read(in.clear());
                    if (n > 0) {
                        bytes += n;
                    } else if (n < 0) {
                        ch.close();
                        open(sel, server); // the next download
                    }
                }
                sel.selectedKeys().clear();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (SelectionKey k : sel.keys()) {
                k.channel().close();
            }
            return bytes / elapsed;
        }
    }

    private static void open(Selector sel, SocketAddress server) throws IOException {
        SocketChannel s = SocketChannel.open(server);
        s.configureBlocking(false);
        s.register(sel, SelectionKey.OP_READ);
    }
}
