package dev.vigil.eval;

import dev.vigil.VigilException;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One labelled NAB anomaly window: an inclusive range of rows of one data file, given by the
 * timestamps of its first and last rows.
 *
 * @param start timestamp of the window's first row
 * @param end timestamp of the window's last row; not before {@code start}
 */
public record NabWindow(LocalDateTime start, LocalDateTime end) {

    /** Checks that both ends are present and in order. */
    public NabWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new VigilException("window end must not be before start, got [" + start + ", " + end + "]");
        }
    }

    /**
     * Builds a window from NAB's text form, e.g. {@code "2014-11-01 19:00:00.000000"}.
     *
     * @param start first row's timestamp, with or without a fraction of a second
     * @param end last row's timestamp, with or without a fraction of a second
     * @return the window
     */
    public static NabWindow of(String start, String end) {
        return new NabWindow(NabTimestamp.parse(start, "window start"), NabTimestamp.parse(end, "window end"));
    }
}
