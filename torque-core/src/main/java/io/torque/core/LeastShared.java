package io.torque.core;

import io.torque.topology.CpuSet;
import io.torque.topology.CpuSetBuilder;
import io.torque.topology.Topology;

/**
 * Chooses the CPUs for fewer loops than candidate CPUs: the least-shared ones, farthest-first.
 * The first candidate starts; each next is the candidate whose topological distance to the
 * nearest CPU chosen so far is largest; among equals, the one farthest from all chosen CPUs
 * together (the sum of distances: SMT siblings alternate between packages), then the lowest
 * CPU number. Distance is the first
 * scheduling level at which two CPUs share a group, so this takes different packages before
 * different caches of one package, different cores before SMT siblings: each loop gets as much
 * cache and memory bandwidth to itself as the machine allows.
 */
final class LeastShared {
    private LeastShared() {
    }

    /**
     * The {@code n} least-shared CPUs among {@code candidates}.
     *
     * @param t the topology (candidates are usable in it)
     * @param candidates where to choose from
     * @param n how many, at most the candidates' size
     * @return all candidates when n is their size, else n of them
     */
    static CpuSet choose(Topology t, CpuSet candidates, int n) {
        int[] cpus = candidates.toArray();
        if (n >= cpus.length) {
            return candidates;
        }
        int[] chosen = new int[n];
        boolean[] taken = new boolean[cpus.length];
        // nearest[i]: distance from cpus[i] to the nearest chosen CPU so far
        int[] nearest = new int[cpus.length];
        java.util.Arrays.fill(nearest, Integer.MAX_VALUE);
        // total[i]: sum of distances from cpus[i] to the CPUs chosen so far (the tie-break)
        long[] total = new long[cpus.length];
        int next = 0;
        for (int k = 0; k < n; k++) {
            chosen[k] = cpus[next];
            taken[next] = true;
            int best = -1;
            for (int i = 0; i < cpus.length; i++) {
                if (taken[i]) {
                    continue;
                }
                int d = t.levels().distance(cpus[i], cpus[next]);
                nearest[i] = Math.min(nearest[i], d);
                total[i] += d;
                if (best < 0 || nearest[i] > nearest[best] || nearest[i] == nearest[best] && total[i] > total[best]) {
                    best = i;
                }
            }
            next = best;
        }
        CpuSetBuilder b = CpuSet.builder();
        for (int c : chosen) {
            b.add(c);
        }
        return b.build();
    }
}
