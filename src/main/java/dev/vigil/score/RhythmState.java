package dev.vigil.score;

import java.util.Arrays;

/**
 * One key's state for the rhythm signal ({@link ScoringConfig#rhythmHalfLife()}): per channel, exponentially weighted
 * means of u·x and u², x a reading less the channel's centre and u its usual deviation at that time of day (the
 * drift signal's profile on weekdays, {@link #weekend()} on Saturdays and Sundays), whose ratio β is the share of the
 * usual daily swing the recent readings follow; the weekend profile and the weekend readings it has learnt; and the
 * signal's calibration. Kept as floats, as stored. Mutable, not thread-safe; arrays returned are live.
 */
public final class RhythmState {
    private final float[] follow;
    private final float[] swing;
    private final float[] weekend;
    private final SignalLevel level = new SignalLevel(1);
    long weekendReadings;

    /** A fresh state for {@code channels} channels: nothing learnt. */
    public RhythmState(int channels) {
        follow = new float[channels];
        swing = new float[channels];
        weekend = new float[Scorer.HOUR_BINS * channels];
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
                && Arrays.equals(weekend, r.weekend) && weekendReadings == r.weekendReadings && level.equals(r.level);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(follow) * 31 + Long.hashCode(weekendReadings);
    }
}
