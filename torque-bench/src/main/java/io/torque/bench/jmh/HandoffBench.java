package io.torque.bench.jmh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.torque.core.ErrorHandler;
import io.torque.core.LoopBudgets;
import io.torque.core.internal.loop.Loop;
import io.torque.core.internal.loop.LoopConfig;

/**
 * Hand-off latency: from enqueueing work for a loop (an MPSC queue plus Netty's eventfd wake-up,
 * the same mechanism the dispatcher's inbox uses) to that work starting on the loop's thread.
 * {@code spinMicros = 0}: the recipient is parked in epoll_wait and must be woken;
 * {@code spinMicros = 1000000}: it is spinning and sees the work without a wake-up. Sampled:
 * read the percentiles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandoffBench {
    @Param({"0", "1000000"})
    long spinMicros;

    Loop recipient;
    volatile long started;

    @Setup
    public void setup() throws Exception {
        recipient = new Loop(0, 0, new LoopConfig(false, Duration.ofNanos(spinMicros * 1000).toNanos(), false,
                ErrorHandler.logging(), LoopBudgets.DEFAULT), "bench-recipient");
        recipient.awaitStarted();
    }

    @TearDown
    public void tearDown() throws Exception {
        recipient.close();
        recipient.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Outside the measured time: give a non-spinning recipient time to park in epoll_wait. */
    @Setup(Level.Invocation)
    public void letItPark() throws InterruptedException {
        if (spinMicros == 0) {
            Thread.sleep(0, 200_000);
        }
    }

    @Benchmark
    public long handOff() {
        started = 0;
        long t0 = System.nanoTime();
        recipient.execute(() -> started = System.nanoTime());
        long s;
        while ((s = started) == 0) {
            Thread.onSpinWait();
        }
        return s - t0;
    }
}
