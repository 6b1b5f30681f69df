package dev.vigil.score;

import dev.vigil.testutil.SyntheticSeries;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stuck-sensor rule ({@link StuckRule}) through {@link Scorer}: a run improbable for the key fires once; a key
 * that repeats often, or idles as a matter of course, needs a longer one; its run count through the codec.
 */
class StuckRuleTest {
    private final ScoringConfig config = ScoringConfig.defaults();
    private final Scorer scorer = new Scorer(config);

    @Test
    void shouldScoreAStuckSensorOnceWhenItsRunOfRepeatsBecomesImprobable() {
        double[] x = SyntheticSeries.seasonal(900, 10, 2, 50, 0.3, 11);
        for (int t = 600; t < 700; t++) {
            x[t] = x[599];
        }
        double[] scores = ScorerTest.scoreAll(scorer, x, scorer.newState(1));
        int ones = 0;
        for (int t = 600; t < 700; t++) {
            ones += scores[t] == 1.0 ? 1 : 0;
        }
        // a series that never repeated: p ~ 1/600, p^2 < 1e-5, so the run fires at the minimum length
        assertEquals(1.0, scores[599 + config.flatlineEvents()]);
        assertEquals(1, ones);
    }

    @Test
    void shouldNeedALongerRunFromASensorThatOftenRepeats() {
        double[] x = SyntheticSeries.seasonal(1500, 10, 2, 50, 0.3, 12);
        for (int t = 0; t < x.length; t++) {
            x[t] = 4 * Math.round(x[t] / 4); // coarsely quantised readings repeat most of the time
        }
        for (int t = 1200; t < 1500; t++) {
            x[t] = x[1199];
        }
        double[] scores = ScorerTest.scoreAll(scorer, x, scorer.newState(1));
        int firedAt = -1;
        for (int t = 1200; t < 1500 && firedAt < 0; t++) {
            firedAt = scores[t] == 1.0 ? t : -1;
        }
        assertTrue(firedAt > 1199 + config.flatlineEvents(), "fired at " + firedAt);
    }

    /** Ten cycles of 100 varied readings and 50 zeros (a sensor that idles as a matter of course), then 1,000 zeros. */
    private static double[] idlingSensor() {
        double[] active = SyntheticSeries.seasonal(1000, 10, 2, 50, 0.3, 13);
        double[] x = new double[10 * 150 + 1000];
        for (int k = 0; k < 10; k++) {
            System.arraycopy(active, 100 * k, x, 150 * k, 100);
        }
        return x;
    }

    /** Events at which a stuck-sensor alert opened. */
    private static List<Integer> stuckOpenings(Scorer scorer, double[] x) {
        return stuckOpenings(scorer, scorer.newState(1), x);
    }

    /** Events at which a stuck-sensor alert opened, {@code state} scored on (persistence predictions). */
    static List<Integer> stuckOpenings(Scorer scorer, ScoreState state, double[] x) {
        List<Integer> at = new java.util.ArrayList<>();
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED && o.reason() == AlertReason.STUCK_SENSOR) {
                at.add(t);
            }
        }
        return at;
    }

    @Test
    void shouldFlagEveryRoutineIdleSpellWithTheIndependentRepeatRate() {
        // p ~ 1/3 of readings repeat, so p^30 < 1e-5: every idle spell of 50 fires at its 30th repeat
        List<Integer> at = stuckOpenings(scorer, idlingSensor());
        for (int k = 1; k < 10; k++) {
            assertTrue(at.contains(150 * k + 100 + config.flatlineEvents()), "idle spell " + k + ": " + at);
        }
    }

    @Test
    void shouldJudgeARunAgainstTheKeysOwnRunsWithFlatlineRuns() {
        ScoringConfig d = ScoringConfig.defaults();
        ScoringConfig runs = ScoringConfigs.with(d, "flatlineRuns", true);
        List<Integer> at = stuckOpenings(new Scorer(runs), idlingSensor());
        // the first idle spell is new for the key and fires; later ones are its habit (runs of about 50, so
        // q ~ 0.98 and a run needs about 460 repeats); the final long run fires once, well past any habitual spell
        assertEquals(2, at.size(), at.toString());
        assertEquals(100 + config.flatlineEvents(), at.get(0));
        assertTrue(at.get(1) > 1500 + 300 && at.get(1) < 1500 + 700, at.toString());
    }

    @Test
    void shouldEstimateTheRunCountOfAStateWrittenBeforeItWasKept() {
        Scorer scorer = new Scorer(ScoringConfigs.withoutOptionalSections());
        ScoreState state = scorer.newState(1);
        ScorerTest.scoreAll(scorer, idlingSensor(), state);
        assertTrue(state.repeatsAfterRepeat() > 0 && state.repeatsAfterRepeat() < state.repeats());
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        assertEquals(0, buf.remaining());
        assertEquals(state, ScoreStateCodec.read(java.nio.ByteBuffer.wrap(buf.array())));
        // without the run section (8 bytes before the jump section's 32, the spike section's 40, the hour
        // section's 48, the rhythm byte and the novelty byte), as a detector state of format 7 holds it (its rings as
        // today's, floats)
        int runAt = buf.capacity() - 2 - 48 - 40 - 32 - 8;
        ScoreState old = ScoreStateCodec.read(java.nio.ByteBuffer.wrap(buf.array(), 0, runAt),
                java.util.EnumSet.of(ScoreStateCodec.Section.PATTERNS, ScoreStateCodec.Section.COUNTS,
                        ScoreStateCodec.Section.FLOAT_RINGS));
        assertEquals(Math.round((double) state.repeats() * state.repeats() / state.updates()),
                old.repeatsAfterRepeat());
        buf.putLong(runAt, state.repeats() + 1);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.vigil.BadBytesException.class,
                () -> ScoreStateCodec.read(java.nio.ByteBuffer.wrap(buf.array()))).getMessage()
                .contains("repeats following a repeat"));
    }
}
