package io.torque.examples.resp;

import java.nio.ByteBuffer;

/**
 * Parses one RESP2 command at a time, by absolute index, without allocating: a multibulk array
 * of bulk strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}, what clients send) or an inline
 * command ({@code PING\r\n}, what telnet sends). After {@link #parse} returns a length, argument
 * {@code i} is {@link #length(int)} bytes at {@link #start(int)}. One per connection.
 */
final class RespParser {
    /** Not a whole command yet. */
    static final int NEED_MORE = -1;
    /** A protocol error: see {@link #error()}; the caller answers it and closes. */
    static final int MALFORMED = -2;
    /** The most arguments of one command. */
    static final int MAX_ARGS = 1024;
    /** The longest bulk string (the read buffer of a connection is 1 MiB by default). */
    static final int MAX_BULK = 512 * 1024;
    /** The longest inline command. */
    static final int MAX_INLINE = 64 * 1024;

    private int[] starts = new int[8];
    private int[] lengths = new int[8];
    private int count;
    private String error;
    private int cursor;

    /** Parses the command at {@code from}, with bytes up to {@code to}; its length, NEED_MORE or MALFORMED. */
    int parse(ByteBuffer b, int from, int to) {
        count = 0;
        if (from >= to) {
            return NEED_MORE;
        }
        return b.get(from) == '*' ? multibulk(b, from, to) : inline(b, from, to);
    }

    /** The number of arguments, the command name included; 0 for an empty command (skip it). */
    int count() {
        return count;
    }

    int start(int i) {
        return starts[i];
    }

    int length(int i) {
        return lengths[i];
    }

    /** The protocol error, for the {@code -ERR Protocol error: ...} reply. */
    String error() {
        return error;
    }

    private int multibulk(ByteBuffer b, int from, int to) {
        cursor = from + 1;
        long n = number(b, to, "multibulk length", true);
        if (n == NEED_MORE || n == MALFORMED) {
            return (int) n;
        }
        if (n > MAX_ARGS) {
            return fail("invalid multibulk length");
        }
        for (int i = 0; i < n; i++) {
            if (cursor >= to) {
                return NEED_MORE;
            }
            if (b.get(cursor) != '$') {
                return fail("expected '$', got '" + (char) b.get(cursor) + "'");
            }
            cursor++;
            long len = number(b, to, "bulk length", false);
            if (len == NEED_MORE || len == MALFORMED) {
                return (int) len;
            }
            if (len < 0 || len > MAX_BULK) {
                return fail("invalid bulk length");
            }
            if (to - cursor < len + 2) {
                return NEED_MORE;
            }
            if (b.get(cursor + (int) len) != '\r' || b.get(cursor + (int) len + 1) != '\n') {
                return fail("bulk string not ended by CRLF");
            }
            add(cursor, (int) len);
            cursor += (int) len + 2;
        }
        return cursor - from;
    }

    /**
     * Reads digits up to CRLF at the cursor and moves past the CRLF; {@code -1} (a null array)
     * reads as 0 where {@code nullAsEmpty}, any other negative number is an error.
     */
    private long number(ByteBuffer b, int to, String what, boolean nullAsEmpty) {
        int i = cursor;
        boolean negative = i < to && b.get(i) == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < to && b.get(i) >= '0' && b.get(i) <= '9') {
            v = v * 10 + (b.get(i) - '0');
            i++;
            if (++digits > 10) {
                return fail("invalid " + what);
            }
        }
        if (i + 1 >= to) {
            return i - cursor > 12 ? fail("invalid " + what) : NEED_MORE;
        }
        if (digits == 0 || b.get(i) != '\r' || b.get(i + 1) != '\n') {
            return fail("invalid " + what);
        }
        cursor = i + 2;
        return negative ? (nullAsEmpty && v == 1 ? 0 : fail("invalid " + what)) : v;
    }

    private int inline(ByteBuffer b, int from, int to) {
        int end = -1;
        for (int i = from; i < Math.min(to, from + MAX_INLINE); i++) {
            if (b.get(i) == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return to - from >= MAX_INLINE ? malformed("too big inline request") : NEED_MORE;
        }
        int lineEnd = end > from && b.get(end - 1) == '\r' ? end - 1 : end;
        return inlineArgs(b, from, lineEnd, end + 1 - from);
    }

    /**
     * Splits an inline command's line, {@code [from, lineEnd)} without its line end, into
     * arguments at spaces and tabs; returns {@code frameLength} (the line with its end), or
     * MALFORMED for too many arguments. For a line already found (torque-resp finds it with
     * {@code Framer.lines}).
     */
    int inlineArgs(ByteBuffer b, int from, int lineEnd, int frameLength) {
        count = 0;
        int i = from;
        while (i < lineEnd) {
            while (i < lineEnd && (b.get(i) == ' ' || b.get(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < lineEnd && b.get(i) != ' ' && b.get(i) != '\t') {
                i++;
            }
            if (i > start) {
                if (count == MAX_ARGS) {
                    return fail("too many arguments");
                }
                add(start, i - start);
            }
        }
        return frameLength;
    }

    /** A protocol error found by the caller: see {@link #error()}; returns MALFORMED. */
    int malformed(String why) {
        return fail(why);
    }

    private void add(int start, int length) {
        if (count == starts.length) {
            starts = java.util.Arrays.copyOf(starts, count * 2);
            lengths = java.util.Arrays.copyOf(lengths, count * 2);
        }
        starts[count] = start;
        lengths[count] = length;
        count++;
    }

    private int fail(String why) {
        error = why;
        count = 0;
        return MALFORMED;
    }
}
