package dev.vigil.eval;

import dev.vigil.VigilException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a detector's results on a NAB corpus exactly as NAB v1.1 does (see
 * {@code shared/nab/README.md}): probationary rows ignored, sigmoid-weighted window rewards,
 * one global threshold per profile chosen to maximise the raw score, then normalised so that the
 * null detector scores 0 and a perfect one 100.
 *
 * <p>The threshold search sorts the scorable rows once and sweeps them from the highest score
 * down, keeping per window the largest weight among detected rows and a running false-positive sum:
 * O(n log n) for n rows. Stateless and thread-safe.
 */
public final class NabScorer {
    /** The candidate threshold at which nothing is detected (scores are at most 1). */
    public static final double NOTHING_DETECTED = 1.1;

    /**
     * Scores a corpus under one profile at the threshold that maximises its raw score.
     *
     * @param corpus one entry per data file, each file at most once
     * @param labels windows per file; every file of the corpus must have an entry
     * @param profile the cost profile
     * @return the score at the best threshold; on a tie the highest threshold wins
     * @throws VigilException if a file is unlabelled or duplicated, a window matches no row, or the
     *     corpus has no window to score (the normalised score would be undefined)
     */
    public NabScore score(List<ScoredSeries> corpus, NabLabels labels, NabProfile profile) {
        CorpusRows rows = CorpusRows.build(corpus, labels);
        return sweep(rows, rows.orderByScoreDescending(), profile);
    }

    /**
     * Scores a corpus under each of the three profiles, each with its own optimised threshold.
     *
     * @param corpus one entry per data file, each file at most once
     * @param labels windows per file
     * @return one score per profile
     * @throws VigilException as {@link #score}
     */
    public Map<NabProfile, NabScore> scoreAll(List<ScoredSeries> corpus, NabLabels labels) {
        CorpusRows rows = CorpusRows.build(corpus, labels);
        return scoreAll(rows, rows.orderByScoreDescending());
    }

    /** {@link #scoreAll(List, NabLabels)} of rows already flattened, with their order by score already sorted. */
    Map<NabProfile, NabScore> scoreAll(CorpusRows rows, int[] order) {
        Map<NabProfile, NabScore> scores = new EnumMap<>(NabProfile.class);
        for (NabProfile profile : NabProfile.values()) {
            scores.put(profile, sweep(rows, order, profile));
        }
        return scores;
    }

    /**
     * Scores a corpus at a fixed threshold, with no optimisation: for applying a threshold chosen
     * elsewhere, and as the slow, obvious reference the sweep is tested against.
     *
     * @param corpus one entry per data file, each file at most once
     * @param labels windows per file
     * @param profile the cost profile
     * @param threshold rows with anomaly score {@code >= threshold} are detections
     * @return the score at that threshold
     * @throws VigilException as {@link #score}
     */
    public NabScore scoreAt(List<ScoredSeries> corpus, NabLabels labels, NabProfile profile, double threshold) {
        CorpusRows rows = CorpusRows.build(corpus, labels);
        requireWindows(rows);
        double raw = 0.0;
        int truePositives = 0;
        int windows = 0;
        int falsePositives = 0;
        for (FileScore f : FileScore.at(rows, corpus, profile, threshold)) {
            raw += f.raw();
            truePositives += f.caught();
            windows += f.windows();
            falsePositives += f.falsePositives();
        }
        return result(profile, threshold, raw, truePositives, windows, falsePositives);
    }

    /**
     * Normalises a raw score: {@code 100 * (raw - null) / (perfect - null)} with
     * {@code null = -fnWeight * windows} and {@code perfect = tpWeight * windows}.
     *
     * @param rawScore the raw corpus score
     * @param profile the cost profile
     * @param windows number of windows scored, {@code > 0}
     * @return the normalised score
     */
    public static double normalise(double rawScore, NabProfile profile, int windows) {
        if (windows <= 0) {
            throw new VigilException("windows must be > 0 to normalise a NAB score, got " + windows);
        }
        double nullScore = -profile.fnWeight() * windows;
        double perfect = profile.tpWeight() * windows;
        return 100.0 * (rawScore - nullScore) / (perfect - nullScore);
    }

    private static NabScore sweep(CorpusRows rows, int[] order, NabProfile profile) {
        requireWindows(rows);
        int windows = rows.windowCount;
        double[] best = new double[windows];
        boolean[] detected = new boolean[windows];
        double tpSum = 0.0;
        double fpSum = 0.0;
        int truePositives = 0;
        int falsePositives = 0;
        double bestRaw = -profile.fnWeight() * windows;
        NabScore bestScore = result(profile, NOTHING_DETECTED, bestRaw, 0, windows, 0);
        int k = 0;
        while (k < order.length) {
            double threshold = rows.score[order[k]];
            // add every row whose score equals this candidate before evaluating it
            for (; k < order.length && rows.score[order[k]] == threshold; k++) {
                int r = order[k];
                int w = rows.window[r];
                double weight = rows.weight(r, profile);
                if (w < 0) {
                    fpSum += weight;
                    falsePositives++;
                } else if (!detected[w]) {
                    detected[w] = true;
                    best[w] = weight;
                    tpSum += weight;
                    truePositives++;
                } else if (weight > best[w]) {
                    tpSum += weight - best[w];
                    best[w] = weight;
                }
            }
            double raw = tpSum + fpSum - profile.fnWeight() * (windows - truePositives);
            // strictly greater: on a tie the earlier, higher threshold is kept
            if (raw > bestRaw) {
                bestRaw = raw;
                bestScore = result(profile, threshold, raw, truePositives, windows, falsePositives);
            }
        }
        return bestScore;
    }

    private static NabScore result(NabProfile profile, double threshold, double raw, int truePositives,
            int windows, int falsePositives) {
        return new NabScore(profile, threshold, raw, normalise(raw, profile, windows), truePositives,
                windows - truePositives, falsePositives);
    }

    private static void requireWindows(CorpusRows rows) {
        if (rows.windowCount == 0) {
            throw new VigilException("corpus must contain at least one labelled window outside the "
                    + "probationary period to be scored, got 0");
        }
    }
}
