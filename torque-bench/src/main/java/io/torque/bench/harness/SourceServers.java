package io.torque.bench.harness;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.core.udp.DatagramOptions;

/**
 * The servers of the sources benchmark, torque's and Netty's, each with 2 loops, in this JVM:
 * a UDP echo ({@code EpollDatagramChannel} for Netty), a Unix domain socket echo
 * ({@code EpollServerDomainSocketChannel}), and a file server that sends one file per
 * connection and closes ({@code sendFile} against {@code DefaultFileRegion}).
 */
final class SourceServers {
    private SourceServers() {
    }

    /** A running server: where it is, and how to stop it. */
    interface Running extends AutoCloseable {
        SocketAddress address();

        @Override
        void close();

        /** A server at {@code address} that {@code close} stops. */
        static Running of(SocketAddress address, Runnable close) {
            return new Running() {
                @Override
                public SocketAddress address() {
                    return address;
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }

    static Running start(String scenario, String server, Path dir, Path file, boolean pin) throws Exception {
        return server.equals("torque") ? torque(scenario, dir, file, pin) : netty(scenario, dir, file);
    }

    private static Running torque(String scenario, Path dir, Path file, boolean pin) {
        Torque t = Torque.builder().loopCount(2).pin(pin).build();
        SocketAddress at;
        switch (scenario) {
            case "udp" -> at = t.bind(new InetSocketAddress("127.0.0.1", 0), DatagramOptions.DEFAULT,
                    (s, data, from) -> s.send(data, from)).localAddress();
            case "unix" -> {
                UnixDomainSocketAddress u = UnixDomainSocketAddress.of(dir.resolve("torque.sock"));
                t.listen(u, ListenOptions.DEFAULT, c -> new io.torque.testkit.Echo());
                at = u;
            }
            default -> {
                long size = file.toFile().length();
                at = t.listen(new InetSocketAddress("127.0.0.1", 0), c -> new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        c.sendFile(file, 0, size);
                        c.close();
                    }

                    @Override
                    public Next onRead(Connection c, ReadBuffer in) {
                        in.consumeAll();
                        return Next.CONTINUE;
                    }
                }).localAddress();
            }
        }
        return Running.of(at, t::close);
    }

    @io.netty.channel.ChannelHandler.Sharable
    private static final class NettyEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    private static Running netty(String scenario, Path dir, Path file) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        Channel ch;
        SocketAddress at;
        switch (scenario) {
            case "udp" -> {
                ch = new Bootstrap().group(group).channel(EpollDatagramChannel.class).handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        ctx.writeAndFlush(new DatagramPacket(p.content().retain(), p.sender()));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
                at = ch.localAddress();
            }
            case "unix" -> {
                Path sock = dir.resolve("netty.sock");
                ch = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                        .childHandler(new NettyEcho()).bind(new DomainSocketAddress(sock.toString())).sync().channel();
                at = UnixDomainSocketAddress.of(sock);
            }
            default -> {
                long size = file.toFile().length();
                ch = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class).childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.writeAndFlush(new DefaultFileRegion(file.toFile(), 0, size)).addListener(ChannelFutureListener.CLOSE);
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                io.netty.util.ReferenceCountUtil.release(msg);
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
                at = ch.localAddress();
            }
        }
        Channel server = ch;
        return Running.of(at, () -> {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        });
    }

}
