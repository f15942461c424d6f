package io.torque.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.torque.core.Torque;
import io.torque.core.net.Listener;

/** torque-echo --stats: one line per loop with what it did in the period. */
class StatsPrinterTest {
    @Test
    void aLineSaysWhatTheLoopDidInThePeriod() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Torque torque = Torque.builder().loopCount(1).build();
                PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new EchoServer.Echo());
            StatsPrinter printer = new StatsPrinter(torque, Duration.ofSeconds(1), out);
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().readNBytes(5)).hasSize(5);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (torque.stats().get(0).closes().total() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            printer.print();
            printer.print(); // nothing happened since
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("stats loop 0 cpu ").contains("read 5 B, wrote 5 B, opened 1, closed 1");
        assertThat(lines[1]).contains("read 0 B, wrote 0 B, opened 0, closed 0").contains("moved in 0");
    }

    @Test
    void periodsParseAndNonsenseIsRefused() {
        assertThat(StatsPrinter.period("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(StatsPrinter.period("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(StatsPrinter.period("2m")).isEqualTo(Duration.ofMinutes(2));
        for (String bad : new String[] {"1", "abc", "5ms", "-1s", "1h"}) {
            assertThatThrownBy(() -> StatsPrinter.period(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }
}
