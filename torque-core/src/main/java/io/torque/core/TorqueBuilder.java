package io.torque.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.Placement;
import io.torque.core.internal.loop.LoopConfig;
import io.torque.core.net.ConnectionSettings;
import io.torque.topology.CpuSet;
import io.torque.topology.Topology;

/**
 * Configures a {@link Torque}; {@link Torque#builder()} makes one. Not threadsafe: one thread
 * builds.
 *
 * <p>Loops: by default there are {@link Topology#advisoryLoopCount()} of them (one per usable
 * CPU, or the container's CPU quota rounded up when a cgroup sets one: more busy threads than
 * the quota only get throttled), pinned to the least-shared usable CPUs: each next one as far
 * as possible, topologically, from those already chosen, so a quota of 4 on a two-package SMT
 * machine gets four different cores spread over both packages before any SMT sibling.
 * {@link #loopCount} overrides the count, {@link #cpus} the candidates.
 */
public final class TorqueBuilder {
    private Topology topology;
    private CpuSet cpus;
    private int loopCount;
    private ErrorHandler errors = ErrorHandler.logging();
    private ConnectionSettings settings = ConnectionSettings.DEFAULT;
    private LoopBudgets budgets = LoopBudgets.DEFAULT;
    private long spinNanos = TimeUnit.MICROSECONDS.toNanos(50);
    private long drainTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
    private boolean pin = true;
    private DispatchPolicy policy = DispatchPolicy.PARETO;
    private Placement placement = Placement.PARETO;

    TorqueBuilder() {
    }

    /**
     * The topology to lay loops out on (default {@link Topology#detect()}). A topology that is
     * not this machine's (read from a snapshot, hand-built) runs its loops unpinned.
     *
     * @param topology the machine
     * @return this builder
     * @throws NullPointerException if topology is null
     */
    public TorqueBuilder topology(Topology topology) {
        this.topology = Objects.requireNonNull(topology, "topology");
        return this;
    }

    /**
     * The CPUs loops may run on (default: every usable CPU): one loop per CPU listed, or, with
     * {@link #loopCount}, that many of them, least-shared first.
     *
     * @param cpus usable CPUs of the topology
     * @return this builder
     * @throws IllegalArgumentException if the set is empty
     * @throws NullPointerException if cpus is null
     */
    public TorqueBuilder cpus(CpuSet cpus) {
        Objects.requireNonNull(cpus, "cpus");
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("cpus must not be empty");
        }
        this.cpus = cpus;
        return this;
    }

    /**
     * How many loops (default: the advisory count, see the class comment), on the least-shared
     * of the candidate CPUs.
     *
     * @param n at least 1, at most the number of candidate CPUs
     * @return this builder
     * @throws IllegalArgumentException if n is below 1
     */
    public TorqueBuilder loopCount(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("loopCount must be at least 1: " + n);
        }
        this.loopCount = n;
        return this;
    }

    /**
     * Where callback failures go (default: a WARNING through System.Logger).
     *
     * @param errors the handler
     * @return this builder
     * @throws NullPointerException if errors is null
     */
    public TorqueBuilder errorHandler(ErrorHandler errors) {
        this.errors = Objects.requireNonNull(errors, "errors");
        return this;
    }

    /**
     * Read buffer maximum, write water marks, idle and linger timeouts of every connection
     * (a listener may set its own).
     *
     * @param settings the settings
     * @return this builder
     * @throws NullPointerException if settings is null
     */
    public TorqueBuilder connectionSettings(ConnectionSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * How much one source may do per turn before the loop serves the others (default
     * {@link LoopBudgets#DEFAULT}).
     *
     * @param budgets the budgets
     * @return this builder
     * @throws NullPointerException if budgets is null
     */
    public TorqueBuilder budgets(LoopBudgets budgets) {
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        return this;
    }

    /**
     * How long {@link Torque#close()} lets connections send what they have queued and close
     * gracefully before it aborts the rest (default 10 s).
     *
     * @param timeout the drain timeout, zero to abort at once
     * @return this builder
     * @throws IllegalArgumentException if the timeout is negative
     * @throws NullPointerException if timeout is null
     */
    public TorqueBuilder drainTimeout(Duration timeout) {
        Torque.requireNonNegative(timeout, "drainTimeout");
        this.drainTimeoutNanos = timeout.toNanos();
        return this;
    }

    /**
     * How long an idle loop spins before it blocks in epoll_wait (default 50 µs; 0: never).
     *
     * @param spin the spin budget
     * @return this builder
     * @throws IllegalArgumentException if spin is negative
     * @throws NullPointerException if spin is null
     */
    public TorqueBuilder spin(Duration spin) {
        Torque.requireNonNegative(spin, "spin");
        this.spinNanos = spin.toNanos();
        return this;
    }

    /**
     * How loops share ready work (default {@link DispatchPolicy#PARETO}; {@link DispatchPolicy#STEAL},
     * {@link DispatchPolicy#STEAL_POLL} and {@link DispatchPolicy#STEAL_EPOLL} are the candidates the scale
     * simulator picks, docs/scale.md).
     *
     * @param policy the policy
     * @return this builder
     * @throws NullPointerException if policy is null
     */
    public TorqueBuilder dispatch(DispatchPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Where new sources are homed (default {@link Placement#PARETO}).
     *
     * @param placement the placement
     * @return this builder
     * @throws NullPointerException if placement is null
     */
    public TorqueBuilder placement(Placement placement) {
        this.placement = Objects.requireNonNull(placement, "placement");
        return this;
    }

    /**
     * Whether loops pin their threads to their CPUs (default true; only ever on this machine).
     *
     * <p>A pinned loop whose thread keeps waiting for its CPU (something else runs there: a load
     * generator, another service) yields its pin for a while and runs on the context's CPUs of
     * its NUMA node, then pins itself again; a machine that stays shared makes it try less and
     * less often (every 64 s at most). See docs/api.md.
     *
     * @param pin whether to pin
     * @return this builder
     */
    public TorqueBuilder pin(boolean pin) {
        this.pin = pin;
        return this;
    }

    /**
     * Starts the loops.
     *
     * @return the running context
     * @throws IllegalStateException if native epoll is unavailable (a platform other than Linux
     *     on x86_64 or aarch64, or the netty-transport-native-epoll jar missing), saying why; or
     *     a loop failed to start
     * @throws IllegalArgumentException if the CPUs asked for are not usable in the topology, or
     *     fewer than the loop count
     */
    public Torque build() {
        io.torque.core.internal.jfr.EventTypes.listen(); // JFR events: registered when a recording starts
        EpollSupport.ensureAvailable();
        Topology t = topology != null ? topology : Topology.detect();
        CpuSet candidates = cpus != null ? cpus : t.usableCpus();
        if (!t.usableCpus().containsAll(candidates)) {
            throw new IllegalArgumentException("CPUs " + candidates.andNot(t.usableCpus()) + " are not usable (usable: "
                    + t.usableCpus() + ")");
        }
        int n = loopCount > 0 ? loopCount : cpus != null ? candidates.size() : t.advisoryLoopCount();
        if (n > candidates.size()) {
            throw new IllegalArgumentException("loopCount " + n + " exceeds the " + candidates.size()
                    + " CPUs available (" + candidates + ")");
        }
        CpuSet chosen = LeastShared.choose(t, candidates, n);
        LoopConfig config = new LoopConfig(pin && t.isThisSystem(), spinNanos, true, errors, budgets);
        return new Torque(t, LoopGroup.start(t, chosen, candidates, config, placement, policy), settings, drainTimeoutNanos);
    }
}
