package dev.vigil.eval;

import dev.vigil.VigilException;
import dev.vigil.score.AlertReason;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What NAB's scoring made of one labelled window at one threshold (the standard profile's optimised one, as NAB
 * reports it): reached when a non-probationary row of the window scores at or above it, rewarded by the first such
 * row's place in the window (NAB's scaled sigmoid: 1 on the window's first row, about 0.85 at its centre, where NAB
 * puts the labelled anomaly, 0 past its end). For a person asking which windows a detector reaches, how early, and
 * what reached them: the lateness and recall that the NAB score folds into one number.
 *
 * @param file      the data file, relative to the corpus ({@code category/name.csv})
 * @param index     the window's place among the file's windows, from 0
 * @param first     the window's first row
 * @param last      the window's last row
 * @param crossing  the first non-probationary row of the window at or above the threshold; -1: none
 * @param score     that row's score; 0 when not reached
 * @param openedBy  what opened an alert on that row; null when none did there (an alert already open, or a threshold
 *                  below the alert threshold), when not reached, or when not known
 * @param peak      the highest score on the window's non-probationary rows
 * @param reward    the window's reward under the standard profile: the crossing's weight, in (0, 1]; -1 (the cost of a
 *                  missed window) when not reached
 */
public record WindowOutcome(String file, int index, int first, int last, int crossing, double score,
                            AlertReason openedBy, double peak, double reward) {
    /** The header {@link #write} puts first. */
    public static final String CSV_HEADER = "file,window,first_row,last_row,reached,crossing_row,position,reward,score,"
            + "opened_by,peak_score";

    public boolean reached() {
        return crossing >= 0;
    }

    /**
     * Where the crossing lies in the window, as NAB measures it: -(last - crossing + 1) / width, -1 on the first row,
     * about -0.5 at the centre, just below 0 on the last row; NaN when not reached.
     */
    public double position() {
        return reached() ? -(double) (last - crossing + 1) / (last - first + 1) : Double.NaN;
    }

    /** Whether the window was reached in its first half: on or before its centre row, NAB's labelled anomaly. */
    public boolean firstHalf() {
        return reached() && crossing <= (first + last) / 2;
    }

    /**
     * Each labelled window of the corpus with a non-probationary row, file by file in the corpus's order, at
     * {@code threshold}.
     *
     * @throws VigilException if a file has no entry in the labels or a window matches no row
     */
    public static List<WindowOutcome> of(List<ScoredSeries> corpus, NabLabels labels, double threshold) {
        List<WindowOutcome> outcomes = new ArrayList<>();
        for (ScoredSeries s : corpus) {
            List<RowRange> windows = WindowRows.of(s, labels);
            SeriesWeights weights = SeriesWeights.compute(s.size(), windows);
            int probation = CorpusRows.probationLength(s.size());
            for (int w = 0; w < windows.size(); w++) {
                RowRange window = windows.get(w);
                if (window.last() >= probation) {
                    outcomes.add(outcome(s, w, window, Math.max(window.first(), probation), weights, threshold));
                }
            }
        }
        return outcomes;
    }

    private static WindowOutcome outcome(ScoredSeries s, int index, RowRange window, int from, SeriesWeights weights,
                                         double threshold) {
        double[] scores = s.scores();
        int crossing = -1;
        double peak = 0;
        for (int i = from; i <= window.last(); i++) {
            if (crossing < 0 && scores[i] >= threshold) {
                crossing = i;
            }
            peak = Math.max(peak, scores[i]);
        }
        if (crossing < 0) {
            return new WindowOutcome(s.relativePath(), index, window.first(), window.last(), -1, 0, null, peak,
                    -NabProfile.STANDARD.fnWeight());
        }
        AlertReason by = s.openedBy() == null ? null : s.openedBy()[crossing];
        return new WindowOutcome(s.relativePath(), index, window.first(), window.last(), crossing, scores[crossing], by,
                peak,
                NabProfile.STANDARD.tpWeight() * weights.shape[crossing]);
    }

    /** The outcome as one CSV line, in {@link #CSV_HEADER}'s columns. */
    public String csvLine() {
        return String.join(",", CsvLines.path(file), Integer.toString(index), Integer.toString(first),
                Integer.toString(last), Boolean.toString(reached()),
                reached() ? Integer.toString(crossing) : "", reached() ? fixed(position()) : "", fixed(reward),
                reached() ? fixed(score) : "", openedBy == null ? "" : openedBy.label(), fixed(peak));
    }

    /**
     * Writes the outcomes as CSV ({@link #CSV_HEADER}, then one line each, in the order given).
     *
     * @throws VigilException when the file cannot be written
     */
    public static void write(Path file, List<WindowOutcome> outcomes) {
        CsvLines.write(file, CSV_HEADER, outcomes, WindowOutcome::csvLine);
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
