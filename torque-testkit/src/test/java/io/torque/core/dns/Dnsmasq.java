package io.torque.core.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real DNS server for tests: dnsmasq on 127.0.0.1 at a free high port, answering from its
 * command line only (no upstream, no /etc/hosts), logging each query it gets.
 */
final class Dnsmasq implements AutoCloseable {
    private Process process;
    private Path log;
    InetSocketAddress address;

    Dnsmasq(Path dir, int ttl, String... records) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")),
                "dnsmasq is not installed (apt install dnsmasq-base; .ci/run does): DNS tests skipped");
        // A free UDP port may still be taken for TCP (dnsmasq binds both): try a few.
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                    java.net.ServerSocket tcp = new java.net.ServerSocket(probe.getLocalPort(), 1,
                            java.net.InetAddress.getByName("127.0.0.1"))) {
                port = probe.getLocalPort();
            } catch (IOException taken) {
                last = taken;
                continue;
            }
            Path log = dir.resolve("dnsmasq-" + port + ".log");
            Path out = dir.resolve("dnsmasq-" + port + ".out");
            List<String> cmd = new ArrayList<>(List.of("/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                    "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                    "--no-negcache", "--log-queries", "--log-facility=" + log, "--local-ttl=" + ttl, "--pid-file=",
                    "--user=" + System.getProperty("user.name")));
            cmd.addAll(List.of(records));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end && p.isAlive() && !(Files.exists(log) && Files.readString(log).contains("started"))) {
                Thread.sleep(20);
            }
            if (p.isAlive()) {
                this.process = p;
                this.log = log;
                this.address = new InetSocketAddress("127.0.0.1", port);
                return;
            }
            last = new IOException("dnsmasq ended: " + Files.readString(out) + (Files.exists(log) ? Files.readString(log) : ""));
        }
        throw last;
    }

    /** How many queries for {@code name} the server got. */
    long queries(String name) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains("query[") && l.contains(" " + name + " "))
                .count();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
