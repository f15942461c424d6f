package io.torque.core.internal.signal;

import io.torque.core.signal.SignalRegistration;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import io.torque.core.internal.loop.Loop;

/**
 * Bridges the JVM's signal handling ({@code sun.misc.Signal}, module {@code jdk.unsupported})
 * into a loop: the JVM's signal thread only hands the callback to the loop, where it runs like
 * any other callback. Internal API.
 */
@SuppressWarnings("removal")
public final class SignalBridge implements SignalRegistration {
    /** Signals no process can catch. */
    private static final Set<String> UNCATCHABLE = Set.of("KILL", "STOP");
    /** Signals the JVM needs for itself: crash handling, thread dumps, safepoints. */
    private static final Set<String> JVM_OWNED = Set.of("SEGV", "BUS", "FPE", "ILL", "QUIT", "TRAP", "ABRT");

    private final String name;
    private final sun.misc.Signal signal;
    private final sun.misc.SignalHandler previous;
    private final Runnable onCancel;
    private volatile boolean cancelled;

    private SignalBridge(String name, sun.misc.Signal signal, sun.misc.SignalHandler previous, Runnable onCancel) {
        this.name = name;
        this.signal = signal;
        this.previous = previous;
        this.onCancel = onCancel;
    }

    /** {@code HUP}, {@code SIGHUP} or {@code hup} → {@code HUP}. */
    public static String normalize(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        return n.startsWith("SIG") ? n.substring(3) : n;
    }

    /**
     * Installs a handler for {@code name} that runs {@code callback} on {@code loop}.
     *
     * @throws IllegalArgumentException for an unknown signal, one that cannot be caught, or one
     *     the JVM owns
     */
    public static SignalBridge install(String name, Loop loop, Consumer<SignalRegistration> callback, Runnable onCancel) {
        String n = normalize(name);
        if (UNCATCHABLE.contains(n)) {
            throw new IllegalArgumentException("SIG" + n + " cannot be caught by any process");
        }
        if (JVM_OWNED.contains(n)) {
            throw new IllegalArgumentException("SIG" + n + " is used by the JVM itself and cannot be handled by torque");
        }
        sun.misc.Signal signal;
        try {
            signal = new sun.misc.Signal(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown signal '" + name + "'", e);
        }
        SignalBridge[] self = new SignalBridge[1];
        sun.misc.SignalHandler handler = s -> {
            SignalBridge b = self[0];
            if (b != null && !b.cancelled) {
                try {
                    loop.execute(() -> {
                        if (!b.cancelled) {
                            try {
                                callback.accept(b);
                            } catch (Throwable t) {
                                loop.report(b, t);
                            }
                        }
                    });
                } catch (RuntimeException e) {
                    // the loop has shut down: the context is closing, the signal comes too late
                }
            }
        };
        sun.misc.SignalHandler previous;
        try {
            previous = sun.misc.Signal.handle(signal, handler);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SIG" + n + " cannot be handled here: " + e.getMessage(), e);
        }
        self[0] = new SignalBridge(n, signal, previous, onCancel);
        return self[0];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        sun.misc.Signal.handle(signal, previous);
        onCancel.run();
    }

    @Override
    public String toString() {
        return "signal SIG" + name;
    }
}
