package io.torque.core.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;

/**
 * A bound UDP socket (or, with {@link DatagramOptions#reusePort()}, one per loop behind one
 * port). Any thread may call its methods.
 */
public interface DatagramSocket extends AutoCloseable {
    /**
     * The address bound (with the kernel's port when 0 was asked for).
     *
     * @return the local address
     */
    InetSocketAddress localAddress();

    /**
     * Sends one datagram of {@code data}'s remaining bytes to {@code to}, consuming them. From
     * the socket's own callbacks it goes to the kernel at once; from elsewhere it is copied and
     * handed to the loop. If the kernel's buffer is full it waits in a queue, up to
     * {@link DatagramOptions#queueBytes()}; beyond that, or after close, it is dropped and
     * counted.
     *
     * @param data the payload, at most {@link DatagramOptions#maxDatagramBytes()} bytes
     * @param to the receiver
     * @throws IllegalArgumentException if the payload is larger than the limit, or {@code to}
     *     unresolved
     * @throws NullPointerException if an argument is null
     */
    void send(ByteBuffer data, InetSocketAddress to);

    /**
     * Connects the socket to one peer: the kernel then delivers only that peer's datagrams, and
     * {@link #send(ByteBuffer)} sends to it. Waits until it is done unless called from a loop.
     *
     * @param peer the peer
     * @throws java.io.UncheckedIOException if the kernel refuses
     */
    void connect(InetSocketAddress peer);

    /**
     * Sends one datagram to the connected peer; see {@link #send(ByteBuffer, InetSocketAddress)}.
     *
     * @param data the payload
     * @throws IllegalStateException if the socket is not connected
     */
    void send(ByteBuffer data);

    /**
     * Joins a multicast group on an interface (IPv4 or IPv6, as the socket).
     *
     * @param group the group address
     * @param networkInterface the interface, or null for the kernel's choice
     * @throws java.io.UncheckedIOException if the kernel refuses (no multicast on that interface)
     */
    void joinGroup(InetAddress group, NetworkInterface networkInterface);

    /**
     * Leaves a group joined with {@link #joinGroup}.
     *
     * @param group the group address
     * @param networkInterface the interface it was joined on, or null
     * @throws java.io.UncheckedIOException if the kernel refuses
     */
    void leaveGroup(InetAddress group, NetworkInterface networkInterface);

    /**
     * Datagrams dropped by this socket: sent past the queue bound or after close.
     *
     * @return the count
     */
    long droppedDatagrams();

    /**
     * Whether the socket is open.
     *
     * @return false once closed
     */
    boolean isOpen();

    /** Closes the socket (after {@link DatagramHandler#onClose}); queued datagrams are dropped. Idempotent. */
    @Override
    void close();
}
