package io.torque.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.torque.core.internal.dispatch.ParetoFrontier;
import io.torque.core.internal.dispatch.Scoreboard;

/** The cost of one dispatcher decision: reading the scoreboard and choosing on the frontier. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrontierBench {
    @Param({"2", "16", "64", "256"})
    int loops;

    Scoreboard board;
    ParetoFrontier frontier;
    long[] outstanding;
    long[] since;
    int[] distance;
    long rounds;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        board = new Scoreboard(loops);
        for (int i = 0; i < loops; i++) {
            board.set(i, Scoreboard.OUTSTANDING, rnd.nextInt(8));
        }
        frontier = new ParetoFrontier(loops, 7);
        outstanding = new long[loops];
        since = new long[loops];
        distance = new int[loops];
        for (int i = 0; i < loops; i++) {
            distance[i] = Integer.numberOfTrailingZeros(i + 1) % 4; // a few topology levels
        }
    }

    /** What a loop does per round with e > 1: read its candidates' counters, then choose. */
    @Benchmark
    public int chooseRecipient() {
        int n = 0;
        rounds++;
        for (int i = 1; i < loops; i++) { // every loop but this one (0)
            outstanding[n] = board.get(i, Scoreboard.OUTSTANDING);
            since[n] = (rounds + i * 7) & 15;
            n++;
        }
        return frontier.choose(Math.max(1, n), outstanding, since, distance);
    }
}
