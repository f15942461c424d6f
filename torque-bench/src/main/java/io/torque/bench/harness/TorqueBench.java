package io.torque.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

import io.torque.bench.load.LoadClient;
import io.torque.topology.cli.TorqueVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code torque-bench SCENARIO [--servers torque,torque-static,netty,nio] [--loops N]
 * [--connections C] [--duration S] [--work-us W] [--rounds R] [--rate R] [--idle N] [--json FILE]}:
 * the servers side by side, each in its own JVM, interleaved A B C D over the rounds (the first
 * round is warm-up and discarded) so drift on a shared machine hits all alike. The load generator
 * runs in this JVM: one NIO selector thread, one request of 64 bytes in flight per connection,
 * every reply checked; closed loop, or open loop at {@code --rate} requests/s with latency taken
 * from when each request was due (coordinated omission corrected).
 *
 * <p>Scenarios: {@code pingpong} (every connection hot, no work by default), {@code echo-uniform}
 * (every connection hot, 20 µs work by default), {@code echo-skewed} (connections 0, L, 2L, ...
 * hot, all on one loop under round-robin placement; the rest send one request every 10 ms),
 * {@code idle} (memory per idle connection, and pingpong with and without {@code --idle} idle
 * connections), {@code handoff} (the dispatcher's hand-off latency under JMH; torque only).
 * With {@code --json FILE} it writes the results there and a chart next to it ({@code FILE.svg}).
 */
@Command(name = "torque-bench", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class,
        showDefaultValues = true, description = "Side-by-side server benchmarks.")
public final class TorqueBench implements Callable<Integer> {
    // Fields are package-private so HarnessTest can drive the JSON writer without a run.
    @Parameters(index = "0", description = "pingpong, echo-uniform, echo-skewed, idle, handoff, churn (connection churn: connect, "
            + "one echo, close; req/s = connections/s), tls-echo (ping-pong over TLS) or "
            + "tls-handshake (the same churn over TLS; req/s = handshakes/s)")
    String scenario;
    @Option(names = "--servers", defaultValue = "torque,torque-static,netty,netty-iouring,vthreads,nio", split = ",", description = "Servers to run side by side: torque, torque-reuseport (listens with SO_REUSEPORT: a socket per loop), torque-static, torque-steal (DispatchPolicy.STEAL), torque-steal-poll (STEAL_POLL), torque-steal-epoll (STEAL_EPOLL), netty (epoll), netty-iouring, vthreads (a virtual thread per connection, JDK 21+), nio.")
    List<String> servers;
    @Option(names = "--loops", defaultValue = "2", description = "Event loops (threads) of every server.")
    int loops;
    @Option(names = "--connections", defaultValue = "16", description = "Active connections.")
    int connections;
    @Option(names = "--duration", defaultValue = "5", description = "Measured seconds per run.")
    double duration;
    @Option(names = "--work-us", description = "Busy work per request (default: 0 for pingpong and idle, 20 for echo-*).")
    Integer workMicros;
    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; the first is warm-up.")
    int rounds;
    @Option(names = "--rate", defaultValue = "0", description = "Open loop: requests/s over all hot connections (0: closed loop).")
    double rate;
    @Option(names = "--client-threads", defaultValue = "1", description = "Selector threads of the load generator "
            + "(one serves about 150-200k requests/s: more for 8 or more loops); each drives a contiguous block of the connections. "
            + "churn: the client's loops.")
    int clientThreads;
    @Option(names = "--idle", defaultValue = "15000", description = "idle: connections that send nothing.")
    int idle;
    @Option(names = "--torque-spin-us", defaultValue = "50", description = "torque's loop spin before blocking (µs).")
    int torqueSpinMicros;
    @Option(names = "--torque-no-pin", description = "Leave torque's loop threads unpinned.")
    boolean torqueNoPin;
    @Option(names = "--tls-provider", defaultValue = "AUTO", description = "tls-*: the TLS engines of every server (AUTO: BoringSSL where it loads).")
    io.torque.core.tls.TlsProvider tlsProvider;
    @Option(names = "--json", description = "Write the results as JSON here, and a chart as FILE.svg.")
    Path json;

    /**
     * One measured run; latencies in µs. The idle scenario adds the memory per idle connection and
     * the p99 without idle connections; elsewhere those are NaN.
     */
    record Row(String server, int round, double throughput, double p50, double p99, double p999, long errors, double cpuSeconds,
            double rssPerConnection, double heapPerConnection, double p99NoIdle, double allocPerRequest) {
        Row(String server, int round, double throughput, double p50, double p99, double p999, long errors, double cpuSeconds) {
            this(server, round, throughput, p50, p99, p999, errors, cpuSeconds, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }

        Row withAllocPerRequest(double bytes) {
            return new Row(server, round, throughput, p50, p99, p999, errors, cpuSeconds, rssPerConnection, heapPerConnection,
                    p99NoIdle, bytes);
        }
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = new CommandLine(this);
        if (loops < 1 || connections < 1 || duration <= 0 || rounds < 1 || rate < 0 || idle < 1) {
            throw new CommandLine.ParameterException(cl, "--loops, --connections, --rounds and --idle must be at least 1, "
                    + "--duration positive, --rate not negative");
        }
        if (clientThreads < 1 || clientThreads > connections) {
            throw new CommandLine.ParameterException(cl, "--client-threads must be 1.." + connections + " (--connections): "
                    + clientThreads);
        }
        if (clientThreads > 1 && !(scenario.equals("pingpong") || scenario.startsWith("echo-") || scenario.equals("churn"))) {
            throw new CommandLine.ParameterException(cl, "--client-threads is for pingpong, echo-* and churn: " + scenario
                    + " has a load generator of its own");
        }
        boolean[] hot = new boolean[connections];
        switch (scenario) {
            case "pingpong", "echo-uniform", "idle", "churn" -> java.util.Arrays.fill(hot, true);
            case "echo-skewed" -> {
                for (int i = 0; i < connections; i++) {
                    hot[i] = i % loops == 0;
                }
            }
            case "handoff" -> servers = List.of("torque-parked", "torque-spinning");
            case "tls-echo", "tls-handshake" -> {
                // the servers with TLS: torque's and Netty's (SslHandler), on the same provider
                servers = servers.stream().filter(x -> x.startsWith("torque") || x.equals("netty")).toList();
                tls = TlsBench.create(tlsProvider);
            }
            default -> throw new CommandLine.ParameterException(cl, "unknown scenario: " + scenario);
        }
        int work = workMicros != null ? workMicros : scenario.startsWith("echo-") ? 20 : 0;
        List<Row> rows = scenario.equals("handoff") ? HandoffScenario.run(duration, rounds) : runServers(hot, work);
        String table = scenario.equals("idle") ? IdleScenario.table(rows, servers, idle) : table(rows, servers);
        System.out.print(table);
        if (json != null) {
            Files.writeString(json, json(rows, work));
            Files.writeString(Path.of(json + ".svg"), chart(rows));
            if (!latencies.isEmpty()) {
                Files.writeString(Path.of(json + ".percentiles.svg"), PercentileChart.svg(String.format(Locale.ROOT,
                        "torque-bench %s: latency by percentile, %d loops, %d connections", scenario, loops, connections),
                        servers, latencies));
            }
        }
        return rows.stream().anyMatch(x -> x.errors() > 0) ? 1 : 0;
    }

    /** Per server, the latency histograms of its measured rounds merged (the percentile chart). */
    private final Map<String, org.HdrHistogram.Histogram> latencies = new java.util.LinkedHashMap<>();
    private org.HdrHistogram.Histogram lastLatency;
    /** The certificate and client of the tls-* scenarios; null for the others. */
    private TlsBench tls;
    /** Servers that could not start here (said why on stderr), left out of later rounds. */
    private final java.util.Set<String> skipped = new java.util.HashSet<>();

    private List<Row> runServers(boolean[] hot, int work) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (String server : servers) {
                if (skipped.contains(server)) {
                    continue;
                }
                List<String> extra = new ArrayList<>(List.of("--spin-us", Integer.toString(torqueSpinMicros)));
                if (torqueNoPin) {
                    extra.add("--no-pin");
                }
                ServerProcess started;
                try {
                    started = new ServerProcess(server, loops, work, extra, tls == null ? List.of() : tls.serverArgs());
                } catch (java.io.IOException e) {
                    // io_uring refused by the kernel, no JDK 21+ for vthreads: the others go on
                    System.err.println("skipping " + server + ": " + e.getMessage());
                    skipped.add(server);
                    continue;
                }
                try (ServerProcess p = started) {
                    Row row;
                    if (scenario.equals("idle")) {
                        row = IdleScenario.run(p, server, r, idle, connections, duration, rate);
                    } else if (scenario.equals("churn")) {
                        row = TlsBench.churn(p, server, r, connections, duration, clientThreads, h -> lastLatency = h);
                    } else if (tls != null) {
                        row = tls.run(p, server, r, scenario.equals("tls-handshake"), connections, duration, h -> lastLatency = h);
                    } else {
                        double cpu0 = p.cpuSeconds();
                        long alloc0 = server.equals("vthreads") ? -1 : p.allocatedBytes();
                        LoadClient.Result res = LoadClient.run(p.address(), connections, hot, 64,
                                Duration.ofMillis(10).toNanos(), 0.5, duration, rate, clientThreads);
                        double cpu = p.cpuSeconds() - cpu0;
                        var h = res.latencyMicros();
                        lastLatency = h;
                        System.err.printf(Locale.ROOT, "%s round %d %-13s %9.0f req/s p99 %5d us%n", scenario, r, server,
                                res.throughput(), h.getValueAtPercentile(99));
                        row = new Row(server, r, res.throughput(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                                h.getValueAtPercentile(99.9), res.errors(), cpu);
                        long alloc1 = alloc0 < 0 ? -1 : p.allocatedBytes();
                        if (alloc1 >= 0 && res.requests() > 0) {
                            row = row.withAllocPerRequest((double) (alloc1 - alloc0) / res.requests());
                        }
                    }
                    if (r > 0 || rounds == 1) {
                        rows.add(row);
                        if (lastLatency != null) {
                            latencies.computeIfAbsent(server, k -> new org.HdrHistogram.Histogram(60_000_000L, 3)).add(lastLatency);
                        }
                    }
                    lastLatency = null;
                }
            }
        }
        return rows;
    }

    /**
     * Throughput per CPU second of the server (user and system, over the same run): proportional
     * to requests per CPU-second, the efficiency measure; compared as a ratio to Netty's.
     */
    static double requestsPerCpuSecond(Row r) {
        return r.cpuSeconds() > 0 ? r.throughput() / r.cpuSeconds() : Double.NaN;
    }

    static double median(List<Row> rows, String server, ToDoubleFunction<Row> f) {
        return io.torque.bench.Stats.median(rows.stream().filter(r -> r.server().equals(server)).mapToDouble(f));
    }

    /** One row per server: medians over the measured rounds, and the throughput ratio to netty. */
    static String table(List<Row> rows, List<String> servers) {
        double netty = median(rows, "netty", Row::throughput);
        double nettyPerCpu = median(rows, "netty", TorqueBench::requestsPerCpuSecond);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-15s %10s %8s %8s %9s %8s %9s %11s %9s %7s%n",
                "server", "req/s", "p50 us", "p99 us", "p99.9 us", "cpu s", "vs netty", "req/cpu-s x", "B/req", "errors"));
        for (String s : servers) {
            double t = median(rows, s, Row::throughput);
            sb.append(String.format(Locale.ROOT, "%-15s %10.0f %8.1f %8.1f %9.1f %8.2f %8.2fx %10.2fx %9.1f %7d%n", s, t,
                    median(rows, s, Row::p50), median(rows, s, Row::p99), median(rows, s, Row::p999),
                    median(rows, s, Row::cpuSeconds), Double.isNaN(netty) ? Double.NaN : t / netty,
                    median(rows, s, TorqueBench::requestsPerCpuSecond) / nettyPerCpu, median(rows, s, Row::allocPerRequest),
                    rows.stream().filter(r -> r.server().equals(s)).mapToLong(Row::errors).sum()));
        }
        return sb.toString();
    }

    /** The chart: throughput and p99 per server; for idle, memory per idle connection and p99 with and without. */
    String chart(List<Row> rows) {
        Map<String, Map<String, Double>> panels = Chart.panels();
        if (scenario.equals("idle")) {
            panels.put("RSS bytes per idle connection", medians(rows, Row::rssPerConnection));
            panels.put("heap bytes per idle connection", medians(rows, Row::heapPerConnection));
            panels.put("p99 µs, 0 idle", medians(rows, Row::p99NoIdle));
            panels.put(String.format(Locale.ROOT, "p99 µs, %,d idle", idle), medians(rows, Row::p99));
        } else if (scenario.equals("handoff")) {
            panels.put("p50 µs", medians(rows, Row::p50));
            panels.put("p99 µs", medians(rows, Row::p99));
        } else {
            panels.put("requests/s", medians(rows, Row::throughput));
            panels.put("p99 µs", medians(rows, Row::p99));
        }
        String title = String.format(Locale.ROOT, "torque-bench %s: %d loops, %d connections%s, %s", scenario, loops, connections,
                rate > 0 ? String.format(Locale.ROOT, ", open loop %.0f req/s", rate) : "",
                Runtime.getRuntime().availableProcessors() + " CPUs");
        return Chart.svg(title, servers, panels);
    }

    private Map<String, Double> medians(List<Row> rows, ToDoubleFunction<Row> f) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (String s : servers) {
            m.put(s, median(rows, s, f));
        }
        return m;
    }

    String json(List<Row> rows, int work) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"scenario\":\"%s\",\"torqueSpinMicros\":%d,\"torquePinned\":%s,\"loops\":%d,"
                + "\"connections\":%d,\"durationSeconds\":%s,\"workMicros\":%d,\"rounds\":%d,\"openLoopRate\":%s,"
                + "\"idleConnections\":%s,\"clientThreads\":%d,\"cpus\":%d,\"java\":\"%s\",\"results\":[", scenario, torqueSpinMicros,
                !torqueNoPin, loops, connections, duration, work, rounds, rate, scenario.equals("idle") ? idle : 0, clientThreads,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"server\":\"%s\",\"scenario\":\"%s\",\"round\":%d,\"throughput\":%s,\"p50_us\":%s,\"p99_us\":%s,"
                            + "\"p999_us\":%s,\"errors\":%d,\"cpu_seconds\":%s,\"alloc_bytes_per_request\":%s",
                    r.server(), scenario, r.round(), num(r.throughput()), num(r.p50()), num(r.p99()), num(r.p999()), r.errors(),
                    num(r.cpuSeconds()), num(r.allocPerRequest())));
            if (!Double.isNaN(r.rssPerConnection())) {
                sb.append(String.format(Locale.ROOT, ",\"rss_bytes_per_idle_connection\":%s,\"heap_bytes_per_idle_connection\":%s,"
                        + "\"p99_us_without_idle\":%s", num(r.rssPerConnection()), num(r.heapPerConnection()), num(r.p99NoIdle())));
            }
            sb.append('}');
        }
        return sb.append("]}\n").toString();
    }

    /** A JSON number; NaN (not measured) as null. */
    private static String num(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TorqueBench()).execute(args));
    }
}
