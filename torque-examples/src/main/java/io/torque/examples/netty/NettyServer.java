package io.torque.examples.netty;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

/**
 * A Netty 4.2 server as the benchmarks and examples run it: one boss loop accepting, a
 * {@link MultiThreadIoEventLoopGroup} of loops serving (as many as torque's), TCP_NODELAY,
 * backlog 1024, and one handler per connection from {@code handlers}. The transport is epoll by
 * default; the benchmarks also run it on io_uring ({@link #NettyServer(InetSocketAddress, int,
 * Supplier, IoHandlerFactory, Class)}).
 */
public final class NettyServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;

    /** Binds and starts serving on epoll. */
    public NettyServer(InetSocketAddress bind, int loops, Supplier<ChannelHandler> handlers) throws InterruptedException {
        this(bind, loops, handlers, EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }

    /** Binds and starts serving on the given transport (its I/O handler and server channel class). */
    public NettyServer(InetSocketAddress bind, int loops, Supplier<ChannelHandler> handlers, IoHandlerFactory transport,
            Class<? extends ServerChannel> serverChannel) throws InterruptedException {
        this(bind, loops, handlers, transport, serverChannel, null);
    }

    /** Binds and starts serving on epoll, with TLS ({@code SslHandler} first in every pipeline) when {@code tls} is not null. */
    public NettyServer(InetSocketAddress bind, int loops, Supplier<ChannelHandler> handlers, SslContext tls) throws InterruptedException {
        this(bind, loops, handlers, EpollIoHandler.newFactory(), EpollServerSocketChannel.class, tls);
    }

    /** Binds and starts serving on the given transport, with TLS when {@code tls} is not null. */
    public NettyServer(InetSocketAddress bind, int loops, Supplier<ChannelHandler> handlers, IoHandlerFactory transport,
            Class<? extends ServerChannel> serverChannel, SslContext tls) throws InterruptedException {
        boss = new MultiThreadIoEventLoopGroup(1, transport);
        workers = new MultiThreadIoEventLoopGroup(loops, transport);
        server = new ServerBootstrap().group(boss, workers).channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(handlers.get());
                    }
                }).bind(bind).sync().channel();
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The accepting loop, for housekeeping timers. */
    public EventLoopGroup boss() {
        return boss;
    }

    /** Returns once the server channel is closed. */
    public void awaitClose() throws InterruptedException {
        server.closeFuture().sync();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
