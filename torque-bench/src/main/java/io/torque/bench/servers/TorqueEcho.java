package io.torque.bench.servers;

import java.nio.ByteBuffer;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/** torque's side of the benchmark: frames fixed-size requests, works, echoes each one. */
public final class TorqueEcho implements ConnectionHandler {
    private final int requestBytes;
    private final long workNanos;

    /** Echoes requests of {@code requestBytes} after {@code workNanos} of busy work. */
    public TorqueEcho(int requestBytes, long workNanos) {
        this.requestBytes = requestBytes;
        this.workNanos = workNanos;
    }

    @Override
    public Next onRead(Connection c, ReadBuffer in) {
        while (in.readableBytes() >= requestBytes) {
            Work.spin(workNanos);
            ByteBuffer b = in.bytes();
            b.limit(b.position() + requestBytes);
            c.write(b);
            in.consume(requestBytes);
        }
        return Next.CONTINUE;
    }
}
