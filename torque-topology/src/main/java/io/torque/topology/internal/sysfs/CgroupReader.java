package io.torque.topology.internal.sysfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import io.torque.topology.CpuSet;

/**
 * Reads the process's cgroup limits on CPUs and memory nodes, and its CPU bandwidth quota.
 *
 * <p>cgroup v2: the process's path from the {@code 0::} line of {@code /proc/self/cgroup}, under
 * the {@code cgroup2} mount from {@code /proc/mounts}; {@code cpuset.cpus.effective},
 * {@code cpuset.mems.effective} and {@code cpu.max} (the tightest quota on the path up to the
 * root). cgroup v1: the {@code cpuset} hierarchy ({@code cpuset} file system, or {@code cgroup}
 * with the {@code cpuset} option), with the path from {@code /proc/self/cpuset};
 * {@code cpuset.effective_cpus}, {@code cpuset.cpus} or {@code cpus} (old {@code /dev/cpuset}
 * mounts); the {@code cpu} hierarchy's {@code cpu.cfs_quota_us} / {@code cpu.cfs_period_us}.
 *
 * <p>Where the files a snapshot or a container hides are missing, the limit is unknown (empty),
 * never an error.
 */
final class CgroupReader {
    Optional<CpuSet> cpus = Optional.empty();
    Optional<CpuSet> mems = Optional.empty();
    OptionalDouble quota = OptionalDouble.empty();

    CgroupReader(FsRoot fs) {
        List<String[]> mounts = new ArrayList<>();
        for (String line : fs.read("/proc/mounts").orElse("").split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4) {
                mounts.add(f);
            }
        }
        readV1(fs, mounts);
        if (cpus.isEmpty()) {
            readV2(fs, mounts);
        }
    }

    private void readV1(FsRoot fs, List<String[]> mounts) {
        Optional<String> path = fs.readLine("/proc/self/cpuset");
        for (String[] m : mounts) {
            boolean cpusetFs = m[2].equals("cpuset");
            boolean cgroupCpuset = m[2].equals("cgroup") && hasOption(m[3], "cpuset");
            if (path.isPresent() && (cpusetFs || cgroupCpuset)) {
                String dir = join(unescape(m[1]), path.get());
                cpus = firstList(fs, dir, "cpuset.effective_cpus", "cpuset.cpus", "cpus");
                mems = firstList(fs, dir, "cpuset.effective_mems", "cpuset.mems", "mems");
            }
            if (m[2].equals("cgroup") && hasOption(m[3], "cpu")) {
                String cpuPath = v1Path(fs, "cpu");
                if (cpuPath != null) {
                    String dir = join(unescape(m[1]), cpuPath);
                    var q = fs.readLong(dir + "/cpu.cfs_quota_us");
                    var p = fs.readLong(dir + "/cpu.cfs_period_us");
                    if (q.isPresent() && p.isPresent() && q.getAsLong() > 0 && p.getAsLong() > 0) {
                        quota = OptionalDouble.of((double) q.getAsLong() / p.getAsLong());
                    }
                }
            }
        }
    }

    private void readV2(FsRoot fs, List<String[]> mounts) {
        String path = null;
        for (String line : fs.read("/proc/self/cgroup").orElse("").split("\n")) {
            if (line.startsWith("0::")) {
                path = line.substring(3).strip();
            }
        }
        if (path == null) {
            return;
        }
        for (String[] m : mounts) {
            if (!m[2].equals("cgroup2")) {
                continue;
            }
            String mount = unescape(m[1]);
            String dir = join(mount, path);
            Optional<CpuSet> c = firstList(fs, dir, "cpuset.cpus.effective");
            if (c.isPresent() && !c.get().isEmpty()) {
                cpus = c;
            }
            Optional<CpuSet> memList = firstList(fs, dir, "cpuset.mems.effective");
            if (memList.isPresent() && !memList.get().isEmpty()) { // read on its own: a cgroup may limit memory only
                mems = memList;
            }
            // The tightest cpu.max from the process's cgroup up to the mount point.
            for (String d = dir; d.length() >= mount.length(); d = parent(d)) {
                Optional<String> max = fs.readLine(d + "/cpu.max");
                if (max.isPresent()) {
                    String[] qp = max.get().split("\\s+");
                    if (qp.length == 2 && !qp[0].equals("max")) {
                        try {
                            double q = Double.parseDouble(qp[0]) / Double.parseDouble(qp[1]);
                            if (q > 0 && (quota.isEmpty() || q < quota.getAsDouble())) {
                                quota = OptionalDouble.of(q);
                            }
                        } catch (NumberFormatException e) {
                            // an unreadable limit is no limit
                        }
                    }
                }
                if (d.equals(mount) || d.equals("/")) {
                    break;
                }
            }
        }
    }

    private static String v1Path(FsRoot fs, String controller) {
        for (String line : fs.read("/proc/self/cgroup").orElse("").split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
                return f[2].strip();
            }
        }
        return null;
    }

    private static Optional<CpuSet> firstList(FsRoot fs, String dir, String... names) {
        for (String name : names) {
            Optional<CpuSet> set = fs.readCpuList(dir + "/" + name);
            if (set.isPresent()) {
                return set;
            }
        }
        return Optional.empty();
    }

    private static boolean hasOption(String options, String option) {
        return List.of(options.split(",")).contains(option);
    }

    private static String join(String mount, String path) {
        String m = mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
        return path.equals("/") ? (m.isEmpty() ? "/" : m) : m + (path.startsWith("/") ? path : "/" + path);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** /proc/mounts escapes blanks and backslashes as octal: {@code \040}. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    // not an escape: keep the backslash
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
