package io.torque.core.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;

/** Connection.sendFile: sendfile(2) in turns of 1 MiB, in order with writes, to slow readers. */
class SendFileTest {
    @TempDir
    static Path dir;
    static Path big;
    static final long BIG = 256L << 20;

    /** Each 8-byte word of the file is its index: cheap to make and to check. */
    @BeforeAll
    static void makeFile() throws Exception {
        big = dir.resolve("big.bin");
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
            for (long word = 0; word < BIG / 8;) {
                b.clear();
                while (b.hasRemaining()) {
                    b.putLong(word++);
                }
                b.flip();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
    }

    /** Reads everything slowly (a pause per 1 MiB) and checks each word against its offset; returns the byte count. */
    private static long readAndCheck(InputStream in, long firstWord) throws Exception {
        byte[] buf = new byte[1 << 16];
        ByteBuffer words = ByteBuffer.wrap(buf);
        long total = 0;
        long word = firstWord;
        int carry = 0;
        while (true) {
            int n = in.read(buf, carry, buf.length - carry);
            if (n < 0) {
                assertThat(carry).as("a partial word at the end").isZero();
                return total;
            }
            total += n;
            int have = carry + n;
            int whole = have - have % 8;
            for (int i = 0; i < whole; i += 8) {
                long got = words.getLong(i);
                if (got != word) {
                    throw new AssertionError("word " + word + " (byte " + word * 8 + ") was " + got);
                }
                word++;
            }
            carry = have - whole;
            System.arraycopy(buf, whole, buf, 0, carry);
            if (total % (1 << 20) < n) {
                Thread.sleep(1); // slow: a pause per MiB
            }
        }
    }

    @Test
    void aBigFileReachesSixteenSlowReadersWhileOthersAreServed() throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(17);
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener files = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    c.sendFile(big, 0, BIG);
                    c.close(); // after the file: graceful, so it is sent first
                }

                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    in.consumeAll();
                    return Next.CONTINUE;
                }
            });
            Listener echo = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
            List<Future<Long>> got = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                got.add(readers.submit(() -> {
                    try (Socket s = new Socket("127.0.0.1", files.localAddress().getPort())) {
                        s.setSoTimeout(60_000);
                        return readAndCheck(s.getInputStream(), 0);
                    }
                }));
            }
            // meanwhile another connection is answered: round trips with a generous bound
            long worstMillis = 0;
            try (Socket ping = new Socket("127.0.0.1", echo.localAddress().getPort())) {
                ping.setSoTimeout(10_000);
                OutputStream out = ping.getOutputStream();
                InputStream in = ping.getInputStream();
                while (got.stream().anyMatch(f -> !f.isDone())) {
                    long t0 = System.nanoTime();
                    out.write(42);
                    assertThat(in.read()).isEqualTo(42);
                    worstMillis = Math.max(worstMillis, (System.nanoTime() - t0) / 1_000_000);
                    Thread.sleep(5);
                }
            }
            for (Future<Long> f : got) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(BIG);
            }
            assertThat(worstMillis).as("the worst echo round trip while 4 GiB went out").isLessThan(2_000);
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void filesAndWritesKeepTheirOrder() throws Exception {
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    ByteBuffer head = ByteBuffer.allocate(16).putLong(-1).putLong(-2).flip();
                    c.write(head);
                    c.sendFile(big, 8 * 1000, 8 * 3000); // words 1000..3999
                    c.sendFile(big, 8 * 4000, 8 * 1000); // words 4000..4999
                    c.write(ByteBuffer.allocate(8).putLong(-3).flip());
                    c.close();
                }

                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    in.consumeAll();
                    return Next.CONTINUE;
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.setSoTimeout(10_000);
                ByteBuffer all = ByteBuffer.wrap(s.getInputStream().readAllBytes());
                assertThat(all.remaining()).isEqualTo(16 + 8 * 4000 + 8);
                assertThat(all.getLong()).isEqualTo(-1);
                assertThat(all.getLong()).isEqualTo(-2);
                for (long w = 1000; w < 5000; w++) {
                    assertThat(all.getLong()).isEqualTo(w);
                }
                assertThat(all.getLong()).isEqualTo(-3);
            }
        }
    }

    @Test
    void aCallersChannelIsReadInChunksAndLeftOpen() throws Exception {
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.READ);
                Torque torque = Torque.builder().loopCount(1).build()) {
            long words = (5L << 20) / 8 + 3; // five shares and a bit
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    c.write(ByteBuffer.allocate(8).putLong(-1).flip());
                    c.sendFile(ch, 8 * 100, words * 8);
                    c.write(ByteBuffer.allocate(8).putLong(-2).flip());
                    c.close();
                }

                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    in.consumeAll();
                    return Next.CONTINUE;
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.setSoTimeout(20_000);
                ByteBuffer all = ByteBuffer.wrap(s.getInputStream().readAllBytes());
                assertThat(all.remaining()).isEqualTo(8 + words * 8 + 8);
                assertThat(all.getLong()).isEqualTo(-1);
                for (long w = 100; w < 100 + words; w++) {
                    if (all.getLong() != w) {
                        throw new AssertionError("word " + w + " differs");
                    }
                }
                assertThat(all.getLong()).isEqualTo(-2);
            }
            assertThat(ch.isOpen()).as("the caller's channel is the caller's").isTrue();
        }
    }

    @Test
    void aFileThatShrinksClosesTheConnectionSayingSo() throws Exception {
        Path shrinking = dir.resolve("shrinking.bin");
        try (FileChannel ch = FileChannel.open(shrinking, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8 << 20));
        }
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    opened.complete(c);
                }

                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    in.consumeAll();
                    return Next.CONTINUE;
                }

                @Override
                public void onClose(Connection c, Throwable cause) {
                    closed.complete(cause);
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                Connection c = opened.get(10, TimeUnit.SECONDS);
                c.sendFile(shrinking, 0, 8 << 20); // the reader does not read yet: the socket fills
                Thread.sleep(200);
                try (FileChannel ch = FileChannel.open(shrinking, StandardOpenOption.WRITE)) {
                    ch.truncate(1 << 20);
                }
                s.getInputStream().readAllBytes(); // now read: the rest of the file is gone
            } catch (java.net.SocketException reset) {
                // the server's close may come as a reset
            }
            assertThat(closed.get(10, TimeUnit.SECONDS)).isInstanceOf(java.io.IOException.class).hasMessageContaining("shrank");
        }
    }

    @Test
    void badFilesAreClearErrors() throws Exception {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo() {
                @Override
                public void onOpen(Connection c) {
                    opened.complete(c);
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                Connection c = opened.get(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> c.sendFile(dir.resolve("missing"), 0, 1)).isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining("missing");
                assertThatThrownBy(() -> c.sendFile(big, BIG - 4, 8)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("past the end");
                assertThatThrownBy(() -> c.sendFile(dir, 0, 1)).isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining("not a regular file");
                assertThatThrownBy(() -> c.sendFile(big, 8, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("past the end"); // no overflow
                c.sendFile(big, 0, 0); // nothing to send: not an error, and the connection goes on
                s.getOutputStream().write(7);
                assertThat(s.getInputStream().read()).isEqualTo(7);
                assertThat(c.isOpen()).isTrue();
            }
        }
    }
}
