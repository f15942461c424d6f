package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.netty.channel.unix.FileDescriptor;
import io.torque.core.fd.FdHandler;
import io.torque.core.fd.FdSource;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;

/**
 * The API contracts a review found hazardous, each decided, documented and checked: what
 * {@code ReadBuffer.bytes()} hands out, where a source registered from a callback lives, and
 * that a closed connection is not kept reachable by its loop.
 */
class ContractsTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    /**
     * bytes() is a read-only view of this connection's bytes, emptied when the callback returns:
     * kept past it, it reads nothing, not the next connection's bytes. Before the fix it was the
     * loop's shared scratch buffer itself: writable, and showing whatever came later.
     */
    @Test
    void bytesIsAReadOnlyViewThatEmptiesAfterTheCallback() throws Exception {
        AtomicReference<ByteBuffer> kept = new AtomicReference<>();
        CompletableFuture<Class<?>> writeInto = new CompletableFuture<>();
        CountDownLatch second = new CountDownLatch(1);
        try (Torque torque = Torque.builder().loopCount(1).build()) {
            Listener l = torque.listen(ANY, c -> new Echo() {
                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    ByteBuffer b = in.bytes();
                    if (kept.compareAndSet(null, b)) {
                        try {
                            b.put(b.position(), (byte) 0);
                            writeInto.complete(null);
                        } catch (ReadOnlyBufferException e) {
                            writeInto.complete(e.getClass());
                        }
                    } else {
                        second.countDown();
                    }
                    return super.onRead(c, in);
                }
            });
            try (Socket a = new Socket("127.0.0.1", l.localAddress().getPort());
                    Socket b = new Socket("127.0.0.1", l.localAddress().getPort())) {
                a.getOutputStream().write("first".getBytes());
                assertThat(a.getInputStream().readNBytes(5)).isEqualTo("first".getBytes());
                b.getOutputStream().write("other connection".getBytes());
                assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(b.getInputStream().readNBytes(16)).isEqualTo("other connection".getBytes());
            }
            assertThat(writeInto.get(10, TimeUnit.SECONDS)).isEqualTo(ReadOnlyBufferException.class);
            assertThat(kept.get().remaining()).as("the kept view reads nothing").isZero();
            assertThatThrownBy(() -> kept.get().get()).isInstanceOf(java.nio.BufferUnderflowException.class);
        }
    }

    /**
     * A source registered from a callback lives on the loop that runs the callback (inline, no
     * waiting between loops): here an fd registered from an onRead whose thread is recorded; its
     * own callback runs on the same thread.
     */
    @Test
    void aSourceRegisteredFromACallbackLivesOnTheCallbacksLoop() throws Exception {
        FileDescriptor[] pipe = FileDescriptor.pipe();
        CompletableFuture<String> registeringThread = new CompletableFuture<>();
        CompletableFuture<String> fdThread = new CompletableFuture<>();
        try (Torque torque = Torque.builder().loopCount(2).build()) {
            Listener l = torque.listen(ANY, c -> new Echo() {
                @Override
                public Next onRead(Connection c, ReadBuffer in) {
                    registeringThread.complete(Thread.currentThread().getName());
                    torque.register(pipe[0].intValue(), true, false, new FdHandler() {
                        @Override
                        public void onReadable(FdSource source) {
                            fdThread.complete(Thread.currentThread().getName());
                        }
                    });
                    return super.onRead(c, in);
                }
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.getOutputStream().write(1);
                assertThat(s.getInputStream().read()).isEqualTo(1);
                String registering = registeringThread.get(10, TimeUnit.SECONDS);
                pipe[1].write(ByteBuffer.allocateDirect(1), 0, 1);
                assertThat(fdThread.get(10, TimeUnit.SECONDS)).isEqualTo(registering);
            }
        } finally {
            pipe[1].close();
        }
    }

    /**
     * A closed connection (and its handler) is garbage once closed, also with a long idle
     * timeout. Before the fix the idle check scheduled on the loop kept it reachable until its
     * deadline (3000 closed connections, 3001 tasks live after GC with 60 s).
     */
    @Test
    void aClosedConnectionIsNotKeptReachable() throws Exception {
        ConnectionSettings settings = ConnectionSettings.DEFAULT.withIdleTimeout(Duration.ofSeconds(60));
        AtomicReference<WeakReference<ConnectionHandler>> handler = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        try (Torque torque = Torque.builder().loopCount(1).connectionSettings(settings).build()) {
            Listener l = torque.listen(ANY, c -> {
                ConnectionHandler h = new Echo() {
                    @Override
                    public void onClose(Connection c, Throwable cause) {
                        closed.countDown();
                    }
                };
                handler.set(new WeakReference<>(h));
                return h;
            });
            try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
                s.getOutputStream().write(1);
                assertThat(s.getInputStream().read()).isEqualTo(1);
            }
            assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
            WeakReference<ConnectionHandler> ref = handler.get();
            for (int i = 0; i < 50 && ref.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(ref.get()).as("the closed connection's handler was collected").isNull();
        }
    }
}
