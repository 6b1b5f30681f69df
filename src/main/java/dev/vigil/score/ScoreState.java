package dev.vigil.score;

import dev.vigil.ShapeMismatchException;

import java.util.Arrays;
import java.util.Objects;

/**
 * The scoring half of one key's state: the online normaliser of every channel, the range seen so far,
 * the calibration state of each signal (prediction error, pattern surprise), the key's pattern table, its rhythm
 * state and the alert state.
 * Mutable, not thread-safe; one instance per key. Arrays returned by accessors are live.
 */
public final class ScoreState {
    private final double[] center;
    private final double[] scale;
    private final double[] min;
    private final double[] max;
    private final double[] last;
    /** Per channel: every reading so far a whole number >= 0 (the channel counts something). */
    private final boolean[] counts;
    private final double[] recentMean;
    private final Excursions excursions;
    /** Per channel and bin of the day: the reading's usual deviation from the centre (float, as stored). */
    private final float[] hourMean;
    private final SignalLevel error;
    private final SignalLevel drift;
    private SignalLevel pattern;
    private PatternTable patterns;
    private RhythmState rhythm;
    private BurstState burst;
    private IdleReadings idle;
    private CountDispersion dispersion;
    private NoveltyState novelty;
    /** A counter key's totals at its previous reading, per channel (NaN for a channel that is no counter); or null. */
    private double[] counterTotals;
    long updates;
    boolean alertOpen;
    int quietRun;
    int flatRun;
    long repeats;
    long repeatsAfterRepeat;
    long alertsOpened;
    /** The rule or signal that opened the alert now open; null when none is open or it is not known. */
    AlertReason openReason;

    /** A state without a pattern table (the pattern signal off). */
    public ScoreState(int channels, int shortWindow) {
        this(channels, shortWindow, 0, 0, shortWindow);
    }

    /**
     * @param channels      number of channels d
     * @param shortWindow   length of the rings of recent raw values ({@link ScoringConfig#shortWindow()})
     * @param patternBins   {@link ScoringConfig#patternBins()}; 0: no pattern table
     * @param patternLength {@link ScoringConfig#patternLength()} (ignored without bins)
     * @param patternWindow length of the ring of recent pattern surprises ({@link ScoringConfig#patternWindow()})
     */
    public ScoreState(int channels, int shortWindow, int patternBins, int patternLength, int patternWindow) {
        if (channels < 1) {
            throw new ShapeMismatchException("channels must be >= 1, got " + channels);
        }
        center = new double[channels];
        scale = new double[channels];
        min = new double[channels];
        max = new double[channels];
        last = new double[channels];
        counts = new boolean[channels];
        Arrays.fill(counts, true);
        recentMean = new double[channels];
        excursions = new Excursions(channels);
        hourMean = new float[Scorer.HOUR_BINS * channels];
        error = new SignalLevel(shortWindow);
        drift = new SignalLevel(1);
        pattern = new SignalLevel(patternWindow);
        patterns = patternBins == 0 ? null : new PatternTable(channels, patternBins, patternLength);
    }

    public int channels() {
        return center.length;
    }

    public int shortWindow() {
        return error.window();
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

    /**
     * Per channel, whether every reading so far was a whole number >= 0 (a count; true before the first reading).
     * Live: {@link OnlineNormaliser#update} clears a channel's flag for good at its first other reading.
     */
    public boolean[] counts() {
        return counts;
    }

    /** Consecutive events whose reading repeated the previous one exactly in every channel. */
    public int flatRun() {
        return flatRun;
    }

    /** Events whose reading repeated the previous one exactly (all channels). */
    public long repeats() {
        return repeats;
    }

    /** Events whose reading repeated the previous one exactly and followed a repeat (the second and later of a run). */
    public long repeatsAfterRepeat() {
        return repeatsAfterRepeat;
    }

    /** Calibration state of the prediction error (raw scores, their level and its long-run distribution). */
    public SignalLevel error() {
        return error;
    }

    /** Recent mean of each channel, raw units ({@link ScoringConfig#driftHalfLife()}; valid once updated). */
    public double[] recentMean() {
        return recentMean;
    }

    /** What the key has learnt of its jumps and excursions (the range rule's jump test, the spike rule). */
    public Excursions excursions() {
        return excursions;
    }

    /**
     * Per channel, {@value Scorer#HOUR_BINS} bins of the UTC day ({@code channel * HOUR_BINS + bin}): how far the
     * channel's readings in that part of the day usually lie from its centre, raw units ({@link
     * ScoringConfig#driftByHour()}; zero until learnt).
     */
    public float[] hourMean() {
        return hourMean;
    }

    /** Calibration state of the drift signal (its level is the latest value: the recent mean already smooths). */
    public SignalLevel drift() {
        return drift;
    }

    /** Calibration state of the pattern surprise. */
    public SignalLevel pattern() {
        return pattern;
    }

    /** The key's pattern table, or null when the pattern signal is off. */
    public PatternTable patterns() {
        return patterns;
    }

    /**
     * Makes the pattern table fit {@code bins} and {@code length} (0 bins: none) and the pattern calibration
     * {@code window}, starting them afresh when the configuration changed since the state was made (or the state
     * was written before the pattern signal existed).
     */
    void fitPatterns(int bins, int length, int window) {
        boolean fits = bins == 0 ? patterns == null
                : patterns != null && patterns.bins() == bins && patterns.length() == length;
        if (!fits) {
            patterns = bins == 0 ? null : new PatternTable(channels(), bins, length);
            pattern.reset();
        }
        if (pattern.window() != window) {
            pattern = new SignalLevel(window);
        }
    }

    /** Installs a decoded pattern table (or none) and pattern calibration, as read by {@link ScoreStateCodec}. */
    void restorePatterns(PatternTable table, SignalLevel level) {
        patterns = table;
        pattern = level;
    }

    /** The key's rhythm signal state, or null when the rhythm signal is off. */
    public RhythmState rhythm() {
        return rhythm;
    }

    /**
     * Gives the state a fresh rhythm state when {@code on} and it has none (the signal turned on, or a state written
     * before it existed), its weekday profile started from the time-of-day profile ({@link RhythmState#seedWeekday}),
     * and drops it when off.
     */
    void fitRhythm(boolean on) {
        if (on && rhythm == null) {
            rhythm = new RhythmState(channels());
            rhythm.seedWeekday(hourMean);
        } else if (!on) {
            rhythm = null;
        }
    }

    /** Installs a decoded rhythm state (or none), as read by {@link ScoreStateCodec}. */
    void restoreRhythm(RhythmState state) {
        rhythm = state;
    }

    /** The key's daily error bursts, or null when {@link ScoringConfig#burstByHour()} is off. */
    public BurstState burst() {
        return burst;
    }

    /** Gives the state fresh daily error bursts when {@code on} and it has none, and drops them when off. */
    void fitBurst(boolean on) {
        if (on && burst == null) {
            burst = new BurstState();
        } else if (!on) {
            burst = null;
        }
    }

    /** Installs decoded daily error bursts (or none), as read by {@link ScoreStateCodec}. */
    void restoreBurst(BurstState state) {
        burst = state;
    }

    /** The readings the key idles at, or null when {@link ScoringConfig#flatlineRuns()} is off. */
    public IdleReadings idle() {
        return idle;
    }

    /**
     * Gives the state idle readings when {@code on} and it has none (one slot matching any run, counted as the key's
     * repeats and the repeats that followed one), and drops them when off.
     */
    void fitIdle(boolean on) {
        if (on && idle == null) {
            idle = new IdleReadings(channels(), repeats, repeatsAfterRepeat);
        } else if (!on) {
            idle = null;
        }
    }

    /** Installs decoded idle readings (or none), as read by {@link ScoreStateCodec}. */
    void restoreIdle(IdleReadings readings) {
        idle = readings;
    }

    /** The key's count over-dispersion, or null when it has no count channel or the setting is off. */
    public CountDispersion dispersion() {
        return dispersion;
    }

    /** Gives the state a fresh dispersion when {@code on} and it has none, and drops it when off. */
    void fitDispersion(boolean on) {
        if (on && dispersion == null) {
            dispersion = new CountDispersion(channels());
        } else if (!on) {
            dispersion = null;
        }
    }

    /** The key's window novelty state, or null when the novelty signal is off. */
    public NoveltyState novelty() {
        return novelty;
    }

    /**
     * Makes the novelty state fit the settings ({@link ScoringConfig#noveltyWindow()} 0: none), starting it afresh when
     * they changed since it was made (or the state was written before the novelty signal existed).
     */
    void fitNovelty(int window, int capacity, int levelWindow) {
        if (window == 0) {
            novelty = null;
        } else if (novelty == null || !novelty.fits(channels(), window, capacity, levelWindow)) {
            novelty = new NoveltyState(channels(), window, capacity, levelWindow);
        }
    }

    /** Installs a decoded novelty state (or none), as read by {@link ScoreStateCodec}. */
    void restoreNovelty(NoveltyState decoded) {
        novelty = decoded;
    }

    /** Installs a decoded dispersion (or none), as read by {@link ScoreStateCodec}. */
    void restoreDispersion(CountDispersion decoded) {
        dispersion = decoded;
    }

    /**
     * A key with counter channels ({@code DetectorConfig.counters}): each counter's total at the key's previous
     * reading (NaN for the other channels), from which the next reading's increase is taken; null before the key's
     * first reading and for keys without counters. Live array.
     */
    public double[] counterTotals() {
        return counterTotals;
    }

    /** Sets (a copy of) the totals of the key's latest reading; see {@link #counterTotals()}. */
    public void counterTotals(double[] totals) {
        if (totals != null && totals.length != channels()) {
            throw new IllegalArgumentException("expected " + channels() + " totals, got " + totals.length);
        }
        counterTotals = totals == null ? null : totals.clone();
    }

    /** Readings the normaliser and range have absorbed. */
    public long updates() {
        return updates;
    }

    public boolean alertOpen() {
        return alertOpen;
    }

    /**
     * What opened the alert now open ({@link AlertReason#RANGE}, {@link AlertReason#STUCK_SENSOR}, ...); null when no
     * alert is open, or for an alert opened before states kept it.
     */
    public AlertReason openReason() {
        return openReason;
    }

    /** Consecutive events below the alert threshold while an alert is open. */
    public int quietRun() {
        return quietRun;
    }

    public long alertsOpened() {
        return alertsOpened;
    }

    /** Restores the scalar fields, as read by {@link ScoreStateCodec}. */
    void restore(long updates, boolean alertOpen, int quietRun, long alertsOpened, int flatRun, long repeats) {
        this.updates = updates;
        this.alertOpen = alertOpen;
        this.quietRun = quietRun;
        this.alertsOpened = alertsOpened;
        this.flatRun = flatRun;
        this.repeats = repeats;
    }

    /** Deep copy of {@code other} into this; shapes must agree. */
    public void copyFrom(ScoreState other) {
        if (other.channels() != channels() || other.shortWindow() != shortWindow()
                || other.pattern.window() != pattern.window()
                || (other.patterns == null) != (patterns == null)
                || (patterns != null && !patterns.sameShape(other.patterns))) {
            throw new ShapeMismatchException("score state shape (" + other.channels() + ", " + other.shortWindow()
                    + ") does not match (" + channels() + ", " + shortWindow() + ") or its pattern table's");
        }
        System.arraycopy(other.center, 0, center, 0, center.length);
        System.arraycopy(other.scale, 0, scale, 0, scale.length);
        System.arraycopy(other.min, 0, min, 0, min.length);
        System.arraycopy(other.max, 0, max, 0, max.length);
        System.arraycopy(other.last, 0, last, 0, last.length);
        System.arraycopy(other.counts, 0, counts, 0, counts.length);
        System.arraycopy(other.recentMean, 0, recentMean, 0, recentMean.length);
        excursions.copyFrom(other.excursions);
        System.arraycopy(other.hourMean, 0, hourMean, 0, hourMean.length);
        error.copyFrom(other.error);
        drift.copyFrom(other.drift);
        pattern.copyFrom(other.pattern);
        if (patterns != null) {
            patterns.copyFrom(other.patterns);
        }
        if (other.rhythm == null) {
            rhythm = null;
        } else {
            fitRhythm(true);
            rhythm.copyFrom(other.rhythm);
        }
        if (other.burst == null) {
            burst = null;
        } else {
            fitBurst(true);
            burst.copyFrom(other.burst);
        }
        if (other.idle == null) {
            idle = null;
        } else {
            fitIdle(true);
            idle.copyFrom(other.idle);
        }
        if (other.dispersion == null) {
            dispersion = null;
        } else {
            fitDispersion(true);
            dispersion.copyFrom(other.dispersion);
        }
        if (other.novelty == null) {
            novelty = null;
        } else {
            NoveltyState o = other.novelty;
            fitNovelty(o.window, o.capacity(), o.level.window());
            novelty.copyFrom(o);
        }
        counterTotals(other.counterTotals);
        restore(other.updates, other.alertOpen, other.quietRun, other.alertsOpened, other.flatRun, other.repeats);
        openReason = other.openReason;
        repeatsAfterRepeat = other.repeatsAfterRepeat;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreState s
                && Arrays.equals(center, s.center) && Arrays.equals(scale, s.scale)
                && Arrays.equals(min, s.min) && Arrays.equals(max, s.max) && Arrays.equals(last, s.last)
                && Arrays.equals(counts, s.counts) && Arrays.equals(recentMean, s.recentMean)
                && drift.equals(s.drift) && excursions.equals(s.excursions) && Arrays.equals(hourMean, s.hourMean)
                && flatRun == s.flatRun && repeats == s.repeats && updates == s.updates
                && error.equals(s.error) && pattern.equals(s.pattern) && Objects.equals(patterns, s.patterns)
                && Objects.equals(rhythm, s.rhythm) && Objects.equals(burst, s.burst)
                && Objects.equals(idle, s.idle) && Objects.equals(dispersion, s.dispersion)
                && Objects.equals(novelty, s.novelty)
                && Arrays.equals(counterTotals, s.counterTotals)
                && alertOpen == s.alertOpen && openReason == s.openReason && quietRun == s.quietRun
                && alertsOpened == s.alertsOpened && repeatsAfterRepeat == s.repeatsAfterRepeat;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(center) * 31 + Long.hashCode(updates);
    }
}
