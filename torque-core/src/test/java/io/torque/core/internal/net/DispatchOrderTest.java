package io.torque.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.internal.loop.Loop;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * The dispatcher's round under PARETO with 8 slow requests ready at once on one loop (held while
 * they arrive, so they make one round): the handed half must start while the kept half is being
 * worked, not after it; and a neighbour stuck in a long callback must not be handed anything.
 */
class DispatchOrderTest {
    private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** What each callback did: its thread, and when it started and ended. */
    private record Run(String thread, long start, long end) {
    }

    private static final class Slow implements ConnectionHandler {
        final Map<Integer, Run> runs;
        final CountDownLatch done;
        final CountDownLatch blockFirst;

        Slow(Map<Integer, Run> runs, CountDownLatch done, CountDownLatch blockFirst) {
            this.runs = runs;
            this.done = done;
            this.blockFirst = blockFirst;
        }

        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            long start = System.nanoTime();
            int id = in.get(0);
            in.consumeAll();
            if (id == 99) {
                TwoLoops.await(blockFirst); // the neighbour's long callback
            } else {
                while (System.nanoTime() - start < SLOW_NANOS) {
                    Thread.onSpinWait();
                }
                runs.put(id, new Run(Thread.currentThread().getName(), start, System.nanoTime()));
                done.countDown();
            }
            return Next.CONTINUE;
        }
    }

    @Test
    void theHandedHalfStartsWhileTheKeptHalfIsWorked() throws Exception {
        Map<Integer, Run> runs = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(8);
        try (TwoLoops rig = new TwoLoops(DispatchPolicy.PARETO, c -> new Slow(runs, done, new CountDownLatch(0)))) {
            List<Socket> sockets = new ArrayList<>();
            List<Socket> onHome = rig.connectOnFirstHome(16, sockets);
            Loop home = rig.accepted(0).home;
            TwoLoops.requestsInOneRound(home, onHome, 8);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            String homeThread = home.thread().getName();
            long keptEnd = runs.values().stream().filter(r -> r.thread().equals(homeThread)).mapToLong(Run::end).max().orElseThrow();
            long handedStart = runs.values().stream().filter(r -> !r.thread().equals(homeThread)).mapToLong(Run::start).min()
                    .orElseThrow(() -> new AssertionError("nothing was handed: " + runs));
            assertThat(handedStart).as("the handed half starts before the kept half ends").isLessThan(keptEnd);
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void aNeighbourInALongCallbackGetsNothing() throws Exception {
        Map<Integer, Run> runs = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(8);
        CountDownLatch release = new CountDownLatch(1);
        try (TwoLoops rig = new TwoLoops(DispatchPolicy.PARETO, c -> new Slow(runs, done, release))) {
            List<Socket> sockets = new ArrayList<>();
            List<Socket> onHome = rig.connectOnFirstHome(16, sockets);
            Loop home = rig.accepted(0).home;
            Socket onOther = sockets.stream().filter(x -> !onHome.contains(x)).findFirst().orElseThrow();
            onOther.getOutputStream().write(99); // the neighbour blocks in this callback
            Thread.sleep(20); // well past HandOffRule.BUSY_NANOS
            TwoLoops.requestsInOneRound(home, onHome, 8);
            try {
                assertThat(done.await(10, TimeUnit.SECONDS)).as("served while the neighbour is stuck").isTrue();
                assertThat(runs.values()).allSatisfy(r -> assertThat(r.thread()).isEqualTo(home.thread().getName()));
            } finally {
                release.countDown();
            }
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /**
     * The wake-up margin: two short requests in one round, the neighbour parked in epoll_wait.
     * Handing one over would make it wait for the neighbour's wake-up (tens of microseconds)
     * where working it here takes one short turn: both are worked here. Before the margin, the
     * parked neighbour (a slacker) got one of the two. (The home's turn estimate starts at the
     * wake-up cost, so this is the first-round case: one kept turn is not worth a wake-up.)
     */
    @Test
    void twoShortRequestsAreNotHandedToAParkedNeighbour() throws Exception {
        Map<Integer, String> threads = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(2);
        try (TwoLoops rig = new TwoLoops(DispatchPolicy.PARETO, c -> new ConnectionHandler() {
            @Override
            public Next onRead(Connection conn, ReadBuffer in) {
                threads.put((int) in.get(0), Thread.currentThread().getName());
                in.consumeAll();
                done.countDown();
                return Next.CONTINUE;
            }
        })) {
            List<Socket> sockets = new ArrayList<>();
            List<Socket> onHome = rig.connectOnFirstHome(16, sockets);
            Loop home = rig.accepted(0).home;
            Thread.sleep(50); // the neighbour, with nothing to do, parks (the rig does not spin)
            TwoLoops.requestsInOneRound(home, onHome, 2); // the home is held while both arrive: one round of two
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(threads.values()).as("both on the home loop").containsOnly(home.thread().getName());
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
