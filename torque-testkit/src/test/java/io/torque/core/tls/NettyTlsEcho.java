package io.torque.core.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.torque.testkit.TestCertificates;

/** A Netty TLS echo server (SslHandler), the peer torque's TLS client is checked against. */
final class NettyTlsEcho implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    NettyTlsEcho(TestCertificates.Pair cert, TlsProvider provider) throws Exception {
        SslContext ctx = SslContextBuilder.forServer(cert.certificate().toFile(), cert.key().toFile())
                .sslProvider(provider == TlsProvider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK).build();
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ctx.newHandler(ch.alloc()), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext c, Object msg) {
                                c.write(msg);
                            }

                            @Override
                            public void channelReadComplete(ChannelHandlerContext c) {
                                c.flush();
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() throws Exception {
        channel.close().sync();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
}
