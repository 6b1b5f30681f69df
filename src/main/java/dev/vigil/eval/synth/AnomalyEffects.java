package dev.vigil.eval.synth;

import dev.vigil.eval.AnomalyKind;

import java.util.Locale;

/**
 * What each anomaly kind does to a series, one method per stage of {@link SeriesRenderer}: the daily pattern's
 * clock, the pattern itself, the level, the noise, and finally the readings. A method leaves the arrays alone for
 * kinds that do not act at its stage. Sizes are in the series' own spread and noise, measured before any anomaly.
 */
final class AnomalyEffects {
    /** A spike or dip is at least this many noise standard deviations. */
    static final double MIN_SPIKE_NOISES = 6;
    /** Extra noise of a variance change is at least this many of the base noise's standard deviations ... */
    static final double VARIANCE_NOISES = 3;
    /** ... and at least this share of the spread. */
    static final double VARIANCE_SPREAD = 0.1;
    /** A count dip keeps this share of the counts (an outage). */
    static final double COUNT_DIP_KEEP = 0.05;
    /** A level shift or drift down of counts takes at most this share of the level. */
    static final double COUNT_DOWN_LIMIT = 0.7;

    private AnomalyEffects() {
    }

    /**
     * The series' own scale: the 1st to 99th percentile range, the noise's standard deviation, and the highest
     * reading, which for bursty counts lies far past the percentiles.
     */
    record Spread(double range, double noise, double highest) {
    }

    /** Clock stage: a frequency change runs the pattern faster, a contextual phase shift runs it late. */
    static void bendClock(AnomalySpec a, double[] position) {
        switch (a.kind()) {
            case FREQUENCY_CHANGE -> {
                double at = position[a.start()];
                for (int i = a.start(); i <= a.end(); i++) {
                    position[i] = at + a.size() * (position[i] - at);
                }
            }
            case CONTEXTUAL -> {
                if (a.contextual() == AnomalySpec.Contextual.PHASE_SHIFT) {
                    for (int i = a.start(); i <= a.end(); i++) {
                        position[i] -= a.size();
                    }
                }
            }
            default -> {
            }
        }
    }

    /** Pattern stage: a flattened day keeps its mean; a missing peak stays at the level its rise began from. */
    static void reshapeDay(AnomalySpec a, SeriesPlan p, double[] pattern, double[] amplitude) {
        boolean flatten = a.kind() == AnomalyKind.CONTEXTUAL
                && a.contextual() == AnomalySpec.Contextual.FLATTEN;
        boolean missingPeak = a.kind() == AnomalyKind.MISSING_PEAK;
        for (int i = a.start(); i <= a.end() && (flatten || missingPeak); i++) {
            pattern[i] = flatten ? amplitude[i] * p.shape().mean()
                    : Math.min(pattern[i], amplitude[i] * DailyShape.PEAK_EDGE);
        }
    }

    /**
     * Level stage: shifts and drifts persist to the end of the file; a contextual step down does not. For counts
     * a change down takes at most {@link #COUNT_DOWN_LIMIT} of the level (a rate stays positive).
     */
    static void moveLevel(AnomalySpec a, SeriesPlan p, double[] level, Spread spread) {
        int n = level.length;
        switch (a.kind()) {
            case LEVEL_SHIFT_UP, LEVEL_SHIFT_DOWN, DRIFT -> {
                double total = levelChange(a, p, spread);
                for (int i = a.start(); i < n; i++) {
                    level[i] += total * Math.min(1.0, (double) (i - a.start() + 1) / (a.end() - a.start() + 1));
                }
            }
            case CONTEXTUAL -> {
                if (a.contextual() == AnomalySpec.Contextual.STEP_DOWN) {
                    for (int i = a.start(); i <= a.end(); i++) {
                        level[i] -= a.size() * spread.range();
                    }
                }
            }
            default -> {
            }
        }
    }

    /** Noise stage: the standard deviation of a variance change's extra noise (0 for other kinds). */
    static double extraNoise(AnomalySpec a, Spread spread) {
        return a.kind() == AnomalyKind.VARIANCE_CHANGE
                ? a.size() * Math.max(VARIANCE_NOISES * spread.noise(), VARIANCE_SPREAD * spread.range()) : 0;
    }

    /**
     * Readings stage, before rounding: spikes and dips. A count spike adds more than the highest count of the clean
     * head, so it reaches past every normal burst the head had: a smaller one would be labelled an anomaly that the
     * series' own bursts outdo.
     */
    static void editReadings(AnomalySpec a, double[] x, boolean counts, Spread spread) {
        double height = spikeHeight(a, counts, spread);
        for (int i = a.start(); i <= a.end(); i++) {
            switch (a.kind()) {
                case SPIKE -> x[i] += counts ? Math.round(height) : height;
                case DIP -> x[i] = counts ? Math.floor(x[i] * COUNT_DIP_KEEP) : x[i] - height;
                default -> {
                }
            }
        }
    }

    /** Readings stage, after rounding: a frozen sensor repeats the reading before it; a contextual break is kept
     * inside the range of every reading before it. */
    static void holdReadings(AnomalySpec a, double[] x) {
        if (a.kind() == AnomalyKind.FROZEN) {
            for (int i = a.start(); i <= a.end(); i++) {
                x[i] = x[a.start() - 1];
            }
        } else if (a.kind() == AnomalyKind.CONTEXTUAL) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < a.start(); i++) {
                lo = Math.min(lo, x[i]);
                hi = Math.max(hi, x[i]);
            }
            for (int i = a.start(); i <= a.end(); i++) {
                x[i] = Math.max(lo, Math.min(hi, x[i]));
            }
        }
    }

    /** How the anomaly was made, for people. */
    static String detail(AnomalySpec a, SeriesPlan p, Spread spread, double[] x) {
        int rows = a.end() - a.start() + 1;
        return switch (a.kind()) {
            case SPIKE -> String.format(Locale.ROOT, "+%.4g for %d row(s)",
                    spikeHeight(a, p.base() == SeriesBase.COUNTS, spread), rows);
            case DIP -> p.base() == SeriesBase.COUNTS
                    ? String.format(Locale.ROOT, "counts cut to %.0f%% for %d row(s)", 100 * COUNT_DIP_KEEP, rows)
                    : String.format(Locale.ROOT, "-%.4g for %d row(s)", spikeHeight(a, false, spread), rows);
            case LEVEL_SHIFT_UP, LEVEL_SHIFT_DOWN -> String.format(Locale.ROOT, "%+.4g over %d row(s), then kept",
                    levelChange(a, p, spread), rows);
            case DRIFT -> String.format(Locale.ROOT, "%+.4g along a ramp of %d rows, then kept", levelChange(a, p, spread),
                    rows);
            case CONTEXTUAL -> switch (a.contextual()) {
                case FLATTEN -> "the daily pattern flattens to its mean for " + rows + " rows, within the range seen";
                case PHASE_SHIFT -> String.format(Locale.ROOT, "the daily pattern runs %.2f day late for %d rows,"
                        + " within the range seen", a.size(), rows);
                case STEP_DOWN -> String.format(Locale.ROOT, "the level steps down %.4g for %d rows, within the range"
                        + " seen", a.size() * spread.range(), rows);
            };
            case VARIANCE_CHANGE -> String.format(Locale.ROOT, "extra noise sd %.4g for %d rows", extraNoise(a, spread),
                    rows);
            case FREQUENCY_CHANGE -> String.format(Locale.ROOT, "the daily pattern runs x%.0f for %d rows", a.size(),
                    rows);
            case FROZEN -> String.format(Locale.ROOT, "stuck at %s for %d rows", ValueText.format(x[a.start()]),
                    rows);
            case MISSING_PEAK -> "the day's peak stays at the level its rise starts from, " + rows + " rows";
        };
    }

    private static double spikeHeight(AnomalySpec a, boolean counts, Spread spread) {
        double height = Math.max(a.size() * spread.range(), MIN_SPIKE_NOISES * spread.noise());
        return counts && a.kind() == AnomalyKind.SPIKE ? Math.max(height, spread.highest() + 1) : height;
    }

    private static double levelChange(AnomalySpec a, SeriesPlan p, Spread spread) {
        double sign = a.kind() == AnomalyKind.LEVEL_SHIFT_DOWN ? -1 : 1;
        double change = sign * a.size() * spread.range();
        return p.base() == SeriesBase.COUNTS ? Math.max(change, -COUNT_DOWN_LIMIT * p.level()) : change;
    }
}
