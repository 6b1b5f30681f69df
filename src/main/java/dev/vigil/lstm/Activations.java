package dev.vigil.lstm;

import java.util.Arrays;

/**
 * Deterministic float {@code tanh} and logistic sigmoid for the LSTM gates.
 *
 * <p>{@code tanh} is a [13/6] rational approximation on {@code [-7.905, 7.905]} (the coefficients of
 * Eigen's {@code generic_fast_tanh_float}), clamped outside: absolute error below 4e-7 (tested), and
 * {@code σ(x) = 0.5 + 0.5·tanh(x/2)}. Why not {@link Math#tanh} or a table-driven {@code exp}: only
 * multiplications, additions, one division and {@link Math#min}/{@link Math#max}, all exact IEEE
 * operations in Java 17 (no fused multiply-add is ever contracted), so the result is the same bits on
 * every JVM and CPU whether the JIT vectorises the loop or not, and the gate loops do vectorise
 * (no table lookups, no branches). Thread-safe, allocation-free.
 */
final class Activations {

    /** Beyond this the approximation is clamped; {@code tanh(7.905)} rounds to within 2^-23 of 1. */
    private static final float CLAMP = 7.90531110763549805f;
    private static final float ALPHA_1 = 4.89352455891786e-03f;
    private static final float ALPHA_3 = 6.37261928875436e-04f;
    private static final float ALPHA_5 = 1.48572235717979e-05f;
    private static final float ALPHA_7 = 5.12229709037114e-08f;
    private static final float ALPHA_9 = -8.60467152213735e-11f;
    private static final float ALPHA_11 = 2.00018790482477e-13f;
    private static final float ALPHA_13 = -2.76076847742355e-16f;
    private static final float BETA_0 = 4.89352518554385e-03f;
    private static final float BETA_2 = 2.26843463243900e-03f;
    private static final float BETA_4 = 1.18534705686654e-04f;
    private static final float BETA_6 = 1.19825839466702e-06f;

    private Activations() {
    }

    /** {@code tanh(x)} within 4e-7 absolute, in [-1, 1]; NaN stays NaN. */
    static float tanh(float x) {
        float a = Math.max(-CLAMP, Math.min(CLAMP, x));
        float a2 = a * a;
        float p = a2 * ALPHA_13 + ALPHA_11;
        p = a2 * p + ALPHA_9;
        p = a2 * p + ALPHA_7;
        p = a2 * p + ALPHA_5;
        p = a2 * p + ALPHA_3;
        p = a2 * p + ALPHA_1;
        p = a * p;
        float q = a2 * BETA_6 + BETA_4;
        q = a2 * q + BETA_2;
        q = a2 * q + BETA_0;
        return p / q;
    }

    /** {@code σ(x) = 1 / (1 + e^-x) = 0.5 + 0.5·tanh(x/2)}, in [0, 1], within 2e-7 absolute. */
    static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    /**
     * {@code z[0, 2H)} and {@code z[3H, 4H)} (i, f, o) ← σ(z); {@code z[2H, 3H)} (g) ← tanh(z), in one loop over
     * {@code 4H} entries (JDK 17's C2 runs one long loop faster than three short ones):
     * {@code z ← shift + scale·tanh(scale·z)} with {@code scale = 0.5, shift = 0.5} for σ (the formula of
     * {@link #sigmoid}) and {@code scale = 1, shift = -0} for tanh ({@code -0 + 1·tanh(1·z)} is {@code tanh(z)},
     * bit for bit).
     *
     * @param coefficients {@link #gateCoefficients} of the hidden size
     */
    static void activateGates(float[] z, float[][] coefficients) {
        float[] scale = coefficients[0];
        float[] shift = coefficients[1];
        for (int j = 0; j < scale.length; j++) {
            z[j] = shift[j] + scale[j] * tanh(scale[j] * z[j]);
        }
    }

    /** The per-entry {@code scale} and {@code shift} of {@link #activateGates} for hidden size {@code H}. */
    static float[][] gateCoefficients(int hiddenSize) {
        float[] scale = new float[ParameterLayout.GATES * hiddenSize];
        float[] shift = new float[scale.length];
        Arrays.fill(scale, 0.5f);
        Arrays.fill(shift, 0.5f);
        Arrays.fill(scale, 2 * hiddenSize, 3 * hiddenSize, 1f);
        Arrays.fill(shift, 2 * hiddenSize, 3 * hiddenSize, -0f);
        return new float[][] {scale, shift};
    }

    /**
     * Copies each gate's block of {@code z} ({@code [k·H, (k+1)·H)}, k = i, f, g, o) into {@code parts[k]}. Loops that
     * combine gates then index every array from the same position, which JDK 17's C2 vectorises; it does not
     * vectorise a loop reading one array at two offsets ({@code z[j]} and {@code z[H + j]}), which ran such loops 2–3×
     * slower.
     */
    static void split(float[] z, float[][] parts, int hiddenSize) {
        for (int k = 0; k < parts.length; k++) {
            System.arraycopy(z, k * hiddenSize, parts[k], 0, hiddenSize);
        }
    }

    /** The inverse of {@link #split}: {@code z[k·H, (k+1)·H) ← parts[k]}. */
    static void join(float[][] parts, float[] z, int hiddenSize) {
        for (int k = 0; k < parts.length; k++) {
            System.arraycopy(parts[k], 0, z, k * hiddenSize, hiddenSize);
        }
    }
}
