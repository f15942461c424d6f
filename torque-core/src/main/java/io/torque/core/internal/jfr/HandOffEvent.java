package io.torque.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Sources moved between loops in one go: handed by a busy loop (PARETO) or taken by an idle one
 * (STEAL). Off unless a recording enables it (the {@code profile} settings do not know it: use
 * {@code jcmd PID JFR.start settings=... } with {@code io.torque.HandOff#enabled=true}, or
 * {@code Recording.enable("io.torque.HandOff")}).
 */
@Name("io.torque.HandOff")
@Label("Hand-off")
@Category({"torque", "Dispatch"})
@Description("Sources moved from one loop to another for a turn")
@StackTrace(false)
@Enabled(false)
public final class HandOffEvent extends Event {
    @Label("From loop")
    int fromLoop;

    @Label("To loop")
    int toLoop;

    @Label("Sources")
    int sources;

    @Label("Topological distance")
    int distance;

    @Label("Policy")
    String policy;

    /** Records one hand-off (call only when {@link EventTypes#handOffWanted()}). */
    public static void emit(int from, int to, int sources, int distance, String policy) {
        HandOffEvent e = new HandOffEvent();
        e.fromLoop = from;
        e.toLoop = to;
        e.sources = sources;
        e.distance = distance;
        e.policy = policy;
        e.commit();
    }
}
