package io.torque.bench.harness;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.torque.bench.jmh.HandoffBench;

/**
 * The {@code handoff} scenario: the dispatcher's hand-off latency, from enqueueing work for a loop
 * to its start on that loop, to a parked recipient (woken through its eventfd) and to a spinning
 * one. It runs {@link HandoffBench} under JMH (sampled, one fork) and reports its percentiles as
 * rows {@code torque-parked} and {@code torque-spinning}; there is no Netty peer to compare with.
 */
final class HandoffScenario {
    private HandoffScenario() {
    }

    static List<TorqueBench.Row> run(double seconds, int rounds) throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(HandoffBench.class.getName() + ".*")
                .warmupIterations(1).warmupTime(TimeValue.seconds(1))
                .measurementIterations(Math.max(1, rounds)).measurementTime(TimeValue.milliseconds((long) (seconds * 1000)))
                .forks(1).jvmArgsAppend("--enable-native-access=ALL-UNNAMED").build()).run();
        List<TorqueBench.Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String spin = r.getParams().getParam("spinMicros");
            var stats = r.getPrimaryResult().getStatistics();
            // HandoffBench reports microseconds (@OutputTimeUnit)
            rows.add(new TorqueBench.Row("0".equals(spin) ? "torque-parked" : "torque-spinning", 1, Double.NaN,
                    stats.getPercentile(50), stats.getPercentile(99), stats.getPercentile(99.9), 0, Double.NaN));
        }
        return rows;
    }
}
