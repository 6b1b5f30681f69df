package dev.vigil.lstm;

import java.util.Arrays;

/**
 * Adam (Kingma and Ba, 2015) over a flat parameter vector, with the gradient scaled before use
 * (for global-norm clipping):
 * <pre>
 *   g ← s·g    m ← β1·m + (1-β1)·g    v ← β2·v + (1-β2)·g²
 *   θ ← θ - lr · (m / (1-β1^t)) / (sqrt(v / (1-β2^t)) + ε)
 * </pre>
 * Parameters, gradient and moments are float32, and so is the per-parameter arithmetic (so the loop
 * vectorises); the bias corrections are running products in double rather than {@code Math.pow}, so updates
 * are bit-reproducible. Moments allocated once; {@link #update} allocates nothing. Not thread-safe.
 */
final class AdamOptimizer {

    /** Decay of the first-moment (mean) estimate. */
    static final double BETA1 = 0.9;
    /** Decay of the second-moment (uncentred variance) estimate. */
    static final double BETA2 = 0.999;
    /** Added to {@code sqrt(v̂)} so that parameters with tiny gradients do not take huge steps. */
    static final double EPSILON = 1e-8;

    private final float[] m;
    private final float[] v;
    private double beta1Power;
    private double beta2Power;

    AdamOptimizer(int size) {
        m = new float[size];
        v = new float[size];
        reset();
    }

    /** Zero moments, step count 0. */
    void reset() {
        Arrays.fill(m, 0f);
        Arrays.fill(v, 0f);
        beta1Power = 1.0;
        beta2Power = 1.0;
    }

    /** {@code ||g||₂}, summed in double in four interleaved partial sums (fixed order, deterministic). */
    static double norm(float[] g) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < g.length; j += 4) {
            s0 += (double) g[j] * g[j];
            s1 += (double) g[j + 1] * g[j + 1];
            s2 += (double) g[j + 2] * g[j + 2];
            s3 += (double) g[j + 3] * g[j + 3];
        }
        for (; j < g.length; j++) {
            s0 += (double) g[j] * g[j];
        }
        return Math.sqrt((s0 + s1) + (s2 + s3));
    }

    /**
     * One Adam step on {@code parameters} (modified) with gradient {@code gradientScale · gradient}
     * ({@code gradient} not modified).
     */
    void update(float[] parameters, float[] gradient, double gradientScale, double learningRate) {
        beta1Power *= BETA1;
        beta2Power *= BETA2;
        float step = (float) (learningRate / (1.0 - beta1Power));
        float secondCorrection = (float) (1.0 / (1.0 - beta2Power));
        float scale = (float) gradientScale;
        float beta1 = (float) BETA1;
        float beta2 = (float) BETA2;
        float oneMinusBeta1 = (float) (1.0 - BETA1);
        float oneMinusBeta2 = (float) (1.0 - BETA2);
        float epsilon = (float) EPSILON;
        for (int j = 0; j < parameters.length; j++) {
            float g = scale * gradient[j];
            float mj = beta1 * m[j] + oneMinusBeta1 * g;
            float vj = beta2 * v[j] + oneMinusBeta2 * g * g;
            m[j] = mj;
            v[j] = vj;
            parameters[j] -= step * mj / ((float) Math.sqrt(vj * secondCorrection) + epsilon);
        }
    }
}
