package io.torque.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How much work one source may do in one turn before the loop serves the others: the loop's
 * fairness. A source that used its budget with work left is queued for another turn on the same
 * loop (so no edge-triggered readiness is lost), after the other ready sources had theirs.
 * Netty's defaults are similar: 16 reads per read loop, 64 KiB per read.
 *
 * @param readsPerTurn the most {@code recv} calls one connection makes per turn, at least 1
 * @param readBytesPerTurn the most bytes one connection reads per turn (checked after each
 *     read), at least 1
 * @param acceptsPerTurn the most connections one listener accepts per turn, at least 1
 * @param handOffsPerDrain the most handed-over connections a loop works per pass over its inbox,
 *     at least 1
 * @param taskQuantum the longest a loop runs queued tasks (timers, cross-thread work) per pass
 *     before it looks at I/O again; positive
 */
public record LoopBudgets(int readsPerTurn, int readBytesPerTurn, int acceptsPerTurn, int handOffsPerDrain,
        Duration taskQuantum) {
    /** 16 reads and 256 KiB per connection turn, 64 accepts, 256 hand-offs per drain, 1 ms of tasks. */
    public static final LoopBudgets DEFAULT = new LoopBudgets(16, 256 << 10, 64, 256, Duration.ofMillis(1));

    /**
     * Checks the values.
     *
     * @param readsPerTurn see {@link #readsPerTurn()}
     * @param readBytesPerTurn see {@link #readBytesPerTurn()}
     * @param acceptsPerTurn see {@link #acceptsPerTurn()}
     * @param handOffsPerDrain see {@link #handOffsPerDrain()}
     * @param taskQuantum see {@link #taskQuantum()}
     * @throws IllegalArgumentException if a count is below 1 or the quantum is not positive
     * @throws NullPointerException if the quantum is null
     */
    public LoopBudgets {
        Objects.requireNonNull(taskQuantum, "taskQuantum");
        atLeastOne(readsPerTurn, "readsPerTurn");
        atLeastOne(readBytesPerTurn, "readBytesPerTurn");
        atLeastOne(acceptsPerTurn, "acceptsPerTurn");
        atLeastOne(handOffsPerDrain, "handOffsPerDrain");
        if (taskQuantum.isNegative() || taskQuantum.isZero()) {
            throw new IllegalArgumentException("taskQuantum must be positive: " + taskQuantum);
        }
    }

    private static void atLeastOne(int v, String what) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1: " + v);
        }
    }
}
