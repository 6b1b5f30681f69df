package dev.vigil.eval.synth;

/**
 * The shape of a series' daily pattern, as a function of the position in the day {@code u} (in days; the
 * shape has period 1).
 */
enum DailyShape {
    /** No daily pattern. */
    NONE,
    /** {@code sin(2πu)}: a smooth day and night, in [-1, 1]. */
    SINE,
    /**
     * A peak in the middle of the day, flat at night: {@code exp(-((u' - 0.5)/width)²/2)}, in [0, 1], with
     * {@code u'} the position in [0, 1) and {@code width} {@link #PEAK_WIDTH} days (business hours, traffic).
     */
    PEAKED;

    /** Standard deviation, in days, of the peak of {@link #PEAKED}. */
    static final double PEAK_WIDTH = 0.1;
    /** Where a {@link #PEAKED} day's rise begins and its fall ends: the shape above this level is "the peak". */
    static final double PEAK_EDGE = 0.1;

    /** The shape at position {@code u} days. */
    double value(double u) {
        return switch (this) {
            case NONE -> 0.0;
            case SINE -> Math.sin(2 * Math.PI * u);
            case PEAKED -> {
                double f = u - Math.floor(u) - 0.5;
                yield Math.exp(-0.5 * (f / PEAK_WIDTH) * (f / PEAK_WIDTH));
            }
        };
    }

    /** The shape's mean over a day: the level a flattened day keeps. */
    double mean() {
        return this == PEAKED ? PEAK_WIDTH * Math.sqrt(2 * Math.PI) : 0.0;
    }
}
