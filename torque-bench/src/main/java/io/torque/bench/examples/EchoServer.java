package io.torque.bench.examples;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.topology.CpuSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code torque-echo --port P [--bind ADDR] [--cpus LIST]}: an echo server on torque. Prints one
 * line, {@code listening on ADDR:PORT} (the port actually bound, so {@code --port 0} works), and
 * exits with status 0 on SIGINT or SIGTERM after closing every connection.
 */
@Command(name = "torque-echo", mixinStandardHelpOptions = true, description = "An echo server on torque.")
public final class EchoServer implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "TCP port; 0 lets the kernel pick one.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--cpus", description = "CPUs to run loops on, as a list such as 0-3,8 (default: every usable CPU).")
    String cpus;

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
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--port must be 0..65535: " + port);
        }
        Torque.Builder b = Torque.builder();
        if (cpus != null) {
            try {
                b.cpus(CpuSet.parseList(cpus));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--cpus: " + e.getMessage());
            }
        }
        try (Torque torque = b.build()) {
            Listener l = torque.listen(new InetSocketAddress(bind, port), c -> new Echo());
            torque.signal("INT", s -> torque.close());
            torque.signal("TERM", s -> torque.close());
            InetSocketAddress a = l.localAddress();
            String host = a.getAddress() instanceof java.net.Inet6Address
                    ? "[" + a.getAddress().getHostAddress() + "]" : a.getAddress().getHostAddress();
            System.out.println("listening on " + host + ":" + a.getPort());
            System.out.flush();
            torque.awaitTermination();
        }
        return 0;
    }

    /** Entry point. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new EchoServer());
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            System.err.println("torque-echo: " + ex.getMessage());
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("torque-echo: " + ex.getMessage() + " (try --help)");
            return 2;
        });
        System.exit(cl.execute(args));
    }
}
