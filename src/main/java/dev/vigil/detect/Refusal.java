package dev.vigil.detect;

/**
 * Why {@link Detector#step} refused an event (the key's state is left untouched). The stream turns {@link Kind#LATE}
 * into its {@code LATE} dead-letter reason and {@link Kind#INVALID} into {@code REFUSED}. Immutable.
 *
 * @param kind   which rule refused it
 * @param detail one line naming the values involved
 */
public record Refusal(Kind kind, String detail) {
    /** The rule that refused an event. */
    public enum Kind {
        /** Not after the key's latest event, or further back than the allowed lateness. */
        LATE,
        /** Wrong channel count, a non-finite value or no timestamp. */
        INVALID
    }

    public Refusal {
        if (kind == null || detail == null) {
            throw new IllegalArgumentException("a refusal needs a kind and a detail");
        }
    }
}
