package io.torque.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.torque.core.internal.dispatch.Scoreboard;

/**
 * A scoreboard update, as each loop does for its own slot every event (OUTSTANDING) and round:
 * alone, and with a second thread updating its neighbouring slot at the same time (the padding
 * must keep the two off each other's cache line) or reading it (as a giver scans its neighbours).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScoreboardBench {
    final Scoreboard board = new Scoreboard(2);

    @Benchmark
    @Group("alone")
    public void alone() {
        board.add(0, Scoreboard.OUTSTANDING, 1);
    }

    @Benchmark
    @Group("neighbourWrites")
    public void ownSlot() {
        board.add(0, Scoreboard.OUTSTANDING, 1);
    }

    @Benchmark
    @Group("neighbourWrites")
    public void neighbourSlot() {
        board.add(1, Scoreboard.OUTSTANDING, 1);
    }

    @Benchmark
    @Group("neighbourReads")
    public void writer() {
        board.add(0, Scoreboard.OUTSTANDING, 1);
    }

    @Benchmark
    @Group("neighbourReads")
    public long reader() {
        return board.get(0, Scoreboard.OUTSTANDING);
    }
}
