package dev.vigil.score;

/**
 * Per-channel online centre and scale, robust to outliers and to the channel's units, so that
 * prediction errors of sensors that differ by orders of magnitude become comparable.
 *
 * <p>For reading x of a channel, with d = x - centre clipped to ±outlierClip·scale once the scale is
 * known, and α = max(1 - decay, 1/n) for the n-th reading (a plain average first, exponential later):
 * <pre>
 *   centre ← centre + α·d
 *   scale  ← scale + α·(|d| - scale)
 * </pre>
 * Stateless; works on a {@link ScoreState}. The range (min, max) is tracked here too, and whether every reading of a
 * channel was a count (a whole number >= 0).
 */
public final class OnlineNormaliser {
    /** Relative floor of a scale: a channel that has never moved still gets a finite unit. */
    public static final double RELATIVE_SCALE_FLOOR = 1e-6;
    /** Absolute floor of a scale, for channels centred on zero. */
    public static final double ABSOLUTE_SCALE_FLOOR = 1e-9;

    private OnlineNormaliser() {
    }

    /** Absorbs one reading per channel into centre, scale, min and max. Modifies {@code state}. */
    public static void update(ScoreState state, double[] values, ScoringConfig config) {
        double[] center = state.center();
        double[] scale = state.scale();
        long n = ++state.updates;
        double alpha = Math.max(1.0 - ScoringConfig.decayFor(config.normaliserHalfLife()), 1.0 / n);
        for (int c = 0; c < values.length; c++) {
            double x = values[c];
            state.counts()[c] &= isCount(x);
            if (n == 1) {
                center[c] = x;
                scale[c] = 0.0;
                state.min()[c] = x;
                state.max()[c] = x;
                continue;
            }
            double d = x - center[c];
            if (scale[c] > 0) {
                double limit = config.outlierClip() * scale[c];
                d = Math.max(-limit, Math.min(limit, d));
            }
            center[c] += alpha * d;
            scale[c] += alpha * (Math.abs(d) - scale[c]);
            state.min()[c] = Math.min(state.min()[c], x);
            state.max()[c] = Math.max(state.max()[c], x);
        }
    }

    /** True for a whole number >= 0, as a count is. */
    public static boolean isCount(double x) {
        return x >= 0 && x == Math.rint(x);
    }

    /** The unit in which channel c's prediction errors are measured: its scale, floored. */
    public static double unit(ScoreState state, int c) {
        double floor = Math.max(ABSOLUTE_SCALE_FLOOR, RELATIVE_SCALE_FLOOR * Math.abs(state.center()[c]));
        return Math.max(state.scale()[c], floor);
    }

    /** True once channel {@code c} has varied (a scale above 0); before, {@link #unit} is only its floor. */
    public static boolean hasScale(ScoreState state, int c) {
        return state.scale()[c] > 0;
    }

    /**
     * True when channel c's reading x lies outside the range seen so far by more than {@code tolerance} times that
     * range (HTM's "spatial anomaly"), and on a channel read in whole numbers (every reading so far and x: a count, a
     * gauge of whole degrees) by one unit more, the readings' resolution: rounding to the unit moves a reading and
     * each end of the range by up to half a unit, so a reading one unit past the range may come from a value that
     * left it by no more than a finer gauge's would (on a gauge whose range is ten units wide, by 0% where the
     * tolerance asks for 5%). Call before {@link #update}. False while nothing was seen.
     */
    public static boolean outsideRange(ScoreState state, int c, double x, double tolerance) {
        if (tolerance <= 0 || state.updates() == 0) {
            return false;
        }
        double resolution = state.counts()[c] && isCount(x) ? 1.0 : 0.0;
        return outside(x, state.min()[c], state.max()[c], tolerance, resolution);
    }

    /** True when x lies outside [lo, hi] by more than {@code tolerance} times {@code hi - lo}. */
    static boolean outside(double x, double lo, double hi, double tolerance) {
        return outside(x, lo, hi, tolerance, 0.0);
    }

    /** True when x lies outside [lo, hi] by more than {@code tolerance} times {@code hi - lo} plus {@code extra}. */
    private static boolean outside(double x, double lo, double hi, double tolerance, double extra) {
        double margin = tolerance * (hi - lo) + extra;
        return x > hi + margin || x < lo - margin;
    }
}
