package io.torque.bench.servers;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.torque.examples.netty.CumulatingHandler;
import io.torque.examples.netty.NettyServer;

/**
 * The Netty 4.2 peer's handler ({@link NettyServer} runs it): an idiomatic inbound handler that
 * frames fixed-size requests from a cumulation buffer, does the work, and writes each reply back.
 */
final class NettyEchoServer {
    private NettyEchoServer() {
    }

    /** A server with this handler on each connection, on epoll; TLS first in the pipeline when {@code tls} is not null. */
    static NettyServer start(InetSocketAddress bind, int loops, int requestBytes, long workNanos, io.netty.handler.ssl.SslContext tls)
            throws InterruptedException {
        return new NettyServer(bind, loops, () -> new Echo(requestBytes, workNanos), tls);
    }

    /**
     * The same on Netty 4.2's io_uring transport.
     *
     * @throws IllegalStateException if the kernel refuses io_uring, saying why
     */
    static NettyServer startIoUring(InetSocketAddress bind, int loops, int requestBytes, long workNanos)
            throws InterruptedException {
        if (!io.netty.channel.uring.IoUring.isAvailable()) {
            throw new IllegalStateException("io_uring is unavailable here: " + io.netty.channel.uring.IoUring.unavailabilityCause());
        }
        return new NettyServer(bind, loops, () -> new Echo(requestBytes, workNanos), io.netty.channel.uring.IoUringIoHandler.newFactory(),
                io.netty.channel.uring.IoUringServerSocketChannel.class);
    }

    private static final class Echo extends CumulatingHandler {
        private final int requestBytes;
        private final long workNanos;

        Echo(int requestBytes, long workNanos) {
            this.requestBytes = requestBytes;
            this.workNanos = workNanos;
        }

        @Override
        protected void onBytes(ChannelHandlerContext ctx, ByteBuf bytes) {
            boolean wrote = false;
            while (bytes.readableBytes() >= requestBytes) {
                Work.spin(workNanos);
                ctx.write(bytes.readRetainedSlice(requestBytes));
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }
    }
}
