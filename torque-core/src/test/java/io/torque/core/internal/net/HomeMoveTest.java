package io.torque.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.internal.loop.Loop;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * STEAL_EPOLL's move of a connection to another home ({@link HomeMove}), driven directly: after
 * it, the new home serves it (its reads, the EPOLLOUT its queued bytes wait for, its close, the
 * placement counts); and a move asked while a turn of it runs on another loop waits for that turn.
 */
class HomeMoveTest {
    /** Far more than the socket buffers hold, so most of it waits for room. */
    private static final int BIG = 64 << 20;

    /** 'a': one byte back; 'B': 64 MiB back; 'h': holds its turn until {@code release}. Records each request's thread. */
    private static ConnectionHandler handler(BlockingQueue<String> threads, CountDownLatch holding, CountDownLatch release,
            CountDownLatch closed) {
        return new ConnectionHandler() {
            @Override
            public Next onRead(Connection c, ReadBuffer in) {
                while (in.readableBytes() > 0) {
                    int b = in.get(0);
                    in.consume(1);
                    threads.add((char) b + " " + Thread.currentThread().getName());
                    if (b == 'B') {
                        c.write(ByteBuffer.allocate(BIG));
                    } else if (b == 'h') {
                        holding.countDown();
                        TwoLoops.await(release);
                    } else {
                        c.write(ByteBuffer.wrap(new byte[] {(byte) b}));
                    }
                }
                return Next.CONTINUE;
            }

            @Override
            public void onClose(Connection c, Throwable cause) {
                closed.countDown();
            }
        };
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " within 10 s");
            }
            Thread.sleep(1);
        }
    }

    private static String echo(Socket s, BlockingQueue<String> threads) throws Exception {
        s.getOutputStream().write('a');
        assertThat(s.getInputStream().read()).isEqualTo('a');
        return threads.poll(10, TimeUnit.SECONDS);
    }

    @Test
    void aMovedConnectionIsServedByItsNewHomeAndTheBytesWaitingForRoomStillGo() throws Exception {
        BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        CountDownLatch closed = new CountDownLatch(1);
        try (TwoLoops rig = new TwoLoops(DispatchPolicy.STEAL_EPOLL, c -> handler(threads, new CountDownLatch(1),
                new CountDownLatch(0), closed))) {
            // a small receive window, so that most of the reply waits in the server for room
            Socket s = new Socket();
            s.setReceiveBufferSize(64 * 1024);
            s.setSoTimeout(10_000);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", rig.listener.localAddress().getPort()));
            TcpConnection c = rig.accepted(0);
            Loop from = c.home;
            Loop to = rig.other(from);
            assertThat(echo(s, threads)).isEqualTo("a " + from.thread().getName());
            s.getOutputStream().write('B'); // 64 MiB back, not read yet: most of it waits for room (EPOLLOUT)
            await(() -> c.queuedBytes() > 0, "bytes waiting for room");
            long homedFrom = rig.torque.stats().get(from.index()).homed();
            long homedTo = rig.torque.stats().get(to.index()).homed();

            c.moveTo(to);
            await(() -> c.loopIndex() == to.index() && !c.mover.moving(), "the move");

            InputStream in = s.getInputStream();
            assertThat(in.readNBytes(BIG)).hasSize(BIG); // the new home's EPOLLOUT sends the rest
            threads.clear();
            assertThat(echo(s, threads)).isEqualTo("a " + to.thread().getName());
            assertThat(rig.torque.stats().get(from.index()).homed()).isEqualTo(homedFrom - 1);
            assertThat(rig.torque.stats().get(to.index()).homed()).isEqualTo(homedTo + 1);
            s.close();
            assertThat(closed.await(10, TimeUnit.SECONDS)).as("the new home sees the FIN").isTrue();
            await(() -> rig.torque.stats().get(to.index()).homed() == homedTo, "the close counted on the new home");
        }
    }

    @Test
    void aMoveAskedWhileATurnRunsOnAnotherLoopWaitsForThatTurn() throws Exception {
        BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TwoLoops rig = new TwoLoops(DispatchPolicy.STEAL_EPOLL, c -> handler(threads, holding, release,
                new CountDownLatch(1)))) {
            Socket s = rig.connect();
            TcpConnection c = rig.accepted(0);
            Loop from = c.home;
            Loop to = rig.other(from);
            // a turn of it on the other loop, held inside its callback: the home is held while
            // the byte arrives, so the other loop reads it
            CountDownLatch freeHome = TwoLoops.hold(from);
            try {
                s.getOutputStream().write('h');
                Thread.sleep(50);
                TwoLoops.workOn(to, c, Work.READ);
                TwoLoops.await(holding);
            } finally {
                freeHome.countDown();
            }
            try {
                c.moveTo(to); // the old home finds it owned elsewhere: the move waits for the turn
                Thread.sleep(100);
                assertThat(c.loopIndex()).as("not moved while its turn runs elsewhere").isEqualTo(from.index());
            } finally {
                release.countDown();
            }
            await(() -> c.loopIndex() == to.index() && !c.mover.moving(), "the move after the turn");
            threads.clear();
            assertThat(echo(s, threads)).isEqualTo("a " + to.thread().getName());
            s.close();
        }
    }

    /**
     * The trigger: a thief that takes connections from a loop crowded for 4 rounds in a row moves
     * them home. Five rounds of 8 slow requests each on one loop, the other idle: in the first
     * three nothing moves (the loop has not been crowded long enough), by the fifth some have.
     */
    @Test
    void whatAThiefTakesFromALoopThatStaysCrowdedMovesToIt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Socket> all = new java.util.ArrayList<>();
        try (TwoLoops rig = new TwoLoops(DispatchPolicy.STEAL_EPOLL, c -> new ConnectionHandler() {
            @Override
            public Next onRead(Connection conn, ReadBuffer in) {
                in.consumeAll();
                long start = System.nanoTime();
                while (System.nanoTime() - start < 5_000_000) {
                    Thread.onSpinWait(); // 5 ms of work: the idle loop has time to wake and steal
                }
                served.incrementAndGet();
                return Next.CONTINUE;
            }
        })) {
            java.util.List<Socket> onHome = rig.connectOnFirstHome(16, all);
            Loop home = rig.accepted(0).home;
            Loop thief = rig.accepted(1).home;
            long[] moved = new long[5];
            for (int round = 0; round < 5; round++) {
                int before = served.get();
                TwoLoops.requestsInOneRound(home, onHome, 8);
                await(() -> served.get() == before + 8, "round " + round + " served");
                moved[round] = thief.counters().movedInCount();
            }
            assertThat(moved[2]).as("nothing moves before the loop has been crowded for 4 rounds").isZero();
            java.util.List<TcpConnection> conns = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                conns.add(rig.accepted(i));
            }
            await(() -> conns.stream().noneMatch(c -> c.mover.moving()), "the moves under way");
            assertThat(thief.counters().movedInCount()).as("what the thief takes after that moves to it").isPositive();
            long movedThere = java.util.stream.IntStream.range(0, 16)
                    .filter(i -> i % 2 == 0 && conns.get(i).loopIndex() == thief.index()).count();
            // each move counted is a connection of the crowded loop whose home is the thief now
            assertThat(movedThere).isEqualTo(thief.counters().movedInCount());
            assertThat(rig.torque.stats().get(thief.index()).movedIn()).as("in the loop's statistics").isEqualTo(movedThere);
        } finally {
            for (Socket s : all) {
                s.close();
            }
        }
    }
}
