package io.torque.topology.internal.sysfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.torque.topology.CpuSet;
import io.torque.topology.NumaNode;

/**
 * Reads NUMA nodes from {@code /sys/devices/system/node/nodeN}: CPUs ({@code cpumap}, else
 * {@code cpulist}), memory ({@code MemTotal} of the node's {@code meminfo}), the distance row,
 * and where CPU-less memory sits, by hwloc's rules ({@code look_sysfsnode}):
 *
 * <ul>
 *   <li>A node with CPUs also gets the CPUs of its memory initiators
 *       ({@code accessN/initiators/nodeM}, {@code access1} first: CPU initiators only), so a
 *       memory-only node that serves CPUs of another node is local to them.
 *   <li>A CPU-less node gets the CPUs of its initiators; without any, the CPUs of the nodes
 *       strictly nearest to it by distance (unless every other node is as near).
 *   <li>NVIDIA GPU memory ({@code /proc/driver/nvidia/gpus/BUS/numa_status} names the node) is
 *       {@code GPUMemory}, local to the GPU's {@code local_cpus}; on POWER it is left out, as
 *       hwloc hides it there by default.
 *   <li>A node backed by a DAX device bound to {@code kmem} is {@code NVM} (its device sits on
 *       an NVDIMM bus) or {@code SPM} (specific-purpose memory, such as HBM); CXL regions make
 *       {@code CXL-DRAM} or {@code CXL-NVM}. Tiers are then ranked ({@link MemoryTiers}).
 *   <li>With fake NUMA ({@code numa=fake=} on the kernel command line) initiators are ignored.
 * </ul>
 * Every node folder is kept but hidden GPU memory, CPU-less ones too (with the CPUs their
 * initiators or distances give them, or none), and nodes outside the cgroup's
 * {@code cpuset.mems} are kept with {@code memoryAllowed=false}. Without any node folder
 * (kernels built without NUMA) there is one node, 0, holding every usable CPU and the machine's
 * memory.
 */
final class NumaReader {
    private static final String NODE = "/sys/devices/system/node/";
    private static final String NVIDIA = "/proc/driver/nvidia/gpus/";
    private static final String DAX = "/sys/bus/dax/devices/";

    final List<NumaNode> nodes = new ArrayList<>();
    boolean synthetic;
    /** GPU memory nodes left out (POWER). */
    final java.util.SortedSet<Integer> hiddenGpuNodes = new java.util.TreeSet<>();

    NumaReader(FsRoot fs, CpuSet online, CpuSet usable, Optional<CpuSet> allowedMems, long machineMemory, boolean power) {
        List<Integer> ids = fs.numberedEntries(NODE, "node");
        if (ids.isEmpty()) {
            synthetic = true;
            nodes.add(new NumaNode(0, usable, machineMemory, true, new int[] {10}));
            return;
        }
        Map<Integer, CpuSet> raw = new LinkedHashMap<>();
        Map<Integer, int[]> rows = new LinkedHashMap<>();
        boolean distancesValid = true;
        for (int id : ids) {
            String dir = NODE + "node" + id + "/";
            raw.put(id, fs.readCpuMask(dir + "cpumap").or(() -> fs.readCpuList(dir + "cpulist"))
                    .orElse(CpuSet.EMPTY).and(online));
            int[] row = fs.readLine(dir + "distance").map(NumaReader::parseRow).orElse(new int[0]);
            distancesValid &= row.length == ids.size();
            rows.put(id, row);
        }
        Map<Integer, CpuSet> cpus = new LinkedHashMap<>(raw);
        Map<Integer, String> kinds = new LinkedHashMap<>();
        gpuNodes(fs, ids, online, power, cpus, kinds); // before the fix-ups, which must not see hidden nodes
        boolean fake = fs.readLine("/proc/cmdline").map(l -> l.contains("numa=fake=")).orElse(false);
        if (!fake) {
            for (int id : ids) { // nodes with CPUs first, with their initiators' CPUs as they are now
                if (!raw.get(id).isEmpty() && !hiddenGpuNodes.contains(id)) {
                    cpus.put(id, cpus.get(id).or(initiatorCpus(fs, id, cpus)));
                }
            }
        }
        for (int i = 0; i < ids.size(); i++) { // then the CPU-less ones
            int id = ids.get(i);
            if (!raw.get(id).isEmpty() || hiddenGpuNodes.contains(id) || kinds.containsKey(id)) {
                continue; // GPU memory is local to its GPU's CPUs already
            }
            CpuSet got = fake ? CpuSet.EMPTY : initiatorCpus(fs, id, cpus);
            if (got.isEmpty() && distancesValid) {
                got = nearestCpus(i, ids, rows, cpus, hiddenGpuNodes);
            }
            cpus.put(id, got);
        }
        daxNodes(fs, kinds);
        java.util.function.IntPredicate allowed = id -> allowedMems.map(m -> m.contains(id)).orElse(true);
        List<MemoryTiers.Node> tierInput = new ArrayList<>();
        for (int id : ids) {
            if (hiddenGpuNodes.contains(id) || !allowed.test(id)) {
                continue;
            }
            boolean local = !cpus.get(id).isEmpty(); // bandwidth and latency are to its initiators' CPUs
            String access = initiators(fs, id) + "/";
            tierInput.add(new MemoryTiers.Node(id, kinds.getOrDefault(id, ""),
                    local ? average(fs, access + "read_bandwidth", access + "write_bandwidth") : 0,
                    local ? average(fs, access + "read_latency", access + "write_latency") : 0));
        }
        MemoryTiers tiers = new MemoryTiers(tierInput);
        for (int id : ids) {
            if (hiddenGpuNodes.contains(id)) {
                continue;
            }
            String dir = NODE + "node" + id + "/";
            long memory = fs.read(dir + "meminfo").map(NumaReader::memTotal).orElse(0L);
            int[] row = distancesValid ? withoutHidden(rows.get(id), ids) : new int[0];
            nodes.add(new NumaNode(id, cpus.get(id).and(usable), memory, allowed.test(id), row, tiers.kind(id, kinds.getOrDefault(id, "")),
                    tiers.tier(id)));
        }
    }

    /** The CPUs of the nodes that {@code id}'s memory lists as initiators (access1, else access0). */
    private CpuSet initiatorCpus(FsRoot fs, int id, Map<Integer, CpuSet> cpus) {
        CpuSet got = CpuSet.EMPTY;
        for (int m : fs.numberedEntries(initiators(fs, id), "node")) {
            if (m != id && cpus.containsKey(m) && !hiddenGpuNodes.contains(m)) {
                got = got.or(cpus.get(m));
            }
        }
        return got;
    }

    /** A node's initiators folder: {@code access1} (CPU initiators) where it has one, else {@code access0}. */
    private static String initiators(FsRoot fs, int id) {
        String dir = NODE + "node" + id + "/";
        return fs.isDirectory(dir + "access1/initiators") ? dir + "access1/initiators" : dir + "access0/initiators";
    }

    /**
     * hwloc's fixup for a CPU-less node: the CPUs of the strictly nearest nodes (hidden ones
     * left out), unless every other node is as near.
     */
    private static CpuSet nearestCpus(int i, List<Integer> ids, Map<Integer, int[]> rows, Map<Integer, CpuSet> cpus,
            java.util.Set<Integer> hidden) {
        int[] row = rows.get(ids.get(i));
        int min = Integer.MAX_VALUE;
        int count = 0;
        int others = 0;
        for (int j = 0; j < ids.size(); j++) {
            if (j == i || hidden.contains(ids.get(j))) {
                continue;
            }
            others++;
            if (row[j] < min) {
                min = row[j];
                count = 1;
            } else if (row[j] == min) {
                count++;
            }
        }
        if (count == 0 || min <= row[i] || count == others) {
            return CpuSet.EMPTY;
        }
        CpuSet got = CpuSet.EMPTY;
        for (int j = 0; j < ids.size(); j++) {
            if (j != i && row[j] == min && !hidden.contains(ids.get(j))) {
                got = got.or(cpus.get(ids.get(j)));
            }
        }
        return got;
    }

    private void gpuNodes(FsRoot fs, List<Integer> ids, CpuSet online, boolean power, Map<Integer, CpuSet> cpus,
            Map<Integer, String> kinds) {
        for (String bus : fs.list(NVIDIA, name -> !name.startsWith("."))) {
            Optional<String> status = fs.read(NVIDIA + bus + "/numa_status");
            int at = status.map(s -> s.indexOf("Node:")).orElse(-1);
            if (at < 0) {
                continue;
            }
            String rest = status.get().substring(at + "Node:".length()).strip().split("\\s+")[0];
            int node;
            try {
                node = Integer.parseInt(rest);
            } catch (NumberFormatException e) {
                continue;
            }
            if (!ids.contains(node)) {
                continue;
            }
            if (power) {
                hiddenGpuNodes.add(node);
            } else {
                kinds.put(node, "GPUMemory");
                cpus.put(node, fs.readCpuMask("/sys/bus/pci/devices/" + bus + "/local_cpus").orElse(CpuSet.EMPTY).and(online));
            }
        }
    }

    private static void daxNodes(FsRoot fs, Map<Integer, String> kinds) {
        for (String dev : fs.list(DAX, name -> !name.startsWith("."))) {
            if (!fs.exists("/sys/bus/dax/drivers/kmem/" + dev)) {
                continue; // not system memory: a device of its own, not a node
            }
            long node = fs.readLong(DAX + dev + "/target_node").orElse(-1);
            if (node < 0 || node > Integer.MAX_VALUE) {
                continue;
            }
            String path = fs.linkTarget(DAX + dev).orElse("");
            boolean nvm = path.contains("ndbus");
            int region = path.indexOf("/region");
            boolean cxl = false;
            if (region >= 0 && path.contains("/decoder")) { // a CXL region hangs under a root decoder; an NVDIMM one does not
                String name = path.substring(region + 1).split("/")[0];
                cxl = fs.exists("/sys/bus/cxl/devices/" + name);
            }
            kinds.putIfAbsent((int) node, cxl ? (nvm ? "CXL-NVM" : "CXL-DRAM") : nvm ? "NVM" : "SPM");
        }
    }

    /** The mean of two values when both are known (positive), else 0. */
    private static long average(FsRoot fs, String a, String b) {
        long x = fs.readLong(a).orElse(0);
        long y = fs.readLong(b).orElse(0);
        return x > 0 && y > 0 ? (x + y) / 2 : 0;
    }

    private int[] withoutHidden(int[] row, List<Integer> ids) {
        if (hiddenGpuNodes.isEmpty()) {
            return row;
        }
        int[] out = new int[ids.size() - hiddenGpuNodes.size()];
        int k = 0;
        for (int j = 0; j < ids.size(); j++) {
            if (!hiddenGpuNodes.contains(ids.get(j))) {
                out[k++] = row[j];
            }
        }
        return out;
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
