package io.torque.examples.resp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.torque.core.framing.FrameTooLongException;
import io.torque.core.framing.Framer;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * One connection of the RESP server: runs every whole command received (pipelining), gathers the
 * replies in the loop thread's buffer and writes them in one go. A protocol error is answered
 * with {@code -ERR Protocol error: ...} and the connection closed, as Redis does: there is no
 * telling where the next command starts, so going on would make the answer depend on how the
 * bad bytes were split into reads (the handler test kit showed it: the tail of a bad request
 * arriving in a later read was taken for a new command).
 */
final class TorqueResp implements ConnectionHandler {
    private static final ThreadLocal<ByteBuffer> OUT = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(64 * 1024));
    /** Room kept free for a reply other than a bulk string. */
    private static final int SMALL_REPLY = 256;

    private static final byte[] PONG = ascii("+PONG\r\n");
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] NULL_BULK = ascii("$-1\r\n");
    private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    private static final byte[] CRLF = ascii("\r\n");

    private final RespParser parser = new RespParser();
    /** Inline commands are lines; the framing helper finds them and bounds them (64 KiB). */
    private final Framer lines = Framer.lines(RespParser.MAX_INLINE);
    private final RespStore store;
    private Connection conn;
    private ByteBuffer out;

    TorqueResp(RespStore store) {
        this.store = store;
    }

    @Override
    public Next onRead(Connection c, ReadBuffer in) {
        conn = c;
        out = OUT.get();
        out.clear();
        boolean quit = false;
        while (!quit && in.readableBytes() > 0) {
            ByteBuffer bytes = in.bytes(); // this connection's view, positioned on the next command
            int from = bytes.position();
            int n = bytes.get(from) == '*' ? parser.parse(bytes, from, bytes.limit()) : inline(in, bytes, from);
            if (n == RespParser.NEED_MORE) {
                break;
            }
            room(SMALL_REPLY);
            if (n == RespParser.MALFORMED) {
                error("Protocol error: " + parser.error());
                in.consumeAll(); // there is no telling where the next command starts
                quit = true; // so close, as Redis does
                break;
            }
            if (parser.count() > 0) {
                quit = execute(bytes);
            }
            in.consume(n);
        }
        flush();
        out = null;
        conn = null;
        return quit ? Next.CLOSE : Next.CONTINUE;
    }

    /**
     * An inline command (as telnet sends it): the line found by the framing helper
     * ({@code Framer.lines}, which also bounds it), its arguments split by the parser.
     */
    private int inline(ReadBuffer in, ByteBuffer bytes, int from) {
        int frame;
        try {
            frame = lines.next(in);
        } catch (FrameTooLongException e) {
            return parser.malformed("too big inline request");
        }
        if (frame < 0) {
            return RespParser.NEED_MORE;
        }
        int start = from + lines.payloadOffset();
        return parser.inlineArgs(bytes, start, start + lines.payloadLength(), frame);
    }

    /** Runs the parsed command; true for QUIT. */
    private boolean execute(ByteBuffer b) {
        int argc = parser.count();
        Command command = command(b);
        if (command == null) {
            error("unknown command '" + printable(b, 0) + "'");
            return false;
        }
        String name = command.lowerName;
        switch (command) {
            case PING -> {
                if (argc == 1) {
                    out.put(PONG);
                } else if (argc == 2) {
                    bulk(b, 1);
                } else {
                    arity(name);
                }
            }
            case ECHO -> {
                if (argc == 2) {
                    bulk(b, 1);
                } else {
                    arity(name);
                }
            }
            case SET -> {
                if (argc == 3) {
                    byte[] v = new byte[parser.length(2)];
                    b.get(parser.start(2), v);
                    store.set(key(b, 1), v);
                    out.put(OK);
                } else if (argc > 3) {
                    error("syntax error");
                } else {
                    arity(name);
                }
            }
            case GET -> {
                if (argc == 2) {
                    byte[] v = store.get(key(b, 1));
                    if (v == null) {
                        out.put(NULL_BULK);
                    } else {
                        bulk(v);
                    }
                } else {
                    arity(name);
                }
            }
            case DEL, EXISTS -> {
                if (argc < 2) {
                    arity(name);
                } else {
                    long hits = 0;
                    for (int i = 1; i < argc; i++) {
                        hits += (command == Command.DEL ? store.delete(key(b, i)) : store.exists(key(b, i))) ? 1 : 0;
                    }
                    integer(hits);
                }
            }
            case INCR -> {
                if (argc == 2) {
                    try {
                        integer(store.incr(key(b, 1)));
                    } catch (RespStore.NotAnInteger e) {
                        error(e.getMessage());
                    }
                } else {
                    arity(name);
                }
            }
            case COMMAND -> out.put(EMPTY_ARRAY); // redis-cli asks on start; no command docs here
            case QUIT -> {
                out.put(OK);
                return true;
            }
        }
        return false;
    }

    /** The commands served; matched against the name's bytes without allocating. */
    private enum Command {
        PING, ECHO, SET, GET, DEL, EXISTS, INCR, COMMAND, QUIT;

        final String lowerName = name().toLowerCase(java.util.Locale.ROOT);
        final byte[] lower = lowerName.getBytes(StandardCharsets.US_ASCII);
    }

    private static final Command[] COMMANDS = Command.values();

    /** The parsed command's name matched case-insensitively, or null for one we do not serve. */
    private Command command(ByteBuffer b) {
        int start = parser.start(0);
        int len = parser.length(0);
        for (Command c : COMMANDS) {
            if (c.lower.length != len) {
                continue;
            }
            int k = 0;
            while (k < len && (b.get(start + k) | 0x20) == c.lower[k]) {
                k++;
            }
            if (k == len) {
                return c;
            }
        }
        return null;
    }

    /** Argument {@code arg} for an error message: at most 64 bytes, non-printable ones as '?'. */
    private String printable(ByteBuffer b, int arg) {
        int len = Math.min(parser.length(arg), 64);
        byte[] name = new byte[len];
        b.get(parser.start(arg), name);
        return new String(name, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?");
    }

    private RespStore.Key key(ByteBuffer b, int arg) {
        return RespStore.key(b, parser.start(arg), parser.length(arg));
    }

    private void arity(String name) {
        error("wrong number of arguments for '" + name + "' command");
    }

    private void error(String message) {
        out.put(ascii("-ERR " + message + "\r\n"));
    }

    private void integer(long v) {
        out.put((byte) ':').put(ascii(Long.toString(v))).put(CRLF);
    }

    private void bulk(ByteBuffer b, int arg) {
        int len = parser.length(arg);
        bulkHeader(len);
        ByteBuffer src = b.duplicate();
        src.limit(parser.start(arg) + len).position(parser.start(arg));
        put(src);
        out.put(CRLF);
    }

    private void bulk(byte[] v) {
        bulkHeader(v.length);
        put(ByteBuffer.wrap(v));
        out.put(CRLF);
    }

    private void bulkHeader(int len) {
        out.put((byte) '$').put(ascii(Integer.toString(len))).put(CRLF);
    }

    /** Appends {@code src}, writing the gathered replies first (and {@code src} directly) when it does not fit. */
    private void put(ByteBuffer src) {
        if (src.remaining() > out.remaining() - SMALL_REPLY) {
            flush();
            if (src.remaining() > out.remaining() - SMALL_REPLY) {
                conn.write(src);
                return;
            }
        }
        out.put(src);
    }

    private void room(int n) {
        if (out.remaining() < n) {
            flush();
        }
    }

    private void flush() {
        out.flip();
        if (out.hasRemaining()) {
            conn.write(out);
        }
        out.clear();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
