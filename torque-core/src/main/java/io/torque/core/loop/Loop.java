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
import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.HandOffRule;
import io.torque.core.dispatch.Scoreboard;
import io.torque.core.net.TcpConnection;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
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
 * a busy loop responsive, while an idle loop still sleeps. The spin budget drops to zero while
 * the loop's thread has to wait for a CPU ({@link SpinGovernor}): spinning then takes CPU time
 * from the work the loop waits for.
 *
 * <p>Threading: {@link #execute}, {@link #register}, {@link #inLoop} and {@link #close} may be
 * called from any thread; everything a source does with its registration happens on this loop's
 * thread. Internal API.
 */
public final class Loop implements AutoCloseable {
    /** Size of the per-loop receive scratch buffer. */
    public static final int SCRATCH_BYTES = 64 * 1024;
    private static final int CACHE_LINE = 64;
    /** Hand-offs waiting at one loop, at most. */
    public static final int INBOX_CAPACITY = 4096;
    /** What a handed connection is asked to do: read until EAGAIN, and send its queue. */
    private static final int HANDED_WORK = TcpConnection.READ | TcpConnection.FLUSH;

    /**
     * What a loop knows of the others, fixed once all are started.
     *
     * @param loops every loop of the context, by index
     * @param distance the topological distance from this loop's CPU to each loop's CPU
     */
    public record Dispatch(Loop[] loops, int[] distance, Scoreboard board, DispatchPolicy policy) {
    }

    private final int index;
    private final int cpu;
    private final boolean pin;
    private final long spinNanos;
    private final boolean adaptiveSpin;
    private final ErrorHandler errors;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    /**
     * Connections handed here by other loops; bounded: a full inbox means "handle it yourself".
     * JCTools' atomic variant (field updaters, padded like the Unsafe one): JDK 24+ warns about
     * every sun.misc.Unsafe user, and this queue needs none.
     */
    private final MpscAtomicArrayQueue<TcpConnection> inbox = new MpscAtomicArrayQueue<>(INBOX_CAPACITY);
    /** Set once, after every loop of the context started (safe publication: final fields). */
    private volatile Dispatch dispatch;
    // Loop thread only: this round's ready connections and the dispatcher's reusable arrays.
    private TcpConnection[] ready = new TcpConnection[64];
    private int readyCount;
    private long rounds;
    private HandOffRule rule;
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
        this(index, cpu, pin, spinNanos, true, errors, name);
    }

    /**
     * A loop as above; {@code adaptiveSpin} false keeps the full spin budget even while the CPUs
     * are contended (benchmarks of a spinning recipient), see {@link SpinGovernor}.
     */
    public Loop(int index, int cpu, boolean pin, long spinNanos, boolean adaptiveSpin, ErrorHandler errors, String name) {
        this.index = index;
        this.cpu = cpu;
        this.pin = pin;
        this.spinNanos = spinNanos;
        this.adaptiveSpin = adaptiveSpin;
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
            // The inbox is not Netty's task queue: the loop may block only when it is empty too.
            // Netty publishes the wake-up deadline before asking canBlock(), and a giver offers
            // before it calls wakeup(): one of them always sees the other, so no hand-off sleeps.
            netty = new ManualIoEventLoop(Thread.currentThread(), EpollIoHandler.newFactory()) {
                @Override
                protected boolean canBlock() {
                    return inbox.isEmpty();
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
            dutyCycle();
        } finally {
            terminated.countDown();
        }
    }

    private void dutyCycle() {
        ManualIoEventLoop n = netty;
        SpinGovernor spin = new SpinGovernor(spinNanos, adaptiveSpin);
        long idleSince = 0;
        while (!n.isTerminated()) {
            int work;
            try {
                work = n.runNow();
                work += dispatchRound() + drainInbox();
                if (work == 0) {
                    long now = System.nanoTime();
                    if (idleSince == 0) {
                        idleSince = now;
                        spin.onIdle(now);
                    }
                    if (now - idleSince >= spin.budget() || n.isShuttingDown()) {
                        // Blocks until I/O, a task, the next scheduled task, a hand-off or a wake-up.
                        n.run(0);
                        Dispatch d = dispatch;
                        if (d != null) {
                            d.board().add(index, Scoreboard.IDLE_WAKES, 1);
                        }
                        dispatchRound();
                        drainInbox();
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

    /** Sets what this loop knows of the others; once, before any source registers. */
    public void dispatch(Dispatch d) {
        // A plain field of the loop thread, published by the volatile write of dispatch below,
        // which the loop reads before it uses it.
        rule = new HandOffRule(index, d.distance(), 0x9E3779B97F4A7C15L * (index + 1));
        dispatch = d;
    }

    /** The dispatch policy (STATIC until the context has set it up). */
    public DispatchPolicy policy() {
        Dispatch d = dispatch;
        return d == null ? DispatchPolicy.STATIC : d.policy();
    }

    /** Lists a connection that became ready in this round (both policies). Loop thread only. */
    public void ready(TcpConnection c) {
        assert inLoop();
        if (readyCount == ready.length) {
            ready = java.util.Arrays.copyOf(ready, ready.length * 2); // grows, then stays: no per-round allocation
        }
        ready[readyCount++] = c;
    }

    /**
     * The dispatcher's round: e = the connections that became ready. With e > 1, one recipient
     * is chosen at random on the Pareto frontier of the other loops; if it has fewer outstanding
     * events than this loop (a slacker), it gets the last ⌊e/2⌋ through its inbox and is woken.
     * The rest are handled here. Returns e.
     */
    private int dispatchRound() {
        int e = readyCount;
        if (e == 0) {
            return 0;
        }
        Dispatch d = dispatch;
        Scoreboard board = d.board();
        rounds++;
        board.add(index, Scoreboard.ROUNDS, 1);
        board.add(index, Scoreboard.OUTSTANDING, e);
        int keep = e;
        Loop target = null;
        if (d.policy() == DispatchPolicy.PARETO) {
            int r = rule.recipient(e, rounds, board);
            if (r >= 0) {
                target = d.loops()[r];
                keep = e - e / 2;
            }
        }
        int handed = 0;
        int handledHere = 0;
        for (int i = 0; i < e; i++) {
            TcpConnection c = ready[i];
            ready[i] = null;
            int flags = c.takeRound();
            if (i >= keep) {
                board.add(target.index, Scoreboard.OUTSTANDING, 1); // before the offer: never negative there
                if (target.inbox.offer(c)) { // release: the recipient sees all this loop wrote
                    handed++;
                    continue;
                }
                board.add(target.index, Scoreboard.OUTSTANDING, -1); // full inbox: handle it here
            }
            c.work(this, flags);
            board.add(index, Scoreboard.OUTSTANDING, -1); // per event: neighbours read it mid-round
            handledHere++;
        }
        board.add(index, Scoreboard.HANDLED, handledHere); // a total only: one add per round
        if (handed > 0) {
            board.add(index, Scoreboard.OUTSTANDING, -handed);
            board.add(index, Scoreboard.HANDED_OUT, handed);
            target.netty.wakeup(); // writes the eventfd only if the recipient may be asleep
        }
        readyCount = 0;
        return e;
    }

    /** Handles what other loops handed here: each once, never handed on. */
    private int drainInbox() {
        int n = 0;
        TcpConnection c;
        while ((c = inbox.relaxedPoll()) != null) { // acquire: sees what the giver wrote
            c.work(this, HANDED_WORK);
            dispatch.board().add(index, Scoreboard.OUTSTANDING, -1); // per event: neighbours read it
            n++;
        }
        if (n > 0) {
            Scoreboard board = dispatch.board();
            board.add(index, Scoreboard.RECEIVED, n); // totals only: one add per drain
            board.add(index, Scoreboard.HANDLED, n);
        }
        return n;
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
