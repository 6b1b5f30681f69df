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
    /** Smallest daily swing, in scales (the profile's root mean square), on which the rhythm signal judges. */
    public static final double RHYTHM_MIN_SWING = 0.5;
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
    /** Per-event weight of a reading in the recent mean ({@link ScoringConfig#driftHalfLife()}; 0 when off). */
    private final double driftAlpha;
    /** Per-event weight of a reading in the jumps' recent level ({@link ScoringConfig#jumpHalfLife()}; 0 when off). */
    private final double jumpAlpha;
    /** Per-event weight of a reading in the rhythm's means ({@link ScoringConfig#rhythmHalfLife()}; 0 when off). */
    private final double rhythmAlpha;
    /** The calendar the time of day and the weekend are read on ({@link ScoringConfig#timeZone()}). */
    private final CalendarClock clock;

    public Scorer(ScoringConfig config) {
        this.config = config;
        this.driftAlpha = config.driftHalfLife() == 0 ? 0 : 1.0 - ScoringConfig.decayFor(config.driftHalfLife());
        this.jumpAlpha = config.jumpHalfLife() == 0 ? 0 : 1.0 - ScoringConfig.decayFor(config.jumpHalfLife());
        this.clock = config.calendarClock();
        this.rhythmAlpha = config.rhythmHalfLife() == 0 ? 0
                : 1.0 - ScoringConfig.decayFor(config.rhythmHalfLife());
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
            throw new ShapeMismatchException("reading has " + values.length + " channels, state has " + state.channels());
        }
        double[] residual = null;
        double[] scaled = null;
        double raw = 0.0;
        if (prediction != null && state.updates() > 0) {
            residual = new double[values.length];
            scaled = new double[values.length];
            raw = rawScore(state, values, prediction, residual, scaled, config.countAware(), config.countBurstCap());
        }
        double tolerance = config.rangeTolerance(ageMs);
        boolean jumpAsked = asksForJump(state);
        int broke = rangeRecord(state, values, tolerance, jumpAsked);
        boolean outside = broke >= 0;
        // what a range alert says is read before the normaliser widens the range to take this reading in
        String record = outside ? recordDetail(state, values, broke) : null;
        int spike = spikeRecord(state, values);
        boolean flat = flatline(state, values);
        double pattern = patternScore(state, values);
        long local = timestamp == NO_TIME ? NO_TIME : clock.local(timestamp);
        double rhythm = rhythmScore(state, values, ageMs, local);
        double drift = driftScore(state, values, ageMs, local);
        OnlineNormaliser.update(state, values, config);
        double likelihood = 0.0;
        if (residual != null) {
            likelihood = errorScore(state, raw, local);
        }
        boolean warm = state.updates() <= config.warmupEvents();
        double statistical = Math.max(Math.max(likelihood, pattern), drift);
        double base = warm ? 0.0 : (outside || flat || spike != 0 ? 1.0 : Math.max(statistical, rhythm));
        double reported = base;
        int[] top = topChannels(scaled);
        AlertTransition transition = AlertTransition.NONE;
        AlertReason reason = null;
        String detail = null;
        int about = -1;
        if (!warm) {
            if (base >= config.alertThreshold()) {
                state.quietRun = 0;
                AlertReason cause = outside ? AlertReason.RANGE : flat ? AlertReason.STUCK_SENSOR
                        : spike != 0 ? AlertReason.SPIKE : rhythm > statistical ? AlertReason.RHYTHM
                        : drift > Math.max(likelihood, pattern) ? AlertReason.DRIFT
                        : pattern > likelihood ? AlertReason.PATTERN : AlertReason.PREDICTION_ERROR;
                if (state.alertOpen && !opensAnew(cause, state.openReason)) {
                    reported = Math.min(base, config.repeatLevel());
                } else {
                    state.alertOpen = true;
                    state.openReason = cause;
                    state.alertsOpened++;
                    transition = AlertTransition.OPENED;
                    reason = cause;
                    about = switch (reason) {
                        case RANGE -> broke;
                        case DRIFT -> driftChannel(state);
                        case RHYTHM -> rhythmChannel(state);
                        case PREDICTION_ERROR -> prediction != null && top.length > 0 ? top[0] : -1;
                        default -> -1;
                    };
                    detail = switch (reason) {
                        case RANGE -> rangeDetail(record, tolerance, jumpAsked);
                        case STUCK_SENSOR -> stuckDetail(state);
                        case SPIKE -> spikeDetail(spike);
                        case DRIFT -> driftDetail(state, about, drift, hourWeight(ageMs, local) > 0);
                        case RHYTHM -> rhythmDetail(state, about, rhythm);
                        case PATTERN -> String.format(java.util.Locale.ROOT,
                                "readings in a sequence unusual for this sensor (pattern score %.3f)", pattern);
                        default -> missDetail(values, prediction, about, likelihood);
                    };
                }
            } else if (state.alertOpen && ++state.quietRun >= config.quietEvents()) {
                state.alertOpen = false;
                state.openReason = null;
                state.quietRun = 0;
                transition = AlertTransition.CLOSED;
                reason = AlertReason.CALM;
                detail = config.quietEvents() + " calm events in a row";
            }
        }
        return new ScoreOutcome(residual, scaled, raw, likelihood, pattern, outside, reported, transition,
                state.alertOpen, top, reason, detail, values.length > 1 ? about : -1);
    }

    /**
     * What an alert the range rule opened says: the reading and the range it left ({@code record}), the margin when
     * the range is young, the jump when one was asked.
     */
    private String rangeDetail(String record, double tolerance, boolean jumpAsked) {
        String detail = record;
        if (tolerance != config.spatialTolerance()) {
            detail += String.format(java.util.Locale.ROOT, ", by more than %.0f%% of it while the key's range is young",
                    100 * tolerance);
        }
        return jumpAsked ? detail + ", with a jump from its recent level beyond any before" : detail;
    }

    /**
     * Whether a crossing caused by {@code cause}, while an alert opened by {@code opener} is open, opens an alert of its
     * own rather than repeating the open one: when one of the rules (a reading outside the range or a spike, a stuck
     * sensor) fires that did not open it (or what opened it is not known); a spike and a range record count as one. A
     * sensor that freezes, or leaves its range, during an incident of another kind is a new fact; the statistical
     * signals (prediction error, pattern, drift) trade the lead among themselves within one incident and repeat it.
     */
    static boolean opensAnew(AlertReason cause, AlertReason opener) {
        return (cause == AlertReason.RANGE || cause == AlertReason.STUCK_SENSOR || cause == AlertReason.SPIKE)
                && extent(cause) != extent(opener);
    }

    /** A spike and a range record both say a reading stands out from the others: one kind of alert, not two. */
    private static AlertReason extent(AlertReason reason) {
        return reason == AlertReason.SPIKE ? AlertReason.RANGE : reason;
    }

    /** The channel whose recent level moved most (in scales) from its usual: what a drift alert is about. */
    private static int driftChannel(ScoreState state) {
        return mostInScales(state, c -> Math.abs(state.recentMean()[c] - state.center()[c]));
    }

    /** The channel that lost most of its daily swing (in scales): what a rhythm alert is about. */
    private static int rhythmChannel(ScoreState state) {
        return mostInScales(state, c -> lostSwing(state.rhythm(), c));
    }

    /** The channel whose {@code rawUnits} measure is largest in its own scales (the first on a tie). */
    private static int mostInScales(ScoreState state, java.util.function.IntToDoubleFunction rawUnits) {
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

    /** A channel's swing lost, raw units: (1 - β)⁺ times the root of the usual swing's energy (0 before any). */
    private static double lostSwing(RhythmState r, int c) {
        double swing = r.swing()[c];
        return swing > 0 ? Math.max(0.0, 1.0 - r.follow()[c] / swing) * Math.sqrt(swing) : 0.0;
    }

    /** What a rhythm alert says: how much of its usual daily swing channel {@code most} still follows. */
    private static String rhythmDetail(ScoreState state, int most, double rhythm) {
        RhythmState r = state.rhythm();
        double swing = r.swing()[most];
        double share = swing > 0 ? r.follow()[most] / swing : 1.0;
        return String.format(java.util.Locale.ROOT, "the recent readings follow %.0f%% of this sensor's usual daily"
                + " swing of %s (rhythm score %.3f)", 100 * share, digits(Math.sqrt(swing)), rhythm);
    }

    /**
     * What a drift alert says: how far, in its own units, and which way the recent level of channel {@code most}
     * ({@link #driftChannel}) lies from its usual, the centre or, with the time-of-day profile in use, the usual for
     * the time.
     */
    private static String driftDetail(ScoreState state, int most, double drift, boolean byHour) {
        double by = state.recentMean()[most] - state.center()[most];
        return String.format(java.util.Locale.ROOT, "the recent level %s %s usual for this sensor%s (drift score"
                + " %.3f)", digits(Math.abs(by)), by < 0 ? "below" : "above", byHour ? " at this time of day" : "",
                drift);
    }

    /** A reading for people: four significant digits, no trailing zeros ("11.6", "0.01346", "142300"). */
    static String digits(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /**
     * The reading of channel c that left the range, and the range seen before it: "a reading of 142.3 outside the range
     * seen so far (35.12 to 101.7)". Call before {@link OnlineNormaliser#update}.
     */
    private static String recordDetail(ScoreState state, double[] values, int c) {
        return "a reading of " + digits(values[c])
                + " outside the range seen so far (" + digits(state.min()[c]) + " to " + digits(state.max()[c]) + ")";
    }

    /**
     * Of channel c and channel {@code best} (-1: none yet), the one whose reading lies further outside its range seen
     * so far, in widths of that range (the earlier on a tie).
     */
    private static int further(ScoreState state, double[] values, int c, int best) {
        return best < 0 || beyond(state, values, c) > beyond(state, values, best) ? c : best;
    }

    private static double beyond(ScoreState state, double[] values, int c) {
        double lo = state.min()[c];
        double hi = state.max()[c];
        return Math.max(lo - values[c], values[c] - hi) / Math.max(hi - lo, Double.MIN_NORMAL);
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

    /** What a spike alert says: its width, its side and how far past the key's excursions it stood out. */
    private String spikeDetail(int spike) {
        int w = Math.abs(spike);
        return String.format(java.util.Locale.ROOT, "a spike: %d reading%s %s the readings either side, standing out"
                + " more than %s times as far as any before", w, w == 1 ? "" : "s", spike > 0 ? "above" : "below",
                ScoringConfig.fmt(1 + config.spikeMargin()));
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
        double raw = rawScore(state, values, prediction, new double[values.length], new double[values.length],
                config.countAware(), config.countBurstCap());
        AnomalyLikelihood.absorb(state.error(), AnomalyLikelihood.pushRaw(state.error(), raw), config);
    }

    /**
     * The prediction error's calibrated score: as {@link #calibrate}, but with {@link ScoringConfig#burstByHour()} the
     * level is scored less what its hour of the day usually brings (see there), and each hour's daily highest level
     * learnt. Untimed readings, and every reading while the setting is off, score as {@link #calibrate}. Modifies
     * {@code state}.
     */
    private double errorScore(ScoreState state, double raw, long local) {
        state.fitBurst(config.burstByHour());
        BurstState b = state.burst();
        if (b == null || local == NO_TIME) {
            return calibrate(state.error(), raw);
        }
        int hour = dayBin(local, BurstState.BINS);
        if (hour != b.hour) {
            if (b.hour >= 0) {
                int h = b.hour;
                b.days[h] = (byte) Math.min(BURST_MEMORY_DAYS, b.days[h] + 1);
                double rate = 1.0 / b.days[h];
                b.mean[h] = (float) (b.mean[h] + rate * (b.highest - b.mean[h]));
                b.square[h] = (float) (b.square[h] + rate * ((double) b.highest * b.highest - b.square[h]));
            }
            b.hour = hour;
            b.highest = 0;
        }
        double usual = 0;
        if (b.days[hour] >= BURST_MIN_DAYS) {
            double spread = Math.sqrt(Math.max(0.0, b.square[hour] - (double) b.mean[hour] * b.mean[hour]));
            usual = Math.max(0.0, b.mean[hour] - BURST_SPREADS * spread - state.error().longMean);
        }
        double score = calibrate(state.error(), raw, usual);
        b.highest = (float) Math.max(b.highest, state.error().level());
        return score;
    }

    /** Pushes a signal's raw value, scores the new level against the signal's history, then absorbs it. */
    private double calibrate(SignalLevel signal, double raw) {
        return calibrate(signal, raw, 0.0);
    }

    /** {@link #calibrate(SignalLevel, double)}, scoring the level less {@code expected} (absorbing it whole). */
    private double calibrate(SignalLevel signal, double raw, double expected) {
        double level = AnomalyLikelihood.pushRaw(signal, raw);
        double score = AnomalyLikelihood.score(signal, level - expected, config);
        AnomalyLikelihood.absorb(signal, level, config);
        return score;
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
    private double driftScore(ScoreState state, double[] values, long ageMs, long timestamp) {
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
        return calibrate(state.drift(), bounded(sumSquares, values.length, unscaledMiss));
    }

    /**
     * The rhythm signal's calibrated score for this reading ({@link ScoringConfig#rhythmHalfLife()}), 0 when it is off,
     * the reading has no event time, the key's time-of-day profile is not in use yet or the key is younger than the
     * half-life. Per channel, x is the reading less its centre and u its usual deviation at this time of day (the
     * weekday profile, or on a Saturday or Sunday in {@link ScoringConfig#timeZone()} the weekend profile, which the
     * reading first teaches); the exponentially weighted means of u·x and u² give β, the share of the usual swing the
     * readings follow (1 on a usual day, 0 on a flat one, below 0 on a day half a cycle late), and the channel's swing
     * lost is (1 - β)⁺ times √(mean u²) in scales. Channels whose daily swing is under {@value #RHYTHM_MIN_SWING}
     * scale are not judged, nor weekends before the weekend profile has learnt {@value #RHYTHM_WEEKEND_DAYS} days. The
     * root mean square of the judged channels' losses, bounded as r/(1+r), is calibrated against the key's own history of it, and scores from
     * its {@value #RHYTHM_SETTLE}th level. Call before {@link #driftScore} (which learns the weekday profile) and
     * {@link OnlineNormaliser#update}. Modifies {@code state}.
     */
    private double rhythmScore(ScoreState state, double[] values, long ageMs, long timestamp) {
        state.fitRhythm(config.rhythmHalfLife() > 0);
        RhythmState r = state.rhythm();
        if (r == null || timestamp == NO_TIME || state.updates() == 0) {
            return 0.0;
        }
        int bin = hourBin(timestamp);
        boolean weekend = weekend(timestamp);
        double perDay = state.updates() / Math.max(1.0, keyDays(ageMs));
        boolean judged = !weekend || r.weekendReadings >= RHYTHM_WEEKEND_DAYS * perDay;
        double weekendRate = 1.0 / Math.min(Math.max(1.0, (double) (r.weekendReadings + 1) / HOUR_BINS),
                Math.max(1.0, RHYTHM_WEEKEND_MEMORY_DAYS * perDay / HOUR_BINS));
        boolean inUse = hourWeight(ageMs, timestamp) > 0;
        double lostSquares = 0;
        boolean any = false;
        for (int c = 0; c < values.length; c++) {
            int k = c * HOUR_BINS + bin;
            double x = values[c] - state.center()[c];
            double u = state.hourMean()[k];
            if (weekend) {
                float[] w = r.weekend();
                u = w[k];
                w[k] = (float) (w[k] + weekendRate * (x - w[k]));
            }
            if (!inUse || !judged) {
                continue;
            }
            r.follow()[c] = (float) (r.follow()[c] + rhythmAlpha * (u * x - r.follow()[c]));
            r.swing()[c] = (float) (r.swing()[c] + rhythmAlpha * (u * u - r.swing()[c]));
            double unit = OnlineNormaliser.unit(state, c);
            if (r.swing()[c] > 0 && profileSwing(state, c) / unit >= RHYTHM_MIN_SWING) {
                double lost = lostSwing(r, c) / unit;
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
        double score = calibrate(r.level(), q / (1.0 + q));
        return r.level().levelUpdates() > RHYTHM_SETTLE ? score : 0.0;
    }

    /** The bin of the day, of {@value #HOUR_BINS}, that a local time ({@link CalendarClock#local}) falls in. */
    private static int hourBin(long timestamp) {
        return dayBin(timestamp, HOUR_BINS);
    }

    /** The bin of the day, of {@code bins} equal ones from 00:00, that a local time falls in. */
    private static int dayBin(long timestamp, int bins) {
        return (int) (Math.floorMod(timestamp, ScoringConfig.DAY_MS) / (ScoringConfig.DAY_MS / bins));
    }

    /** Whether a local time ({@link CalendarClock#local}) falls on a Saturday or Sunday (1 Jan 1970: a Thursday). */
    private static boolean weekend(long timestamp) {
        return Math.floorMod(Math.floorDiv(timestamp, ScoringConfig.DAY_MS) + 3, 7) >= 5;
    }

    /** The root mean square of channel c's weekday profile, raw units: the size of its usual daily swing. */
    private static double profileSwing(ScoreState state, int c) {
        double sum = 0;
        for (int b = 0; b < HOUR_BINS; b++) {
            double h = state.hourMean()[c * HOUR_BINS + b];
            sum += h * h;
        }
        return Math.sqrt(sum / HOUR_BINS);
    }

    /**
     * The channel's usual deviation from its centre in this bin of the day, as the drift signal takes it away from the
     * reading, then learns the reading into the bin at {@code rate} ({@link #hourRate}). It counts by {@code weight}
     * ({@link #hourWeight}), so an unlearnt profile never moves the signal.
     */
    private static double usualAt(ScoreState state, int c, int bin, double value, double weight, double rate) {
        float[] hours = state.hourMean();
        int k = c * HOUR_BINS + bin;
        double usual = weight * hours[k];
        hours[k] = (float) (hours[k] + rate * (value - state.center()[c] - hours[k]));
        return usual;
    }

    /**
     * The weight of this reading in its bin of the time-of-day profile, the same for every channel: each bin is a
     * running mean of the deviations it has seen, over about the last {@value #HOUR_MEMORY_DAYS} days once the key is
     * that old (a bin's visits estimated from the key's readings, as if spread evenly over the day). A key whose age is
     * not known counts as {@value #HOUR_MEMORY_DAYS} days old.
     */
    private static double hourRate(ScoreState state, long ageMs) {
        double visits = Math.max(1.0, (double) state.updates() / HOUR_BINS);
        return Math.min(1.0, Math.max(1.0, keyDays(ageMs) / HOUR_MEMORY_DAYS) / visits);
    }

    /** A key's age in days for its time-of-day profile: {@value #HOUR_MEMORY_DAYS} when it is not known. */
    private static double keyDays(long ageMs) {
        return ageMs == ESTABLISHED ? HOUR_MEMORY_DAYS : (double) ageMs / ScoringConfig.DAY_MS;
    }

    /**
     * How much the time-of-day profile counts in the drift signal for a reading at this age and time: 0 when it is off,
     * the reading has no event time or the key is in its first day, then ramping to 1 over {@value #HOUR_RAMP_DAYS}
     * days.
     */
    public double hourWeight(long ageMs, long timestamp) {
        if (!config.driftByHour() || timestamp == NO_TIME) {
            return 0.0;
        }
        return Math.max(0.0, Math.min(1.0, (keyDays(ageMs) - 1) / HOUR_RAMP_DAYS));
    }

    /**
     * The spike rule ({@link ScoringConfig#spikeRows()}). For each width w up to {@value #SPIKE_WIDTHS}: how far the
     * run of the w readings before this one stands out from the reading before the run and this one (all of the run
     * above both, or all below both; negative otherwise). Once a key's excursions are learnt (from its {@value
     * #JUMP_SETTLE}th reading on, judged once that many are), a run that stands out by more than {@code 1 +
     * spikeMargin} times the largest of its width before is a spike: a reading the key's own noise, bursts and wander
     * have never made stand out that far, alone, and that came straight back. Every width is learnt whatever {@code
     * spikeRows} is. A count channel (with {@link ScoringConfig#countAware()}) is measured on the square-root scale;
     * one that stops being a count restarts the learning, its excursions having been on the other scale. Call before
     * {@link #flatline} (it reads the previous reading) and {@link OnlineNormaliser#update} (the count flags before
     * this reading). Modifies {@code state}.
     *
     * @return 0, or the width of the narrowest spike found, negative for one below its neighbours
     */
    private int spikeRecord(ScoreState state, double[] values) {
        double[] before = state.spikeBefore();
        double[] high = state.spikeHigh();
        boolean learn = state.updates() > JUMP_SETTLE;
        boolean judge = learn && judgesSpikes(state);
        int found = 0;
        boolean restart = false;
        for (int c = 0; c < values.length; c++) {
            int at = c * SPIKE_WIDTHS;
            boolean root = config.countAware() && state.counts()[c];
            restart |= root && !OnlineNormaliser.isCount(values[c]);
            if (learn) {
                double end = spikeScale(values[c], root);
                double low = spikeScale(state.last()[c], root);
                double top = low;
                for (int w = 1; w <= SPIKE_WIDTHS; w++) {
                    double start = spikeScale(before[at + SPIKE_WIDTHS - w], root);
                    double above = low - Math.max(start, end);
                    double below = Math.min(start, end) - top;
                    double stands = Math.max(above, below);
                    int h = at + w - 1;
                    if (judge && found == 0 && w <= config.spikeRows() && stands > 0
                            && stands > high[h] * (1 + config.spikeMargin())) {
                        found = above >= below ? w : -w;
                    }
                    high[h] = Math.max(high[h], stands);
                    low = Math.min(low, start);
                    top = Math.max(top, start);
                }
            }
            System.arraycopy(before, at + 1, before, at, SPIKE_WIDTHS - 1);
            before[at + SPIKE_WIDTHS - 1] = state.last()[c];
        }
        if (restart) {
            java.util.Arrays.fill(high, 0.0);
            state.spikesSeen = 0;
            return 0;
        }
        if (learn) {
            state.spikesSeen++;
        }
        return found;
    }

    private static double spikeScale(double reading, boolean root) {
        return root ? Math.sqrt(Math.max(0.0, reading)) : reading;
    }

    /**
     * The range rule: a record when some channel's reading lies outside the range seen so far by more than {@code
     * tolerance} of that range and, once the key's jumps are learnt ({@link ScoringConfig#jumpHalfLife()}), its jump
     * (the reading less the channel's recent level) also lies outside the range of the jumps learnt, by the same
     * tolerance of theirs: a reading that climbed slowly to a new high (a trend, growth) is no record, one that
     * leapt there is. A key's jumps are learnt from its {@link #JUMP_SETTLE}th reading after the first on, and used
     * once that many are learnt ({@code jumpAsked}: {@link #asksForJump} before this reading). Call before
     * {@link OnlineNormaliser#update}. Modifies {@code state}.
     *
     * @return the channel that broke the range (of several, the one furthest outside, {@link #further}), or -1
     */
    private int rangeRecord(ScoreState state, double[] values, double tolerance, boolean jumpAsked) {
        double[] level = state.jumpLevel();
        long n = state.updates();
        int broke = -1;
        if (jumpAlpha == 0 || n == 0) {
            // off: the level follows the last reading, so that it starts from there if the rule is turned on
            System.arraycopy(values, 0, level, 0, values.length);
            state.jumpsSeen = 0;
            for (int c = 0; c < values.length; c++) {
                if (OnlineNormaliser.outsideRange(state, c, values[c], tolerance)) {
                    broke = further(state, values, c, broke);
                }
            }
            return broke;
        }
        boolean learn = n > JUMP_SETTLE;
        double alpha = Math.max(jumpAlpha, 1.0 / (n + 1));
        double[] low = state.jumpLow();
        double[] high = state.jumpHigh();
        for (int c = 0; c < values.length; c++) {
            double jump = values[c] - level[c];
            if (OnlineNormaliser.outsideRange(state, c, values[c], tolerance)
                    && (!jumpAsked || OnlineNormaliser.outside(jump, low[c], high[c], tolerance))) {
                broke = further(state, values, c, broke);
            }
            if (learn) {
                low[c] = state.jumpsSeen == 0 ? jump : Math.min(low[c], jump);
                high[c] = state.jumpsSeen == 0 ? jump : Math.max(high[c], jump);
            }
            level[c] += alpha * (values[c] - level[c]);
        }
        if (learn) {
            state.jumpsSeen++;
        }
        return broke;
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
        return calibrate(state.pattern(), PatternSurprise.observe(table, state, values));
    }

    /**
     * r = ‖scaled residual‖ / √d, bounded as r/(1+r) so that one wild miss cannot dominate the level.
     * Fills {@code residual} (raw units) and {@code scaled} (per-channel units). With {@code countAware}, a count
     * channel's scaled residual is measured on the square-root scale ({@link #countFactor}), and a reading above its
     * prediction adds at most {@code burstCap} of it to r (0: no cap; {@link ScoringConfig#countBurstCap()}); {@code
     * scaled} keeps the whole miss.
     */
    private static double rawScore(ScoreState state, double[] values, double[] prediction, double[] residual,
                                   double[] scaled, boolean countAware, double burstCap) {
        double sumSquares = 0;
        boolean unscaledMiss = false;
        for (int c = 0; c < values.length; c++) {
            residual[c] = values[c] - prediction[c];
            unscaledMiss |= residual[c] != 0 && !OnlineNormaliser.hasScale(state, c);
            scaled[c] = residual[c] / OnlineNormaliser.unit(state, c);
            double counted = scaled[c];
            if (countAware && state.counts()[c] && state.updates() > 1) {
                scaled[c] *= countFactor(state.center()[c], values[c], prediction[c]);
                counted = burstCap > 0 ? Math.min(scaled[c], burstCap) : scaled[c];
            }
            sumSquares += counted * counted;
        }
        return bounded(sumSquares, values.length, unscaledMiss);
    }

    /**
     * r = √(sumSquares / channels) bounded as r/(1+r); 1 when {@code unscaledMiss}: a channel that has never varied
     * has no scale to measure a difference in, so any difference is past every bound, in whatever units the sensor
     * reports (dividing by {@link OnlineNormaliser#unit}'s floor instead would make the score depend on the units).
     */
    private static double bounded(double sumSquares, int channels, boolean unscaledMiss) {
        if (unscaledMiss) {
            return 1.0;
        }
        double r = Math.sqrt(sumSquares / channels);
        return r / (1.0 + r);
    }

    /**
     * For a count, noise grows like the square root of the level (Poisson-like), so its miss is measured on the
     * square-root scale: √x - √p = (x - p) / (√x + √p), and the channel's unit there is about scale / (2√centre).
     * The factor turns a miss in scales into that: 2√centre / (√x + √p), levels floored at 1 (a count near 0 is not
     * infinitely sharp). A burst at a high level weighs less, a drop at a low level more; about 1 near the centre.
     */
    static double countFactor(double centre, double x, double prediction) {
        double here = Math.sqrt(Math.max(x, 0)) + Math.sqrt(Math.max(prediction, 0));
        return 2 * Math.sqrt(Math.max(centre, 1.0)) / Math.max(here, 2.0);
    }

    /**
     * Tracks runs of readings that repeat the previous one exactly in every channel (a stuck sensor). True once per
     * run, at the first event where the run is at least {@code flatlineEvents} long and improbable for this key:
     * {@code p^run <= FLATLINE_TAIL}, p being the key's own rate of exact repeats, so a quantised sensor that often
     * repeats needs a longer run than one that never does. With {@link ScoringConfig#flatlineRuns()} (or, for a key
     * that counts, {@link ScoringConfig#countIdleRuns()}) a run at a
     * reading the key idles at ({@link IdleReadings}) is judged against the key's own runs there instead: {@code
     * p·q^(run-1)}, the run's start at the key's repeat rate p (counted before this run began) and each further repeat
     * at the rate q of a repeat following a repeat in its earlier long runs at that reading (at least p); a run at any
     * other reading as without the setting, and only once it is longer than twice the longest run the key has held at
     * such a reading without being flagged ({@link IdleReadings#longestQuiet()}). Only for keys that have varied. Call
     * before {@link OnlineNormaliser#update}.
     * Modifies {@code state}.
     */
    private boolean flatline(ScoreState state, double[] values) {
        boolean repeated = state.updates() > 0;
        boolean varied = false;
        for (int c = 0; c < values.length; c++) {
            repeated &= values[c] == state.last()[c];
            varied |= state.scale()[c] > 0;
        }
        state.fitIdle(config.flatlineRuns() || countsIdle(state, values));
        IdleReadings idle = state.idle();
        if (idle != null && !repeated) {
            idle.runEnded(state.last(), state.flatRun);
            if (config.flatlineEvents() > 0 && state.flatRun >= config.flatlineEvents()) {
                // a long run just ended: the key may idle at its reading
                idle.record(state.last(), state.flatRun);
            }
        }
        System.arraycopy(values, 0, state.last(), 0, values.length);
        if (repeated && state.flatRun > 0) {
            state.repeatsAfterRepeat++;
        }
        state.flatRun = repeated ? state.flatRun + 1 : 0;
        state.repeats += repeated ? 1 : 0;
        if (config.flatlineEvents() == 0 || !varied || state.flatRun < config.flatlineEvents()) {
            return false;
        }
        // p: how often this key repeats a reading exactly (Laplace-smoothed over its history); a run of r repeats
        // has probability p^r, and fires once, when that first falls to the alert's tail level
        double p = (state.repeats + 1.0) / (state.updates() + 2.0);
        double tail = Math.pow(p, state.flatRun);
        double before = Math.pow(p, state.flatRun - 1);
        int slot = idle == null ? -1 : idle.slot(values);
        if (slot >= 0) {
            // the repeat rate as it was before this run began, the runs at this reading as they ended: the run does
            // not vouch for itself
            long repeatsBefore = state.repeats - state.flatRun;
            double start = (repeatsBefore + 1.0) / (state.updates() - state.flatRun + 2.0);
            double q = Math.max(start, (idle.following(slot) + 1.0) / (idle.repeats(slot) + 2.0));
            tail = start * Math.pow(q, state.flatRun - 1);
            before = start * Math.pow(q, state.flatRun - 2);
        }
        boolean flagged;
        if (idle != null && slot < 0 && !idle.beyondHabit(state.flatRun)) {
            // a run at a working reading no longer than the key's habit there
            flagged = false;
        } else if (idle != null && slot < 0 && idle.justBeyondHabit(state.flatRun)) {
            flagged = tail <= FLATLINE_TAIL;
        } else {
            flagged = tail <= FLATLINE_TAIL && (before > FLATLINE_TAIL || state.flatRun == config.flatlineEvents());
        }
        if (idle != null) {
            idle.runFlagged |= flagged;
        }
        return flagged;
    }

    /**
     * What a stuck-sensor alert says: the run, and with the idle readings in use what it was judged against (its runs at
     * a reading it idles at, or the longest it has held at a working reading).
     */
    private static String stuckDetail(ScoreState state) {
        String run = "the same reading " + state.flatRun + " times in a row";
        IdleReadings idle = state.idle();
        if (idle == null) {
            return run;
        }
        int slot = idle.slot(state.last());
        if (slot >= 0 && !Double.isNaN(idle.reading(slot, 0))) {
            return run + ", longer than this sensor's idle spells at that reading";
        }
        if (slot < 0 && idle.longestQuiet() > 0) {
            return run + ", more than twice the longest this sensor has held a working reading (" + idle.longestQuiet()
                    + ")";
        }
        return run;
    }

    /**
     * Whether the key's runs are judged at the readings it idles at because it counts ({@link
     * ScoringConfig#countIdleRuns()}): every channel a count so far and now.
     */
    private boolean countsIdle(ScoreState state, double[] values) {
        if (!config.countIdleRuns() || !config.countAware()) {
            return false;
        }
        for (int c = 0; c < values.length; c++) {
            if (!state.counts()[c] || !OnlineNormaliser.isCount(values[c])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the key's jumps are learnt, so that a reading outside its range scores 1 only with a jump beyond theirs
     * ({@link ScoringConfig#jumpHalfLife()}).
     */
    public boolean asksForJump(ScoreState state) {
        return jumpAlpha > 0 && state.jumpsSeen() >= JUMP_SETTLE;
    }

    /** Whether the key's excursions are learnt, so that the spike rule judges its readings ({@link #spikeRecord}). */
    public boolean judgesSpikes(ScoreState state) {
        return config.spikeRows() > 0 && state.spikesSeen() >= JUMP_SETTLE;
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
