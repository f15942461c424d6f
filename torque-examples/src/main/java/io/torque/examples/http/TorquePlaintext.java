package io.torque.examples.http;

import java.nio.ByteBuffer;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * The torque handler: a {@link PlaintextSession} over the received bytes, responses gathered in
 * the calling loop thread's buffer and written in one go. One per connection.
 */
final class TorquePlaintext implements ConnectionHandler {
    private final PlaintextSession session;
    private Connection current;

    TorquePlaintext(HttpDate date) {
        session = new PlaintextSession(date, out -> current.write(out));
    }

    @Override
    public Next onRead(Connection c, ReadBuffer in) {
        ByteBuffer bytes = in.bytes();
        current = c;
        in.consume(session.answer(bytes, bytes.position(), bytes.limit()));
        return session.closing() ? Next.CLOSE : Next.CONTINUE;
    }
}
