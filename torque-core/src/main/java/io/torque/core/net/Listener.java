package io.torque.core.net;

import java.net.InetSocketAddress;

/** A listening TCP socket. Any thread may call its methods. */
public interface Listener extends AutoCloseable {
    /**
     * The address actually bound (with the kernel's port when 0 was asked for).
     *
     * @return the bound address
     */
    InetSocketAddress localAddress();

    /**
     * Stops accepting and closes the socket; open connections stay. Idempotent. From a plain
     * thread it returns once the socket is closed (at once if the loops have ended); from a
     * callback it returns at once and the close follows on the listener's loop, so no loop waits
     * for another.
     */
    @Override
    void close();
}
