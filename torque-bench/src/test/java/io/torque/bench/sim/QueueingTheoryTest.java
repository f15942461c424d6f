package io.torque.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * With zero costs, Poisson arrivals and exponential service, the simulator is a set of queues
 * with known closed forms: STATIC is one M/M/1 per loop, SHARED is M/M/k. Mean and p99 sojourn
 * must come within 3% of theory across loads 0.5 to 0.95. Many sources per loop, so a source
 * rarely holds two requests at once (a turn serves all its source's requests, which M/M/k does
 * not model).
 */
class QueueingTheoryTest {
    private static final double MEAN_SERVICE_US = 10;

    private static Shape shape(int loops, long events) {
        return new Shape(Machines.synthesized(loops), 2000, 0, Arrivals.parse("poisson"), Service.parse("exp:10us"), Costs.zero(),
                events, 8, 4);
    }

    private static void check(Policy policy, int loops, int servers, double rho, long events) {
        Result r = new Simulation(shape(loops, events), policy, rho, 7).run();
        double mean = Theory.meanSojourn(servers, rho) * MEAN_SERVICE_US;
        double p99 = Theory.sojournQuantile(servers, rho, 0.99) * MEAN_SERVICE_US;
        assertThat(r.meanMicros()).as("%s rho %.2f mean sojourn (theory %.2f us)", policy, rho, mean)
                .isBetween(mean * 0.97, mean * 1.03);
        assertThat(r.p99Micros()).as("%s rho %.2f p99 sojourn (theory %.2f us)", policy, rho, p99)
                .isBetween(p99 * 0.97, p99 * 1.03);
        assertThat(r.throughputPerMicro()).as("throughput").isBetween(rho * loops / MEAN_SERVICE_US * 0.97,
                rho * loops / MEAN_SERVICE_US * 1.03);
    }

    @Test
    void staticIsOneMm1PerLoop() {
        // 16 independent M/M/1 queues pooled; near saturation the estimate converges slowly
        check(Policy.STATIC, 16, 1, 0.5, 2_000_000);
        check(Policy.STATIC, 16, 1, 0.8, 4_000_000);
        check(Policy.STATIC, 16, 1, 0.95, 30_000_000);
    }

    @Test
    void sharedIsMmk() {
        check(Policy.SHARED, 4, 4, 0.5, 2_000_000);
        check(Policy.SHARED, 4, 4, 0.8, 4_000_000);
        check(Policy.SHARED, 4, 4, 0.95, 30_000_000);
        check(Policy.SHARED, 16, 16, 0.95, 10_000_000);
    }
}
