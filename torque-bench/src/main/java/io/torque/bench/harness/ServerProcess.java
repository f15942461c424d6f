package io.torque.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.torque.bench.servers.BenchServer;
import io.torque.testkit.ProcessProbe;

/**
 * A benchmark server in its own JVM, started with this JVM's java and class path and the same
 * flags for every server; stopped by closing its standard input.
 */
final class ServerProcess implements AutoCloseable {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final Process process;
    private final InetSocketAddress address;
    private final BufferedReader out;

    ServerProcess(String server, int loops, int workMicros, List<String> extra) throws IOException {
        this(server, loops, workMicros, extra, List.of());
    }

    /** As above, with {@code common} arguments for every server (TLS). */
    ServerProcess(String server, int loops, int workMicros, List<String> extra, List<String> common) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaFor(server),
                "--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                BenchServer.class.getName(), "--server", server, "--loops", Integer.toString(loops),
                "--work-us", Integer.toString(workMicros)));
        if (server.startsWith("torque")) {
            cmd.addAll(extra);
        }
        cmd.addAll(common);
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening on ")) {
            process.destroyForcibly();
            throw new IOException(server + " did not start: " + line);
        }
        String hostPort = line.substring("listening on ".length());
        int colon = hostPort.lastIndexOf(':');
        address = new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * The java to run {@code server} with: this JVM's, but for {@code vthreads} on a JDK older
     * than 21, which takes the newest JDK under /usr/lib/jvm ({@code TORQUE_VTHREADS_JAVA}
     * overrides it).
     *
     * @throws IOException if vthreads has no JDK 21+ to run on
     */
    static String javaFor(String server) throws IOException {
        String own = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (!server.equals("vthreads") || Runtime.version().feature() >= 21) {
            return own;
        }
        String env = System.getenv("TORQUE_VTHREADS_JAVA");
        if (env != null) {
            return env;
        }
        try (var dirs = java.nio.file.Files.list(Path.of("/usr/lib/jvm"))) {
            return dirs.filter(d -> d.getFileName().toString().matches(".*-(2[1-9]|[3-9][0-9])(-.*|\\..*)?"))
                    .map(d -> d.resolve("bin/java")).filter(java.nio.file.Files::isExecutable).map(Path::toString)
                    .sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IOException("vthreads needs JDK 21+: none under /usr/lib/jvm (set TORQUE_VTHREADS_JAVA)"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("vthreads needs JDK 21+: no /usr/lib/jvm (set TORQUE_VTHREADS_JAVA)", e);
        }
    }

    long pid() {
        return process.pid();
    }

    InetSocketAddress address() {
        return address;
    }

    /** The server's resident set size in bytes ({@code VmRSS}). */
    long rssBytes() throws IOException {
        long kib = ProcessProbe.rssKiB(process.pid());
        if (kib < 0) {
            throw new IOException("no VmRSS for the " + process.pid() + " server");
        }
        return kib * 1024;
    }

    /** The server's heap in use right after a full collection, in bytes. */
    long heapBytesAfterGc() throws IOException {
        return ask("heap");
    }

    /**
     * The bytes the server's live threads have allocated so far (its event loops': what a
     * request costs the garbage collector), or -1 where the JVM cannot tell.
     */
    long allocatedBytes() throws IOException {
        return ask("alloc");
    }

    private long ask(String what) throws IOException {
        process.getOutputStream().write((what + "\n").getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        String line = out.readLine();
        if (line == null || !line.startsWith(what + " ")) {
            throw new IOException("the server answered " + line + " to " + what);
        }
        return Long.parseLong(line.substring(what.length() + 1).trim());
    }

    /** User plus system CPU seconds the server has used so far. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command name: state is field 3, utime field 14, stime field 15 (1-based).
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return (double) ticks / TICKS_PER_SECOND;
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
