package io.torque.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import io.torque.core.internal.loop.Loop;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * Races of the ownership protocol, each made deterministic by holding a thread at the line that
 * matters (a loop in a task, an old owner right after its releasing CAS), instead of hoping a
 * stress run meets the interleaving.
 */
class OwnershipRaceTest {

    /**
     * The old owner, held right after its releasing CAS, must not touch the connection when it
     * goes on: the new owner (the home loop, in the middle of onRead) still needs its own loop's
     * buffers. Before the fix the old owner wrote {@code current = null} after the CAS, the new
     * owner's heap write then failed with an NPE, and the connection was aborted.
     */
    @Test
    void anOldOwnerWritesNothingAfterItsRelease() throws Exception {
        CountDownLatch inRead = new CountDownLatch(1);
        CountDownLatch replyNow = new CountDownLatch(1);
        try (TwoLoops rig = new TwoLoops(c -> new ConnectionHandler() {
            @Override
            public Next onRead(Connection c, ReadBuffer in) {
                in.consumeAll();
                inRead.countDown();
                TwoLoops.await(replyNow); // the old owner goes on meanwhile
                c.write("ok".getBytes(StandardCharsets.US_ASCII)); // a heap buffer: needs the owner loop's send scratch
                return Next.CONTINUE;
            }
        }); Socket client = rig.connect()) {
            TcpConnection c = rig.accepted(0);
            Loop home = c.home; // loop 0
            Loop other = rig.other(home);
            CountDownLatch released = new CountDownLatch(1);
            CountDownLatch goOn = new CountDownLatch(1);
            OwnedSource.afterReleaseHook = () -> {
                if (other.inLoop()) {
                    released.countDown();
                    TwoLoops.await(goOn);
                }
            };
            TwoLoops.workOn(other, c, Work.FLUSH); // loop 1 takes the connection, finds nothing, lets go: held
            TwoLoops.await(released);
            client.getOutputStream().write('x'); // loop 0 takes it now and blocks in onRead
            TwoLoops.await(inRead);
            goOn.countDown(); // the old owner resumes after its release
            CountDownLatch otherIdle = TwoLoops.hold(other); // it has finished that work
            otherIdle.countDown();
            OwnedSource.afterReleaseHook = null;
            replyNow.countDown();
            assertThat(TwoLoops.read(client, 2)).isEqualTo("ok");
            assertThat(c.isOpen()).isTrue();
        }
    }

    /**
     * Writes from one thread keep their order also when a neighbour loop works the connection
     * while its home loop is busy: "A" written from a plain thread waits in the outbox for the
     * (held) home loop; the neighbour's onRead then writes "B". Before the fix B went out first.
     * The callback on the neighbour also sees {@code loopIndex()} as the home loop's index.
     */
    @Test
    void writesKeepTheirOrderWhenANeighbourWorksTheConnection() throws Exception {
        CompletableFuture<String> callbackThread = new CompletableFuture<>();
        CompletableFuture<Integer> loopIndexInCallback = new CompletableFuture<>();
        try (TwoLoops rig = new TwoLoops(c -> new ConnectionHandler() {
            @Override
            public Next onRead(Connection c, ReadBuffer in) {
                in.consumeAll();
                callbackThread.complete(Thread.currentThread().getName());
                loopIndexInCallback.complete(c.loopIndex());
                c.write(ByteBuffer.wrap("B".getBytes(StandardCharsets.US_ASCII)));
                return Next.CONTINUE;
            }
        }); Socket client = rig.connect()) {
            TcpConnection c = rig.accepted(0);
            Loop home = c.home;
            Loop other = rig.other(home);
            CountDownLatch homeFree = TwoLoops.hold(home);
            try {
                c.write("A".getBytes(StandardCharsets.US_ASCII)); // off-loop: outbox, task for the held home loop
                assertThat(c.queuedBytes()).as("counted at write()").isEqualTo(1);
                OutputStream out = client.getOutputStream();
                out.write('x');
                TwoLoops.workOn(other, c, Work.READ); // the neighbour reads x, onRead writes B
                assertThat(TwoLoops.get(callbackThread)).isEqualTo(other.thread().getName());
                assertThat(TwoLoops.read(client, 2)).isEqualTo("AB");
            } finally {
                homeFree.countDown();
            }
            assertThat(TwoLoops.get(loopIndexInCallback)).as("loopIndex is the home loop's").isEqualTo(home.index());
        }
    }

    /**
     * A receive buffer that grew for a large partial frame goes back to the idle state (no
     * receive memory) once the handler has consumed it.
     */
    @Test
    void theReceiveBufferIsDroppedOnceConsumed() throws Exception {
        CountDownLatch consumed = new CountDownLatch(1);
        int frame = 200_000;
        try (TwoLoops rig = new TwoLoops(c -> new ConnectionHandler() {
            @Override
            public Next onRead(Connection c, ReadBuffer in) {
                if (in.readableBytes() >= frame) { // a whole frame: use it
                    in.consume(frame);
                    consumed.countDown();
                }
                return Next.CONTINUE; // else keep it: a partial frame
            }
        }); Socket client = rig.connect()) {
            TcpConnection c = rig.accepted(0);
            client.getOutputStream().write(new byte[frame]);
            TwoLoops.await(consumed);
            CompletableFuture<Boolean> owns = new CompletableFuture<>();
            c.home.execute(() -> c.work(c.home, 0)); // a turn as owner, then ask below on the loop
            c.home.execute(() -> owns.complete(c.reader.ownsMemory()));
            assertThat(TwoLoops.get(owns)).isFalse();
        }
    }

    /**
     * A read that arrives while a neighbour works a connection (its home loop sees the edge and
     * leaves READ pending) is not another turn on the neighbour: it becomes a turn queued on the
     * home loop. Held at the line: the home loop is held while the peer's bytes arrive, the
     * neighbour takes the connection (one read per turn), and its onRead lets the home loop go
     * and waits until the home loop has left READ pending. Before the fix the neighbour did
     * that read itself, and the next one, for as long as a busy peer kept sending (the soak saw
     * one loop serve a blaster for 1.3 s while its own connections waited).
     */
    @Test
    void aReadPendingAfterANeighboursTurnGoesHome() throws Exception {
        java.util.List<String> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch[] homeHeld = new CountDownLatch[1];
        TcpConnection[] conn = new TcpConnection[1];
        CountDownLatch secondRead = new CountDownLatch(1);
        io.torque.core.LoopBudgets oneRead = new io.torque.core.LoopBudgets(1, 1 << 20, 64, 256, java.time.Duration.ofMillis(1));
        try (TwoLoops rig = new TwoLoops(io.torque.core.dispatch.DispatchPolicy.STATIC, oneRead, c -> new ConnectionHandler() {
            @Override
            public Next onRead(Connection c, ReadBuffer in) throws Exception {
                readers.add(Thread.currentThread().getName());
                in.consumeAll();
                if (readers.size() == 1) {
                    homeHeld[0].countDown(); // the home loop sees the edge now, while this turn runs
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while ((conn[0].pendingWork() & Work.READ) == 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                } else {
                    secondRead.countDown();
                }
                return Next.CONTINUE;
            }
        }); Socket client = rig.connect()) {
            TcpConnection c = rig.accepted(0);
            conn[0] = c;
            Loop other = rig.other(c.home);
            homeHeld[0] = TwoLoops.hold(c.home);
            client.getOutputStream().write(new byte[3 * 64 * 1024]); // more than one read
            Thread.sleep(50);
            TwoLoops.workOn(other, c, Work.READ); // the neighbour's turn: one read, then the hold is let go
            assertThat(secondRead.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(readers.get(0)).isEqualTo(other.thread().getName());
            assertThat(readers.get(1)).as("the read that arrived during the turn went home")
                    .isEqualTo(c.home.thread().getName());
        }
    }
}
