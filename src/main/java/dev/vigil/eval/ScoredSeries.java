package dev.vigil.eval;

import dev.vigil.ShapeMismatchException;
import dev.vigil.VigilException;
import dev.vigil.score.AlertReason;

import java.util.Arrays;
import java.util.Objects;

/**
 * A detector's anomaly scores for one NAB data file, one per row in row order.
 *
 * <p>The arrays are held as given, not copied (a corpus has ~180k rows): do not modify them after
 * construction. {@code equals}/{@code hashCode} compare array contents.
 *
 * @param relativePath the data file's path relative to the corpus root, e.g.
 *     {@code "realKnownCause/nyc_taxi.csv"}
 * @param timestamps the data file's timestamp strings, {@code YYYY-MM-DD HH:MM:SS}, in row order
 * @param scores anomaly score per row, finite and in [0, 1]; same length as {@code timestamps}
 * @param openedBy per row, what opened an alert on that row (null where none opened), as the detector reported it;
 *     null when not known (scores read back from a results file)
 */
public record ScoredSeries(String relativePath, String[] timestamps, double[] scores, AlertReason[] openedBy) {

    /** Checks lengths and score range. */
    public ScoredSeries {
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(timestamps, "timestamps");
        Objects.requireNonNull(scores, "scores");
        if (timestamps.length != scores.length) {
            throw new ShapeMismatchException(relativePath + ": scores must have one value per timestamp ("
                    + timestamps.length + "), got " + scores.length);
        }
        if (openedBy != null && openedBy.length != scores.length) {
            throw new ShapeMismatchException(relativePath + ": openers must have one entry per timestamp ("
                    + timestamps.length + "), got " + openedBy.length);
        }
        for (int i = 0; i < scores.length; i++) {
            if (!(scores[i] >= 0.0 && scores[i] <= 1.0)) {
                throw new VigilException(relativePath + ": anomaly score of row " + i
                        + " must be finite and in [0, 1], got " + scores[i]);
            }
        }
    }

    /** Scores without what opened each alert (not known). */
    public ScoredSeries(String relativePath, String[] timestamps, double[] scores) {
        this(relativePath, timestamps, scores, null);
    }

    /** Number of rows. */
    public int size() {
        return scores.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoredSeries s
                && relativePath.equals(s.relativePath)
                && Arrays.equals(timestamps, s.timestamps)
                && Arrays.equals(scores, s.scores)
                && Arrays.equals(openedBy, s.openedBy);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * relativePath.hashCode() + Arrays.hashCode(timestamps)) + Arrays.hashCode(scores))
                + Arrays.hashCode(openedBy);
    }

    @Override
    public String toString() {
        return "ScoredSeries[" + relativePath + ", " + scores.length + " rows]";
    }
}
