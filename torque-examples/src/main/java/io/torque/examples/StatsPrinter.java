package io.torque.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.torque.core.Torque;
import io.torque.core.dispatch.LoopStats;

/**
 * {@code torque-echo --stats PERIOD}: one line per loop per period with what the loop did in it
 * (differences of {@link Torque#stats()} snapshots), so a busy or idle loop shows at a glance.
 */
final class StatsPrinter {
    private final Torque torque;
    private final long periodNanos;
    private final PrintStream out;
    private List<LoopStats> last;

    StatsPrinter(Torque torque, Duration period, PrintStream out) {
        this.torque = torque;
        this.periodNanos = period.toNanos();
        this.out = out;
        this.last = torque.stats();
    }

    /** A period such as {@code 1s}, {@code 500ms} or {@code 2m}; IllegalArgumentException otherwise. */
    static Duration period(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                throw new NumberFormatException();
            }
            if (d.toMillis() < 10) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--stats takes a period of at least 10ms such as 1s or 500ms, not '" + text + "'");
        }
    }

    /** Prints one line per loop for the period since the last call. */
    void print() {
        List<LoopStats> now = torque.stats();
        for (int i = 0; i < now.size(); i++) {
            LoopStats a = last.get(i);
            LoopStats b = now.get(i);
            out.printf(Locale.ROOT, "stats loop %d cpu %d: read %d B, wrote %d B, opened %d, closed %d, handled %d, "
                    + "handed out %d, received %d, moved in %d, busy %.0f%%, homed %d%n", b.loop(), b.cpu(), b.bytesRead() - a.bytesRead(),
                    b.bytesWritten() - a.bytesWritten(), b.opened() - a.opened(), b.closes().total() - a.closes().total(),
                    b.handled() - a.handled(), b.handedOut() - a.handedOut(), b.received() - a.received(),
                    b.movedIn() - a.movedIn(), 100.0 * (b.busyNanos() - a.busyNanos()) / periodNanos, b.homed());
        }
        out.flush();
        last = now;
    }
}
