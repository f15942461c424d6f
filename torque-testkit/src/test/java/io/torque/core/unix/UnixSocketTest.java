package io.torque.core.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.PeerCredentials;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;
import io.torque.testkit.EchoClients;

/** Unix domain stream sockets: the TCP connection API on a path or an abstract name. */
class UnixSocketTest {
    @TempDir
    Path dir;

    /** Sends a seeded stream and checks every byte of the echo; completes with the count. */
    private static final class Streamer implements ConnectionHandler {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        final CompletableFuture<PeerCredentials> creds = new CompletableFuture<>();
        private final long seed;
        private final int total;
        private long received;

        Streamer(long seed, int total) {
            this.seed = seed;
            this.total = total;
        }

        @Override
        public void onOpen(Connection c) {
            creds.complete(c.peerCredentials());
            byte[] all = new byte[total];
            for (int i = 0; i < total; i++) {
                all[i] = EchoClients.streamByte(seed, i);
            }
            c.write(all);
        }

        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            for (int i = 0; i < in.readableBytes(); i++) {
                if (in.get(i) != EchoClients.streamByte(seed, received + i)) {
                    done.completeExceptionally(new AssertionError("byte " + (received + i) + " differs"));
                    return Next.CLOSE;
                }
            }
            received += in.readableBytes();
            in.consumeAll();
            if (received == total) {
                done.complete(received);
                return Next.CLOSE;
            }
            return Next.CONTINUE;
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            if (!done.isDone()) {
                done.completeExceptionally(cause != null ? cause : new AssertionError("closed after " + received));
            }
        }
    }

    @Test
    void echoesEveryByteOnAPathAndRemovesTheFileOnClose() throws Exception {
        Path sock = dir.resolve("echo.sock");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(sock);
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            CompletableFuture<PeerCredentials> serverSaw = new CompletableFuture<>();
            Listener l = torque.listen(address, ListenOptions.DEFAULT, c -> {
                serverSaw.complete(c.peerCredentials());
                return new Echo();
            });
            assertThat(l.address()).isEqualTo(address);
            assertThat(l.localAddress()).isNull();
            assertThat(Files.exists(sock)).isTrue();
            List<Streamer> clients = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Streamer s = new Streamer(i, 200_000);
                clients.add(s);
                torque.connect(address, s, Duration.ofSeconds(5));
            }
            for (Streamer s : clients) {
                assertThat(s.done.get(30, TimeUnit.SECONDS)).isEqualTo(200_000L);
            }
            long pid = ProcessHandle.current().pid();
            assertThat(serverSaw.get(5, TimeUnit.SECONDS).pid()).isEqualTo(pid); // the client is this process
            PeerCredentials clientSaw = clients.get(0).creds.get(5, TimeUnit.SECONDS);
            assertThat(clientSaw.pid()).isEqualTo(pid);
            assertThat(clientSaw.uid()).isEqualTo(serverSaw.get().uid());
            l.close();
            assertThat(Files.exists(sock)).as("the socket file goes with the listener").isFalse();
        }
    }

    @Test
    void theSocketFileGoesWithTheContextAlsoWhenACallbackClosesIt() throws Exception {
        Path a = dir.resolve("a.sock");
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            torque.listen(UnixDomainSocketAddress.of(a), ListenOptions.DEFAULT, c -> new Echo());
        }
        assertThat(Files.exists(a)).isFalse();
        Path b = dir.resolve("b.sock");
        Torque torque = Torque.builder().loopCount(2).build();
        torque.listen(UnixDomainSocketAddress.of(b), ListenOptions.DEFAULT, c -> new Echo());
        torque.timer(Duration.ofMillis(10), Duration.ZERO, t -> torque.close()); // as a signal handler does
        assertThat(torque.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(Files.exists(b)).isFalse();
    }

    @Test
    void closeLeavesASocketFileAnotherListenerMadeSince() throws Exception {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("rolling.sock"));
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener old = torque.listen(path, ListenOptions.DEFAULT, c -> new Echo());
            Files.delete(path.getPath()); // a rolling restart: the operator removes the old file,
            Listener next = torque.listen(path, ListenOptions.DEFAULT, c -> new Echo()); // the new instance binds
            old.close(); // and the old one stops: the new one's file must stay
            assertThat(Files.exists(path.getPath())).isTrue();
            Streamer s = new Streamer(5, 1000);
            torque.connect(path, s, Duration.ofSeconds(5));
            assertThat(s.done.get(10, TimeUnit.SECONDS)).isEqualTo(1000L);
            next.close();
            assertThat(Files.exists(path.getPath())).isFalse();
        }
    }

    @Test
    void theAbstractNamespaceHasNoFile() throws Exception {
        String name = "@torque-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(name);
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            torque.listen(address, ListenOptions.DEFAULT, c -> new Echo());
            assertThat(Files.exists(Path.of(name))).isFalse(); // no file
            // the kernel lists abstract sockets with a leading @ (as torque takes them)
            assertThat(Files.readString(Path.of("/proc/net/unix"))).contains(name);
            Streamer s = new Streamer(3, 10_000);
            torque.connect(address, s, Duration.ofSeconds(5));
            assertThat(s.done.get(10, TimeUnit.SECONDS)).isEqualTo(10_000L);
        }
    }

    @Test
    void badPathsAreClearErrors() throws Exception {
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            UnixDomainSocketAddress tooLong = UnixDomainSocketAddress.of(dir.resolve("x".repeat(120)));
            assertThatThrownBy(() -> torque.listen(tooLong, ListenOptions.DEFAULT, c -> new Echo()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than the kernel's 107");
            assertThatThrownBy(() -> torque.connect(tooLong, new Echo(), Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class);

            UnixDomainSocketAddress taken = UnixDomainSocketAddress.of(dir.resolve("taken.sock"));
            torque.listen(taken, ListenOptions.DEFAULT, c -> new Echo());
            assertThatThrownBy(() -> torque.listen(taken, ListenOptions.DEFAULT, c -> new Echo()))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("taken.sock")
                    .hasMessageContaining("the path exists");
            assertThat(Files.exists(taken.getPath())).as("the failed bind leaves the first listener's file").isTrue();

            UnixDomainSocketAddress nobody = UnixDomainSocketAddress.of(dir.resolve("nobody.sock"));
            CompletableFuture<Connection> f = torque.connect(nobody, new Echo(), Duration.ofSeconds(1));
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(java.net.ConnectException.class).hasMessageContaining("nobody.sock")
                    .hasMessageContaining("no socket at that path");

            UnixDomainSocketAddress noDir = UnixDomainSocketAddress.of(dir.resolve("missing/dir.sock"));
            assertThatThrownBy(() -> torque.listen(noDir, ListenOptions.DEFAULT, c -> new Echo()))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("dir.sock");
            assertThatThrownBy(() -> torque.listen(UnixDomainSocketAddress.of(dir.resolve("r.sock")), new ListenOptions(16, true),
                    c -> new Echo())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SO_REUSEPORT");
        }
    }
}
