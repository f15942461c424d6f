package io.torque.bench.sim;

/**
 * What one simulation runs on and under: the loops' topological distances, the sources and
 * where they start, the load's shape and the costs.
 *
 * @param distance distance[i][j] between loops i and j (0 on the diagonal)
 * @param sourcesPerLoop sources homed on each loop (round-robin: source s starts on s mod n)
 * @param hotLoops the sources homed on loops 0 to hotLoops - 1 carry 90% of the arrivals; 0 for
 *     uniform
 * @param arrivals the arrival process
 * @param service the service-time distribution
 * @param costs what loops pay besides service
 * @param events arrivals to simulate (the first tenth warms up and is not measured)
 * @param splitMax PARETO_SPLIT: the most recipients of one round
 * @param hotRounds PARETO_REHOME and STEAL_REHOME: rounds in a row with more than one ready
 *     source after which a loop's handed or stolen sources move home
 */
record Shape(int[][] distance, int sourcesPerLoop, int hotLoops, Arrivals arrivals, Service service, Costs costs, long events,
        int splitMax, int hotRounds) {
    /** Share of all arrivals carried by the hot loops' sources when hotLoops > 0. */
    static final double HOT_SHARE = 0.9;

    Shape {
        if (distance.length < 1) {
            throw new IllegalArgumentException("at least one loop");
        }
        if (sourcesPerLoop < 1) {
            throw new IllegalArgumentException("sources per loop must be at least 1: " + sourcesPerLoop);
        }
        if (hotLoops < 0 || hotLoops > distance.length) {
            throw new IllegalArgumentException("hot loops must be in [0, " + distance.length + "]: " + hotLoops);
        }
        if (splitMax < 1) {
            throw new IllegalArgumentException("--split-max must be at least 1: " + splitMax);
        }
        if (hotRounds < 1) {
            throw new IllegalArgumentException("--hot-rounds must be at least 1: " + hotRounds);
        }
        if (events < 10) {
            throw new IllegalArgumentException("events must be at least 10: " + events);
        }
    }

    int loops() {
        return distance.length;
    }
}
