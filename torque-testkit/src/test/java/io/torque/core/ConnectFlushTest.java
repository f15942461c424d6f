package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;

/**
 * What an outbound connection's onOpen writes is sent at once, also when the connect completes
 * later (EINPROGRESS, then EPOLLOUT): that turn used to end without its flush, so a client that
 * speaks first waited for an event that never came.
 */
class ConnectFlushTest {
    @Test
    void writesFromOnOpenGoOutWhenTheConnectCompletesLater() throws Exception {
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                CompletableFuture<String> reply = new CompletableFuture<>();
                replies.add(reply);
                torque.connect(l.localAddress(), new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        c.write("hello".getBytes(StandardCharsets.US_ASCII)); // the client speaks first
                    }

                    @Override
                    public Next onRead(Connection c, ReadBuffer in) {
                        if (in.readableBytes() < 5) {
                            return Next.CONTINUE;
                        }
                        byte[] b = new byte[5];
                        in.copyTo(0, b, 0, 5);
                        in.consume(5);
                        reply.complete(new String(b, StandardCharsets.US_ASCII));
                        return Next.CLOSE;
                    }
                }, Duration.ofSeconds(5));
            }
            for (CompletableFuture<String> r : replies) {
                assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
            }
        }
    }
}
