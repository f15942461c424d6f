package io.torque.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.torque.core.dispatch.DispatchPolicy;
import io.torque.core.dispatch.LoopStats;
import io.torque.core.dispatch.Placement;
import io.torque.core.internal.dispatch.ParetoFrontier;
import io.torque.core.internal.dispatch.Scoreboard;
import io.torque.core.internal.loop.Loop;
import io.torque.core.internal.loop.LoopConfig;
import io.torque.topology.CpuSet;
import io.torque.topology.Topology;

/**
 * A context's loops: starting them (all or none), what each knows of the others, the placement
 * of new sources, their counters, and stopping them. Any thread, but for construction.
 */
final class LoopGroup {
    private static final System.Logger LOG = System.getLogger(LoopGroup.class.getName());

    private final List<Loop> loops;
    private final Scoreboard board;
    private final Placement placement;
    private final DispatchPolicy policy;
    /** Per loop: the index of its package among the loops' packages (-1: none), for placement. */
    private final int[] packageOf;
    private final AtomicInteger nextLoop = new AtomicInteger();

    private LoopGroup(List<Loop> loops, Topology topology, Placement placement, DispatchPolicy policy) {
        this.loops = loops;
        this.board = new Scoreboard(loops.size());
        this.placement = placement;
        this.policy = policy;
        this.packageOf = new int[loops.size()];
        Loop[] all = loops.toArray(new Loop[0]);
        List<CpuSet> packages = new ArrayList<>(); // the loops' packages only: at most one per loop
        for (Loop l : loops) {
            int[] distance = new int[all.length];
            for (Loop other : loops) {
                distance[other.index()] = topology.levels().distance(l.cpu(), other.cpu());
            }
            CpuSet pkg = topology.packageOf(l.cpu()).map(p -> p.cpus()).orElse(null);
            if (pkg != null && !packages.contains(pkg)) {
                packages.add(pkg);
            }
            packageOf[l.index()] = pkg == null ? -1 : packages.indexOf(pkg);
            l.dispatch(new Loop.Dispatch(all, distance, board, policy));
        }
    }

    /**
     * Starts one loop per CPU and waits until all run; if one fails, stops those started.
     *
     * @param allowed the CPUs the context may use, where a contended loop may yield its pin
     *
     * @throws IllegalStateException if a loop failed to start, or the caller was interrupted
     */
    static LoopGroup start(Topology topology, CpuSet cpus, CpuSet allowed, LoopConfig config, Placement placement,
            DispatchPolicy policy) {
        List<Loop> started = new ArrayList<>();
        int index = 0;
        try {
            for (int cpu : cpus.toArray()) {
                started.add(new Loop(index++, cpu, wideSet(topology, cpu, allowed), config, "torque-cpu" + cpu));
            }
            for (Loop l : started) {
                l.awaitStarted();
            }
        } catch (InterruptedException | RuntimeException e) {
            stop(started);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting loops", e);
            }
            throw (RuntimeException) e;
        }
        return new LoopGroup(List.copyOf(started), topology, placement, policy);
    }

    /**
     * Where a loop on {@code cpu} may run while its CPU is contended: the allowed CPUs on its NUMA
     * node (memory it touched stays local), or all allowed CPUs where the node has no other.
     */
    static CpuSet wideSet(Topology topology, int cpu, CpuSet allowed) {
        CpuSet node = topology.nodeOf(cpu).map(n -> n.cpus().and(allowed)).orElse(CpuSet.EMPTY);
        CpuSet wide = node.size() > 1 ? node : allowed;
        return wide.contains(cpu) ? wide : CpuSet.of(cpu);
    }

    private static void stop(List<Loop> loops) {
        for (Loop l : loops) {
            l.close();
        }
        for (Loop l : loops) {
            try {
                l.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    List<Loop> loops() {
        return loops;
    }

    DispatchPolicy policy() {
        return policy;
    }

    Placement placement() {
        return placement;
    }

    /** The loop whose thread calls, or null. */
    Loop callerLoop() {
        for (Loop l : loops) {
            if (l.inLoop()) {
                return l;
            }
        }
        return null;
    }

    /** A loop for a timer, signal, fd or listener (not counted as homed: they carry no traffic). */
    Loop place() {
        return place(loops);
    }

    /** A loop among {@code among} (all of this group's) for a timer, signal, fd or listener. */
    Loop place(List<Loop> among) {
        return place(among, nextLoop);
    }

    /** As {@link #place(List)}; ROUND_ROBIN takes turns by {@code cursor} (a listener's own, for its subset). */
    private Loop place(List<Loop> among, AtomicInteger cursor) {
        if (placement == Placement.ROUND_ROBIN || among.size() == 1) {
            return among.get(Math.floorMod(cursor.getAndIncrement(), among.size()));
        }
        return loops.get(paretoPlace(among));
    }

    /** A loop for a new connection, counted there as homed at once: back-to-back accepts must see it. */
    Loop placeConnection() {
        return placeConnection(loops, nextLoop);
    }

    /**
     * As {@link #placeConnection()}, among {@code among} only (a listener's NIC-local loops).
     *
     * @param cursor the round-robin position of whoever places among this subset
     */
    Loop placeConnection(List<Loop> among, AtomicInteger cursor) {
        Loop l = place(among, cursor);
        board.add(l.index(), Scoreboard.HOMED, 1);
        return l;
    }

    void homed(Loop loop, int delta) {
        board.add(loop.index(), Scoreboard.HOMED, delta);
    }

    /**
     * The Pareto placement: undominated on (homed sources, outstanding events, homed sources of
     * the loop's package), then one at random. Arrays are per call (placement is per new source,
     * not per event); the PRNG is the caller's thread-local one.
     */
    private int paretoPlace(List<Loop> among) {
        int n = among.size();
        long[] homed = new long[n];
        // The frontier's "since" criterion is higher-better: pass outstanding negated to fit it.
        long[] negOutstanding = new long[n];
        long[] perPackage = new long[loops.size()]; // packageOf indexes the loops' packages: fewer than loops
        for (int i = 0; i < loops.size(); i++) {
            int loop = loops.get(i).index();
            if (packageOf[loop] >= 0) {
                perPackage[packageOf[loop]] += board.get(loop, Scoreboard.HOMED);
            }
        }
        int[] packageLoad = new int[n];
        for (int i = 0; i < n; i++) {
            int loop = among.get(i).index();
            homed[i] = board.get(loop, Scoreboard.HOMED);
            negOutstanding[i] = -board.get(loop, Scoreboard.OUTSTANDING);
            packageLoad[i] = packageOf[loop] >= 0 ? (int) Math.min(Integer.MAX_VALUE, perPackage[packageOf[loop]]) : 0;
        }
        int[] front = new int[n];
        int size = ParetoFrontier.frontier(n, homed, negOutstanding, packageLoad, front);
        return among.get(front[ThreadLocalRandom.current().nextInt(size)]).index();
    }

    List<LoopStats> stats() {
        List<LoopStats> out = new ArrayList<>();
        for (Loop l : loops) {
            int i = l.index();
            io.torque.core.internal.loop.LoopCounters k = l.counters();
            // closes before opens and accepts: a snapshot never shows more closed than opened
            LoopStats.Closes closes = new LoopStats.Closes(k.closedGracefully(), k.closedByReset(), k.closedByTimeout(),
                    k.closedAborted(), k.closedByError());
            long opened = k.openedCount();
            long accepted = k.acceptedCount();
            out.add(new LoopStats(i, l.cpu(), board.get(i, Scoreboard.HANDLED),
                    board.get(i, Scoreboard.HANDED_OUT) + board.get(i, Scoreboard.TAKEN_READY),
                    board.get(i, Scoreboard.RECEIVED), board.get(i, Scoreboard.ROUNDS), board.get(i, Scoreboard.IDLE_WAKES),
                    board.get(i, Scoreboard.OUTSTANDING), board.get(i, Scoreboard.HOMED), k.bytesRead(), k.bytesWritten(),
                    accepted, opened, closes,
                    k.busyNanos(), java.util.Arrays.stream(k.handOffsByDistance()).boxed().toList(), k.movedInCount()));
        }
        return out;
    }

    /**
     * Shuts every loop down and waits for their threads (warning every 10 s a loop has not
     * ended). Not interruptible: what follows (finishing sources on the closing thread) is only
     * safe once no loop runs; an interrupt is kept for the caller.
     */
    void stopAndJoin() {
        for (Loop l : loops) {
            l.close();
        }
        boolean interrupted = false;
        for (Loop l : loops) {
            while (true) {
                try {
                    if (l.awaitTermination(10, TimeUnit.SECONDS)) {
                        break;
                    }
                    LOG.log(System.Logger.Level.WARNING, "loop {0} has not ended after 10 s", l);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        for (Loop l : loops) {
            l.closeStealSet(); // every loop has ended: no thief polls them any more
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
