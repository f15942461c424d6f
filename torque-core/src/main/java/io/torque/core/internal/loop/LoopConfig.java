package io.torque.core.internal.loop;

import io.torque.core.ErrorHandler;
import io.torque.core.LoopBudgets;

/**
 * What every loop of a context is configured with.
 *
 * @param pin whether the loop's thread pins itself to its CPU (only for this machine's topology)
 * @param spinNanos how long an idle loop spins before it blocks in epoll_wait
 * @param adaptiveSpin whether the spin budget drops to zero while the CPUs are contended or
 *     crowded, or while spinning rarely finds work ({@link SpinGovernor}); false keeps it
 *     (benchmarks of a spinning recipient)
 * @param errors where failures go
 * @param budgets the per-turn budgets
 */
public record LoopConfig(boolean pin, long spinNanos, boolean adaptiveSpin, ErrorHandler errors, LoopBudgets budgets) {
}
