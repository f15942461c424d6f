package io.torque.examples;

import java.net.InetSocketAddress;

import io.torque.core.Torque;
import io.torque.core.net.Listener;
import picocli.CommandLine;

/**
 * What every example server's main does alike: a builder for {@code --cpus}, the one
 * {@code listening on ADDR:PORT} line, stopping with status 0 on SIGINT and SIGTERM, and
 * picocli's error handling (status 2 for bad options, 1 for failures).
 */
public final class ServerMain {
    private ServerMain() {
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
        if (l.localAddress() == null) {
            System.out.println("listening on " + l.address()); // a Unix socket's path
            System.out.flush();
        } else {
            printListening(l.localAddress());
        }
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
