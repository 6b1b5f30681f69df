package dev.vigil.eval;

import dev.vigil.VigilException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps labelled windows onto a data file's rows by timestamp, as NAB does: each window end must be
 * exactly the timestamp of a row (the label file writes a fraction, {@code .000000}, the data file
 * does not; both are compared as {@link LocalDateTime}).
 */
final class WindowRows {
    private WindowRows() {
    }

    /**
     * The row range of each of a scored file's windows.
     *
     * @throws VigilException if the labels have no entry for the file (every scored file needs one, possibly
     *     {@code []}), or a window does not map to rows ({@link #locate})
     */
    static List<RowRange> of(ScoredSeries s, NabLabels labels) {
        if (!labels.contains(s.relativePath())) {
            throw new VigilException("no NAB labels for '" + s.relativePath()
                    + "': every scored file needs an entry (possibly []) in the windows file");
        }
        return locate(s.relativePath(), s.timestamps(), labels.windowsFor(s.relativePath()));
    }

    /**
     * Finds the row range of each window.
     *
     * @param relativePath the data file, for error messages
     * @param timestamps the file's timestamp strings, in row order
     * @param windows the file's windows, in time order
     * @return one range per window, in the same order; empty if there are no windows (the
     *     timestamps are then not parsed)
     * @throws VigilException if a window timestamp matches no row, or a window's rows are reversed
     *     or overlap the previous window's rows
     */
    static List<RowRange> locate(String relativePath, String[] timestamps, List<NabWindow> windows) {
        if (windows.isEmpty()) {
            return List.of();
        }
        Map<LocalDateTime, Integer> rowOf = new HashMap<>(timestamps.length * 2);
        for (int i = 0; i < timestamps.length; i++) {
            rowOf.putIfAbsent(NabTimestamp.parse(timestamps[i], relativePath + " row " + i), i);
        }
        List<RowRange> ranges = new ArrayList<>(windows.size());
        int previousLast = -1;
        for (NabWindow w : windows) {
            int first = rowIndex(rowOf, w.start(), relativePath, "start");
            int last = rowIndex(rowOf, w.end(), relativePath, "end");
            if (last < first || first <= previousLast) {
                throw new VigilException(relativePath + ": window " + w + " maps to rows [" + first + ", " + last
                        + "], expected increasing rows after the previous window's last row " + previousLast);
            }
            ranges.add(new RowRange(first, last));
            previousLast = last;
        }
        return ranges;
    }

    /**
     * Marks the rows inside any window.
     *
     * @param rows number of rows in the file
     * @param ranges the file's windows as row ranges
     * @return per row, whether it lies inside a window
     */
    static boolean[] insideMask(int rows, List<RowRange> ranges) {
        boolean[] inside = new boolean[rows];
        for (RowRange r : ranges) {
            for (int i = r.first(); i <= r.last(); i++) {
                inside[i] = true;
            }
        }
        return inside;
    }

    private static int rowIndex(Map<LocalDateTime, Integer> rowOf, LocalDateTime t, String path, String end) {
        Integer row = rowOf.get(t);
        if (row == null) {
            throw new VigilException(path + ": window " + end + " " + t
                    + " must be the timestamp of a row of the data file, but no row has it");
        }
        return row;
    }
}
