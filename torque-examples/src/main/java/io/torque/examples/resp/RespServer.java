package io.torque.examples.resp;

import java.util.concurrent.Callable;

import io.torque.examples.ServerMain;
import io.torque.examples.ServerOptions;
import io.torque.core.Torque;
import io.torque.topology.cli.TorqueVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code torque-resp --port P [--bind ADDR] [--cpus LIST]}: a small Redis-protocol (RESP2) server
 * on torque: PING, ECHO, SET, GET, DEL, INCR, EXISTS, pipelined, with one in-memory map shared
 * by all loops; a protocol error is answered as a RESP error and closes the connection. Prints {@code listening on
 * ADDR:PORT}; SIGINT or SIGTERM stop it with status 0.
 */
@Command(name = "torque-resp", mixinStandardHelpOptions = true, versionProvider = TorqueVersion.class,
        showDefaultValues = true, description = "A small RESP2 (Redis protocol) server on torque.")
public final class RespServer implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws Exception {
        RespStore store = new RespStore();
        try (Torque torque = options.builder().build()) {
            return ServerMain.serve(torque, options.listen(torque, c -> new TorqueResp(store)));
        }
    }

    /** Entry point. */
    public static void main(String[] args) {
        ServerMain.main("torque-resp", new RespServer(), args);
    }
}
