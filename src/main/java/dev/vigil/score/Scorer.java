package dev.vigil.score;

import dev.vigil.ShapeMismatchException;

/**
 * Turns one event's reading and its prediction into an anomaly score and alert transitions, updating
 * the key's {@link ScoreState}. Stateless apart from its configuration; thread-safe.
 */
public final class Scorer {
    /** Channels named as the main contributors of an alert. */
    public static final int TOP_CHANNELS = 3;
    /** Probability below which a run of exact repeats is a stuck sensor: the tail level that scores 0.5. */
    public static final double FLATLINE_TAIL = 1e-5;
    /**
     * Readings of a key before its jumps ({@link ScoringConfig#jumpHalfLife()}) are learnt, while its recent level
     * settles, and then jumps learnt before the range rule asks for one.
     */
    public static final int JUMP_SETTLE = 300;
    /** The age of a key whose range is no longer young, whatever the settings. */
    public static final long ESTABLISHED = Long.MAX_VALUE;
    /** Widest spike the spike rule can look for, in readings ({@link ScoringConfig#spikeRows()}'s upper bound). */
    public static final int SPIKE_WIDTHS = 2;
    /**
     * Bins of the day ({@link ScoringConfig#timeZone()}) in a key's time-of-day profile
     * ({@link ScoringConfig#driftByHour()}): two hours each.
     */
    public static final int HOUR_BINS = 12;
    /** Days of readings a bin of the time-of-day profile averages, about, once the key is that old. */
    public static final int HOUR_MEMORY_DAYS = 7;
    /** Days over which the profile comes into use, from the key's first day's end (its weight ramps 0 to 1). */
    public static final int HOUR_RAMP_DAYS = 2;
    /** Bins of the day in the rhythm signal's weekday profile ({@link RhythmState#weekday()}): four hours each. */
    public static final int RHYTHM_BINS = 6;
    /**
     * Largest step, in scales, a reading moves its bin of the rhythm's weekday profile by: an incident's readings, far
     * from the usual, bend the profile by little, and a key without a daily rhythm learns none from its incidents.
     */
    public static final double RHYTHM_STEP_CLIP = 1.0;
    /**
     * Farthest, in scales, a reading counts from its usual for the time of day in what the rhythm follows: a spike
     * or a level shift, which other signals judge, moves β by little, and its aftermath raises no rhythm alert.
     */
    public static final double RHYTHM_FOLLOW_CLIP = 1.5;
    /**
     * The rhythm signal's calibrated scores up to this count as 0, those above it are stretched over 0 to 1: only a
     * daily swing lost well beyond the key's own habit opens an alert.
     */
    public static final double RHYTHM_FLOOR = 0.85;
    /** Smallest daily swing, in scales (the profile's root mean square), on which the rhythm signal judges. */
    public static final double RHYTHM_MIN_SWING = 0.5;
    /**
     * A channel that counts is judged by the rhythm signal while its highest reading is at most this many times its
     * centre: a gauge read in whole numbers (a speed, whole degrees), not a count whose bursts break a rhythm.
     */
    public static final double RHYTHM_GAUGE_PEAK = 2.0;
    /** Levels the rhythm signal's calibration learns before it scores. */
    public static final int RHYTHM_SETTLE = 600;
    /** Weekend days a key's weekend profile must have learnt before the rhythm signal judges a weekend. */
    public static final int RHYTHM_WEEKEND_DAYS = 2;
    /** Weekend days a bin of the weekend profile averages, about, once the key has had that many. */
    public static final int RHYTHM_WEEKEND_MEMORY_DAYS = 4;
    /** Days an hour's daily error burst is averaged over ({@link ScoringConfig#burstByHour()}). */
    public static final int BURST_MEMORY_DAYS = 7;
    /** Days an hour must have been seen before its usual burst is expected. */
    public static final int BURST_MIN_DAYS = 3;
    /** Spreads of the daily bursts below their mean that an hour's expected burst is taken at. */
    public static final double BURST_SPREADS = 1.0;
    /** The event time of a reading that has none: the time-of-day profile is neither used nor learnt. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final ScoringConfig config;
    /** The calendar the time of day and the weekend are read on ({@link ScoringConfig#timeZone()}). */
    private final CalendarClock clock;
    private final RangeRule range;
    private final SpikeRule spikes;
    private final StuckRule stuck;
    private final DailySignals daily;
    private final PredictionErrorSignal error;

    public Scorer(ScoringConfig config) {
        this.config = config;
        this.clock = config.calendarClock();
        this.range = new RangeRule(config);
        this.spikes = new SpikeRule(config);
        this.stuck = new StuckRule(config);
        this.daily = new DailySignals(config);
        this.error = new PredictionErrorSignal(config);
    }

    /** The calendar the time of day and the weekend are read on ({@link ScoringConfig#timeZone()}). */
    public CalendarClock clock() {
        return clock;
    }

    public ScoringConfig config() {
        return config;
    }

    /** A fresh per-key state for {@code channels} channels. */
    public ScoreState newState(int channels) {
        return new ScoreState(channels, config.shortWindow(), config.patternBins(), config.patternLength(),
                config.patternWindow());
    }

    /**
     * Scores one event. Modifies {@code state}.
     *
     * @param values     the reading, raw units, finite, one per channel
     * @param prediction the prediction made for this reading before it arrived, raw units, or null if none
     * @param ageMs      event time since the key's first reading ({@link ScoringConfig#rangeTolerance}); a key whose
     *                   first reading is not known counts as old ({@link #ESTABLISHED})
     */
    public ScoreOutcome score(ScoreState state, double[] values, double[] prediction, long ageMs) {
        return score(state, values, prediction, ageMs, NO_TIME);
    }

    /**
     * Scores one event at its event time. Modifies {@code state}.
     *
     * @param values     the reading, raw units, finite, one per channel
     * @param prediction the prediction made for this reading before it arrived, raw units, or null if none
     * @param ageMs      event time since the key's first reading ({@link ScoringConfig#rangeTolerance}); a key whose
     *                   first reading is not known counts as old ({@link #ESTABLISHED})
     * @param timestamp  the reading's event time, epoch ms, for its time of day ({@link ScoringConfig#driftByHour()})
     *                   in {@link ScoringConfig#timeZone()}, or {@link #NO_TIME}
     */
    public ScoreOutcome score(ScoreState state, double[] values, double[] prediction, long ageMs, long timestamp) {
        if (values.length != state.channels() || (prediction != null && prediction.length != values.length)) {
            throw new ShapeMismatchException("reading has " + values.length + " channels, state has "
                    + state.channels());
        }
        double[] residual = null;
        double[] scaled = null;
        double raw = 0.0;
        if (prediction != null && state.updates() > 0) {
            residual = new double[values.length];
            scaled = new double[values.length];
            raw = error.rawScore(state, values, prediction, residual, scaled);
        }
        // each signal reads the state as it was before this reading, so the normaliser takes it in last
        double tolerance = config.rangeTolerance(ageMs);
        boolean jumpAsked = range.asksForJump(state);
        int broke = range.record(state, values, scaled, tolerance, jumpAsked);
        // what a range alert says is read before the normaliser widens the range to take this reading in
        RangeRule.Record record = broke >= 0 ? RangeRule.Record.of(state, values, broke) : null;
        int spike = spikes.record(state, values);
        boolean flat = stuck.flatline(state, values);
        double surprise = patternScore(state, values);
        double novelty = WindowNovelty.score(state, values, config);
        double pattern = Math.max(surprise, novelty);
        long local = timestamp == NO_TIME ? NO_TIME : clock.local(timestamp);
        double rhythm = daily.rhythmScore(state, values, ageMs, local);
        double drift = daily.driftScore(state, values, ageMs, local);
        OnlineNormaliser.update(state, values, config);
        double likelihood = residual != null ? error.errorScore(state, raw, local) : 0.0;
        Signals signals = new Signals(broke, record, tolerance, jumpAsked, spike, flat, likelihood, pattern,
                novelty > surprise, drift, rhythm, ageMs, local);
        int[] top = topChannels(scaled);
        Judged judged = state.updates() <= config.warmupEvents() ? Judged.WARM
                : judge(state, signals, values, prediction, top);
        return new ScoreOutcome(residual, scaled, raw, likelihood, pattern, broke >= 0, judged.reported(),
                judged.transition(), state.alertOpen, top, judged.reason(), judged.detail(),
                values.length > 1 ? judged.about() : -1);
    }

    /**
     * What one reading showed, before the alert is judged: the range record's channel (-1: none) and the range it
     * left, the spike's width (0: none), a stuck run, the statistical signals' calibrated scores (the pattern score
     * the window novelty's when {@code novel}), and the key's age and the reading's local time (what a drift alert
     * says depends on them).
     */
    private record Signals(int broke, RangeRule.Record record, double tolerance, boolean jumpAsked, int spike,
                           boolean flat, double likelihood, double pattern, boolean novel, double drift, double rhythm,
                           long ageMs, long local) {
        /** A rule fired: the reading scores 1. */
        boolean rule() {
            return broke >= 0 || flat || spike != 0;
        }

        double statistical() {
            return Math.max(Math.max(likelihood, pattern), drift);
        }

        /** The score before the alert is judged: 1 for a rule, else the strongest statistical signal. */
        double base() {
            return rule() ? 1.0 : Math.max(statistical(), rhythm);
        }

        /** What would open an alert: the first rule that fired, else the strongest statistical signal. */
        AlertReason cause() {
            return broke >= 0 ? AlertReason.RANGE : flat ? AlertReason.STUCK_SENSOR
                    : spike != 0 ? AlertReason.SPIKE : rhythm > statistical() ? AlertReason.RHYTHM
                    : drift > Math.max(likelihood, pattern) ? AlertReason.DRIFT
                    : pattern > likelihood ? AlertReason.PATTERN : AlertReason.PREDICTION_ERROR;
        }
    }

    /**
     * The alert's move at one reading: the score reported, a transition with its reason and detail, and the channel
     * the detail is about (-1: none in particular).
     */
    private record Judged(double reported, AlertTransition transition, AlertReason reason, String detail, int about) {
        /** A key in warm-up: no score, no alert. */
        static final Judged WARM = new Judged(0.0, AlertTransition.NONE, null, null, -1);
    }

    /**
     * Opens an alert when the score reaches the threshold and none is open (or a rule fires that did not open the open
     * one: {@link #opensAnew}), reports a repeat within an open alert at most at {@link ScoringConfig#repeatLevel()},
     * and closes an open alert after {@link ScoringConfig#quietEvents()} calm readings. Modifies {@code state}.
     */
    private Judged judge(ScoreState state, Signals s, double[] values, double[] prediction, int[] top) {
        double base = s.base();
        if (base < config.alertThreshold()) {
            if (state.alertOpen && ++state.quietRun >= config.quietEvents()) {
                state.alertOpen = false;
                state.openReason = null;
                state.quietRun = 0;
                return new Judged(base, AlertTransition.CLOSED, AlertReason.CALM,
                        config.quietEvents() + " calm events in a row", -1);
            }
            return new Judged(base, AlertTransition.NONE, null, null, -1);
        }
        state.quietRun = 0;
        AlertReason cause = s.cause();
        if (state.alertOpen && !opensAnew(cause, state.openReason)) {
            return new Judged(Math.min(base, config.repeatLevel()), AlertTransition.NONE, null, null, -1);
        }
        state.alertOpen = true;
        state.openReason = cause;
        state.alertsOpened++;
        int about = switch (cause) {
            case RANGE -> s.broke();
            case DRIFT -> DailySignals.driftChannel(state);
            case RHYTHM -> DailySignals.rhythmChannel(state);
            case PREDICTION_ERROR -> prediction != null && top.length > 0 ? top[0] : -1;
            default -> -1;
        };
        String detail = switch (cause) {
            case RANGE -> range.detail(s.record(), s.tolerance(), s.jumpAsked());
            case STUCK_SENSOR -> StuckRule.detail(state);
            case SPIKE -> spikes.detail(s.spike());
            case DRIFT -> DailySignals.driftDetail(state, about, s.drift(), daily.hourWeight(s.ageMs(), s.local()) > 0);
            case RHYTHM -> DailySignals.rhythmDetail(state, about, s.rhythm());
            case PATTERN -> s.novel() ? String.format(java.util.Locale.ROOT, "the latest %d readings in a shape this"
                    + " sensor has not shown before (pattern score %.3f)", config.noveltyWindow(), s.pattern())
                    : String.format(java.util.Locale.ROOT,
                    "readings in a sequence unusual for this sensor (pattern score %.3f)", s.pattern());
            default -> missDetail(values, prediction, about, s.likelihood());
        };
        return new Judged(base, AlertTransition.OPENED, cause, detail, about);
    }

    /**
     * Whether a crossing caused by {@code cause}, while an alert opened by {@code opener} is open, opens an alert of
     * its own rather than repeating the open one: when one of the rules (a reading outside the range or a spike, a
     * stuck sensor) fires that did not open it (or what opened it is not known); a spike and a range record count as
     * one. A sensor that freezes, or leaves its range, during an incident of another kind is a new fact; the
     * statistical signals (prediction error, pattern, drift) trade the lead among themselves within one incident and
     * repeat it.
     */
    static boolean opensAnew(AlertReason cause, AlertReason opener) {
        return (cause == AlertReason.RANGE || cause == AlertReason.STUCK_SENSOR || cause == AlertReason.SPIKE)
                && extent(cause) != extent(opener);
    }

    /** A spike and a range record both say a reading stands out from the others: one kind of alert, not two. */
    private static AlertReason extent(AlertReason reason) {
        return reason == AlertReason.SPIKE ? AlertReason.RANGE : reason;
    }

    /** A reading for people: four significant digits, no trailing zeros ("11.6", "0.01346", "142300"). */
    static String digits(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /**
     * What an alert the prediction error opened says: the reading and its prediction in channel {@code c}, the one with
     * the largest scaled miss (-1: none, without a prediction), and the likelihood score.
     */
    private static String missDetail(double[] values, double[] prediction, int c, double likelihood) {
        String miss = "";
        if (c >= 0) {
            miss = "a reading of " + digits(values[c]) + " where " + digits(prediction[c]) + " was predicted: ";
        }
        return String.format(java.util.Locale.ROOT, "%sprediction error far above usual for this sensor (likelihood"
                + " score %.3f)", miss, likelihood);
    }

    /**
     * Forgets the recent and long-run prediction-error statistics (not the normaliser, range or alert), before
     * they are rebuilt for a new model with {@link #absorbResidual}. Modifies {@code state}.
     */
    public void resetErrorStatistics(ScoreState state) {
        state.error().reset();
    }

    /**
     * Folds one reading's prediction error into the recent and long-run error statistics without scoring it
     * or touching the normaliser, range or alert: used to rebuild the error baseline of a new model from the
     * stored history. Modifies {@code state}.
     */
    public void absorbResidual(ScoreState state, double[] values, double[] prediction) {
        if (state.updates() == 0) {
            return;
        }
        error.absorb(state, values, prediction);
    }

    /**
     * The pattern signal's calibrated score for this reading ({@link PatternSurprise}), 0 when it is off. Call
     * before {@link OnlineNormaliser#update}: the reading is quantised in the range seen before it. Modifies
     * {@code state}.
     */
    private double patternScore(ScoreState state, double[] values) {
        state.fitPatterns(config.patternBins(), config.patternLength(), config.patternWindow());
        PatternTable table = state.patterns();
        if (table == null) {
            return 0.0;
        }
        return AnomalyLikelihood.calibrate(state.pattern(), PatternSurprise.observe(table, state, values), 0.0, config);
    }

    /**
     * Whether the key's jumps are learnt, so that a reading outside its range scores 1 only with a jump beyond theirs
     * ({@link ScoringConfig#jumpHalfLife()}).
     */
    public boolean asksForJump(ScoreState state) {
        return range.asksForJump(state);
    }

    /** Whether the key's excursions are learnt, so that the spike rule judges its readings. */
    public boolean judgesSpikes(ScoreState state) {
        return spikes.judges(state);
    }

    /**
     * Whether the rhythm signal judges channel c of this key now (it is on, the channel has learnt a daily swing of at
     * least {@value #RHYTHM_MIN_SWING} scale and is no count that has read past {@value #RHYTHM_GAUGE_PEAK} times
     * its centre), as {@code /sensors} shows it.
     */
    public static boolean rhythmJudges(ScoreState state, int c) {
        return DailySignals.judges(state, c);
    }

    /**
     * How much the time-of-day profile counts in the drift signal for a reading at this age and time: 0 when it is off,
     * the reading has no event time or the key is in its first day, then ramping to 1 over {@value #HOUR_RAMP_DAYS}
     * days.
     */
    public double hourWeight(long ageMs, long timestamp) {
        return daily.hourWeight(ageMs, timestamp);
    }

    /** True while the key is in warm-up (no scores, no alerts). */
    public boolean inWarmup(ScoreState state) {
        return state.updates() <= config.warmupEvents();
    }

    private static int[] topChannels(double[] scaled) {
        if (scaled == null) {
            return new int[0];
        }
        int k = Math.min(TOP_CHANNELS, scaled.length);
        int[] top = new int[k];
        boolean[] taken = new boolean[scaled.length];
        for (int i = 0; i < k; i++) {
            int best = -1;
            for (int c = 0; c < scaled.length; c++) {
                if (!taken[c] && (best < 0 || Math.abs(scaled[c]) > Math.abs(scaled[best]))) {
                    best = c;
                }
            }
            taken[best] = true;
            top[i] = best;
        }
        return top;
    }
}
