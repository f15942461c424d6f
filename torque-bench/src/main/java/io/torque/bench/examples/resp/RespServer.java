package io.torque.bench.examples.resp;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

import io.torque.bench.examples.ServerMain;
import io.torque.core.Torque;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code torque-resp --port P [--bind ADDR] [--cpus LIST]}: a small Redis-protocol (RESP2) server
 * on torque: PING, ECHO, SET, GET, DEL, INCR, EXISTS, pipelined, with one in-memory map shared
 * by all loops; protocol errors are answered as RESP errors. Prints {@code listening on
 * ADDR:PORT}; SIGINT or SIGTERM stop it with status 0.
 */
@Command(name = "torque-resp", mixinStandardHelpOptions = true, description = "A small RESP2 (Redis protocol) server on torque.")
public final class RespServer implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "TCP port; 0 lets the kernel pick one.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--cpus", description = "CPUs to run loops on, such as 0-3,8 (default: every usable CPU).")
    String cpus;

    @Override
    public Integer call() throws Exception {
        ServerMain.checkPort(this, port);
        RespStore store = new RespStore();
        try (Torque torque = ServerMain.builder(this, cpus).build()) {
            return ServerMain.serve(torque, torque.listen(new InetSocketAddress(bind, port), c -> new TorqueResp(store)));
        }
    }

    /** Entry point. */
    public static void main(String[] args) {
        ServerMain.main("torque-resp", new RespServer(), args);
    }
}
