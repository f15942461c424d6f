package io.torque.core.loop;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.Future;
import io.torque.core.ErrorHandler;
import io.torque.topology.CpuSet;
import io.torque.topology.affinity.Affinity;

/**
 * One event loop: a thread, pinned to one CPU when the topology is this machine's, driving a
 * Netty {@link ManualIoEventLoop} with an {@link EpollIoHandler} (its own epoll fd, eventfd
 * wake-up and timerfd).
 *
 * <p>Duty cycle: run ready I/O and tasks without blocking; when a pass finds nothing, spin (poll
 * again) for up to the spin budget, then block in {@code epoll_wait} until I/O, a task, a timer
 * or a wake-up. Waking a parked thread costs tens of microseconds on a VM, so a short spin keeps
 * a busy loop responsive, while an idle loop still sleeps.
 *
 * <p>Threading: {@link #execute}, {@link #register}, {@link #inLoop} and {@link #close} may be
 * called from any thread; everything a source does with its registration happens on this loop's
 * thread. Internal API.
 */
public final class Loop implements AutoCloseable {
    /** Size of the per-loop receive scratch buffer. */
    public static final int SCRATCH_BYTES = 64 * 1024;
    private static final int CACHE_LINE = 64;

    private final int index;
    private final int cpu;
    private final boolean pin;
    private final long spinNanos;
    private final ErrorHandler errors;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile ManualIoEventLoop netty;
    private volatile Throwable startFailure;
    private ByteBuffer scratch;
    private ByteBuffer writeScratch;
    /** writev's vector, reused by every connection of this loop (IOV_MAX entries). */
    private final ByteBuffer[] iov = new ByteBuffer[1024];

    /**
     * A loop for CPU {@code cpu}; the thread starts at once.
     *
     * @param pin whether the loop's thread pins itself to {@code cpu} (only for this machine's
     *     topology)
     */
    public Loop(int index, int cpu, boolean pin, long spinNanos, ErrorHandler errors, String name) {
        this.index = index;
        this.cpu = cpu;
        this.pin = pin;
        this.spinNanos = spinNanos;
        this.errors = errors;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(false);
        thread.start();
    }

    /**
     * Waits until the loop runs.
     *
     * @throws IllegalStateException if it failed to start (pinning refused, epoll unavailable)
     */
    public void awaitStarted() throws InterruptedException {
        started.await();
        if (startFailure != null) {
            throw new IllegalStateException("loop " + thread.getName() + " failed to start: " + startFailure.getMessage(), startFailure);
        }
    }

    private void run() {
        try {
            if (pin) {
                Affinity.pin(CpuSet.of(cpu));
            }
            // First touch on this thread, so the pages land on this loop's NUMA node.
            scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES + CACHE_LINE).alignedSlice(CACHE_LINE);
            writeScratch = ByteBuffer.allocateDirect(SCRATCH_BYTES + CACHE_LINE).alignedSlice(CACHE_LINE);
            for (int i = 0; i < SCRATCH_BYTES; i += 4096) {
                scratch.put(i, (byte) 0);
                writeScratch.put(i, (byte) 0);
            }
            netty = new ManualIoEventLoop(Thread.currentThread(), EpollIoHandler.newFactory());
        } catch (Throwable t) {
            startFailure = t;
            started.countDown();
            terminated.countDown();
            return;
        }
        started.countDown();
        try {
            dutyCycle();
        } finally {
            terminated.countDown();
        }
    }

    private void dutyCycle() {
        ManualIoEventLoop n = netty;
        long idleSince = 0;
        while (!n.isTerminated()) {
            int work;
            try {
                work = n.runNow();
                if (work == 0) {
                    long now = System.nanoTime();
                    if (idleSince == 0) {
                        idleSince = now;
                    }
                    if (now - idleSince >= spinNanos || n.isShuttingDown()) {
                        // Blocks until I/O, a task, the next scheduled task, or a wake-up.
                        work = n.run(0);
                        idleSince = 0;
                    } else {
                        Thread.onSpinWait();
                    }
                } else {
                    idleSince = 0;
                }
            } catch (Throwable t) {
                if (t instanceof Error && !(t instanceof StackOverflowError)) {
                    throw (Error) t;
                }
                errors.onError(this, t);
            }
        }
    }

    /** This loop's position among the context's loops. */
    public int index() {
        return index;
    }

    /** The CPU this loop serves (its thread is pinned there only for this machine's topology). */
    public int cpu() {
        return cpu;
    }

    /** The loop's thread. */
    public Thread thread() {
        return thread;
    }

    /** Whether the caller runs on this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** The Netty loop; valid once {@link #awaitStarted()} returned. */
    public ManualIoEventLoop netty() {
        return netty;
    }

    /**
     * The loop's receive scratch buffer, 64-byte aligned, first touched by the loop's thread.
     * Loop thread only.
     */
    public ByteBuffer scratch() {
        assert inLoop();
        return scratch;
    }

    /**
     * The loop's send scratch buffer (to pass heap bytes to {@code send}), 64-byte aligned. Loop
     * thread only.
     */
    public ByteBuffer writeScratch() {
        assert inLoop();
        return writeScratch;
    }

    /** The loop's writev vector. Loop thread only; clear the entries used after each call. */
    public ByteBuffer[] iov() {
        assert inLoop();
        return iov;
    }

    /** Runs {@code task} on this loop: now when called on it, else soon. Any thread. */
    public void execute(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            netty.execute(task);
        }
    }

    /** Registers a handle with this loop's epoll; completes on the loop. Any thread. */
    public Future<IoRegistration> register(IoHandle handle) {
        return netty.register(handle);
    }

    /** The error handler of the context. */
    public ErrorHandler errors() {
        return errors;
    }

    /**
     * Shuts the loop down: every registered handle is closed (their close callbacks run on the
     * loop), then the thread ends. Any thread; returns at once.
     */
    @Override
    public void close() {
        ManualIoEventLoop n = netty;
        if (n != null) {
            n.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
        }
    }

    /** Waits for the thread to end. */
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
