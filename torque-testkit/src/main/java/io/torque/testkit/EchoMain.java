package io.torque.testkit;

import java.net.InetSocketAddress;

import io.torque.core.Torque;
import io.torque.core.net.Listener;

/**
 * An echo server for tests that need one in a child JVM (a lowered {@code ulimit -n}, signals):
 * prints {@code listening on PORT}, serves until its standard input closes, then closes the
 * context and exits 0.
 */
public final class EchoMain {
    private EchoMain() {
    }

    /**
     * Entry point: starts the server, prints its port, serves until standard input closes.
     *
     * @param args optionally the loop count, as an integer (default 1)
     * @throws Exception an {@link java.io.IOException} if reading standard input fails
     * @throws NumberFormatException if the argument is not an integer
     */
    public static void main(String[] args) throws Exception {
        int loops = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        try (Torque torque = Torque.builder().loopCount(loops).build()) {
            Listener l = torque.listen(new InetSocketAddress("127.0.0.1", 0), c -> new Echo());
            System.out.println("listening on " + l.localAddress().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our stdin
            }
        }
        System.exit(0);
    }
}
