package io.torque.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.Listener;
import io.torque.core.udp.DatagramOptions;
import io.torque.core.udp.DatagramSocket;
import io.torque.testkit.Echo;

/** The resolver against a real DNS server (dnsmasq on loopback): A, AAAA, SRV, NXDOMAIN, timeouts, the cache, connect by name. */
class ResolverTest {
    @TempDir
    Path dir;

    private Dnsmasq server(int ttl) throws Exception {
        return new Dnsmasq(dir, ttl, "--local=/test.example/", "--host-record=web.test.example,10.1.2.3,fd00::3",
                "--host-record=loop.test.example,127.0.0.1", "--srv-host=_http._tcp.test.example,web.test.example,8080,10,5",
                "--srv-host=_http._tcp.test.example,backup.test.example,8081,20,1");
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("it resolved");
    }

    @Test
    void aAaaaSrvAndNxdomainFromARealServer() throws Exception {
        try (Dnsmasq dns = server(60); Torque torque = Torque.builder().loopCount(2).build()) {
            Resolver r = torque.resolver(DnsOptions.DEFAULT.withServers(dns.address).withQueryTimeout(Duration.ofSeconds(2)));
            assertThat(r.resolve("web.test.example", false).get(10, TimeUnit.SECONDS))
                    .extracting(InetAddress::getHostAddress).containsExactly("10.1.2.3");
            assertThat(r.resolve("web.test.example", true).get(10, TimeUnit.SECONDS))
                    .extracting(InetAddress::getHostAddress).containsExactly("fd00:0:0:0:0:0:0:3");
            assertThat(r.resolveAll("web.test.example").get(10, TimeUnit.SECONDS)).extracting(InetAddress::getHostAddress)
                    .startsWith("10.1.2.3");
            List<SrvRecord> srv = r.resolveSrv("_http._tcp.test.example").get(10, TimeUnit.SECONDS);
            assertThat(srv).extracting(SrvRecord::target).containsExactly("web.test.example", "backup.test.example");
            assertThat(srv.get(0).port()).isEqualTo(8080);
            assertThat(srv.get(0).priority()).isEqualTo(10);
            assertThat(srv.get(0).weight()).isEqualTo(5);

            Throwable nx = failure(r.resolveAll("nothing.test.example"));
            assertThat(nx).isInstanceOf(UnknownHostException.class).hasMessageContaining("nothing.test.example");
            assertThat(stack(nx)).contains("NXDOMAIN");
        }
    }

    @Test
    void theCacheHonoursTtls() throws Exception {
        try (Dnsmasq dns = server(1); Torque torque = Torque.builder().loopCount(1).build()) {
            Resolver r = torque.resolver(DnsOptions.DEFAULT.withServers(dns.address));
            r.resolveAll("web.test.example").get(10, TimeUnit.SECONDS);
            r.resolveAll("web.test.example").get(10, TimeUnit.SECONDS);
            assertThat(dns.queries("web.test.example")).as("the second from the cache").isBetween(1L, 2L); // A, and maybe AAAA
            long first = dns.queries("web.test.example");
            Thread.sleep(1500); // past the 1 s TTL
            r.resolveAll("web.test.example").get(10, TimeUnit.SECONDS);
            assertThat(dns.queries("web.test.example")).as("asked again after the TTL").isGreaterThan(first);
        }
    }

    @Test
    void aServerThatDoesNotAnswerTimesOutAndASlowOneIsWaitedFor() throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (Dnsmasq dns = server(60); Torque torque = Torque.builder().loopCount(2).build();
                DatagramChannel upstream = DatagramChannel.open()) {
            // a silent server: a UDP socket that never answers
            DatagramSocket silent = torque.bind(new InetSocketAddress("127.0.0.1", 0), DatagramOptions.DEFAULT, (s, d, from) -> { });
            Resolver deaf = torque.resolver(DnsOptions.DEFAULT.withServers(silent.localAddress()).withQueryTimeout(Duration.ofMillis(300)));
            Throwable t = failure(deaf.resolveAll("web.test.example"));
            assertThat(t).isInstanceOf(UnknownHostException.class);
            assertThat(stack(t)).containsIgnoringCase("timeout").contains(Integer.toString(silent.localAddress().getPort()));

            // a slow server: relays to dnsmasq and answers 400 ms late
            upstream.connect(dns.address);
            DatagramSocket slow = torque.bind(new InetSocketAddress("127.0.0.1", 0), DatagramOptions.DEFAULT, (s, data, from) -> {
                byte[] q = new byte[data.remaining()];
                data.get(q);
                later.schedule(() -> {
                    try {
                        upstream.write(ByteBuffer.wrap(q));
                        ByteBuffer answer = ByteBuffer.allocate(4096);
                        upstream.read(answer);
                        s.send(answer.flip(), from);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, 400, TimeUnit.MILLISECONDS);
            });
            Resolver patient = torque.resolver(DnsOptions.DEFAULT.withServers(slow.localAddress()).withQueryTimeout(Duration.ofSeconds(3)));
            assertThat(patient.resolve("web.test.example", false).get(10, TimeUnit.SECONDS))
                    .extracting(InetAddress::getHostAddress).containsExactly("10.1.2.3");
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void connectByNameAndTheHostsFile() throws Exception {
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
            // "localhost" from /etc/hosts, through the context's default resolver
            assertThat(torque.resolver().resolveAll("localhost").get(10, TimeUnit.SECONDS)).extracting(InetAddress::getHostAddress)
                    .contains("127.0.0.1");
            Connection c = torque.connect("localhost", l.localAddress().getPort(), new Echo(), Duration.ofSeconds(5), null)
                    .get(10, TimeUnit.SECONDS);
            assertThat(c.remoteAddress().getPort()).isEqualTo(l.localAddress().getPort());
            c.close();
            Throwable t = failure(torque.connect("no-such-host.invalid", 80, new Echo(), Duration.ofSeconds(5), null));
            assertThat(t).isInstanceOf(UnknownHostException.class);
        }
    }

    private static String stack(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) {
            b.append(x).append(" / ");
        }
        return b.toString();
    }
}
