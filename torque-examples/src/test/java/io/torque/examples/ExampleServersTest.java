package io.torque.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.torque.examples.http.HttpServer;
import io.torque.examples.resp.RespServer;

/**
 * The example servers as a user runs them: each in its own JVM with --port 0, printing the bound
 * port, answering one request, and ending with status 0 on SIGTERM (and SIGINT for the echo),
 * closing the still-open client connection gracefully (FIN) on the way.
 */
class ExampleServersTest {

    private static Process start(Class<?> main, String... extra) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), main.getName(), "--port", "0"));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start(); // stdout holds the one line
    }

    /** Starts {@code main}, sends {@code request}, expects {@code reply} to start the answer, then stops it with {@code signal}. */
    private static void check(Class<?> main, String request, String reply, String signal, String... extra) throws Exception {
        Process p = start(main, extra);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as(main.getSimpleName()).matches("listening on 127\\.0\\.0\\.1:[1-9][0-9]*");
            int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readNBytes(reply.length()), StandardCharsets.US_ASCII)).isEqualTo(reply);
                s.getInputStream().skip(s.getInputStream().available()); // the rest of the reply
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                // The connection is still open: the graceful close ends it with FIN, not a reset.
                assertThat(s.getInputStream().read()).as(main.getSimpleName() + ": end of stream on SIG" + signal).isEqualTo(-1);
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(main.getSimpleName() + " exits on SIG" + signal).isTrue();
            assertThat(p.exitValue()).as(main.getSimpleName() + " status after SIG" + signal).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void echoPrintsTheBoundPortEchoesAndExitsZeroOnSigtermAndSigint() throws Exception {
        check(EchoServer.class, "hello", "hello", "TERM");
        check(EchoServer.class, "hello", "hello", "INT");
    }

    @Test
    void httpAndRespServersDoTheSame() throws Exception {
        String get = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";
        check(HttpServer.class, get, "HTTP/1.1 200 OK\r\n", "TERM");
        check(HttpServer.class, get, "HTTP/1.1 200 OK\r\n", "INT", "--server", "netty", "--loops", "2");
        check(RespServer.class, "*1\r\n$4\r\nPING\r\n", "+PONG\r\n", "TERM");
    }
}
