package dev.vigil.eval.synth;

import dev.vigil.eval.AnomalyKind;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plans a synthetic corpus from a seed: for each series its base, step, length and parameters, where its
 * anomalies go (kinds in turn, so that every kind appears once there are at least 12 series) and any regime
 * change. Series {@code i} depends only on the seed and {@code i}, not on how many series are planned.
 *
 * <p>Anomalies start after row {@link #FIRST_ANOMALY_ROW}, each in its own slot of the rest of the file, with
 * its NAB window ({@link #windowHalf}) inside the slot, so windows never overlap. A transient anomaly ends by
 * its window's last row, so the return to normal is not counted as a false alarm.
 */
final class CorpusPlanner {
    /** No anomaly starts before this row: warm-up and the first model (300 readings) come first. */
    static final int FIRST_ANOMALY_ROW = 1500;
    /** Fewest rows of a file. */
    static final int MIN_ROWS = 3000;
    /** Most rows of a file. */
    static final int MAX_ROWS = 6000;
    /** Every seventh series (index 6, 13, ...) has no anomaly. */
    static final int QUIET_EVERY = 7;
    /** Every sixth series with an anomaly also gets a second one, when its first kind allows it. */
    static final int SECOND_EVERY = 6;
    /** The kinds that fit any base (no daily pattern needed). */
    private static final AnomalyKind[] UNIVERSAL = Arrays.stream(AnomalyKind.values())
            .filter(k -> !k.periodic()).toArray(AnomalyKind[]::new);
    /** Steps in seconds, repeated by weight: mostly 5 minutes, some 1 minute, 10 minutes and 1 hour. */
    private static final Integer[] STEPS = {300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300,
        60, 60, 600, 600, 600, 3600, 3600};
    private static final LocalDateTime FIRST_DAY = LocalDateTime.of(2021, 1, 4, 0, 0);

    private CorpusPlanner() {
    }

    /**
     * NAB's window half-width for a file: a window is {@code int(0.10 * rows / anomalies)} rows, centred on
     * its label, so it reaches this many rows either side.
     */
    static int windowHalf(int rows, int anomalies) {
        return ((int) (0.10 * rows / anomalies)) / 2;
    }

    /** Plans {@code series} series from a seed. */
    static List<SeriesPlan> plan(int series, long seed) {
        RandomDraws root = new RandomDraws(seed);
        List<SeriesPlan> plans = new ArrayList<>();
        int anomalous = 0;
        for (int i = 0; i < series; i++) {
            RandomDraws r = root.split();
            List<AnomalyKind> kinds = kindsFor(i, anomalous);
            if (!kinds.isEmpty()) {
                anomalous++;
            }
            SeriesPlan normal = normal(i, kinds, r);
            List<AnomalySpec> anomalies = place(normal, kinds, r);
            plans.add(normal.with(anomalies, regimes(normal, anomalies, r)));
        }
        return plans;
    }

    private static List<AnomalyKind> kindsFor(int index, int anomalous) {
        if (index % QUIET_EVERY == QUIET_EVERY - 1) {
            return List.of();
        }
        AnomalyKind[] all = AnomalyKind.values();
        AnomalyKind first = all[anomalous % all.length];
        if (anomalous % SECOND_EVERY == SECOND_EVERY - 1 && !first.periodic()) {
            return List.of(first, UNIVERSAL[(anomalous / SECOND_EVERY) % UNIVERSAL.length]);
        }
        return List.of(first);
    }

    private static SeriesPlan normal(int index, List<AnomalyKind> kinds, RandomDraws r) {
        boolean periodic = kinds.stream().anyMatch(AnomalyKind::periodic);
        boolean peaked = kinds.contains(AnomalyKind.MISSING_PEAK);
        SeriesBase base = peaked ? r.pick(new SeriesBase[] {SeriesBase.BUSINESS, SeriesBase.QUANTISED,
            SeriesBase.COUNTS}) : periodic ? r.pick(new SeriesBase[] {SeriesBase.DAILY, SeriesBase.BUSINESS,
                SeriesBase.QUANTISED, SeriesBase.COUNTS}) : r.pick(SeriesBase.values());
        DailyShape shape = switch (base) {
            case DAILY -> DailyShape.SINE;
            case BUSINESS -> DailyShape.PEAKED;
            case SERVER -> DailyShape.NONE;
            default -> peaked || r.chance(0.5) ? DailyShape.PEAKED : DailyShape.SINE;
        };
        int step = r.pick(STEPS);
        if (step == 60 && periodic) {
            step = 300;
        }
        int rows = r.between(MIN_ROWS, MAX_ROWS);
        LocalDateTime start = FIRST_DAY.plusDays(r.between(0, 400))
                .plusSeconds((long) r.between(0, 86_400 / step - 1) * step);
        long seed = r.nextLong();
        return parameters(index, base, shape, step, rows, start, seed, r);
    }

    private static SeriesPlan parameters(int index, SeriesBase base, DailyShape shape, int step, int rows,
                                         LocalDateTime start, long seed, RandomDraws r) {
        double phase = r.uniform(0, 1);
        double level;
        double amplitude;
        double noise;
        double ar = 0;
        double weekend = 1;
        double quantum = 0;
        double dispersion = 0;
        double burstRate = 0;
        double burstDecay = 1;
        switch (base) {
            case DAILY -> {
                level = r.logUniform(5, 500);
                amplitude = level * r.uniform(0.2, 0.6);
                noise = amplitude * r.pick(new Double[] {0.02, 0.08, 0.25});
                ar = r.pick(new Double[] {0.0, 0.0, 0.6});
                weekend = r.pick(new Double[] {1.0, 1.0, 0.7});
            }
            case BUSINESS -> {
                level = r.logUniform(5, 500);
                amplitude = level * r.uniform(0.5, 1.5);
                noise = (level + amplitude) * r.pick(new Double[] {0.01, 0.04, 0.1});
                weekend = r.uniform(0.1, 0.5);
            }
            case QUANTISED -> {
                quantum = r.pick(new Double[] {1.0, 1.0, 0.5, 5.0});
                double unit = quantum == 5.0 ? 10 : 1;
                level = unit * r.uniform(15, 60);
                amplitude = unit * r.uniform(3, 12);
                noise = amplitude * r.pick(new Double[] {0.05, 0.15});
            }
            case COUNTS -> {
                level = r.logUniform(10, 200);
                amplitude = level * r.uniform(0.3, 0.9) * (shape == DailyShape.PEAKED ? 2 : 1);
                noise = 0;
                weekend = r.pick(new Double[] {1.0, 0.6});
                dispersion = r.pick(new Double[] {3.0, 8.0, 30.0});
                burstRate = r.uniform(1.0 / 400, 1.0 / 80);
                burstDecay = r.uniform(1.5, 6);
            }
            default -> {
                level = r.logUniform(1, 100);
                amplitude = 0;
                noise = level * r.uniform(0.02, 0.12);
                ar = r.uniform(0.5, 0.95);
            }
        }
        double spread = amplitude > 0 ? amplitude : 5 * noise;
        double trend = r.chance(0.4) ? (r.chance(0.5) ? 1 : -1) * r.uniform(0.1, 0.4) * spread : 0;
        return new SeriesPlan(index, base, shape, step, rows, start, level, amplitude, phase, weekend, noise, ar,
                trend, quantum, dispersion, burstRate, burstDecay, List.of(), List.of(), seed);
    }

    private static List<AnomalySpec> place(SeriesPlan p, List<AnomalyKind> kinds, RandomDraws r) {
        List<AnomalySpec> out = new ArrayList<>();
        int k = kinds.size();
        int half = windowHalf(p.rows(), Math.max(1, k));
        int slot = (p.rows() - FIRST_ANOMALY_ROW) / Math.max(1, k);
        for (int j = 0; j < k; j++) {
            int lo = FIRST_ANOMALY_ROW + j * slot + half + 1;
            int hi = FIRST_ANOMALY_ROW + (j + 1) * slot - half - 2;
            AnomalyKind kind = kinds.get(j);
            out.add(kind == AnomalyKind.MISSING_PEAK ? missingPeak(p, lo, hi, half, r)
                    : spec(kind, r.between(lo, hi), half, p, r));
        }
        return out;
    }

    private static AnomalySpec spec(AnomalyKind kind, int s, int half, SeriesPlan p, RandomDraws r) {
        int longest = half;
        int longer = r.between(Math.max(12, half / 2), longest);
        return switch (kind) {
            case SPIKE -> new AnomalySpec(kind, s, s + r.between(0, 2), r.uniform(0.8, 1.6), 0);
            case DIP -> new AnomalySpec(kind, s, s + (p.base() == SeriesBase.COUNTS ? r.between(1, 5)
                    : r.between(0, 2)), r.uniform(0.8, 1.6), 0);
            case LEVEL_SHIFT_UP, LEVEL_SHIFT_DOWN -> new AnomalySpec(kind, s, s + r.between(0, 2),
                    r.uniform(0.3, 0.7), 0);
            case DRIFT -> new AnomalySpec(kind, s, s + longer, (r.chance(0.5) ? 1 : -1) * r.uniform(0.6, 1.2), 0);
            case CONTEXTUAL -> {
                AnomalySpec.Contextual c = r.pick(AnomalySpec.Contextual.values());
                double size = c == AnomalySpec.Contextual.PHASE_SHIFT ? r.uniform(0.25, 0.5)
                        : c == AnomalySpec.Contextual.STEP_DOWN ? r.uniform(0.3, 0.5) : 0;
                yield new AnomalySpec(kind, s, s + longer, size, c.ordinal());
            }
            case VARIANCE_CHANGE -> new AnomalySpec(kind, s, s + longer, r.uniform(1, 2), 0);
            case FREQUENCY_CHANGE -> new AnomalySpec(kind, s, s + longer, r.pick(new Double[] {2.0, 3.0, 4.0}), 0);
            case FROZEN -> new AnomalySpec(kind, s, s + r.between(Math.max(40, half / 2), Math.max(40, longest)), 0, 0);
            case MISSING_PEAK -> throw new IllegalArgumentException("missing-peak is placed by missingPeak");
        };
    }

    /** A weekday's peak, from the row its rise begins to the row its fall ends, with an onset in [lo, hi]. */
    private static AnomalySpec missingPeak(SeriesPlan p, int lo, int hi, int half, RandomDraws r) {
        List<int[]> peaks = new ArrayList<>();
        for (int i = Math.max(1, lo); i <= hi; i++) {
            if (aboveEdge(p, i) && !aboveEdge(p, i - 1) && !p.weekend(i)) {
                int end = i;
                while (end + 1 < p.rows() && aboveEdge(p, end + 1)) {
                    end++;
                }
                if (end - i <= half) {
                    peaks.add(new int[] {i, end});
                }
            }
        }
        if (peaks.isEmpty()) {
            throw new IllegalStateException("no weekday peak between rows " + lo + " and " + hi + " of "
                    + p.relativePath());
        }
        int[] peak = peaks.get(r.between(0, peaks.size() - 1));
        return new AnomalySpec(AnomalyKind.MISSING_PEAK, peak[0], peak[1], 0, 0);
    }

    private static boolean aboveEdge(SeriesPlan p, int i) {
        return p.shape().value(p.patternPosition(i)) > DailyShape.PEAK_EDGE;
    }

    private static List<RegimeSpec> regimes(SeriesPlan p, List<AnomalySpec> anomalies, RandomDraws r) {
        if (!r.chance(anomalies.isEmpty() ? 0.5 : 0.3)) {
            return List.of();
        }
        int transition = Math.max(30, Math.min(400, p.rowsPerDay() / 2));
        int lo = 600;
        int hi = anomalies.isEmpty() ? p.rows() - transition - 1
                : anomalies.get(0).start() - windowHalf(p.rows(), anomalies.size()) - transition - 50;
        if (hi < lo) {
            return List.of();
        }
        int s = r.between(lo, hi);
        RegimeSpec.Change change = p.base().periodic() ? r.pick(RegimeSpec.Change.values())
                : r.pick(new RegimeSpec.Change[] {RegimeSpec.Change.LEVEL, RegimeSpec.Change.NOISE});
        double size = switch (change) {
            case LEVEL -> (r.chance(0.5) ? 1 : -1) * r.uniform(0.04, 0.08);
            case AMPLITUDE -> r.uniform(0.6, 0.85);
            case NOISE -> r.uniform(1.4, 2.0);
        };
        return List.of(new RegimeSpec(change, s, s + transition, size));
    }
}
