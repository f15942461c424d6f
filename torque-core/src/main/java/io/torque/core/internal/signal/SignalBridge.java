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
    private final Loop loop;
    private final Consumer<SignalRegistration> callback;
    private final Runnable onCancel;
    private final sun.misc.SignalHandler handler = this::onSignal;
    /** The handler this one replaced: what a cancelled bridge hands the signal to. */
    private volatile sun.misc.SignalHandler previous;
    private volatile boolean cancelled;

    private SignalBridge(String name, sun.misc.Signal signal, Loop loop, Consumer<SignalRegistration> callback,
            Runnable onCancel) {
        this.name = name;
        this.signal = signal;
        this.loop = loop;
        this.callback = callback;
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
        SignalBridge b = new SignalBridge(n, signal, loop, callback, onCancel); // complete before it can run
        try {
            b.previous = sun.misc.Signal.handle(signal, b.handler);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SIG" + n + " cannot be handled here: " + e.getMessage(), e);
        }
        return b;
    }

    /** On the JVM's signal thread: hands the callback to the loop, or, once cancelled, the signal on. */
    private void onSignal(sun.misc.Signal s) {
        if (cancelled) {
            forward(s);
            return;
        }
        try {
            loop.execute(() -> {
                if (!cancelled) {
                    try {
                        callback.accept(this);
                    } catch (Throwable t) {
                        loop.report(this, t);
                    }
                }
            });
        } catch (RuntimeException e) {
            // the loop has shut down: the context is closing, the signal comes too late
        }
    }

    /**
     * A cancelled bridge can still be installed: another handler it was replaced by restored it
     * on its own cancel (two contexts handling one signal, cancelled in the order they were
     * installed). It then behaves as the handler it replaced, so the signal is never lost.
     */
    private void forward(sun.misc.Signal s) {
        sun.misc.SignalHandler p = previous;
        if (p == sun.misc.SignalHandler.SIG_IGN || p == null) {
            return;
        }
        if (p == sun.misc.SignalHandler.SIG_DFL) {
            sun.misc.Signal.handle(signal, p); // the default action: let the signal have it again
            sun.misc.Signal.raise(s);
            return;
        }
        p.handle(s);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Restores the handler this one replaced, if this one is still installed; if another handler
     * has replaced it since, that one stays (and, should it restore this one later, this one
     * forwards to its own predecessor).
     */
    @Override
    public synchronized void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        sun.misc.SignalHandler current = sun.misc.Signal.handle(signal, previous);
        if (current != handler) {
            sun.misc.Signal.handle(signal, current); // not ours any more: put the newer one back
        }
        onCancel.run();
    }

    @Override
    public String toString() {
        return "signal SIG" + name;
    }
}
