package io.torque.core.net;

import java.net.InetSocketAddress;

/** A listening TCP socket. Any thread may call its methods. */
public interface Listener extends AutoCloseable {
    /** The address actually bound (with the kernel's port when 0 was asked for). */
    InetSocketAddress localAddress();

    /** Stops accepting and closes the socket; open connections stay. Idempotent. */
    @Override
    void close();
}
