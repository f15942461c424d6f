package io.torque.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.torque.bench.load.LoadClient;
import io.torque.topology.cli.MiniJson;

/** The harness's own parts: reply checking and the JSON it writes. */
class HarnessTest {
    @TempDir
    Path dir;

    /** An echo server that flips one bit of the {@code corruptAt}-th byte it sends back (-1: none). */
    private static Thread echo(ServerSocket server, long corruptAt) {
        return echo(server, corruptAt, -1, 0);
    }

    /** The same, also stalling {@code stallMillis} before echoing byte {@code stallAt}. */
    private static Thread echo(ServerSocket server, long corruptAt, long stallAt, long stallMillis) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                long n = 0;
                int b;
                while ((b = in.read()) >= 0) {
                    if (n == stallAt) {
                        Thread.sleep(stallMillis);
                    }
                    out.write(n++ == corruptAt ? b ^ 1 : b);
                }
            } catch (Exception ignored) {
                // the client closed
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void replyCheckingCatchesOneCorruptedByte() throws Exception {
        for (long corruptAt : new long[] {-1, 100}) {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                echo(server, corruptAt);
                LoadClient.Result r = LoadClient.run(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 1,
                        new boolean[] {true}, 64, 0, 0, 0.3);
                assertThat(r.requests()).isPositive();
                assertThat(r.errors()).as("corrupted byte at %d", corruptAt).isEqualTo(corruptAt < 0 ? 0 : 1);
            }
        }
    }

    /**
     * One 300 ms stall of the server: closed loop, one request waits (one slow sample); open loop
     * at 200 req/s, every request due during the stall is charged from when it was due, so many
     * samples are slow (coordinated omission corrected).
     */
    @Test
    void openLoopChargesTheStallToEveryRequestItDelayed() throws Exception {
        long[] slow = new long[2];
        for (int mode = 0; mode < 2; mode++) {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                echo(server, -1, 64 * 20, 300); // request 20 stalls (the 0.1 s warm-up takes about 20 at 200/s)
                LoadClient.Result r = LoadClient.run(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 1,
                        new boolean[] {true}, 64, 0, 0, 1.0, mode == 0 ? 0 : 200);
                assertThat(r.errors()).isZero();
                slow[mode] = r.latencyMicros().getCountBetweenValues(100_000, Long.MAX_VALUE / 2);
            }
        }
        assertThat(slow[0]).as("closed loop: only the stalled request is slow").isBetween(1L, 3L);
        assertThat(slow[1]).as("open loop: the requests due during the stall are slow too").isGreaterThanOrEqualTo(20);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonIsWellFormedAndHasTheDocumentedFields() throws Exception {
        TorqueBench b = new TorqueBench();
        b.scenario = "echo-skewed";
        b.loops = 2;
        b.connections = 16;
        b.duration = 1;
        b.rounds = 2;
        b.json = dir.resolve("r.json");
        List<TorqueBench.Row> rows = List.of(new TorqueBench.Row("torque", 1, 1234.5, 10, 20, 30, 0, 1.5),
                new TorqueBench.Row("netty", 1, 1000, 11, 22, 33, 0, 1.6));
        b.servers = List.of("torque", "netty");
        Files.writeString(b.json, b.json(rows, 20));
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(Files.readString(b.json));
        assertThat(doc).containsEntry("scenario", "echo-skewed").containsEntry("workMicros", 20L);
        List<Object> results = (List<Object>) doc.get("results");
        assertThat(results).hasSize(2);
        assertThat((Map<String, Object>) results.get(0)).containsKeys("server", "scenario", "throughput", "p50_us", "p99_us",
                "p999_us", "errors").containsEntry("server", "torque").containsEntry("throughput", 1234.5);
        assertThat(TorqueBench.table(rows, List.of("torque", "netty"))).contains("1.23x");
        String svg = b.chart(rows);
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n").contains("requests/s", "p99 µs", "torque", "netty", "1,235");
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8))); // well-formed XML
    }
}
