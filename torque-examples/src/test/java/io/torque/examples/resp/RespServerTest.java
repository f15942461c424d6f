package io.torque.examples.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.torque.core.Torque;

/**
 * The RESP server as a Redis client sees it over sockets: pipelining, large values, one map for
 * all loops (the commands themselves are tested without sockets in {@link RespHandlerTest}).
 */
class RespServerTest {
    private Torque torque;
    private int port;

    @BeforeEach
    void start() {
        torque = Torque.builder().loopCount(2).build();
        RespStore store = new RespStore();
        port = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new TorqueResp(store)).localAddress().getPort();
    }

    @AfterEach
    void stop() {
        torque.close();
    }

    /** A command as a multibulk array, what clients send. */
    private static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads one reply: a line, or for a bulk string its header and bytes. */
    private static String reply(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 2 || sb.charAt(sb.length() - 2) != '\r' || sb.charAt(sb.length() - 1) != '\n') {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + sb);
            }
            sb.append((char) b);
        }
        if (sb.charAt(0) == '$' && sb.charAt(1) != '-') {
            int len = Integer.parseInt(sb.substring(1, sb.length() - 2));
            sb.append(new String(in.readNBytes(len + 2), StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    @Test
    void pipelinedCommandsAndLargeValuesAndOneMapForAllLoops() throws Exception {
        try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
            a.setSoTimeout(10_000);
            b.setSoTimeout(10_000);
            send(a, cmd("INCR", "counter").repeat(500)); // one write, 500 commands
            for (int i = 1; i <= 500; i++) {
                assertThat(reply(a.getInputStream())).isEqualTo(":" + i + "\r\n");
            }
            String big = "x".repeat(300_000);
            send(a, cmd("SET", "big", big));
            assertThat(reply(a.getInputStream())).isEqualTo("+OK\r\n");
            // b was placed on the other loop: the map is shared
            assertThat(torque.stats().stream().filter(st -> st.homed() > 0).count()).isEqualTo(2);
            send(b, cmd("GET", "big") + cmd("INCR", "counter"));
            assertThat(reply(b.getInputStream())).isEqualTo("$300000\r\n" + big + "\r\n");
            assertThat(reply(b.getInputStream())).isEqualTo(":501\r\n");
        }
    }

    /** Seeded random bytes and cuts of valid commands: the parser never throws, never overruns. */
    @Test
    void theParserSurvivesRandomInput() {
        SplittableRandom rnd = new SplittableRandom(20261123);
        RespParser p = new RespParser();
        byte[] valid = (cmd("SET", "key", "value") + "PING\r\n").getBytes(StandardCharsets.US_ASCII);
        String alphabet = "*$-0123456789\r\nSETGP ";
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[rnd.nextInt(100)];
                for (int k = 0; k < input.length; k++) {
                    input[k] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
                }
            } else {
                input = java.util.Arrays.copyOf(valid, rnd.nextInt(valid.length + 1));
                if (input.length > 0 && rnd.nextBoolean()) {
                    input[rnd.nextInt(input.length)] = (byte) rnd.nextInt(256);
                }
            }
            int n = p.parse(ByteBuffer.wrap(input), 0, input.length);
            assertThat(n).as(new String(input, StandardCharsets.ISO_8859_1)).isBetween(RespParser.MALFORMED, input.length);
            if (n > 0) {
                for (int a = 0; a < p.count(); a++) {
                    assertThat(p.start(a) + p.length(a)).isLessThanOrEqualTo(n);
                }
            }
        }
        int first = p.parse(ByteBuffer.wrap(valid), 0, valid.length);
        assertThat(p.count()).isEqualTo(3);
        assertThat(p.parse(ByteBuffer.wrap(valid), first, valid.length)).isEqualTo(6);
    }
}
