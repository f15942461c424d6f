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
        echoAll(server, corrupt, firstByte, -1);
    }

    /** The same, and the first connection accepted is closed after {@code closeFirstAfter} bytes (-1: never). */
    private static void echoAll(ServerSocket server, int corrupt, AtomicIntegerArray firstByte, long closeFirstAfter) {
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
                                if (index == 0 && n == closeFirstAfter) {
                                    return; // closes it
                                }
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

    /**
     * A thread whose connection the server closes fails the run, and the run ends every other
     * thread before it closes their channels and returns: none is left driving closed channels
     * until the end of a long run.
     */
    @Test
    void aThreadThatFailsStopsTheOthersBeforeTheRunReturns() throws Exception {
        int connections = 6;
        boolean[] hot = new boolean[connections];
        java.util.Arrays.fill(hot, true);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            echoAll(server, -1, new AtomicIntegerArray(connections), 64 * 10);
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", server.getLocalPort());
            assertThatThrownBy(() -> LoadClient.run(at, connections, hot, 64, 0, 0, 60, 0, 3))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("server closed connection 0");
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("load-client-")))
                .as("load threads still running after the run returned").isEmpty();
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
