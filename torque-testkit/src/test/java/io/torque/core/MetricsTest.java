package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.torque.core.dispatch.LoopStats;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;

/** A known workload on one loop gives known counts in {@code stats()}. */
class MetricsTest {
    private static LoopStats settled(Torque torque, Predicate<LoopStats> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        LoopStats s;
        while (!done.test(s = LoopStats.total(torque.stats())) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return s;
    }

    @Test
    void bytesConnectionsAndClosesByCauseAreCounted() throws Exception {
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener echo = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
            Listener idle = torque.listen(new InetSocketAddress("127.0.0.1", 0),
                    ListenOptions.DEFAULT.withSettings(ConnectionSettings.DEFAULT.withIdleTimeout(Duration.ofMillis(100))),
                    c -> new Echo());
            Listener throwing = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> (conn, in) -> {
                throw new IllegalStateException("metrics: a failing callback");
            });
            Listener aborting = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new ConnectionHandler() {
                @Override
                public Next onRead(Connection conn, ReadBuffer in) {
                    in.consumeAll();
                    conn.abort();
                    return Next.CONTINUE;
                }
            });
            // 1: 1000 bytes echoed, then a graceful close
            try (Socket s = new Socket("127.0.0.1", echo.localAddress().getPort())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write(new byte[1000]);
                assertThat(in.readNBytes(1000)).hasSize(1000);
                s.shutdownOutput();
                assertThat(in.read()).isEqualTo(-1);
            }
            // 2: a reset
            try (Socket s = new Socket("127.0.0.1", echo.localAddress().getPort())) {
                s.getOutputStream().write(new byte[10]);
                assertThat(s.getInputStream().readNBytes(10)).hasSize(10);
                s.setSoLinger(true, 0);
            }
            // 3: the idle timeout; 4: a callback throws; 5: the handler aborts
            Socket quiet = new Socket("127.0.0.1", idle.localAddress().getPort());
            Socket thrower = new Socket("127.0.0.1", throwing.localAddress().getPort());
            thrower.getOutputStream().write(1);
            Socket aborted = new Socket("127.0.0.1", aborting.localAddress().getPort());
            aborted.getOutputStream().write(1);
            try {
                LoopStats s = settled(torque, t -> t.closes().total() == 5);
                assertThat(s.accepted()).isEqualTo(5);
                assertThat(s.opened()).isEqualTo(5);
                assertThat(s.closes()).isEqualTo(new LoopStats.Closes(1, 1, 1, 1, 1));
                assertThat(s.bytesRead()).isEqualTo(1000 + 10 + 1 + 1);
                assertThat(s.bytesWritten()).isEqualTo(1000 + 10);
                assertThat(s.busyNanos()).isPositive();
                assertThat(s.handOffsByDistance()).hasSize(8).allSatisfy(n -> assertThat(n).isZero()); // one loop
                assertThat(LoopStats.table(torque.stats())).contains("bytes-read").contains("1012");
            } finally {
                quiet.close();
                thrower.close();
                aborted.close();
            }
        }
    }
}
