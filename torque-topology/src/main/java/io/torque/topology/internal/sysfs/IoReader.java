package io.torque.topology.internal.sysfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.torque.topology.CpuSet;
import io.torque.topology.IoDevice;

/**
 * The OS devices hwloc's Linux backend reports with {@code --whole-io} (network interfaces,
 * block devices, DRM GPUs), each placed as hwloc places it: the class entry's {@code device}
 * link resolved to its {@code /sys/devices/...} path, the nearest PCI device on that path
 * ({@code DDDD:BB:DD.F}), and that PCI device's {@code numa_node} and {@code local_cpulist}.
 * Interfaces without a device (loopback, ifb, bridges) and partitions are left out, as hwloc
 * leaves them. Read from the same fsroot as the CPUs, so snapshots replay.
 */
final class IoReader {
    private static final Pattern PCI = Pattern.compile("^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-9a-f]$");
    private static final Pattern CARD = Pattern.compile("^card[0-9]+$");

    private IoReader() {
    }

    static List<IoDevice> devices(FsRoot fs) {
        List<IoDevice> out = new ArrayList<>();
        add(fs, out, "net", "/sys/class/net", name -> true);
        add(fs, out, "block", "/sys/class/block", name -> !fs.exists("/sys/class/block/" + name + "/partition"));
        add(fs, out, "gpu", "/sys/class/drm", name -> CARD.matcher(name).matches());
        return List.copyOf(out);
    }

    private static void add(FsRoot fs, List<IoDevice> out, String kind, String classDir, java.util.function.Predicate<String> keep) {
        for (String name : fs.list(classDir, n -> true)) {
            if (!keep.test(name)) {
                continue;
            }
            Path link = fs.resolve(classDir + "/" + name + "/device");
            if (!Files.exists(link)) {
                continue; // virtual: no device behind it
            }
            String pci = null;
            String pciDir = null;
            try {
                Path real = link.toRealPath();
                for (Path p = real; p != null; p = p.getParent()) {
                    String seg = p.getFileName() == null ? "" : p.getFileName().toString();
                    Matcher m = PCI.matcher(seg);
                    if (m.matches()) {
                        pci = seg;
                        pciDir = fs.path().relativize(p).toString();
                        break;
                    }
                }
            } catch (java.io.IOException e) {
                continue; // a dangling link in a snapshot
            }
            int node = -1;
            CpuSet cpus = CpuSet.of();
            if (pciDir != null) {
                String dir = "/" + pciDir;
                node = (int) fs.readLong(dir + "/numa_node").orElse(-1);
                cpus = fs.readCpuList(dir + "/local_cpulist").orElse(CpuSet.of());
            }
            long speed = -1;
            if (kind.equals("net")) {
                speed = fs.readLong(classDir + "/" + name + "/speed").orElse(-1);
            }
            out.add(new IoDevice(kind, name, pci, node < 0 ? -1 : node, cpus, speed));
        }
    }
}
