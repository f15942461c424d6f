package io.torque.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The closed forms themselves, against values worked out by hand. */
class TheoryTest {
    @Test
    void mm1IsTheTextbookCase() {
        // M/M/1: waits with probability rho, mean sojourn 1/(1-rho), sojourn exponential
        assertThat(Theory.erlangC(1, 0.8)).isCloseTo(0.8, within(1e-12));
        assertThat(Theory.meanSojourn(1, 0.8)).isCloseTo(5, within(1e-9));
        assertThat(Theory.sojournQuantile(1, 0.8, 0.99)).isCloseTo(5 * Math.log(100), within(1e-6));
    }

    @Test
    void erlangCMatchesAWorkedExample() {
        // 2 servers at 0.5 each: a = 1, C = (1/2 / 0.5) / (1 + 1 + 1) = 1/3
        assertThat(Theory.erlangC(2, 0.5)).isCloseTo(1.0 / 3, within(1e-12));
        // mean sojourn = C / (k (1 - rho)) + 1 = (1/3) / 1 + 1
        assertThat(Theory.meanSojourn(2, 0.5)).isCloseTo(4.0 / 3, within(1e-12));
    }

    @Test
    void theSojournTailIsADistribution() {
        for (int k : new int[] {1, 2, 4, 16}) {
            for (double rho : new double[] {0.5, 0.8, 0.95}) {
                assertThat(Theory.sojournTail(k, rho, 0)).isCloseTo(1, within(1e-12));
                double previous = 1;
                for (double t = 0.5; t < 600; t += 0.5) {
                    double p = Theory.sojournTail(k, rho, t);
                    assertThat(p).isLessThanOrEqualTo(previous).isGreaterThanOrEqualTo(0);
                    previous = p;
                }
                assertThat(previous).isLessThan(1e-6);
            }
        }
    }
}
