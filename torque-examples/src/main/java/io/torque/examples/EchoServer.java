package io.torque.examples;

import java.util.concurrent.Callable;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.topology.cli.TorqueVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code torque-echo --port P [--bind ADDR] [--cpus LIST] [--stats PERIOD]}: an echo server on
 * torque. Prints one line, {@code listening on ADDR:PORT} (the port actually bound, so
 * {@code --port 0} works), and exits with status 0 on SIGINT or SIGTERM after closing every
 * connection. With {@code --stats 1s} it prints a line per loop every period: what the loop did
 * in it (bytes, connections, hand-offs, busy share) from {@code Torque.stats()}.
 */
@Command(name = "torque-echo", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class,
        showDefaultValues = true, description = "An echo server on torque.")
public final class EchoServer implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--udp", description = "Echo UDP datagrams (to their senders) instead of a TCP stream; "
            + "prints 'listening on udp://ADDR:PORT'.")
    boolean udp;

    @picocli.CommandLine.Option(names = "--stats", paramLabel = "PERIOD",
            description = "Print a line per loop every PERIOD (such as 1s or 500ms): bytes, connections, hand-offs and busy share "
                    + "in that period (default: never).")
    String stats;

    /** Writes back whatever arrives. */
    static final class Echo implements ConnectionHandler {
        @Override
        public Next onRead(Connection c, ReadBuffer in) {
            c.write(in.bytes());
            in.consumeAll();
            return Next.CONTINUE;
        }
    }

    @Override
    public Integer call() throws Exception {
        java.time.Duration period;
        try {
            period = stats == null ? null : StatsPrinter.period(stats);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Torque torque = options.builder().build()) {
            if (period != null) {
                StatsPrinter printer = new StatsPrinter(torque, period, System.out);
                torque.timer(period, period, t -> printer.print());
            }
            if (udp) {
                io.torque.core.udp.DatagramSocket s = torque.bind(options.address(), io.torque.core.udp.DatagramOptions.DEFAULT,
                        (socket, data, sender) -> socket.send(data, sender));
                torque.signal("INT", x -> torque.close());
                torque.signal("TERM", x -> torque.close());
                System.out.println("listening on udp://" + s.localAddress().getAddress().getHostAddress() + ":" + s.localAddress().getPort());
                System.out.flush();
                torque.awaitTermination();
                return 0;
            }
            return ServerMain.serve(torque, options.listen(torque, c -> new Echo()));
        }
    }

    /** Entry point. */
    public static void main(String[] args) {
        ServerMain.main("torque-echo", new EchoServer(), args);
    }
}
