package io.torque.core.net;

/**
 * Options of a listening socket.
 *
 * @param backlog the accept queue length ({@code listen(2)}), at least 1
 * @param reusePort whether to set {@code SO_REUSEPORT} (several sockets may bind the port)
 * @param settings the settings of the connections this listener accepts, or {@code null} for the
 *     context's ({@link io.torque.core.Torque.Builder#connectionSettings}); lets one listener time
 *     out idle peers (a public port) while another keeps them (an internal one)
 */
public record ListenOptions(int backlog, boolean reusePort, ConnectionSettings settings) {
    /** The defaults: backlog 1024, no SO_REUSEPORT, the context's settings. {@code SO_REUSEADDR} is always set. */
    public static final ListenOptions DEFAULT = new ListenOptions(1024, false, null);

    /** Checks the values. */
    public ListenOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        }
    }

    /** Options with the context's connection settings. */
    public ListenOptions(int backlog, boolean reusePort) {
        this(backlog, reusePort, null);
    }

    /** These options with {@code settings} for the accepted connections. */
    public ListenOptions withSettings(ConnectionSettings settings) {
        return new ListenOptions(backlog, reusePort, java.util.Objects.requireNonNull(settings, "settings"));
    }
}
