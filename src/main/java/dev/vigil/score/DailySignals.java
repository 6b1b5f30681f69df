package dev.vigil.score;

import static dev.vigil.score.Scorer.ESTABLISHED;
import static dev.vigil.score.Scorer.HOUR_BINS;
import static dev.vigil.score.Scorer.HOUR_MEMORY_DAYS;
import static dev.vigil.score.Scorer.HOUR_RAMP_DAYS;
import static dev.vigil.score.Scorer.NO_TIME;
import static dev.vigil.score.Scorer.RHYTHM_BINS;
import static dev.vigil.score.Scorer.RHYTHM_FLOOR;
import static dev.vigil.score.Scorer.RHYTHM_FOLLOW_CLIP;
import static dev.vigil.score.Scorer.RHYTHM_GAUGE_PEAK;
import static dev.vigil.score.Scorer.RHYTHM_MIN_SWING;
import static dev.vigil.score.Scorer.RHYTHM_SETTLE;
import static dev.vigil.score.Scorer.RHYTHM_STEP_CLIP;
import static dev.vigil.score.Scorer.RHYTHM_WEEKEND_DAYS;
import static dev.vigil.score.Scorer.RHYTHM_WEEKEND_MEMORY_DAYS;

/**
 * The signals that know the time of day: the drift signal (the recent level against the key's usual, at this time of
 * day once its profile is in use: {@link ScoringConfig#driftByHour()}) and the rhythm signal (how much of its usual
 * daily swing the key still follows: {@link ScoringConfig#rhythmHalfLife()}), with their time-of-day profiles ({@link
 * ScoreState#hourMean()}; the rhythm's own in {@link RhythmState}), and what their alerts say. Stateless apart from
 * its configuration; thread-safe.
 */
final class DailySignals {
    private final ScoringConfig config;
    /** Per-event weight of a reading in the recent mean ({@link ScoringConfig#driftHalfLife()}; 0 when off). */
    private final double driftAlpha;
    /** Per-event weight of a reading in the rhythm's means ({@link ScoringConfig#rhythmHalfLife()}; 0 when off). */
    private final double rhythmAlpha;

    DailySignals(ScoringConfig config) {
        this.config = config;
        this.driftAlpha = config.driftHalfLife() == 0 ? 0 : 1.0 - ScoringConfig.decayFor(config.driftHalfLife());
        this.rhythmAlpha = config.rhythmHalfLife() == 0 ? 0
                : 1.0 - ScoringConfig.decayFor(config.rhythmHalfLife());
    }

    /**
     * The drift signal's calibrated score for this reading, 0 when it is off or the key is younger than the half-life:
     * the distance of the channels' recent means (exponentially weighted, {@link ScoringConfig#driftHalfLife()}) from
     * their long-run centres, in scales, r = ‖d‖ / √d bounded as r/(1+r), against the key's own history of it. A
     * slow change that a predictor follows step by step, leaving no large miss, still moves the recent mean away.
     * With {@link ScoringConfig#driftByHour()} the mean is of the readings less their usual deviation at that time of
     * day ({@link #usualAt}), so a daily pattern does not move it and a day that breaks the pattern does. Call before
     * {@link OnlineNormaliser#update}. Modifies {@code state}.
     */
    double driftScore(ScoreState state, double[] values, long ageMs, long timestamp) {
        int halfLife = config.driftHalfLife();
        double[] mean = state.recentMean();
        if (halfLife == 0 || state.updates() == 0) {
            System.arraycopy(values, 0, mean, 0, values.length);
            return 0.0;
        }
        int bin = config.driftByHour() && timestamp != NO_TIME ? hourBin(timestamp) : -1;
        double weight = hourWeight(ageMs, timestamp);
        double rate = bin < 0 ? 0.0 : hourRate(state, ageMs);
        double sumSquares = 0;
        boolean unscaledMiss = false;
        for (int c = 0; c < values.length; c++) {
            double usual = bin < 0 ? 0.0 : usualAt(state, c, bin, values[c], weight, rate);
            mean[c] += driftAlpha * (values[c] - usual - mean[c]);
            double d = (mean[c] - state.center()[c]) / OnlineNormaliser.unit(state, c);
            unscaledMiss |= d != 0 && !OnlineNormaliser.hasScale(state, c);
            sumSquares += d * d;
        }
        if (state.updates() <= halfLife) {
            return 0.0;
        }
        double raw = PredictionErrorSignal.bounded(sumSquares, values.length, unscaledMiss);
        return AnomalyLikelihood.calibrate(state.drift(), raw, 0.0, config);
    }

    /**
     * The rhythm signal's calibrated score for this reading ({@link ScoringConfig#rhythmHalfLife()}), 0 when it is off,
     * the reading has no event time, the key is in its first day or younger than the half-life. Per channel, x is the
     * reading less its centre and u its usual deviation at this time of day (the rhythm's weekday profile, {@link
     * RhythmState#weekday()}, or on a Saturday or Sunday in {@link ScoringConfig#timeZone()} the weekend profile; the
     * reading first teaches both it belongs to); the exponentially weighted means of u·x' and u² give β, the share of
     * the usual swing the readings follow (1 on a usual day, 0 on a flat one, below 0 on a day half a cycle late), x'
     * being x no farther from u than {@value Scorer#RHYTHM_FOLLOW_CLIP} scales, and the channel's swing lost is
     * (1 - β)⁺ times √(mean u²) in scales. Bursty counts ({@link #burstyCount}) or channels whose daily swing is
     * under {@value Scorer#RHYTHM_MIN_SWING} scale are not judged ({@link #judges(ScoreState, int)}), nor weekends
     * before the weekend profile has learnt {@value Scorer#RHYTHM_WEEKEND_DAYS} days. The root mean square of the
     * judged channels' losses, bounded as r/(1+r), is calibrated against the key's own history of it; the calibrated
     * score above {@value Scorer#RHYTHM_FLOOR}, stretched over 0 to 1, is the signal's from its {@value
     * Scorer#RHYTHM_SETTLE}th level on. Call before {@link OnlineNormaliser#update}. Modifies {@code state}.
     */
    double rhythmScore(ScoreState state, double[] values, long ageMs, long timestamp) {
        state.fitRhythm(config.rhythmHalfLife() > 0);
        RhythmState r = state.rhythm();
        if (r == null || timestamp == NO_TIME || state.updates() == 0) {
            return 0.0;
        }
        int bin = hourBin(timestamp);
        int perSlot = HOUR_BINS / RHYTHM_BINS;
        int slot = bin / perSlot;
        boolean weekend = weekend(timestamp);
        double perDay = state.updates() / Math.max(1.0, keyDays(ageMs));
        boolean judged = !weekend || r.weekendReadings >= RHYTHM_WEEKEND_DAYS * perDay;
        double weekendRate = 1.0 / Math.min(Math.max(1.0, (double) (r.weekendReadings + 1) / HOUR_BINS),
                Math.max(1.0, RHYTHM_WEEKEND_MEMORY_DAYS * perDay / HOUR_BINS));
        boolean inUse = keyDays(ageMs) > 1;
        // a bin of the weekday profile spans perSlot of the drift's, so it sees perSlot times their visits
        double weekdayRate = hourRate(state, ageMs) / perSlot;
        float[] weekday = r.weekday();
        double lostSquares = 0;
        boolean any = false;
        for (int c = 0; c < values.length; c++) {
            int k = c * HOUR_BINS + bin;
            double x = values[c] - state.center()[c];
            double unit = OnlineNormaliser.unit(state, c);
            int j = c * RHYTHM_BINS + slot;
            double u = weekday[j];
            weekday[j] = (float) (weekday[j] + weekdayRate * clamp(x - weekday[j], RHYTHM_STEP_CLIP * unit));
            if (weekend) {
                float[] w = r.weekend();
                u = w[k];
                w[k] = (float) (w[k] + weekendRate * (x - w[k]));
            }
            if (!inUse || !judged) {
                continue;
            }
            double followed = u + clamp(x - u, RHYTHM_FOLLOW_CLIP * unit);
            r.follow()[c] = (float) (r.follow()[c] + rhythmAlpha * (u * followed - r.follow()[c]));
            r.swing()[c] = (float) (r.swing()[c] + rhythmAlpha * (u * u - r.swing()[c]));
            if (judges(state, r, c, unit)) {
                double lost = r.lostSwing(c) / unit;
                lostSquares += lost * lost;
                any = true;
            }
        }
        if (weekend) {
            r.weekendReadings++;
        }
        if (!any || state.updates() <= config.rhythmHalfLife()) {
            return 0.0;
        }
        double q = Math.sqrt(lostSquares / values.length);
        double score = AnomalyLikelihood.calibrate(r.level(), q / (1.0 + q), 0.0, config);
        return r.level().levelUpdates() > RHYTHM_SETTLE ? Math.max(0.0, (score - RHYTHM_FLOOR) / (1 - RHYTHM_FLOOR))
                : 0.0;
    }

    /**
     * Whether the rhythm signal judges channel c now: it has learnt a swing, is no bursty count ({@link #burstyCount})
     * and its daily swing is at least {@value Scorer#RHYTHM_MIN_SWING} scale.
     */
    static boolean judges(ScoreState state, int c) {
        RhythmState r = state.rhythm();
        return r != null && judges(state, r, c, OnlineNormaliser.unit(state, c));
    }

    /** {@link #judges(ScoreState, int)} with the key's rhythm state and channel c's scale at hand. */
    private static boolean judges(ScoreState state, RhythmState r, int c, double unit) {
        return r.swing()[c] > 0 && !burstyCount(state, c) && weekdaySwing(r, c) / unit >= RHYTHM_MIN_SWING;
    }

    /**
     * Whether channel c counts ({@link ScoreState#counts()}) and has read more than {@value Scorer#RHYTHM_GAUGE_PEAK}
     * times its centre: its bursts and quiet days break a rhythm as a matter of course, where a gauge read in whole
     * numbers keeps one.
     */
    static boolean burstyCount(ScoreState state, int c) {
        return state.counts()[c] && state.max()[c] > RHYTHM_GAUGE_PEAK * state.center()[c];
    }

    /** {@code d} no farther from 0 than {@code limit}. */
    private static double clamp(double d, double limit) {
        return Math.max(-limit, Math.min(limit, d));
    }

    /**
     * How much the time-of-day profile counts in the drift signal for a reading at this age and time: 0 when it is off,
     * the reading has no event time or the key is in its first day, then ramping to 1 over {@value
     * Scorer#HOUR_RAMP_DAYS} days.
     */
    double hourWeight(long ageMs, long timestamp) {
        if (!config.driftByHour() || timestamp == NO_TIME) {
            return 0.0;
        }
        return Math.max(0.0, Math.min(1.0, (keyDays(ageMs) - 1) / HOUR_RAMP_DAYS));
    }

    /**
     * The weight of this reading in its bin of the time-of-day profile, the same for every channel: each bin is a
     * running mean of the deviations it has seen, over about the last {@value Scorer#HOUR_MEMORY_DAYS} days once the
     * key is that old (a bin's visits estimated from the key's readings, as if spread evenly over the day). A key whose
     * age is not known counts as {@value Scorer#HOUR_MEMORY_DAYS} days old.
     */
    static double hourRate(ScoreState state, long ageMs) {
        double visits = Math.max(1.0, (double) state.updates() / HOUR_BINS);
        return Math.min(1.0, Math.max(1.0, keyDays(ageMs) / HOUR_MEMORY_DAYS) / visits);
    }

    /** A key's age in days for its time-of-day profile: {@value Scorer#HOUR_MEMORY_DAYS} when it is not known. */
    static double keyDays(long ageMs) {
        return ageMs == ESTABLISHED ? HOUR_MEMORY_DAYS : (double) ageMs / ScoringConfig.DAY_MS;
    }

    /**
     * The channel's usual deviation from its centre in this bin of the day, as the drift signal takes it away from the
     * reading, then learns the reading into the bin at {@code rate} ({@link #hourRate}). It counts by {@code weight}
     * ({@link #hourWeight}), so an unlearnt profile never moves the signal.
     */
    static double usualAt(ScoreState state, int c, int bin, double value, double weight, double rate) {
        float[] hours = state.hourMean();
        int k = c * HOUR_BINS + bin;
        double usual = weight * hours[k];
        hours[k] = (float) (hours[k] + rate * (value - state.center()[c] - hours[k]));
        return usual;
    }

    /** The root mean square of channel c's rhythm weekday profile, raw units: the size of its usual daily swing. */
    static double weekdaySwing(RhythmState r, int c) {
        double sum = 0;
        for (int b = 0; b < RHYTHM_BINS; b++) {
            double h = r.weekday()[c * RHYTHM_BINS + b];
            sum += h * h;
        }
        return Math.sqrt(sum / RHYTHM_BINS);
    }

    /** The bin of the day, of {@value Scorer#HOUR_BINS}, that a local time ({@link CalendarClock#local}) falls in. */
    static int hourBin(long timestamp) {
        return dayBin(timestamp, HOUR_BINS);
    }

    /** The bin of the day, of {@code bins} equal ones from 00:00, that a local time falls in. */
    static int dayBin(long timestamp, int bins) {
        return (int) (Math.floorMod(timestamp, ScoringConfig.DAY_MS) / (ScoringConfig.DAY_MS / bins));
    }

    /** Whether a local time ({@link CalendarClock#local}) falls on a Saturday or Sunday (1 Jan 1970: a Thursday). */
    static boolean weekend(long timestamp) {
        return Math.floorMod(Math.floorDiv(timestamp, ScoringConfig.DAY_MS) + 3, 7) >= 5;
    }

    /** The channel whose recent level moved most (in scales) from its usual: what a drift alert is about. */
    static int driftChannel(ScoreState state) {
        return mostInScales(state, c -> Math.abs(state.recentMean()[c] - state.center()[c]));
    }

    /** The channel that lost most of its daily swing (in scales): what a rhythm alert is about. */
    static int rhythmChannel(ScoreState state) {
        return mostInScales(state, c -> state.rhythm().lostSwing(c));
    }

    /** The channel whose {@code rawUnits} measure is largest in its own scales (the first on a tie). */
    static int mostInScales(ScoreState state, java.util.function.IntToDoubleFunction rawUnits) {
        int most = 0;
        double far = -1;
        for (int c = 0; c < state.channels(); c++) {
            double d = rawUnits.applyAsDouble(c) / OnlineNormaliser.unit(state, c);
            if (d > far) {
                most = c;
                far = d;
            }
        }
        return most;
    }

    /**
     * What a drift alert says: how far, in its own units, and which way the recent level of channel {@code most}
     * ({@link #driftChannel}) lies from its usual, the centre or, with the time-of-day profile in use, the usual for
     * the time.
     */
    static String driftDetail(ScoreState state, int most, double drift, boolean byHour) {
        double by = state.recentMean()[most] - state.center()[most];
        return String.format(java.util.Locale.ROOT, "the recent level %s %s usual for this sensor%s (drift score"
                + " %.3f)", Scorer.digits(Math.abs(by)), by < 0 ? "below" : "above",
                byHour ? " at this time of day" : "", drift);
    }

    /** What a rhythm alert says: how much of its usual daily swing channel {@code most} still follows. */
    static String rhythmDetail(ScoreState state, int most, double rhythm) {
        RhythmState r = state.rhythm();
        double swing = r.swing()[most];
        double share = swing > 0 ? r.follow()[most] / swing : 1.0;
        return String.format(java.util.Locale.ROOT, "the recent readings follow %.0f%% of this sensor's usual daily"
                + " swing of %s (rhythm score %.3f)", 100 * share, Scorer.digits(Math.sqrt(swing)), rhythm);
    }
}
