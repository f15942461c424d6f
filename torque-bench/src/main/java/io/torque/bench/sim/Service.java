package io.torque.bench.sim;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A service-time distribution, parsed from the command line's {@code --service}:
 * {@code exp:10us} (exponential, that mean), {@code const:10us}, {@code bimodal:10us,1ms,0.01}
 * (the first time, or the second with that probability) and {@code pareto:10us,1.5} (Pareto with
 * that mean and shape alpha, which must exceed 1). Times take {@code ns}, {@code us}, {@code ms}
 * or {@code s}. Samples are in nanoseconds, at least 1.
 */
final class Service {
    enum Kind { EXP, CONST, BIMODAL, PARETO }

    private final Kind kind;
    private final double a;
    private final double b;
    private final double p;
    private final String text;

    private Service(Kind kind, double a, double b, double p, String text) {
        this.kind = kind;
        this.a = a;
        this.b = b;
        this.p = p;
        this.text = text;
    }

    /** Parses a {@code --service} value; IllegalArgumentException names what is wrong. */
    static Service parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("service '" + text + "': expected KIND:ARGS, e.g. exp:10us");
        }
        String kind = text.substring(0, colon).toLowerCase(Locale.ROOT);
        String[] args = text.substring(colon + 1).split(",");
        switch (kind) {
            case "exp" -> {
                expect(text, args, 1);
                return new Service(Kind.EXP, duration(args[0]), 0, 0, text);
            }
            case "const" -> {
                expect(text, args, 1);
                return new Service(Kind.CONST, duration(args[0]), 0, 0, text);
            }
            case "bimodal" -> {
                expect(text, args, 3);
                double p = Double.parseDouble(args[2]);
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("service '" + text + "': the probability must be in [0, 1]");
                }
                return new Service(Kind.BIMODAL, duration(args[0]), duration(args[1]), p, text);
            }
            case "pareto" -> {
                expect(text, args, 2);
                double alpha = Double.parseDouble(args[1]);
                if (!(alpha > 1)) {
                    throw new IllegalArgumentException("service '" + text + "': alpha must exceed 1 (a finite mean)");
                }
                return new Service(Kind.PARETO, duration(args[0]), alpha, 0, text);
            }
            default -> throw new IllegalArgumentException("service '" + text + "': unknown kind " + kind
                    + " (exp, const, bimodal or pareto)");
        }
    }

    private static void expect(String text, String[] args, int n) {
        if (args.length != n) {
            throw new IllegalArgumentException("service '" + text + "': expected " + n + " argument(s), got " + args.length);
        }
    }

    /** A duration such as {@code 10us} or {@code 1.5ms}, in nanoseconds. */
    static double duration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        double scale;
        String num;
        if (t.endsWith("ns")) {
            scale = 1;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            scale = 1e3;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ms")) {
            scale = 1e6;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            scale = 1e9;
            num = t.substring(0, t.length() - 1);
        } else {
            throw new IllegalArgumentException("duration '" + s + "' needs a unit: ns, us, ms or s");
        }
        double v;
        try {
            v = Double.parseDouble(num) * scale;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration '" + s + "' is not a number with a unit");
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("duration '" + s + "' must be positive");
        }
        return v;
    }

    /** The mean service time in nanoseconds. */
    double meanNanos() {
        return switch (kind) {
            case EXP, CONST, PARETO -> a;
            case BIMODAL -> (1 - p) * a + p * b;
        };
    }

    /** One service time in nanoseconds (at least 1). */
    long sample(SplittableRandom rng) {
        double v = switch (kind) {
            case EXP -> -a * Math.log(1 - rng.nextDouble());
            case CONST -> a;
            case BIMODAL -> rng.nextDouble() < p ? b : a;
            case PARETO -> {
                // scale x_m so that the mean alpha x_m / (alpha - 1) is a
                double xm = a * (b - 1) / b;
                yield xm / Math.pow(1 - rng.nextDouble(), 1 / b);
            }
        };
        return Math.max(1, Math.round(v));
    }

    @Override
    public String toString() {
        return text;
    }
}
