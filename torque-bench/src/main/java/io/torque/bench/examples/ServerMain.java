package io.torque.bench.examples;

import java.net.InetSocketAddress;

import io.torque.core.Torque;
import io.torque.core.net.Listener;
import io.torque.topology.CpuSet;
import picocli.CommandLine;

/**
 * What every example server's main does alike: a builder for {@code --cpus}, the one
 * {@code listening on ADDR:PORT} line, stopping with status 0 on SIGINT and SIGTERM, and
 * picocli's error handling (status 2 for bad options, 1 for failures).
 */
public final class ServerMain {
    private ServerMain() {
    }

    /** A builder with loops on {@code cpus} (a list such as 0-3,8), or on every usable CPU when null. */
    public static Torque.Builder builder(Object command, String cpus) {
        Torque.Builder b = Torque.builder();
        if (cpus != null) {
            try {
                b.cpus(CpuSet.parseList(cpus));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(command), "--cpus: " + e.getMessage());
            }
        }
        return b;
    }

    /** Checks a {@code --port} value. */
    public static void checkPort(Object command, int port) {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(new CommandLine(command), "--port must be 0..65535: " + port);
        }
    }

    /** Prints {@code listening on ADDR:PORT}, with the port actually bound. */
    public static void printListening(InetSocketAddress a) {
        String host = a.getAddress() instanceof java.net.Inet6Address
                ? "[" + a.getAddress().getHostAddress() + "]" : a.getAddress().getHostAddress();
        System.out.println("listening on " + host + ":" + a.getPort());
        System.out.flush();
    }

    /** Serves until SIGINT or SIGTERM closes the context; returns the exit status, 0. */
    public static int serve(Torque torque, Listener l) throws InterruptedException {
        torque.signal("INT", s -> torque.close());
        torque.signal("TERM", s -> torque.close());
        printListening(l.localAddress());
        torque.awaitTermination();
        return 0;
    }

    /** Runs a picocli command and exits with its status. */
    public static void main(String name, Object command, String[] args) {
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            System.err.println(name + ": " + ex.getMessage());
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println(name + ": " + ex.getMessage() + " (try --help)");
            return 2;
        });
        System.exit(cl.execute(args));
    }
}
