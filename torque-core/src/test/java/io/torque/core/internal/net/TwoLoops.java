package io.torque.core.internal.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.Function;

import io.torque.core.Torque;
import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.Placement;
import io.torque.core.internal.loop.Loop;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Listener;

/**
 * A test rig for ownership races: a context with two unpinned loops under STATIC dispatch and
 * round-robin placement, so the first connection is homed on loop 0 and the second on loop 1,
 * and tests decide themselves, through {@link OwnedSource#work}, which loop works on which
 * connection when; and a way to hold a loop still.
 */
final class TwoLoops implements AutoCloseable {
    final Torque torque;
    final Listener listener;
    private final java.util.List<TcpConnection> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Socket> helpers = new java.util.ArrayList<>();

    TwoLoops(Function<Connection, ConnectionHandler> handlers) {
        this(DispatchPolicy.STATIC, handlers);
    }

    TwoLoops(DispatchPolicy policy, Function<Connection, ConnectionHandler> handlers) {
        this(policy, io.torque.core.LoopBudgets.DEFAULT, handlers);
    }

    TwoLoops(DispatchPolicy policy, io.torque.core.LoopBudgets budgets, Function<Connection, ConnectionHandler> handlers) {
        torque = Torque.builder().loopCount(2).pin(false).dispatch(policy).spin(java.time.Duration.ZERO)
                .placement(Placement.ROUND_ROBIN).budgets(budgets).build();
        listener = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> {
            accepted.add((TcpConnection) c);
            return handlers.apply(c);
        });
    }

    /**
     * The {@code i}th connection accepted, once it is.
     */
    TcpConnection accepted(int i) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (accepted.size() <= i) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connection " + i + " was not accepted");
            }
            Thread.sleep(1);
        }
        return accepted.get(i);
    }

    /**
     * The loop that is not {@code home}: the home of the next connection (round-robin), opened
     * by a helper client that stays connected until close.
     */
    Loop other(Loop home) throws Exception {
        int before = accepted.size();
        helpers.add(connect());
        Loop other = accepted(before).home;
        if (other == home) {
            throw new AssertionError("round-robin placement put both connections on " + home);
        }
        return other;
    }

    /** A client connection. */
    Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", listener.localAddress().getPort());
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    /**
     * Connects {@code n} clients (added to {@code all}, to close) and returns those homed on the
     * first one's loop: with round-robin placement, every other one.
     */
    List<Socket> connectOnFirstHome(int n, List<Socket> all) throws Exception {
        int first = all.size();
        for (int i = 0; i < n; i++) {
            all.add(connect());
            accepted(first + i);
        }
        Loop home = accepted(first).home;
        List<Socket> onHome = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (accepted(first + i).home == home) {
                onHome.add(all.get(first + i));
            }
        }
        return onHome;
    }

    /**
     * Holds {@code loop} while the first {@code n} of {@code peers} each send one byte, their
     * index, then lets the kernel take it all before freeing the loop: n requests ready at once,
     * one round.
     */
    static void requestsInOneRound(Loop loop, List<Socket> peers, int n) throws Exception {
        CountDownLatch free = hold(loop);
        try {
            for (int i = 0; i < n; i++) {
                peers.get(i).getOutputStream().write(i);
            }
            Thread.sleep(50); // all of it is in the kernel: one round when the loop is free
        } finally {
            free.countDown();
        }
    }

    /** Holds {@code loop}'s thread in a task until the returned latch is counted down. */
    static CountDownLatch hold(Loop loop) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            await(release);
        });
        held.await();
        return release;
    }

    /** Runs {@code work} on {@code loop} as the dispatcher would for a handed connection. */
    static void workOn(Loop loop, TcpConnection c, int work) {
        loop.execute(() -> c.work(loop, work));
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    static String read(Socket s, int n) throws IOException {
        InputStream in = s.getInputStream();
        return new String(in.readNBytes(n), java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        OwnedSource.afterReleaseHook = null;
        for (Socket s : helpers) {
            s.close();
        }
        torque.closeNow();
    }
}
