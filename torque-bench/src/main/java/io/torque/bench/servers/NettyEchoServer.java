package io.torque.bench.servers;

import java.net.InetSocketAddress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

/**
 * The Netty 4.2 peer: a {@link MultiThreadIoEventLoopGroup} of {@link EpollIoHandler} loops (as
 * many as torque's), an idiomatic pipeline with one inbound handler that frames fixed-size
 * requests from a cumulation buffer, does the work, and writes each reply back.
 */
final class NettyEchoServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;

    NettyEchoServer(InetSocketAddress bind, int loops, int requestBytes, long workNanos) throws InterruptedException {
        boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
        server = new ServerBootstrap().group(boss, workers).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Echo(requestBytes, workNanos));
                    }
                }).bind(bind).sync().channel();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Echo extends ChannelInboundHandlerAdapter {
        private final int requestBytes;
        private final long workNanos;
        private ByteBuf cumulation;

        Echo(int requestBytes, long workNanos) {
            this.requestBytes = requestBytes;
            this.workNanos = workNanos;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (cumulation == null) {
                cumulation = in;
            } else {
                cumulation = ctx.alloc().compositeBuffer().addComponents(true, cumulation, in);
            }
            boolean wrote = false;
            while (cumulation.readableBytes() >= requestBytes) {
                Work.spin(workNanos);
                ctx.write(cumulation.readRetainedSlice(requestBytes));
                wrote = true;
            }
            if (!cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            }
            if (wrote) {
                ctx.flush();
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (cumulation != null) {
                cumulation.release();
                cumulation = null;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
