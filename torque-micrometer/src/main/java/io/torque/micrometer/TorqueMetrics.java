package io.torque.micrometer;

import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.torque.core.Torque;
import io.torque.core.dispatch.LoopStats;

/**
 * Binds a torque context's per-loop counters ({@link Torque#stats()}) to a Micrometer registry,
 * as Micrometer's Netty binders do for Netty's allocators and event loops. Every meter is tagged
 * {@code loop} (its index) and {@code cpu}; counters are function counters and gauges read the
 * snapshot when the registry is scraped, so the loops pay nothing when nobody reads.
 *
 * <pre>{@code
 * new TorqueMetrics(torque).bindTo(registry);
 * }</pre>
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>kind</th><th>what</th></tr>
 * <tr><td>torque.bytes.read, torque.bytes.written</td><td>counter</td><td>bytes read from and written to sockets</td></tr>
 * <tr><td>torque.connections.accepted, torque.connections.opened</td><td>counter</td><td>accepted by its listeners; opened (onOpen ran)</td></tr>
 * <tr><td>torque.connections.closed (tag {@code cause}: graceful, reset, timeout, aborted, failed)</td><td>counter</td><td>onClose ran, by cause</td></tr>
 * <tr><td>torque.events.handled, torque.events.handed.out, torque.events.received</td><td>counter</td><td>the dispatcher's work</td></tr>
 * <tr><td>torque.rounds, torque.idle.wakes</td><td>counter</td><td>epoll rounds; wake-ups from a blocking wait</td></tr>
 * <tr><td>torque.busy</td><td>counter (seconds)</td><td>time in passes that did work: its rate is the loop's utilization</td></tr>
 * <tr><td>torque.handoffs (tag {@code distance}: 0 to 7)</td><td>counter</td><td>sources given or taken, by topological distance</td></tr>
 * <tr><td>torque.events.outstanding, torque.sources.homed</td><td>gauge</td><td>queued there now; sources homed there</td></tr>
 * </table>
 */
public final class TorqueMetrics implements MeterBinder {
    /** How old a shared snapshot may be: well within one scrape, far below any scrape interval. */
    private static final long SNAPSHOT_NANOS = 100_000_000L;

    private final Torque torque;
    private final Tags extraTags;
    /** The snapshot the meters of one scrape share. */
    private volatile Snapshot last;

    private record Snapshot(long takenAt, List<LoopStats> stats) {
    }

    /**
     * Meters for {@code torque}'s loops.
     *
     * @param torque the context
     */
    public TorqueMetrics(Torque torque) {
        this(torque, Tags.empty());
    }

    /**
     * Meters for {@code torque}'s loops, with {@code tags} added to each (a context name, say).
     *
     * @param torque the context
     * @param tags tags for every meter
     */
    public TorqueMetrics(Torque torque, Iterable<io.micrometer.core.instrument.Tag> tags) {
        this.torque = Objects.requireNonNull(torque, "torque");
        this.extraTags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        List<LoopStats> loops = torque.stats();
        for (LoopStats s : loops) {
            int loop = s.loop();
            Tags tags = extraTags.and("loop", Integer.toString(loop), "cpu", Integer.toString(s.cpu()));
            counter(registry, "torque.bytes.read", "bytes read from sockets", tags, loop, LoopStats::bytesRead);
            counter(registry, "torque.bytes.written", "bytes written to sockets", tags, loop, LoopStats::bytesWritten);
            counter(registry, "torque.connections.accepted", "connections accepted", tags, loop, LoopStats::accepted);
            counter(registry, "torque.connections.opened", "connections opened", tags, loop, LoopStats::opened);
            counter(registry, "torque.connections.closed", "connections closed", tags.and("cause", "graceful"), loop,
                    t -> t.closes().gracefully());
            counter(registry, "torque.connections.closed", "connections closed", tags.and("cause", "reset"), loop,
                    t -> t.closes().reset());
            counter(registry, "torque.connections.closed", "connections closed", tags.and("cause", "timeout"), loop,
                    t -> t.closes().timedOut());
            counter(registry, "torque.connections.closed", "connections closed", tags.and("cause", "aborted"), loop,
                    t -> t.closes().aborted());
            counter(registry, "torque.connections.closed", "connections closed", tags.and("cause", "failed"), loop,
                    t -> t.closes().failed());
            counter(registry, "torque.events.handled", "events handled", tags, loop, LoopStats::handled);
            counter(registry, "torque.events.handed.out", "events given to or taken by other loops", tags, loop,
                    LoopStats::handedOut);
            counter(registry, "torque.events.received", "events received from or taken from other loops", tags, loop,
                    LoopStats::received);
            counter(registry, "torque.rounds", "epoll rounds with ready sources", tags, loop, LoopStats::rounds);
            counter(registry, "torque.idle.wakes", "wake-ups from a blocking wait", tags, loop, LoopStats::idleWakes);
            counter(registry, "torque.connections.moved.in", "connections that moved their home here (STEAL_EPOLL)", tags, loop,
                    LoopStats::movedIn);
            FunctionCounter.builder("torque.busy", this, m -> m.stat(loop, LoopStats::busyNanos) / 1e9)
                    .description("time in passes that did work").baseUnit("seconds").tags(tags).register(registry);
            for (int d = 0; d < s.handOffsByDistance().size(); d++) {
                int distance = d;
                counter(registry, "torque.handoffs", "sources given or taken, by topological distance",
                        tags.and("distance", Integer.toString(d)), loop, t -> t.handOffsByDistance().get(distance));
            }
            Gauge.builder("torque.events.outstanding", this, m -> m.stat(loop, LoopStats::outstanding))
                    .description("events queued at the loop now").tags(tags).register(registry);
            Gauge.builder("torque.sources.homed", this, m -> m.stat(loop, LoopStats::homed))
                    .description("sources homed on the loop").tags(tags).register(registry);
        }
    }

    private void counter(MeterRegistry registry, String name, String description, Tags tags, int loop,
            ToDoubleFunction<LoopStats> f) {
        FunctionCounter.builder(name, this, m -> m.stat(loop, f)).description(description).tags(tags).register(registry);
    }

    /**
     * One loop's value. A scrape reads every meter in a row, so the meters share one snapshot
     * taken at most {@link #SNAPSHOT_NANOS} ago instead of each taking all loops' counters again
     * (with 64 loops, some 1 700 snapshots a scrape otherwise).
     */
    private double stat(int loop, ToDoubleFunction<LoopStats> f) {
        List<LoopStats> all = snapshot();
        return loop < all.size() ? f.applyAsDouble(all.get(loop)) : Double.NaN;
    }

    private List<LoopStats> snapshot() {
        Snapshot s = last;
        long now = System.nanoTime();
        if (s == null || now - s.takenAt() > SNAPSHOT_NANOS) {
            s = new Snapshot(now, torque.stats());
            last = s; // a race takes two snapshots, each whole: no harm
        }
        return s.stats();
    }
}
