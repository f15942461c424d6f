package io.torque.bench.servers;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

import io.torque.core.Torque;
import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.Placement;
import io.torque.core.net.Listener;
import io.torque.examples.netty.NettyServer;
import io.torque.topology.cli.TorqueVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One benchmark server in its own JVM: {@code torque} (PARETO), {@code torque-reuseport} (PARETO,
 * a listening socket per loop), {@code torque-static}, {@code torque-steal}, {@code
 * torque-steal-poll}, {@code torque-steal-epoll}, {@code netty} (epoll) or {@code nio}, echoing
 * fixed-size requests after {@code --work-us} of busy work. Prints {@code listening on
 * ADDR:PORT}, then serves until its standard input closes (the harness closes it), and exits 0.
 */
@Command(name = "bench-server", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class,
        showDefaultValues = true)
public final class BenchServer implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "torque, torque-reuseport, torque-static, torque-steal, torque-steal-poll, torque-steal-epoll, torque-stats (torque read by a stats reader every 10 ms), netty, netty-iouring, vthreads or nio")
    String server;
    @Option(names = "--port", defaultValue = "0", description = "TCP port; 0 lets the kernel pick one.")
    int port;
    @Option(names = "--loops", defaultValue = "2", description = "Event loops (threads).")
    int loops;
    @Option(names = "--work-us", defaultValue = "0", description = "Busy work per request, in microseconds.")
    int workMicros;
    @Option(names = "--request-bytes", defaultValue = "64", description = "Bytes per request (and per reply).")
    int requestBytes;
    @Option(names = "--spin-us", defaultValue = "50", description = "torque: loop spin before blocking (µs).")
    int spinMicros;
    @Option(names = "--no-pin", description = "torque: leave loop threads unpinned.")
    boolean noPin;
    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve TLS with this PEM certificate (torque and netty).")
    java.nio.file.Path tlsCert;
    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM key of --tls-cert.")
    java.nio.file.Path tlsKey;
    @Option(names = "--tls-provider", defaultValue = "AUTO", description = "AUTO, OPENSSL or JDK: the same for torque and netty.")
    io.torque.core.tls.TlsProvider tlsProvider;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress bind = new InetSocketAddress("127.0.0.1", port);
        long work = workMicros * 1000L;
        AutoCloseable running;
        InetSocketAddress bound;
        switch (server) {
            case "torque", "torque-static", "torque-steal", "torque-steal-poll", "torque-steal-epoll", "torque-stats",
                    "torque-reuseport" -> {
                // All use round-robin placement so that the comparison isolates what hand-off buys.
                Torque t = Torque.builder().loopCount(loops).placement(Placement.ROUND_ROBIN)
                        .dispatch(switch (server) {
                            case "torque", "torque-stats", "torque-reuseport" -> DispatchPolicy.PARETO;
                            case "torque-steal" -> DispatchPolicy.STEAL;
                            case "torque-steal-poll" -> DispatchPolicy.STEAL_POLL;
                            case "torque-steal-epoll" -> DispatchPolicy.STEAL_EPOLL;
                            default -> DispatchPolicy.STATIC;
                        })
                        .spin(java.time.Duration.ofNanos(spinMicros * 1000L)).pin(!noPin).build();
                io.torque.core.net.ListenOptions options = io.torque.core.net.ListenOptions.DEFAULT;
                if (server.equals("torque-reuseport")) { // a listening socket per loop: each accepts its own
                    options = new io.torque.core.net.ListenOptions(options.backlog(), true, null, null);
                }
                if (tlsCert != null) {
                    options = options.withTls(torqueTls());
                }
                Listener l = t.listen(bind, options, c -> new TorqueEcho(requestBytes, work));
                if (server.equals("torque-stats")) {
                    // torque with a reader of every loop's counters every 10 ms (100 scrapes a second,
                    // far more than a metrics scraper): what reading costs the loops
                    Thread reader = new Thread(() -> {
                        long sink = 0;
                        while (!Thread.currentThread().isInterrupted()) {
                            for (io.torque.core.dispatch.LoopStats st : t.stats()) {
                                sink += st.bytesRead() + st.handled();
                            }
                            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                        }
                        if (sink == 42) {
                            System.out.print("");
                        }
                    }, "stats-reader");
                    reader.setDaemon(true);
                    reader.start();
                }
                running = t;
                bound = l.localAddress();
            }
            case "netty" -> {
                NettyServer n = NettyEchoServer.start(bind, loops, requestBytes, work, nettyTls());
                running = n;
                bound = n.localAddress();
            }
            case "netty-iouring" -> {
                NettyServer n = NettyEchoServer.startIoUring(bind, loops, requestBytes, work);
                running = n;
                bound = n.localAddress();
            }
            case "vthreads" -> {
                VirtualThreadEchoServer v = new VirtualThreadEchoServer(bind, loops, requestBytes, work);
                running = v;
                bound = v.localAddress();
            }
            case "nio" -> {
                NioEchoServer n = new NioEchoServer(bind, loops, requestBytes, work);
                running = n;
                bound = n.localAddress();
            }
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown server: " + server);
        }
        System.out.println("listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
        System.out.flush();
        // Serve until the harness closes our stdin. A "heap" line asks for the heap in use after a
        // full collection, answered as "heap BYTES" (the idle scenario's per-connection memory).
        java.io.BufferedReader commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.US_ASCII));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            if (line.equals("heap")) {
                System.out.println("heap " + io.torque.testkit.ProcessProbe.heapBytesAfterGc());
                System.out.flush();
            } else if (line.equals("alloc")) {
                System.out.println("alloc " + allocatedByThreads());
                System.out.flush();
            }
        }
        running.close();
        return 0;
    }

    private io.torque.core.tls.TlsConfig torqueTls() {
        return io.torque.core.tls.TlsConfig.server().certificate(tlsCert, tlsKey).provider(tlsProvider).build();
    }

    /** Netty's TLS on the same files and provider as torque's, or null without --tls-cert. */
    private io.netty.handler.ssl.SslContext nettyTls() throws javax.net.ssl.SSLException {
        return tlsCert == null ? null : io.torque.examples.netty.NettyTls.server(tlsCert, tlsKey, torqueTls().provider());
    }

    /**
     * The bytes all live threads have allocated (HotSpot's per-thread counters): the loops' share
     * of the garbage a request makes; -1 where unsupported. Virtual threads are not counted.
     */
    static long allocatedByThreads() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported()) {
            return -1;
        }
        long sum = 0;
        for (long b : sun.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchServer()).execute(args));
    }
}
