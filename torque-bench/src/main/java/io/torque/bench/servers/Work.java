package io.torque.bench.servers;

/** The same per-request busy work in every server, so only the event handling differs. */
final class Work {
    private Work() {
    }

    /** Spins for {@code nanos}: CPU work that cannot be skipped. */
    static void spin(long nanos) {
        if (nanos <= 0) {
            return;
        }
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
