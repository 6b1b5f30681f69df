package dev.vigil.score;

import java.util.Arrays;

/**
 * One key's state for the rhythm signal ({@link ScoringConfig#rhythmHalfLife()}): per channel, exponentially weighted
 * means of u·x and u², x a reading less the channel's centre and u its usual deviation at that time of day ({@link
 * #weekday()}, or {@link #weekend()} on Saturdays and Sundays), whose ratio β is the share of the usual daily swing the
 * recent readings follow; the two profiles and the weekend readings learnt; and the signal's calibration. Kept as
 * floats, as stored. Mutable, not thread-safe; arrays returned are live.
 */
public final class RhythmState {
    private final float[] follow;
    private final float[] swing;
    private final float[] weekend;
    private final float[] weekday;
    private final SignalLevel level = new SignalLevel(1);
    long weekendReadings;

    /** A fresh state for {@code channels} channels: nothing learnt. */
    public RhythmState(int channels) {
        follow = new float[channels];
        swing = new float[channels];
        weekend = new float[Scorer.HOUR_BINS * channels];
        weekday = new float[Scorer.RHYTHM_BINS * channels];
    }

    public int channels() {
        return follow.length;
    }

    /** Per channel, the exponentially weighted mean of u·x (raw units squared). */
    public float[] follow() {
        return follow;
    }

    /** Per channel, the exponentially weighted mean of u² (raw units squared): the usual swing's energy. */
    public float[] swing() {
        return swing;
    }

    /**
     * Per channel, {@value Scorer#HOUR_BINS} bins of the UTC day on Saturdays and Sundays ({@code channel * HOUR_BINS +
     * bin}): how far the channel's weekend readings usually lie from its centre, raw units.
     */
    public float[] weekend() {
        return weekend;
    }

    /**
     * Per channel, {@value Scorer#RHYTHM_BINS} bins of the day ({@code channel * RHYTHM_BINS + bin}): how far the
     * channel's readings usually lie from its centre at that time, raw units, learnt from every reading in steps of at
     * most {@value Scorer#RHYTHM_STEP_CLIP} scale, so an incident's readings bend it by little.
     */
    public float[] weekday() {
        return weekday;
    }

    /**
     * Starts {@link #weekday()} from the drift signal's time-of-day profile ({@link ScoreState#hourMean()}, each bin
     * the mean of the two it spans): a state written before the rhythm had a profile of its own, or a rhythm turned
     * on, begins with what the key has learnt of its day.
     */
    void seedWeekday(float[] hourMean) {
        int per = Scorer.HOUR_BINS / Scorer.RHYTHM_BINS;
        for (int j = 0; j < weekday.length; j++) {
            double sum = 0;
            for (int b = 0; b < per; b++) {
                sum += hourMean[j * per + b];
            }
            weekday[j] = (float) (sum / per);
        }
    }

    /** Weekend readings learnt into {@link #weekend()}. */
    public long weekendReadings() {
        return weekendReadings;
    }

    /** The signal's calibration (its level is the latest value: the weighted means already smooth). */
    public SignalLevel level() {
        return level;
    }

    void copyFrom(RhythmState other) {
        System.arraycopy(other.follow, 0, follow, 0, follow.length);
        System.arraycopy(other.swing, 0, swing, 0, swing.length);
        System.arraycopy(other.weekend, 0, weekend, 0, weekend.length);
        System.arraycopy(other.weekday, 0, weekday, 0, weekday.length);
        weekendReadings = other.weekendReadings;
        level.copyFrom(other.level);
    }

    /** Channel c's swing lost, raw units: (1 - β)⁺ times the root of the usual swing's energy (0 before any). */
    public double lostSwing(int c) {
        double usual = swing[c];
        return usual > 0 ? Math.max(0.0, 1.0 - follow[c] / usual) * Math.sqrt(usual) : 0.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RhythmState r && Arrays.equals(follow, r.follow) && Arrays.equals(swing, r.swing)
                && Arrays.equals(weekend, r.weekend) && Arrays.equals(weekday, r.weekday)
                && weekendReadings == r.weekendReadings && level.equals(r.level);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(follow) * 31 + Long.hashCode(weekendReadings);
    }
}
