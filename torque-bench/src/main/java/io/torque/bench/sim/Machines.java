package io.torque.bench.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.torque.topology.CpuSet;
import io.torque.topology.Topology;
import io.torque.topology.levels.SchedulingLevels;

/**
 * The loops' distance matrix: one loop per usable CPU of a topology read from a snapshot
 * ({@code --fsroot}: a folder as archdetect takes, or an hwloc {@code .tar.bz2} snapshot, unpacked
 * to a temporary folder), with torque's own topological distance (the level where two CPUs first
 * share a group), or synthesized for {@code --pes N}.
 */
final class Machines {
    private Machines() {
    }

    /** One loop per usable CPU of the topology, distances from its scheduling levels. */
    static int[][] of(Topology t) {
        CpuSet usable = t.usableCpus();
        int[] cpus = usable.stream().toArray();
        SchedulingLevels levels = t.levels();
        int[][] d = new int[cpus.length][cpus.length];
        for (int i = 0; i < cpus.length; i++) {
            for (int j = 0; j < cpus.length; j++) {
                d[i][j] = levels.distance(cpus[i], cpus[j]);
            }
        }
        return d;
    }

    /** The distances among the first {@code n} loops only. */
    static int[][] first(int[][] distance, int n) {
        int[][] d = new int[n][];
        for (int i = 0; i < n; i++) {
            d[i] = java.util.Arrays.copyOf(distance[i], n);
        }
        return d;
    }

    /**
     * A synthesized machine of {@code pes} PEs: SMT pairs (distance 0), eight PEs to a shared L3
     * (1), 32 to a package (2), the machine (3); PEs numbered so that neighbours share the most.
     */
    static int[][] synthesized(int pes) {
        if (pes < 1) {
            throw new IllegalArgumentException("--pes must be at least 1: " + pes);
        }
        int[][] d = new int[pes][pes];
        for (int i = 0; i < pes; i++) {
            for (int j = 0; j < pes; j++) {
                d[i][j] = i / 2 == j / 2 ? 0 : i / 8 == j / 8 ? 1 : i / 32 == j / 32 ? 2 : 3;
            }
        }
        return d;
    }

    /** Reads a topology from a folder, or from an hwloc snapshot archive unpacked for the call. */
    static Topology read(Path root) throws IOException, InterruptedException {
        if (Files.isDirectory(root)) {
            return Topology.detect(root);
        }
        if (!Files.isRegularFile(root) || !root.toString().endsWith(".tar.bz2")) {
            throw new IllegalArgumentException("--fsroot " + root + " is neither a folder nor a .tar.bz2 snapshot");
        }
        Path scratch = Files.createTempDirectory("torque-sim");
        try {
            Process tar = new ProcessBuilder("tar", "-xjf", root.toAbsolutePath().toString(), "-C", scratch.toString())
                    .redirectErrorStream(true).start();
            String out = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new IOException("tar failed on " + root + ": " + out);
            }
            try (Stream<Path> s = Files.list(scratch)) {
                List<Path> top = s.toList();
                return Topology.detect(top.size() == 1 && Files.isDirectory(top.get(0)) ? top.get(0) : scratch);
            }
        } finally {
            try (Stream<Path> s = Files.walk(scratch)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
