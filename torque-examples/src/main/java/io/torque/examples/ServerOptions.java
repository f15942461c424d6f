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
 * The options every example server takes ({@code --port}, {@code --bind}, {@code --cpus}, and TLS:
 * {@code --tls-cert}, {@code --tls-key}, {@code --tls-provider}), as a picocli mixin:
 * {@code @Mixin ServerOptions server;}.
 */
public final class ServerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--port", defaultValue = "0", description = "TCP port; 0 lets the kernel pick one (the line printed names it).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind.")
    String bind;

    @Option(names = "--unix", paramLabel = "PATH", description = "Listen on this Unix domain socket instead of TCP "
            + "(@NAME: Linux's abstract namespace); the file is removed on exit.")
    String unix;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve TLS with this PEM certificate chain (needs --tls-key).")
    java.nio.file.Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert.")
    java.nio.file.Path tlsKey;

    @Option(names = "--tls-provider", defaultValue = "AUTO", description = "TLS engines: AUTO (BoringSSL where it loads), OPENSSL or JDK.")
    io.torque.core.tls.TlsProvider tlsProvider;

    @Option(names = "--cpus", description = "CPUs to run loops on, as a list such as 0-3,8 (default: the advisory loop count "
            + "on the least-shared usable CPUs).")
    String cpus;

    @Option(names = "--dispatch", paramLabel = "POLICY", description = "How loops share ready work: STATIC, PARETO, STEAL, "
            + "STEAL_POLL or STEAL_EPOLL (default: the library's, DispatchPolicy in the API docs).")
    io.torque.core.dispatch.DispatchPolicy dispatch;

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
     * Whether {@code --unix} was given.
     *
     * @return true to listen on a Unix domain socket
     */
    public boolean unix() {
        return unix != null;
    }

    /**
     * Listens where the options say: on {@code --unix PATH}, else on {@code --bind}:{@code --port}.
     *
     * @param torque the context
     * @param handlers makes each connection's handler
     * @return the listener
     */
    public io.torque.core.net.Listener listen(Torque torque,
            java.util.function.Function<io.torque.core.net.Connection, io.torque.core.net.ConnectionHandler> handlers) {
        if (unix != null) {
            try {
                return torque.listen(java.net.UnixDomainSocketAddress.of(unix), listenOptions(), handlers);
            } catch (IllegalArgumentException e) { // also InvalidPathException
                throw new CommandLine.ParameterException(command.commandLine(), "--unix: " + e.getMessage());
            }
        }
        return torque.listen(address(), listenOptions(), handlers);
    }

    /**
     * The listener's options: TLS with {@code --tls-cert} and {@code --tls-key} when given.
     *
     * @return the options
     * @throws CommandLine.ParameterException if only one of the two is given, or a file is bad
     */
    public io.torque.core.net.ListenOptions listenOptions() {
        io.torque.core.tls.TlsConfig tls = tls();
        return tls == null ? io.torque.core.net.ListenOptions.DEFAULT : io.torque.core.net.ListenOptions.DEFAULT.withTls(tls);
    }

    /**
     * The TLS configuration {@code --tls-cert}, {@code --tls-key} and {@code --tls-provider} ask
     * for.
     *
     * @return the configuration, or null without {@code --tls-cert}
     * @throws CommandLine.ParameterException if only one of the files is given, or one is bad
     */
    public io.torque.core.tls.TlsConfig tls() {
        if (tlsCert == null && tlsKey == null) {
            return null;
        }
        if (tlsCert == null || tlsKey == null) {
            throw new CommandLine.ParameterException(command.commandLine(), "--tls-cert and --tls-key go together");
        }
        try {
            return io.torque.core.tls.TlsConfig.server().certificate(tlsCert, tlsKey).provider(tlsProvider).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
        }
    }

    /**
     * The same TLS for a Netty server: Netty's {@code SslContext} on the files and the provider
     * torque chose, for a like-for-like comparison.
     *
     * @return the context, or null without {@code --tls-cert}
     * @throws CommandLine.ParameterException as {@link #tls()}
     */
    public io.netty.handler.ssl.SslContext nettyTls() {
        io.torque.core.tls.TlsConfig tls = tls();
        if (tls == null) {
            return null;
        }
        try {
            return io.torque.examples.netty.NettyTls.server(tlsCert, tlsKey, tls.provider());
        } catch (javax.net.ssl.SSLException e) {
            throw new CommandLine.ParameterException(command.commandLine(), "TLS: " + e.getMessage());
        }
    }

    /**
     * A builder with loops on {@code --cpus} and the {@code --dispatch} policy, or the defaults.
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
        if (dispatch != null) {
            b.dispatch(dispatch);
        }
        return b;
    }
}
