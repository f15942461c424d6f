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

    /**
     * Removes {@code dir} and what is in it when the JVM exits (a run's certificate or files).
     *
     * @param dir a temporary folder
     */
    public static void deleteOnExit(java.nio.file.Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (java.util.stream.Stream<java.nio.file.Path> all = java.nio.file.Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException ignored) {
                // a temp folder left behind
            }
        }));
    }
}
