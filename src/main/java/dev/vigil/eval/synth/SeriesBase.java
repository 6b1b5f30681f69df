package dev.vigil.eval.synth;

/**
 * What normal looks like for a synthetic series; each is a category folder of the corpus.
 */
enum SeriesBase {
    /** A smooth daily cycle (sine) with a weekly dip, a trend, Gaussian or autocorrelated noise. */
    DAILY("daily", true),
    /** A night baseline with a daytime peak, much smaller at weekends (traffic, requests). */
    BUSINESS("business", true),
    /** A daily pattern read by a coarse sensor: integers, half units or steps of 5. */
    QUANTISED("quantised", true),
    /** Counts per step (negative-binomial) around a daily rate, with heavy-tailed bursts that are normal. */
    COUNTS("counts", true),
    /** No daily pattern: an autocorrelated level with a trend (server metrics). */
    SERVER("server", false);

    private final String folder;
    private final boolean periodic;

    SeriesBase(String folder, boolean periodic) {
        this.folder = folder;
        this.periodic = periodic;
    }

    /** The category folder, e.g. {@code daily}. */
    String folder() {
        return folder;
    }

    /** Whether the base has a daily pattern. */
    boolean periodic() {
        return periodic;
    }
}
