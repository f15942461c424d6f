package io.torque.core.internal.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.torque.core.internal.loop.Loop;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;

/**
 * A listener with {@code SO_REUSEPORT} as one listening socket per loop, all bound to the same
 * port: the kernel spreads incoming connections over them (by a hash of the connection's
 * addresses), so every loop accepts, in parallel, and homes what it accepted itself, instead of
 * one loop accepting for all. Closing it closes every socket. Internal API.
 */
public final class ReusePortGroup implements Listener {
    private final List<TcpListener> members;

    private ReusePortGroup(List<TcpListener> members) {
        this.members = members;
    }

    /**
     * Opens one socket on each of {@code loops}: the first binds (port 0: the kernel's choice),
     * the others bind the port it got. Returns once all accept; on a failure closes those open.
     *
     * @throws IOException as {@link TcpListener#open}
     */
    public static Listener open(InetSocketAddress address, ListenOptions options, List<Loop> loops, SourceRegistry registry,
            Function<Connection, ConnectionHandler> factory) throws IOException {
        List<TcpListener> open = new ArrayList<>();
        try {
            InetSocketAddress at = address;
            for (Loop loop : loops) {
                TcpListener l = TcpListener.open(at, options, loop, registry, factory, true);
                open.add(l);
                at = l.localAddress();
            }
        } catch (IOException | RuntimeException e) {
            open.forEach(TcpListener::close);
            throw e;
        }
        return new ReusePortGroup(List.copyOf(open));
    }

    @Override
    public InetSocketAddress localAddress() {
        return members.get(0).localAddress();
    }

    @Override
    public void close() {
        members.forEach(TcpListener::close);
    }

    @Override
    public String toString() {
        return "listener " + localAddress() + " (SO_REUSEPORT, " + members.size() + " sockets)";
    }
}
