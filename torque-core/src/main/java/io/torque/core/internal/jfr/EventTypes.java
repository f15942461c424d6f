package io.torque.core.internal.jfr;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Registers torque's events with Flight Recorder when it starts, and only then: registering an
 * event class initialises JFR (3.7 MB allocated and 66 ms on this VM), which a process that never
 * records should not pay, least of all on a loop thread at its first turn. {@link #listen()} runs
 * once when a context is built (about 0.1 MB and 4 ms); the events stay off (one volatile read
 * per check) until a recording starts, in this process or through {@code jcmd JFR.start}.
 */
public final class EventTypes {
    static volatile EventType handOff;
    static volatile EventType slowTurn;
    private static boolean listening;

    private EventTypes() {
    }

    /**
     * Whether a recording wants hand-off events now: one volatile read while none does. Here and
     * not on the event class, so the event classes (which JFR instruments as they load) load only
     * once Flight Recorder runs.
     */
    public static boolean handOffWanted() {
        EventType type = handOff;
        return type != null && type.isEnabled();
    }

    /** Whether a recording wants slow-turn events now (see {@link #handOffWanted()}). */
    public static boolean slowTurnWanted() {
        EventType type = slowTurn;
        return type != null && type.isEnabled();
    }

    /** Once per process, off the loops: register the events when Flight Recorder initialises (now, if it has). */
    public static synchronized void listen() {
        if (listening) {
            return;
        }
        listening = true;
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    register();
                }
            });
        } catch (Throwable t) {
            // no JFR in this runtime: the events are never wanted
        }
    }

    private static void register() {
        try {
            FlightRecorder.register(HandOffEvent.class);
            FlightRecorder.register(SlowTurnEvent.class);
            handOff = EventType.getEventType(HandOffEvent.class);
            slowTurn = EventType.getEventType(SlowTurnEvent.class);
        } catch (Throwable t) {
            // JFR refused them: they stay off
        }
    }
}
