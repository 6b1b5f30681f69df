package dev.vigil.eval.synth;

/**
 * A change of regime that is not an anomaly (it gets no window): a gradual, modest move to a new normal.
 *
 * @param change what changes
 * @param start  first row of the transition
 * @param end    last row of the transition; the new regime holds from there to the end of the file
 * @param size   for LEVEL a multiple of the series' spread (small, signed); for AMPLITUDE and NOISE a factor
 */
record RegimeSpec(Change change, int start, int end, double size) {
    /** What a regime change changes. */
    enum Change {
        /** The level moves a little. */
        LEVEL,
        /** The daily pattern's amplitude changes by a factor. */
        AMPLITUDE,
        /** The noise's scale changes by a factor. */
        NOISE
    }

    /** Progress of the transition at row i: 0 before it, 1 after, a smooth step in between. */
    double progress(int i) {
        if (i < start) {
            return 0;
        }
        if (i >= end) {
            return 1;
        }
        double x = (double) (i - start) / (end - start);
        return x * x * (3 - 2 * x);
    }
}
