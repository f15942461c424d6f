package io.torque.topology.internal.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

import io.torque.topology.CpuSet;

/**
 * The file system root that detection reads from: {@code /} for the live machine, or the folder
 * an sysfs/procfs snapshot was unpacked into (as hwloc's {@code HWLOC_FSROOT}).
 *
 * <p>Callers spell out the real absolute paths ({@code /sys/devices/system/cpu/online}); this
 * class resolves them against the root. A missing or unreadable file is an empty result, never
 * an exception: detection degrades file by file, as real machines lack files all the time.
 *
 * <p>Immutable and threadsafe.
 */
public final class FsRoot {
    private final Path root;

    private FsRoot(Path root) {
        this.root = root;
    }

    /** The live machine's root, {@code /}. */
    public static FsRoot live() {
        return new FsRoot(Path.of("/"));
    }

    /** A snapshot unpacked under {@code root}. */
    public static FsRoot of(Path root) {
        return new FsRoot(root.toAbsolutePath().normalize());
    }

    /** The root folder. */
    public Path path() {
        return root;
    }

    /** Whether this is the live machine's root. */
    public boolean isLive() {
        return root.equals(Path.of("/"));
    }

    /** Resolves an absolute path ({@code /sys/...}) under the root. */
    public Path resolve(String absolute) {
        String relative = absolute.startsWith("/") ? absolute.substring(1) : absolute;
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /** Whether the path exists under the root. */
    public boolean exists(String absolute) {
        return Files.exists(resolve(absolute));
    }

    /** A symbolic link's target as written (often relative), or empty when it is not a link. */
    public Optional<String> linkTarget(String absolute) {
        try {
            return Optional.of(Files.readSymbolicLink(resolve(absolute)).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** Whether the path is a folder under the root. */
    public boolean isDirectory(String absolute) {
        return Files.isDirectory(resolve(absolute));
    }

    /** The whole file, or empty when it is missing or unreadable. NUL bytes are dropped. */
    public Optional<String> read(String absolute) {
        try {
            byte[] bytes = Files.readAllBytes(resolve(absolute));
            String s = new String(bytes, StandardCharsets.UTF_8);
            return Optional.of(s.indexOf('\0') >= 0 ? s.replace("\0", "") : s);
        } catch (IOException | UncheckedIOException | SecurityException e) { // missing or unreadable alike
            return Optional.empty();
        }
    }

    /** The file's first line, stripped, or empty when missing or blank. */
    public Optional<String> readLine(String absolute) {
        return read(absolute).map(s -> {
            int nl = s.indexOf('\n');
            return (nl < 0 ? s : s.substring(0, nl)).strip();
        }).filter(s -> !s.isEmpty());
    }

    /** The file as a decimal number, or empty when missing or not a number. */
    public OptionalLong readLong(String absolute) {
        Optional<String> line = readLine(absolute);
        if (line.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(line.get()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The file as a CPU list ({@code 0-3,8}), or empty when missing or malformed. */
    public Optional<CpuSet> readCpuList(String absolute) {
        Optional<String> text = read(absolute);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CpuSet.parseList(text.get()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The file as a CPU mask ({@code 0000000f}), or empty when missing or malformed. */
    public Optional<CpuSet> readCpuMask(String absolute) {
        Optional<String> text = read(absolute);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CpuSet.parseMask(text.get()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * A CPU set from the mask file {@code base} when present, else the list file
     * {@code base + "_list"}. Masks come first, as in hwloc: they are what every kernel writes,
     * and some kernels wrote wrong lists beside right masks (AMD 15h {@code shared_cpu_list}).
     */
    public Optional<CpuSet> readCpus(String base) {
        Optional<CpuSet> mask = readCpuMask(base);
        return mask.isPresent() ? mask : readCpuList(base + "_list");
    }

    /** The names in a folder that match {@code filter}, sorted; empty when it is missing. */
    public List<String> list(String absolute, Predicate<String> filter) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(resolve(absolute))) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (filter.test(name)) {
                    names.add(name);
                }
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    /**
     * The numbers N of the entries {@code prefix + N} in a folder ({@code cpu7}, {@code node1},
     * {@code index3}), ascending.
     */
    public List<Integer> numberedEntries(String absolute, String prefix) {
        List<Integer> numbers = new ArrayList<>();
        for (String name : list(absolute, n -> n.startsWith(prefix) && n.length() > prefix.length())) {
            String digits = name.substring(prefix.length());
            if (digits.chars().allMatch(Character::isDigit) && digits.length() < 10) {
                numbers.add(Integer.parseInt(digits));
            }
        }
        numbers.sort(null);
        return numbers;
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
