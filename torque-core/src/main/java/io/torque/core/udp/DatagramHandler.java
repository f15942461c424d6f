package io.torque.core.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The callbacks of a {@link DatagramSocket}, on its loop, never two at once for one socket. A
 * callback that throws does not close the socket (it serves every peer): the throwable goes to
 * the context's error handler and the next datagram is delivered as usual.
 */
public interface DatagramHandler {
    /**
     * A datagram arrived.
     *
     * @param socket the socket it arrived on
     * @param data the datagram, read-only, valid only during this call (copy what you keep)
     * @param sender who sent it
     * @throws Exception to report to the error handler
     */
    void onDatagram(DatagramSocket socket, ByteBuffer data, InetSocketAddress sender) throws Exception;

    /**
     * A datagram larger than {@link DatagramOptions#maxDatagramBytes()} arrived: it is dropped,
     * not delivered cut short. The default does nothing.
     *
     * @param socket the socket
     * @param sender who sent it
     * @param limit the largest datagram the socket takes
     * @throws Exception to report to the error handler
     */
    default void onTruncated(DatagramSocket socket, InetSocketAddress sender, int limit) throws Exception {
    }

    /**
     * The socket closed: by {@link DatagramSocket#close()} or the context's close (null cause),
     * or a socket error.
     *
     * @param socket the socket
     * @param cause null, or the error
     */
    default void onClose(DatagramSocket socket, Throwable cause) {
    }
}
