package io.torque.core.net;

/**
 * Per-connection limits: the context's ({@link io.torque.core.Torque.Builder#connectionSettings}),
 * or a listener's own ({@link ListenOptions#withSettings}).
 *
 * @param readBufferMax the most unconsumed received bytes a connection keeps; reaching it closes
 *     the connection with an error
 * @param highWaterMark queued write bytes above which the connection stops reading its peer
 * @param lowWaterMark queued write bytes below which reading resumes and {@code onWritable} runs
 * @param idleTimeout a connection that receives nothing for this long is closed, with a
 *     {@link java.net.SocketTimeoutException} as the cause (slowloris peers that connect and send
 *     nothing); {@link java.time.Duration#ZERO} for never
 */
public record ConnectionSettings(int readBufferMax, long highWaterMark, long lowWaterMark, java.time.Duration idleTimeout) {
    /** 1 MiB read buffer maximum, 1 MiB high and 256 KiB low water marks, no idle timeout. */
    public static final ConnectionSettings DEFAULT = new ConnectionSettings(1 << 20, 1 << 20, 256 << 10);

    /** Limits without an idle timeout. */
    public ConnectionSettings(int readBufferMax, long highWaterMark, long lowWaterMark) {
        this(readBufferMax, highWaterMark, lowWaterMark, java.time.Duration.ZERO);
    }

    /** The same limits with an idle timeout. */
    public ConnectionSettings withIdleTimeout(java.time.Duration timeout) {
        return new ConnectionSettings(readBufferMax, highWaterMark, lowWaterMark, timeout);
    }

    /** Checks the values. */
    public ConnectionSettings {
        java.util.Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
        }
        if (readBufferMax < 4096) {
            throw new IllegalArgumentException("readBufferMax must be at least 4096: " + readBufferMax);
        }
        if (lowWaterMark < 0 || highWaterMark <= lowWaterMark) {
            throw new IllegalArgumentException("need 0 <= lowWaterMark < highWaterMark: " + lowWaterMark + ", " + highWaterMark);
        }
    }
}
