package dev.vigil.score;

import static dev.vigil.score.Scorer.BURST_MEMORY_DAYS;
import static dev.vigil.score.Scorer.BURST_MIN_DAYS;
import static dev.vigil.score.Scorer.BURST_SPREADS;
import static dev.vigil.score.Scorer.NO_TIME;

/**
 * The prediction error as a signal: a reading's miss of its prediction as a raw score in [0, 1] (per channel in its
 * own scale, counts on the square-root scale) and that raw score's calibrated level
 * ({@link ScoringConfig#burstByHour()}: less what the hour of the day usually brings). Stateless apart from its
 * configuration; thread-safe.
 */
final class PredictionErrorSignal {
    private final ScoringConfig config;

    /** Per-event weight of a miss in the count dispersion ({@link ScoringConfig#countDispersionHalfLife()}). */
    private final double dispersionAlpha;

    PredictionErrorSignal(ScoringConfig config) {
        this.config = config;
        this.dispersionAlpha = config.countDispersionHalfLife() == 0 ? 0
                : 1.0 - ScoringConfig.decayFor(config.countDispersionHalfLife());
    }

    /**
     * Folds one reading's prediction error into the recent and long-run error statistics without scoring it
     * ({@link Scorer#absorbResidual}). Modifies {@code state}.
     */
    void absorb(ScoreState state, double[] values, double[] prediction) {
        double raw = rawScore(state, values, prediction, new double[values.length], new double[values.length]);
        AnomalyLikelihood.absorb(state.error(), AnomalyLikelihood.pushRaw(state.error(), raw), config);
    }

    /**
     * The prediction error's calibrated score ({@link AnomalyLikelihood#calibrate}), but with {@link
     * ScoringConfig#burstByHour()} the level is scored less what its hour of the day usually brings (see there), and
     * each hour's daily highest level learnt. Untimed readings, and every reading while the setting is off, score as
     * calibrated plainly. Modifies {@code state}.
     */
    double errorScore(ScoreState state, double raw, long local) {
        state.fitBurst(config.burstByHour());
        BurstState b = state.burst();
        if (b == null || local == NO_TIME) {
            return AnomalyLikelihood.calibrate(state.error(), raw, 0.0, config);
        }
        int hour = DailySignals.dayBin(local, BurstState.BINS);
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
        double score = AnomalyLikelihood.calibrate(state.error(), raw, usual, config);
        b.highest = (float) Math.max(b.highest, state.error().level());
        return score;
    }

    /**
     * r = ‖scaled residual‖ / √d, bounded as r/(1+r) so that one wild miss cannot dominate the level.
     * Fills {@code residual} (raw units) and {@code scaled} (per-channel units). With {@link
     * ScoringConfig#countAware()}, a count channel's scaled residual is measured on the square-root scale ({@link
     * #countFactor}), and a reading above its prediction adds at most {@link ScoringConfig#countBurstCap()} of it to r
     * (0: no cap); {@code scaled} keeps the whole miss.
     */
    double rawScore(ScoreState state, double[] values, double[] prediction, double[] residual, double[] scaled) {
        boolean countAware = config.countAware();
        double burstCap = config.countBurstCap();
        boolean dispersed = state.dispersion() != null;
        state.fitDispersion(countAware && config.countDispersionHalfLife() > 0 && anyCount(state));
        if (dispersed != (state.dispersion() != null)) {
            // the spike rule measures a count's excursions by its dispersion: learnt on another scale, they restart
            state.excursions().forgetSpikes();
        }
        double sumSquares = 0;
        boolean unscaledMiss = false;
        for (int c = 0; c < values.length; c++) {
            residual[c] = values[c] - prediction[c];
            unscaledMiss |= residual[c] != 0 && !OnlineNormaliser.hasScale(state, c);
            scaled[c] = residual[c] / OnlineNormaliser.unit(state, c);
            double counted = scaled[c];
            if (countAware && state.counts()[c] && state.updates() > 1) {
                double centre = Math.max(state.center()[c], 1.0);
                double level = countLevel(values[c], prediction[c]);
                scaled[c] *= countFactor(centre, level) * overdispersion(state, c, values[c], prediction[c], centre,
                        level);
                counted = burstCap > 0 ? Math.min(scaled[c], burstCap) : scaled[c];
            }
            sumSquares += counted * counted;
        }
        return bounded(sumSquares, values.length, unscaledMiss);
    }

    /**
     * How much more a count's shortfall ({@code x} below its prediction) weighs for the key's over-dispersion ({@link
     * CountDispersion#weight}, at the {@code level} and {@code centre} {@link #countFactor} measures it by), once
     * {@link CountDispersion#SETTLE} readings are learnt; a reading at or above its prediction weighs as on the
     * square-root scale (a bursty count's quiet hours burst too). Learns this reading's miss after weighing it. 1 while
     * {@link ScoringConfig#countDispersionHalfLife()} is off.
     */
    private double overdispersion(ScoreState state, int c, double x, double prediction, double centre, double level) {
        CountDispersion dispersion = state.dispersion();
        if (dispersion == null) {
            return 1.0;
        }
        double weight = state.updates() <= CountDispersion.SETTLE || x >= prediction ? 1.0
                : dispersion.weight(c, centre, level);
        dispersion.learn(c, x, prediction, Math.max(dispersionAlpha, 1.0 / (state.updates() + 1)));
        return weight;
    }

    /**
     * r = √(sumSquares / channels) bounded as r/(1+r); 1 when {@code unscaledMiss}: a channel that has never varied
     * has no scale to measure a difference in, so any difference is past every bound, in whatever units the sensor
     * reports (dividing by {@link OnlineNormaliser#unit}'s floor instead would make the score depend on the units).
     */
    static double bounded(double sumSquares, int channels, boolean unscaledMiss) {
        if (unscaledMiss) {
            return 1.0;
        }
        double r = Math.sqrt(sumSquares / channels);
        return r / (1.0 + r);
    }

    private static boolean anyCount(ScoreState state) {
        for (boolean count : state.counts()) {
            if (count) {
                return true;
            }
        }
        return false;
    }

    /**
     * For a count, noise grows like the square root of the level (Poisson-like), so its miss is measured on the
     * square-root scale: √x - √p = (x - p) / (√x + √p), and the channel's unit there is about scale / (2√centre).
     * The factor turns a miss in scales into that: 2√centre / (√x + √p) = √(centre / level) ({@link #countLevel}),
     * {@code centre} and the level floored at 1 (a count near 0 is not infinitely sharp). A burst at a high level
     * weighs less, a drop at a low level more; about 1 near the centre.
     */
    static double countFactor(double centre, double level) {
        return Math.sqrt(centre) / Math.sqrt(level);
    }

    /** The level a count's miss of {@code prediction} by {@code x} is measured at: ((√x + √p) / 2)², at least 1. */
    static double countLevel(double x, double prediction) {
        double root = (Math.sqrt(Math.max(x, 0)) + Math.sqrt(Math.max(prediction, 0))) / 2;
        return Math.max(root * root, 1.0);
    }
}
