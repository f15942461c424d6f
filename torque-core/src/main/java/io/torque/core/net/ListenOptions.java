package io.torque.core.net;

/**
 * Options of a listening socket.
 *
 * @param backlog the accept queue length ({@code listen(2)}), at least 1
 * @param reusePort whether to set {@code SO_REUSEPORT} (several sockets may bind the port)
 */
public record ListenOptions(int backlog, boolean reusePort) {
    /** The defaults: backlog 1024, no SO_REUSEPORT. {@code SO_REUSEADDR} is always set. */
    public static final ListenOptions DEFAULT = new ListenOptions(1024, false);

    /** Checks the values. */
    public ListenOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        }
    }
}
