package dev.vigil.score;

import java.util.Arrays;

/**
 * A count key's over-dispersion ({@link ScoringConfig#countDispersionHalfLife()}): per channel, running means of its
 * squared misses less the level missed, and of the level squared, whose ratio φ is the negative binomial's: a count
 * whose mean is m varies by m + φm² about it. Poisson counts have φ = 0; bursty ones, whose quiet hours are far
 * quieter than their busy ones, a φ that makes the variance follow the level's square. Float32, as stored. Not
 * thread-safe; owned by the {@link ScoreState} that holds it.
 */
public final class CountDispersion {
    /**
     * Readings a key learns its dispersion from before it is used: until then φ is 0, the plain square-root scale.
     */
    static final int SETTLE = 100;
    /** A miss counts in the dispersion at most this many of its current standard deviations (a burst is not noise). */
    static final double MISS_CLIP = 4.0;

    /** Per channel, the running mean of min(|x − p|, clip)² − p (p the prediction, at least 1). */
    final float[] missSquare;
    /** Per channel, the running mean of p². */
    final float[] levelSquare;

    CountDispersion(int channels) {
        missSquare = new float[channels];
        levelSquare = new float[channels];
    }

    /** Stored bytes for a key of {@code channels} channels. */
    static int bytes(int channels) {
        return 2 * Float.BYTES * channels;
    }

    /** Per channel, the running mean of the squared misses less the level missed. */
    public float[] missSquare() {
        return missSquare;
    }

    /** Per channel, the running mean of the squared level. */
    public float[] levelSquare() {
        return levelSquare;
    }

    /** Channel c's dispersion φ (0 when none is learnt or the misses are no wider than Poisson's). */
    public double phi(int c) {
        return levelSquare[c] > 0 ? Math.max(0.0, (double) missSquare[c] / levelSquare[c]) : 0.0;
    }

    /**
     * How much more a count's shortfall at {@code level} weighs than on the square-root scale, given channel c's
     * dispersion: √((1 + φ·centre) / (1 + φ·level)) below the centre, 1 at or above it. The square-root scale takes a
     * count's variance to grow like its level; an over-dispersed count's grows like the level's square, so at a quiet
     * hour its noise is smaller than the square root says and a drop there stands out further. Above the centre, where
     * bursts live, the square-root scale stands (weighing there too lost NAB's tweet windows, which are bursts).
     */
    double weight(int c, double centre, double level) {
        double phi = phi(c);
        return level >= centre || phi == 0 ? 1.0 : Math.sqrt((1 + phi * centre) / (1 + phi * level));
    }

    /**
     * Folds one reading {@code x} of channel c, predicted {@code p}, into the running means with weight {@code
     * alpha}.
     */
    void learn(int c, double x, double p, double alpha) {
        double level = Math.max(p, 1.0);
        double sd = Math.sqrt(level + phi(c) * level * level);
        double miss = Math.min(Math.abs(x - p), MISS_CLIP * sd);
        missSquare[c] = (float) (missSquare[c] + alpha * (miss * miss - level - missSquare[c]));
        levelSquare[c] = (float) (levelSquare[c] + alpha * (level * level - levelSquare[c]));
    }

    void copyFrom(CountDispersion other) {
        System.arraycopy(other.missSquare, 0, missSquare, 0, missSquare.length);
        System.arraycopy(other.levelSquare, 0, levelSquare, 0, levelSquare.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CountDispersion d && Arrays.equals(missSquare, d.missSquare)
                && Arrays.equals(levelSquare, d.levelSquare);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(missSquare) * 31 + Arrays.hashCode(levelSquare);
    }
}
