package io.torque.bench.sim;

import java.util.Locale;

/**
 * One policy at one offered load: what the measured events (all but the first tenth) saw.
 *
 * @param throughputPerMicro events completed per µs over the measured span
 * @param handoffsPerEvent turns that ran on another loop than the source's previous turn, per
 *     event (a hand-off, a steal, or SHARED's next free loop)
 * @param meanHandoffDistance their mean topological distance
 * @param utilization per loop, the share of the run it spent busy (service and costs)
 */
record Result(Policy policy, double load, double throughputPerMicro, double meanMicros, double p50Micros, double p99Micros,
        double p999Micros, double handoffsPerEvent, double meanHandoffDistance, double[] utilization) {

    String json() {
        StringBuilder u = new StringBuilder();
        for (int i = 0; i < utilization.length; i++) {
            u.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", utilization[i]));
        }
        return String.format(Locale.ROOT, "{\"policy\":\"%s\",\"load\":%.4f,\"throughput_per_us\":%.6f,\"mean_us\":%.3f,"
                + "\"p50_us\":%.3f,\"p99_us\":%.3f,\"p999_us\":%.3f,\"handoffs_per_event\":%.6f,\"mean_handoff_distance\":%.4f,"
                + "\"utilization\":[%s]}", policy, load, throughputPerMicro, meanMicros, p50Micros, p99Micros, p999Micros,
                handoffsPerEvent, meanHandoffDistance, u);
    }
}
