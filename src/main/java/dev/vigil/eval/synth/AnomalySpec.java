package dev.vigil.eval.synth;

import dev.vigil.eval.AnomalyKind;

/**
 * One anomaly as planned, before the series is drawn: its kind, rows, and how strong it is.
 *
 * @param kind    the kind
 * @param start   onset row
 * @param end     last row it changes (for persistent kinds: where the change is complete)
 * @param size    strength, unitless: for additive kinds a multiple of the series' own spread (its 1st to 99th
 *                percentile before the anomaly); for {@code frequency-change} the speed-up factor; for a
 *                contextual phase shift the shift in days
 * @param variant for {@code contextual}: which break (see {@link Contextual}); otherwise 0
 */
record AnomalySpec(AnomalyKind kind, int start, int end, double size, int variant) {
    /** The breaks of a daily pattern that a contextual anomaly makes. */
    enum Contextual {
        /** The day flattens to its mean level. */
        FLATTEN,
        /** The pattern runs late by {@code size} days. */
        PHASE_SHIFT,
        /** The level steps down by {@code size} spreads, clamped to the range seen before. */
        STEP_DOWN
    }

    /** The contextual variant; only for {@code contextual}. */
    Contextual contextual() {
        return Contextual.values()[variant];
    }
}
