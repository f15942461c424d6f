package io.torque.examples.http;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.torque.examples.netty.CumulatingHandler;
import io.torque.examples.netty.NettyServer;

/**
 * The same plaintext server on Netty 4.2 epoll, for comparison: the same {@link PlaintextSession}
 * in one inbound handler that cumulates bytes, writes the gathered responses and flushes once
 * per read batch.
 */
final class NettyPlaintext implements AutoCloseable {
    private final HttpDate date = new HttpDate();
    private final NettyServer server;

    NettyPlaintext(InetSocketAddress bind, int loops) throws InterruptedException {
        this(bind, loops, null);
    }

    NettyPlaintext(InetSocketAddress bind, int loops, io.netty.handler.ssl.SslContext tls) throws InterruptedException {
        server = new NettyServer(bind, loops, () -> new Handler(date), tls);
        server.boss().scheduleAtFixedRate(date::update, 1, 1, TimeUnit.SECONDS);
    }

    InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /** Returns once the server channel is closed. */
    void awaitClose() throws InterruptedException {
        server.awaitClose();
    }

    @Override
    public void close() {
        server.close();
    }

    private static final class Handler extends CumulatingHandler {
        private final PlaintextSession session;
        private ChannelHandlerContext ctx;

        Handler(HttpDate date) {
            session = new PlaintextSession(date, out -> ctx.write(ctx.alloc().directBuffer(out.remaining()).writeBytes(out)));
        }

        @Override
        protected void onBytes(ChannelHandlerContext ctx, ByteBuf in) {
            this.ctx = ctx;
            // one component: its own buffer; a composite (a request split over reads): merged
            ByteBuffer bytes = in.nioBufferCount() == 1 ? in.internalNioBuffer(in.readerIndex(), in.readableBytes())
                    : in.nioBuffer();
            in.skipBytes(session.answer(bytes, bytes.position(), bytes.limit()));
            ctx.flush();
            if (session.closing()) {
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
