package io.torque.examples.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.torque.testkit.TestConnection;

/**
 * The RESP handler on the test kit, no sockets: every command answers as Redis does, each
 * request also fed in random pieces, and protocol errors keep the connection going.
 */
class RespHandlerTest {
    /** A command as a multibulk array, what clients send. */
    private static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private static final String[][] EXCHANGES = {
            {cmd("PING"), "+PONG\r\n"},
            {cmd("ping", "hi"), "$2\r\nhi\r\n"},
            {cmd("ECHO", "hello world"), "$11\r\nhello world\r\n"},
            {cmd("GET", "k"), "$-1\r\n"},
            {cmd("SET", "k", "v1"), "+OK\r\n"},
            {cmd("GET", "k"), "$2\r\nv1\r\n"},
            {cmd("EXISTS", "k", "k", "nope"), ":2\r\n"},
            {cmd("INCR", "n"), ":1\r\n"},
            {cmd("INCR", "n"), ":2\r\n"},
            {cmd("INCR", "k"), "-ERR value is not an integer or out of range\r\n"},
            {cmd("SET", "big", "9223372036854775807"), "+OK\r\n"},
            {cmd("INCR", "big"), "-ERR value is not an integer or out of range\r\n"},
            {cmd("DEL", "k", "n", "nope"), ":2\r\n"},
            {cmd("GET", "k"), "$-1\r\n"},
            {cmd("GET"), "-ERR wrong number of arguments for 'get' command\r\n"},
            {cmd("SET", "a", "b", "c"), "-ERR syntax error\r\n"},
            {cmd("FLUSHALL"), "-ERR unknown command 'FLUSHALL'\r\n"},
            {"PING\r\n", "+PONG\r\n"}, // inline, as telnet sends it
            {"ECHO   spaced\r\n", "$6\r\nspaced\r\n"},
            {"*0\r\n" + cmd("PING"), "+PONG\r\n"}, // an empty command is skipped
            {cmd("GET", "missing"), "$-1\r\n"}};

    /** Protocol errors: answered, then the connection closes (as Redis does), however the bytes are split. */
    private static final String[][] PROTOCOL_ERRORS = {
            {"*1\r\n+bad\r\n", "-ERR Protocol error: expected '$', got '+'\r\n"},
            {"*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
            {"*1\r\n$999999999\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
            {"*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n"}};

    @Test
    void aProtocolErrorIsAnsweredAndClosesTheConnectionHoweverItIsSplit() {
        for (int seed = 0; seed <= 40; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            for (String[] e : PROTOCOL_ERRORS) {
                TestConnection c = TestConnection.open(new TorqueResp(new RespStore()));
                c.receive(cmd("PING"));
                byte[] request = e[0].getBytes(StandardCharsets.ISO_8859_1);
                int first = seed == 0 ? request.length : rng.nextInt(request.length + 1);
                c.receiveInPieces(request, first, rng.nextInt(request.length - first + 1));
                assertThat(c.writtenAscii()).as("seed %d: %s", seed, e[0].replace("\r\n", "\\r\\n"))
                        .isEqualTo("+PONG\r\n" + e[1]);
                assertThat(c.closed()).isTrue();
                assertThat(c.closeCause()).isNull();
            }
        }
    }

    @Test
    void everyCommandAnswersAsRedisDoesWholeAndInPieces() {
        for (int seed = 0; seed <= 20; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            TestConnection c = TestConnection.open(new TorqueResp(new RespStore()));
            for (String[] e : EXCHANGES) {
                byte[] request = e[0].getBytes(StandardCharsets.ISO_8859_1);
                if (seed == 0) {
                    c.receive(request); // whole, as most clients send it
                } else {
                    int first = rng.nextInt(request.length + 1);
                    int second = rng.nextInt(request.length - first + 1);
                    c.receiveInPieces(request, first, second);
                }
                assertThat(c.writtenAscii()).as("seed %d: %s", seed, e[0].replace("\r\n", "\\r\\n")).isEqualTo(e[1]);
            }
            c.receive(cmd("QUIT"));
            assertThat(c.writtenAscii()).isEqualTo("+OK\r\n");
            assertThat(c.closed()).as("closed after QUIT").isTrue();
            assertThat(c.closeCause()).isNull();
            assertThat(c.errors()).isEmpty();
        }
    }

    @Test
    void pipelinedCommandsGetTheirRepliesInOrder() {
        TestConnection c = TestConnection.open(new TorqueResp(new RespStore()));
        c.receive(cmd("INCR", "counter").repeat(500));
        StringBuilder want = new StringBuilder();
        for (int i = 1; i <= 500; i++) {
            want.append(':').append(i).append("\r\n");
        }
        assertThat(c.writtenAscii()).isEqualTo(want.toString());
    }

    @Test
    void inlineCommandsAreLinesFoundByTheFramingHelperAndBounded() {
        TestConnection c = TestConnection.open(new TorqueResp(new RespStore()));
        c.receive("SET k ").receive("v\r").receive("\nGET k\n");
        assertThat(c.writtenAscii()).isEqualTo("+OK\r\n$1\r\nv\r\n");
        c.receive("\r\n"); // an empty line is no command
        assertThat(c.written()).isEmpty();
        c.receive("ECHO " + "x".repeat(RespParser.MAX_INLINE)); // no line end within 64 KiB
        assertThat(c.writtenAscii()).isEqualTo("-ERR Protocol error: too big inline request\r\n");
        assertThat(c.closed()).isTrue();
    }
}
