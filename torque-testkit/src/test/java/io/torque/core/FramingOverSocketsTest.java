package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.torque.core.framing.FrameTooLongException;
import io.torque.core.framing.Framer;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * A line server on real sockets: lines sent in random pieces come back whole, one reply per
 * line; a peer that sends a line over the limit is closed with the framer's cause, and the other
 * connections go on.
 */
class FramingOverSocketsTest {
    /** Replies "<length>:<line>\n" per line; closes a connection whose line is too long. */
    private static final class LineLengths implements ConnectionHandler {
        private final Framer lines = Framer.lines(64);
        private final CompletableFuture<Throwable> closed;

        LineLengths(CompletableFuture<Throwable> closed) {
            this.closed = closed;
        }

        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            try {
                int n;
                while ((n = lines.next(in)) >= 0) {
                    c.write(StandardCharsets.US_ASCII.encode(lines.payloadLength() + ":"));
                    c.write(lines.payload(in));
                    c.write(StandardCharsets.US_ASCII.encode("\n"));
                    in.consume(n);
                }
            } catch (FrameTooLongException e) {
                closed.complete(e);
                c.close(); // a stream that cannot be resynchronised
            }
            return Next.CONTINUE;
        }
    }

    /** Whether the peer's side ends: EOF, or a reset (the peer had unread bytes when it closed). */
    private static boolean ended(Socket s) {
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void linesInRandomPiecesComeBackWholeAndAnOverlongLineClosesOnlyItsConnection() throws Exception {
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new LineLengths(refused));
            int port = l.localAddress().getPort();
            SplittableRandom rng = new SplittableRandom(5);
            try (Socket good = new Socket("127.0.0.1", port); Socket bad = new Socket("127.0.0.1", port)) {
                good.setSoTimeout(10_000);
                bad.setSoTimeout(10_000);
                StringBuilder sent = new StringBuilder();
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    StringBuilder line = new StringBuilder();
                    int len = rng.nextInt(0, 60);
                    for (int k = 0; k < len; k++) {
                        line.append((char) ('a' + rng.nextInt(26)));
                    }
                    sent.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
                    expected.append(len).append(':').append(line).append('\n');
                }
                byte[] stream = sent.toString().getBytes(StandardCharsets.US_ASCII);
                OutputStream out = good.getOutputStream();
                for (int pos = 0; pos < stream.length;) {
                    int chunk = Math.min(stream.length - pos, 1 + rng.nextInt(40));
                    out.write(stream, pos, chunk);
                    out.flush();
                    pos += chunk;
                }
                // the bad peer sends 100 bytes without a line end: over the 64-byte limit
                bad.getOutputStream().write("x".repeat(100).getBytes(StandardCharsets.US_ASCII));
                assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(FrameTooLongException.class)
                        .hasMessageContaining("64");
                assertThat(ended(bad)).as("the bad peer's connection ends").isTrue();
                byte[] want = expected.toString().getBytes(StandardCharsets.US_ASCII);
                InputStream in = good.getInputStream();
                assertThat(new String(in.readNBytes(want.length), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
            }
        }
    }
}
