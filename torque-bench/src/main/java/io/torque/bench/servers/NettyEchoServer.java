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

    /** A server with this handler on each connection. */
    static NettyServer start(InetSocketAddress bind, int loops, int requestBytes, long workNanos) throws InterruptedException {
        return new NettyServer(bind, loops, () -> new Echo(requestBytes, workNanos));
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
