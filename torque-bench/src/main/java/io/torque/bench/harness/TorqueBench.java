package io.torque.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

import io.torque.bench.skewed.LoadClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code torque-bench SCENARIO [--servers torque,torque-static,netty,nio] [--loops N]
 * [--connections C] [--duration S] [--work-us W] [--rounds R] [--json FILE]}: the servers side by
 * side, each in its own JVM, interleaved A B C D over the rounds (the first round is warm-up and
 * discarded) so drift on a shared machine hits all alike. The load generator runs in this JVM:
 * one NIO selector thread, one request of 64 bytes in flight per connection, every reply checked.
 *
 * <p>Scenarios: {@code pingpong} (every connection hot, no work by default), {@code echo-uniform}
 * (every connection hot, 20 µs work by default), {@code echo-skewed} (connections 0, L, 2L, ...
 * hot, all on one loop under round-robin placement; the rest send one request every 10 ms).
 */
@Command(name = "torque-bench", mixinStandardHelpOptions = true, description = "Side-by-side server benchmarks.")
public final class TorqueBench implements Callable<Integer> {
    // Fields are package-private so HarnessTest can drive the JSON writer without a run.
    @Parameters(index = "0", description = "pingpong, echo-uniform or echo-skewed")
    String scenario;
    @Option(names = "--servers", defaultValue = "torque,torque-static,netty,nio", split = ",")
    List<String> servers;
    @Option(names = "--loops", defaultValue = "2")
    int loops;
    @Option(names = "--connections", defaultValue = "16")
    int connections;
    @Option(names = "--duration", defaultValue = "5", description = "Measured seconds per run.")
    double duration;
    @Option(names = "--work-us", description = "Busy work per request (default: 0 for pingpong, 20 for echo-*).")
    Integer workMicros;
    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; the first is warm-up.")
    int rounds;
    @Option(names = "--torque-spin-us", defaultValue = "50", description = "torque's loop spin before blocking (µs).")
    int torqueSpinMicros;
    @Option(names = "--torque-no-pin", description = "Leave torque's loop threads unpinned.")
    boolean torqueNoPin;
    @Option(names = "--json", description = "Write the results as JSON here.")
    Path json;

    /** One measured run. */
    record Row(String server, int round, double throughput, long p50, long p99, long p999, long errors, double cpuSeconds) {
    }

    @Override
    public Integer call() throws Exception {
        boolean[] hot = new boolean[connections];
        switch (scenario) {
            case "pingpong", "echo-uniform" -> java.util.Arrays.fill(hot, true);
            case "echo-skewed" -> {
                for (int i = 0; i < connections; i++) {
                    hot[i] = i % loops == 0;
                }
            }
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario: " + scenario);
        }
        int work = workMicros != null ? workMicros : scenario.equals("pingpong") ? 0 : 20;
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (String server : servers) {
                List<String> extra = new ArrayList<>(List.of("--spin-us", Integer.toString(torqueSpinMicros)));
                if (torqueNoPin) {
                    extra.add("--no-pin");
                }
                try (ServerProcess p = new ServerProcess(server, loops, work, extra)) {
                    double cpu0 = p.cpuSeconds();
                    LoadClient.Result res = LoadClient.run(p.address(), connections, hot, 64,
                            Duration.ofMillis(10).toNanos(), 0.5, duration);
                    double cpu = p.cpuSeconds() - cpu0;
                    System.err.printf(Locale.ROOT, "%s round %d %-13s %9.0f req/s p99 %5d us%n", scenario, r, server,
                            res.throughput(), res.latencyMicros().getValueAtPercentile(99));
                    if (r > 0 || rounds == 1) {
                        rows.add(new Row(server, r, res.throughput(), res.latencyMicros().getValueAtPercentile(50),
                                res.latencyMicros().getValueAtPercentile(99), res.latencyMicros().getValueAtPercentile(99.9),
                                res.errors(), cpu));
                    }
                }
            }
        }
        System.out.print(table(rows, servers));
        if (json != null) {
            Files.writeString(json, json(rows, work));
        }
        return rows.stream().anyMatch(x -> x.errors() > 0) ? 1 : 0;
    }

    static double median(List<Row> rows, String server, ToDoubleFunction<Row> f) {
        return io.torque.bench.Stats.median(rows.stream().filter(r -> r.server().equals(server)).mapToDouble(f));
    }

    /** One row per server: medians over the measured rounds, and the throughput ratio to netty. */
    static String table(List<Row> rows, List<String> servers) {
        double netty = median(rows, "netty", Row::throughput);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s %10s %8s %8s %9s %8s %9s %7s%n",
                "server", "req/s", "p50 us", "p99 us", "p99.9 us", "cpu s", "vs netty", "errors"));
        for (String s : servers) {
            double t = median(rows, s, Row::throughput);
            sb.append(String.format(Locale.ROOT, "%-14s %10.0f %8.0f %8.0f %9.0f %8.2f %8.2fx %7d%n", s, t,
                    median(rows, s, r -> r.p50()), median(rows, s, r -> r.p99()), median(rows, s, r -> r.p999()),
                    median(rows, s, Row::cpuSeconds), Double.isNaN(netty) ? Double.NaN : t / netty,
                    rows.stream().filter(r -> r.server().equals(s)).mapToLong(Row::errors).sum()));
        }
        return sb.toString();
    }

    String json(List<Row> rows, int work) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"scenario\":\"%s\",\"torqueSpinMicros\":%d,\"torquePinned\":%s,\"loops\":%d,\"connections\":%d,\"durationSeconds\":%s,"
                + "\"workMicros\":%d,\"rounds\":%d,\"cpus\":%d,\"java\":\"%s\",\"results\":[", scenario, torqueSpinMicros,
                !torqueNoPin, loops, connections,
                duration, work, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"server\":\"%s\",\"scenario\":\"%s\",\"round\":%d,\"throughput\":%.1f,\"p50_us\":%d,\"p99_us\":%d,"
                            + "\"p999_us\":%d,\"errors\":%d,\"cpu_seconds\":%.2f}",
                    r.server(), scenario, r.round(), r.throughput(), r.p50(), r.p99(), r.p999(), r.errors(), r.cpuSeconds()));
        }
        return sb.append("]}\n").toString();
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TorqueBench()).execute(args));
    }
}
