package io.torque.topology.internal.sysfs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory tiers as hwloc ranks them ({@code hwloc_internal_memtiers_build}; hwloc does not read
 * the kernel's {@code memory_tiering} folders): the allowed nodes sorted by kind, then by local
 * bandwidth, fastest first; a new tier starts where the kind changes or bandwidth or latency
 * differ by more than 10%. Where no tier is known to be DRAM or HBM, one of unknown kind beside
 * one of unknown kind or SPM is guessed: the one with more than twice the other's bandwidth is
 * HBM and the other DRAM. One tier of unknown kind means no tiers at all (an ordinary machine).
 * Tiers are numbered fastest first: those whose bandwidth is known by bandwidth, then the others
 * by kind.
 */
final class MemoryTiers {
    /** A node's input: its kind ("" unknown) and local bandwidth (MiB/s) and latency (ns), 0 unknown. */
    record Node(int id, String kind, long bandwidth, long latency) {
    }

    private static final List<String> KIND_ORDER = List.of("", "HBM", "DRAM", "GPUMemory", "SPM", "NVM", "CXL-DRAM", "CXL-NVM");

    private final Map<Integer, Integer> tierOf = new HashMap<>();
    private final Map<Integer, String> guessed = new HashMap<>();

    MemoryTiers(List<Node> nodes) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparingInt((Node n) -> rank(n.kind())).thenComparing(Comparator.comparingLong(Node::bandwidth).reversed()));
        List<List<Node>> tiers = new ArrayList<>();
        Node prev = null;
        for (Node n : sorted) {
            if (prev == null || !prev.kind().equals(n.kind()) || differ(prev.bandwidth(), n.bandwidth())
                    || differ(prev.latency(), n.latency())) {
                tiers.add(new ArrayList<>());
            }
            tiers.get(tiers.size() - 1).add(n);
            prev = n;
        }
        if (tiers.size() < 2) {
            return; // one kind of memory: no tiers
        }
        String[] kinds = new String[tiers.size()];
        for (int t = 0; t < tiers.size(); t++) {
            kinds[t] = tiers.get(t).get(0).kind();
        }
        guessDramAndHbm(tiers, kinds);
        Integer[] order = new Integer[tiers.size()];
        for (int t = 0; t < order.length; t++) {
            order[t] = t;
        }
        // a total order: tiers whose bandwidth is known first, fastest first; then by kind
        java.util.Arrays.sort(order, Comparator.comparing((Integer t) -> bandwidthSum(tiers.get(t)) == 0)
                .thenComparing(t -> -bandwidthSum(tiers.get(t))).thenComparingInt(t -> rank(kinds[t])));
        for (int index = 0; index < order.length; index++) {
            for (Node n : tiers.get(order[index])) {
                tierOf.put(n.id(), index);
                if (!kinds[order[index]].isEmpty()) {
                    guessed.put(n.id(), kinds[order[index]]);
                }
            }
        }
    }

    /** The node's tier, or -1. */
    int tier(int id) {
        return tierOf.getOrDefault(id, -1);
    }

    /**
     * The node's kind as hwloc names its subtype: its tier's kind where there are tiers (so
     * specific-purpose memory guessed HBM is HBM), else the one it was given.
     */
    String kind(int id, String given) {
        return guessed.getOrDefault(id, given);
    }

    private static void guessDramAndHbm(List<List<Node>> tiers, String[] kinds) {
        int unknown = 0;
        int spm = 0;
        for (String k : kinds) {
            if (k.equals("DRAM") || k.equals("HBM")) {
                return;
            }
            unknown += k.isEmpty() ? 1 : 0;
            spm += k.equals("SPM") ? 1 : 0;
        }
        if (!((unknown == 2 && spm == 0) || (unknown == 1 && spm == 1))) {
            return;
        }
        int a = -1;
        int b = -1;
        for (int t = 0; t < kinds.length; t++) {
            if (kinds[t].isEmpty() || kinds[t].equals("SPM")) {
                if (a < 0) {
                    a = t;
                } else {
                    b = t;
                }
            }
        }
        long[] ra = range(tiers.get(a));
        long[] rb = range(tiers.get(b));
        if (ra[0] == 0 || rb[0] == 0) {
            return; // bandwidth unknown: no guess
        }
        if (ra[0] > 2 * rb[1]) {
            kinds[a] = "HBM";
            kinds[b] = "DRAM";
        } else if (rb[0] > 2 * ra[1]) {
            kinds[b] = "HBM";
            kinds[a] = "DRAM";
        }
    }

    /** The tier's lowest and highest bandwidth; lowest 0 when one is unknown. */
    private static long[] range(List<Node> tier) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (Node n : tier) {
            min = Math.min(min, n.bandwidth());
            max = Math.max(max, n.bandwidth());
        }
        return new long[] {min, max};
    }

    private static long bandwidthSum(List<Node> tier) {
        long[] r = range(tier);
        return r[0] == 0 ? 0 : r[0] + r[1];
    }

    private static boolean differ(long a, long b) {
        return a > 0 && b > 0 && Math.max(a, b) * 10 > Math.min(a, b) * 11;
    }

    private static int rank(String kind) {
        int r = KIND_ORDER.indexOf(kind);
        return r < 0 ? KIND_ORDER.size() : r;
    }
}
