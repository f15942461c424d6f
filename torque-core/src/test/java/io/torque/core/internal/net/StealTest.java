package io.torque.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

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
}
