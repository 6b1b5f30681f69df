package dev.vigil.eval;

import dev.vigil.VigilException;
import dev.vigil.score.AlertReason;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What became of one injected anomaly at one threshold, as {@link DetectionReport} counts it: caught when a row from
 * its onset to the last row of its window scores at or above the threshold. For a person asking which anomalies a
 * detector missed and how near it came.
 *
 * @param file          the data file, relative to the corpus ({@code category/name.csv})
 * @param anomaly       the anomaly
 * @param windowLast    the last row of the labelled window holding its onset
 * @param firstCrossing the first row from the onset to {@code windowLast} at or above the threshold; -1: none
 * @param openedBy      what opened the alert on that row; null when not caught or not known
 * @param peak          the highest score from the onset to {@code windowLast}
 */
public record AnomalyOutcome(String file, InjectedAnomaly anomaly, int windowLast, int firstCrossing,
                             AlertReason openedBy, double peak) {
    /** The header {@link #write} puts first. */
    public static final String CSV_HEADER = "file,kind,start,end,window_end,caught,delay,opened_by,peak_score,detail";

    public boolean caught() {
        return firstCrossing >= 0;
    }

    /** Rows from the onset to the first crossing; -1 when not caught. */
    public int delay() {
        return caught() ? firstCrossing - anomaly.start() : -1;
    }

    /** The outcome as one CSV line, in {@link #CSV_HEADER}'s columns (the detail quoted). */
    public String csvLine() {
        return String.join(",", CsvLines.path(file), anomaly.kind().label(),
                Integer.toString(anomaly.start()), Integer.toString(anomaly.end()), Integer.toString(windowLast),
                Boolean.toString(caught()), caught() ? Integer.toString(delay()) : "",
                openedBy == null ? "" : openedBy.label(), String.format(Locale.ROOT, "%.4f", peak),
                CsvLines.quote(anomaly.detail()));
    }

    /**
     * Writes the outcomes as CSV ({@link #CSV_HEADER}, then one line each, in the order given).
     *
     * @throws VigilException when the file cannot be written
     */
    public static void write(Path file, List<AnomalyOutcome> outcomes) {
        CsvLines.write(file, CSV_HEADER, outcomes, AnomalyOutcome::csvLine);
    }
}
