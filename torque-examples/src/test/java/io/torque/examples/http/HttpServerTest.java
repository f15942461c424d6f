package io.torque.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.torque.core.Torque;

/** The plaintext server on torque and on Netty, as an HTTP client sees it. */
class HttpServerTest {
    private static final Pattern DATE = Pattern.compile(
            "Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT\r\n");
    private static final String GET = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";

    private Torque torque;
    private NettyPlaintext netty;

    @AfterEach
    void stop() {
        if (torque != null) {
            torque.close();
        }
        if (netty != null) {
            netty.close();
        }
    }

    private int start(String server) throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        if (server.equals("netty")) {
            netty = new NettyPlaintext(any, 2);
            return netty.localAddress().getPort();
        }
        torque = Torque.builder().loopCount(2).build();
        HttpDate date = new HttpDate();
        return torque.listen(any, c -> new TorquePlaintext(date)).localAddress().getPort();
    }

    /** Reads one response: head, then Content-Length bytes of body (none for HEAD). */
    private static String response(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (!buf.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + buf);
            }
            buf.write(b);
        }
        String h = buf.toString(StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("Content-Length: ([0-9]+)\r\n").matcher(h);
        assertThat(m.find()).as("Content-Length in " + h).isTrue();
        int len = head ? 0 : Integer.parseInt(m.group(1));
        return h + new String(in.readNBytes(len), StandardCharsets.US_ASCII);
    }

    private static void assertPlaintext(String r) {
        assertThat(r).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 13\r\n", "Content-Type: text/plain\r\n")
                .endsWith("\r\n\r\nHello, World!");
        assertThat(DATE.matcher(r).find()).as("an IMF-fixdate Date header in " + r).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"torque", "netty"})
    void keepAliveAndPipelining(String server) throws Exception {
        int port = start(server);
        try (Socket s = new Socket("127.0.0.1", port)) {
            for (int i = 0; i < 3; i++) { // keep-alive: one after another on one connection
                s.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
                assertPlaintext(response(s.getInputStream(), false));
            }
            // 64 pipelined requests in one write, then one split into single bytes
            s.getOutputStream().write(GET.repeat(64).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 64; i++) {
                assertPlaintext(response(s.getInputStream(), false));
            }
            for (byte b : GET.getBytes(StandardCharsets.US_ASCII)) {
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
            }
            assertPlaintext(response(s.getInputStream(), false));
            s.getOutputStream().write(("HEAD /plaintext HTTP/1.1\r\nHost: x\r\n\r\nGET /other HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /plaintext HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" + GET).getBytes(StandardCharsets.US_ASCII));
            assertThat(response(s.getInputStream(), true)).startsWith("HTTP/1.1 200 OK").doesNotContain("Hello");
            assertThat(response(s.getInputStream(), false)).startsWith("HTTP/1.1 404 Not Found\r\n");
            assertThat(response(s.getInputStream(), false)).startsWith("HTTP/1.1 405 Method Not Allowed\r\n");
            assertPlaintext(response(s.getInputStream(), false));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"torque", "netty"})
    void malformedRequestsGetTheirStatusAndAClose(String server) throws Exception {
        int port = start(server);
        List<String[]> cases = PlaintextHandlerTest.MALFORMED;
        for (String[] c : cases) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(c[0].getBytes(StandardCharsets.US_ASCII));
                String r = response(s.getInputStream(), false);
                assertThat(r).as(c[0]).startsWith("HTTP/1.1 " + c[1] + " ").contains("Connection: close\r\n");
                assertThat(s.getInputStream().read()).as("closed after " + c[1]).isEqualTo(-1);
            }
        }
        // Connection: close and HTTP/1.0 are answered, then closed
        for (String req : List.of("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "GET /plaintext HTTP/1.0\r\n\r\n")) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
                assertPlaintext(response(s.getInputStream(), false));
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    /** Seeded random bytes and random cuts of valid requests: the parser never throws, never overruns. */
    @Test
    void theParserSurvivesRandomInput() {
        SplittableRandom rnd = new SplittableRandom(20261123);
        HttpRequestParser p = new HttpRequestParser();
        byte[] valid = (GET + "POST /x HTTP/1.1\r\nHost: y\r\nContent-Length: 3\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[rnd.nextInt(200)];
                String alphabet = "GET /plaintext HTTP/1.1\r\nHost:x-Content-Length:0123 \t";
                for (int k = 0; k < input.length; k++) {
                    input[k] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
                }
            } else {
                input = java.util.Arrays.copyOf(valid, rnd.nextInt(valid.length + 1));
                if (input.length > 0 && rnd.nextBoolean()) {
                    input[rnd.nextInt(input.length)] = (byte) rnd.nextInt(256);
                }
            }
            ByteBuffer b = ByteBuffer.wrap(input);
            int n = p.parse(b, 0, input.length);
            assertThat(n).as(new String(input, StandardCharsets.ISO_8859_1)).isBetween(HttpRequestParser.MALFORMED, input.length);
        }
        ByteBuffer b = ByteBuffer.wrap(valid);
        int first = p.parse(b, 0, valid.length);
        assertThat(first).isEqualTo(GET.length());
        assertThat(p.parse(b, first, valid.length)).isEqualTo(valid.length - first);
    }
}
