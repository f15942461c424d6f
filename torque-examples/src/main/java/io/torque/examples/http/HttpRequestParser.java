package io.torque.examples.http;

import java.nio.ByteBuffer;

/**
 * Parses one HTTP/1.1 request at a time from bytes in a {@link ByteBuffer}, by absolute index,
 * without allocating. After {@link #parse} returns a length, the fields describe that request.
 * One per connection; not thread-safe.
 *
 * <p>Accepted: a request line {@code METHOD SP /target SP HTTP/1.1} (or 1.0), header lines
 * {@code name: value}, an optional {@code Content-Length} body up to {@link #MAX_BODY}. Refused
 * with a status: a bad request line, header or length (400), a missing {@code Host} in 1.1
 * (400), a head over {@link #MAX_HEAD} bytes (431), a body over the maximum (413), any
 * {@code Transfer-Encoding} (501: chunked bodies are not implemented), other versions (505).
 */
final class HttpRequestParser {
    /** Not a whole request yet. */
    static final int NEED_MORE = -1;
    /** Malformed: see {@link #status()} and {@link #error()}. */
    static final int MALFORMED = -2;
    /** The longest request head accepted. */
    static final int MAX_HEAD = 8192;
    /** The longest body accepted. */
    static final int MAX_BODY = 64 * 1024;

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] HOST = "host".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ByteBuffer buf;
    private int methodStart;
    private int methodEnd;
    private int targetStart;
    private int targetEnd;
    private boolean http11;
    private boolean closeAfter;
    private int status;
    private String error;

    /**
     * Parses the request starting at {@code from}, with bytes up to {@code to}.
     *
     * @return its length (head and body), {@link #NEED_MORE} or {@link #MALFORMED}
     */
    int parse(ByteBuffer b, int from, int to) {
        buf = b;
        int headEnd = findHeadEnd(b, from, Math.min(to, from + MAX_HEAD));
        if (headEnd < 0) {
            return to - from >= MAX_HEAD ? fail(431, "request head over " + MAX_HEAD + " bytes") : NEED_MORE;
        }
        // request line
        int i = from;
        methodStart = i;
        while (i < headEnd && isUpperAlpha(b.get(i))) {
            i++;
        }
        methodEnd = i;
        if (methodEnd == methodStart || b.get(i) != ' ') {
            return fail(400, "bad method");
        }
        targetStart = ++i;
        while (i < headEnd && b.get(i) > ' ' && b.get(i) != 127) {
            i++;
        }
        targetEnd = i;
        if (targetEnd == targetStart || (b.get(targetStart) != '/' && b.get(targetStart) != '*') || b.get(i) != ' ') {
            return fail(400, "bad request target");
        }
        i++;
        if (!matches(b, i, "HTTP/1.") || i + 10 > headEnd || b.get(i + 8) != '\r' || b.get(i + 9) != '\n') {
            return looksLikeHttp(b, i) ? fail(505, "HTTP version not supported") : fail(400, "bad HTTP version");
        }
        byte minor = b.get(i + 7);
        if (minor != '0' && minor != '1') {
            return fail(505, "HTTP version not supported");
        }
        http11 = minor == '1';
        closeAfter = !http11;
        i += 10;
        // headers
        long contentLength = -1;
        boolean host = false;
        while (i < headEnd - 2) {
            int nameStart = i;
            while (i < headEnd && isTokenChar(b.get(i))) {
                i++;
            }
            int nameEnd = i;
            if (nameEnd == nameStart || b.get(i) != ':') {
                return fail(400, "bad header line");
            }
            i++;
            while (b.get(i) == ' ' || b.get(i) == '\t') {
                i++;
            }
            int valueStart = i;
            while (b.get(i) != '\r') {
                byte c = b.get(i);
                if (c == '\n' || c == 0) {
                    return fail(400, "bad header value");
                }
                i++;
            }
            int valueEnd = i;
            while (valueEnd > valueStart && (b.get(valueEnd - 1) == ' ' || b.get(valueEnd - 1) == '\t')) {
                valueEnd--;
            }
            if (b.get(i + 1) != '\n') {
                return fail(400, "bad line ending");
            }
            i += 2;
            if (nameIs(b, nameStart, nameEnd, CONTENT_LENGTH)) {
                long n = parseLength(b, valueStart, valueEnd);
                if (n < 0 || (contentLength >= 0 && n != contentLength)) {
                    return fail(400, "bad Content-Length");
                }
                contentLength = n;
            } else if (nameIs(b, nameStart, nameEnd, TRANSFER_ENCODING)) {
                return fail(501, "Transfer-Encoding is not implemented");
            } else if (nameIs(b, nameStart, nameEnd, CONNECTION)) {
                if (containsIgnoreCase(b, valueStart, valueEnd, "close")) {
                    closeAfter = true;
                } else if (containsIgnoreCase(b, valueStart, valueEnd, "keep-alive")) {
                    closeAfter = false;
                }
            } else if (nameIs(b, nameStart, nameEnd, HOST)) {
                host = true;
            }
        }
        if (http11 && !host) {
            return fail(400, "missing Host header");
        }
        if (contentLength > MAX_BODY) {
            return fail(413, "body over " + MAX_BODY + " bytes");
        }
        long total = (long) headEnd - from + Math.max(0, contentLength);
        return to - from < total ? NEED_MORE : (int) total;
    }

    /** Whether the method is {@code m}. */
    boolean methodIs(String m) {
        return equalsAscii(buf, methodStart, methodEnd, m);
    }

    /** Whether the target is {@code t}. */
    boolean targetIs(String t) {
        return equalsAscii(buf, targetStart, targetEnd, t);
    }

    /** Whether the connection closes after this request (HTTP/1.0 without keep-alive, or Connection: close). */
    boolean closeAfter() {
        return closeAfter;
    }

    /** The status a malformed request gets. */
    int status() {
        return status;
    }

    /** Why the request was malformed. */
    String error() {
        return error;
    }

    private int fail(int code, String why) {
        status = code;
        error = why;
        closeAfter = true;
        return MALFORMED;
    }

    /** The index just past the blank line ending the head, or -1. */
    private static int findHeadEnd(ByteBuffer b, int from, int to) {
        for (int i = from + 3; i < to; i++) {
            if (b.get(i) == '\n' && b.get(i - 1) == '\r' && b.get(i - 2) == '\n' && b.get(i - 3) == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static boolean isUpperAlpha(byte c) {
        return c >= 'A' && c <= 'Z';
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(byte c) {
        return c > ' ' && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private static boolean matches(ByteBuffer b, int at, String s) {
        if (at + s.length() > b.limit()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (b.get(at + k) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeHttp(ByteBuffer b, int at) {
        return matches(b, at, "HTTP/");
    }

    private static boolean equalsAscii(ByteBuffer b, int from, int to, String s) {
        return to - from == s.length() && matches(b, from, s);
    }

    private static boolean nameIs(ByteBuffer b, int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int k = 0; k < lower.length; k++) {
            if ((b.get(from + k) | 0x20) != lower[k] && b.get(from + k) != lower[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(ByteBuffer b, int from, int to, String word) {
        for (int i = from; i + word.length() <= to; i++) {
            int k = 0;
            while (k < word.length() && (b.get(i + k) | 0x20) == word.charAt(k)) {
                k++;
            }
            if (k == word.length()) {
                return true;
            }
        }
        return false;
    }

    private static long parseLength(ByteBuffer b, int from, int to) {
        if (from == to || to - from > 18) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            byte c = b.get(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
