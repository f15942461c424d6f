package io.torque.examples.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What both servers answer, written into a caller's buffer without allocating: {@code GET /plaintext}
 * (and HEAD) gets {@code Hello, World!}; other targets 404; other methods on it 405; malformed
 * requests their status with {@code Connection: close}.
 */
final class PlaintextApp {
    /** The most bytes one response takes; callers flush their buffer when less is left. */
    static final int MAX_RESPONSE = 256;

    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_HEAD = ascii("HTTP/1.1 200 OK\r\nServer: torque\r\nContent-Type: text/plain\r\nContent-Length: "
            + BODY.length + "\r\nDate: ");
    private static final byte[] NOT_FOUND_HEAD = ascii("HTTP/1.1 404 Not Found\r\nServer: torque\r\nContent-Length: 0\r\nDate: ");
    private static final byte[] NOT_ALLOWED_HEAD = ascii("HTTP/1.1 405 Method Not Allowed\r\nServer: torque\r\nAllow: GET, HEAD\r\n"
            + "Content-Length: 0\r\nDate: ");
    private static final byte[] CLOSE = ascii("\r\nConnection: close");
    private static final byte[] END = ascii("\r\n\r\n");

    private PlaintextApp() {
    }

    /** Appends the response to the parsed request; returns whether the connection closes after it. */
    static boolean respond(HttpRequestParser req, byte[] date, ByteBuffer out) {
        boolean close = req.closeAfter();
        boolean head = req.methodIs("HEAD");
        if (!req.targetIs("/plaintext")) {
            out.put(NOT_FOUND_HEAD).put(date);
        } else if (!head && !req.methodIs("GET")) {
            out.put(NOT_ALLOWED_HEAD).put(date);
        } else {
            out.put(OK_HEAD).put(date);
            if (close) {
                out.put(CLOSE);
            }
            out.put(END);
            if (!head) {
                out.put(BODY);
            }
            return close;
        }
        if (close) {
            out.put(CLOSE);
        }
        out.put(END);
        return close;
    }

    /** Appends the error response to a malformed request (the connection then closes). */
    static void respondMalformed(HttpRequestParser req, byte[] date, ByteBuffer out) {
        out.put(ascii("HTTP/1.1 " + req.status() + " " + reason(req.status()) + "\r\nServer: torque\r\nContent-Length: 0\r\n"
                + "Connection: close\r\nDate: ")).put(date).put(END);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
