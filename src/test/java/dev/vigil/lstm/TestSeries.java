package dev.vigil.lstm;

import java.util.SplittableRandom;

/** Seeded synthetic series and tolerances shared by the lstm tests. */
final class TestSeries {

    /**
     * Fast stepper vs {@link ReferenceLstm}, absolute, per output: the fast code computes in float32 (about 6e-8
     * relative per operation, gates within 4e-7) against the reference's double; was 1e-12 when both were double.
     */
    static final double REFERENCE_TOLERANCE = 2e-5;

    private TestSeries() {
    }

    /** {@code sin(2πt/period) + noise·N(0,1)}, one channel. */
    static double[][] noisySine(int n, double period, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] series = new double[n][1];
        for (int t = 0; t < n; t++) {
            series[t][0] = Math.sin(2 * Math.PI * t / period) + noise * gaussian(random);
        }
        return series;
    }

    /** {@code d} channels of phase-shifted sines plus uniform noise, offset and scaled per channel. */
    static double[][] multiChannel(int n, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] series = new double[n][d];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < d; k++) {
                series[t][k] = 10 * k + (1 + k) * Math.sin(2 * Math.PI * t / (20.0 + 7 * k) + k)
                        + 0.3 * (2 * random.nextDouble() - 1);
            }
        }
        return series;
    }

    /** Standard normal by Box-Muller (deterministic given the generator). */
    static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
