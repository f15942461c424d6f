package io.torque.core.net;

import java.net.InetSocketAddress;

/** A listening socket: TCP, or a Unix domain stream socket. Any thread may call its methods. */
public interface Listener extends AutoCloseable {
    /**
     * The address actually bound (with the kernel's port when 0 was asked for).
     *
     * @return the bound address; null for a Unix domain socket (see {@link #address()})
     */
    InetSocketAddress localAddress();

    /**
     * The address bound, of either kind.
     *
     * @return the {@link InetSocketAddress}, or the {@link java.net.UnixDomainSocketAddress}
     */
    default java.net.SocketAddress address() {
        return localAddress();
    }

    /**
     * Stops accepting and closes the socket; open connections stay. Idempotent. From a plain
     * thread it returns once the socket is closed (at once if the loops have ended); from a
     * callback it returns at once and the close follows on the listener's loop, so no loop waits
     * for another.
     */
    @Override
    void close();
}
