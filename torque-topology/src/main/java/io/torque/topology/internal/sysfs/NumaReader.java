package io.torque.topology.internal.sysfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.torque.topology.CpuSet;
import io.torque.topology.NumaNode;

/**
 * Reads NUMA nodes from {@code /sys/devices/system/node/nodeN}: CPUs ({@code cpumap}, else
 * {@code cpulist}), memory ({@code MemTotal} of the node's {@code meminfo}) and the distance row.
 *
 * <p>Every node folder is kept, CPU-less ones too. Without any node folder (kernels built
 * without NUMA) there is one node, 0, holding every usable CPU and the machine's memory.
 */
final class NumaReader {
    private static final String NODE = "/sys/devices/system/node/";

    final List<NumaNode> nodes = new ArrayList<>();
    boolean synthetic;

    NumaReader(FsRoot fs, CpuSet usable, Optional<CpuSet> allowedMems, long machineMemory) {
        List<Integer> ids = fs.numberedEntries(NODE, "node");
        if (ids.isEmpty()) {
            synthetic = true;
            nodes.add(new NumaNode(0, usable, machineMemory, true, new int[] {10}));
            return;
        }
        for (int id : ids) {
            String dir = NODE + "node" + id + "/";
            CpuSet cpus = fs.readCpuMask(dir + "cpumap")
                    .or(() -> fs.readCpuList(dir + "cpulist"))
                    .orElse(CpuSet.EMPTY).and(usable);
            long memory = fs.read(dir + "meminfo").map(NumaReader::memTotal).orElse(0L);
            int[] distances = fs.readLine(dir + "distance").map(NumaReader::parseRow).orElse(new int[0]);
            if (distances.length != ids.size()) {
                distances = new int[0]; // a row for other nodes than the folders show: unusable
            }
            boolean allowed = allowedMems.map(m -> m.contains(id)).orElse(true);
            nodes.add(new NumaNode(id, cpus, memory, allowed, distances));
        }
    }

    /** The {@code MemTotal} of a {@code meminfo} text, in bytes; 0 if absent. */
    static long memTotal(String meminfo) {
        for (String line : meminfo.split("\n")) {
            int at = line.indexOf("MemTotal:");
            if (at >= 0) {
                String[] parts = line.substring(at + "MemTotal:".length()).strip().split("\\s+");
                try {
                    long value = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static int[] parseRow(String line) {
        String[] parts = line.strip().split("\\s+");
        int[] row = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                row[i] = Integer.parseInt(parts[i]);
            }
        } catch (NumberFormatException e) {
            return new int[0];
        }
        return row;
    }
}
