package dev.vigil.eval;

import dev.vigil.VigilException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scorable rows of a corpus, flattened: every non-probationary row of every file, with its
 * anomaly score, its window (a corpus-wide id, or -1) and its profile-free weight factor (see
 * {@link SeriesWeights}). Built once, then swept for each profile.
 */
final class CorpusRows {
    /** Probationary length is this fraction of a file's rows ... */
    static final double PROBATION_FRACTION = 0.15;
    /** ... capped at this many rows (NAB: 0.15 * 5000). */
    static final int PROBATION_CAP = 750;

    /** Anomaly score per scorable row. */
    final double[] score;
    /** Corpus-wide window id per scorable row, or -1 outside every window. */
    final int[] window;
    /** Profile-free weight factor per scorable row. */
    final double[] shape;
    /** Number of windows scored: windows with at least one non-probationary row. */
    final int windowCount;

    private CorpusRows(double[] score, int[] window, double[] shape, int windowCount) {
        this.score = score;
        this.window = window;
        this.shape = shape;
        this.windowCount = windowCount;
    }

    /**
     * Flattens a corpus.
     *
     * @param corpus one entry per data file; relative paths distinct and all labelled
     * @param labels windows per file
     * @return the scorable rows
     * @throws VigilException if a file is not labelled, appears twice, or a window does not map to rows
     */
    static CorpusRows build(List<ScoredSeries> corpus, NabLabels labels) {
        int total = 0;
        Set<String> seen = new HashSet<>();
        for (ScoredSeries s : corpus) {
            if (!seen.add(s.relativePath())) {
                throw new VigilException("corpus must hold each file once, got '" + s.relativePath() + "' twice");
            }
            total += s.size() - probationLength(s.size());
        }
        double[] score = new double[total];
        int[] window = new int[total];
        double[] shape = new double[total];
        int at = 0;
        int windowBase = 0;
        for (ScoredSeries s : corpus) {
            List<RowRange> ranges = WindowRows.of(s, labels);
            SeriesWeights w = SeriesWeights.compute(s.size(), ranges);
            int[] localToGlobal = new int[ranges.size()];
            Arrays.fill(localToGlobal, -1);
            int probation = probationLength(s.size());
            for (int i = probation; i < s.size(); i++) {
                int local = w.windowOf[i];
                if (local >= 0 && localToGlobal[local] < 0) {
                    localToGlobal[local] = windowBase++;
                }
                score[at] = s.scores()[i];
                window[at] = local < 0 ? -1 : localToGlobal[local];
                shape[at] = w.shape[i];
                at++;
            }
        }
        return new CorpusRows(score, window, shape, windowBase);
    }

    /**
     * NAB's probationary length: {@code P = min(floor(0.15 * N), 750)} rows; rows {@code i < P} are
     * ignored by the scorer. Computed in double, as NAB does.
     *
     * @param rows number of rows in the file, N
     * @return P
     */
    static int probationLength(int rows) {
        return (int) Math.min(Math.floor(PROBATION_FRACTION * rows), PROBATION_CAP);
    }

    /** Number of scorable rows. */
    int size() {
        return score.length;
    }

    /**
     * Row weight under a profile: {@code tpWeight * shape} inside a window,
     * {@code fpWeight * shape} (negative) outside.
     */
    double weight(int row, NabProfile profile) {
        return window[row] >= 0 ? profile.tpWeight() * shape[row] : profile.fpWeight() * shape[row];
    }

    /**
     * Scorable rows ordered by score, highest first (ties in any order).
     *
     * @return row indices into this object's arrays
     */
    int[] orderByScoreDescending() {
        Integer[] boxed = new Integer[score.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(score[b], score[a]));
        int[] order = new int[boxed.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = boxed[i];
        }
        return order;
    }
}
