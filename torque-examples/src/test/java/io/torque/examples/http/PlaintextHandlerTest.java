package io.torque.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.torque.testkit.TestConnection;

/**
 * torque-http's handler on the test kit, no sockets: requests in random pieces, pipelining,
 * and every malformed request answered with its status and a close. (HttpServerTest runs the
 * same over sockets against torque and its Netty twin.)
 */
class PlaintextHandlerTest {
    private static final String GET = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";

    /** Malformed requests and the status each gets (with a close); HttpServerTest sends them over sockets. */
    static final List<String[]> MALFORMED = List.of(
            new String[] {"GARBAGE\r\n\r\n", "400"},
            new String[] {"GET /plaintext HTTP/1.1\r\n\r\n", "400"}, // no Host
            new String[] {"GET plaintext HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
            new String[] {"GET /plaintext HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", "400"},
            new String[] {"GET /plaintext HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", "400"},
            new String[] {"POST /plaintext HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", "501"},
            new String[] {"GET /plaintext HTTP/2.0\r\nHost: x\r\n\r\n", "505"},
            new String[] {"GET /plaintext HTTP/1.1\r\nHost: x\r\nX: " + "y".repeat(9000) + "\r\n\r\n", "431"},
            new String[] {"POST /plaintext HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", "413"});

    private static void assertPlaintext(String r) {
        assertThat(r).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 13\r\n", "Content-Type: text/plain\r\n")
                .endsWith("\r\n\r\nHello, World!");
    }

    @Test
    void pipelinedRequestsInRandomPiecesGetOneResponseEach() {
        for (int seed = 1; seed <= 20; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            TestConnection c = TestConnection.open(new TorquePlaintext(new HttpDate()));
            byte[] stream = GET.repeat(16).getBytes(StandardCharsets.US_ASCII);
            int pos = 0;
            while (pos < stream.length) {
                int n = Math.min(stream.length - pos, 1 + rng.nextInt(80));
                c.receive(java.util.Arrays.copyOfRange(stream, pos, pos + n));
                pos += n;
            }
            String all = c.writtenAscii();
            String[] responses = all.split("(?=HTTP/1\\.1 )");
            assertThat(responses).as("seed %d", seed).hasSize(16);
            for (String r : responses) {
                assertPlaintext(r);
            }
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void malformedRequestsGetTheirStatusAndAClose() {
        List<String[]> cases = MALFORMED;
        SplittableRandom rng = new SplittableRandom(3);
        for (String[] k : cases) {
            TestConnection c = TestConnection.open(new TorquePlaintext(new HttpDate()));
            byte[] req = k[0].getBytes(StandardCharsets.US_ASCII);
            c.receiveInPieces(req, rng.nextInt(req.length + 1));
            String r = c.writtenAscii();
            assertThat(r).as(k[0]).startsWith("HTTP/1.1 " + k[1] + " ").contains("Connection: close\r\n");
            assertThat(c.closed()).as("closed after " + k[1]).isTrue();
            assertThat(c.errors()).isEmpty();
        }
    }

    @Test
    void connectionCloseAndHttp10AreAnsweredThenClosed() {
        for (String req : List.of("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "GET /plaintext HTTP/1.0\r\n\r\n")) {
            TestConnection c = TestConnection.open(new TorquePlaintext(new HttpDate()));
            c.receive(req);
            assertPlaintext(c.writtenAscii());
            assertThat(c.closed()).isTrue();
            assertThat(c.peerSawEnd()).isTrue();
        }
    }
}
