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

import io.torque.bench.skewed.LoadClient;
import io.torque.topology.cli.MiniJson;

/** The harness's own parts: reply checking and the JSON it writes. */
class HarnessTest {
    @TempDir
    Path dir;

    /** An echo server that flips one bit of the {@code corruptAt}-th byte it sends back (-1: none). */
    private static Thread echo(ServerSocket server, long corruptAt) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                long n = 0;
                int b;
                while ((b = in.read()) >= 0) {
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
        Files.writeString(b.json, b.json(rows, 20));
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(Files.readString(b.json));
        assertThat(doc).containsEntry("scenario", "echo-skewed").containsEntry("workMicros", 20L);
        List<Object> results = (List<Object>) doc.get("results");
        assertThat(results).hasSize(2);
        assertThat((Map<String, Object>) results.get(0)).containsKeys("server", "scenario", "throughput", "p50_us", "p99_us",
                "p999_us", "errors").containsEntry("server", "torque").containsEntry("throughput", 1234.5);
        assertThat(TorqueBench.table(rows, List.of("torque", "netty"))).contains("1.23x");
    }
}
