package io.torque.bench.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.torque.topology.cli.TorqueVersion;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code torque-sim (--pes N | --fsroot DIR) [--policy ...] [--arrivals ...] [--sources N]
 * [--hot-loops K] [--service ...] [--load ...] [--costs zero|measured] [--events N] [--seed S]
 * [--json FILE] [--svg FILE]}: the dispatch policies side by side in the simulator, one run per
 * policy and load, then each policy's maximum load with p99 within ten mean service times (by
 * bisection). Runs are independent and seeded, so they run in parallel and the output is the
 * same for a seed.
 */
@Command(name = "torque-sim", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class, showDefaultValues = true,
        description = "Simulates torque's loops under the dispatch policies on a real or synthesized topology.")
public final class TorqueSim implements Callable<Integer> {
    /** The p99 bound of the maximum-load search, in mean service times. */
    static final double BOUND_SERVICES = 10;

    static final class Machine {
        @Option(names = "--pes", description = "Synthesize a machine of N PEs (SMT pairs, 8 to an L3, 32 to a package).")
        Integer pes;
        @Option(names = "--fsroot", paramLabel = "DIR", description = "Read the topology from a snapshot: a folder as "
                + "archdetect takes, or an hwloc .tar.bz2 snapshot; one loop per usable CPU.")
        Path fsroot;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Machine machine;

    @Option(names = "--loops", description = "With --fsroot: loops on the first N usable CPUs only (default: one per usable CPU).")
    Integer loopLimit;

    @Option(names = "--policy", split = ",", defaultValue = "STATIC,PARETO,STEAL_HALF,SHARED",
            description = "Policies to compare: STATIC, PARETO, STEAL_HALF, SHARED, and the candidates PARETO_SPLIT, "
                    + "PARETO_REHOME, PARETO_FEED, STEAL_REHOME, STEAL_EPOLL, STEAL_POLL, STEAL_REFRESH (docs/scale.md).")
    List<Policy> policies;

    @Option(names = "--arrivals", defaultValue = "poisson", description = "poisson, onoff, trace:FILE or closed:GAP (closed loop: each source one request at a time, the next GAP µs after the reply, as torque-bench loads a server; --load does not apply).")
    String arrivals;

    @Option(names = "--sources", defaultValue = "32", description = "Sources (connections) per PE.")
    int sources;

    @Option(names = "--hot-loops", defaultValue = "0",
            description = "The sources of loops 0..K-1 carry 90%% of the load (an unlucky placement); 0: uniform.")
    int hotLoops;

    @Option(names = "--service", defaultValue = "exp:10us",
            description = "exp:MEAN, const:T, bimodal:T1,T2,P2 or pareto:MEAN,ALPHA (units ns, us, ms, s).")
    String service;

    @Option(names = "--load", split = ",", defaultValue = "0.5,0.8,0.95", description = "Offered loads per PE.")
    List<Double> loads;

    @Option(names = "--costs", defaultValue = "measured", description = "zero or measured (docs/scale.md).")
    String costs;

    @Option(names = "--split-max", defaultValue = "8", description = "PARETO_SPLIT: the most recipients of one round.")
    int splitMax;

    @Option(names = "--hot-rounds", defaultValue = "4",
            description = "PARETO_REHOME, STEAL_REHOME, STEAL_EPOLL: rounds in a row with more than one ready source that make a loop hot.")
    int hotRounds;

    @Option(names = "--events", defaultValue = "1000000", description = "Arrivals per run; the first tenth warms up.")
    long events;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every run.")
    long seed;

    @Option(names = "--max-load", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Search each policy's maximum load with p99 <= 10 mean service times.")
    boolean maxLoad;

    @Option(names = "--json", description = "Write the results as JSON here (and a chart as FILE.svg unless --svg).")
    Path json;

    @Option(names = "--svg", description = "Write the chart here.")
    Path svg;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (events < 10 || events > 100_000_000) {
            throw new CommandLine.ParameterException(cl, "--events must be in [10, 100000000]: " + events);
        }
        for (double l : loads) {
            if (!(l > 0 && l <= 2)) {
                throw new CommandLine.ParameterException(cl, "--load values must be in (0, 2]: " + l);
            }
        }
        Shape shape;
        String where;
        try {
            int[][] distance = machine.pes != null ? Machines.synthesized(machine.pes) : Machines.of(Machines.read(machine.fsroot));
            if (loopLimit != null) {
                if (machine.pes != null || loopLimit < 1 || loopLimit > distance.length) {
                    throw new IllegalArgumentException("--loops goes with --fsroot and must be in [1, " + distance.length + "]: "
                            + loopLimit);
                }
                distance = Machines.first(distance, loopLimit);
            }
            where = machine.pes != null ? "synthesized " + machine.pes + " PEs"
                    : machine.fsroot.getFileName() == null ? "this machine" : machine.fsroot.getFileName().toString();
            shape = new Shape(distance, sources, hotLoops, Arrivals.parse(arrivals), Service.parse(service), Costs.parse(costs),
                    events, splitMax, hotRounds);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        double bound = BOUND_SERVICES * shape.service().meanNanos() / 1e3;
        List<Result> results = new ArrayList<>();
        Map<Policy, Double> max = new EnumMap<>(Policy.class);
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), policies.size() * loads.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Result>> runs = new ArrayList<>();
            for (Policy p : policies) {
                for (double l : loads) {
                    runs.add(pool.submit(() -> new Simulation(shape, p, l, seed).run()));
                }
            }
            for (Future<Result> f : runs) {
                results.add(f.get());
            }
            if (maxLoad) {
                Map<Policy, Future<Double>> searches = new EnumMap<>(Policy.class);
                for (Policy p : policies) {
                    searches.put(p, pool.submit(() -> maxLoad(shape, p, bound, seed)));
                }
                for (Map.Entry<Policy, Future<Double>> e : searches.entrySet()) {
                    max.put(e.getKey(), e.getValue().get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        print(where, shape, results, max, bound);
        if (json != null) {
            Files.writeString(json, json(where, shape, results, max, bound));
        }
        Path chart = svg != null ? svg : json != null ? Path.of(json + ".svg") : null;
        if (chart != null) {
            String title = String.format(Locale.ROOT, "%s, %d loops, %s, %s, hot loops %d, costs %s", where, shape.loops(),
                    arrivals, service, hotLoops, costs);
            Files.writeString(chart, SimChart.svg(title, policies, results, bound, max));
        }
        return 0;
    }

    /** The highest load (to 0.005) whose p99 is within the bound, by bisection; 0 if none. */
    static double maxLoad(Shape shape, Policy p, double boundMicros, long seed) {
        double lo = 0;
        double hi = 1;
        while (hi - lo > 0.005) {
            double mid = (lo + hi) / 2;
            if (new Simulation(shape, p, mid, seed).run().p99Micros() <= boundMicros) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void print(String where, Shape shape, List<Result> results, Map<Policy, Double> max, double bound) {
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "torque-sim: %s, %d loops, %d sources per loop, hot loops %d, %s arrivals, service %s, "
                + "costs %s, %d events, seed %d%n", where, shape.loops(), sources, hotLoops, arrivals, service, costs, events, seed);
        out.println("policy       load  events/us   mean_us    p50_us    p99_us   p999_us  handoffs/ev  distance  util min/mean/max");
        for (Result r : results) {
            double[] u = r.utilization();
            double umin = 1;
            double umax = 0;
            double sum = 0;
            for (double v : u) {
                umin = Math.min(umin, v);
                umax = Math.max(umax, v);
                sum += v;
            }
            out.printf(Locale.ROOT, "%-11s %5.2f %10.4f %9.1f %9.1f %9.1f %9.1f %12.4f %9.2f  %.2f/%.2f/%.2f%n", r.policy(),
                    r.load(), r.throughputPerMicro(), r.meanMicros(), r.p50Micros(), r.p99Micros(), r.p999Micros(),
                    r.handoffsPerEvent(), r.meanHandoffDistance(), umin, sum / u.length, umax);
        }
        Double shared = max.get(Policy.SHARED);
        for (Map.Entry<Policy, Double> e : max.entrySet()) {
            out.printf(Locale.ROOT, "max load with p99 <= %.0f us: %-10s %.3f%s%n", bound, e.getKey(), e.getValue(),
                    shared != null && shared > 0 ? String.format(Locale.ROOT, " (%.0f%% of SHARED)", 100 * e.getValue() / shared) : "");
        }
        out.flush();
    }

    String json(String where, Shape shape, List<Result> results, Map<Policy, Double> max, double bound) {
        Costs c = shape.costs();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "{\"machine\":\"%s\",\"pes\":%d,\"sources_per_pe\":%d,"
                + "\"hot_loops\":%d,\"arrivals\":\"%s\",\"service\":\"%s\",\"costs\":\"%s\",\"cost_nanos\":{\"round\":%d,"
                + "\"enqueue\":%d,\"decision_per_loop\":%d,\"wake_parked\":%d,\"wake_spinning\":%d,\"spin_window\":%d,"
                + "\"per_level\":%d},\"events\":%d,\"seed\":%d,\"p99_bound_us\":%.3f,\"results\":[", where, shape.loops(), sources,
                hotLoops, arrivals.replace("\\", "\\\\").replace("\"", "\\\""), service, costs, c.roundNanos(), c.enqueueNanos(),
                c.decisionNanosPerLoop(), c.wakeParkedNanos(), c.wakeSpinningNanos(), c.spinWindowNanos(), c.distanceNanos(),
                events, seed, bound));
        for (int i = 0; i < results.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(results.get(i).json());
        }
        sb.append("],\"max_load\":[");
        Double shared = max.get(Policy.SHARED);
        int i = 0;
        for (Map.Entry<Policy, Double> e : max.entrySet()) {
            sb.append(i++ == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"policy\":\"%s\",\"load\":%.4f,"
                    + "\"fraction_of_shared\":%s}", e.getKey(), e.getValue(), shared != null && shared > 0
                    ? String.format(Locale.ROOT, "%.4f", e.getValue() / shared) : "null"));
        }
        return sb.append("]}\n").toString();
    }

    /** Entry point. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new TorqueSim()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            System.err.println("torque-sim: " + ex.getMessage());
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("torque-sim: " + ex.getMessage() + " (try --help)");
            return 2;
        });
        System.exit(cl.execute(args));
    }
}
