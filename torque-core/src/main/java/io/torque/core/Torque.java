package io.torque.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.LoopStats;
import io.torque.core.dispatch.ParetoFrontier;
import io.torque.core.dispatch.Placement;
import io.torque.core.dispatch.Scoreboard;
import io.torque.core.fd.FdHandler;
import io.torque.core.fd.FdRegistration;
import io.torque.core.fd.FdSource;
import io.torque.core.loop.Loop;
import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.Connector;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.net.SourceRegistry;
import io.torque.core.net.TcpListener;
import io.torque.core.signal.SignalBridge;
import io.torque.core.signal.SignalRegistration;
import io.torque.core.timer.LoopTimer;
import io.torque.core.timer.Timer;
import io.torque.topology.CpuSet;
import io.torque.topology.Topology;

/**
 * A torque context: one event loop per processing element, each on its own thread with its own
 * epoll fd, serving the sources registered here (listeners, connections, timers, signals, raw
 * fds).
 *
 * <pre>{@code
 * try (Torque torque = Torque.builder().build()) {
 *     torque.listen(new InetSocketAddress("127.0.0.1", 7070), conn -> new Echo());
 *     torque.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Threading: every method may be called from any thread, including from callbacks. Methods
 * that return a registered source ({@link #listen}, {@link #register}) wait for the loop to
 * accept it; call them from outside the loops or from the target loop itself.
 *
 * <p>Placement: new connections go round-robin over the loops (the Pareto placement comes with
 * the dispatcher). {@link #close()} stops accepting, closes every source (running each close
 * callback once), and joins every loop thread.
 */
public final class Torque implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Torque.class.getName());

    private final Topology topology;
    private final List<Loop> loops;
    private final Scoreboard board;
    private final Placement placement;
    private final DispatchPolicy policy;
    /** Per loop: the index of its package among the loops' packages, for placement. */
    private final int[] packageOf;
    private final Registry registry;
    private final Set<Object> signals = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean closed;

    private Torque(Builder b, Topology topology, CpuSet cpus) {
        this.topology = topology;
        this.registry = new Registry(b.settings);
        boolean pin = b.pin && topology.isThisSystem();
        List<Loop> started = new ArrayList<>();
        int index = 0;
        try {
            for (int cpu : cpus.toArray()) {
                started.add(new Loop(index++, cpu, pin, b.spinNanos, b.errors, "torque-cpu" + cpu));
            }
            for (Loop l : started) {
                l.awaitStarted();
            }
        } catch (InterruptedException | RuntimeException e) {
            for (Loop l : started) {
                l.close();
            }
            for (Loop l : started) {
                try {
                    l.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting loops", e);
            }
            throw (RuntimeException) e;
        }
        this.loops = List.copyOf(started);
        this.board = new Scoreboard(loops.size());
        this.placement = b.placement;
        this.policy = b.policy;
        this.packageOf = new int[loops.size()];
        Loop[] all = loops.toArray(new Loop[0]);
        for (Loop l : loops) {
            int[] distance = new int[all.length];
            for (Loop other : loops) {
                distance[other.index()] = topology.levels().distance(l.cpu(), other.cpu());
            }
            packageOf[l.index()] = topology.packages().stream().map(p -> p.cpus()).toList().indexOf(
                    topology.packageOf(l.cpu()).map(p -> p.cpus()).orElse(null));
            l.dispatch(new Loop.Dispatch(all, distance, board, policy));
        }
    }

    /** A builder with the defaults: every usable CPU of {@link Topology#detect()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The topology the loops were laid out on. */
    public Topology topology() {
        return topology;
    }

    /** The number of loops. */
    public int loopCount() {
        return loops.size();
    }

    /** The CPU each loop serves, by loop index. */
    public int[] loopCpus() {
        return loops.stream().mapToInt(Loop::cpu).toArray();
    }

    /** The dispatch policy the loops run. */
    public DispatchPolicy policy() {
        return policy;
    }

    /** Every loop's counters now. Any thread. */
    public List<LoopStats> stats() {
        List<LoopStats> out = new ArrayList<>();
        for (Loop l : loops) {
            int i = l.index();
            out.add(new LoopStats(i, l.cpu(), board.get(i, Scoreboard.HANDLED), board.get(i, Scoreboard.HANDED_OUT),
                    board.get(i, Scoreboard.RECEIVED), board.get(i, Scoreboard.ROUNDS), board.get(i, Scoreboard.IDLE_WAKES),
                    board.get(i, Scoreboard.OUTSTANDING), board.get(i, Scoreboard.HOMED)));
        }
        return out;
    }

    /** {@link #stats()} as a table, plus the policy. */
    @Override
    public String toString() {
        return "torque " + policy + ", " + loops.size() + " loops, placement " + placement + "\n" + LoopStats.table(stats());
    }

    /** The names of the loop threads, by loop index ({@code torque-cpuN}). */
    public List<String> loopThreadNames() {
        return loops.stream().map(l -> l.thread().getName()).toList();
    }

    /**
     * Listens on {@code address} with the default options; each accepted connection gets the
     * handler {@code handlers} makes for it, on the loop chosen for it.
     *
     * @throws IllegalArgumentException if the address is unresolved
     * @throws UncheckedIOException wrapping a {@link java.net.BindException} when the port is in
     *     use or the address not local
     * @throws IllegalStateException if the context is closed
     */
    public Listener listen(InetSocketAddress address, Function<Connection, ConnectionHandler> handlers) {
        return listen(address, ListenOptions.DEFAULT, handlers);
    }

    /** Listens with explicit options; see {@link #listen(InetSocketAddress, Function)}. */
    public Listener listen(InetSocketAddress address, ListenOptions options, Function<Connection, ConnectionHandler> handlers) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlers, "handlers");
        checkOpen();
        try {
            Loop caller = callerLoop();
            return TcpListener.open(address, options, caller != null ? caller : placeListener(), registry, handlers);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Connects to {@code address} without blocking; the future completes with the connection once
     * it is open (after {@code handler.onOpen}), or fails when refused or past {@code timeout}.
     *
     * @param timeout the connect timeout; zero for none
     */
    public CompletableFuture<Connection> connect(InetSocketAddress address, ConnectionHandler handler, Duration timeout) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        requireNonNegative(timeout, "timeout");
        checkOpen();
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address.getHostString());
        }
        return Connector.connect(address, handler, timeout.toNanos(), registry.placeConnection(), registry);
    }

    /**
     * Runs {@code callback} after {@code delay}, then every {@code period} (zero or null: once),
     * on a loop's clock, at a fixed rate (no accumulated drift).
     *
     * @throws IllegalArgumentException if delay or period is negative
     */
    public Timer timer(Duration delay, Duration period, Consumer<Timer> callback) {
        requireNonNegative(delay, "delay");
        Duration p = period == null ? Duration.ZERO : period;
        requireNonNegative(p, "period");
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        Loop loop = registry.place();
        Object[] self = new Object[1];
        LoopTimer t = LoopTimer.schedule(loop, delay.toNanos(), p.toNanos(), callback, () -> registry.forget(self[0]));
        self[0] = t;
        if (!t.isCancelled()) {
            registry.remember(t);
        }
        return t;
    }

    /**
     * Runs {@code callback} on a loop each time the process receives signal {@code name}
     * ({@code HUP}, {@code USR1}, {@code USR2}, {@code WINCH}, ...; {@code SIG} prefix optional).
     * Replaces the JVM's handler until the registration is cancelled or the context closes.
     *
     * @throws IllegalArgumentException for unknown signals, and for those no process can catch
     *     (KILL, STOP) or the JVM owns (SEGV, BUS, FPE, ILL, QUIT, TRAP, ABRT)
     * @throws IllegalStateException if this context already handles that signal
     */
    public SignalRegistration signal(String name, Consumer<SignalRegistration> callback) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        String n = SignalBridge.normalize(name);
        if (!signals.add(n)) {
            throw new IllegalStateException("SIG" + n + " already has a callback in this context");
        }
        try {
            Object[] self = new Object[1];
            SignalBridge b = SignalBridge.install(n, registry.place(), callback, () -> {
                signals.remove(n);
                registry.forget(self[0]);
            });
            self[0] = b;
            registry.remember(b);
            return b;
        } catch (RuntimeException e) {
            signals.remove(n);
            throw e;
        }
    }

    /**
     * Watches a raw file descriptor (pipe, eventfd, socket, any pollable fd) for readiness; the
     * context owns it from then on and closes it on {@link FdSource#close()} or context close.
     *
     * @throws IllegalArgumentException if the fd is negative, not open, not pollable (a regular
     *     file: epoll says EPERM) or already registered here
     */
    public FdSource register(int fd, boolean readable, boolean writable, FdHandler handler) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative file descriptor: " + fd);
        }
        if (!readable && !writable) {
            throw new IllegalArgumentException("watch the fd for readable, writable or both");
        }
        Objects.requireNonNull(handler, "handler");
        checkOpen();
        if (!registry.fds.add(fd)) {
            throw new IllegalArgumentException("fd " + fd + " is already registered with this context");
        }
        Object[] self = new Object[1];
        Loop caller = callerLoop(); // placement runs (and counts) only when the caller is no loop
        Loop home = caller != null ? caller : registry.place();
        CompletableFuture<FdSource> f = FdRegistration.register(fd, readable, writable, home, handler,
                () -> {
                    registry.fds.remove(fd);
                    registry.forget(self[0]);
                });
        try {
            FdSource s = f.get(30, TimeUnit.SECONDS);
            self[0] = s;
            registry.remember(s);
            return s;
        } catch (ExecutionException e) {
            registry.fds.remove(fd);
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            registry.fds.remove(fd);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("registration of fd " + fd + " did not complete", e);
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes everything: stops accepting, closes every connection, timer, signal and fd source
     * (each close callback runs once, on its loop), and joins every loop thread. Idempotent; may
     * be called from any thread, also from a callback (then it does not wait for the joins).
     */
    @Override
    public void close() {
        if (closed) {
            if (loops.stream().noneMatch(Loop::inLoop)) {
                awaitQuietly();
            }
            return;
        }
        closed = true;
        registry.closing = true;
        for (Object source : registry.sources.keySet()) {
            if (!(source instanceof Connection) && source instanceof AutoCloseable c) {
                closeQuietly(c); // listeners and fd sources: stop new work first
            } else if (source instanceof Timer t) {
                t.cancel();
            } else if (source instanceof SignalRegistration s) {
                s.cancel();
            }
        }
        for (Loop l : loops) {
            l.close(); // closes the connections still registered, on their loops
        }
        if (loops.stream().anyMatch(Loop::inLoop)) {
            Thread waiter = new Thread(this::awaitQuietly, "torque-close");
            waiter.start();
            return;
        }
        awaitQuietly();
    }

    private void checkNotInLoop(String what) {
        for (Loop l : loops) {
            if (l.inLoop()) {
                throw new IllegalStateException(what + " called from loop " + l.index()
                        + "'s thread (a callback) would wait for that loop itself; call it from another thread");
            }
        }
    }

    private void awaitQuietly() {
        try {
            awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Blocks until {@link #close()} has closed every source and every loop thread has ended. Any
     * thread but a loop's own.
     *
     * @throws IllegalStateException if called from a callback (a loop would wait for itself)
     */
    public void awaitTermination() throws InterruptedException {
        if (terminated.getCount() == 0) {
            return;
        }
        checkNotInLoop("awaitTermination");
        while (!closed) {
            if (terminated.await(100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        for (Loop l : loops) {
            while (!l.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "loop {0} has not ended after 10 s", l);
            }
        }
        terminated.countDown();
    }

    /**
     * Waits up to {@code timeout} for termination; true if terminated. Any thread but a loop's own.
     *
     * @throws IllegalArgumentException if the timeout is negative
     * @throws IllegalStateException if called from a callback (a loop would wait for itself)
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        requireNonNegative(timeout, "timeout");
        if (terminated.getCount() == 0) {
            return true;
        }
        checkNotInLoop("awaitTermination");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (terminated.await(10, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        for (Loop l : loops) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !l.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        terminated.countDown();
        return true;
    }

    /**
     * The Pareto placement: undominated on (homed sources, outstanding events, homed sources of
     * the loop's package), then one at random. Any thread: arrays are per call (placement is per
     * new source, not per event), the PRNG is the caller's thread-local one.
     */
    private int paretoPlace() {
        int n = loops.size();
        long[] homed = new long[n];
        // The frontier's "since" criterion is higher-better: pass outstanding negated to fit it.
        long[] negOutstanding = new long[n];
        long[] perPackage = new long[n];
        for (int i = 0; i < n; i++) {
            homed[i] = board.get(i, Scoreboard.HOMED);
            negOutstanding[i] = -board.get(i, Scoreboard.OUTSTANDING);
            if (packageOf[i] >= 0) {
                perPackage[packageOf[i]] += homed[i];
            }
        }
        int[] packageLoad = new int[n];
        for (int i = 0; i < n; i++) {
            packageLoad[i] = packageOf[i] >= 0 ? (int) Math.min(Integer.MAX_VALUE, perPackage[packageOf[i]]) : 0;
        }
        int[] front = new int[n];
        int size = ParetoFrontier.frontier(n, homed, negOutstanding, packageLoad, front);
        return front[java.util.concurrent.ThreadLocalRandom.current().nextInt(size)];
    }

    /**
     * The loop whose thread calls, or null: a source registered from a callback lives on the
     * caller's loop, so registration completes inline instead of waiting for another loop (two
     * loops doing that to each other would wait for each other).
     */
    private Loop callerLoop() {
        for (Loop l : loops) {
            if (l.inLoop()) {
                return l;
            }
        }
        return null;
    }

    private Loop placeListener() {
        return loops.get(0);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the torque context is closed");
        }
    }

    private static void requireNonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + c, e);
        }
    }

    /** The context's side of its sources. */
    private final class Registry implements SourceRegistry {
        final ConcurrentHashMap<Object, Boolean> sources = new ConcurrentHashMap<>();
        final Set<Integer> fds = ConcurrentHashMap.newKeySet();
        final ConnectionSettings settings;
        volatile boolean closing;

        Registry(ConnectionSettings settings) {
            this.settings = settings;
        }

        @Override
        public boolean opened(AutoCloseable source) {
            if (closing) {
                return false;
            }
            sources.put(source, Boolean.TRUE);
            return true;
        }

        @Override
        public void closed(AutoCloseable source) {
            sources.remove(source);
        }

        void remember(Object source) {
            sources.put(source, Boolean.TRUE);
        }

        void forget(Object source) {
            if (source != null) {
                sources.remove(source);
            }
        }

        @Override
        public Loop placeConnection() {
            Loop l = place();
            // Counted now, not when the loop registers it: back-to-back accepts must see it.
            board.add(l.index(), Scoreboard.HOMED, 1);
            return l;
        }

        /** A loop for a timer, signal or fd (not counted as homed: they carry no traffic). */
        Loop place() {
            if (placement == Placement.ROUND_ROBIN || loops.size() == 1) {
                return loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
            }
            return loops.get(paretoPlace());
        }

        @Override
        public void homed(Loop loop, int delta) {
            board.add(loop.index(), Scoreboard.HOMED, delta);
        }

        @Override
        public ConnectionSettings settings() {
            return settings;
        }
    }

    /** Configures a {@link Torque}. Not threadsafe. */
    public static final class Builder {
        private Topology topology;
        private CpuSet cpus;
        private int loopCount;
        private ErrorHandler errors = ErrorHandler.logging();
        private ConnectionSettings settings = ConnectionSettings.DEFAULT;
        private long spinNanos = TimeUnit.MICROSECONDS.toNanos(50);
        private boolean pin = true;
        private DispatchPolicy policy = DispatchPolicy.PARETO;
        private Placement placement = Placement.PARETO;

        private Builder() {
        }

        /**
         * The topology to lay loops out on (default {@link Topology#detect()}). A topology that is
         * not this machine's (read from a snapshot, hand-built) runs its loops unpinned.
         */
        public Builder topology(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /** One loop per CPU of {@code cpus} (default: every usable CPU). */
        public Builder cpus(CpuSet cpus) {
            Objects.requireNonNull(cpus, "cpus");
            if (cpus.isEmpty()) {
                throw new IllegalArgumentException("cpus must not be empty");
            }
            this.cpus = cpus;
            return this;
        }

        /** The first {@code n} usable CPUs get a loop each. */
        public Builder loopCount(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("loopCount must be at least 1: " + n);
            }
            this.loopCount = n;
            return this;
        }

        /** Where callback failures go (default: a WARNING through System.Logger). */
        public Builder errorHandler(ErrorHandler errors) {
            this.errors = Objects.requireNonNull(errors, "errors");
            return this;
        }

        /** Read buffer maximum and write water marks of every connection. */
        public Builder connectionSettings(ConnectionSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** How long an idle loop spins before it blocks in epoll_wait (default 50 µs; 0: never). */
        public Builder spin(Duration spin) {
            requireNonNegative(spin, "spin");
            this.spinNanos = spin.toNanos();
            return this;
        }

        /** How loops share ready work (default {@link DispatchPolicy#PARETO}). */
        public Builder dispatch(DispatchPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Where new sources are homed (default {@link Placement#PARETO}). */
        public Builder placement(Placement placement) {
            this.placement = Objects.requireNonNull(placement, "placement");
            return this;
        }

        /** Whether loops pin their threads to their CPUs (default true; only on this machine). */
        public Builder pin(boolean pin) {
            this.pin = pin;
            return this;
        }

        /**
         * Starts the loops.
         *
         * @throws IllegalStateException if native epoll is unavailable (not Linux, the
         *     netty-transport-native-epoll jar missing), saying why; or a loop failed to start
         * @throws IllegalArgumentException if the CPUs asked for are not usable in the topology
         */
        public Torque build() {
            EpollSupport.ensureAvailable();
            Topology t = topology != null ? topology : Topology.detect();
            CpuSet chosen = cpus != null ? cpus : t.usableCpus();
            if (!t.usableCpus().containsAll(chosen)) {
                throw new IllegalArgumentException("CPUs " + chosen.andNot(t.usableCpus()) + " are not usable (usable: "
                        + t.usableCpus() + ")");
            }
            if (loopCount > 0) {
                if (loopCount > chosen.size()) {
                    throw new IllegalArgumentException("loopCount " + loopCount + " exceeds the " + chosen.size()
                            + " CPUs available (" + chosen + ")");
                }
                CpuSet.Builder first = CpuSet.builder();
                int[] all = chosen.toArray();
                for (int i = 0; i < loopCount; i++) {
                    first.add(all[i]);
                }
                chosen = first.build();
            }
            return new Torque(this, t, chosen);
        }
    }
}
