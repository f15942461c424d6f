package io.torque.testkit;

import java.util.List;
import java.util.Map;

/**
 * What one round of the chaos mix saw.
 *
 * @param seed the round's seed; the same seed replays the same peers
 * @param bytesVerified bytes that came back and were checked, in order
 * @param bytesExpected bytes that should have come back
 * @param faults faults injected, by kind (a peer counts once its fault is done)
 * @param lost peers that did not get every byte they sent back, in order
 * @param stalls peers that waited longer than the stall bound
 * @param failures what went wrong, in words (empty when nothing did)
 * @param timerRuns timer callbacks that ran
 * @param probeMicros round-trip times of the latency probe during the round: p50, p99, max
 * @param pingWorstMicros the worst round trip of the pinger beside the blasters, in microseconds
 *     (0 without blasters)
 */
public record ChaosReport(long seed, long bytesVerified, long bytesExpected, Map<String, Integer> faults, int lost,
        int stalls, List<String> failures, long timerRuns, long[] probeMicros, long pingWorstMicros) {

    /**
     * The number of faults injected, all kinds together.
     *
     * @return the sum of {@code faults} over all kinds
     */
    public long faultCount() {
        return faults.values().stream().mapToLong(Integer::longValue).sum();
    }
}
