package dev.vigil.score;

import dev.vigil.BadConfigException;

/**
 * How prediction errors become a calibrated anomaly score and alerts. Immutable.
 *
 * @param warmupEvents           events per key before any score or alert is emitted (the score is 0 and the
 *                               result is flagged warm-up); range 1..1,000,000, default 120
 * @param normaliserHalfLife     half-life, in events, of the per-key online scale of each channel that makes
 *                               prediction errors unitless; range 10..10,000,000, default 2000
 * @param outlierClip            a reading further than this many scales from the running centre updates the
 *                               normaliser as if it were exactly that far (robustness to outliers); range 1..100,
 *                               default 4.0
 * @param shortWindow            events averaged into the short-term prediction-error level (HTM uses 10);
 *                               range 1..64, default 10
 * @param longHalfLife           half-life, in events, of the long-run distribution (mean, variance) of the
 *                               short-term level that the current level is compared with; range 10..10,000,000,
 *                               default 2500
 * @param minStdDev              floor on the long-run standard deviation, in error units, so that a perfectly
 *                               predicted series does not turn the slightest miss into certainty; range 0..1,
 *                               default 0.02
 * @param spatialTolerance       a reading outside the range seen so far by more than this fraction of that range
 *                               scores 1; 0 disables; range 0..10, default 0.05
 * @param alertThreshold         score at or above which an alert opens; range (0, 1], default 0.5
 * @param quietEvents            consecutive events below the threshold that close an open alert; range 1..1,000,000,
 *                               default 60
 * @param flatlineEvents         shortest run of exactly repeated readings (every channel) that can mark a stuck
 *                               sensor; the run scores 1 once it is also improbable for the key (p^run <= 1e-5, p the
 *                               key's own rate of exact repeats); 0 disables; range 0..1,000,000, default 30
 * @param repeatLevel            while an alert is open, scores that would reach the threshold again are reported
 *                               at this level instead, so one incident is reported once (HTM's "yellow" level),
 *                               unless the range or stuck-sensor rule fires and did not open the alert: that opens
 *                               an alert of its own ({@link Scorer#opensAnew}); range [0, 1], default 0.3
 * @param patternBins            bins across the range seen so far in which the pattern signal quantises readings
 *                               ({@link PatternSurprise}); 0 turns the pattern signal off; range 0..16, default 8
 * @param patternLength          readings in one pattern (a context of patternLength - 1 readings and the one that
 *                               follows); range 2..4, with (patternBins + 2)^patternLength at most
 *                               {@link #MAX_PATTERN_CELLS}; default 2
 * @param patternWindow          events averaged into the short-term pattern-surprise level (the pattern signal's
 *                               shortWindow: a habit that breaks stays broken, a one-off odd step does not count);
 *                               range 1..64, default 20
 * @param countAware             a channel whose readings have all been whole numbers >= 0 (a count) measures its
 *                               prediction error against the square root of its level, as Poisson-like noise grows:
 *                               a burst at a high level is less surprising, a drop at a low level more; default true
 * @param driftHalfLife          half-life, in events, of each channel's recent mean (of its readings less their usual
 *                               value at that time of day, with {@code driftByHour}); its distance from the key's
 *                               long-run centre, in scales, is the drift signal, calibrated like the prediction error
 *                               (a slow change the predictor follows step by step still moves it); scored once the key
 *                               has seen that many events; 0 disables; range 0..100,000, default 120
 * @param flatlineRuns           the stuck-sensor rule judges a run at a reading the key idles at (one of the
 *                               readings of its last two distinct runs of at least flatlineEvents repeats, {@link
 *                               IdleReadings}) against its own runs there: p^run becomes p·q^(run-1), q the rate of
 *                               a repeat following a repeat in its earlier long runs at that reading (at least p), so
 *                               a key that idles at a constant reading as a matter of course (a machine off at night,
 *                               disk writes, key presses) is not flagged at every idle spell, and the run being judged
 *                               does not vouch for itself; a run at any other reading (a freeze while working) is
 *                               judged as without the setting; default false (the independent rate; see
 *                               docs/detection-quality.md for why it is not the default)
 * @param youngRangeMs           event time, in ms from a key's first reading, during which its range is young: it has
 *                               not yet seen a whole day of its cycle, so a reading past it is often just the day going
 *                               on; the range rule then needs {@code youngSpatialTolerance} instead of
 *                               {@code spatialTolerance}; 0 disables; range 0..31,536,000,000 (a year), default
 *                               86,400,000 (a day)
 * @param youngSpatialTolerance  the range rule's tolerance while the key's range is young (never below
 *                               {@code spatialTolerance}); range 0..10, default 0.25
 * @param jumpHalfLife           half-life, in events, of each channel's recent level that a reading's jump is measured
 *                               from (the reading less that level); a reading outside the range then scores 1 only if
 *                               its jump is also outside the range of the key's jumps (by the same tolerance), so a
 *                               slow climb to a new high (a trend, growth) is no record, a sudden one is. The jumps are
 *                               learnt from a key's {@value Scorer#JUMP_SETTLE}th reading on and used once that many
 *                               are learnt; 0 disables (every reading outside the range scores 1); range 0..100,000,
 *                               default 120
 * @param spikeRows              widest spike the spike rule looks for, in readings: a run of 1..spikeRows readings all
 *                               above (or all below) both the reading before it and the one after it scores 1 when the
 *                               distance it stands out by is more than {@code 1 + spikeMargin} times the largest
 *                               such excursion of that width the key has had (a count channel, with
 *                               {@code countAware}, on the square-root scale, or on its over-dispersion's with
 *                               {@code countDispersionHalfLife}: {@link SpikeRule#spikeScale}). Reported on the reading
 *                               that closes the spike, one event after its last reading. Excursions are learnt from a
 *                               key's {@value Scorer#JUMP_SETTLE}th reading on and judged once that many are learnt; 0
 *                               disables; range 0..{@value Scorer#SPIKE_WIDTHS}, default 2
 * @param spikeMargin            how far past the largest excursion of its width a spike must stand out, as a fraction
 *                               of it; range (0, 100], default 1.0 (twice as far)
 * @param driftByHour            the drift signal measures each reading against the key's usual reading at that time
 *                               of day (UTC, {@value Scorer#HOUR_BINS} bins of the day, learnt over about the last
 *                               {@value Scorer#HOUR_MEMORY_DAYS} days from the key's second day on) rather than against
 *                               its long-run centre: a daily pattern is no drift, and a day that breaks it (a missing
 *                               peak, a flattened or shifted day) moves the recent mean even inside the range; false:
 *                               against the centre; default true
 * @param countBurstCap          with {@code countAware}, the most a count channel's reading above its prediction adds
 *                               to the prediction error, in the channel's units on the square-root scale: a burst,
 *                               which a bursty count has as a matter of course, moves the error's level no more than
 *                               a miss of this size (a reading that leaps past everything the key has had is the range
 *                               and spike rules' to judge); a reading below its prediction is not capped, nor is the
 *                               scaled error reported; 0 disables; range 0..100, default 3
 * @param rhythmHalfLife         half-life, in events, of the rhythm signal: β, the share of the key's usual daily swing
 *                               (a time-of-day profile of its own, learnt in clipped steps so incidents bend it
 *                               little; a second one for Saturdays and Sundays, learnt from the key's weekends) that
 *                               its recent readings follow, and (1 - β)⁺ times the swing, in scales, calibrated like
 *                               the other signals: a day that flattens, runs late or misses its peak inside the range.
 *                               Not on channels that count; only where the daily swing is at least {@value
 *                               Scorer#RHYTHM_MIN_SWING} scale, from the signal's {@value Scorer#RHYTHM_SETTLE}th level
 *                               on, and on weekends once two weekend days are learnt; 0 disables; range
 *                               0..100,000, default 120 (see {@link DailySignals#rhythmScore})
 * @param timeZone              the time zone whose calendar the time of day and the weekend are read in (the
 *                              time-of-day profile, the rhythm signal's weekends and the network's calendar inputs,
 *                              {@link CalendarClock}): a region ID such as {@code Europe/Berlin}, whose daylight-saving
 *                              changes then move no daily habit, or a fixed offset such as {@code +05:30}; default
 *                              {@code UTC}
 * @param burstByHour           the prediction error's daily bursts expected by the hour (off by default): for each hour
 *                              of the day ({@code timeZone}), the mean and spread of the highest error level the key
 *                              reached in it each day, over about a week; once an hour has been seen on
 *                              {@value Scorer#BURST_MIN_DAYS} days, the error's level there is scored less how far
 *                              that hour's usual burst, less one spread, stands above the level's long-run mean. For
 *                              sensors with sharp daily switches or nightly batch jobs, whose every day's burst
 *                              otherwise alerts now and then; it also makes an anomaly at such an hour harder to see
 *                              (see docs/tuning.md). 221 bytes more of state a key
 * @param countIdleRuns          with {@code countAware}, a key whose channels all count (every reading a whole number
 *                               >= 0) is judged by the stuck-sensor rule as {@code flatlineRuns} judges every key: a
 *                               run of a count at a reading it idles at (most often 0: no requests, no pieces, no
 *                               events for a while) against its own runs there, so a counter that goes quiet every
 *                               night or weekend is not flagged at each quiet spell; a run at any other count still
 *                               alerts after flatlineEvents; default true (docs/detection-quality.md, twenty-ninth
 *                               session)
 * @param gapFactor              a reading that comes more than this many times the key's mean interval (its event time
 *                               from its first accepted reading to its latest, over the intervals between them) after
 *                               the previous one is not judged against the prediction made before the gap: a sensor
 *                               back from an outage of hours is at another point of its day than the network's next
 *                               step; its prediction error is not scored (the score record's prediction is null), the
 *                               rules judge it as ever; 0 (or a key without a known first reading) scores every one;
 *                               0 or 2..1,000,000, default 6
 * @param countDispersionHalfLife with {@code countAware}, half-life, in events, of a count key's over-dispersion
 *                               ({@link CountDispersion}: the negative binomial's φ, learnt from the key's misses of its
 *                               predictions, each at most {@value CountDispersion#MISS_CLIP} of its standard deviation):
 *                               a reading below both its prediction and the count's centre weighs √((1 + φ·centre) /
 *                               (1 + φ·level)) more than on the square-root scale, since a bursty count's quiet hours
 *                               are quieter than the square root says, so a drop, dip or lost peak there stands out; a
 *                               reading above its prediction (a burst, at any hour) or above the centre as before;
 *                               the spike rule measures the count's excursions on asinh(√(φx)) / √φ, where its noise
 *                               is as wide at every rate. Used from a key's {@value CountDispersion#SETTLE}th reading;
 *                               8 bytes of state a channel, on keys with a count channel; 0 disables; range
 *                               0..100,000, default 1000 (docs/detection-quality.md, thirty-sixth and fifty-first
 *                               sessions)
 * @param recordMiss             how far, in the channel's scales (a count's on its square-root scale, as the
 *                               prediction error measures it), a reading past the range must also lie from its
 *                               prediction for the range rule to count it: a new high or low the key's model saw
 *                               coming (a wander carried on, a trend, a daily peak a little higher than the last) is
 *                               no record, one it did not is; a reading judged without a prediction (a key's first,
 *                               one after a gap) needs none; 0 disables; range 0..100, default 2
 *                               (docs/detection-quality.md, fifty-third session)
 * @param noveltyWindow          readings in the window the window novelty signal judges ({@link WindowNovelty}): a
 *                               window whose shape no category of the key's earlier windows matches is novel, and the
 *                               share of novel windows among the last {@code patternWindow} is calibrated like the
 *                               pattern signal, which the stronger of the two is reported as (not on a key with a
 *                               bursty count, {@link DailySignals#burstyCount}); 0 turns it off; the key holds 2 ×
 *                               noveltyWindow × channels bytes a category (6 is ARTime's choice, 1.7 KB a key of one
 *                               channel at 128 categories); range 0..32, default 0 (off: it moved neither fold once
 *                               calibrated on the key's settled habit; docs/detection-quality.md, fifty-sixth and
 *                               fifty-seventh sessions)
 * @param noveltyMatch           share of a window a category must hold to match it (fuzzy ART's vigilance ρ): higher
 *                               tells finer shapes apart and learns more categories; range [0.5, 0.999], default 0.98
 * @param noveltyCategories      most categories of windows a key keeps; a new one takes the place of the one matched
 *                               least recently; range 1..1024, default 128
 */
public record ScoringConfig(
        int warmupEvents,
        int normaliserHalfLife,
        double outlierClip,
        int shortWindow,
        int longHalfLife,
        double minStdDev,
        double spatialTolerance,
        double alertThreshold,
        int quietEvents,
        int flatlineEvents,
        double repeatLevel,
        int patternBins,
        int patternLength,
        int patternWindow,
        boolean countAware,
        int driftHalfLife,
        boolean flatlineRuns,
        long youngRangeMs,
        double youngSpatialTolerance,
        int jumpHalfLife,
        int spikeRows,
        double spikeMargin,
        boolean driftByHour,
        double countBurstCap,
        int rhythmHalfLife,
        String timeZone,
        boolean burstByHour,
        boolean countIdleRuns,
        double gapFactor,
        int countDispersionHalfLife,
        double recordMiss,
        int noveltyWindow,
        double noveltyMatch,
        int noveltyCategories) {

    /** Most counters a key's pattern table may hold per channel: (patternBins + 2)^patternLength. */
    public static final int MAX_PATTERN_CELLS = 4096;

    /** Longest window the window novelty judges ({@link #noveltyWindow()}). */
    public static final int MAX_NOVELTY_WINDOW = 32;
    /** Most categories of windows a key may keep ({@link #noveltyCategories()}). */
    public static final int MAX_NOVELTY_CATEGORIES = 1024;

    /** A day in ms: {@link #youngRangeMs()}'s default. */
    public static final long DAY_MS = 86_400_000L;
    /** Longest young range: a year. */
    public static final long MAX_YOUNG_RANGE_MS = 365 * DAY_MS;

    /** The one place defaults live. */
    public static ScoringConfig defaults() {
        return new ScoringConfig(120, 2000, 4.0, 10, 2500, 0.02, 0.05, 0.5, 60, 30, 0.3, 8, 2, 20, true, 120, false,
                DAY_MS, 0.25, 120, 2, 1.0, true, 3.0, 120, "UTC", false, true, 6.0, 1000, 2.0, 0, 0.98, 128);
    }

    public ScoringConfig {
        requireRange("warmupEvents", warmupEvents, 1, 1_000_000);
        requireRange("normaliserHalfLife", normaliserHalfLife, 10, 10_000_000);
        requireRange("outlierClip", outlierClip, 1, 100);
        requireRange("shortWindow", shortWindow, 1, 64);
        requireRange("longHalfLife", longHalfLife, 10, 10_000_000);
        requireRange("minStdDev", minStdDev, 0, 1);
        requireRange("spatialTolerance", spatialTolerance, 0, 10);
        if (!(alertThreshold > 0 && alertThreshold <= 1)) {
            throw new BadConfigException("alertThreshold must be in (0, 1], got " + alertThreshold);
        }
        requireRange("quietEvents", quietEvents, 1, 1_000_000);
        requireRange("flatlineEvents", flatlineEvents, 0, 1_000_000);
        requireRange("repeatLevel", repeatLevel, 0, 1);
        requireRange("patternBins", patternBins, 0, 16);
        requireRange("patternLength", patternLength, 2, 4);
        requireRange("patternWindow", patternWindow, 1, 64);
        requireRange("driftHalfLife", driftHalfLife, 0, 100_000);
        requireRange("youngRangeMs", youngRangeMs, 0, MAX_YOUNG_RANGE_MS);
        requireRange("youngSpatialTolerance", youngSpatialTolerance, 0, 10);
        requireRange("jumpHalfLife", jumpHalfLife, 0, 100_000);
        requireRange("spikeRows", spikeRows, 0, Scorer.SPIKE_WIDTHS);
        if (!(spikeMargin > 0 && spikeMargin <= 100)) {
            throw new BadConfigException("spikeMargin must be in (0, 100], got " + spikeMargin);
        }
        requireRange("countBurstCap", countBurstCap, 0, 100);
        if (gapFactor != 0) {
            requireRange("gapFactor", gapFactor, 2, 1_000_000);
        }
        requireRange("rhythmHalfLife", rhythmHalfLife, 0, 100_000);
        requireRange("countDispersionHalfLife", countDispersionHalfLife, 0, 100_000);
        requireRange("recordMiss", recordMiss, 0, 100);
        requireRange("noveltyWindow", noveltyWindow, 0, MAX_NOVELTY_WINDOW);
        requireRange("noveltyMatch", noveltyMatch, 0.5, 0.999);
        requireRange("noveltyCategories", noveltyCategories, 1, MAX_NOVELTY_CATEGORIES);
        CalendarClock.of("scoring.timeZone", timeZone);
        if (patternBins > 0 && PatternTable.cells(patternBins, patternLength) > MAX_PATTERN_CELLS) {
            throw new BadConfigException("patternBins " + patternBins + " with patternLength " + patternLength + " needs "
                    + PatternTable.cells(patternBins, patternLength) + " counters per channel; at most "
                    + MAX_PATTERN_CELLS + " (fewer bins or a shorter pattern)");
        }
        if (repeatLevel >= alertThreshold) {
            throw new BadConfigException("repeatLevel must be < alertThreshold (" + alertThreshold + "), got " + repeatLevel);
        }
    }

    static void requireRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new BadConfigException(name + " must be in [" + fmt(min) + ", " + fmt(max) + "], got " + fmt(value));
        }
    }

    /** {@code v} as written in settings: a whole number without its ".0". */
    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The clock of {@link #timeZone()}. */
    public CalendarClock calendarClock() {
        return CalendarClock.of("scoring.timeZone", timeZone);
    }

    /** Whether the range of a key whose first reading was {@code ageMs} of event time ago is still young. */
    public boolean youngRange(long ageMs) {
        return ageMs < youngRangeMs;
    }

    /**
     * The range rule's tolerance for a key whose first reading was {@code ageMs} of event time ago: 0 (off) when
     * {@link #spatialTolerance()} is 0, the larger of the two tolerances while the key's range is young.
     */
    public double rangeTolerance(long ageMs) {
        if (spatialTolerance == 0 || !youngRange(ageMs)) {
            return spatialTolerance;
        }
        return Math.max(spatialTolerance, youngSpatialTolerance);
    }

    /** Per-event decay factor for a half-life in events: {@code 2^(-1/halfLife)}. */
    public static double decayFor(int halfLife) {
        return Math.pow(0.5, 1.0 / halfLife);
    }
}
