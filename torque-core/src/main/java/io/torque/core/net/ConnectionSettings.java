package io.torque.core.net;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-connection limits: the context's ({@link io.torque.core.TorqueBuilder#connectionSettings}),
 * or a listener's own ({@link ListenOptions#withSettings}).
 *
 * @param readBufferMax the most unconsumed received bytes a connection keeps; reaching it closes
 *     the connection with an error
 * @param highWaterMark queued write bytes (from any thread) above which the connection stops
 *     reading its peer and {@link Connection#isWritable()} turns false
 * @param lowWaterMark queued write bytes below which reading resumes and
 *     {@link ConnectionHandler#onWritable} runs
 * @param idleTimeout a connection that receives nothing for this long is closed, with a
 *     {@link java.net.SocketTimeoutException} as the cause (slowloris peers that connect and send
 *     nothing); {@link Duration#ZERO} for never
 * @param lingerTimeout after a graceful close has sent everything and its FIN, how long the
 *     connection keeps reading (and discarding) what the peer still sends before it closes the
 *     socket, so that unread input does not turn the FIN into a reset (nginx's lingering close);
 *     it ends early when the peer closes its side. {@link Duration#ZERO} closes at once.
 */
public record ConnectionSettings(int readBufferMax, long highWaterMark, long lowWaterMark, Duration idleTimeout,
        Duration lingerTimeout) {
    /** The default {@link #lingerTimeout()}. */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(2);
    /** 1 MiB read buffer maximum, 1 MiB high and 256 KiB low water marks, no idle timeout, 2 s linger. */
    public static final ConnectionSettings DEFAULT = new ConnectionSettings(1 << 20, 1 << 20, 256 << 10);

    /**
     * Limits without an idle timeout and with the default linger.
     *
     * @param readBufferMax see {@link #readBufferMax()}
     * @param highWaterMark see {@link #highWaterMark()}
     * @param lowWaterMark see {@link #lowWaterMark()}
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ConnectionSettings(int readBufferMax, long highWaterMark, long lowWaterMark) {
        this(readBufferMax, highWaterMark, lowWaterMark, Duration.ZERO, DEFAULT_LINGER);
    }

    /**
     * Checks the values.
     *
     * @param readBufferMax see {@link #readBufferMax()}
     * @param highWaterMark see {@link #highWaterMark()}
     * @param lowWaterMark see {@link #lowWaterMark()}
     * @param idleTimeout see {@link #idleTimeout()}
     * @param lingerTimeout see {@link #lingerTimeout()}
     * @throws IllegalArgumentException if the read maximum is below 4096, the water marks are not
     *     {@code 0 <= low < high}, or a duration is negative
     * @throws NullPointerException if a duration is null
     */
    public ConnectionSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(lingerTimeout, "lingerTimeout");
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
        }
        if (lingerTimeout.isNegative()) {
            throw new IllegalArgumentException("lingerTimeout must not be negative: " + lingerTimeout);
        }
        if (readBufferMax < 4096) {
            throw new IllegalArgumentException("readBufferMax must be at least 4096: " + readBufferMax);
        }
        if (lowWaterMark < 0 || highWaterMark <= lowWaterMark) {
            throw new IllegalArgumentException("need 0 <= lowWaterMark < highWaterMark: " + lowWaterMark + ", " + highWaterMark);
        }
    }

    /**
     * The same limits with an idle timeout.
     *
     * @param timeout see {@link #idleTimeout()}
     * @return new settings
     * @throws IllegalArgumentException if the timeout is negative
     */
    public ConnectionSettings withIdleTimeout(Duration timeout) {
        return new ConnectionSettings(readBufferMax, highWaterMark, lowWaterMark, timeout, lingerTimeout);
    }

    /**
     * The same limits with another linger timeout.
     *
     * @param linger see {@link #lingerTimeout()}
     * @return new settings
     * @throws IllegalArgumentException if the timeout is negative
     */
    public ConnectionSettings withLingerTimeout(Duration linger) {
        return new ConnectionSettings(readBufferMax, highWaterMark, lowWaterMark, idleTimeout, linger);
    }
}
