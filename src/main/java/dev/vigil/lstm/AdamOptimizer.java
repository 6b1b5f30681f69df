package dev.vigil.lstm;

import java.util.Arrays;

/**
 * Adam (Kingma and Ba, 2015) over a flat parameter vector, with the gradient scaled before use
 * (for global-norm clipping):
 * <pre>
 *   g ← s·g    m ← β1·m + (1-β1)·g    v ← β2·v + (1-β2)·g²
 *   θ ← θ - lr · (m / (1-β1^t)) / (sqrt(v / (1-β2^t)) + ε)
 * </pre>
 * Moments allocated once; {@link #update} allocates nothing. Bias corrections use running products
 * rather than {@code Math.pow}, so updates are bit-reproducible. Not thread-safe.
 */
final class AdamOptimizer {

    /** Decay of the first-moment (mean) estimate. */
    static final double BETA1 = 0.9;
    /** Decay of the second-moment (uncentred variance) estimate. */
    static final double BETA2 = 0.999;
    /** Added to {@code sqrt(v̂)} so that parameters with tiny gradients do not take huge steps. */
    static final double EPSILON = 1e-8;

    private final double[] m;
    private final double[] v;
    private double beta1Power;
    private double beta2Power;

    AdamOptimizer(int size) {
        m = new double[size];
        v = new double[size];
        reset();
    }

    /** Zero moments, step count 0. */
    void reset() {
        Arrays.fill(m, 0.0);
        Arrays.fill(v, 0.0);
        beta1Power = 1.0;
        beta2Power = 1.0;
    }

    /** {@code ||g||₂}, summed in four interleaved partial sums (fixed order, deterministic). */
    static double norm(double[] g) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < g.length; j += 4) {
            s0 += g[j] * g[j];
            s1 += g[j + 1] * g[j + 1];
            s2 += g[j + 2] * g[j + 2];
            s3 += g[j + 3] * g[j + 3];
        }
        for (; j < g.length; j++) {
            s0 += g[j] * g[j];
        }
        return Math.sqrt((s0 + s1) + (s2 + s3));
    }

    /**
     * One Adam step on {@code parameters} (modified) with gradient {@code gradientScale · gradient}
     * ({@code gradient} not modified).
     */
    void update(double[] parameters, double[] gradient, double gradientScale, double learningRate) {
        beta1Power *= BETA1;
        beta2Power *= BETA2;
        double step = learningRate / (1.0 - beta1Power);
        double secondCorrection = 1.0 / (1.0 - beta2Power);
        for (int j = 0; j < parameters.length; j++) {
            double g = gradientScale * gradient[j];
            double mj = BETA1 * m[j] + (1.0 - BETA1) * g;
            double vj = BETA2 * v[j] + (1.0 - BETA2) * g * g;
            m[j] = mj;
            v[j] = vj;
            parameters[j] -= step * mj / (Math.sqrt(vj * secondCorrection) + EPSILON);
        }
    }
}
