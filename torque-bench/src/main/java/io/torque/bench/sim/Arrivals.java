package io.torque.bench.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When requests arrive, parsed from {@code --arrivals}: {@code poisson}; {@code onoff} (bursty:
 * on and off periods, each exponential with a mean of {@value #PERIOD_SERVICES} mean service
 * times, arrivals at twice the offered rate while on and none while off, so the mean is the
 * offered rate); or {@code trace:FILE} (one arrival per line, {@code TIME_US SOURCE}, times
 * increasing; the trace is scaled in time to the offered rate and repeated as often as the run
 * needs, its sources taken modulo the source count); or {@code closed:GAP} (closed loop, as
 * {@code torque-bench} loads a server: each source has one request at a time, and sends the next
 * {@code GAP} (µs: the client's side of a round trip) after the reply to the last; under skew
 * ({@code --hot-loops}) the sources of the other loops trickle, one request each
 * {@value #COLD_GAP_MICROS} µs after the last reply, as the benchmark's cold connections do. The
 * offered load does not apply: the throughput is what the loops give).
 */
final class Arrivals {
    enum Kind { POISSON, ONOFF, TRACE, CLOSED }

    /** Closed loop: a cold source's next request this long after its last reply (torque-bench's cold gap). */
    static final long COLD_GAP_MICROS = 10_000;

    /** On and off periods last this many mean service times on average. */
    static final int PERIOD_SERVICES = 100;

    private final Kind kind;
    private final double[] traceTimes;
    private final int[] traceSources;
    private final String text;
    private final long closedGapNanos;

    private Arrivals(Kind kind, double[] traceTimes, int[] traceSources, String text) {
        this(kind, traceTimes, traceSources, text, 0);
    }

    private Arrivals(Kind kind, double[] traceTimes, int[] traceSources, String text, long closedGapNanos) {
        this.kind = kind;
        this.traceTimes = traceTimes;
        this.traceSources = traceSources;
        this.text = text;
        this.closedGapNanos = closedGapNanos;
    }

    /** Whether this is a closed loop ({@code closed:GAP}). */
    boolean closed() {
        return kind == Kind.CLOSED;
    }

    /** Closed loop: a hot source's next request this long after its reply, in ns. */
    long closedGapNanos() {
        return closedGapNanos;
    }

    static Arrivals parse(String text) {
        if (text.equals("poisson")) {
            return new Arrivals(Kind.POISSON, null, null, text);
        }
        if (text.equals("onoff")) {
            return new Arrivals(Kind.ONOFF, null, null, text);
        }
        if (text.startsWith("trace:")) {
            Path file = Path.of(text.substring("trace:".length()));
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the trace " + file + ": " + e.getMessage(), e);
            }
            double[] times = new double[lines.size()];
            int[] sources = new int[lines.size()];
            int n = 0;
            for (String line : lines) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\\s+");
                try {
                    times[n] = Double.parseDouble(f[0]) * 1e3;
                    sources[n] = f.length > 1 ? Integer.parseInt(f[1]) : -1;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("trace " + file + ": line '" + l + "' is not 'TIME_US SOURCE'");
                }
                if (n > 0 && times[n] < times[n - 1]) {
                    throw new IllegalArgumentException("trace " + file + ": times must not decrease (at '" + l + "')");
                }
                n++;
            }
            if (n < 2 || !(times[n - 1] > times[0])) {
                throw new IllegalArgumentException("trace " + file + ": needs at least two arrivals spanning some time");
            }
            return new Arrivals(Kind.TRACE, java.util.Arrays.copyOf(times, n), java.util.Arrays.copyOf(sources, n), text);
        }
        if (text.startsWith("closed:")) {
            String gap = text.substring("closed:".length());
            String digits = gap.endsWith("us") ? gap.substring(0, gap.length() - 2) : gap;
            double micros;
            try {
                micros = Double.parseDouble(digits);
            } catch (NumberFormatException e) {
                micros = -1;
            }
            if (!(micros >= 0) || Double.isInfinite(micros)) {
                throw new IllegalArgumentException("arrivals '" + text + "': closed:GAP needs a gap in µs, such as closed:30us");
            }
            return new Arrivals(Kind.CLOSED, null, null, text, Math.round(micros * 1e3));
        }
        throw new IllegalArgumentException("arrivals '" + text + "': expected poisson, onoff, trace:FILE or closed:GAP");
    }

    /** A generator for one run: {@code rate} arrivals per ns over all sources. */
    Generator start(double rate, double meanServiceNanos, SplittableRandom rng) {
        return new Generator(rate, meanServiceNanos, rng);
    }

    @Override
    public String toString() {
        return text;
    }

    /** One run's arrival times; {@link #source()} is the trace's source of the last one, or -1. */
    final class Generator {
        private final double rate;
        private final double period;
        private final SplittableRandom rng;
        private double t;
        private boolean on = true;
        private double phaseEnd;
        private int index;
        private double traceScale;
        private double traceOffset;
        private int source = -1;

        private Generator(double rate, double meanServiceNanos, SplittableRandom rng) {
            this.rate = rate;
            this.rng = rng;
            this.period = PERIOD_SERVICES * meanServiceNanos;
            this.phaseEnd = exp(period);
            if (kind == Kind.TRACE) {
                double span = traceTimes[traceTimes.length - 1] - traceTimes[0];
                double traceRate = (traceTimes.length - 1) / span;
                traceScale = traceRate / rate; // stretch or squeeze the trace to the offered rate
            }
        }

        private double exp(double mean) {
            return -mean * Math.log(1 - rng.nextDouble());
        }

        /** The next arrival's time in ns (non-decreasing). */
        long next() {
            switch (kind) {
                case POISSON -> t += exp(1 / rate);
                case ONOFF -> {
                    while (true) {
                        if (!on) {
                            t = phaseEnd; // nothing arrives while off
                            on = true;
                            phaseEnd = t + exp(period);
                        }
                        double candidate = t + exp(1 / (2 * rate));
                        if (candidate < phaseEnd) {
                            t = candidate;
                            break;
                        }
                        t = phaseEnd; // memoryless: drop the partial gap at the phase end
                        on = false;
                        phaseEnd = t + exp(period);
                    }
                }
                case TRACE -> {
                    if (index == traceTimes.length) {
                        index = 0;
                        traceOffset = t + (traceTimes[1] - traceTimes[0]) * traceScale;
                    }
                    t = traceOffset + (traceTimes[index] - traceTimes[0]) * traceScale;
                    source = traceSources[index++];
                }
            }
            return (long) t;
        }

        int source() {
            return source;
        }
    }
}
