package dev.vigil.eval;

/**
 * An inclusive range of 0-based row indices of one data file: a window mapped onto rows.
 *
 * @param first index of the first row, {@code >= 0}
 * @param last index of the last row, {@code >= first}
 */
record RowRange(int first, int last) {

    /** Number of rows, {@code last - first + 1}. */
    int width() {
        return last - first + 1;
    }

    /** Whether row {@code i} is inside the range. */
    boolean contains(int i) {
        return i >= first && i <= last;
    }
}
