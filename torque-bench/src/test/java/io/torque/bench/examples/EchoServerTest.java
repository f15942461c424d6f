package io.torque.bench.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The echo example as a user runs it: its own JVM, --port 0, SIGTERM and SIGINT end it with 0. */
class EchoServerTest {

    private static Process start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), EchoServer.class.getName(), "--port", "0"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // stdout holds the one line
    }

    @Test
    void printsTheBoundPortEchoesAndExitsZeroOnSigtermAndSigint() throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            Process p = start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                assertThat(line).matches("listening on 127\\.0\\.0\\.1:[1-9][0-9]*");
                int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
                }
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits on SIG" + signal).isTrue();
                assertThat(p.exitValue()).as("status after SIG" + signal).isZero();
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
