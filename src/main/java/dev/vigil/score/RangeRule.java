package dev.vigil.score;

import static dev.vigil.score.Scorer.JUMP_SETTLE;

/**
 * The range rule ({@link ScoringConfig#spatialTolerance()}, {@link ScoringConfig#jumpHalfLife()}): a reading
 * outside the range seen so far, and once the key's jumps are learnt a leap there, is a record; and what its alert
 * says. Stateless apart from its configuration; thread-safe.
 */
final class RangeRule {
    private final ScoringConfig config;
    /** Per-event weight of a reading in the jumps' recent level ({@link ScoringConfig#jumpHalfLife()}; 0 when off). */
    private final double jumpAlpha;

    RangeRule(ScoringConfig config) {
        this.config = config;
        this.jumpAlpha = config.jumpHalfLife() == 0 ? 0 : 1.0 - ScoringConfig.decayFor(config.jumpHalfLife());
    }

    /**
     * The range rule: a record when some channel's reading lies outside the range seen so far by more than {@code
     * tolerance} of that range and, once the key's jumps are learnt ({@link ScoringConfig#jumpHalfLife()}), its jump
     * (the reading less the channel's recent level) also lies outside the range of the jumps learnt, by the same
     * tolerance of theirs: a reading that climbed slowly to a new high (a trend, growth) is no record, one that leapt
     * there is. A key's jumps are learnt from its {@link Scorer#JUMP_SETTLE}th reading after the first on, and used
     * once that many are learnt ({@code jumpAsked}: {@link #asksForJump} before this reading). A channel whose reading
     * its prediction foresaw ({@link #foreseen}) breaks no range. Call before {@link OnlineNormaliser#update}.
     * Modifies {@code state}.
     *
     * @param scaled each channel's miss of its prediction in its scales, as the prediction error measures it; null
     *               when the reading has no prediction
     * @return the channel that broke the range (of several, the one furthest outside, {@link #further}), or -1
     */
    int record(ScoreState state, double[] values, double[] scaled, double tolerance, boolean jumpAsked) {
        Excursions learnt = state.excursions();
        double[] level = learnt.jumpLevel();
        long n = state.updates();
        int broke = -1;
        if (jumpAlpha == 0 || n == 0) {
            // off: the level follows the last reading, so that it starts from there if the rule is turned on
            System.arraycopy(values, 0, level, 0, values.length);
            learnt.jumpsSeen = 0;
            for (int c = 0; c < values.length; c++) {
                if (unforeseenOutside(state, values, scaled, c, tolerance)) {
                    broke = further(state, values, c, broke);
                }
            }
            return broke;
        }
        boolean learn = n > JUMP_SETTLE;
        double alpha = Math.max(jumpAlpha, 1.0 / (n + 1));
        double[] low = learnt.jumpLow();
        double[] high = learnt.jumpHigh();
        for (int c = 0; c < values.length; c++) {
            double jump = values[c] - level[c];
            if (unforeseenOutside(state, values, scaled, c, tolerance)
                    && (!jumpAsked || OnlineNormaliser.outside(jump, low[c], high[c], tolerance))) {
                broke = further(state, values, c, broke);
            }
            if (learn) {
                low[c] = learnt.jumpsSeen == 0 ? jump : Math.min(low[c], jump);
                high[c] = learnt.jumpsSeen == 0 ? jump : Math.max(high[c], jump);
            }
            level[c] += alpha * (values[c] - level[c]);
        }
        if (learn) {
            learnt.jumpsSeen++;
        }
        return broke;
    }

    /** Whether channel c's reading lies outside the range seen so far and its prediction did not foresee it. */
    private boolean unforeseenOutside(ScoreState state, double[] values, double[] scaled, int c, double tolerance) {
        return OnlineNormaliser.outsideRange(state, c, values[c], tolerance) && !foreseen(scaled, c);
    }

    /**
     * Whether channel c's reading lay within {@link ScoringConfig#recordMiss()} of its scales from its prediction: a
     * new high or low the key's model saw coming (a wander carried on, a trend, a daily peak a little higher than the
     * last), which is no record. False without a prediction ({@code scaled} null) or with the setting off.
     */
    boolean foreseen(double[] scaled, int c) {
        return scaled != null && Math.abs(scaled[c]) < config.recordMiss();
    }

    /**
     * Whether the key's jumps are learnt, so that a reading outside its range scores 1 only with a jump beyond theirs
     * ({@link ScoringConfig#jumpHalfLife()}).
     */
    boolean asksForJump(ScoreState state) {
        return jumpAlpha > 0 && state.excursions().jumpsSeen() >= JUMP_SETTLE;
    }

    /**
     * Of channel c and channel {@code best} (-1: none yet), the one whose reading lies further outside its range seen
     * so far, in widths of that range (the earlier on a tie).
     */
    static int further(ScoreState state, double[] values, int c, int best) {
        return best < 0 || beyond(state, values, c) > beyond(state, values, best) ? c : best;
    }

    static double beyond(ScoreState state, double[] values, int c) {
        double lo = state.min()[c];
        double hi = state.max()[c];
        return Math.max(lo - values[c], values[c] - hi) / Math.max(hi - lo, Double.MIN_NORMAL);
    }

    /**
     * A reading of one channel that left the range, and the range seen before it: taken before {@link
     * OnlineNormaliser#update} widens the range, put into words only when it opens an alert ({@link #toString()}), so
     * that a young key setting records at most of its readings does not format them.
     */
    record Record(double reading, double min, double max, long seen) {
        /** The record of channel c (before {@link OnlineNormaliser#update}). */
        static Record of(ScoreState state, double[] values, int c) {
            return new Record(values[c], state.min()[c], state.max()[c], state.updates());
        }

        /**
         * "a reading of 142.3 outside the range of the 2016 readings so far (35.12 to 101.7)": how many readings the
         * range was learnt from tells a young key's record from an established one's.
         */
        @Override
        public String toString() {
            return "a reading of " + Scorer.digits(reading) + " outside the range of the " + seen + " readings so far ("
                    + Scorer.digits(min) + " to " + Scorer.digits(max) + ")";
        }
    }

    /**
     * What an alert the range rule opened says: the reading and the range it left ({@code record}), the margin when
     * the range is young, the jump when one was asked.
     */
    String detail(Record record, double tolerance, boolean jumpAsked) {
        String detail = record.toString();
        if (tolerance != config.spatialTolerance()) {
            detail += String.format(java.util.Locale.ROOT, ", by more than %.0f%% of it while the key's range is young",
                    100 * tolerance);
        }
        return jumpAsked ? detail + ", with a jump from its recent level beyond any before" : detail;
    }
}
