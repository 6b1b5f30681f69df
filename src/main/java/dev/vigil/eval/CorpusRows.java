package dev.vigil.eval;

import dev.vigil.VigilException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scorable rows of a corpus, flattened: every non-probationary row of every file, with its
 * anomaly score, its window (a corpus-wide id, or -1) and its profile-free weight factor (see
 * {@link SeriesWeights}). Built once, then swept for each profile; {@link #without} gives the rows of the corpus with
 * one file left out ({@link LeaveOneOut}) without building them again.
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
    /** Per file of the corpus, in its order, the first of its rows here; last, the number of rows. */
    private final int[] fileRow;
    /** Per file, the first of its window ids; last, the number of windows. */
    private final int[] fileWindow;

    private CorpusRows(double[] score, int[] window, double[] shape, int[] fileRow, int[] fileWindow) {
        this.score = score;
        this.window = window;
        this.shape = shape;
        this.fileRow = fileRow;
        this.fileWindow = fileWindow;
        this.windowCount = fileWindow[fileWindow.length - 1];
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
        int[] fileRow = new int[corpus.size() + 1];
        int[] fileWindow = new int[corpus.size() + 1];
        int at = 0;
        int windowBase = 0;
        for (int f = 0; f < corpus.size(); f++) {
            ScoredSeries s = corpus.get(f);
            fileRow[f] = at;
            fileWindow[f] = windowBase;
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
        fileRow[corpus.size()] = at;
        fileWindow[corpus.size()] = windowBase;
        return new CorpusRows(score, window, shape, fileRow, fileWindow);
    }

    /**
     * These rows without the corpus's file {@code f} (its index in the corpus built from): the rows of the corpus with
     * that file left out, its windows' ids taken out of the numbering, as {@link #build} would give them.
     */
    CorpusRows without(int f) {
        int from = fileRow[f];
        int cut = fileRow[f + 1] - from;
        int windowsCut = fileWindow[f + 1] - fileWindow[f];
        int n = score.length - cut;
        double[] s = new double[n];
        int[] w = new int[n];
        double[] sh = new double[n];
        System.arraycopy(score, 0, s, 0, from);
        System.arraycopy(score, from + cut, s, from, n - from);
        System.arraycopy(window, 0, w, 0, from);
        System.arraycopy(window, from + cut, w, from, n - from);
        System.arraycopy(shape, 0, sh, 0, from);
        System.arraycopy(shape, from + cut, sh, from, n - from);
        // the later files' windows are numbered after file f's
        for (int j = from; j < n; j++) {
            if (w[j] >= 0) {
                w[j] -= windowsCut;
            }
        }
        int[] rows = new int[fileRow.length - 1];
        int[] windows = new int[fileWindow.length - 1];
        for (int g = 0; g < rows.length; g++) {
            rows[g] = g < f ? fileRow[g] : fileRow[g + 1] - cut;
            windows[g] = g < f ? fileWindow[g] : fileWindow[g + 1] - windowsCut;
        }
        return new CorpusRows(s, w, sh, rows, windows);
    }

    /**
     * {@code order} ({@link #orderByScoreDescending} of these rows) without file {@code f}'s rows, renumbered as in
     * {@link #without}: the same order of the rest, with no second sort.
     */
    int[] orderWithout(int[] order, int f) {
        int from = fileRow[f];
        int cut = fileRow[f + 1] - from;
        int[] out = new int[order.length - cut];
        int j = 0;
        for (int r : order) {
            if (r < from) {
                out[j++] = r;
            } else if (r >= from + cut) {
                out[j++] = r - cut;
            }
        }
        return out;
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

    /** The first of file {@code f}'s rows here ({@code f} = the number of files: the number of rows). */
    int firstRow(int f) {
        return fileRow[f];
    }

    /** The first of file {@code f}'s window ids ({@code f} = the number of files: the number of windows). */
    int firstWindow(int f) {
        return fileWindow[f];
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
