package dev.vigil.score;

import java.util.Arrays;

/**
 * One signal's calibration state, as {@link AnomalyLikelihood} uses it: a ring of the signal's most recent raw
 * values (their mean is the short-term level) and the exponentially weighted mean and variance of past levels.
 * Each of a key's signals (the prediction error, the pattern surprise) keeps one, so every signal is judged
 * against its own history by the same rule. Mutable, not thread-safe; arrays returned are live.
 */
public final class SignalLevel {
    /** Raw values in [0, 1), at float precision (as stored: their mean is a level judged against its spread). */
    private final float[] recent;
    int recentCount;
    int recentNext;
    double longMean;
    double longVariance;
    long levelUpdates;

    /** @param window length of the ring of recent raw values ({@link ScoringConfig#shortWindow()}) */
    public SignalLevel(int window) {
        recent = new float[window];
    }

    /** Ring of the most recent raw values. */
    public float[] recent() {
        return recent;
    }

    /** The short-term level: the mean of the raw values in the ring; NaN while it is empty. */
    public double level() {
        double sum = 0;
        for (int i = 0; i < recentCount; i++) {
            sum += recent[i];
        }
        return sum / recentCount;
    }

    public int window() {
        return recent.length;
    }

    public int recentCount() {
        return recentCount;
    }

    public int recentNext() {
        return recentNext;
    }

    public double longMean() {
        return longMean;
    }

    public double longVariance() {
        return longVariance;
    }

    /** Short-term levels absorbed into the long-run distribution. */
    public long levelUpdates() {
        return levelUpdates;
    }

    /** Forgets everything: an empty ring and no long-run distribution. */
    public void reset() {
        Arrays.fill(recent, 0.0f);
        recentCount = 0;
        recentNext = 0;
        longMean = 0;
        longVariance = 0;
        levelUpdates = 0;
    }

    /** Restores the scalar fields, as read by {@link ScoreStateCodec}. */
    void restore(int count, int next, double mean, double variance, long levels) {
        recentCount = count;
        recentNext = next;
        longMean = mean;
        longVariance = variance;
        levelUpdates = levels;
    }

    /** Deep copy of {@code other} into this; windows must agree. */
    void copyFrom(SignalLevel other) {
        System.arraycopy(other.recent, 0, recent, 0, recent.length);
        restore(other.recentCount, other.recentNext, other.longMean, other.longVariance, other.levelUpdates);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignalLevel s && Arrays.equals(recent, s.recent) && recentCount == s.recentCount
                && recentNext == s.recentNext && Double.compare(longMean, s.longMean) == 0
                && Double.compare(longVariance, s.longVariance) == 0 && levelUpdates == s.levelUpdates;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(levelUpdates) * 31 + Double.hashCode(longMean);
    }
}
