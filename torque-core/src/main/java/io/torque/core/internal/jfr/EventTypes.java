package io.torque.core.internal.jfr;

import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/** Registers torque's event classes once; where JFR is unavailable the events stay off. */
final class EventTypes {
    private EventTypes() {
    }

    static EventType of(Class<? extends Event> type) {
        try {
            FlightRecorder.register(type);
            return EventType.getEventType(type);
        } catch (Throwable t) { // no JFR in this runtime (or disabled): never wanted
            return null;
        }
    }
}
