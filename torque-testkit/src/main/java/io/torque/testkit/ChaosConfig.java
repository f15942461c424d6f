package io.torque.testkit;

import java.time.Duration;

/**
 * How many peers of each kind the {@link ChaosMix} starts, and how much they send.
 *
 * @param healthy healthy echo clients (one selector thread drives them all)
 * @param healthyBytes bytes each healthy client sends and must get back
 * @param resetters peers that write up to 30 KB and reset (SO_LINGER 0)
 * @param halfClosers peers that send, shut their output and read back everything
 * @param neverReaders peers that write and never read
 * @param burstBytes the size of the one-write burst, read back concurrently
 * @param churn connections opened and closed at once
 * @param throwers connections whose first bytes make the callback throw
 * @param timerThreads threads scheduling and cancelling timers
 * @param timersEach timers each of those threads schedules
 * @param slowloris peers on the guarded listener that send nothing, or half a request
 * @param tricklers peers on the guarded listener that send a byte every fifth of the idle timeout
 * @param idleTimeout the guarded listener's idle timeout
 * @param stallBound the longest any peer may wait for a reply
 * @param blasters connections blasting at the slow sink while a pinger echoes beside them
 *     ({@link BlasterPinger}); 0 for none
 * @param pingBound the longest round trip the pinger beside the blasters may see
 */
public record ChaosConfig(int healthy, int healthyBytes, int resetters, int halfClosers, int neverReaders, int burstBytes,
        int churn, int throwers, int timerThreads, int timersEach, int slowloris, int tricklers, Duration idleTimeout,
        Duration stallBound, int blasters, Duration pingBound) {

    /**
     * The population of the CI test: a few seconds on 2 cores.
     *
     * @return the configuration
     */
    public static ChaosConfig ci() {
        return new ChaosConfig(100, 256 << 10, 100, 50, 4, 64 << 20, 1000, 30, 4, 2000, 20, 2, Duration.ofSeconds(1),
                Duration.ofSeconds(60), 2, Duration.ofSeconds(1));
    }

    /**
     * This population with another idle timeout on the guarded listener.
     *
     * @param timeout the idle timeout
     * @return the new configuration
     */
    public ChaosConfig withIdleTimeout(Duration timeout) {
        return new ChaosConfig(healthy, healthyBytes, resetters, halfClosers, neverReaders, burstBytes, churn, throwers,
                timerThreads, timersEach, slowloris, tricklers, timeout, stallBound, blasters, pingBound);
    }
}
