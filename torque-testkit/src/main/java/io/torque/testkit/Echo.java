package io.torque.testkit;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/** Writes back whatever arrives; tests extend it to watch what happens around the echo. */
public class Echo implements ConnectionHandler {
    @Override
    public Next onRead(Connection c, ReadBuffer in) {
        c.write(in.bytes());
        in.consumeAll();
        return Next.CONTINUE;
    }
}
