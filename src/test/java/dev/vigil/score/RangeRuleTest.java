package dev.vigil.score;

import dev.vigil.testutil.SyntheticSeries;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The range rule ({@link RangeRule}) through {@link Scorer}: a young range's wider margin, a record that must be
 * a leap once the key's jumps are learnt, and what its alerts say.
 */
class RangeRuleTest {
    private final ScoringConfig config = ScoringConfig.defaults();
    private final Scorer scorer = new Scorer(config);

    /**
     * A key that has seen 200 readings in [10, 11] (at {@code step} ms apart, its first at age 0), then
     * {@code probe} at the next step: how the range rule judges it.
     */
    private ScoreOutcome probeAfterAYoungRange(Scorer s, long step, double probe) {
        ScoreState state = s.newState(1);
        for (int t = 0; t < 200; t++) {
            double x = 10 + (t % 2);
            s.score(state, new double[] {x}, t == 0 ? null : new double[] {11 - (t % 2)}, t * step);
        }
        return s.score(state, new double[] {probe}, new double[] {10}, 200 * step);
    }

    @Test
    void shouldAskAYoungRangeForAWiderMarginThanAnEstablishedOne() {
        long fiveMinutes = 300_000;
        long hours = 3_600_000;
        // 200 readings five minutes apart: 16.7 hours, still young; a reading 15% of the range past it
        ScoreOutcome young = probeAfterAYoungRange(scorer, fiveMinutes, 11.15);
        assertFalse(young.outsideRange(), "the day may just be going on");
        assertTrue(young.anomalyScore() < config.alertThreshold());
        // the same readings an hour apart: 200 hours old, the range is established and the margin 5%
        ScoreOutcome old = probeAfterAYoungRange(scorer, hours, 11.15);
        assertTrue(old.outsideRange());
        assertEquals(1.0, old.anomalyScore());
        assertEquals(AlertReason.RANGE, old.reason());
        // far past the young range (60% of it): the rule fires on a young key too
        ScoreOutcome far = probeAfterAYoungRange(scorer, fiveMinutes, 11.6);
        assertTrue(far.outsideRange());
        assertEquals(AlertReason.RANGE, far.reason());
        assertEquals("a reading of 11.6 outside the range of the 200 readings so far (10 to 11), by more than 25% of"
                + " it while the key's range is young", far.detail());
        assertEquals("a reading of 11.15 outside the range of the 200 readings so far (10 to 11)", old.detail());
        // the first reading a day after the key's first counts as established
        assertEquals(config.spatialTolerance(), config.rangeTolerance(ScoringConfig.DAY_MS));
        assertEquals(config.youngSpatialTolerance(), config.rangeTolerance(ScoringConfig.DAY_MS - 1));
    }

    private static final long HOUR = 3_600_000;

    /**
     * A key of 200 hourly readings alternating {@code low} and {@code high} (an established range), each predicted as
     * the other.
     */
    private static ScoreState established(Scorer s, double low, double high) {
        ScoreState state = s.newState(1);
        for (int t = 0; t < 200; t++) {
            double x = t % 2 == 0 ? low : high;
            s.score(state, new double[] {x}, t == 0 ? null : new double[] {low + high - x}, t * HOUR);
        }
        return state;
    }

    /** {@link #established}, then a probe, judged by the range alone (no {@code recordMiss}). */
    private ScoreOutcome probeAfter(double low, double high, double probe) {
        Scorer rangeOnly = new Scorer(ScoringConfigs.with(config, "recordMiss", 0.0));
        return rangeOnly.score(established(rangeOnly, low, high), new double[] {probe}, new double[] {low}, 200 * HOUR);
    }

    @Test
    void shouldAskAGaugeReadInWholeUnitsToPassItsRangeByMoreThanOneUnit() {
        // whole degrees from 18 to 29: one degree past it is within the rounding of a value that left the range by
        // less than the 5% tolerance (0.55 degrees), two are not
        assertFalse(probeAfter(18, 29, 30).outsideRange(), "30 may be 29.4 rounded up, against a range up to 29.5");
        assertFalse(probeAfter(18, 29, 17).outsideRange());
        ScoreOutcome two = probeAfter(18, 29, 31);
        assertTrue(two.outsideRange());
        assertEquals(AlertReason.RANGE, two.reason());
        assertTrue(probeAfter(18, 29, 16).outsideRange());
        // a finer gauge's reading one degree past the same width of range is a record, as it always was
        assertTrue(probeAfter(18.5, 29.5, 30.5).outsideRange());
        // and so is a reading that is no whole number past a whole-numbered range, by the tolerance alone
        assertTrue(probeAfter(18, 29, 29.6).outsideRange());
    }

    @Test
    void shouldJudgeAYoungRangeAsAnEstablishedOneWhenTheSettingIsOff() {
        ScoringConfig off = ScoringConfigs.withRange(config, config.spatialTolerance(), 0);
        assertTrue(probeAfterAYoungRange(new Scorer(off), 300_000, 11.15).outsideRange());
        // and a range rule switched off stays off while the key is young
        ScoringConfig noRange = ScoringConfigs.withRange(config, 0, config.youngRangeMs());
        assertEquals(0.0, noRange.rangeTolerance(0));
        assertFalse(probeAfterAYoungRange(new Scorer(noRange), 300_000, 50).outsideRange());
    }

    /** {@link #established} 10.25 and 11.25: an established range of a gauge, a scale of about 0.5. */
    private static ScoreState establishedGauge(Scorer s) {
        return established(s, 10.25, 11.25);
    }

    /** {@link #establishedGauge}, then 11.85, 60% of the range past it, predicted as {@code prediction}. */
    private static ScoreOutcome probePredicted(Scorer s, double[] prediction) {
        return s.score(establishedGauge(s), new double[] {11.85}, prediction, 200 * HOUR);
    }

    @Test
    void shouldNotCallANewHighTheModelForesawARecord() {
        ScoreOutcome foreseen = probePredicted(scorer, new double[] {11.75});
        assertFalse(foreseen.outsideRange(), "0.1 from its prediction, a fifth of a scale: the model saw it coming");
        assertTrue(foreseen.anomalyScore() < config.alertThreshold());
        ScoreOutcome unforeseen = probePredicted(scorer, new double[] {10.25});
        assertTrue(unforeseen.outsideRange(), "1.6 from its prediction, over 3 scales");
        assertEquals(AlertReason.RANGE, unforeseen.reason());
        assertEquals("a reading of 11.85 outside the range of the 200 readings so far (10.25 to 11.25)",
                unforeseen.detail());
        assertTrue(probePredicted(scorer, null).outsideRange(), "without a prediction, judged by its range");
        Scorer off = new Scorer(ScoringConfigs.with(config, "recordMiss", 0.0));
        assertTrue(probePredicted(off, new double[] {11.75}).outsideRange(), "0 turns the test off");
        // either side of the threshold: recordMiss of the channel's scales
        for (double f : new double[] {0.99, 1.01}) {
            ScoreState state = establishedGauge(scorer);
            double predicted = 11.85 - f * config.recordMiss() * OnlineNormaliser.unit(state, 0);
            ScoreOutcome o = scorer.score(state, new double[] {11.85}, new double[] {predicted}, 200 * HOUR);
            assertEquals(f > 1, o.outsideRange(), "a miss of " + f + " times recordMiss scales");
        }
    }

    /** A noisy series climbing steadily: 1,500 readings rising by 6 (noise 0.3, a small cycle of 50). */
    private static double[] climbing() {
        double[] x = SyntheticSeries.seasonal(1500, 10, 0.5, 50, 0.3, 3);
        for (int t = 0; t < x.length; t++) {
            x[t] += 6.0 * t / x.length;
        }
        return x;
    }

    /** Whether the range rule fired at each reading of {@code x} (persistence prediction). */
    private static boolean[] records(Scorer s, double[] x) {
        ScoreState state = s.newState(1);
        boolean[] out = new boolean[x.length];
        for (int t = 0; t < x.length; t++) {
            double[] prediction = t == 0 ? null : new double[] {x[t - 1]};
            out[t] = s.score(state, new double[] {x[t]}, prediction, Scorer.ESTABLISHED).outsideRange();
        }
        return out;
    }

    private static int count(boolean[] b, int from, int to) {
        int n = 0;
        for (int t = from; t < to; t++) {
            n += b[t] ? 1 : 0;
        }
        return n;
    }

    @Test
    void shouldNotCallASlowClimbToANewHighARecordButALeapThere() {
        // the range and the jumps alone: with recordMiss, persistence's small misses on the climb would hide it too
        Scorer off = new Scorer(ScoringConfigs.with(config, "jumpHalfLife", 0, "recordMiss", 0.0));
        Scorer jumps = new Scorer(ScoringConfigs.with(config, "recordMiss", 0.0));
        int learnt = 2 * Scorer.JUMP_SETTLE;
        double[] x = climbing();
        boolean[] without = records(off, x);
        boolean[] with = records(jumps, x);
        assertTrue(count(without, learnt, x.length) >= 3, "the climb keeps breaking the range: "
                + count(without, learnt, x.length));
        assertEquals(0, count(with, learnt, x.length), "once the key's jumps are learnt, a climb is no record");
        // a young key's records are judged by the range alone, as before
        assertArrayEquals(java.util.Arrays.copyOf(without, learnt), java.util.Arrays.copyOf(with, learnt));
        // a leap to a new high is a record, with the jumps as without them
        double[] leap = SyntheticSeries.withSpike(x, 1200, 3);
        ScoreState state = scorer.newState(1);
        ScoreOutcome at = null;
        for (int t = 0; t <= 1200; t++) {
            at = scorer.score(state, new double[] {leap[t]}, t == 0 ? null : new double[] {leap[t - 1]},
                    Scorer.ESTABLISHED);
        }
        assertTrue(at.outsideRange());
        assertEquals(1.0, at.anomalyScore());
        assertEquals(AlertReason.RANGE, at.reason());
        double lo = java.util.Arrays.stream(leap, 0, 1200).min().orElseThrow();
        double hi = java.util.Arrays.stream(leap, 0, 1200).max().orElseThrow();
        assertEquals("a reading of " + Scorer.digits(leap[1200]) + " outside the range of the 1200 readings so far ("
                + Scorer.digits(lo) + " to " + Scorer.digits(hi) + "), with a jump from its recent level beyond any"
                + " before", at.detail());
    }
}
