package io.torque.bench.skewed;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * Echoes each complete fixed-size request after spinning for the given work time, so the
 * server, not the network, is the bottleneck.
 */
final class BusyEcho implements ConnectionHandler {
    private final int requestBytes;
    private final long workNanos;

    BusyEcho(int requestBytes, long workNanos) {
        this.requestBytes = requestBytes;
        this.workNanos = workNanos;
    }

    @Override
    public Next onRead(Connection c, ReadBuffer in) {
        while (in.readableBytes() >= requestBytes) {
            long until = System.nanoTime() + workNanos;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            java.nio.ByteBuffer b = in.bytes();
            b.limit(b.position() + requestBytes);
            c.write(b);
            in.consume(requestBytes);
        }
        return Next.CONTINUE;
    }
}
