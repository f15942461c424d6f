package io.torque.examples;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.torque.core.Torque;
import io.torque.core.dns.DnsOptions;
import io.torque.core.dns.Resolver;
import io.torque.core.dns.SrvRecord;
import io.torque.topology.cli.TorqueVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * libtorque's torquehost: resolves names with torque's asynchronous resolver (all at once, on a
 * loop) and prints the answers as {@code host(1)} does. Exit status 1 if any name failed.
 */
@Command(name = "torquehost", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class, showDefaultValues = true,
        description = "Resolves names with torque's asynchronous DNS resolver and prints the answers.")
public final class TorqueHost implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Names to resolve (all queried at once).")
    List<String> names;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "Ask this name server (default: /etc/resolv.conf's).")
    String server;

    @Option(names = "--type", defaultValue = "ALL", description = "A, AAAA, SRV, or ALL (addresses of both families, /etc/hosts first).")
    String type;

    @Option(names = "--timeout", defaultValue = "5s", description = "Per-query timeout (such as 500ms or 2s).")
    String timeout;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = new CommandLine(this);
        DnsOptions options = DnsOptions.DEFAULT.withQueryTimeout(StatsPrinter.period(timeout));
        if (server != null) {
            int colon = server.lastIndexOf(':');
            if (colon < 0) {
                throw new CommandLine.ParameterException(cl, "--server must be HOST:PORT: " + server);
            }
            options = options.withServers(new InetSocketAddress(InetAddress.getByName(server.substring(0, colon).replaceAll("[\\[\\]]", "")),
                    Integer.parseInt(server.substring(colon + 1))));
        }
        String kind = type.toUpperCase(java.util.Locale.ROOT);
        if (!List.of("A", "AAAA", "SRV", "ALL").contains(kind)) {
            throw new CommandLine.ParameterException(cl, "--type must be A, AAAA, SRV or ALL: " + type);
        }
        int failed = 0;
        try (Torque torque = Torque.builder().loopCount(1).pin(false).build()) {
            Resolver r = torque.resolver(options);
            List<java.util.concurrent.CompletableFuture<List<String>>> answers = names.stream().map(n -> switch (kind) {
                case "SRV" -> r.resolveSrv(n).thenApply(rs -> rs.stream().map(s -> n + " has SRV record " + s.priority() + " "
                        + s.weight() + " " + s.port() + " " + s.target()).toList());
                case "A", "AAAA" -> r.resolve(n, kind.equals("AAAA")).thenApply(as -> lines(n, as));
                default -> r.resolveAll(n).thenApply(as -> lines(n, as));
            }).toList();
            for (int i = 0; i < names.size(); i++) {
                try {
                    List<String> lines = answers.get(i).get(60, TimeUnit.SECONDS);
                    if (lines.isEmpty()) {
                        System.out.println(names.get(i) + " has no " + kind + " record");
                    }
                    lines.forEach(System.out::println);
                } catch (ExecutionException e) {
                    failed++;
                    System.out.println("Host " + names.get(i) + " not found: " + reason(e.getCause()));
                }
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static List<String> lines(String name, List<InetAddress> addresses) {
        return addresses.stream().map(a -> name + (a instanceof Inet6Address ? " has IPv6 address " : " has address ")
                + a.getHostAddress()).toList();
    }

    private static String reason(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            String m = String.valueOf(x.getMessage());
            if (m.contains("NXDOMAIN")) {
                return "3(NXDOMAIN)";
            }
            if (x.getClass().getSimpleName().contains("Timeout")) {
                return "timed out (" + m + ")";
            }
        }
        return String.valueOf(t.getMessage());
    }

    /** Entry point. */
    public static void main(String[] args) {
        ServerMain.main("torquehost", new TorqueHost(), args);
    }
}
