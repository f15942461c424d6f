package io.torque.bench.skewed;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.torque.bench.load.LoadClient;
import io.torque.core.Torque;
import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.Placement;
import io.torque.core.net.Listener;
import io.torque.topology.cli.TorqueVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dispatcher's proof, side by side: torque with STATIC and with PARETO dispatch, both with
 * round-robin placement, an echo server doing {@code --work-us} of busy work per request, and a
 * closed-loop client. Skewed: the hot connections are 0, L, 2L, ... so under round-robin they
 * all start on loop 0; the others trickle. Uniform: every connection is hot. Policies alternate
 * A B A B over {@code --rounds} so drift on a shared machine hits both alike; the first round of
 * each is warm-up and discarded.
 */
@Command(name = "skewed-echo", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class,
        showDefaultValues = true,
        description = "PARETO vs STATIC dispatch under skewed and uniform echo load.")
public final class SkewedEcho implements Callable<Integer> {
    @Option(names = "--loops", defaultValue = "2", description = "Event loops of the torque server.")
    int loops;
    @Option(names = "--connections", defaultValue = "16", description = "Client connections.")
    int connections;
    @Option(names = "--work-us", defaultValue = "20", description = "Busy work per request, in microseconds.")
    int workMicros;
    @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds per run.")
    double seconds;
    @Option(names = "--rounds", defaultValue = "4", description = "Rounds per policy and scenario; the first is warm-up.")
    int rounds;
    @Option(names = "--cold-gap-ms", defaultValue = "10", description = "Pause between requests of a trickling connection.")
    int coldGapMillis;
    @Option(names = "--spin-us", defaultValue = "50", description = "Loop spin before blocking, in microseconds.")
    int spinMicros;
    @Option(names = "--no-pin", description = "Leave loop threads unpinned.")
    boolean noPin;
    @Option(names = "--stats", description = "Print each run's per-loop dispatcher counters to stderr.")
    boolean stats;
    @Option(names = "--json", description = "Write the results here as JSON.")
    Path json;

    record Row(String scenario, String policy, double throughput, long p50, long p99, long p999, long errors) {
    }

    @Override
    public Integer call() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String scenario : List.of("skewed", "uniform")) {
            boolean[] hot = new boolean[connections];
            for (int i = 0; i < connections; i++) {
                hot[i] = scenario.equals("uniform") || i % loops == 0;
            }
            for (int r = 0; r < rounds; r++) {
                for (DispatchPolicy policy : List.of(DispatchPolicy.STATIC, DispatchPolicy.PARETO)) {
                    LoadClient.Result res = runOnce(policy, hot);
                    if (r == 0) {
                        continue; // warm-up
                    }
                    rows.add(new Row(scenario, policy.name(), res.throughput(), res.latencyMicros().getValueAtPercentile(50),
                            res.latencyMicros().getValueAtPercentile(99), res.latencyMicros().getValueAtPercentile(99.9),
                            res.errors()));
                    System.err.printf(Locale.ROOT, "%s %s round %d: %.0f req/s p99 %d us%n", scenario, policy, r,
                            res.throughput(), res.latencyMicros().getValueAtPercentile(99));
                }
            }
        }
        String table = table(rows);
        System.out.print(table);
        if (json != null) {
            Files.writeString(json, json(rows));
        }
        return rows.stream().anyMatch(r -> r.errors() > 0) ? 1 : 0;
    }

    private LoadClient.Result runOnce(DispatchPolicy policy, boolean[] hot) throws Exception {
        try (Torque torque = Torque.builder().loopCount(loops).dispatch(policy).placement(Placement.ROUND_ROBIN)
                .spin(Duration.ofNanos(spinMicros * 1000L)).pin(!noPin).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new io.torque.bench.servers.TorqueEcho(64, workMicros * 1000L));
            LoadClient.Result r = LoadClient.run(l.localAddress(), connections, hot, 64,
                    Duration.ofMillis(coldGapMillis).toNanos(), 0.5, seconds);
            if (stats) {
                System.err.print(torque);
            }
            return r;
        }
    }

    /** Median over rounds of each (scenario, policy), and PARETO / STATIC ratios. */
    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s %-7s %12s %9s %9s %9s %18s%n",
                "scenario", "policy", "req/s", "p50 us", "p99 us", "p99.9 us", "vs STATIC (tput)"));
        for (String scenario : List.of("skewed", "uniform")) {
            double base = median(rows, scenario, "STATIC", Row::throughput);
            for (String policy : List.of("STATIC", "PARETO")) {
                double t = median(rows, scenario, policy, Row::throughput);
                sb.append(String.format(Locale.ROOT, "%-8s %-7s %12.0f %9.0f %9.0f %9.0f %17.2fx%n", scenario, policy, t,
                        median(rows, scenario, policy, r -> (double) r.p50()), median(rows, scenario, policy, r -> (double) r.p99()),
                        median(rows, scenario, policy, r -> (double) r.p999()), t / base));
            }
        }
        return sb.toString();
    }

    private static double median(List<Row> rows, String scenario, String policy, java.util.function.ToDoubleFunction<Row> f) {
        return io.torque.bench.Stats.median(
                rows.stream().filter(r -> r.scenario().equals(scenario) && r.policy().equals(policy)).mapToDouble(f));
    }

    private String json(List<Row> rows) {
        StringBuilder sb = new StringBuilder("{\"benchmark\":\"skewed-echo\",\"loops\":").append(loops)
                .append(",\"connections\":").append(connections).append(",\"workMicros\":").append(workMicros)
                .append(",\"seconds\":").append(seconds).append(",\"results\":[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"scenario\":\"%s\",\"server\":\"torque-%s\",\"throughput\":%.1f,\"p50_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"errors\":%d}",
                    r.scenario(), r.policy().toLowerCase(Locale.ROOT), r.throughput(), r.p50(), r.p99(), r.p999(), r.errors()));
        }
        return sb.append("]}\n").toString();
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SkewedEcho()).execute(args));
    }
}
