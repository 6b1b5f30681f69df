package dev.vigil.eval.synth;

import dev.vigil.eval.InjectedAnomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Draws a planned series' readings. Normal is built in layers: the daily pattern's clock, the pattern (amplitude,
 * shape, weekends), the level (with trend and regime changes), the noise (Gaussian or autocorrelated; for counts a
 * negative-binomial draw around the rate, with heavy-tailed bursts), then rounding to the sensor's step. Each
 * anomaly acts at its layer ({@link AnomalyEffects}).
 *
 * <p>Every row's random numbers come from its own generator, split from the series' seed in row order, so a
 * series with anomalies has exactly the noise of the same series without them. Sizes of anomalies and regime
 * changes are measured on the clean rendering (no anomaly, no regime change): the spread of its rows before
 * {@link CorpusPlanner#FIRST_ANOMALY_ROW}, the same whatever the anomalies. Stateless.
 */
final class SeriesRenderer {
    /** A noise estimate: the median absolute step of Gaussian noise is this many standard deviations. */
    private static final double MEDIAN_STEP_IN_SD = 0.9539;
    /** A normal burst of counts is at most this many times the rate. */
    static final double BURST_CAP = 8;
    /** Tail index of burst heights (Pareto): smaller is heavier. */
    static final double BURST_TAIL = 1.3;

    private SeriesRenderer() {
    }

    /** A drawn series: its readings (rounded as written) and its anomalies with how they were made. */
    record Rendered(double[] values, List<InjectedAnomaly> anomalies) {
    }

    /** Draws the series. */
    static Rendered render(SeriesPlan plan) {
        RowDraws draws = RowDraws.of(plan);
        SeriesPlan clean = plan.with(List.of(), List.of());
        AnomalyEffects.Spread spread = measure(draw(clean, draws, null), CorpusPlanner.FIRST_ANOMALY_ROW);
        double[] x = draw(plan, draws, spread);
        List<InjectedAnomaly> anomalies = new ArrayList<>();
        for (AnomalySpec a : plan.anomalies()) {
            anomalies.add(new InjectedAnomaly(a.kind(), a.start(), a.end(), AnomalyEffects.detail(a, plan, spread, x)));
        }
        return new Rendered(x, anomalies);
    }

    /** The random numbers of every row, drawn once so that two renderings see the same ones. */
    private record RowDraws(double[] gaussian, double[] extra, double[] burst, double[] burstHeight, long[] seed) {
        static RowDraws of(SeriesPlan p) {
            RandomDraws root = new RandomDraws(p.seed());
            int n = p.rows();
            RowDraws d = new RowDraws(new double[n], new double[n], new double[n], new double[n], new long[n]);
            for (int i = 0; i < n; i++) {
                RandomDraws r = root.split();
                d.gaussian[i] = r.gaussian();
                d.extra[i] = r.gaussian();
                d.burst[i] = r.uniform(0, 1);
                d.burstHeight[i] = Math.min(BURST_CAP, r.pareto(BURST_TAIL));
                d.seed[i] = r.nextLong();
            }
            return d;
        }
    }

    private static double[] draw(SeriesPlan p, RowDraws d, AnomalyEffects.Spread spread) {
        int n = p.rows();
        double[] position = new double[n];
        double[] amplitude = new double[n];
        double[] pattern = new double[n];
        double[] level = new double[n];
        for (int i = 0; i < n; i++) {
            position[i] = p.patternPosition(i);
            amplitude[i] = p.amplitude() * p.weekFactor(i) * regimeFactor(p, RegimeSpec.Change.AMPLITUDE, i);
            level[i] = p.level() + p.trend() * i / (n - 1);
        }
        for (AnomalySpec a : p.anomalies()) {
            AnomalyEffects.bendClock(a, position);
        }
        for (int i = 0; i < n; i++) {
            pattern[i] = amplitude[i] * p.shape().value(position[i]);
        }
        double[] extraSd = new double[n];
        for (AnomalySpec a : p.anomalies()) {
            AnomalyEffects.reshapeDay(a, p, pattern, amplitude);
            AnomalyEffects.moveLevel(a, p, level, spread);
            double sd = AnomalyEffects.extraNoise(a, spread);
            for (int i = a.start(); i <= a.end(); i++) {
                extraSd[i] += sd;
            }
        }
        for (RegimeSpec g : p.regimes()) {
            if (g.change() == RegimeSpec.Change.LEVEL) {
                for (int i = 0; i < n; i++) {
                    level[i] += g.size() * spread.range() * g.progress(i);
                }
            }
        }
        boolean counts = p.base() == SeriesBase.COUNTS;
        double[] x = counts ? counts(p, d, level, pattern, extraSd) : continuous(p, d, level, pattern, extraSd);
        for (AnomalySpec a : p.anomalies()) {
            AnomalyEffects.editReadings(a, x, counts, spread);
        }
        for (int i = 0; i < n; i++) {
            x[i] = ValueText.round(x[i], p.quantum());
        }
        for (AnomalySpec a : p.anomalies()) {
            AnomalyEffects.holdReadings(a, x);
        }
        return x;
    }

    private static double[] continuous(SeriesPlan p, RowDraws d, double[] level, double[] pattern, double[] extraSd) {
        double[] x = new double[p.rows()];
        double innovation = Math.sqrt(1 - p.ar() * p.ar());
        double ar = 0;
        for (int i = 0; i < x.length; i++) {
            ar = p.ar() * ar + innovation * d.gaussian[i];
            double sd = p.noise() * regimeFactor(p, RegimeSpec.Change.NOISE, i);
            x[i] = level[i] + pattern[i] + sd * ar + extraSd[i] * d.extra[i];
        }
        return x;
    }

    private static double[] counts(SeriesPlan p, RowDraws d, double[] level, double[] pattern, double[] extraSd) {
        double[] x = new double[p.rows()];
        double decay = Math.exp(-1.0 / p.burstDecay());
        double burst = 1;
        for (int i = 0; i < x.length; i++) {
            burst = 1 + (burst - 1) * decay;
            if (d.burst[i] < p.burstRate()) {
                burst += d.burstHeight[i] - 1;
            }
            double rate = Math.max(0.05, level[i] + pattern[i]) * burst;
            // more noise for counts means more over-dispersion: a smaller negative-binomial dispersion
            double dispersion = p.dispersion() / regimeFactor(p, RegimeSpec.Change.NOISE, i);
            long count = new RandomDraws(d.seed[i]).negativeBinomial(rate, dispersion);
            x[i] = Math.max(0, Math.round(count + extraSd[i] * d.extra[i]));
        }
        return x;
    }

    private static double regimeFactor(SeriesPlan p, RegimeSpec.Change change, int i) {
        double f = 1;
        for (RegimeSpec g : p.regimes()) {
            if (g.change() == change) {
                f *= 1 + (g.size() - 1) * g.progress(i);
            }
        }
        return f;
    }

    private static AnomalyEffects.Spread measure(double[] x, int before) {
        int n = Math.max(2, Math.min(before, x.length));
        double[] head = Arrays.copyOf(x, n);
        Arrays.sort(head);
        double range = head[(int) (0.99 * (n - 1))] - head[(int) (0.01 * (n - 1))];
        double[] steps = new double[n - 1];
        for (int i = 1; i < n; i++) {
            steps[i - 1] = Math.abs(x[i] - x[i - 1]);
        }
        Arrays.sort(steps);
        double noise = steps[steps.length / 2] / MEDIAN_STEP_IN_SD;
        return new AnomalyEffects.Spread(Math.max(range, 1e-6), noise, head[n - 1]);
    }
}
