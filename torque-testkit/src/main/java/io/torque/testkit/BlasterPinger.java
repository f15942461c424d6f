package io.torque.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fairness scenario: blasters write as fast as they can to a server whose handler spends
 * {@link ChaosServer#SLOW_READ_NANOS} on every read and replies nothing, while a pinger on the
 * same loops does one small echo round trip after another. A loop that read each blaster until
 * {@code EAGAIN} would serve the pinger only when a blaster paused, which it never does; with
 * per-turn read budgets the pinger waits at most a few turns. The result is the pinger's worst
 * round trip; the caller bounds it.
 */
public final class BlasterPinger {
    private static final int CHUNK = 64 * 1024;
    private static final int PING = 64;

    /**
     * What one run saw.
     *
     * @param pings round trips the pinger completed
     * @param worstRttNanos the longest of them, in nanoseconds
     * @param blastedBytes bytes the blasters wrote
     * @param failure what went wrong, or null (a wrong echo, an I/O error)
     */
    public record Result(long pings, long worstRttNanos, long blastedBytes, String failure) {
    }

    private BlasterPinger() {
    }

    /**
     * Runs {@code blasters} blasters against {@code sink} and one pinger against {@code echo} for
     * {@code duration}. Open the blasters first (they take the loops), so with at least as many
     * blasters as loops every loop has one when the pinger is placed.
     *
     * @param sink a listener whose handler spends time on each read and replies nothing
     * @param echo an echo listener of the same context
     * @param blasters how many blasting connections
     * @param duration how long the pinger pings
     * @return the pinger's worst round trip and counts
     * @throws InterruptedException if interrupted while waiting for the blasters
     */
    public static Result run(InetSocketAddress sink, InetSocketAddress echo, int blasters, Duration duration)
            throws InterruptedException {
        AtomicLong blasted = new AtomicLong();
        List<Socket> sockets = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        String failure = null;
        long pings = 0;
        long worst = 0;
        try {
            for (int i = 0; i < blasters; i++) {
                Socket s = new Socket(sink.getAddress(), sink.getPort());
                sockets.add(s);
                Thread t = new Thread(() -> blast(s, blasted), "blaster-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            try (Socket p = new Socket(echo.getAddress(), echo.getPort())) {
                p.setTcpNoDelay(true);
                p.setSoTimeout((int) Math.max(1000, duration.toMillis() * 5));
                OutputStream out = p.getOutputStream();
                InputStream in = p.getInputStream();
                byte[] ping = new byte[PING];
                long end = System.nanoTime() + duration.toNanos();
                while (System.nanoTime() < end) {
                    ping[0] = (byte) pings;
                    long t0 = System.nanoTime();
                    out.write(ping);
                    byte[] back = in.readNBytes(PING);
                    long rtt = System.nanoTime() - t0;
                    if (back.length != PING || back[0] != ping[0]) {
                        failure = "pinger: wrong or short echo after " + pings + " pings";
                        break;
                    }
                    worst = Math.max(worst, rtt);
                    pings++;
                }
            }
        } catch (IOException e) {
            failure = "pinger: " + e;
        } finally {
            for (Socket s : sockets) {
                closeQuietly(s);
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        return new Result(pings, worst, blasted.get(), failure);
    }

    private static void blast(Socket s, AtomicLong blasted) {
        byte[] chunk = new byte[CHUNK];
        try {
            OutputStream out = s.getOutputStream();
            while (!s.isClosed()) {
                out.write(chunk);
                blasted.addAndGet(CHUNK);
            }
        } catch (IOException closed) {
            // the run is over and closed the socket
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
