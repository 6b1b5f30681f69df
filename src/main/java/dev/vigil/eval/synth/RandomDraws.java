package dev.vigil.eval.synth;

import java.util.SplittableRandom;

/**
 * The few distributions the synthetic corpus draws from, all from one explicit {@link SplittableRandom} (no
 * hidden global generator), so a corpus is a pure function of its seed; public for tests that need counts of a known
 * dispersion. Not thread-safe.
 */
public final class RandomDraws {
    private final SplittableRandom random;

    RandomDraws(SplittableRandom random) {
        this.random = random;
    }

    public RandomDraws(long seed) {
        this(new SplittableRandom(seed));
    }

    /** An independent stream (for one row or one series), so the draws of one do not shift the others'. */
    RandomDraws split() {
        return new RandomDraws(random.split());
    }

    /** A uniformly drawn long (a seed for another generator). */
    long nextLong() {
        return random.nextLong();
    }

    /** Uniform in [lo, hi). */
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** Uniform integer in [lo, hi] (both inclusive). */
    int between(int lo, int hi) {
        return hi <= lo ? lo : lo + random.nextInt(hi - lo + 1);
    }

    /** True with probability p. */
    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** Log-uniform in [lo, hi): scales spread evenly over orders of magnitude. */
    double logUniform(double lo, double hi) {
        return Math.exp(uniform(Math.log(lo), Math.log(hi)));
    }

    /** One of the options, uniformly. */
    <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    /** Standard normal, by Box-Muller. */
    double gaussian() {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** Pareto with minimum 1 and tail index alpha: heavy-tailed sizes. */
    double pareto(double alpha) {
        return Math.pow(1.0 - random.nextDouble(), -1.0 / alpha);
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang; shape > 0. */
    double gamma(double shape) {
        if (shape < 1) {
            return gamma(shape + 1) * Math.pow(random.nextDouble(), 1.0 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1.0 / Math.sqrt(9 * d);
        while (true) {
            double z = gaussian();
            double v = Math.pow(1 + c * z, 3);
            if (v > 0 && Math.log(random.nextDouble()) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** Poisson with the given mean (exact below 30, normal approximation above), never negative. */
    public long poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean >= 30) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    /** Negative binomial as a gamma-Poisson mixture: mean {@code mean}, variance {@code mean + mean²/dispersion}. */
    public long negativeBinomial(double mean, double dispersion) {
        return poisson(mean * gamma(dispersion) / dispersion);
    }
}
