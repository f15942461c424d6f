package io.torque.core.net;

/**
 * Per-connection limits, the same for every connection of a context.
 *
 * @param readBufferMax the most unconsumed received bytes a connection keeps; reaching it closes
 *     the connection with an error
 * @param highWaterMark queued write bytes above which the connection stops reading its peer
 * @param lowWaterMark queued write bytes below which reading resumes and {@code onWritable} runs
 */
public record ConnectionSettings(int readBufferMax, long highWaterMark, long lowWaterMark) {
    /** 1 MiB read buffer maximum, 1 MiB high and 256 KiB low water marks. */
    public static final ConnectionSettings DEFAULT = new ConnectionSettings(1 << 20, 1 << 20, 256 << 10);

    /** Checks the values. */
    public ConnectionSettings {
        if (readBufferMax < 4096) {
            throw new IllegalArgumentException("readBufferMax must be at least 4096: " + readBufferMax);
        }
        if (lowWaterMark < 0 || highWaterMark <= lowWaterMark) {
            throw new IllegalArgumentException("need 0 <= lowWaterMark < highWaterMark: " + lowWaterMark + ", " + highWaterMark);
        }
    }
}
