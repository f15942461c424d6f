package io.torque.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * One connection doing 64-byte echo round trips until told to stop; its round trips' p50, p99
 * and max. One thread runs it; read the results after that thread ended.
 */
final class LatencyProbe {
    private final Duration stallBound;
    private final BooleanSupplier done;
    private long[] micros = new long[1 << 14];
    private int n;
    private String failure;
    private boolean stalled;

    LatencyProbe(Duration stallBound, BooleanSupplier done) {
        this.stallBound = stallBound;
        this.done = done;
    }

    void run(InetSocketAddress to) throws IOException {
        byte[] ping = new byte[64];
        byte[] pong = new byte[64];
        try (Socket s = new Socket(to.getAddress(), to.getPort())) {
            s.setSoTimeout((int) stallBound.toMillis());
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            while (!done.getAsBoolean()) {
                ping[0] = (byte) (n + 3); // never the throw marker's first byte
                long t0 = System.nanoTime();
                out.write(ping);
                if (in.readNBytes(pong, 0, pong.length) < pong.length) {
                    failure = "closed";
                    return;
                }
                long rtt = (System.nanoTime() - t0) / 1000;
                if (!Arrays.equals(ping, pong)) {
                    failure = "wrong reply";
                    return;
                }
                if (n == micros.length) {
                    micros = Arrays.copyOf(micros, n * 2);
                }
                micros[n++] = rtt;
            }
        } catch (SocketTimeoutException e) {
            failure = "stalled past " + stallBound;
            stalled = true;
        }
    }

    /** What went wrong, or null. */
    String failure() {
        return failure;
    }

    /** Whether the failure was a stall (else a loss). */
    boolean stalled() {
        return stalled;
    }

    long[] percentiles() {
        if (n == 0) {
            return new long[] {0, 0, 0};
        }
        long[] sorted = Arrays.copyOf(micros, n);
        Arrays.sort(sorted);
        return new long[] {sorted[n / 2], sorted[(int) Math.min(n - 1, (long) n * 99 / 100)], sorted[n - 1]};
    }
}
