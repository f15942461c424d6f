package io.torque.core.net;

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
 */
public record ListenOptions(int backlog, boolean reusePort, ConnectionSettings settings) {
    /** The defaults: backlog 1024, no SO_REUSEPORT, the context's settings. {@code SO_REUSEADDR} is always set. */
    public static final ListenOptions DEFAULT = new ListenOptions(1024, false, null);

    /**
     * Checks the values.
     *
     * @param backlog see {@link #backlog()}
     * @param reusePort see {@link #reusePort()}
     * @param settings see {@link #settings()}
     * @throws IllegalArgumentException if the backlog is below 1
     */
    public ListenOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        }
    }

    /**
     * Options with the context's connection settings.
     *
     * @param backlog see {@link #backlog()}
     * @param reusePort see {@link #reusePort()}
     * @throws IllegalArgumentException if the backlog is below 1
     */
    public ListenOptions(int backlog, boolean reusePort) {
        this(backlog, reusePort, null);
    }

    /**
     * These options with {@code settings} for the accepted connections.
     *
     * @param settings the accepted connections' settings
     * @return new options
     * @throws NullPointerException if settings is null
     */
    public ListenOptions withSettings(ConnectionSettings settings) {
        return new ListenOptions(backlog, reusePort, java.util.Objects.requireNonNull(settings, "settings"));
    }
}
