package io.torque.bench;

import java.util.stream.DoubleStream;

/** Small statistics shared by the benchmark reports. */
public final class Stats {
    private Stats() {
    }

    /** The median of the values (the mean of the middle two for an even count), NaN if none. */
    public static double median(DoubleStream values) {
        double[] v = values.sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
