package io.torque.examples.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.torque.examples.ServerMain;
import io.torque.examples.ServerOptions;
import io.torque.core.Torque;
import io.torque.core.TorqueBuilder;
import io.torque.topology.cli.TorqueVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code torque-http --port P [--bind ADDR] [--cpus LIST] [--loops N] [--server torque|netty]}:
 * HTTP/1.1 with keep-alive and pipelining; {@code GET /plaintext} answers {@code Hello, World!}
 * with Content-Length and Date (TechEmpower's plaintext test), malformed requests get a 4xx/5xx
 * and a close. {@code --server netty} runs the same parser and responses on Netty 4.2 epoll.
 * Prints {@code listening on ADDR:PORT}; SIGINT or SIGTERM stop it with status 0.
 */
@Command(name = "torque-http", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class,
        showDefaultValues = true, description = "HTTP/1.1 plaintext server on torque (or Netty).")
public final class HttpServer implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Option(names = "--server", defaultValue = "torque", description = "torque or netty.")
    String server;

    @Option(names = "--loops", defaultValue = "0", description = "Event loops; 0 for the default: the advisory count (the cgroup CPU quota, else every usable CPU), or one per --cpus CPU.")
    int loops;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress address = options.address();
        switch (server) {
            case "torque" -> {
                TorqueBuilder b = options.builder();
                if (loops > 0) {
                    b.loopCount(loops);
                }
                try (Torque torque = b.build()) {
                    HttpDate date = new HttpDate();
                    torque.timer(Duration.ofSeconds(1), Duration.ofSeconds(1), t -> date.update());
                    return ServerMain.serve(torque, options.listen(torque, c -> new TorquePlaintext(date)));
                }
            }
            case "netty" -> {
                if (options.unix()) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--unix is torque's; the Netty twin listens on TCP");
                }
                int n = loops > 0 ? loops : io.torque.topology.Topology.detect().usableCpus().size();
                try (NettyPlaintext netty = new NettyPlaintext(address, n, options.nettyTls())) {
                    Thread main = Thread.currentThread();
                    for (String sig : new String[] {"INT", "TERM"}) {
                        sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> main.interrupt());
                    }
                    ServerMain.printListening(netty.localAddress());
                    try {
                        netty.awaitClose();
                    } catch (InterruptedException stop) {
                        // a signal: close below
                    }
                }
                return 0;
            }
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "--server must be torque or netty: " + server);
        }
    }

    /** Entry point. */
    public static void main(String[] args) {
        ServerMain.main("torque-http", new HttpServer(), args);
    }
}
