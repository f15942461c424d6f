package io.torque.core.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ParetoFrontierTest {
    private final int[] out = new int[64];

    private int[] frontier(long[] outstanding, long[] since, int[] distance) {
        int n = ParetoFrontier.frontier(outstanding.length, outstanding, since, distance, out);
        return Arrays.copyOf(out, n);
    }

    @Test
    void dominationNeedsNoWorseOnAllAndBetterOnOne() {
        assertThat(ParetoFrontier.dominates(1, 5, 1, 2, 5, 1)).isTrue(); // fewer outstanding
        assertThat(ParetoFrontier.dominates(2, 6, 1, 2, 5, 1)).isTrue(); // longer since given
        assertThat(ParetoFrontier.dominates(2, 5, 0, 2, 5, 1)).isTrue(); // closer
        assertThat(ParetoFrontier.dominates(2, 5, 1, 2, 5, 1)).as("equal").isFalse();
        assertThat(ParetoFrontier.dominates(1, 4, 1, 2, 5, 1)).as("better and worse").isFalse();
    }

    @Test
    void tiesAllStayOnTheFrontier() {
        assertThat(frontier(new long[] {3, 3, 3}, new long[] {7, 7, 7}, new int[] {1, 1, 1})).containsExactly(0, 1, 2);
    }

    @Test
    void aSingleCandidateIsItsOwnFrontier() {
        assertThat(frontier(new long[] {9}, new long[] {0}, new int[] {4})).containsExactly(0);
        ParetoFrontier f = new ParetoFrontier(1, 1);
        assertThat(f.choose(1, new long[] {9}, new long[] {0}, new int[] {4})).isZero();
        assertThat(f.choose(0, new long[0], new long[0], new int[0])).isEqualTo(-1);
    }

    @Test
    void distancePrefersTheCloseNeighbourWhenAllElseIsEqual() {
        // Same load and history: the SMT sibling (distance 0) beats the other package (distance 2).
        assertThat(frontier(new long[] {0, 0, 0}, new long[] {4, 4, 4}, new int[] {2, 0, 1})).containsExactly(1);
    }

    @Test
    void tradeOffsKeepSeveralCandidates() {
        // 0: idle but far; 1: busier but close; 2: dominated by 0 (busier, as far, given more recently).
        assertThat(frontier(new long[] {0, 3, 4}, new long[] {2, 2, 1}, new int[] {2, 0, 2})).containsExactly(0, 1);
    }

    @Test
    void choiceIsUniformOverTheFrontier() {
        ParetoFrontier f = new ParetoFrontier(8, 42);
        long[] outstanding = {1, 1, 1, 9};
        long[] since = {3, 3, 3, 0};
        int[] distance = {1, 1, 1, 3};
        int[] hits = new int[4];
        for (int i = 0; i < 30_000; i++) {
            hits[f.choose(4, outstanding, since, distance)]++;
        }
        assertThat(hits[3]).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(hits[i]).as("candidate " + i).isBetween(9_000, 11_000);
        }
    }

    /** Seeded property test: whatever the scores, the chosen recipient is never dominated. */
    @Test
    void theChosenRecipientIsAlwaysUndominated() {
        SplittableRandom rnd = new SplittableRandom(0xD15BA7C4L);
        ParetoFrontier f = new ParetoFrontier(256, 7);
        for (int round = 0; round < 20_000; round++) {
            int n = 1 + rnd.nextInt(round % 100 == 0 ? 256 : 16);
            long[] outstanding = new long[n];
            long[] since = new long[n];
            int[] distance = new int[n];
            for (int i = 0; i < n; i++) {
                outstanding[i] = rnd.nextInt(5);
                since[i] = rnd.nextInt(5);
                distance[i] = rnd.nextInt(4);
            }
            int c = f.choose(n, outstanding, since, distance);
            assertThat(c).isBetween(0, n - 1);
            for (int a = 0; a < n; a++) {
                assertThat(ParetoFrontier.dominates(outstanding[a], since[a], distance[a], outstanding[c], since[c], distance[c]))
                        .as("round %d: candidate %d dominates the chosen %d", round, a, c).isFalse();
            }
            Set<Integer> front = new HashSet<>();
            for (int i : frontier(outstanding, since, distance)) {
                front.add(i);
            }
            assertThat(front).contains(c).isNotEmpty();
        }
    }

    @Test
    void scoreboardSlotsAreTwoCacheLinesApart() {
        Scoreboard s = new Scoreboard(3);
        s.add(1, Scoreboard.OUTSTANDING, 5);
        s.add(1, Scoreboard.OUTSTANDING, -2);
        s.add(2, Scoreboard.HOMED, 1);
        assertThat(s.get(1, Scoreboard.OUTSTANDING)).isEqualTo(3);
        assertThat(s.get(0, Scoreboard.OUTSTANDING)).isZero();
        assertThat(s.get(2, Scoreboard.HOMED)).isEqualTo(1);
        assertThat(Scoreboard.STRIDE * Long.BYTES).isEqualTo(128);
    }
}
