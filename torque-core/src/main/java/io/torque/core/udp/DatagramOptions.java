package io.torque.core.udp;

/**
 * Options of a UDP socket.
 *
 * @param maxDatagramBytes the largest datagram received or sent (1 to 65507, the IPv4 payload
 *     maximum); a larger one received is reported through {@link DatagramHandler#onTruncated}, a
 *     larger one sent is refused
 * @param queueBytes how many bytes of datagrams may wait for room in the socket (sent while the
 *     kernel's buffer is full, or from other threads); past it a datagram is dropped and counted
 *     in {@link DatagramSocket#droppedDatagrams()}, as the network would drop it
 * @param reusePort whether to bind one socket per loop with {@code SO_REUSEPORT}, so the kernel
 *     spreads datagrams (by sender) over the loops
 * @param broadcast whether to allow sending to broadcast addresses ({@code SO_BROADCAST})
 */
public record DatagramOptions(int maxDatagramBytes, long queueBytes, boolean reusePort, boolean broadcast) {
    /** The largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM = 65507;
    /** 65507-byte datagrams, 1 MiB of queue, one socket, no broadcast. */
    public static final DatagramOptions DEFAULT = new DatagramOptions(MAX_DATAGRAM, 1 << 20, false, false);

    /**
     * Checks the values.
     *
     * @param maxDatagramBytes see {@link #maxDatagramBytes()}
     * @param queueBytes see {@link #queueBytes()}
     * @param reusePort see {@link #reusePort()}
     * @param broadcast see {@link #broadcast()}
     * @throws IllegalArgumentException if the datagram size is not 1..65507 or the queue negative
     */
    public DatagramOptions {
        if (maxDatagramBytes < 1 || maxDatagramBytes > MAX_DATAGRAM) {
            throw new IllegalArgumentException("maxDatagramBytes must be 1.." + MAX_DATAGRAM + ": " + maxDatagramBytes);
        }
        if (queueBytes < 0) {
            throw new IllegalArgumentException("queueBytes must not be negative: " + queueBytes);
        }
    }

    /**
     * These options with SO_REUSEPORT on or off.
     *
     * @param on whether to bind one socket per loop
     * @return new options
     */
    public DatagramOptions withReusePort(boolean on) {
        return new DatagramOptions(maxDatagramBytes, queueBytes, on, broadcast);
    }

    /**
     * These options with another datagram size limit.
     *
     * @param bytes see {@link #maxDatagramBytes()}
     * @return new options
     */
    public DatagramOptions withMaxDatagramBytes(int bytes) {
        return new DatagramOptions(bytes, queueBytes, reusePort, broadcast);
    }
}
