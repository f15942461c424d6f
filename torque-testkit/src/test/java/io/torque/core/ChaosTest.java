package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.torque.testkit.ChaosConfig;
import io.torque.testkit.ChaosMix;
import io.torque.testkit.ChaosReport;
import io.torque.testkit.ChaosServer;
import io.torque.testkit.TestCertificates;
import io.torque.core.tls.TlsConfig;
import io.torque.testkit.ProcessProbe;

/**
 * The chaos mix ({@link ChaosMix}) against one echo server under PARETO dispatch, then close() in
 * the middle of it, with the never-readers stalled; seeded ({@code -Dtorque.chaos.seed=N}), so a
 * failure reproduces with its seed. Invariants at the end: healthy peers got every byte back in
 * order without stalling, slowloris peers were closed by the idle timeout and tricklers were not,
 * each thrown callback closed its connection and reached the error handler (and nothing else
 * did), write queues stayed bounded, every onOpen had exactly one onClose, and no thread or fd
 * is left.
 */
class ChaosTest {
    private static final long SEED = Long.getLong("torque.chaos.seed", 20261123L);

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path certDir;

    @Test
    void hostilePeersCannotHurtHealthyOnesAndCloseLeavesNothing() throws Exception {
        Torque.builder().loopCount(2).build().close(); // warm up native libraries before counting fds
        ProcessProbe.warmUpJdkSockets();
        long fdsBefore = ProcessProbe.openFds();
        Set<String> fdTargetsBefore = ProcessProbe.fdTargets();
        long rssBefore = ProcessProbe.rssKiB();
        long threadsBefore = ProcessProbe.torqueThreads();
        ChaosConfig config = ChaosConfig.ci();
        ChaosServer server = new ChaosServer(config.idleTimeout());
        boolean tls = TestCertificates.opensslAvailable(); // .ci/run installs openssl: CI always has the TLS peers
        if (tls) {
            TestCertificates.Pair cert = TestCertificates.create(certDir).issue("localhost", "localhost");
            server.listenTls(TlsConfig.server().certificate(cert.certificate(), cert.key()).handshakeTimeout(Duration.ofSeconds(1)).build());
        }
        ChaosMix mix = new ChaosMix(server, config, SEED);
        ChaosReport r = mix.run();
        long rssMax = ProcessProbe.rssKiB();
        // close() with the never-readers still stalled and their queues full.
        server.close();
        assertThat(server.torque().awaitTermination(Duration.ofSeconds(30))).isTrue();
        mix.release();

        String report = String.format("chaos seed=%d connections=%d bytes_verified=%d faults=%s errors_reported=%d "
                + "max_queued=%d timer_runs=%d probe_us(p50,p99,max)=%d,%d,%d rss_kib(before,max)=%d,%d fds(before,after)=%d,%d "
                + "torque_threads(before,after)=%d,%d ping_worst_us=%d",
                SEED, server.opened(), r.bytesVerified(), r.faults(), server.throwsReported() + server.unexpectedErrors().size(),
                server.maxQueued(), r.timerRuns(), r.probeMicros()[0], r.probeMicros()[1], r.probeMicros()[2], rssBefore, rssMax,
                fdsBefore, ProcessProbe.openFds(), threadsBefore, ProcessProbe.torqueThreads(), r.pingWorstMicros());
        System.out.println(report);
        server.unexpectedErrors().forEach(e -> e.printStackTrace(System.out));
        assertThat(r.failures()).as(report).isEmpty();
        assertThat(r.lost()).isZero();
        assertThat(r.stalls()).isZero();
        assertThat(r.bytesVerified()).isEqualTo(r.bytesExpected()).isGreaterThan(100L * 256 * 1024 + (64L << 20));
        assertThat(r.faults()).containsEntry("slowloris", config.slowloris()).containsEntry("trickler spared", config.tricklers())
                .containsEntry("throwing callback", config.throwers()).containsEntry("reset mid-write", config.resetters())
                .containsEntry("blaster beside pinger", 1);
        assertThat(r.faults()).containsEntry("udp flood", 1).containsEntry("udp: ping answered", 100)
                .containsEntry("unix: healthy", 20);
        if (tls) {
            assertThat(r.faults()).containsEntry("tls: healthy", 12).containsEntry("tls: no close_notify", 6)
                    .containsEntry("tls: hanging handshake", 6).containsEntry("tls: garbage", 6);
        }
        assertThat(server.thrown()).isEqualTo(config.throwers());
        assertThat(server.throwsReported()).as("each throw reported").isEqualTo(config.throwers());
        assertThat(server.unexpectedErrors()).as("nothing else reported").isEmpty();
        assertThat(server.maxQueued()).as("queues bounded by the high water mark plus one read")
                .isLessThanOrEqualTo(server.queueBound());
        assertThat(server.secondCloses()).as("no onClose ran twice").isZero();
        assertThat(server.closed()).as("every onOpen had its onClose").isEqualTo(server.opened());
        assertThat(ProcessProbe.torqueThreads()).isZero();
        Set<String> after = ProcessProbe.fdTargets();
        after.removeAll(fdTargetsBefore);
        assertThat(ProcessProbe.openFds()).as("new fds: " + after + "\n" + ProcessProbe.describeSockets(after))
                .isEqualTo(fdsBefore);
    }
}
