package io.torque.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.torque.core.framing.Framer;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionAbortedException;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/** The handler test kit keeps torque's connection contract, without sockets. */
class TestConnectionTest {
    /** Upper-cases each line; "quit" closes; "boom" throws; records what happened. */
    private static final class Lines implements ConnectionHandler {
        final Framer lines = Framer.lines(100);
        final List<String> events = new ArrayList<>();
        Next onPeerShutdown = Next.CLOSE;

        @Override
        public void onOpen(Connection c) {
            events.add("open");
        }

        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            int n;
            while ((n = lines.next(in)) >= 0) {
                String line = StandardCharsets.US_ASCII.decode(lines.payload(in)).toString();
                in.consume(n);
                if (line.equals("boom")) {
                    throw new IllegalStateException("boom");
                }
                if (line.equals("quit")) {
                    c.write("bye\n".getBytes(StandardCharsets.US_ASCII));
                    return Next.CLOSE;
                }
                c.write((line.toUpperCase() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return Next.CONTINUE;
        }

        @Override
        public void onWritable(Connection c) {
            events.add("writable");
        }

        @Override
        public Next onPeerShutdown(Connection c) {
            events.add("peer-fin");
            return onPeerShutdown;
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            events.add("close:" + (cause == null ? "null" : cause.getClass().getSimpleName()));
        }
    }

    @Test
    void bytesInPiecesMakeWholeRepliesAndUnconsumedBytesWait() {
        Lines h = new Lines();
        TestConnection c = TestConnection.open(h);
        c.receive("hel").receive("lo\nwor");
        assertThat(c.writtenAscii()).isEqualTo("HELLO\n");
        assertThat(c.unconsumedBytes()).isEqualTo(3);
        c.receiveInPieces("ld\r\nx\n".getBytes(StandardCharsets.US_ASCII), 1, 1, 1);
        assertThat(c.writtenAscii()).isEqualTo("WORLD\nX\n");
        assertThat(c.isOpen()).isTrue();
        assertThat(h.events).containsExactly("open");
    }

    @Test
    void nextCloseSendsWhatIsQueuedThenClosesOnce() {
        Lines h = new Lines();
        TestConnection c = TestConnection.open(h);
        c.receive("a\nquit\nignored\n");
        assertThat(c.writtenAscii()).isEqualTo("A\nbye\n");
        assertThat(c.peerSawEnd()).isTrue();
        assertThat(c.closed()).isTrue();
        assertThat(c.closeCause()).isNull();
        c.receive("more\n").peerShutdown().peerReset();
        c.close();
        c.abort();
        assertThat(h.events).containsExactly("open", "close:null");
        c.write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(c.written()).isEmpty();
    }

    @Test
    void aThrowingCallbackClosesWithItsCauseAndIsReportedOnce() {
        Lines h = new Lines();
        TestConnection c = TestConnection.open(h);
        c.receive("boom\n");
        assertThat(c.closed()).isTrue();
        assertThat(c.closeCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(c.errors()).hasSize(1);
        assertThat(h.events).containsExactly("open", "close:IllegalStateException");
    }

    @Test
    void anIoExceptionClosesWithoutBeingReported() {
        TestConnection c = TestConnection.open((conn, in) -> {
            throw new IOException("protocol error");
        });
        c.receive("x");
        assertThat(c.closeCause()).isInstanceOf(IOException.class);
        assertThat(c.errors()).isEmpty();
    }

    @Test
    void thePeersFinRunsOnPeerShutdownAndAHalfCloseKeepsWriting() {
        Lines closes = new Lines();
        TestConnection a = TestConnection.open(closes);
        a.receive("x\n").peerShutdown();
        assertThat(a.writtenAscii()).isEqualTo("X\n");
        assertThat(a.closed()).isTrue();
        assertThat(closes.events).containsExactly("open", "peer-fin", "close:null");

        Lines halfClose = new Lines();
        halfClose.onPeerShutdown = Next.CONTINUE;
        TestConnection b = TestConnection.open(halfClose);
        b.peerShutdown();
        assertThat(b.isOpen()).isTrue();
        b.write("late reply".getBytes(StandardCharsets.US_ASCII));
        assertThat(b.writtenAscii()).isEqualTo("late reply");
        b.shutdownOutput();
        assertThat(b.peerSawEnd()).isTrue();
        b.peerShutdown(); // both directions done
        assertThat(b.closed()).isTrue();
    }

    @Test
    void aResetDropsWhatIsQueuedAndNamesTheReset() {
        Lines h = new Lines();
        TestConnection c = TestConnection.open(h).peerStopsReading();
        c.receive("a\n");
        assertThat(c.queuedBytes()).isEqualTo(2);
        c.peerReset();
        assertThat(c.closeCause()).isInstanceOf(IOException.class).hasMessageContaining("reset");
        assertThat(c.queuedBytes()).isZero();
    }

    @Test
    void aPeerThatDoesNotReadPausesReadingAboveTheHighMarkUntilItReadsBelowTheLowOne() {
        Lines h = new Lines();
        ConnectionSettings small = new ConnectionSettings(1 << 20, 10, 4);
        TestConnection c = TestConnection.open(h, small).peerStopsReading();
        c.receive("abcdef\n"); // 7 queued: below the high mark
        assertThat(c.isWritable()).isTrue();
        c.receive("ghijkl\n"); // 14 queued: above it
        assertThat(c.isWritable()).isFalse();
        c.receive("held\n"); // reading is paused: held, not delivered
        assertThat(c.queuedBytes()).isEqualTo(14);
        c.peerReads(7); // 7 left: not below the low mark yet
        assertThat(c.isWritable()).isFalse();
        assertThat(c.writtenAscii()).isEqualTo("ABCDEF\n");
        c.peerReads(Long.MAX_VALUE);
        assertThat(h.events).contains("writable");
        assertThat(c.writtenAscii()).isEqualTo("GHIJKL\nHELD\n");
        assertThat(c.isWritable()).isTrue();
    }

    @Test
    void pausedReadingHoldsBytesAndTheFinUntilResumed() {
        Lines h = new Lines();
        TestConnection c = TestConnection.open(h);
        c.pauseReading();
        c.receive("a\n").peerShutdown();
        assertThat(c.written()).isEmpty();
        assertThat(c.isOpen()).isTrue();
        c.resumeReading();
        assertThat(c.writtenAscii()).isEqualTo("A\n");
        assertThat(c.closed()).isTrue();
    }

    @Test
    void theIdleTimeoutRunsOnTheVirtualClockAndBytesResetIt() {
        Lines h = new Lines();
        TestConnection c = TestConnection.open(h, ConnectionSettings.DEFAULT.withIdleTimeout(Duration.ofSeconds(5)));
        c.advance(Duration.ofSeconds(4)).receive("a\n").advance(Duration.ofSeconds(4));
        assertThat(c.isOpen()).isTrue();
        c.advance(Duration.ofSeconds(1));
        assertThat(c.closeCause()).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("idle timeout 5000 ms");
        assertThatThrownBy(() -> c.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aContextsCloseThePeerNeverReadsIsAbortedAtTheDrainDeadlineAPlainCloseWaits() {
        TestConnection plain = TestConnection.open(new Lines()).peerStopsReading();
        plain.receive("a\n");
        plain.close();
        assertThat(plain.isOpen()).isFalse();
        plain.advance(Duration.ofMinutes(1));
        assertThat(plain.closed()).as("a plain close has no deadline").isFalse();
        plain.peerReads(Long.MAX_VALUE);
        assertThat(plain.closed()).isTrue();
        assertThat(plain.closeCause()).isNull();

        TestConnection c = TestConnection.open(new Lines()).peerStopsReading();
        c.receive("a\n");
        c.contextCloses();
        assertThat(c.closed()).isFalse(); // still sending
        c.advance(TestConnection.DRAIN_TIMEOUT);
        assertThat(c.closeCause()).isInstanceOf(ConnectionAbortedException.class);
        c.peerReads(Long.MAX_VALUE);
        assertThat(c.written()).as("dropped with the connection").isEmpty();
    }

    @Test
    void aProducerLoopingOnIsWritableStopsInsideItsCallback() {
        ConnectionSettings small = new ConnectionSettings(1 << 20, 100, 10);
        int[] writes = {0};
        TestConnection c = TestConnection.open((conn, in) -> {
            in.consumeAll();
            while (conn.isWritable() && writes[0] < 1000) {
                conn.write(new byte[10]);
                writes[0]++;
            }
            return Next.CONTINUE;
        }, small).peerStopsReading();
        c.receive("go");
        assertThat(writes[0]).isEqualTo(11); // 110 bytes: past the high mark of 100
    }

    @Test
    void theTwoFinsCloseInEitherOrderAndOnlyOnceTheQueuedBytesAreSent() {
        Lines h = new Lines();
        h.onPeerShutdown = Next.CONTINUE;
        TestConnection c = TestConnection.open(h).peerStopsReading();
        c.receive("a\n");
        c.shutdownOutput(); // "A\n" still queued: our FIN has not gone out
        c.peerShutdown();
        assertThat(h.events).contains("peer-fin");
        assertThat(c.closed()).isFalse();
        c.peerReads(Long.MAX_VALUE);
        assertThat(c.writtenAscii()).isEqualTo("A\n");
        assertThat(c.closed()).isTrue();

        Lines later = new Lines();
        later.onPeerShutdown = Next.CONTINUE;
        TestConnection d = TestConnection.open(later);
        d.peerShutdown();
        d.shutdownOutput(); // the peer's FIN first, ours later
        assertThat(d.closed()).isTrue();
        assertThat(d.closeCause()).isNull();
    }

    @Test
    void bytesHeldWhilePausedDoNotResetTheIdleClockAndMisuseIsRefused() {
        TestConnection c = TestConnection.open(new Lines(), ConnectionSettings.DEFAULT.withIdleTimeout(Duration.ofSeconds(5)));
        c.pauseReading();
        c.advance(Duration.ofSeconds(3)).receive("a\n").advance(Duration.ofSeconds(2));
        assertThat(c.closeCause()).isInstanceOf(SocketTimeoutException.class);

        TestConnection d = TestConnection.open(new Lines());
        d.receive(new byte[0]);
        d.peerShutdown().peerShutdown();
        assertThatThrownBy(() -> TestConnection.open(new Lines(), ConnectionSettings.DEFAULT).peerShutdown().receive("x"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCallbackThatAbortsAndThenThrowsIsNotReportedAndNextCloseWinsOverAFullBuffer() {
        TestConnection c = TestConnection.open((conn, in) -> {
            conn.abort();
            throw new IllegalStateException("after the abort");
        });
        c.receive("x");
        assertThat(c.closeCause()).isInstanceOf(ConnectionAbortedException.class);
        assertThat(c.errors()).isEmpty();

        TestConnection full = TestConnection.open((conn, in) -> Next.CLOSE, new ConnectionSettings(4096, 1 << 20, 1 << 10));
        full.receive(new byte[4096]);
        assertThat(full.closed()).isTrue();
        assertThat(full.closeCause()).as("CLOSE wins").isNull();
    }

    @Test
    void noOnWritableOnceACloseIsUnderWay() {
        Lines h = new Lines();
        TestConnection c = TestConnection.open(h, new ConnectionSettings(1 << 20, 10, 4)).peerStopsReading();
        c.receive("abcdefghijkl\n");
        assertThat(c.isWritable()).isFalse();
        c.close();
        c.peerReads(Long.MAX_VALUE);
        assertThat(h.events).doesNotContain("writable");
        assertThat(c.closed()).isTrue();
    }

    @Test
    void theReadBufferIsUselessOutsideItsCallbackAndItsViewEmpties() {
        ReadBuffer[] kept = new ReadBuffer[1];
        ByteBuffer[] view = new ByteBuffer[1];
        TestConnection c = TestConnection.open((conn, in) -> {
            kept[0] = in;
            view[0] = in.bytes();
            return Next.CONTINUE;
        });
        c.receive("abc");
        assertThat(view[0].remaining()).isZero();
        assertThatThrownBy(() -> kept[0].readableBytes()).isInstanceOf(IllegalStateException.class);
        assertThat(c.unconsumedBytes()).isEqualTo(3);
    }

    @Test
    void aHandlerThatNeverConsumesIsClosedAtTheReadBufferMaximum() {
        TestConnection c = TestConnection.open((conn, in) -> Next.CONTINUE, new ConnectionSettings(4096, 1 << 20, 1 << 10));
        c.receive(new byte[4000]);
        assertThat(c.isOpen()).isTrue();
        c.receive(new byte[96]);
        assertThat(c.closeCause()).isInstanceOf(IOException.class).hasMessageContaining("read buffer maximum");
        assertThat(c.errors()).isEmpty();
    }
}
