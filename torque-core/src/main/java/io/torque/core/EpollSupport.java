package io.torque.core;

/**
 * Probes Netty's native epoll transport once, without letting a missing jar or library surface
 * as a {@link NoClassDefFoundError} or {@link UnsatisfiedLinkError} later.
 */
final class EpollSupport {
    private static final Throwable CAUSE = probe();

    private EpollSupport() {
    }

    private static Throwable probe() {
        try {
            if (io.netty.channel.epoll.Epoll.isAvailable()) {
                return null;
            }
            return io.netty.channel.epoll.Epoll.unavailabilityCause();
        } catch (LinkageError e) {
            return e;
        }
    }

    /** @throws IllegalStateException saying why epoll is unavailable */
    static void ensureAvailable() {
        if (CAUSE != null) {
            throw new IllegalStateException("torque needs Netty's native epoll transport, which is unavailable here ("
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + CAUSE, CAUSE);
        }
    }

    /** Whether native epoll works here. */
    static boolean isAvailable() {
        return CAUSE == null;
    }
}
