package io.torque.bench.examples;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

import io.torque.core.Torque;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
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
        ServerMain.checkPort(this, port);
        try (Torque torque = ServerMain.builder(this, cpus).build()) {
            return ServerMain.serve(torque, torque.listen(new InetSocketAddress(bind, port), c -> new Echo()));
        }
    }

    /** Entry point. */
    public static void main(String[] args) {
        ServerMain.main("torque-echo", new EchoServer(), args);
    }
}
