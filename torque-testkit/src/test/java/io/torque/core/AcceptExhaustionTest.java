package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

import io.torque.core.net.Listener;
import io.torque.testkit.Echo;
import io.torque.testkit.ProcessProbe;

/**
 * accept failing with EMFILE must neither spin the loop nor lose the pending connection: once
 * fds free up, the connection is accepted and served. The fd limit of this JVM is lowered with
 * setrlimit for the test (and restored); the peer runs in a child process, outside the limit.
 */
class AcceptExhaustionTest {
    private static final int RLIMIT_NOFILE = 7;

    @Structure.FieldOrder({"cur", "max"})
    public static class RLimit extends Structure {
        public long cur;
        public long max;
    }

    interface C extends Library {
        C LIBC = Native.load("c", C.class);

        int getrlimit(int resource, RLimit limit);

        int setrlimit(int resource, RLimit limit);
    }

    @Test
    void emfileDoesNotSpinAndAcceptResumesWhenFdsFreeUp() throws Exception {
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
            RLimit saved = new RLimit();
            assertThat(C.LIBC.getrlimit(RLIMIT_NOFILE, saved)).isZero();
            long loopThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("torque-cpu")).findFirst().orElseThrow().getId();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Process peer;
            long cpuDuringExhaustion;
            RLimit low = new RLimit();
            low.max = saved.max;
            // The child waits until this JVM has no fd left, connects, sends "hi", and waits for
            // the echo. Its pipes exist before the limit drops.
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "sleep 0.3; exec 3<>/dev/tcp/127.0.0.1/"
                    + l.localAddress().getPort() + "; printf hi >&3; head -c 2 <&3");
            peer = pb.start();
            low.cur = ProcessProbe.openFds() + 2;
            assertThat(C.LIBC.setrlimit(RLIMIT_NOFILE, low)).isZero();
            try {
                // Fill the remaining fds so accept has none.
                java.util.List<java.nio.channels.Pipe> fillers = new java.util.ArrayList<>();
                try {
                    while (true) {
                        fillers.add(java.nio.channels.Pipe.open());
                    }
                } catch (java.io.IOException full) {
                    // no fd left
                }
                long before = mx.getThreadCpuTime(loopThread);
                Thread.sleep(800); // the child connects after 300 ms; accept then meets EMFILE
                cpuDuringExhaustion = mx.getThreadCpuTime(loopThread) - before;
                assertThat(peer.isAlive()).as("no fd to accept with: the peer still waits for its echo").isTrue();
                for (java.nio.channels.Pipe p : fillers) {
                    p.source().close();
                    p.sink().close();
                }
            } finally {
                C.LIBC.setrlimit(RLIMIT_NOFILE, saved);
            }
            assertThat(peer.waitFor(20, TimeUnit.SECONDS)).as("the pending connection is served once fds free up").isTrue();
            assertThat(new String(peer.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hi");
            // A loop retrying accept in a tight loop would burn most of the 500 ms after the connect.
            assertThat(TimeUnit.NANOSECONDS.toMillis(cpuDuringExhaustion)).isLessThan(250);
        }
    }
}
