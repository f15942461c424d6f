package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.torque.testkit.EchoMain;

/**
 * fd exhaustion in a child JVM started under a low {@code ulimit -n} (soft and hard, so the JVM
 * cannot raise it): connections are opened until the server can accept no more; the accepted
 * ones must keep being served while accept fails, and the pending ones must be accepted and
 * served once some accepted ones close and free their fds.
 */
class FdExhaustionChildTest {
    private static final int LIMIT = 256;

    @Test
    void existingConnectionsAreServedWhileAcceptFailsAndAcceptResumes() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -n " + LIMIT + " && exec \"$0\" \"$@\"", java,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), EchoMain.class.getName());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        List<Socket> accepted = new ArrayList<>();
        List<Socket> pending = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
            String line = out.readLine();
            assertThat(line).as("the child's first line").startsWith("listening on ");
            int port = Integer.parseInt(line.substring("listening on ".length()).trim());

            // Open connections one at a time until one gets no echo: the child is out of fds.
            while (pending.isEmpty()) {
                assertThat(accepted.size()).as("the child should run out of fds below its limit").isLessThan(LIMIT);
                Socket s = new Socket("127.0.0.1", port);
                if (echoes(s, accepted.size(), accepted.isEmpty() ? 10_000 : 1000)) {
                    accepted.add(s);
                } else {
                    pending.add(s); // connected in the backlog, not accepted: its byte waits
                }
            }
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream().write(100 + i);
                pending.add(s);
            }
            assertThat(accepted.size()).as("connections accepted before exhaustion").isGreaterThan(50);
            System.out.println("fd exhaustion: the child (ulimit -n " + LIMIT + ") accepted " + accepted.size()
                    + " connections, then " + pending.size() + " waited");

            // While accept fails, every accepted connection is still served.
            for (int i = 0; i < accepted.size(); i++) {
                assertThat(echoes(accepted.get(i), 200 + i, 10_000)).as("accepted connection " + i + " served").isTrue();
            }
            assertThat(child.isAlive()).isTrue();

            // Free fds: the pending connections are accepted and get their echoes.
            for (int i = 0; i < 10; i++) {
                accepted.remove(accepted.size() - 1).close();
            }
            pending.get(0).setSoTimeout(20_000);
            for (Socket s : pending) {
                s.setSoTimeout(20_000);
            }
            int first = pending.get(0).getInputStream().read();
            assertThat(first).as("the first pending connection's echo").isEqualTo((accepted.size() + 10) & 0xFF);
            for (int i = 1; i < pending.size(); i++) {
                assertThat(pending.get(i).getInputStream().read()).as("pending connection " + i + " served").isEqualTo(100 + i - 1);
            }
            assertThat(echoes(accepted.get(0), 77, 10_000)).as("and the old ones still are").isTrue();
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
            for (Socket s : pending) {
                s.close();
            }
            child.getOutputStream().close(); // the child's cue to close and exit
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertThat(child.exitValue()).as("the child closed cleanly").isZero();
    }

    /** Sends one byte and waits up to {@code millis} for it to come back. */
    private static boolean echoes(Socket s, int value, int millis) throws Exception {
        s.setSoTimeout(millis);
        s.getOutputStream().write(value);
        try {
            int back = s.getInputStream().read();
            assertThat(back).as("echo").isEqualTo(value & 0xFF);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
