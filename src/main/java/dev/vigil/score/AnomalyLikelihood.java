package dev.vigil.score;

/**
 * How unusual the recent prediction-error level of a key is against that key's own long-run
 * distribution of levels, as a score in [0, 1] comparable across keys (after HTM's anomaly likelihood).
 *
 * <pre>
 *   level  m = mean of the last shortWindow raw scores
 *   z        = (m - μ) / max(σ, minStdDev)              μ, σ²: exponentially weighted over past levels
 *   tail   p = Q(z) = ½·erfc(z/√2)                      (one-sided: small errors are never anomalous)
 *   score    = ln(p + 1e-10) / ln(1e-10)                log scale: p = 1e-5 gives 0.5, p ≤ 1e-10 gives 1
 * </pre>
 * Every signal of a key (the prediction error, the pattern surprise) is calibrated this way, each on its own
 * {@link SignalLevel}. Stateless.
 */
public final class AnomalyLikelihood {
    /** Smallest tail probability told apart; the log score saturates at 1 there. */
    public static final double TAIL_FLOOR = 1e-10;
    private static final double LOG_TAIL_FLOOR = Math.log(TAIL_FLOOR);

    private AnomalyLikelihood() {
    }

    /**
     * Pushes a raw value into the ring of recent values (at float precision, as the ring keeps it) and returns the new
     * short-term level.
     */
    public static double pushRaw(SignalLevel state, double rawScore) {
        float[] ring = state.recent();
        ring[state.recentNext] = (float) rawScore;
        state.recentNext = (state.recentNext + 1) % ring.length;
        state.recentCount = Math.min(state.recentCount + 1, ring.length);
        return state.level();
    }

    /** Score in [0, 1] of a level against the long-run distribution so far (0 if nothing is known yet). */
    public static double score(SignalLevel state, double level, ScoringConfig config) {
        if (state.levelUpdates < 2) {
            return 0.0;
        }
        double sd = Math.max(Math.sqrt(state.longVariance), config.minStdDev());
        double z = (level - state.longMean) / sd;
        return logScore(upperTail(z));
    }

    /** Folds a level into the long-run mean and variance (exponentially weighted, plain average at first). */
    public static void absorb(SignalLevel state, double level, ScoringConfig config) {
        long n = ++state.levelUpdates;
        double alpha = Math.max(1.0 - ScoringConfig.decayFor(config.longHalfLife()), 1.0 / n);
        double d = level - state.longMean;
        state.longMean += alpha * d;
        // West's exponentially weighted variance: var ← (1-α)(var + α·d²)
        state.longVariance = (1 - alpha) * (state.longVariance + alpha * d * d);
    }

    /**
     * One reading of a calibrated signal: pushes its raw value ({@link #pushRaw}), scores the new level less {@code
     * expected} against the signal's history ({@link #score}), then absorbs the level whole ({@link #absorb}).
     */
    public static double calibrate(SignalLevel signal, double raw, double expected, ScoringConfig config) {
        double level = pushRaw(signal, raw);
        double score = score(signal, level - expected, config);
        absorb(signal, level, config);
        return score;
    }

    /** Q(z) = P(Z > z) for a standard normal Z. */
    public static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2.0));
    }

    /** ln(p + floor) / ln(floor), clamped to [0, 1]. */
    public static double logScore(double tail) {
        double s = Math.log(tail + TAIL_FLOOR) / LOG_TAIL_FLOOR;
        return Math.max(0.0, Math.min(1.0, s));
    }

    /**
     * Complementary error function, fractional error below 1.2e-7 everywhere (Chebyshev fit,
     * Numerical Recipes' erfcc), so tail probabilities stay accurate far out where the log score lives.
     */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }
}
