package io.torque.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.internal.loop.Loop;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * An outbound connect whose completion is worked by another loop than its home (a thief, or a
 * neighbour a turn was handed to, owning the connection when its EPOLLOUT came): the first read
 * after the connect must use the loop that runs it, not the home's receive buffer, which the home
 * may be using at that moment. The home is held right after it started the connect, and the
 * other loop works the connect's completion.
 */
class ConnectElsewhereTest {

    @AfterEach
    void clearHook() {
        TcpConnection.afterStartConnectHook = null;
    }

    @Test
    void aConnectCompletedOnAnotherLoopReadsWithThatLoopsBuffers() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch read = new CountDownLatch(1);
        try (TwoLoops rig = new TwoLoops(DispatchPolicy.STEAL, c -> (conn, in) -> {
                    in.consumeAll();
                    return Next.CONTINUE;
                });
                ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            AtomicReference<TcpConnection> connecting = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch releaseHome = new CountDownLatch(1);
            TcpConnection.afterStartConnectHook = c -> {
                connecting.set(c);
                started.countDown();
                TwoLoops.await(releaseHome); // the home stays away: its EPOLLOUT waits
            };
            CompletableFuture<Connection> f = rig.torque.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()),
                    new ConnectionHandler() {
                        @Override
                        public Next onRead(Connection c, ReadBuffer in) {
                            in.consumeAll();
                            read.countDown();
                            return Next.CONTINUE;
                        }

                        @Override
                        public void onClose(Connection c, Throwable cause) {
                            if (cause != null) {
                                failure.compareAndSet(null, cause);
                            }
                        }
                    }, Duration.ofSeconds(5));
            try (Socket peer = server.accept()) {
                peer.getOutputStream().write(7); // waiting when the connect completes: its first read takes it
                Thread.sleep(50);
                assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                TcpConnection c = connecting.get();
                Loop home = c.home;
                Loop other = rig.other(home);
                TwoLoops.workOn(other, c, Work.CONNECT); // the completion, on the other loop
                Connection opened = f.get(10, TimeUnit.SECONDS);
                assertThat(opened.isOpen()).isTrue();
                assertThat(read.await(10, TimeUnit.SECONDS)).as("the byte waiting at the connect is read").isTrue();
                assertThat(failure.get()).isNull();
            } finally {
                TcpConnection.afterStartConnectHook = null;
                releaseHome.countDown();
            }
        }
    }
}
