package io.torque.core.internal.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.Future;
import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.internal.dispatch.Scoreboard;
import io.torque.topology.CpuSet;
import io.torque.topology.affinity.Affinity;

/**
 * One event loop: a thread, pinned to one CPU when the topology is this machine's, driving a
 * Netty {@link ManualIoEventLoop} with an {@link EpollIoHandler} (its own epoll fd, eventfd
 * wake-up and timerfd).
 *
 * <p>Its thread runs a {@link DutyCycle}: I/O, tasks, the dispatcher's round and the inbox, each
 * bounded, then spin or block.
 *
 * <p>Threading: {@link #execute}, {@link #call}, {@link #register}, {@link #inLoop} and
 * {@link #close} may be called from any thread; everything a source does with its registration
 * happens on this loop's thread. Internal API.
 */
public final class Loop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Loop.class.getName());
    /** Hand-offs waiting at one loop, at most. */
    public static final int INBOX_CAPACITY = 4096;

    /**
     * What a loop knows of the others, fixed once all are started.
     *
     * @param loops every loop of the context, by index
     * @param distance the topological distance from this loop's CPU to each loop's CPU
     * @param board the context's scoreboard
     * @param policy the dispatch policy
     */
    public record Dispatch(Loop[] loops, int[] distance, Scoreboard board, DispatchPolicy policy) {
    }

    /** The thread of a loop: lets any code ask whether it runs on some loop ({@link #onAnyLoop}). */
    private static final class LoopThread extends Thread {
        final Loop loop;

        LoopThread(Loop loop, Runnable r, String name) {
            super(r, name);
            this.loop = loop;
        }
    }

    private final int index;
    private final int cpu;
    private final CpuSet wide;
    private final LoopCounters counters = new LoopCounters();
    private final LoopConfig config;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final LoopRound round;
    private volatile ManualIoEventLoop netty;
    private volatile Throwable startFailure;
    private LoopBuffers buffers;

    /**
     * A loop for CPU {@code cpu}; the thread starts at once.
     *
     * @param index the loop's position among its context's loops
     * @param cpu the CPU it serves
     * @param config what every loop of the context shares
     * @param name the thread's name
     */
    public Loop(int index, int cpu, LoopConfig config, String name) {
        this(index, cpu, CpuSet.of(cpu), config, name);
    }

    /**
     * A loop for CPU {@code cpu} that, pinned, may yield its pin to {@code wide} while its CPU is
     * contended ({@link PinGovernor}); the thread starts at once.
     *
     * @param index the loop's position among its context's loops
     * @param cpu the CPU it serves
     * @param wide the CPUs it may run on while its own is contended (containing {@code cpu})
     * @param config what every loop of the context shares
     * @param name the thread's name
     */
    public Loop(int index, int cpu, CpuSet wide, LoopConfig config, String name) {
        this.index = index;
        this.cpu = cpu;
        this.wide = wide;
        this.config = config;
        this.round = new LoopRound(this, config.budgets().handOffsPerDrain());
        this.thread = new LoopThread(this, this::run, name);
        thread.setDaemon(false);
        thread.start();
    }

    /**
     * Waits until the loop runs.
     *
     * @throws IllegalStateException if it failed to start (pinning refused, epoll unavailable)
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitStarted() throws InterruptedException {
        started.await();
        if (startFailure != null) {
            throw new IllegalStateException("loop " + thread.getName() + " failed to start: " + startFailure.getMessage(), startFailure);
        }
    }

    private void run() {
        try {
            if (config.pin()) {
                Affinity.pin(CpuSet.of(cpu));
            }
            buffers = new LoopBuffers(); // on this thread: first touch puts the pages on this loop's node
            // The inbox is not Netty's task queue: the loop may block only when it is empty too.
            // Netty publishes the wake-up deadline before asking canBlock(), and a giver offers
            // before it calls wakeup(): one of them always sees the other, so no hand-off sleeps.
            // STEAL: nor while another loop advertises sources to take (StealQueue).
            netty = new ManualIoEventLoop(Thread.currentThread(), EpollIoHandler.newFactory()) {
                @Override
                protected boolean canBlock() {
                    return round.mayBlock();
                }
            };
        } catch (Throwable t) {
            startFailure = t;
            started.countDown();
            terminated.countDown();
            return;
        }
        started.countDown();
        try {
            PinGovernor pins = config.pin()
                    ? new PinGovernor(CpuSet.of(cpu), wide, Affinity::pin, thread.getName())
                    : PinGovernor.off();
            new DutyCycle(this, netty, round, config, pins).run();
        } finally {
            round.ended();
            terminated.countDown();
        }
    }

    /**
     * Hands {@code error} to the context's error handler; what the handler throws is logged and
     * dropped, so a failing handler can never stop a loop or leave a source half-closed. Any
     * thread.
     *
     * @param source what failed
     * @param error what it threw
     */
    public void report(Object source, Throwable error) {
        try {
            config.errors().onError(source, error);
        } catch (Throwable handlerFailure) {
            handlerFailure.addSuppressed(error);
            LOG.log(System.Logger.Level.WARNING, "the error handler threw while reporting a failure of " + source,
                    handlerFailure);
        }
    }

    /**
     * Sets what this loop knows of the others; once, before any source registers.
     *
     * @param d the context's loops, distances, scoreboard and policy
     */
    public void dispatch(Dispatch d) {
        round.dispatch(d);
    }

    /**
     * Lists a source that became ready in this round. Loop thread only.
     *
     * @param c the source
     */
    public void ready(ReadySource c) {
        assert inLoop();
        round.ready(c);
    }

    LoopRound round() {
        return round;
    }

    /**
     * Takes a source off this round's ready list (it moves home). Loop thread only.
     *
     * @param c the source, listed
     */
    public void unready(ReadySource c) {
        assert inLoop();
        round.unready(c);
    }

    /**
     * STEAL_POLL and STEAL_EPOLL: the second epoll set this loop's connections join so idle loops can take readiness
     * that arrives during its turns; null under other policies or where none could be made.
     * Any thread, once the context has started.
     *
     * @return the set, or null
     */
    public StealSet stealSet() {
        return round.stealSet();
    }

    /**
     * Whether connections may move their home between loops (STEAL_EPOLL). Any thread, once the
     * context has started.
     *
     * @return true under STEAL_EPOLL
     */
    public boolean movesHomes() {
        Dispatch d = round.dispatchOrNull();
        return d != null && d.policy() == DispatchPolicy.STEAL_EPOLL;
    }

    /**
     * STEAL_POLL and STEAL_EPOLL: how many sources this loop took from other loops' steal sets. Any thread.
     *
     * @return the count, 0 under other policies
     */
    public long readySteals() {
        StealQueue q = round.steals();
        return q == null ? 0 : q.readySteals();
    }

    /**
     * Closes this loop's steal set. Only once every loop of its context has terminated: a thief
     * must never poll a closed (perhaps reused) fd.
     */
    public void closeStealSet() {
        round.closeStealSet();
    }

    /**
     * What this loop did (bytes, connections, busy time, hand-offs).
     *
     * @return this loop's counters
     */
    public LoopCounters counters() {
        return counters;
    }

    /**
     * Tests only: sets (or, with null, clears) what runs on a STEAL loop after it advertised the
     * sources of its round to thieves and before it works them itself.
     *
     * @param hook what to run there
     */
    public static void afterStealAdvertiseHook(Runnable hook) {
        StealQueue.afterAdvertiseHook = hook;
    }

    /**
     * This loop's position among the context's loops.
     *
     * @return the index, from 0
     */
    public int index() {
        return index;
    }

    /**
     * The CPU this loop serves (its thread is pinned there only for this machine's topology).
     *
     * @return the OS CPU number
     */
    public int cpu() {
        return cpu;
    }

    /**
     * The loop's thread.
     *
     * @return the thread
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Whether the caller runs on this loop's thread.
     *
     * @return true on this loop's thread
     */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Whether the caller runs on any loop's thread (of any context): such a caller must never
     * wait for a loop.
     *
     * @return true on a loop thread
     */
    public static boolean onAnyLoop() {
        return Thread.currentThread() instanceof LoopThread;
    }

    /**
     * The loop whose thread calls, or null off the loops: where a task or timer that a source
     * scheduled on its home runs when the source has moved home since (STEAL_EPOLL).
     *
     * @return the calling thread's loop, or null
     */
    public static Loop current() {
        return Thread.currentThread() instanceof LoopThread t ? t.loop : null;
    }

    /**
     * The Netty loop; valid once {@link #awaitStarted()} returned.
     *
     * @return the Netty loop
     */
    public ManualIoEventLoop netty() {
        return netty;
    }

    /**
     * The loop's scratch buffers. Loop thread only.
     *
     * @return the buffers
     */
    public LoopBuffers buffers() {
        assert inLoop();
        return buffers;
    }

    /**
     * The context's per-turn budgets.
     *
     * @return the budgets
     */
    public io.torque.core.LoopBudgets budgets() {
        return config.budgets();
    }

    /**
     * Runs {@code task} on this loop: now when called on it, else soon. Any thread. After the loop
     * has shut down the task may be dropped (Netty's queue cannot give it back); use
     * {@link #call} for work that must happen.
     *
     * @param task what to run
     * @throws RejectedExecutionException if the loop has shut down and said so
     */
    public void execute(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            netty.execute(task);
        }
    }

    /**
     * Queues {@code task} to run on this loop after what is ready now, also when called on the
     * loop (where {@link #execute} would run it at once): how a source that used its turn's
     * budget asks for another turn. Any thread.
     *
     * @param task what to run
     * @throws RejectedExecutionException if the loop has shut down and said so
     */
    public void executeLater(Runnable task) {
        netty.execute(task);
    }

    /**
     * Runs {@code task} on this loop and, unless the caller is a loop thread, waits until it
     * ran. Work that must happen even when the loop has ended (closing a socket) passes a task
     * that is also correct off the loop: once the loop has terminated without running it, it
     * runs on the caller instead, so no caller ever waits for a loop that will not run it. On
     * the loop's own thread it runs at once.
     *
     * @param task what to run
     */
    public void call(Runnable task) {
        if (inLoop() || isTerminated()) {
            task.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            netty.execute(() -> {
                try {
                    task.run();
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            task.run(); // the loop has shut down: nobody else will
            return;
        }
        if (onAnyLoop()) {
            return; // a loop never waits for another: the task runs there soon
        }
        if (!join(done)) {
            task.run(); // the loop ended without running it (join returns false only then)
        }
    }

    /**
     * Waits until {@code f} is done, or until this loop has terminated without completing it;
     * any thread but a loop's. The termination latch is counted down after the loop's last task
     * ran, so a task that completes {@code f} and has not run by then never will. Not
     * interruptible (the wait is short while the loop lives, and giving up early would leave the
     * task to run later, behind the caller's back); an interrupt is kept for the caller.
     *
     * @param f a future some task on this loop completes
     * @return true if {@code f} is done (normally or not), false if the loop ended first
     */
    public boolean join(CompletableFuture<?> f) {
        boolean interrupted = false;
        try {
            while (!f.isDone()) {
                try {
                    f.get(10, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (isTerminated() && !f.isDone()) {
                        return false;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                    return true; // done, exceptionally
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Registers a handle with this loop's epoll; completes on the loop. Any thread.
     *
     * @param handle the handle
     * @return the registration, when done
     */
    public Future<IoRegistration> register(IoHandle handle) {
        return netty.register(handle);
    }

    /**
     * Takes a source out of its loop's epoll set, from any thread, also after the loop ended
     * (then the epoll fd is gone with it and there is nothing to do).
     *
     * @param registration the source's registration, or null if it never registered
     */
    public static void cancelQuietly(IoRegistration registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.cancel(); // threadsafe: off the loop it is handed to it
        } catch (RuntimeException ignored) {
            // the loop has ended, and its epoll fd with it
        }
    }

    /**
     * Shuts the loop down: every handle still registered is closed (their close callbacks run on
     * the loop), then the thread ends. Any thread; returns at once.
     */
    @Override
    public void close() {
        ManualIoEventLoop n = netty;
        if (n != null) {
            n.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Whether the loop's thread has finished its last pass (it runs nothing more).
     *
     * @return true once terminated
     */
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /**
     * Waits for the thread to end.
     *
     * @param timeout how long at most
     * @param unit its unit
     * @return whether the thread ended in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        if (!terminated.await(timeout, unit)) {
            return false;
        }
        thread.join(unit.toMillis(timeout) + 1);
        return !thread.isAlive();
    }

    @Override
    public String toString() {
        return thread.getName();
    }
}
