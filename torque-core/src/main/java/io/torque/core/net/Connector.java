package io.torque.core.net;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.epoll.LinuxSocket;
import io.torque.core.loop.Loop;

/** Opens outbound connections. Internal API. */
public final class Connector {
    private Connector() {
    }

    /** Starts a non-blocking connect on {@code loop}. */
    public static CompletableFuture<Connection> connect(InetSocketAddress to, ConnectionHandler handler, long timeoutNanos,
            Loop loop, SourceRegistry registry) {
        CompletableFuture<Connection> done = new CompletableFuture<>();
        LinuxSocket socket;
        try {
            socket = LinuxSocket.newSocketStream(to.getAddress() instanceof java.net.Inet6Address);
        } catch (RuntimeException e) {
            registry.homed(loop, -1); // placement counted it
            done.completeExceptionally(e);
            return done;
        }
        TcpConnection c = new TcpConnection(socket, loop, registry, registry.settings(), handler);
        loop.execute(() -> c.startConnect(to, timeoutNanos, done));
        return done;
    }

}
