package dev.vigil.eval;

import dev.vigil.VigilException;

import java.util.Objects;

/**
 * One anomaly of a labelled corpus, by row: what happened and where. Rows are 0-based indices into the data
 * file, both ends inclusive.
 *
 * @param kind   what was injected
 * @param start  first row the anomaly changes (the onset; its NAB window is centred on this row), {@code >= 0}
 * @param end    last row it changes, {@code >= start}; for a change that persists (a level shift, a drift's new
 *               level) the row at which the change is complete
 * @param detail how it was made, for people (e.g. {@code "x3 for 200 rows"}); may be empty
 */
public record InjectedAnomaly(AnomalyKind kind, int start, int end, String detail) {
    /** Checks the rows. */
    public InjectedAnomaly {
        Objects.requireNonNull(kind, "kind");
        if (start < 0 || end < start) {
            throw new VigilException(kind.label() + " anomaly must have 0 <= start <= end, got start=" + start
                    + " end=" + end);
        }
        detail = detail == null ? "" : detail;
    }
}
