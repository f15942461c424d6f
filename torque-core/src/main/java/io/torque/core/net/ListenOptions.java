package io.torque.core.net;

import io.torque.core.tls.TlsConfig;

/**
 * Options of a listening socket.
 *
 * @param backlog the accept queue length ({@code listen(2)}), at least 1
 * @param reusePort whether to set {@code SO_REUSEPORT}: several sockets (of this process or
 *     others) may bind the port, and the context opens one listening socket per loop, so the
 *     kernel spreads connections over the loops and each accepts and homes its own (placement
 *     does not apply); called from a callback, only the callback's loop gets a socket
 * @param settings the settings of the connections this listener accepts, or {@code null} for the
 *     context's ({@link io.torque.core.TorqueBuilder#connectionSettings}); lets one listener time
 *     out idle peers (a public port) while another keeps them (an internal one)
 * @param tls a server TLS configuration for every accepted connection, or {@code null} for
 *     plaintext; the handlers see plaintext either way
 */
public record ListenOptions(int backlog, boolean reusePort, ConnectionSettings settings, TlsConfig tls) {
    /** The defaults: backlog 1024, no SO_REUSEPORT, the context's settings, no TLS. {@code SO_REUSEADDR} is always set. */
    public static final ListenOptions DEFAULT = new ListenOptions(1024, false, null, null);

    /**
     * Checks the values.
     *
     * @param backlog see {@link #backlog()}
     * @param reusePort see {@link #reusePort()}
     * @param settings see {@link #settings()}
     * @param tls see {@link #tls()}
     * @throws IllegalArgumentException if the backlog is below 1, or {@code tls} is a client's
     *     configuration or was not made by {@link TlsConfig#server()}
     */
    public ListenOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        }
        if (tls != null && (!tls.isServer() || !(tls instanceof io.torque.core.internal.tls.TlsSettings))) {
            throw new IllegalArgumentException("a listener needs a server TLS configuration from TlsConfig.server(): " + tls);
        }
    }

    /**
     * Options without TLS.
     *
     * @param backlog see {@link #backlog()}
     * @param reusePort see {@link #reusePort()}
     * @param settings see {@link #settings()}
     * @throws IllegalArgumentException if the backlog is below 1
     */
    public ListenOptions(int backlog, boolean reusePort, ConnectionSettings settings) {
        this(backlog, reusePort, settings, null);
    }

    /**
     * Options with the context's connection settings.
     *
     * @param backlog see {@link #backlog()}
     * @param reusePort see {@link #reusePort()}
     * @throws IllegalArgumentException if the backlog is below 1
     */
    public ListenOptions(int backlog, boolean reusePort) {
        this(backlog, reusePort, null, null);
    }

    /**
     * These options with {@code settings} for the accepted connections.
     *
     * @param settings the accepted connections' settings
     * @return new options
     * @throws NullPointerException if settings is null
     */
    public ListenOptions withSettings(ConnectionSettings settings) {
        return new ListenOptions(backlog, reusePort, java.util.Objects.requireNonNull(settings, "settings"), tls);
    }

    /**
     * These options with TLS on every accepted connection.
     *
     * @param tls a server configuration ({@link TlsConfig#server()})
     * @return new options
     * @throws IllegalArgumentException if {@code tls} is a client's configuration
     * @throws NullPointerException if tls is null
     */
    public ListenOptions withTls(TlsConfig tls) {
        return new ListenOptions(backlog, reusePort, settings, java.util.Objects.requireNonNull(tls, "tls"));
    }
}
