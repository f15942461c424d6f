package io.torque.bench.sim;

import org.HdrHistogram.Histogram;

/**
 * Sojourn times (arrival to end of service) of the measured requests: those that arrived once
 * the warm-up was over. A fixed-range histogram: recording allocates nothing.
 */
final class Sojourns {
    private static final long HIGHEST_NANOS = 3_600_000_000_000L;

    private final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
    private long measuredFrom = Long.MAX_VALUE;
    private long completed;
    private long measured;
    private double sum;
    private long lastEnd;

    /** Requests arriving from now on are measured (arrival times never decrease). */
    void startMeasuring(long now) {
        measuredFrom = now;
    }

    void record(long arrivedAt, long endedAt) {
        completed++;
        if (arrivedAt >= measuredFrom) {
            long d = endedAt - arrivedAt;
            measured++;
            sum += d;
            histogram.recordValue(Math.min(d, HIGHEST_NANOS));
            lastEnd = Math.max(lastEnd, endedAt);
        }
    }

    long completed() {
        return completed;
    }

    /** Measured requests per µs from the first measured arrival to the last measured end. */
    double throughputPerMicro() {
        double span = lastEnd - measuredFrom;
        return span > 0 ? measured / span * 1e3 : 0;
    }

    double meanMicros() {
        return sum / measured / 1e3;
    }

    double percentileMicros(double p) {
        return histogram.getValueAtPercentile(p) / 1e3;
    }
}
