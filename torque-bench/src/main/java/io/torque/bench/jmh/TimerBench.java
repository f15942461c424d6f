package io.torque.bench.jmh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.torque.core.ErrorHandler;
import io.torque.core.Torque;
import io.torque.core.timer.Timer;

/**
 * Scheduling a timer from outside the loops and cancelling it: what a user pays per
 * {@code torque.timer(...)} plus {@code cancel()} (placement, the hand-over to the loop, the
 * registry entry).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TimerBench {
    Torque torque;

    @Setup
    public void setup() {
        torque = Torque.builder().loopCount(1).errorHandler(ErrorHandler.logging()).build();
    }

    @TearDown
    public void tearDown() {
        torque.close();
    }

    @Benchmark
    public Timer scheduleAndCancel() {
        Timer t = torque.timer(Duration.ofHours(1), null, x -> { });
        t.cancel();
        return t;
    }
}
