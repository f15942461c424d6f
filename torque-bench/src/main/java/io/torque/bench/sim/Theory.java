package io.torque.bench.sim;

/**
 * Closed forms the simulator is checked against: M/M/k with FIFO service (k = 1 is M/M/1).
 * Times are in units of the mean service time (μ = 1); rho is the load per server.
 */
final class Theory {
    private Theory() {
    }

    /** Erlang C: the probability that an arrival waits, with k servers at load rho each. */
    static double erlangC(int k, double rho) {
        check(k, rho);
        double a = k * rho; // offered traffic in Erlangs
        double term = 1; // a^i / i!
        double sum = 1;
        for (int i = 1; i < k; i++) {
            term *= a / i;
            sum += term;
        }
        double last = term * a / k; // a^k / k!
        double tail = last / (1 - rho);
        return tail / (sum + tail);
    }

    /** Mean sojourn (wait plus service). */
    static double meanSojourn(int k, double rho) {
        return erlangC(k, rho) / (k * (1 - rho)) + 1;
    }

    /**
     * P(sojourn > t): sojourn = wait + service, the wait exponential with rate θ = k(1 - rho)
     * after an Erlang C chance of waiting at all, the service exponential with rate 1.
     */
    static double sojournTail(int k, double rho, double t) {
        double c = erlangC(k, rho);
        double theta = k * (1 - rho);
        if (Math.abs(theta - 1) < 1e-9) {
            return Math.exp(-t) * (1 + c * t);
        }
        return Math.exp(-t) + c * (Math.exp(-t) - Math.exp(-theta * t)) / (theta - 1);
    }

    /** The sojourn time's q-quantile (q in (0, 1)), by bisection on the tail. */
    static double sojournQuantile(int k, double rho, double q) {
        double lo = 0;
        double hi = 1;
        while (sojournTail(k, rho, hi) > 1 - q) {
            hi *= 2;
        }
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (sojournTail(k, rho, mid) > 1 - q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    private static void check(int k, double rho) {
        if (k < 1 || !(rho > 0 && rho < 1)) {
            throw new IllegalArgumentException("need k >= 1 and 0 < rho < 1: k=" + k + " rho=" + rho);
        }
    }
}
