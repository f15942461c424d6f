package io.torque.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;
import io.torque.testkit.TestCertificates;

/** Half-closes, close_notify arriving with data, and pauses, over TLS. */
class TlsCloseTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCertificates.Pair server;
    static TestPki pki;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir);
        certs = pki.ca();
        server = pki.localhost();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void sendFileOverTlsReadsAndWrapsInChunks(TlsProvider provider) throws Exception {
        Path file = dir.resolve("file-" + provider + ".bin");
        long words = (3L << 20) / 8 + 5; // not a whole number of chunks
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (words * 8));
            for (long w = 0; w < words; w++) {
                b.putLong(w);
            }
            ch.write(b.flip());
        }
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT.withTls(serverTls(provider)),
                    c -> new Echo() {
                        @Override
                        public void onOpen(Connection c) {
                            c.write("head".getBytes(StandardCharsets.US_ASCII));
                            c.sendFile(file, 0, words * 8);
                            c.write("tail".getBytes(StandardCharsets.US_ASCII));
                            c.close();
                        }
                    });
            try (SSLSocket tls = (SSLSocket) pki.jdkClient().getSocketFactory().createSocket("127.0.0.1", l.localAddress().getPort())) {
                tls.setSoTimeout(20_000);
                java.nio.ByteBuffer all = java.nio.ByteBuffer.wrap(tls.getInputStream().readAllBytes());
                assertThat(all.remaining()).isEqualTo(4 + words * 8 + 4);
                byte[] edge = new byte[4];
                all.get(edge);
                assertThat(new String(edge, StandardCharsets.US_ASCII)).isEqualTo("head");
                for (long w = 0; w < words; w++) {
                    if (all.getLong() != w) {
                        throw new AssertionError("word " + w + " differs");
                    }
                }
                all.get(edge);
                assertThat(new String(edge, StandardCharsets.US_ASCII)).isEqualTo("tail");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL"})
    void manyFilesOverTlsAcrossShares(TlsProvider provider) throws Exception {
        Path file = dir.resolve("mib-" + provider + ".bin");
        long words = (1L << 20) / 8; // exactly one share
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (words * 8));
            for (long w = 0; w < words; w++) {
                b.putLong(w);
            }
            ch.write(b.flip());
        }
        int small = 200;
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT.withTls(serverTls(provider)),
                    c -> new Echo() {
                        @Override
                        public void onOpen(Connection c) {
                            c.sendFile(file, 0, words * 8); // ends exactly where its share does
                            for (int i = 0; i < small; i++) { // then many small ones within the next shares
                                c.sendFile(file, 8 * i, 8 * 1024);
                            }
                            c.write("tail".getBytes(StandardCharsets.US_ASCII));
                            c.close();
                        }
                    });
            try (SSLSocket tls = (SSLSocket) pki.jdkClient().getSocketFactory().createSocket("127.0.0.1", l.localAddress().getPort())) {
                tls.setSoTimeout(20_000);
                java.nio.ByteBuffer all = java.nio.ByteBuffer.wrap(tls.getInputStream().readAllBytes());
                assertThat(all.remaining()).isEqualTo(words * 8 + small * 8L * 1024 + 4);
                for (long w = 0; w < words; w++) {
                    if (all.getLong() != w) {
                        throw new AssertionError("word " + w + " of the first file differs");
                    }
                }
                for (int i = 0; i < small; i++) {
                    for (long w = i; w < i + 1024; w++) {
                        if (all.getLong() != w) {
                            throw new AssertionError("word " + w + " of small file " + i + " differs");
                        }
                    }
                }
                byte[] tail = new byte[4];
                all.get(tail);
                assertThat(new String(tail, StandardCharsets.US_ASCII)).isEqualTo("tail");
            }
        }
    }

    private static TlsConfig serverTls(TlsProvider provider) {
        return TlsConfig.server().certificate(server.certificate(), server.key()).provider(provider).build();
    }

    /** Records the server side's end. */
    private static final class Watcher extends Echo {
        final CompletableFuture<Void> peerShutdown = new CompletableFuture<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        @Override
        public Next onPeerShutdown(Connection c) {
            peerShutdown.complete(null);
            return Next.CLOSE;
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            closed.complete(cause);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void dataAndCloseNotifyTogetherEndTheStreamAtOnce(TlsProvider provider) throws Exception {
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Watcher w = new Watcher();
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT.withTls(serverTls(provider)), c -> w);
            try (Socket plain = new Socket("127.0.0.1", l.localAddress().getPort())) {
                SSLSocket tls = (SSLSocket) pki.jdkClient().getSocketFactory().createSocket(plain, "localhost", plain.getPort(), false);
                tls.startHandshake();
                tls.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                tls.shutdownOutput(); // close_notify right behind the data, and no FIN (a layered socket)
                w.peerShutdown.get(5, TimeUnit.SECONDS); // not left waiting for another edge
                Throwable cause = w.closed.get(5, TimeUnit.SECONDS);
                if (cause != null) {
                    // BoringSSL closes its output with the peer's close_notify: the echo cannot go,
                    // and the connection says so rather than drop it quietly
                    assertThat(cause).isInstanceOf(SSLException.class).hasMessageContaining("after the peer's close_notify");
                } else {
                    InputStream in = tls.getInputStream(); // the JDK's TLS 1.3 engine keeps writing: the echo came
                    assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void shutdownOutputBeforeTheHandshakeWaitsForIt(TlsProvider provider) throws Exception {
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT.withTls(serverTls(provider)),
                    c -> new Echo() {
                        @Override
                        public void onOpen(Connection c) {
                            c.shutdownOutput(); // a server that only listens: its close_notify after the handshake
                        }

                        @Override
                        public Next onPeerShutdown(Connection c) {
                            return Next.CLOSE;
                        }
                    });
            CompletableFuture<Void> peerShutdown = new CompletableFuture<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            Connection c = torque.connect(new InetSocketAddress("localhost", l.localAddress().getPort()), new ConnectionHandler() {
                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    in.consumeAll();
                    return Next.CONTINUE;
                }

                @Override
                public Next onPeerShutdown(Connection c) {
                    peerShutdown.complete(null);
                    return Next.CLOSE;
                }

                @Override
                public void onClose(Connection c, Throwable cause) {
                    closed.complete(cause);
                }
            }, Duration.ofSeconds(5), TlsConfig.client().trust(certs.ca()).provider(provider).build()).get(10, TimeUnit.SECONDS);
            assertThat(c.tls()).isNotNull(); // the handshake finished
            peerShutdown.get(10, TimeUnit.SECONDS); // then the server's close_notify came
            assertThat(closed.get(10, TimeUnit.SECONDS)).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void pausesWithRecordsHeldLoseNothing(TlsProvider provider) throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT.withTls(serverTls(provider)),
                    c -> new Echo() {
                        private int reads;

                        @Override
                        public Next onRead(Connection c, ReadBuffer in) {
                            Next n = super.onRead(c, in);
                            if (++reads % 7 == 0) { // now and then, pause with records possibly held, resume soon
                                c.pauseReading();
                                later.schedule(c::resumeReading, 5, TimeUnit.MILLISECONDS);
                            }
                            return n;
                        }
                    });
            StreamClient client = new StreamClient(21, 4 << 20);
            torque.connect(new InetSocketAddress("localhost", l.localAddress().getPort()), client, Duration.ofSeconds(5),
                    TlsConfig.client().trust(certs.ca()).provider(provider).build());
            assertThat(client.done.get(30, TimeUnit.SECONDS)).isEqualTo(4L << 20);
        } finally {
            later.shutdownNow();
        }
    }

}
