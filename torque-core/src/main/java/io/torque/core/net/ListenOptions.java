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
 * @param nicLocality whether the accepted connections (and, with {@code reusePort}, the
 *     listening sockets) go only to the loops near the network interface that owns the address:
 *     those on the CPUs sysfs calls local to it, else on its NUMA node
 *     ({@link io.torque.topology.Topology#ioDevices()}). Where nothing is known (a context not
 *     laid out on this machine's own topology, a wildcard or loopback address, a virtual
 *     interface, a NIC with no node or local CPUs in sysfs, no loop on those CPUs) every loop
 *     serves it, and the listener logs why once. Called from a callback with {@code reusePort},
 *     the one socket sits on the caller's loop. Off by default; untested on a machine with NICs
 *     on several NUMA nodes (docs/topology.md)
 */
public record ListenOptions(int backlog, boolean reusePort, ConnectionSettings settings, TlsConfig tls, boolean nicLocality) {
    /** The defaults: backlog 1024, no SO_REUSEPORT, the context's settings, no TLS, every loop. {@code SO_REUSEADDR} is always set. */
    public static final ListenOptions DEFAULT = new ListenOptions(1024, false, null, null, false);

    /**
     * Checks the values.
     *
     * @param backlog see {@link #backlog()}
     * @param reusePort see {@link #reusePort()}
     * @param settings see {@link #settings()}
     * @param tls see {@link #tls()}
     * @param nicLocality see {@link #nicLocality()}
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
     * Options served by every loop.
     *
     * @param backlog see {@link #backlog()}
     * @param reusePort see {@link #reusePort()}
     * @param settings see {@link #settings()}
     * @param tls see {@link #tls()}
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ListenOptions(int backlog, boolean reusePort, ConnectionSettings settings, TlsConfig tls) {
        this(backlog, reusePort, settings, tls, false);
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
        this(backlog, reusePort, settings, null, false);
    }

    /**
     * Options with the context's connection settings.
     *
     * @param backlog see {@link #backlog()}
     * @param reusePort see {@link #reusePort()}
     * @throws IllegalArgumentException if the backlog is below 1
     */
    public ListenOptions(int backlog, boolean reusePort) {
        this(backlog, reusePort, null, null, false);
    }

    /**
     * These options with {@code settings} for the accepted connections.
     *
     * @param settings the accepted connections' settings
     * @return new options
     * @throws NullPointerException if settings is null
     */
    public ListenOptions withSettings(ConnectionSettings settings) {
        return new ListenOptions(backlog, reusePort, java.util.Objects.requireNonNull(settings, "settings"), tls, nicLocality);
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
        return new ListenOptions(backlog, reusePort, settings, java.util.Objects.requireNonNull(tls, "tls"), nicLocality);
    }

    /**
     * These options with NIC locality on or off ({@link #nicLocality()}).
     *
     * @param on whether the listener's connections go only to the loops near its NIC
     * @return new options
     */
    public ListenOptions withNicLocality(boolean on) {
        return new ListenOptions(backlog, reusePort, settings, tls, on);
    }
}
