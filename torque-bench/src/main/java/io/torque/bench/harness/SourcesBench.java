package io.torque.bench.harness;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.torque.bench.Stats;
import io.torque.topology.cli.TorqueVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * torque's newer sources against Netty's, side by side in one run: UDP echo, Unix domain socket
 * echo, and file downloads ({@code sendFile} against {@code DefaultFileRegion}). Both servers
 * run in this JVM with 2 loops, alternately, one round at a time; the load is the same selector
 * client for both. Prints per-round figures and the median ratios; writes JSON and a chart.
 */
@Command(name = "sources-bench", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class, showDefaultValues = true,
        description = "UDP echo, Unix-socket echo and sendFile: torque against Netty.")
public final class SourcesBench implements Callable<Integer> {
    @Option(names = "--scenarios", defaultValue = "udp,unix,sendfile", split = ",", description = "udp, unix, sendfile.")
    List<String> scenarios;
    @Option(names = "--rounds", defaultValue = "4", description = "Rounds per server; the first is warm-up.")
    int rounds;
    @Option(names = "--duration", defaultValue = "3", description = "Seconds per round.")
    double duration;
    @Option(names = "--clients", defaultValue = "16", description = "Concurrent clients (downloads for sendfile).")
    int clients;
    @Option(names = "--file-mib", defaultValue = "64", description = "sendfile: the file's size in MiB.")
    int fileMib;
    @Option(names = "--torque-no-pin", description = "Leave torque's loop threads unpinned (Netty's never are).")
    boolean torqueNoPin;
    @Option(names = "--json", description = "Write the results as JSON here, and a chart as FILE.svg.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("torque-sources-bench");
        Stats.deleteOnExit(dir);
        Path file = dir.resolve("file.bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            for (int i = 0; i < fileMib; i++) {
                ch.write(b.clear());
            }
        }
        Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
        for (String scenario : scenarios) {
            for (int r = 0; r < rounds; r++) {
                for (String server : List.of("torque", "netty")) {
                    double value;
                    try (SourceServers.Running s = SourceServers.start(scenario, server, dir, file, !torqueNoPin)) {
                        value = scenario.equals("sendfile") ? SourceLoad.downloads(s.address(), clients, duration) / (1 << 20)
                                : SourceLoad.pingpong(s.address(), scenario.equals("udp"), clients, duration);
                    }
                    Files.deleteIfExists(dir.resolve(server + ".sock"));
                    System.err.printf(Locale.ROOT, "%s round %d %-6s %12.0f %s%n", scenario, r, server, value,
                            scenario.equals("sendfile") ? "MiB/s" : "msg/s");
                    if (r > 0 || rounds == 1) {
                        results.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).computeIfAbsent(server, k -> new ArrayList<>()).add(value);
                    }
                }
            }
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-9s %14s %14s %9s%n", "scenario", "torque", "netty", "ratio"));
        StringBuilder js = new StringBuilder("{\"bench\":\"sources\",\"torque_pinned\":" + !torqueNoPin + ",\"loops\":2,\"clients\":" + clients + ",\"duration_s\":" + duration
                + ",\"rounds\":" + rounds + ",\"file_mib\":" + fileMib + ",\"results\":[");
        Map<String, Map<String, Double>> panels = Chart.panels();
        String sep = "";
        for (Map.Entry<String, Map<String, List<Double>>> e : results.entrySet()) {
            double t = Stats.median(e.getValue().get("torque").stream().mapToDouble(Double::doubleValue));
            double n = Stats.median(e.getValue().get("netty").stream().mapToDouble(Double::doubleValue));
            String unit = e.getKey().equals("sendfile") ? "MiB/s" : "msg/s";
            table.append(String.format(Locale.ROOT, "%-9s %14.0f %14.0f %8.2fx  (%s)%n", e.getKey(), t, n, t / n, unit));
            js.append(String.format(Locale.ROOT, "%s%n {\"scenario\":\"%s\",\"unit\":\"%s\",\"torque\":%.1f,\"netty\":%.1f,\"ratio\":%.3f,"
                    + "\"torque_rounds\":%s,\"netty_rounds\":%s}", sep, e.getKey(), unit, t, n, t / n, e.getValue().get("torque"),
                    e.getValue().get("netty")));
            sep = ",";
            Map<String, Double> panel = new LinkedHashMap<>();
            panel.put("torque", t);
            panel.put("netty", n);
            panels.put(e.getKey() + " (" + unit + ")", panel);
        }
        js.append("\n]}\n");
        System.out.print(table);
        if (json != null) {
            Files.writeString(json, js.toString());
            Files.writeString(Path.of(json + ".svg"), Chart.svg("sources-bench: torque vs Netty, 2 loops, " + clients + " clients",
                    List.of("torque", "netty"), panels));
        }
        return 0;
    }

    /**
     * Entry point.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SourcesBench()).execute(args));
    }
}
