package io.torque.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

/** The load client on several selector threads: the same connections, in the same order, one merged result. */
class LoadClientThreadsTest {
    /**
     * Echoes every accepted connection on a thread of its own; records each one's first byte by
     * accept order, and flips one bit of byte 100 of the {@code corrupt}-th connection accepted.
     */
    private static void echoAll(ServerSocket server, int corrupt, AtomicIntegerArray firstByte) {
        Thread t = new Thread(() -> {
            try {
                for (int k = 0; ; k++) {
                    Socket s = server.accept();
                    int index = k;
                    Thread each = new Thread(() -> {
                        try (s) {
                            s.setTcpNoDelay(true);
                            InputStream in = s.getInputStream();
                            OutputStream out = s.getOutputStream();
                            long n = 0;
                            int b;
                            while ((b = in.read()) >= 0) {
                                if (n == 0 && index < firstByte.length()) {
                                    firstByte.set(index, b);
                                }
                                out.write(index == corrupt && n == 100 ? b ^ 1 : b);
                                n++;
                            }
                        } catch (Exception ignored) {
                            // the client closed
                        }
                    });
                    each.setDaemon(true);
                    each.start();
                }
            } catch (Exception ignored) {
                // the server socket closed
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Test
    void threeThreadsDriveEightConnectionsOpenedInOrderAndMergeTheirResults() throws Exception {
        int connections = 8;
        boolean[] hot = new boolean[connections];
        java.util.Arrays.fill(hot, true);
        AtomicIntegerArray firstByte = new AtomicIntegerArray(connections);
        for (int k = 0; k < connections; k++) {
            firstByte.set(k, -1);
        }
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            echoAll(server, 5, firstByte);
            LoadClient.Result r = LoadClient.run(new InetSocketAddress("127.0.0.1", server.getLocalPort()), connections, hot,
                    64, 0, 0, 0.5, 0, 3);
            assertThat(r.requests()).isPositive();
            assertThat(r.latencyMicros().getTotalCount()).isEqualTo(r.requests());
            assertThat(r.errors()).as("the one corrupted byte, counted by the thread whose block holds connection 5").isEqualTo(1);
        }
        // connection g's requests start with byte g * 31: the k-th accepted must be connection k
        for (int k = 0; k < connections; k++) {
            assertThat(firstByte.get(k)).as("first byte of the connection accepted %d-th", k).isEqualTo((k * 31) & 0xff);
        }
    }

    @Test
    void theThreadCountMustFitTheConnections() {
        InetSocketAddress nowhere = new InetSocketAddress("127.0.0.1", 9);
        assertThatThrownBy(() -> LoadClient.run(nowhere, 2, new boolean[2], 64, 0, 0, 1, 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..2");
        assertThatThrownBy(() -> LoadClient.run(nowhere, 2, new boolean[2], 64, 0, 0, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
