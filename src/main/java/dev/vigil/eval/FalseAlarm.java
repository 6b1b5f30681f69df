package dev.vigil.eval;

import dev.vigil.VigilException;
import dev.vigil.score.AlertReason;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One false alarm as {@link DetectionReport} counts it: a rising edge through the threshold on a non-probationary row
 * outside every labelled window (or, in {@link DetectionReport#settlingRows()}, a settling alarm: such an edge on a
 * probationary row). For a person asking where a detector's false alarms are and what raised them.
 *
 * @param file      the data file, relative to the corpus ({@code category/name.csv})
 * @param row       the row, 0-based among the file's data rows
 * @param timestamp the row's timestamp, as read
 * @param score     the row's anomaly score
 * @param openedBy  what opened an alert on the row; null when none did there or it is not known
 */
public record FalseAlarm(String file, int row, String timestamp, double score, AlertReason openedBy) {
    /** The header {@link #write} puts first. */
    public static final String CSV_HEADER = "file,row,timestamp,score,opened_by";

    /** The false alarm as one CSV line, in {@link #CSV_HEADER}'s columns. */
    public String csvLine() {
        return String.join(",", CsvLines.path(file), Integer.toString(row), CsvLines.path(timestamp),
                String.format(Locale.ROOT, "%.4f", score), openedBy == null ? "" : openedBy.label());
    }

    /**
     * Writes the false alarms as CSV ({@link #CSV_HEADER}, then one line each, in the order given).
     *
     * @throws VigilException when the file cannot be written
     */
    public static void write(Path file, List<FalseAlarm> falseAlarms) {
        CsvLines.write(file, CSV_HEADER, falseAlarms, FalseAlarm::csvLine);
    }
}
