package dev.vigil.score;

import dev.vigil.testutil.SyntheticSeries;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScorerTest {
    private static final double SCALE_INVARIANCE_TOLERANCE = 1e-9;

    private final ScoringConfig config = ScoringConfig.defaults();
    private final Scorer scorer = new Scorer(config);

    /** Scores a series with a persistence prediction (the previous reading). */
    private double[] scoreAll(double[] x, ScoreState state) {
        double[] scores = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            double[] prediction = t == 0 ? null : new double[] {x[t - 1]};
            scores[t] = scorer.score(state, new double[] {x[t]}, prediction, Scorer.ESTABLISHED).anomalyScore();
        }
        return scores;
    }

    @Test
    void shouldReportZeroThroughoutWarmup() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(400, 10, 2, 50, 0.3, 1), 50, 100);
        double[] scores = scoreAll(x, scorer.newState(1));
        for (int t = 0; t < config.warmupEvents(); t++) {
            assertEquals(0.0, scores[t], "event " + t);
        }
    }

    @Test
    void shouldScoreOneWhenAReadingLeavesTheRangeSeenSoFar() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(600, 10, 2, 50, 0.3, 1), 500, 50);
        double[] scores = scoreAll(x, scorer.newState(1));
        assertEquals(1.0, scores[500]);
        double before = 0;
        for (int t = config.warmupEvents() + 50; t < 500; t++) {
            before = Math.max(before, scores[t]);
        }
        assertTrue(before < config.alertThreshold(), "quiet part peaked at " + before);
    }

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
        assertEquals("a reading of 11.6 outside the range seen so far (10 to 11), by more than 25% of it while the"
                + " key's range is young", far.detail());
        assertEquals("a reading of 11.15 outside the range seen so far (10 to 11)", old.detail());
        // the first reading a day after the key's first counts as established
        assertEquals(config.spatialTolerance(), config.rangeTolerance(ScoringConfig.DAY_MS));
        assertEquals(config.youngSpatialTolerance(), config.rangeTolerance(ScoringConfig.DAY_MS - 1));
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
        Scorer off = new Scorer(ScoringConfigs.withJumpHalfLife(config, 0));
        int learnt = 2 * Scorer.JUMP_SETTLE;
        double[] x = climbing();
        boolean[] without = records(off, x);
        boolean[] with = records(scorer, x);
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
        assertEquals("a reading of " + Scorer.digits(leap[1200]) + " outside the range seen so far ("
                + Scorer.digits(lo) + " to " + Scorer.digits(hi) + "), with a jump from its recent level beyond any"
                + " before", at.detail());
    }

    @Test
    void shouldOpenOneAlertAndReportRepeatsAtTheRepeatLevel() {
        double[] x = SyntheticSeries.withLevelShift(SyntheticSeries.seasonal(900, 10, 2, 50, 0.3, 3), 600, 40);
        ScoreState state = scorer.newState(1);
        int opened = 0;
        int atThresholdAfterOpen = 0;
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED) {
                opened++;
                assertEquals(600, t);
            } else if (o.alertOpen() && o.anomalyScore() >= config.alertThreshold()) {
                atThresholdAfterOpen++;
            }
        }
        assertEquals(1, opened);
        assertEquals(0, atThresholdAfterOpen);
    }

    @Test
    void shouldCloseTheAlertAfterTheQuietPeriod() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(800, 10, 2, 50, 0.3, 5), 500, 60);
        ScoreState state = scorer.newState(1);
        int openedAt = -1;
        int closedAt = -1;
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED) {
                openedAt = t;
            } else if (o.transition() == AlertTransition.CLOSED) {
                closedAt = t;
            }
        }
        assertEquals(500, openedAt);
        assertTrue(closedAt > openedAt + config.quietEvents() - 1, "closed at " + closedAt);
        assertFalse(state.alertOpen());
    }

    @Test
    void shouldScoreAStuckSensorOnceWhenItsRunOfRepeatsBecomesImprobable() {
        double[] x = SyntheticSeries.seasonal(900, 10, 2, 50, 0.3, 11);
        for (int t = 600; t < 700; t++) {
            x[t] = x[599];
        }
        double[] scores = scoreAll(x, scorer.newState(1));
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
        double[] scores = scoreAll(x, scorer.newState(1));
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
        ScoreState state = scorer.newState(1);
        scoreAll(idlingSensor(), state);
        assertTrue(state.repeatsAfterRepeat() > 0 && state.repeatsAfterRepeat() < state.repeats());
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        assertEquals(0, buf.remaining());
        assertEquals(state, ScoreStateCodec.read(java.nio.ByteBuffer.wrap(buf.array())));
        // without the run section (8 bytes before the jump section's 32, the spike section's 40, the hour
        // section's 48 and the rhythm byte), as a detector state of format 7 holds it (its rings as today's, floats)
        int runAt = buf.capacity() - 1 - 48 - 40 - 32 - 8;
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

    @Test
    void shouldGiveTheSameScoresWhateverTheUnitsOfTheSensor() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(700, 10, 2, 50, 0.3, 9), 650, 8);
        double[] big = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            big[t] = x[t] * 1e6;
        }
        assertArrayEquals(scoreAll(x, scorer.newState(1)), scoreAll(big, scorer.newState(1)), SCALE_INVARIANCE_TOLERANCE);
    }

    @Test
    void shouldNameTheChannelThatMissedMostFirst() {
        ScoreState state = scorer.newState(3);
        double[] reading = {1, 1, 1};
        for (int t = 0; t < 50; t++) {
            double wobble = (t % 2 == 0 ? 0.1 : -0.1);
            reading = new double[] {1 + wobble, 2 + wobble, 3 + wobble};
            scorer.score(state, reading, new double[] {1, 2, 3}, Scorer.ESTABLISHED);
        }
        ScoreOutcome o = scorer.score(state, new double[] {1, 5, 3.5}, new double[] {1, 2, 3}, Scorer.ESTABLISHED);
        assertArrayEquals(new int[] {1, 2, 0}, o.topChannels());
    }

    @Test
    void shouldRoundTripTheStateThroughItsCodec() {
        ScoreState state = scorer.newState(2);
        for (int t = 0; t < 700; t++) {
            scorer.score(state, new double[] {Math.sin(t), 100 + t}, t == 0 ? null : new double[] {0, 100 + t},
                    Scorer.ESTABLISHED);
        }
        assertTrue(scorer.asksForJump(state), "the jumps are learnt: the codec carries them");
        assertTrue(state.jumpLow()[0] < 0 && state.jumpHigh()[0] > 0 && state.jumpHigh()[1] > 0);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        assertEquals(buf.capacity(), buf.position());
        buf.flip();
        assertEquals(state, ScoreStateCodec.read(buf));
    }

    @Test
    void shouldSayWhichRuleOpenedAnAlertAndWhyItClosed() {
        double[] spike = SyntheticSeries.withSpike(SyntheticSeries.seasonal(800, 10, 2, 50, 0.3, 5), 500, 60);
        List<String> first = transitions(spike).subList(0, 2);
        assertTrue(first.get(0).matches("OPENED RANGE a reading of [0-9.]+ outside the range seen so far \\([0-9.]+ to"
                + " [0-9.]+\\)"), first.get(0));
        assertEquals("CLOSED CALM " + config.quietEvents() + " calm events in a row", first.get(1));
        double[] stuck = SyntheticSeries.seasonal(900, 10, 2, 50, 0.3, 11);
        for (int t = 600; t < 700; t++) {
            stuck[t] = stuck[599];
        }
        assertEquals("OPENED STUCK_SENSOR the same reading " + config.flatlineEvents() + " times in a row",
                transitions(stuck).get(0));
        // readings inside the range all along, predictions good until 600 and off by two from then on: the prediction
        // errors, not the range, open the alert
        double[] x = SyntheticSeries.seasonal(900, 10, 5, 50, 0.1, 13);
        ScoreState state = scorer.newState(1);
        String opened = null;
        for (int t = 0; t < x.length && opened == null; t++) {
            double[] prediction = t == 0 ? null : new double[] {x[t] + (t >= 600 ? 2.0 : 0.02 * Math.sin(t))};
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, prediction, Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED) {
                opened = t + " " + o.reason() + " " + o.detail();
            }
        }
        assertNotNull(opened);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("60\\d PREDICTION_ERROR a reading of ([0-9.]+)"
                + " where ([0-9.]+) was predicted: prediction error far above usual for this sensor \\(likelihood"
                + " score \\d\\.\\d{3}\\)").matcher(opened);
        assertTrue(m.matches(), opened);
        assertEquals(2.0, Double.parseDouble(m.group(2)) - Double.parseDouble(m.group(1)), 0.01,
                "the prediction was off by two: " + opened);
    }

    @Test
    void shouldWriteReadingsInDetailsWithFourSignificantDigits() {
        assertEquals("11.6", Scorer.digits(11.6));
        assertEquals("0.01346", Scorer.digits(0.013456));
        assertEquals("142300", Scorer.digits(142_345));
        assertEquals("-3.5", Scorer.digits(-3.5));
        assertEquals("0", Scorer.digits(0));
        assertEquals("NaN", Scorer.digits(Double.NaN));
    }

    @Test
    void shouldOpenAnAlertOfItsOwnWhenTheSensorFreezesDuringAnotherOne() {
        // predictions off by two from 600 open a prediction-error alert; from 620 the sensor repeats its reading,
        // inside the range, while the errors keep the alert open: the stuck-sensor rule opens an alert of its own
        double[] x = SyntheticSeries.seasonal(900, 10, 5, 50, 0.1, 13);
        for (int t = 620; t < 700; t++) {
            x[t] = x[619];
        }
        ScoreState state = scorer.newState(1);
        List<String> opened = new java.util.ArrayList<>();
        for (int t = 0; t < 700; t++) {
            double[] prediction = t == 0 ? null : new double[] {x[t] + (t >= 600 ? 2.0 : 0.02 * Math.sin(t))};
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, prediction, Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED) {
                opened.add(o.reason() + (o.reason() == AlertReason.STUCK_SENSOR ? " at " + t : ""));
            } else if (t >= 610) {
                assertTrue(o.alertOpen(), "open at " + t);
                assertTrue(o.anomalyScore() < config.alertThreshold(), "crossing at " + t + ": " + o.anomalyScore());
            }
        }
        assertEquals(List.of("PREDICTION_ERROR", "STUCK_SENSOR at " + (619 + config.flatlineEvents())), opened);
        assertEquals(AlertReason.STUCK_SENSOR, state.openReason());
        assertEquals(2, state.alertsOpened());
    }

    @Test
    void shouldKeepWhatOpenedTheAlertThroughTheCodec() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(600, 10, 2, 50, 0.3, 5), 500, 60);
        ScoreState state = scorer.newState(1);
        scoreAll(java.util.Arrays.copyOf(x, 510), state);
        assertEquals(AlertReason.RANGE, state.openReason());
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        buf.flip();
        ScoreState read = ScoreStateCodec.read(buf.duplicate());
        assertEquals(state, read);
        assertEquals(AlertReason.RANGE, read.openReason());
        // the alert byte follows channels, window, four rows of d doubles, the error ring (floats), updates and the
        // error scalars
        int alertByte = 2 + 8 * 4 + 4 * config.shortWindow() + 8 + 2 + 8 + 8 + 8;
        assertEquals(2, buf.get(alertByte));
        buf.put(alertByte, (byte) 1); // as every state written before the opener was kept
        ScoreState old = ScoreStateCodec.read(buf.duplicate());
        assertTrue(old.alertOpen());
        assertEquals(null, old.openReason());
        buf.put(alertByte, (byte) 9);
        assertEquals("score state's alert byte is 9; must be 0..8", org.junit.jupiter.api.Assertions.assertThrows(
                dev.vigil.BadBytesException.class, () -> ScoreStateCodec.read(buf.duplicate())).getMessage());
    }

    private List<String> transitions(double[] x) {
        ScoreState state = scorer.newState(1);
        List<String> out = new java.util.ArrayList<>();
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (o.transition() != AlertTransition.NONE) {
                out.add(o.transition() + " " + o.reason() + " " + o.detail());
            }
        }
        return out;
    }
}
