package dev.vigil.score;

import java.util.Arrays;

/**
 * A key's daily bursts of prediction error ({@link ScoringConfig#burstByHour()}): for each hour of the day
 * ({@value #BINS} bins, in {@link ScoringConfig#timeZone()}), the running mean and mean square, over about the last
 * {@value Scorer#BURST_MEMORY_DAYS} days, of the highest error level the key reached in that hour each day, and how
 * many days (up to that memory) it has seen the hour; and the hour being visited with its highest level so far.
 * Float32 throughout, as stored. Not thread-safe; owned by the {@link ScoreState} that holds it.
 */
public final class BurstState {
    /** Bins of the day: one an hour. */
    public static final int BINS = 24;
    /** Stored bytes: mean and mean square a bin (float32), a day count a bin, the hour visited, its highest level. */
    static final int BYTES = 2 * Float.BYTES * BINS + BINS + 1 + Float.BYTES;

    final float[] mean = new float[BINS];
    final float[] square = new float[BINS];
    final byte[] days = new byte[BINS];
    /** The hour being visited, or -1 before the first timed reading. */
    int hour = -1;
    /** The highest error level of this visit of {@link #hour}. */
    float highest;

    /** Per hour, the mean of the daily highest error levels. */
    public float[] mean() {
        return mean;
    }

    /** Per hour, the mean square of the daily highest error levels. */
    public float[] square() {
        return square;
    }

    /** Per hour, the days it has been seen (at most {@link Scorer#BURST_MEMORY_DAYS}). */
    public byte[] days() {
        return days;
    }

    void copyFrom(BurstState other) {
        System.arraycopy(other.mean, 0, mean, 0, BINS);
        System.arraycopy(other.square, 0, square, 0, BINS);
        System.arraycopy(other.days, 0, days, 0, BINS);
        hour = other.hour;
        highest = other.highest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BurstState b && Arrays.equals(mean, b.mean) && Arrays.equals(square, b.square)
                && Arrays.equals(days, b.days) && hour == b.hour && Float.compare(highest, b.highest) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + hour;
    }
}
