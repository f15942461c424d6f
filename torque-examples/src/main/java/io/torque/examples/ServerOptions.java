package io.torque.examples;

import java.net.InetSocketAddress;

import io.torque.core.Torque;
import io.torque.core.TorqueBuilder;
import io.torque.topology.CpuSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every example server takes ({@code --port}, {@code --bind}, {@code --cpus}), as a
 * picocli mixin: {@code @Mixin ServerOptions server;}.
 */
public final class ServerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--port", defaultValue = "0", description = "TCP port; 0 lets the kernel pick one (the line printed names it).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind.")
    String bind;

    @Option(names = "--cpus", description = "CPUs to run loops on, as a list such as 0-3,8 (default: the advisory loop count "
            + "on the least-shared usable CPUs).")
    String cpus;

    /**
     * The address to listen on.
     *
     * @return {@code --bind} and {@code --port}
     * @throws CommandLine.ParameterException if the port is out of range
     */
    public InetSocketAddress address() {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(command.commandLine(), "--port must be 0..65535: " + port);
        }
        return new InetSocketAddress(bind, port);
    }

    /**
     * A builder with loops on {@code --cpus}, or the defaults.
     *
     * @return a new builder
     * @throws CommandLine.ParameterException if {@code --cpus} is not a CPU list
     */
    public TorqueBuilder builder() {
        TorqueBuilder b = Torque.builder();
        if (cpus != null) {
            try {
                b.cpus(CpuSet.parseList(cpus));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command.commandLine(), "--cpus: " + e.getMessage());
            }
        }
        return b;
    }
}
