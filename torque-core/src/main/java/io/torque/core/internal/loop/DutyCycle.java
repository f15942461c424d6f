package io.torque.core.internal.loop;

import io.netty.channel.ManualIoEventLoop;
import io.torque.core.internal.dispatch.Scoreboard;

/**
 * A loop's duty cycle, on its thread until Netty's loop has terminated: run ready I/O and up to
 * a quantum of tasks without blocking, then the dispatcher's round and a bounded drain of the
 * inbox; when a pass finds nothing, spin (poll again) for up to the spin budget, then block in
 * {@code epoll_wait} until I/O, a task, a timer or a wake-up. Waking a parked thread costs tens
 * of microseconds on a VM, so a short spin keeps a busy loop responsive, while an idle loop
 * still sleeps. The spin budget drops to zero while someone else wants the CPU or while spinning
 * rarely finds work ({@link SpinGovernor}), and a pinned loop that keeps waiting for its CPU
 * yields its pin for a while ({@link PinGovernor}); both read a {@link CpuWaitSampler} on the
 * idle path. Nothing a source or the error handler throws ends the cycle.
 */
final class DutyCycle {
    private final Loop loop;
    private final ManualIoEventLoop netty;
    private final LoopRound round;
    private final LoopConfig config;
    private final long taskQuantumNanos;
    private final PinGovernor pins;
    private long idleWakes;

    DutyCycle(Loop loop, ManualIoEventLoop netty, LoopRound round, LoopConfig config, PinGovernor pins) {
        this.loop = loop;
        this.pins = pins;
        this.netty = netty;
        this.round = round;
        this.config = config;
        this.taskQuantumNanos = config.budgets().taskQuantum().toNanos();
    }

    void run() {
        ManualIoEventLoop n = netty;
        SpinGovernor spin = new SpinGovernor(config.spinNanos(), config.adaptiveSpin());
        try (CpuWaitSampler cpuWait = new CpuWaitSampler()) {
            cycle(n, spin, cpuWait);
        }
    }

    private void cycle(ManualIoEventLoop n, SpinGovernor spin, CpuWaitSampler cpuWait) {
        // else only PARETO's crowded gate would read them: without spinning or pinning it stays off
        boolean sampling = spin.adaptive() || pins.enabled();
        long idleSince = 0;
        LoopCounters counters = loop.counters();
        while (!n.isTerminated()) {
            try {
                long passStart = System.nanoTime();
                int work = n.runNow(taskQuantumNanos);
                work += round.dispatchRound() + round.drainInbox();
                if (work == 0 && !n.isShuttingDown()) {
                    work = round.steal(); // STEAL: nothing of its own, so part of a busy loop's
                }
                if (work > 0) {
                    counters.busy(System.nanoTime() - passStart); // a pass that did work: busy time
                    if (idleSince != 0) {
                        spin.episodeEnded(true); // work came while spinning
                    }
                    idleSince = 0;
                    continue;
                }
                long now = passStart; // the pass found nothing: its start is recent enough
                if (idleSince == 0) {
                    idleSince = now;
                    if (sampling && cpuWait.sample(now)) {
                        spin.onSample(cpuWait.waitShare(), cpuWait.crowded());
                        round.crowded(cpuWait.crowded(), now); // PARETO's wake-up margin reads it too
                        pins.onSample(cpuWait.waitShare(), now);
                    }
                }
                if (now - idleSince < spin.budget() && !n.isShuttingDown()) {
                    Thread.onSpinWait();
                    continue;
                }
                spin.episodeEnded(false); // the spin found nothing: block
                // Blocks until I/O, a task, the next scheduled task, a hand-off or a wake-up.
                try {
                    n.run(0, taskQuantumNanos);
                } finally {
                    round.unparked(); // STEAL and PARETO: PARKED was set in canBlock (LoopRound.mayBlock)
                }
                Loop.Dispatch d = round.dispatchOrNull();
                if (d != null) {
                    d.board().publish(loop.index(), Scoreboard.IDLE_WAKES, ++idleWakes);
                }
                long woken = System.nanoTime();
                int done = round.dispatchRound() + round.drainInbox();
                if (done == 0 && !n.isShuttingDown()) {
                    done = round.steal(); // woken to steal, or nothing to do yet
                }
                if (done > 0) {
                    counters.busy(System.nanoTime() - woken); // the turns after the wake-up (not the wait)
                }
                idleSince = 0;
            } catch (Throwable t) {
                // Sources contain their own failures; what reaches here is torque's or Netty's.
                if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                    throw (VirtualMachineError) t;
                }
                loop.report(loop, t);
            }
        }
    }
}
