package io.torque.bench.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The JDK NIO peer: one {@link Selector} per thread (as many as torque's loops); an acceptor
 * thread hands new connections round-robin. Per connection, a direct receive buffer frames
 * fixed-size requests and a pending-write queue holds what the socket did not take.
 */
final class NioEchoServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final List<Worker> workers = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean running = true;

    NioEchoServer(InetSocketAddress bind, int loops, int requestBytes, long workNanos) throws IOException {
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(bind, 1024);
        for (int i = 0; i < loops; i++) {
            Worker w = new Worker(requestBytes, workNanos, "nio-" + i);
            workers.add(w);
            w.start();
        }
        acceptor = new Thread(() -> {
            int next = 0;
            while (running) {
                try {
                    SocketChannel ch = server.accept();
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.configureBlocking(false);
                    workers.get(next++ % workers.size()).add(ch);
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "nio-acceptor");
        acceptor.start();
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        for (Worker w : workers) {
            w.shutdown();
        }
    }

    private static final class Conn {
        final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        final Queue<ByteBuffer> out = new ArrayDeque<>();
    }

    private static final class Worker extends Thread {
        private final Selector selector;
        private final Queue<SocketChannel> added = new ConcurrentLinkedQueue<>();
        private final int requestBytes;
        private final long workNanos;
        private volatile boolean running = true;

        Worker(int requestBytes, long workNanos, String name) throws IOException {
            super(name);
            this.selector = Selector.open();
            this.requestBytes = requestBytes;
            this.workNanos = workNanos;
        }

        void add(SocketChannel ch) {
            added.add(ch);
            selector.wakeup();
        }

        void shutdown() throws IOException {
            running = false;
            selector.wakeup();
            try {
                join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select();
                    for (SocketChannel ch = added.poll(); ch != null; ch = added.poll()) {
                        ch.register(selector, SelectionKey.OP_READ, new Conn());
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        try {
                            handle(key);
                        } catch (IOException e) {
                            key.cancel();
                            key.channel().close();
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                // shutting down
            }
        }

        private void handle(SelectionKey key) throws IOException {
            SocketChannel ch = (SocketChannel) key.channel();
            Conn c = (Conn) key.attachment();
            if (key.isWritable()) {
                flush(key, ch, c);
            }
            if (!key.isValid() || !key.isReadable()) {
                return;
            }
            int n = ch.read(c.in);
            if (n < 0) {
                key.cancel();
                ch.close();
                return;
            }
            c.in.flip();
            while (c.in.remaining() >= requestBytes) {
                Work.spin(workNanos);
                ByteBuffer reply = c.in.slice(c.in.position(), requestBytes);
                c.in.position(c.in.position() + requestBytes);
                if (c.out.isEmpty()) {
                    ch.write(reply);
                }
                if (reply.hasRemaining()) {
                    ByteBuffer copy = ByteBuffer.allocateDirect(reply.remaining()).put(reply).flip();
                    c.out.add(copy);
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
            }
            c.in.compact();
        }

        private void flush(SelectionKey key, SocketChannel ch, Conn c) throws IOException {
            while (!c.out.isEmpty()) {
                ByteBuffer b = c.out.peek();
                ch.write(b);
                if (b.hasRemaining()) {
                    return;
                }
                c.out.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
        }
    }
}
