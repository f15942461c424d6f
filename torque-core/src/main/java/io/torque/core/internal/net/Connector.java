package io.torque.core.internal.net;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.epoll.LinuxSocket;
import io.torque.core.internal.loop.Loop;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;

/** Opens outbound connections. Internal API. */
public final class Connector {
    private Connector() {
    }

    /**
     * Starts a non-blocking connect on {@code loop}. The connection is registered with the
     * context at once, so a close that races the connect fails the future (instead of leaving
     * it pending), and a loop that ends before it starts leaves it to the context's final sweep.
     *
     * @param to the address: an {@link InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}
     * @param handler the connection's callbacks
     * @param timeoutNanos the connect timeout, 0 for none
     * @param loop the home loop (placement counted it)
     * @param registry the context
     * @param tls the TLS configuration, or null for plaintext
     * @return completes after {@code onOpen}, or fails
     */
    public static CompletableFuture<Connection> connect(java.net.SocketAddress to, ConnectionHandler handler, long timeoutNanos,
            Loop loop, SourceRegistry registry, io.torque.core.internal.tls.TlsSettings tls) {
        CompletableFuture<Connection> done = new CompletableFuture<>();
        LinuxSocket socket;
        boolean unix = to instanceof java.net.UnixDomainSocketAddress;
        try {
            if (unix) {
                UnixPaths.toNetty((java.net.UnixDomainSocketAddress) to); // checks the path now, on the caller
                socket = LinuxSocket.newSocketDomain();
            } else {
                socket = LinuxSocket.newSocketStream(((InetSocketAddress) to).getAddress() instanceof java.net.Inet6Address);
            }
        } catch (RuntimeException e) {
            registry.homed(loop, -1); // placement counted it
            done.completeExceptionally(e);
            return done;
        }
        TcpConnection c = new TcpConnection(socket, loop, registry, registry.settings(), handler,
                new PendingConnect(to, timeoutNanos, done), tls, unix);
        if (!registry.opened(c)) {
            registry.homed(loop, -1);
            c.closeSocketQuietly();
            done.completeExceptionally(new IllegalStateException("the torque context is closed"));
            return done;
        }
        try {
            loop.executeLater(c::startConnect); // never inline: the caller may be inside a callback
        } catch (RejectedExecutionException e) {
            // the loop has shut down: the context's final sweep fails the future
        }
        return done;
    }
}
