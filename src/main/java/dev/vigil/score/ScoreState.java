package dev.vigil.score;

import dev.vigil.ShapeMismatchException;

import java.util.Arrays;

/**
 * The scoring half of one key's state: the online normaliser of every channel, the range seen so far,
 * the recent prediction-error levels, the long-run distribution of those levels and the alert state.
 * Mutable, not thread-safe; one instance per key. Arrays returned by accessors are live.
 */
public final class ScoreState {
    private final double[] center;
    private final double[] scale;
    private final double[] min;
    private final double[] max;
    private final double[] recent;
    private final double[] last;
    long updates;
    int recentCount;
    int recentNext;
    double longMean;
    double longVariance;
    long levelUpdates;
    boolean alertOpen;
    int quietRun;
    int flatRun;
    long repeats;
    long alertsOpened;

    /**
     * @param channels    number of channels d
     * @param shortWindow length of the ring of recent raw scores ({@link ScoringConfig#shortWindow()})
     */
    public ScoreState(int channels, int shortWindow) {
        if (channels < 1) {
            throw new ShapeMismatchException("channels must be >= 1, got " + channels);
        }
        center = new double[channels];
        scale = new double[channels];
        min = new double[channels];
        max = new double[channels];
        recent = new double[shortWindow];
        last = new double[channels];
    }

    public int channels() {
        return center.length;
    }

    public int shortWindow() {
        return recent.length;
    }

    /** Running centre of each channel, raw units. */
    public double[] center() {
        return center;
    }

    /** Running mean absolute deviation of each channel around its centre, raw units (0 until known). */
    public double[] scale() {
        return scale;
    }

    /** Smallest reading seen per channel (valid once {@link #updates()} > 0). */
    public double[] min() {
        return min;
    }

    /** Largest reading seen per channel (valid once {@link #updates()} > 0). */
    public double[] max() {
        return max;
    }

    /** The previous reading per channel (valid once {@link #updates()} > 0). */
    public double[] last() {
        return last;
    }

    /** Consecutive events whose reading repeated the previous one exactly in every channel. */
    public int flatRun() {
        return flatRun;
    }

    /** Events whose reading repeated the previous one exactly (all channels). */
    public long repeats() {
        return repeats;
    }

    /** Ring of the most recent raw scores. */
    public double[] recent() {
        return recent;
    }

    /** Readings the normaliser and range have absorbed. */
    public long updates() {
        return updates;
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

    public boolean alertOpen() {
        return alertOpen;
    }

    /** Consecutive events below the alert threshold while an alert is open. */
    public int quietRun() {
        return quietRun;
    }

    public long alertsOpened() {
        return alertsOpened;
    }

    /** Restores the scalar fields, as read by {@link ScoreStateCodec}. */
    void restore(long updates, int recentCount, int recentNext, double longMean, double longVariance,
                 long levelUpdates, boolean alertOpen, int quietRun, long alertsOpened, int flatRun, long repeats) {
        this.updates = updates;
        this.recentCount = recentCount;
        this.recentNext = recentNext;
        this.longMean = longMean;
        this.longVariance = longVariance;
        this.levelUpdates = levelUpdates;
        this.alertOpen = alertOpen;
        this.quietRun = quietRun;
        this.alertsOpened = alertsOpened;
        this.flatRun = flatRun;
        this.repeats = repeats;
    }

    /** Deep copy of {@code other} into this; shapes must agree. */
    public void copyFrom(ScoreState other) {
        if (other.channels() != channels() || other.shortWindow() != shortWindow()) {
            throw new ShapeMismatchException("score state shape (" + other.channels() + ", " + other.shortWindow()
                    + ") does not match (" + channels() + ", " + shortWindow() + ")");
        }
        System.arraycopy(other.center, 0, center, 0, center.length);
        System.arraycopy(other.scale, 0, scale, 0, scale.length);
        System.arraycopy(other.min, 0, min, 0, min.length);
        System.arraycopy(other.max, 0, max, 0, max.length);
        System.arraycopy(other.recent, 0, recent, 0, recent.length);
        System.arraycopy(other.last, 0, last, 0, last.length);
        restore(other.updates, other.recentCount, other.recentNext, other.longMean, other.longVariance,
                other.levelUpdates, other.alertOpen, other.quietRun, other.alertsOpened, other.flatRun, other.repeats);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreState s
                && Arrays.equals(center, s.center) && Arrays.equals(scale, s.scale)
                && Arrays.equals(min, s.min) && Arrays.equals(max, s.max) && Arrays.equals(recent, s.recent) && Arrays.equals(last, s.last) && flatRun == s.flatRun && repeats == s.repeats
                && updates == s.updates && recentCount == s.recentCount && recentNext == s.recentNext
                && Double.compare(longMean, s.longMean) == 0 && Double.compare(longVariance, s.longVariance) == 0
                && levelUpdates == s.levelUpdates && alertOpen == s.alertOpen && quietRun == s.quietRun
                && alertsOpened == s.alertsOpened;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(center) * 31 + Long.hashCode(updates);
    }
}
