package io.torque.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * One turn of a connection (its callbacks and socket work as owner) that took longer than the
 * threshold (1 ms unless the recording says otherwise): where a loop's time goes. Off unless a
 * recording enables {@code io.torque.SlowTurn}.
 */
@Name("io.torque.SlowTurn")
@Label("Slow turn")
@Category({"torque", "Connections"})
@Description("A connection's turn on a loop that took longer than the threshold")
@Threshold("1 ms")
@StackTrace(false)
@Enabled(false)
public final class SlowTurnEvent extends Event {
    @Label("Loop")
    int loop;

    @Label("Connection")
    String connection;

    /** Completes a timed turn: committed only past the threshold (the description built only then). */
    public void finish(int loopIndex, Object source) {
        end();
        if (shouldCommit()) {
            loop = loopIndex;
            connection = String.valueOf(source);
            commit();
        }
    }
}
