package io.torque.testkit;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a process holds, read from {@code /proc}: open fds and resident memory (of this process
 * or another, by pid), torque threads and the heap after a collection (of this one). Leak checks compare a count before and after; {@link #warmUpJdkSockets} first makes
 * the JDK open the fds it keeps for good.
 */
public final class ProcessProbe {
    private ProcessProbe() {
    }

    /**
     * The number of open fds of this process.
     *
     * @return the entries in {@code /proc/self/fd}, including the one used to list them
     * @throws IOException if {@code /proc/self/fd} cannot be listed
     */
    public static long openFds() throws IOException {
        return countFds(Path.of("/proc/self/fd"));
    }

    /**
     * The number of open fds of process {@code pid}.
     *
     * @param pid the process id
     * @return the entries in {@code /proc/PID/fd}
     * @throws IOException if {@code /proc/PID/fd} cannot be listed (no such process, or not ours)
     */
    public static long openFds(long pid) throws IOException {
        return countFds(Path.of("/proc", Long.toString(pid), "fd"));
    }

    private static long countFds(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    /**
     * Each open fd of this process as {@code "N->target"}, sorted; to name the ones a leak left
     * behind. Fds closed while listing are left out.
     *
     * @return the fds with their link targets, sorted as strings
     * @throws IOException if {@code /proc/self/fd} cannot be listed
     */
    public static Set<String> fdTargets() throws IOException {
        Set<String> targets = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : s.toList()) {
                try {
                    targets.add(p.getFileName() + "->" + Files.readSymbolicLink(p));
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return targets;
    }

    /**
     * Names the fds of {@code fdTargets} that are sockets by their local and remote addresses.
     *
     * @param fdTargets fds of this process in the form {@link #fdTargets} returns; entries that
     *     are not sockets are skipped
     * @return one line per socket, {@code "fd N local A remote B"} or {@code "fd N closed
     *     meanwhile"}; empty if there are no sockets
     */
    public static String describeSockets(Set<String> fdTargets) {
        StringBuilder sb = new StringBuilder();
        for (String fd : fdTargets) {
            if (!fd.contains("socket:")) {
                continue;
            }
            int n = Integer.parseInt(fd.substring(0, fd.indexOf("->")));
            io.netty.channel.unix.Socket probe = new io.netty.channel.unix.Socket(n);
            try {
                sb.append("fd ").append(n).append(" local ").append(probe.localAddress()).append(" remote ")
                        .append(probe.remoteAddress()).append('\n');
            } catch (RuntimeException closed) {
                sb.append("fd ").append(n).append(" closed meanwhile\n");
            }
        }
        return sb.toString();
    }

    /**
     * Makes the JDK open the fds it keeps for good, so they are not counted as leaks: NIO's
     * pre-close socket (an unconnected socket that is dup2'd onto an fd closed while another
     * thread is blocked on it) is created lazily on JDK 25, on the first such close.
     *
     * @throws Exception an {@link IOException} if the loopback sockets cannot be opened or
     *     connected, or an {@link InterruptedException} if interrupted while waiting for the
     *     reader thread
     */
    public static void warmUpJdkSockets() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
            try (Socket peer = server.accept()) {
                Thread reader = new Thread(() -> {
                    try {
                        s.getInputStream().read();
                    } catch (IOException expected) {
                        // closed under the read
                    }
                });
                reader.start();
                while (reader.getState() != Thread.State.RUNNABLE) {
                    Thread.sleep(1);
                }
                Thread.sleep(50); // let it block in read
                s.close();
                reader.join(5000);
            }
        }
    }

    /**
     * The number of live threads whose name starts with {@code torque-}.
     *
     * @return the count of such threads in this JVM
     */
    public static long torqueThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("torque-")).count();
    }

    /**
     * This process's resident set size ({@code VmRSS}).
     *
     * @return the resident set size in KiB, or -1 if unreadable
     */
    public static long rssKiB() {
        return rssKiB(Path.of("/proc/self/status"));
    }

    /**
     * The resident set size of process {@code pid} ({@code VmRSS}).
     *
     * @param pid the process id
     * @return the resident set size in KiB, or -1 if unreadable (no such process, for one)
     */
    public static long rssKiB(long pid) {
        return rssKiB(Path.of("/proc", Long.toString(pid), "status"));
    }

    private static long rssKiB(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * This process's heap in use right after a full collection, requested with
     * {@link System#gc()}.
     *
     * @return the heap in use, in bytes
     */
    public static long heapBytesAfterGc() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
