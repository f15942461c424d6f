package io.torque.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.LoopStats;
import io.torque.core.internal.loop.Loop;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;

/**
 * STEAL with 8 slow requests ready at once on one loop (held while they arrive, so they make one
 * round) and the other loop parked (no spin): the parked loop is woken, takes the older half of
 * the round and works it while the owner works the rest; each request is served once, and never
 * two callbacks of a connection at once.
 */
class StealTest {
    private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private record Run(String thread, long start, long end) {
    }

    /** Records each request's run; counts runs per id and callbacks inside per connection. */
    private static final class Slow implements ConnectionHandler {
        final Map<Integer, Run> runs;
        final Map<Integer, AtomicInteger> timesRun;
        final AtomicInteger overlaps;
        final CountDownLatch done;
        final CountDownLatch thiefStarted;
        final java.util.concurrent.atomic.AtomicReference<String> homeThread;
        final AtomicInteger inside = new AtomicInteger();

        Slow(Map<Integer, Run> runs, Map<Integer, AtomicInteger> timesRun, AtomicInteger overlaps, CountDownLatch done,
                CountDownLatch thiefStarted, java.util.concurrent.atomic.AtomicReference<String> homeThread) {
            this.runs = runs;
            this.timesRun = timesRun;
            this.overlaps = overlaps;
            this.done = done;
            this.thiefStarted = thiefStarted;
            this.homeThread = homeThread;
        }

        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                long start = System.nanoTime();
                int id = in.get(0);
                in.consumeAll();
                String h = homeThread.get();
                if (h != null && !Thread.currentThread().getName().equals(h)) {
                    thiefStarted.countDown();
                }
                while (System.nanoTime() - start < SLOW_NANOS) {
                    Thread.onSpinWait();
                }
                timesRun.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                runs.put(id, new Run(Thread.currentThread().getName(), start, System.nanoTime()));
                done.countDown();
                return Next.CONTINUE;
            } finally {
                inside.decrementAndGet();
            }
        }
    }

    private static boolean sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    @AfterEach
    void clearHook() {
        Loop.afterStealAdvertiseHook(null);
    }

    @Test
    void aParkedLoopIsWokenAndWorksHalfOfABusyRoundWhileTheOwnerWorksTheRest() throws Exception {
        Map<Integer, Run> runs = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> timesRun = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(8);
        List<Socket> all = new ArrayList<>();
        try (TwoLoops rig = new TwoLoops(DispatchPolicy.STEAL, c -> new Slow(runs, timesRun, overlaps, done,
                new CountDownLatch(1), new java.util.concurrent.atomic.AtomicReference<>()))) {
            List<Socket> onHome = rig.connectOnFirstHome(16, all);
            Loop home = rig.accepted(0).home;
            TwoLoops.requestsInOneRound(home, onHome, 8);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            String homeThread = home.thread().getName();
            long ownEnd = runs.values().stream().filter(r -> r.thread().equals(homeThread)).mapToLong(Run::end).max().orElseThrow();
            long stolenStart = runs.values().stream().filter(r -> !r.thread().equals(homeThread)).mapToLong(Run::start).min()
                    .orElseThrow(() -> new AssertionError("nothing was stolen: " + runs));
            assertThat(stolenStart).as("the stolen half starts before the owner's half ends").isLessThan(ownEnd);
            assertThat(timesRun.values()).hasSize(8).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            assertThat(overlaps.get()).isZero();
            // the owner publishes what thieves took once its queue is worked, after the last
            // callback counted down: wait for the statistics to settle
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            long given;
            long taken;
            do {
                given = rig.torque.stats().stream().mapToLong(LoopStats::handedOut).sum();
                taken = rig.torque.stats().stream().mapToLong(LoopStats::received).sum();
            } while ((given == 0 || given != taken) && System.nanoTime() < deadline && sleep());
            assertThat(given).isPositive().isEqualTo(taken);
        } finally {
            for (Socket s : all) {
                s.close();
            }
        }
    }

    @Test
    void theThiefTakesHalfInOneHaulWhileTheOwnerIsHeldAfterAdvertisingAndEachRequestRunsOnce() throws Exception {
        Map<Integer, Run> runs = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> timesRun = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(8);
        CountDownLatch thiefStarted = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<String> homeThread = new java.util.concurrent.atomic.AtomicReference<>();
        List<Socket> all = new ArrayList<>();
        try (TwoLoops rig = new TwoLoops(DispatchPolicy.STEAL, c -> new Slow(runs, timesRun, overlaps, done, thiefStarted,
                homeThread))) {
            List<Socket> onHome = rig.connectOnFirstHome(16, all);
            Loop home = rig.accepted(0).home;
            homeThread.set(home.thread().getName());
            AtomicInteger held = new AtomicInteger();
            java.util.concurrent.atomic.AtomicLong firstHaul = new java.util.concurrent.atomic.AtomicLong(-1);
            // The owner stops right after advertising its 8 queued sources and before it takes
            // any back, until the thief has started on its haul (taken whole, and counted,
            // before it works any of it): then the thief's count is its first haul.
            Loop.afterStealAdvertiseHook(() -> {
                if (Thread.currentThread() == home.thread() && held.getAndIncrement() == 0) {
                    TwoLoops.await(thiefStarted);
                    firstHaul.set(rig.torque.stats().stream().mapToLong(LoopStats::received).sum());
                }
            });
            TwoLoops.requestsInOneRound(home, onHome, 8);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(held.get()).as("the owner passed the hook").isPositive();
            assertThat(firstHaul.get()).as("the thief's first haul is half of 8: %s", runs).isEqualTo(4);
            // afterwards, idle again while the owner works its half, it may take more
            long stolen = runs.values().stream().filter(r -> !r.thread().equals(homeThread.get())).count();
            assertThat(stolen).isBetween(4L, 6L);
            assertThat(timesRun.values()).hasSize(8).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            assertThat(overlaps.get()).isZero();
        } finally {
            for (Socket s : all) {
                s.close();
            }
        }
    }

    @Test
    void anIdleThiefParksWhileTheOwnerRunsALongLastTurn() throws Exception {
        CountDownLatch thiefStarted = new CountDownLatch(1);
        CountDownLatch longStarted = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CountDownLatch shortDone = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Thread> homeThread = new java.util.concurrent.atomic.AtomicReference<>();
        List<Socket> all = new ArrayList<>();
        try (TwoLoops rig = new TwoLoops(DispatchPolicy.STEAL, c -> new ConnectionHandler() {
            @Override
            public Next onRead(Connection conn, ReadBuffer in) {
                int id = in.get(0);
                in.consumeAll();
                if (Thread.currentThread() != homeThread.get()) {
                    thiefStarted.countDown();
                }
                if (id == 1) {
                    longStarted.countDown();
                    TwoLoops.await(finish); // the owner's long last turn
                } else {
                    shortDone.countDown();
                }
                return Next.CONTINUE;
            }
        })) {
            List<Socket> onHome = rig.connectOnFirstHome(16, all);
            Loop home = rig.accepted(0).home;
            homeThread.set(home.thread());
            AtomicInteger held = new AtomicInteger();
            Loop.afterStealAdvertiseHook(() -> {
                if (Thread.currentThread() == home.thread() && held.getAndIncrement() == 0) {
                    TwoLoops.await(thiefStarted); // the thief takes one of the two first
                }
            });
            TwoLoops.requestsInOneRound(home, onHome, 2);
            try {
                assertThat(shortDone.await(10, TimeUnit.SECONDS)).isTrue();
                if (!longStarted.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("the long turn never started");
                }
                int thief = 1 - home.index();
                long before = rig.torque.stats().get(thief).idleWakes();
                Thread.sleep(300); // the owner is in its long turn, its queue empty
                long wakes = rig.torque.stats().get(thief).idleWakes() - before;
                // parked: it wakes for nothing; spinning through a stale advertisement, it would
                // count thousands of passes
                assertThat(wakes).as("the idle thief's wake-ups while the owner runs its last turn").isLessThan(20);
            } finally {
                finish.countDown();
            }
        } finally {
            for (Socket s : all) {
                s.close();
            }
        }
    }

    /**
     * STEAL_POLL on two loops, the thief parked (no spin), with the owner held inside a turn: a
     * request whose first byte is below 2 holds the home loop's thread until {@link #finish};
     * every request records which thread served it (twice: both names), request 5 opens
     * {@link #lateServed}, a peer's FIN {@link #shutdownSeen}.
     */
    private static final class HeldOwner implements AutoCloseable {
        final java.util.concurrent.atomic.AtomicReference<Thread> homeThread = new java.util.concurrent.atomic.AtomicReference<>();
        final CountDownLatch longStarted = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);
        final CountDownLatch lateServed = new CountDownLatch(1);
        final CountDownLatch shutdownSeen = new CountDownLatch(1);
        final Map<Integer, String> servedBy = new ConcurrentHashMap<>();
        final List<Socket> all = new ArrayList<>();
        final TwoLoops rig;
        final List<Socket> onHome;
        final Loop home;
        final Loop thief;

        /** Sends {@code requests} in one round to the owner (2: a crowded round) and waits until it holds. */
        HeldOwner(int requests) throws Exception {
            rig = new TwoLoops(DispatchPolicy.STEAL_POLL, c -> new ConnectionHandler() {
                @Override
                public Next onRead(Connection conn, ReadBuffer in) {
                    int id = in.get(0);
                    in.consumeAll();
                    if (id < 2 && Thread.currentThread() == homeThread.get()) {
                        longStarted.countDown();
                        TwoLoops.await(finish);
                    }
                    servedBy.merge(id, Thread.currentThread().getName(), (a, b) -> a + "," + b);
                    if (id == 5) {
                        lateServed.countDown();
                    }
                    return Next.CONTINUE;
                }

                @Override
                public Next onPeerShutdown(Connection conn) throws Exception {
                    servedBy.put(-1, Thread.currentThread().getName());
                    shutdownSeen.countDown();
                    return ConnectionHandler.super.onPeerShutdown(conn);
                }
            });
            onHome = rig.connectOnFirstHome(16, all);
            home = rig.accepted(0).home;
            thief = rig.accepted(1).home;
            homeThread.set(home.thread());
            // the thief is held until the owner holds in its first turn: else, on a busy machine,
            // it might take the whole round before the owner takes anything back
            CountDownLatch thiefFree = TwoLoops.hold(thief);
            try {
                TwoLoops.requestsInOneRound(home, onHome, requests);
                TwoLoops.await(longStarted);
            } finally {
                thiefFree.countDown();
            }
        }

        /** The third connection homed on the owner: idle until a test writes to it. */
        Socket late() {
            return onHome.get(2);
        }

        @Override
        public void close() throws IOException {
            finish.countDown();
            try {
                rig.close();
            } finally {
                for (Socket s : all) {
                    s.close();
                }
            }
        }
    }

    /** Wakes {@code loop} every few milliseconds (each wake-up makes it try to steal) until {@code until} opens or the time is up. */
    private static boolean nudgeUntil(Loop loop, CountDownLatch until, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            loop.execute(() -> { });
            if (until.await(10, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void readinessThatArrivesWhileACrowdedOwnerIsInsideATurnIsTakenFromItsStealSetByAnIdleLoop() throws Exception {
        try (HeldOwner h = new HeldOwner(2)) { // a crowded round: the owner holds in one of its turns
            h.late().getOutputStream().write(5); // ready on the owner while its turn runs
            assertThat(nudgeUntil(h.thief, h.lateServed, 5_000))
                    .as("the request that arrived during the owner's turn is served before that turn ends").isTrue();
            assertThat(h.servedBy.get(5)).isEqualTo(h.thief.thread().getName());
            assertThat(h.thief.readySteals()).isPositive();
        }
    }

    @Test
    void aLoopWorkingASingleReadySourceKeepsTheReadinessThatArrivesMeanwhile() throws Exception {
        try (HeldOwner h = new HeldOwner(1)) { // not crowded: a round of one
            h.late().getOutputStream().write(5);
            assertThat(nudgeUntil(h.thief, h.lateServed, 300)).as("an uncrowded loop's sources stay home").isFalse();
            h.finish.countDown();
            assertThat(h.lateServed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(h.servedBy.get(5)).isEqualTo(h.home.thread().getName());
            assertThat(h.thief.readySteals()).isZero();
        }
    }

    @Test
    void aPeersHangUpTakenByAThiefStillEndsTheConnection() throws Exception {
        try (HeldOwner h = new HeldOwner(2)) {
            // the data and the FIN while the owner's turn runs, both in the kernel before the
            // thief can poll (it is held): one report, IN and RDHUP together
            CountDownLatch thiefFree = TwoLoops.hold(h.thief);
            try {
                h.late().getOutputStream().write(5);
                h.late().shutdownOutput();
                Thread.sleep(50);
            } finally {
                thiefFree.countDown();
            }
            // the thief's report carries the hang-up, which no one else will see: it must read to the end
            assertThat(nudgeUntil(h.thief, h.shutdownSeen, 5_000)).as("the peer's FIN is seen before the owner's turn ends").isTrue();
            assertThat(h.servedBy.get(-1)).isEqualTo(h.thief.thread().getName());
            assertThat(h.lateServed.await(1, TimeUnit.SECONDS)).isTrue();
            assertThat(h.servedBy.get(5)).as("served once").isEqualTo(h.thief.thread().getName());
        }
    }
}
