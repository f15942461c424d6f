package io.torque.core.internal.dispatch;

/**
 * xorshift64*: a fast PRNG for one loop's decisions (no shared state between loops, unlike
 * {@code ThreadLocalRandom} no lookup, and deterministic for a seed, so tests and the simulator
 * replay). Not threadsafe; one per user.
 */
public final class XorShift {
    private long seed;

    /**
     * A generator from a seed.
     *
     * @param seed the seed; 0 is replaced by a fixed odd constant (xorshift never leaves 0)
     */
    public XorShift(long seed) {
        this.seed = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    /**
     * A number in [0, bound).
     *
     * @param bound the exclusive upper bound, positive
     * @return the next number
     */
    public int nextInt(int bound) {
        long x = seed;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        seed = x;
        long r = (x * 0x2545F4914F6CDD1DL) >>> 33;
        return (int) ((r * bound) >>> 31);
    }
}
