package io.torque.examples.http;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One connection's request loop, the same on torque and Netty: answers every whole request in
 * the bytes received (pipelining) into a buffer, handing the buffer to the connection whenever it
 * runs low and at the end. Not thread-safe: one per connection.
 */
final class PlaintextSession {
    /**
     * Responses are gathered here, one buffer per thread; {@code send} copies or sends what it is
     * given before returning, so the buffer is reused at once.
     */
    private static final ThreadLocal<ByteBuffer> OUT = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(16 * 1024));

    private final HttpRequestParser parser = new HttpRequestParser();
    private final HttpDate date;
    private final Consumer<ByteBuffer> send;
    private boolean closing;

    /**
     * @param send takes the flipped buffer's bytes (it must consume or copy them: the buffer is
     *     reused at once)
     */
    PlaintextSession(HttpDate date, Consumer<ByteBuffer> send) {
        this.date = date;
        this.send = send;
    }

    /**
     * Answers the requests in {@code bytes} from {@code from} to {@code to}, gathering responses in
     * this thread's buffer; returns how many bytes were answered (the rest is an incomplete
     * request). Afterwards {@link #closing()} says whether the connection must close.
     */
    int answer(ByteBuffer bytes, int from, int to) {
        int at = from;
        ByteBuffer out = OUT.get();
        out.clear();
        byte[] now = date.bytes();
        while (!closing) {
            int n = parser.parse(bytes, at, to);
            if (n == HttpRequestParser.NEED_MORE) {
                break;
            }
            if (out.remaining() < PlaintextApp.MAX_RESPONSE) {
                flush(out);
            }
            if (n == HttpRequestParser.MALFORMED) {
                PlaintextApp.respondMalformed(parser, now, out);
                at = to;
                closing = true;
            } else {
                closing = PlaintextApp.respond(parser, now, out);
                at += n;
            }
        }
        flush(out);
        return at - from;
    }

    /** Whether the last request asked for a close, or was malformed. */
    boolean closing() {
        return closing;
    }

    private void flush(ByteBuffer out) {
        out.flip();
        if (out.hasRemaining()) {
            send.accept(out);
        }
        out.clear();
    }
}
