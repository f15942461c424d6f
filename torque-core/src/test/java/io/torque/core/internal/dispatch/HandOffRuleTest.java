package io.torque.core.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The round's decision on hand-built scoreboards. */
class HandOffRuleTest {
    /** Loop 0's view of 4 loops: loop 1 is its SMT sibling, 2 shares the L3, 3 is across the package. */
    private static final int[] DISTANCE = {0, 0, 1, 2};
    private static final long NOW = 1_000_000_000L;

    private static Scoreboard board(long... outstanding) {
        Scoreboard b = new Scoreboard(outstanding.length);
        for (int i = 0; i < outstanding.length; i++) {
            b.set(i, Scoreboard.OUTSTANDING, outstanding[i]);
        }
        return b;
    }

    @Test
    void oneEventOrOneLoopIsKept() {
        assertThat(new HandOffRule(0, DISTANCE, 1).recipient(1, 1, board(6, 0, 0, 0), NOW)).isEqualTo(-1);
        assertThat(new HandOffRule(0, new int[] {0}, 1).recipient(8, 1, board(8), NOW)).isEqualTo(-1);
    }

    @Test
    void noSlackerMeansEverythingIsKept() {
        HandOffRule rule = new HandOffRule(0, DISTANCE, 1);
        for (int round = 1; round <= 100; round++) {
            assertThat(rule.recipient(4, round, board(4, 4, 5, 9), NOW)).as("round %d", round).isEqualTo(-1);
        }
    }

    @Test
    void theCloseSlackerWinsWhenLoadsAreEqual() {
        HandOffRule rule = new HandOffRule(0, DISTANCE, 1);
        assertThat(rule.recipient(6, 1, board(6, 0, 0, 0), NOW)).isEqualTo(1);
    }

    @Test
    void anIdleFarLoopBeatsABusyNearOneSometimesButNeverADominatedOne() {
        HandOffRule rule = new HandOffRule(0, DISTANCE, 3);
        int[] hits = new int[4];
        for (int round = 1; round <= 2000; round++) {
            int r = rule.recipient(6, round, board(6, 3, 4, 0), NOW);
            assertThat(r).isNotEqualTo(0);
            if (r > 0) {
                hits[r]++;
            }
        }
        // 1 (near, 3 outstanding) and 3 (far, idle) trade off: both are on the frontier.
        assertThat(hits[1]).isPositive();
        assertThat(hits[3]).isPositive();
    }

    @Test
    void recentlyGivenLoopsYieldToOthers() {
        HandOffRule rule = new HandOffRule(0, new int[] {0, 1, 1}, 5);
        int first = rule.recipient(4, 10, board(8, 0, 0), NOW);
        int second = rule.recipient(4, 11, board(8, 0, 0), NOW);
        assertThat(first).isIn(1, 2);
        assertThat(second).as("the other was given to longer ago").isEqualTo(3 - first);
    }

    /**
     * A loop in the middle of a long callback has a short queue (outstanding 1) but is no
     * slacker: the 8 small requests handed to it would wait for the callback. The busy stamp
     * tells; a loop that just began its pass still counts as available.
     */
    @Test
    void aLoopBusyInALongCallbackIsNoSlacker() {
        HandOffRule rule = new HandOffRule(0, new int[] {0, 1}, 7);
        Scoreboard b = board(8, 1);
        b.set(1, Scoreboard.BUSY_SINCE, NOW - 50_000_000L); // in a 50 ms callback
        assertThat(rule.recipient(8, 1, b, NOW)).isEqualTo(-1);
        b.set(1, Scoreboard.BUSY_SINCE, NOW - 10_000L); // 10 µs into a pass
        assertThat(rule.recipient(8, 2, b, NOW)).isEqualTo(1);
        b.set(1, Scoreboard.BUSY_SINCE, 0); // idle
        assertThat(rule.recipient(8, 3, b, NOW)).isEqualTo(1);
    }

    @Test
    void severalRecipientsAreDistinctSlackersAndAtMostOnePerHandedSource() {
        HandOffRule rule = new HandOffRule(0, DISTANCE, 9);
        int[] out = new int[8];
        // loops 1 and 3 are slackers, 2 is as busy as loop 0
        for (int round = 1; round <= 200; round++) {
            int m = rule.recipients(6, round, board(6, 1, 6, 0), NOW, 8, out);
            assertThat(m).as("round %d", round).isEqualTo(2);
            assertThat(new int[] {out[0], out[1]}).containsExactlyInAnyOrder(1, 3);
        }
        // two ready sources: one recipient at most, so each gets a source
        assertThat(rule.recipients(2, 201, board(6, 0, 0, 0), NOW, 8, out)).isEqualTo(1);
        // the cap holds, one event or no slacker keeps all
        assertThat(rule.recipients(8, 202, board(8, 0, 0, 0), NOW, 2, out)).isEqualTo(2);
        assertThat(rule.recipients(1, 203, board(8, 0, 0, 0), NOW, 8, out)).isZero();
        assertThat(rule.recipients(8, 204, board(4, 4, 5, 9), NOW, 8, out)).isZero();
    }

    @Test
    void severalRecipientsOnRandomBoardsAreDistinctSlackersAndFoundWhereverOneExists() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        int[] out = new int[16];
        for (int trial = 0; trial < 2000; trial++) {
            int loops = 2 + rng.nextInt(15);
            int[] distance = new int[loops];
            long[] outstanding = new long[loops];
            for (int i = 0; i < loops; i++) {
                distance[i] = i == 0 ? 0 : 1 + rng.nextInt(3);
                outstanding[i] = rng.nextInt(10);
            }
            HandOffRule rule = new HandOffRule(0, distance, rng.nextLong());
            int e = 1 + rng.nextInt(12);
            int max = 1 + rng.nextInt(16);
            int m = rule.recipients(e, trial + 1, board(outstanding), NOW, max, out);
            assertThat(m).isLessThanOrEqualTo(Math.min(max, e - 1)).isGreaterThanOrEqualTo(0);
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int i = 0; i < m; i++) {
                assertThat(out[i]).isNotZero();
                assertThat(outstanding[out[i]]).isLessThan(outstanding[0]);
                assertThat(seen.add(out[i])).isTrue();
            }
            boolean slackerExists = false;
            for (int i = 1; i < loops; i++) {
                slackerExists |= outstanding[i] < outstanding[0];
            }
            assertThat(m > 0).as("trial %d", trial).isEqualTo(slackerExists && e > 1);
        }
    }

    @Test
    void aParkedLoopGetsTheHalfOnlyWhenKeepingItWouldTakeLongerThanWakingIt() {
        HandOffRule rule = new HandOffRule(0, new int[] {0, 1}, 1);
        Scoreboard b = board(8, 0);
        b.publish(1, Scoreboard.PARKED, 1);
        long turn = 10_000; // keep e - e/2 turns of 10 us here, or wake the neighbour (30 us)
        assertThat(rule.recipient(2, 1, b, NOW, turn)).as("keep 1 turn: 10 us < a wake-up").isEqualTo(-1);
        assertThat(rule.recipient(6, 2, b, NOW, turn)).as("keep 3 turns: 30 us, not more").isEqualTo(-1);
        assertThat(rule.recipient(8, 3, b, NOW, turn)).as("keep 4 turns: 40 us > a wake-up").isEqualTo(1);
        assertThat(rule.recipient(2, 4, b, NOW, 50_000)).as("one long turn").isEqualTo(1);
        b.publish(1, Scoreboard.PARKED, 0); // spinning or working: no wake-up to pay
        assertThat(rule.recipient(2, 5, b, NOW, turn)).isEqualTo(1);
        b.publish(1, Scoreboard.PARKED, 1);
        assertThat(rule.recipient(2, 6, b, NOW)).as("without a turn estimate: no margin").isEqualTo(1);
    }

    @Test
    void onACrowdedMachineTheMarginAppliesToAwakeLoopsToo() {
        HandOffRule rule = new HandOffRule(0, new int[] {0, 1}, 1);
        Scoreboard b = board(8, 0); // loop 1: an awake slacker (not parked)
        long turn = 10_000;
        assertThat(rule.recipient(2, 1, b, NOW, turn, false)).as("not crowded: hand to the awake slacker").isEqualTo(1);
        assertThat(rule.recipient(2, 2, b, NOW, turn, true)).as("crowded, one 10 us turn kept").isEqualTo(-1);
        assertThat(rule.recipient(8, 3, b, NOW, turn, true)).as("crowded, four turns kept: 40 us").isEqualTo(1);
    }
}
